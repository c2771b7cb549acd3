/**
 * AssemblyScript source of the built-in backbone's fused CPU kernel (compiled to wasm SIMD by
 * `npm run build:wasm`; filterBank.ts runs it and finishes the tokens). It computes
 * exactly what the ONNX graph in builtinBackbone.ts computes up to the per-patch pooling, for
 * one image [3, H, W]: the opponent colours, the contrast-normalised luminance, the à trous
 * pyramid, and per scale the 15 |responses| pooled per 14×14 patch (mean at every scale, max at
 * the two finest) plus the patch mean colour. The log, the 3×3 context and the CLS token work on
 * the small patch grid and stay in TypeScript.
 *
 * Why this shape: the graph materialises ~80 full-resolution planes per image (the dense 12×3×3×3
 * derivative Conv alone reads 27 taps where 2–3 matter); here the derivatives are computed row by
 * row from the pyramid and pooled into per-column accumulators at once, so no response plane
 * exists, and every pass is 4 lanes wide. Edges replicate the border (indices clamp), as the
 * graph's edge Pad does.
 *
 * Memory: JS calls reserve(height, width), writes the parameters and the image at the pointers
 * it gets, calls run(height, width) and reads the pooled values at output().
 */

const PATCH: i32 = 14;
const RESPONSES: i32 = 15;
const SCALES: i32 = 4;
const MAX_SCALES: i32 = 2;
const LEVELS: i32 = 5;
/** The widest smoothing step (2^(LEVELS−1)) sets the row padding. */
const MAX_STEP: i32 = 16;
/** Floats in the parameter block: 9 opponent weights, 3 biases, floor², gain. */
const PARAMS: i32 = 16;

const B3_OUTER: f32 = 1.0 / 16.0;
const B3_INNER: f32 = 4.0 / 16.0;
const B3_CENTRE: f32 = 6.0 / 16.0;

let paramsPtr: usize = 0;
let inputPtr: usize = 0;
let centredPtr: usize = 0;
let meanPtr: usize = 0;
let tempPtr: usize = 0;
let nextPtr: usize = 0;
let padPtr: usize = 0;
let sumPtr: usize = 0;
let maxPtr: usize = 0;
let outPtr: usize = 0;
let planeBytes: usize = 0;
let padBytes: usize = 0;
let accBytes: usize = 0;

@inline function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

@inline function clampRow(y: i32, height: i32): i32 {
  return y < 0 ? 0 : y >= height ? height - 1 : y;
}

