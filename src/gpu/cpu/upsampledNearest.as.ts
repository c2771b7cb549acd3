/**
 * AssemblyScript source of the CPU scorer's nearest-etalon search over a bilinearly up-sampled
 * feature grid (compiled to wasm SIMD by `npm run build:wasm`; cpuNearest.ts runs it). The
 * cross products x·c of an interpolated point are the interpolated cross products of the grid's
 * cells, so the up-sampled points are never made: it computes the cells' cross products
 * [cells, R] with the etalons (both less the same centre), interpolates them along x once per
 * grid row, then along y per output point, and keeps per class the least of ‖c‖² − 2x·c over
 * that class's etalon rows. ‖x‖² is the same for every etalon, so cpuNearest.ts adds it (in
 * float64) after the min.
 *
 * Rows are laid out class by class, each class's rows padded to a multiple of 4 with rows whose
 * ‖c‖² is +∞ (an invalid etalon never wins a min), so a vector of 4 lanes never straddles two
 * classes.
 *
 * Memory: JS calls reserveEtalons(…) once and writes the etalons (transposed, [D, R]), their
 * norms and the centre; then per grid reserve(…), writes the cells' features and the taps at the
 * pointers it gets, calls run(…) and reads [outH · outW, classes] minima at output().
 */

let etalonsPtr: usize = 0;
let normsPtr: usize = 0;
let centrePtr: usize = 0;
let gridPtr: usize = 0;
let crossPtr: usize = 0;
let xTapsPtr: usize = 0;
let yTapsPtr: usize = 0;
let alongPtr: usize = 0;
let outPtr: usize = 0;
let alongBytes: usize = 0;

@inline function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

function grow(end: usize): void {
  const pages = <i32>((end + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
}

/** Lays out `rows` etalon rows (a multiple of 4) of `dim` features, which stay for every grid. */
export function reserveEtalons(rows: i32, dim: i32): void {
  etalonsPtr = align16(__heap_base);
  normsPtr = etalonsPtr + align16(<usize>dim * rows << 2);
  centrePtr = normsPtr + align16(<usize>rows << 2);
  gridPtr = centrePtr + align16(<usize>dim << 2);
  grow(gridPtr);
}

/**
 * Lays out the buffers for a grid of `cells` cells of `dim` features (room for one more, so cells
 * go in pairs), up-sampled to outH × outW points, growing the memory as needed.
 * Taps, per output column then per output row: lower source index (i32), upper (i32), weight of
 * the upper (f32).
 */
export function reserve(cells: i32, dim: i32, rows: i32, outH: i32, outW: i32, classes: i32): void {
  crossPtr = gridPtr + align16(<usize>(cells + 1) * dim << 2);
  xTapsPtr = crossPtr + align16(<usize>(cells + 1) * rows << 2);
  yTapsPtr = xTapsPtr + align16(<usize>(3 * outW) << 2);
  alongPtr = yTapsPtr + align16(<usize>(3 * outH) << 2);
  alongBytes = align16(<usize>outW * rows << 2);
  outPtr = alongPtr + 2 * alongBytes;
  grow(outPtr + (<usize>outH * outW * classes << 2));
}

export function etalons(): usize {
  return etalonsPtr;
}

export function norms(): usize {
  return normsPtr;
}

export function centre(): usize {
  return centrePtr;
}

export function grid(): usize {
  return gridPtr;
}

export function xTaps(): usize {
  return xTapsPtr;
}

export function yTaps(): usize {
  return yTapsPtr;
}

export function output(): usize {
  return outPtr;
}

/**
 * cross[cell, r] = (x_cell − centre)·c_r, two cells at a time so each etalon vector loaded serves
 * both, 16 etalon rows (4 vectors) a pass while that many remain.
 */
function crossProducts(cells: i32, dim: i32, rows: i32): void {
  const rowBytes = <usize>rows << 2;
  const dimBytes = <usize>dim << 2;
  // The centre comes off the features once, in place; the spare cell after the last is zeros.
  for (let cell = 0; cell < cells; cell++) {
    const x = gridPtr + <usize>cell * dimBytes;
    for (let t: usize = 0; t < dimBytes; t += 4) store<f32>(x + t, load<f32>(x + t) - load<f32>(centrePtr + t));
  }
  memory.fill(gridPtr + <usize>cells * dimBytes, 0, dimBytes);
  // Etalon strips outside, cells inside: a strip of 16 rows (D × 64 bytes) stays in cache while
  // every cell passes it, where a cell pair outside streamed all K rows from memory per pair.
  let r: usize = 0;
  for (; r + 64 <= rowBytes; r += 64) {
    for (let cell = 0; cell < cells; cell += 2) {
      const x0 = gridPtr + <usize>cell * dimBytes;
      const x1 = x0 + dimBytes;
      const out0 = crossPtr + <usize>cell * rowBytes;
      const out1 = out0 + rowBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let b0 = f32x4.splat(0);
      let b1 = f32x4.splat(0);
      let b2 = f32x4.splat(0);
      let b3 = f32x4.splat(0);
      for (let t = 0; t < dim; t++) {
        const e = etalonsPtr + <usize>t * rowBytes + r;
        const u = f32x4.splat(load<f32>(x0 + (<usize>t << 2)));
        const v = f32x4.splat(load<f32>(x1 + (<usize>t << 2)));
        const e0 = v128.load(e);
        const e1 = v128.load(e + 16);
        const e2 = v128.load(e + 32);
        const e3 = v128.load(e + 48);
        a0 = f32x4.add(a0, f32x4.mul(u, e0));
        a1 = f32x4.add(a1, f32x4.mul(u, e1));
        a2 = f32x4.add(a2, f32x4.mul(u, e2));
        a3 = f32x4.add(a3, f32x4.mul(u, e3));
        b0 = f32x4.add(b0, f32x4.mul(v, e0));
        b1 = f32x4.add(b1, f32x4.mul(v, e1));
        b2 = f32x4.add(b2, f32x4.mul(v, e2));
        b3 = f32x4.add(b3, f32x4.mul(v, e3));
      }
      v128.store(out0 + r, a0);
      v128.store(out0 + r + 16, a1);
      v128.store(out0 + r + 32, a2);
      v128.store(out0 + r + 48, a3);
      v128.store(out1 + r, b0);
      v128.store(out1 + r + 16, b1);
      v128.store(out1 + r + 32, b2);
      v128.store(out1 + r + 48, b3);
    }
  }
  for (; r < rowBytes; r += 16) {
    for (let cell = 0; cell < cells; cell += 2) {
      const x0 = gridPtr + <usize>cell * dimBytes;
      const x1 = x0 + dimBytes;
      let a = f32x4.splat(0);
      let b = f32x4.splat(0);
      for (let t = 0; t < dim; t++) {
        const e = v128.load(etalonsPtr + <usize>t * rowBytes + r);
        a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(x0 + (<usize>t << 2))), e));
        b = f32x4.add(b, f32x4.mul(f32x4.splat(load<f32>(x1 + (<usize>t << 2))), e));
      }
      const out0 = crossPtr + <usize>cell * rowBytes;
      v128.store(out0 + r, a);
      v128.store(out0 + rowBytes + r, b);
    }
  }
}

