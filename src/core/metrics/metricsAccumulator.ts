/**
 * Exact anomaly-detection metrics over any number of images, streamed one image at a time.
 *
 * How: each image is reduced at once to pixel counts per distinct (score, region size) pair
 * (score-counts.ts). Scores become order-preserving uint32 keys (score-key.ts), so ties stay
 * exact and nothing is binned; each defect pixel carries the size of its 8-connected ground-truth
 * region (connected-regions.ts), which is all AUPRO needs, since a pixel adds 1/size to its
 * region's overlap. The per-image summaries are sorted runs of typed arrays, kept as in a
 * log-structured merge tree: a new run is merged into the one below while that one is at most
 * twice as long, so each run is more than twice the length of the next, the stack stays
 * O(log n) deep, and merging costs O(n log n) overall instead of O(n) per image. result()
 * merges what is left and walks the distinct scores once from the top (pixel-figures.ts).
 * Counts are integers, so the figures do not depend on the order in which images are added or
 * how they are grouped into calls.
 *
 * Memory bound: 16 bytes per distinct (score, region size) pair, i.e. at most one entry per
 * distinct score of the normal pixels plus one per defect pixel, up to twice that during a
 * merge; two numbers per image (its score and label); and, while an image is being added,
 * under 50 bytes per pixel of that image, released when add returns. Nothing per pixel is a JS
 * object and no array of all pixels is ever sorted.
 */
import { auroc } from './auroc';
import { connectedRegions } from './connectedRegions';
import { type PixelFigures, pixelFigures } from './pixelFigures';
import { countScores, emptyCounts, mergeCounts, type ScoreCounts } from './scoreCounts';
import { keyScore, scoreKeys } from './scoreKey';

export interface MetricsResult {
  readonly images: number;
  readonly defectImages: number;
  /** Ground-truth regions (8-connected components of the masks) over all images. */
  readonly regions: number;
  /** AUROC of the image score (the maximum of its map) against "the mask has a defect"; NaN with one kind of image only. */
  readonly imageAuroc: number;
  readonly pixel: PixelFigures;
}

export interface MetricsAccumulator {
  /**
   * Adds one image, or several stacked.
   * @param map [images, height, width] anomaly scores, higher = more anomalous; no NaN
   * @param mask [images, height, width] ground truth, nonzero = defect
   */
  add(map: Float32Array, mask: Uint8Array, width: number, height: number): void;
  /** The figures over every image added so far. @param maxCurvePoints points kept per curve for drawing */
  result(maxCurvePoints?: number): MetricsResult;
}

/** What one image added to a CountsAccumulator: its highest score and its ground-truth regions. */
export interface ImageCounted {
  readonly peak: number;
  readonly regions: number;
}

/**
 * The exact pixel counts (ScoreCounts) and ground-truth regions of a set of images, without
 * image scores: the part of the figures that sets of images can share by merging.
 */
export interface CountsAccumulator {
  /**
   * Counts one image.
   * @param map [height, width] anomaly scores, higher = more anomalous; no NaN
   * @param mask [height, width] ground truth, nonzero = defect
   */
  add(map: Float32Array, mask: Uint8Array, width: number, height: number): ImageCounted;
  /** Adds another set's counts and regions; that set is left as it was. */
  merge(other: CountsAccumulator): void;
  /** The counts of every image so far, merged into one. */
  counts(): ScoreCounts;
  readonly regions: number;
}

export function createCountsAccumulator(): CountsAccumulator {
  const runs: ScoreCounts[] = [];
  let regions = 0;

  const mergeTopTwo = (): void => {
    const top = runs.pop() as ScoreCounts;
    runs.push(mergeCounts(runs.pop() as ScoreCounts, top));
  };
  const push = (run: ScoreCounts): void => {
    runs.push(run);
    while (runs.length > 1 && runs[runs.length - 2].keys.length <= 2 * runs[runs.length - 1].keys.length) mergeTopTwo();
  };

  return {
    add(map, mask, width, height) {
      const pixels = width * height;
      if (!Number.isInteger(width) || !Number.isInteger(height) || pixels <= 0) {
        throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
      }
      if (map.length !== pixels || mask.length !== pixels) {
        throw new RangeError(`map and mask must both hold one ${width}×${height} image, got ${map.length} and ${mask.length} values`);
      }
      const imageRegions = connectedRegions(mask, width, height);
      const keys = new Uint32Array(pixels);
      scoreKeys(map, keys);
      const regionSizes = new Uint32Array(pixels);
      for (let p = 0; p < pixels; p++) regionSizes[p] = imageRegions.sizes[imageRegions.labels[p]];
      const run = countScores(keys, regionSizes);
      regions += imageRegions.count;
      push(run);
      return { peak: keyScore(run.keys[run.keys.length - 1]), regions: imageRegions.count };
    },
    merge(other) {
      const theirs = other.counts();
      regions += other.regions;
      if (theirs.keys.length > 0) push(theirs);
    },
    counts() {
      while (runs.length > 1) mergeTopTwo();
      return runs[0] ?? emptyCounts;
    },
    get regions() {
      return regions;
    },
  };
}

export function createMetricsAccumulator(): MetricsAccumulator {
  const counts = createCountsAccumulator();
  const imageScores: number[] = [];
  const imageLabels: number[] = [];

  return {
    add(map, mask, width, height) {
      const pixels = width * height;
      if (!Number.isInteger(width) || !Number.isInteger(height) || pixels <= 0) {
        throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
      }
      if (map.length % pixels !== 0 || mask.length !== map.length) {
        throw new RangeError(`map and mask must both hold whole ${width}×${height} images, got ${map.length} and ${mask.length} values`);
      }
      for (let offset = 0; offset < map.length; offset += pixels) {
        const image = counts.add(map.subarray(offset, offset + pixels), mask.subarray(offset, offset + pixels), width, height);
        imageScores.push(image.peak);
        imageLabels.push(image.regions > 0 ? 1 : 0);
      }
    },

    result(maxCurvePoints = 1000) {
      if (!Number.isInteger(maxCurvePoints) || maxCurvePoints < 1) throw new RangeError(`maxCurvePoints must be a positive integer, got ${maxCurvePoints}`);
      const defectImages = imageLabels.reduce((a, b) => a + b, 0);
      const bothKinds = defectImages > 0 && defectImages < imageLabels.length;
      return {
        images: imageLabels.length,
        defectImages,
        regions: counts.regions,
        imageAuroc: bothKinds ? auroc(imageScores, imageLabels) : NaN,
        pixel: pixelFigures(counts.counts(), counts.regions, maxCurvePoints),
      };
    },
  };
}
