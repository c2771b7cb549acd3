/**
 * From per-cell results on the (up-sampled) feature grid to maps of the image's shape: the
 * anomaly score (from the log ratios) and the distance bilinearly, as torch's interpolate does in the official code,
 * the predicted class by the cell under each pixel (class ids must not be blended). Maps are
 * the image's size, capped so the longer side is at most MAX_MAP_SIDE pixels.
 */
import type { GridSize, PixelSize } from '../core/geometry';
import type { Calibration } from '../core/calibration/calibrate';
import { anomalyScore, inDistributionRate } from '../core/calibration/score';
import { resizeGrid, resizeScoreMap, type ScoreMap } from '../core/resample';
import { matrix, tensor, type Matrix } from '../core/tensor';

/** Pixels, longer side: finer than any heatmap a person looks at, 4 MB per float map at most. */
export const MAX_MAP_SIDE = 1024;

export function mapSize(image: PixelSize): PixelSize {
  const scale = Math.min(1, MAX_MAP_SIDE / Math.max(image.width, image.height));
  return { height: Math.max(1, Math.round(image.height * scale)), width: Math.max(1, Math.round(image.width * scale)) };
}

/** Per cell of a grid [height, width], row-major. */
export interface GridResults {
  readonly height: number;
  readonly width: number;
  readonly predicted: Int32Array;
  /** Distance to the nearest valid etalon of the predicted class. */
  readonly distance: Float32Array;
}

export interface PixelMaps {
  readonly predicted: Int32Array;
  readonly distance: Float32Array;
}

/** The predicted class and its distance at `size`. */
export function pixelMaps(grid: GridResults, size: PixelSize): PixelMaps {
  const distance = resizeScoreMap(tensor([grid.height, grid.width] as const, grid.distance), size.height, size.width).data;
  const predicted = new Int32Array(size.height * size.width);
  for (let y = 0; y < size.height; y++) {
    const row = Math.min(grid.height - 1, Math.floor(((y + 0.5) * grid.height) / size.height)) * grid.width;
    for (let x = 0; x < size.width; x++) {
      predicted[y * size.width + x] = grid.predicted[row + Math.min(grid.width - 1, Math.floor(((x + 0.5) * grid.width) / size.width))];
    }
  }
  return { predicted, distance };
}

/**
 * The anomaly score at `size`, from the log ratios ([H·W, C], logRatios) of the grid up-sampled
 * ×`upsample` from the backbone's `cells`. The map is drawn from the samples at the cells'
 * centres (for the odd factors the settings offer, the cells' own features; for an even one,
 * the sample just past each centre), resized, and each pixel's score is 1 − max_c s_in at its
 * log ratios. Two choices, each measured on the real sets (README, Results):
 * - The up-sampled samples between centres score blends of neighbouring cells' features. Where
 *   a cell holds a defect smaller than a patch, its blend with a normal neighbour looks nearly
 *   normal, and a map drawn from those samples fades the defect between centres; they still
 *   decide the image's severity (pooledSeverity.ts).
 * - The evidence is resized, not the score: s_in is a rate that saturates far from the good
 *   parts, and a blend of saturated rates ranks a one-cell pit below a broad, mildly unusual
 *   stretch.
 */
export function scoreMap(ratios: Matrix, cells: GridSize, upsample: number, calibration: Calibration, size: PixelSize): ScoreMap {
  const [rows, classes] = ratios.dims;
  const upWidth = cells.width * upsample;
  if (rows !== cells.height * upsample * upWidth) throw new RangeError(`${rows} log ratios for a ${cells.width}×${cells.height} grid up-sampled ×${upsample}`);
  const centre = Math.floor(upsample / 2);
  const atCells = new Float32Array(cells.height * cells.width * classes);
  for (let y = 0; y < cells.height; y++) {
    for (let x = 0; x < cells.width; x++) {
      const from = ((upsample * y + centre) * upWidth + upsample * x + centre) * classes;
      atCells.set(ratios.data.subarray(from, from + classes), (y * cells.width + x) * classes);
    }
  }
  const resized = resizeGrid(tensor([cells.height, cells.width, classes] as const, atCells), size.height, size.width);
  const score = anomalyScore(inDistributionRate(calibration, matrix(size.height * size.width, classes, resized.data)));
  return tensor([size.height, size.width] as const, score);
}

/** The largest value: the image's score. */
export function maxOf(values: Float32Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}
