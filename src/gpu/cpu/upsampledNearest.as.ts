/**
 * AssemblyScript source of the CPU scorer's nearest-etalon search over a bilinearly up-sampled
 * feature grid (compiled to wasm SIMD by `npm run build:wasm`; cpuNearest.ts runs it). The
 * cross products x·c of an interpolated point are the interpolated cross products of the grid's
 * cells, so this never sees a feature: it interpolates the cells' cross products [cells, R]
 * along x once per grid row, then along y per output point, and keeps per class the least of
 * ‖c‖² − 2x·c over that class's etalon rows. ‖x‖² is the same for every etalon, so cpuNearest.ts
 * adds it (in float64) after the min.
 *
 * Rows are laid out class by class, each class's rows padded to a multiple of 4 with rows whose
 * ‖c‖² is +∞ (an invalid etalon never wins a min), so a vector of 4 lanes never straddles two
 * classes.
 *
 * Memory: JS calls reserve(…), writes the cross products, the etalon norms and the taps at the
 * pointers it gets, calls run(…) and reads [outH · outW, classes] minima at output().
 */

let crossPtr: usize = 0;
let normsPtr: usize = 0;
let xTapsPtr: usize = 0;
let yTapsPtr: usize = 0;
let alongPtr: usize = 0;
let outPtr: usize = 0;
let alongBytes: usize = 0;

@inline function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

/**
 * Lays out the buffers for `cells` grid cells of `rows` etalon rows (a multiple of 4), up-sampled
 * to outH × outW points, growing the memory as needed.
 * Taps, per output column then per output row: lower source index (i32), upper (i32), weight of
 * the upper (f32).
 */
export function reserve(cells: i32, rows: i32, outH: i32, outW: i32, classes: i32): void {
  crossPtr = align16(__heap_base);
  normsPtr = crossPtr + align16(<usize>cells * rows << 2);
  xTapsPtr = normsPtr + align16(<usize>rows << 2);
  yTapsPtr = xTapsPtr + align16(<usize>(3 * outW) << 2);
  alongPtr = yTapsPtr + align16(<usize>(3 * outH) << 2);
  alongBytes = align16(<usize>outW * rows << 2);
  outPtr = alongPtr + 2 * alongBytes;
  const end = outPtr + (<usize>outH * outW * classes << 2);
  const pages = <i32>((end + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
}

export function cross(): usize {
  return crossPtr;
}

export function norms(): usize {
  return normsPtr;
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
 * Per output point and class, the least ‖c‖² − 2x·c over the class's rows (+∞ where none is
 * valid), for a grid of gridHeight × gridWidth cells; each class has rows / classes rows.
 */
export function run(gridHeight: i32, gridWidth: i32, rows: i32, outH: i32, outW: i32, classes: i32): void {
  const perClass = rows / classes;
  const rowBytes = <usize>rows << 2;
  const minusTwo = f32x4.splat(-2);
  // Two along-x rows in use at a time; a slot is recomputed only when its grid row changes.
  let slotRow0 = -1;
  let slotRow1 = -1;
  const slot0 = alongPtr;
  const slot1 = alongPtr + alongBytes;
  for (let i = 0; i < outH; i++) {
    const top = load<i32>(yTapsPtr + (<usize>i << 2));
    const bottom = load<i32>(yTapsPtr + (<usize>(outH + i) << 2));
    const wy = f32x4.splat(load<f32>(yTapsPtr + (<usize>(2 * outH + i) << 2)));
    // Output rows go down the grid, so the bottom row of one step is at most the top of the next.
    let upper: usize;
    let lower: usize;
    if (slotRow0 === top) upper = slot0;
    else if (slotRow1 === top) upper = slot1;
    else {
      upper = slotRow1 === bottom ? slot0 : slot1;
      alongX(top, gridWidth, rows, outW, upper);
      if (upper === slot0) slotRow0 = top;
      else slotRow1 = top;
    }
    if (slotRow0 === bottom) lower = slot0;
    else if (slotRow1 === bottom) lower = slot1;
    else {
      lower = upper === slot0 ? slot1 : slot0;
      alongX(bottom, gridWidth, rows, outW, lower);
      if (lower === slot0) slotRow0 = bottom;
      else slotRow1 = bottom;
    }
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