/** Lays out the buffers for an image of this size, growing the memory as needed; returns the input's pointer. */
export function reserve(height: i32, width: i32): usize {
  const vectorWidth = (width + 3) & ~3;
  const patches = (height / PATCH) * (width / PATCH);
  // One vector of slack per plane: the last row's last vector may run past the width.
  planeBytes = align16(<usize>(height * width + 4) << 2);
  padBytes = align16(<usize>(vectorWidth + 4 * MAX_STEP + 8) << 2);
  accBytes = <usize>(RESPONSES * vectorWidth) << 2;
  paramsPtr = align16(__heap_base);
  inputPtr = paramsPtr + (<usize>PARAMS << 2);
  centredPtr = inputPtr + 3 * planeBytes;
  meanPtr = centredPtr + planeBytes;
  tempPtr = meanPtr + planeBytes;
  nextPtr = tempPtr + planeBytes;
  padPtr = nextPtr + 3 * planeBytes;
  sumPtr = padPtr + 5 * padBytes;
  maxPtr = sumPtr + accBytes;
  outPtr = maxPtr + accBytes;
  const end = outPtr + (<usize>(patches * (SCALES + MAX_SCALES) * RESPONSES + 3 * patches) << 2);
  const pages = <i32>((end + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
  return inputPtr;
}

export function params(): usize {
  return paramsPtr;
}

/** The input's channel planes lie this many bytes apart (rows are dense; a plane keeps some slack). */
export function inputPlaneBytes(): usize {
  return planeBytes;
}

export function output(): usize {
  return outPtr;
}

/** pad[i] = row[clamp(i − margin)] for i in [0, width + 2·margin): the row with its border replicated. */
function padRow(row: usize, width: i32, margin: i32, pad: usize): void {
  const first = load<f32>(row);
  const last = load<f32>(row + (<usize>(width - 1) << 2));
  for (let i = 0; i < margin; i++) {
    store<f32>(pad + (<usize>i << 2), first);
    store<f32>(pad + (<usize>(margin + width + i) << 2), last);
  }
  memory.copy(pad + (<usize>margin << 2), row, <usize>width << 2);
}

/** Separable B3 smoothing along x, taps `step` apart. */
function smoothRows(src: usize, dst: usize, height: i32, width: i32, step: i32): void {
  const outer = f32x4.splat(B3_OUTER);
  const inner = f32x4.splat(B3_INNER);
  const centre = f32x4.splat(B3_CENTRE);
  const s = <usize>step << 2;
  for (let y = 0; y < height; y++) {
    const rowOffset = <usize>(y * width) << 2;
    padRow(src + rowOffset, width, 2 * step, padPtr);
    const out = dst + rowOffset;
    for (let x = 0; x < width; x += 4) {
      const p = padPtr + (<usize>x << 2);
      const a = v128.load(p);
      const b = v128.load(p + s);
      const c = v128.load(p + 2 * s);
      const d = v128.load(p + 3 * s);
      const e = v128.load(p + 4 * s);
      const sum = f32x4.add(f32x4.add(f32x4.mul(f32x4.add(a, e), outer), f32x4.mul(f32x4.add(b, d), inner)), f32x4.mul(c, centre));
      v128.store(out + (<usize>x << 2), sum);
    }
  }
}

/** Separable B3 smoothing along y, taps `step` rows apart. */
function smoothColumns(src: usize, dst: usize, height: i32, width: i32, step: i32): void {
  const outer = f32x4.splat(B3_OUTER);
  const inner = f32x4.splat(B3_INNER);
  const centre = f32x4.splat(B3_CENTRE);
  const rowBytes = <usize>width << 2;
  for (let y = 0; y < height; y++) {
    const r0 = src + <usize>clampRow(y - 2 * step, height) * rowBytes;
    const r1 = src + <usize>clampRow(y - step, height) * rowBytes;
    const r2 = src + <usize>y * rowBytes;
    const r3 = src + <usize>clampRow(y + step, height) * rowBytes;
    const r4 = src + <usize>clampRow(y + 2 * step, height) * rowBytes;
    const out = dst + <usize>y * rowBytes;
    for (let x = 0; x < width; x += 4) {
      const o = <usize>x << 2;
      const sum = f32x4.add(
        f32x4.add(f32x4.mul(f32x4.add(v128.load(r0 + o), v128.load(r4 + o)), outer), f32x4.mul(f32x4.add(v128.load(r1 + o), v128.load(r3 + o)), inner)),
        f32x4.mul(v128.load(r2 + o), centre),
      );
      v128.store(out + o, sum);
    }
  }
}

function smooth(src: usize, dst: usize, height: i32, width: i32, step: i32): void {
  smoothRows(src, tempPtr, height, width, step);
  smoothColumns(tempPtr, dst, height, width, step);
}

/** The graph's local mean: the à trous smoothing at steps 1, 2, 4, 8, 16 in turn. */
function localMean(src: usize, dst: usize, height: i32, width: i32): void {
  smooth(src, dst, height, width, 1);
  for (let level = 1; level < LEVELS; level++) smooth(dst, dst, height, width, 1 << level);
}

/** ImageNet-normalised RGB → opponent colours, in place. */
function opponent(count: i32): void {
  const w = paramsPtr;
  const plane = planeBytes;
  const w00 = f32x4.splat(load<f32>(w, 0)), w01 = f32x4.splat(load<f32>(w, 4)), w02 = f32x4.splat(load<f32>(w, 8));
  const w10 = f32x4.splat(load<f32>(w, 12)), w11 = f32x4.splat(load<f32>(w, 16)), w12 = f32x4.splat(load<f32>(w, 20));
  const w20 = f32x4.splat(load<f32>(w, 24)), w21 = f32x4.splat(load<f32>(w, 28)), w22 = f32x4.splat(load<f32>(w, 32));
  const b0 = f32x4.splat(load<f32>(w, 36)), b1 = f32x4.splat(load<f32>(w, 40)), b2 = f32x4.splat(load<f32>(w, 44));
  for (let i = 0; i < count; i += 4) {
    const p = inputPtr + (<usize>i << 2);
    const r = v128.load(p);
    const g = v128.load(p + plane);
    const b = v128.load(p + 2 * plane);
    v128.store(p, f32x4.add(f32x4.add(f32x4.add(f32x4.mul(w00, r), f32x4.mul(w01, g)), f32x4.mul(w02, b)), b0));
    v128.store(p + plane, f32x4.add(f32x4.add(f32x4.add(f32x4.mul(w10, r), f32x4.mul(w11, g)), f32x4.mul(w12, b)), b1));
    v128.store(p + 2 * plane, f32x4.add(f32x4.add(f32x4.add(f32x4.mul(w20, r), f32x4.mul(w21, g)), f32x4.mul(w22, b)), b2));
  }
}

/** (L − m) / √(v + c²) · gain, with m and v the local mean and variance, in place of L (level 0 of the pyramid). */
function normaliseLuminance(height: i32, width: i32): void {
  const luminance = inputPtr + 2 * planeBytes;
  const count = height * width;
  localMean(luminance, meanPtr, height, width);
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    const centred = f32x4.sub(v128.load(luminance + o), v128.load(meanPtr + o));
    v128.store(centredPtr + o, centred);
    v128.store(meanPtr + o, f32x4.mul(centred, centred));
  }
  localMean(meanPtr, meanPtr, height, width);
  const floor = f32x4.splat(load<f32>(paramsPtr, 48));
  const gain = f32x4.splat(load<f32>(paramsPtr, 52));
  for (let i = 0; i < count; i += 4) {
    const o = <usize>i << 2;
    const spread = f32x4.sqrt(f32x4.add(v128.load(meanPtr + o), floor));
    v128.store(luminance + o, f32x4.mul(f32x4.div(v128.load(centredPtr + o), spread), gain));
  }
}

/**
 * Column accumulators → one row of patches: the sum over each 14-column run divided by the
 * patch area (mean), or its max, into out[feature][patch].
 */
function poolRow(acc: usize, features: i32, patchRow: i32, patchCols: i32, vectorWidth: i32, out: usize, patches: i32, isMax: bool): void {
  const area: f32 = <f32>(PATCH * PATCH);
  for (let f = 0; f < features; f++) {
    const column = acc + (<usize>(f * vectorWidth) << 2);
    const dst = out + (<usize>(f * patches + patchRow * patchCols) << 2);
    for (let px = 0; px < patchCols; px++) {
      const start = column + (<usize>(px * PATCH) << 2);
      let v: f32 = load<f32>(start);
      for (let i = 1; i < PATCH; i++) {
        const u = load<f32>(start + (<usize>i << 2));
        v = isMax ? max(v, u) : v + u;
      }
      store<f32>(dst + (<usize>px << 2), isMax ? v : v / area);
    }
  }
}

/** The patch mean of the three opponent channels, into out[colour][patch]. */
function poolColour(height: i32, width: i32, out: usize): void {
  const vectorWidth = (width + 3) & ~3;
  const patchCols = width / PATCH;
  const patches = (height / PATCH) * patchCols;
  memory.fill(sumPtr, 0, accBytes);
  for (let y = 0; y < (height / PATCH) * PATCH; y++) {
    for (let c = 0; c < 3; c++) {
      const row = inputPtr + <usize>c * planeBytes + (<usize>(y * width) << 2);
      const column = sumPtr + (<usize>(c * vectorWidth) << 2);
      for (let x = 0; x < width; x += 4) {
        const o = <usize>x << 2;
        v128.store(column + o, f32x4.add(v128.load(column + o), v128.load(row + o)));
      }
    }
    if (y % PATCH == PATCH - 1) {
      poolRow(sumPtr, 3, y / PATCH, patchCols, vectorWidth, out, patches, false);
      memory.fill(sumPtr, 0, accBytes);
    }
  }
}

@inline function accumulate(sum: usize, maxAcc: usize, withMax: bool, response: v128): void {
  const magnitude = f32x4.abs(response);
  v128.store(sum, f32x4.add(v128.load(sum), magnitude));
  if (withMax) v128.store(maxAcc, f32x4.max(v128.load(maxAcc), magnitude));
}

/**
 * One scale: 12 derivatives on `next` (taps `step` apart) and 3 band-passes prev − next, their
 * magnitudes pooled per patch into the mean (and for the finest scales max) outputs.
 */
function responses(prev: usize, next: usize, height: i32, width: i32, scale: i32): void {
  const step = 1 << scale;
  const vectorWidth = (width + 3) & ~3;
  const patchCols = width / PATCH;
  const patchRows = height / PATCH;
  const patches = patchRows * patchCols;
  const withMax = scale < MAX_SCALES;
  const meanOut = outPtr + (<usize>(scale * RESPONSES * patches) << 2);
  const maxOut = outPtr + (<usize>((SCALES + scale) * RESPONSES * patches) << 2);
  const column = <usize>vectorWidth << 2;
  const s = <usize>step << 2;
  const rowBytes = <usize>width << 2;
  const first = f32x4.splat(<f32>Math.SQRT1_2);
  const second = f32x4.splat(<f32>(1 / Math.sqrt(6)));
  const secondCentre = f32x4.splat(<f32>(2 / Math.sqrt(6)));
  const lum = next + 2 * planeBytes;
  const padUp = padPtr;
  const padMid = padPtr + padBytes;
  const padDown = padPtr + 2 * padBytes;
  const padC0 = padPtr + 3 * padBytes;
  const padC1 = padPtr + 4 * padBytes;
  memory.fill(sumPtr, 0, accBytes);
  memory.fill(maxPtr, 0, accBytes);
  for (let y = 0; y < patchRows * PATCH; y++) {
    const up = <usize>clampRow(y - step, height) * rowBytes;
    const mid = <usize>y * rowBytes;
    const down = <usize>clampRow(y + step, height) * rowBytes;
    padRow(lum + up, width, step, padUp);
    padRow(lum + mid, width, step, padMid);
    padRow(lum + down, width, step, padDown);
    padRow(next + mid, width, step, padC0);
    padRow(next + planeBytes + mid, width, step, padC1);
    for (let x = 0; x < width; x += 4) {
      const o = <usize>x << 2;
      const p = o + s;
      const c = v128.load(padMid + p);
      const l = v128.load(padMid + p - s);
      const r = v128.load(padMid + p + s);
      const u = v128.load(padUp + p);
      const ul = v128.load(padUp + p - s);
      const ur = v128.load(padUp + p + s);
      const d = v128.load(padDown + p);
      const dl = v128.load(padDown + p - s);
      const dr = v128.load(padDown + p + s);
      const centre = f32x4.mul(c, secondCentre);
      const sum = sumPtr + o;
      const mx = maxPtr + o;
      accumulate(sum, mx, withMax, f32x4.mul(f32x4.sub(r, l), first));
      accumulate(sum + column, mx + column, withMax, f32x4.mul(f32x4.sub(dr, ul), first));
      accumulate(sum + 2 * column, mx + 2 * column, withMax, f32x4.mul(f32x4.sub(d, u), first));
      accumulate(sum + 3 * column, mx + 3 * column, withMax, f32x4.mul(f32x4.sub(dl, ur), first));
      accumulate(sum + 4 * column, mx + 4 * column, withMax, f32x4.sub(f32x4.mul(f32x4.add(r, l), second), centre));
      accumulate(sum + 5 * column, mx + 5 * column, withMax, f32x4.sub(f32x4.mul(f32x4.add(dr, ul), second), centre));
      accumulate(sum + 6 * column, mx + 6 * column, withMax, f32x4.sub(f32x4.mul(f32x4.add(d, u), second), centre));
      accumulate(sum + 7 * column, mx + 7 * column, withMax, f32x4.sub(f32x4.mul(f32x4.add(dl, ur), second), centre));
      for (let k = 0; k < 2; k++) {
        const pad = k == 0 ? padC0 : padC1;
        const plane = next + <usize>k * planeBytes;
        const gx = f32x4.mul(f32x4.sub(v128.load(pad + p + s), v128.load(pad + p - s)), first);
        const gy = f32x4.mul(f32x4.sub(v128.load(plane + down + o), v128.load(plane + up + o)), first);
        accumulate(sum + <usize>(8 + 2 * k) * column, mx + <usize>(8 + 2 * k) * column, withMax, gx);
        accumulate(sum + <usize>(9 + 2 * k) * column, mx + <usize>(9 + 2 * k) * column, withMax, gy);
      }
      for (let k = 0; k < 3; k++) {
        const at = <usize>k * planeBytes + mid + o;
        accumulate(sum + <usize>(12 + k) * column, mx + <usize>(12 + k) * column, withMax, f32x4.sub(v128.load(prev + at), v128.load(next + at)));
      }
    }
    if (y % PATCH == PATCH - 1) {
      poolRow(sumPtr, RESPONSES, y / PATCH, patchCols, vectorWidth, meanOut, patches, false);
      memory.fill(sumPtr, 0, accBytes);
      if (withMax) {
        poolRow(maxPtr, RESPONSES, y / PATCH, patchCols, vectorWidth, maxOut, patches, true);
        memory.fill(maxPtr, 0, accBytes);
      }
    }
  }
}

/**
 * The whole image: opponent colours, their patch means, the normalised luminance, then per scale
 * the next pyramid level and its pooled responses. Levels alternate between two plane triples.
 */
export function run(height: i32, width: i32): void {
  opponent(height * width);
  const patches = (height / PATCH) * (width / PATCH);
  poolColour(height, width, outPtr + (<usize>((SCALES + MAX_SCALES) * RESPONSES * patches) << 2));
  normaliseLuminance(height, width);
  // Level 0 is (O1, O2, normalised luminance), where the input was.
  let prev = inputPtr;
  let next = nextPtr;
  for (let scale = 0; scale < SCALES; scale++) {
    for (let c = 0; c < 3; c++) smooth(prev + <usize>c * planeBytes, next + <usize>c * planeBytes, height, width, 1 << scale);
    responses(prev, next, height, width, scale);
    const swap = prev;
    prev = next;
    next = swap;
  }
}
