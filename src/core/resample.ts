/**
 * Bilinear resampling with the semantics of torch.nn.functional.interpolate(mode='bilinear',
 * align_corners=False), which the official PixOOD code uses both to up-sample the feature grid
 * (eval_scale_factor) and to bring the per-class scores back to the image size: pixel centres
 * are aligned, a source coordinate is (i + ½)·in/out − ½, clamped to the edge; no antialiasing.
 */
import { tensor, type Tensor, type Tensor3 } from './tensor';

/** A map of one value per cell, [height, width], row-major. */
export type ScoreMap = Tensor<readonly [height: number, width: number]>;

/** Feature grid [h, w, D] → [h·factor, w·factor, D], with an integer factor ≥ 1. */
export function upsampleGrid(grid: Tensor3, factor: number): Tensor3 {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`upsampleGrid: factor must be a positive integer, got ${factor}`);
  const [h, w, d] = grid.dims;
  const out = bilinear(grid.data, h, w, d, h * factor, w * factor);
  return tensor([h * factor, w * factor, d] as const, out);
}

/** Grid [h, w, C] → [height, width, C], any size (down-sampling too, without antialiasing, as torch), each channel alone. */
export function resizeGrid(grid: Tensor3, height: number, width: number): Tensor3 {
  for (const [name, v] of [['height', height], ['width', width]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resize: ${name} must be a positive integer, got ${v}`);
  }
  const [h, w, c] = grid.dims;
  return tensor([height, width, c] as const, bilinear(grid.data, h, w, c, height, width));
}

/** Score map [h, w] → [height, width]: a grid of one channel. */
export function resizeScoreMap(map: ScoreMap, height: number, width: number): ScoreMap {
  const [h, w] = map.dims;
  return tensor([height, width] as const, resizeGrid(tensor([h, w, 1] as const, map.data), height, width).data);
}

export interface Taps {
  /** Lower source index per output index. */
  readonly lo: Int32Array;
  /** Upper source index (lo + 1, or lo at the last row/column). */
  readonly hi: Int32Array;
  /** Weight of `hi`; `lo` gets 1 − weight. */
  readonly weight: Float64Array;
}

/** The two source taps and their weights for each output index along one axis. */
export function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = Math.max(0, (i + 0.5) * scale - 0.5);
    const l = Math.min(Math.floor(src), inSize - 1);
    lo[i] = l;
    hi[i] = Math.min(l + 1, inSize - 1);
    weight[i] = src - l;
  }
  return { lo, hi, weight };
}

/**
 * data [h, w, channels] → [outH, outW, channels], separably: a source row is interpolated along
 * x once (in float64, so the result is, bit for bit, what interpolating the four taps of each
 * output pixel gives), then each output row along y from two such rows. Output rows go down the
 * source, so two rows are kept at a time.
 */
function bilinear(data: Float32Array, h: number, w: number, channels: number, outH: number, outW: number): Float32Array {
  if (h < 1 || w < 1) throw new RangeError(`bilinear: the source must have at least one cell, got [${h}, ${w}]`);
  const ys = taps(h, outH);
  const xs = taps(w, outW);
  const rowLength = outW * channels;
  const kept = [{ row: -1, values: new Float64Array(rowLength) }, { row: -1, values: new Float64Array(rowLength) }];
  const alongX = (y: number, keep: number): Float64Array => {
    const found = kept.find((k) => k.row === y);
    if (found) return found.values;
    const slot = kept[kept[0].row === keep ? 1 : 0];
    slot.row = y;
    for (let j = 0; j < outW; j++) {
      const wx = xs.weight[j];
      const a = (y * w + xs.lo[j]) * channels;
      const b = (y * w + xs.hi[j]) * channels;
      for (let k = 0; k < channels; k++) slot.values[j * channels + k] = data[a + k] + wx * (data[b + k] - data[a + k]);
    }
    return slot.values;
  };
  const out = new Float32Array(outH * rowLength);
  for (let i = 0; i < outH; i++) {
    const wy = ys.weight[i];
    const upper = alongX(ys.lo[i], ys.hi[i]);
    const lower = alongX(ys.hi[i], ys.lo[i]);
    const o = i * rowLength;
    for (let k = 0; k < rowLength; k++) out[o + k] = upper[k] + wy * (lower[k] - upper[k]);
  }
  return out;
}
