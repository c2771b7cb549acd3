/**
 * From per-cell results on the (up-sampled) feature grid to maps of the image's shape: the
 * anomaly score and the distance bilinearly, as torch's interpolate does in the official code,
 * the predicted class by the cell under each pixel (class ids must not be blended). Maps are
 * the image's size, capped so the longer side is at most MAX_MAP_SIDE pixels.
 */
import type { PixelSize } from '../core/geometry';
import { resizeScoreMap, type ScoreMap } from '../core/resample';
import { tensor } from '../core/tensor';

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

/** The score grid [height, width] at `size`. */
export function scoreMap(score: Float32Array, height: number, width: number, size: PixelSize): ScoreMap {
  return resizeScoreMap(tensor([height, width] as const, score), size.height, size.width);
}

/** The largest value: the image's score. */
export function maxOf(values: Float32Array): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}