/** One grid row's cross products interpolated along x: [outW, rows] at `target`. */
function alongX(y: i32, gridWidth: i32, rows: i32, outW: i32, target: usize): void {
  const rowBytes = <usize>rows << 2;
  for (let j = 0; j < outW; j++) {
    const lo = load<i32>(xTapsPtr + (<usize>j << 2));
    const hi = load<i32>(xTapsPtr + (<usize>(outW + j) << 2));
    const wx = f32x4.splat(load<f32>(xTapsPtr + (<usize>(2 * outW + j) << 2)));
    const a = crossPtr + <usize>(y * gridWidth + lo) * rowBytes;
    const b = crossPtr + <usize>(y * gridWidth + hi) * rowBytes;
    const out = target + <usize>j * rowBytes;
    for (let r: usize = 0; r < rowBytes; r += 16) {
      const va = v128.load(a + r);
      v128.store(out + r, f32x4.add(va, f32x4.mul(wx, f32x4.sub(v128.load(b + r), va))));
    }
  }
}

/**
 * The grid rows whose along-x products the two slots at alongPtr hold (−1: none yet); globals,
 * not an array, since the kernel's buffers start at the heap's base.
 */
let slotRow0: i32 = -1;
let slotRow1: i32 = -1;

/**
 * Grid row y's cross products along x, from the slot that holds them or made in the other slot
 * than the one holding `keep` (the other row the current output row needs). Output rows go down
 * the grid, so two slots make each grid row once.
 */
function alongRow(y: i32, keep: i32, gridWidth: i32, rows: i32, outW: i32): usize {
  if (slotRow0 === y) return alongPtr;
  if (slotRow1 === y) return alongPtr + alongBytes;
  const second = slotRow0 === keep;
  if (second) slotRow1 = y;
  else slotRow0 = y;
  const target = second ? alongPtr + alongBytes : alongPtr;
  alongX(y, gridWidth, rows, outW, target);
  return target;
}

/**
 * Per output point and class, the least ‖c‖² − 2x·c over the class's rows (+∞ where none is
 * valid), for a grid of gridHeight × gridWidth cells of `dim` features; each class has
 * rows / classes rows. The grid's features are centred in place.
 */
export function run(gridHeight: i32, gridWidth: i32, dim: i32, rows: i32, outH: i32, outW: i32, classes: i32): void {
  crossProducts(gridHeight * gridWidth, dim, rows);
  const perClass = rows / classes;
  const rowBytes = <usize>rows << 2;
  const minusTwo = f32x4.splat(-2);
  slotRow0 = -1;
  slotRow1 = -1;
  for (let i = 0; i < outH; i++) {
    const top = load<i32>(yTapsPtr + (<usize>i << 2));
    const bottom = load<i32>(yTapsPtr + (<usize>(outH + i) << 2));
    const wy = f32x4.splat(load<f32>(yTapsPtr + (<usize>(2 * outH + i) << 2)));
    const upper = alongRow(top, bottom, gridWidth, rows, outW);
    const lower = alongRow(bottom, top, gridWidth, rows, outW);
    for (let j = 0; j < outW; j++) {
      const u = upper + <usize>j * rowBytes;
      const l = lower + <usize>j * rowBytes;
      const out = outPtr + (<usize>(i * outW + j) * classes << 2);
      for (let c = 0; c < classes; c++) {
        let least = f32x4.splat(Infinity);
        const start = <usize>(c * perClass) << 2;
        const end = start + (<usize>perClass << 2);
        for (let r = start; r < end; r += 16) {
          const vu = v128.load(u + r);
          const product = f32x4.add(vu, f32x4.mul(wy, f32x4.sub(v128.load(l + r), vu)));
          least = f32x4.min(least, f32x4.add(v128.load(normsPtr + r), f32x4.mul(minusTwo, product)));
        }
        const pair = f32x4.min(least, v128.shuffle<f32>(least, least, 2, 3, 0, 1));
        store<f32>(out + (<usize>c << 2), min(f32x4.extract_lane(pair, 0), f32x4.extract_lane(pair, 1)));
      }
    }
  }
}
