/**
 * Exact anomaly-detection metrics over any number of images, streamed one image at a time.
 *
 * How: scores become order-preserving uint32 keys (score-key.ts), so ties stay exact and nothing
 * is binned; each defect pixel carries the size of its 8-connected ground-truth region
 * (connected-regions.ts), which is all AUPRO needs, since a pixel adds 1/size to its region's
 * overlap. Normal pixels are counted per distinct key as they come (keyCounts.ts: a write per
 * pixel, no sort); defect pixels, a small share, are reduced per image to counts per distinct
 * (key, region size) (scoreCounts.ts) and merged. result() walks the scores once from
 * the top (pixelFigures.ts). Counts are integers and every sum is taken in one fixed order, so
 * the figures do not depend on the order in which images are added or how they are grouped.
 *
 * Memory bound: 2 bytes per normal pixel (at most 512 KiB per 65,536 distinct high halves of a
 * key, keyCounts.ts), 16 bytes per distinct (score, region size) of the defect pixels, up to
 * twice that during a merge; two numbers per image (its score and label); and, while an image
 * is being added, under 30 bytes per pixel of that image, released when add returns. Nothing
 * per pixel is a JS object.
 */
import { auroc } from './auroc';
import { connectedRegions } from './connectedRegions';
import { type PixelFigures, pixelFigures } from './pixelFigures';
import { KEY_BUCKET_SIZE, KEY_BUCKETS, KeyCounts } from './keyCounts';
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
 * Consecutive scores of a ScoreWalk, from the highest down: for entry i < length, its score key
 * (scoreKey.ts), defect pixels, normal pixels, and the defect pixels' summed shares of their
 * regions (1/size each), summed in ascending order of region size: one fixed order, whatever
 * order the images came in. An entry is one distinct score, or, where no defect pixel lies
 * among them, all the normal pixels of one 16-bit key bucket (keyCounts.ts) at its lowest key.
 * The arrays are reused: valid only during the call.
 */
export interface ScoreBatch {
  readonly length: number;
  readonly keys: Uint32Array;
  readonly defects: Float64Array;
  readonly normals: Float64Array;
  readonly overlap: Float64Array;
}

/**
 * The scored pixels, read from the highest distinct score down: what every pixel-level figure
 * is derived from.
 */
export interface ScoreWalk {
  /** Defect pixels in all. */
  readonly positives: number;
  /** Normal pixels in all. */
  readonly negatives: number;
  /**
   * Calls `visit` with the scores in batches (ScoreBatch), from the highest down. In batches
   * since the figures read tens of millions of scores: a call per score cost more than the reading.
   */
  descending(visit: (batch: ScoreBatch) => void): void;
}

/**
 * The exact pixel counts and ground-truth regions of a set of images, without image scores: the
 * part of the figures that sets of images can share (scoresOf reads several together). Normal pixels are counted per
 * distinct score (keyCounts.ts); defect pixels, few, per distinct (score, region size) in sorted
 * runs (scoreCounts.ts) kept as a log-structured merge tree: a new run is merged into the one
 * below while that one is at most twice as long, so the stack stays O(log n) deep.
 */
export class CountsAccumulator {
  private readonly normals = new KeyCounts();
  private readonly runs: ScoreCounts[] = [];
  private regionCount = 0;

  get regions(): number {
    return this.regionCount;
  }

  /**
   * Counts one image.
   * @param map [height, width] anomaly scores, higher = more anomalous; no NaN
   * @param mask [height, width] ground truth, nonzero = defect
   * @param included [height, width] 0 where a pixel is not counted at all (outside the regions of
   *   interest: neither a normal pixel nor part of a ground-truth region); absent: every pixel
   */
  add(map: Float32Array, mask: Uint8Array, width: number, height: number, included?: Uint8Array): ImageCounted {
    const pixels = width * height;
    if (!Number.isInteger(width) || !Number.isInteger(height) || pixels <= 0) {
      throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
    }
    if (map.length !== pixels || mask.length !== pixels) {
      throw new RangeError(`map and mask must both hold one ${width}×${height} image, got ${map.length} and ${mask.length} values`);
    }
    if (included) return this.addIncluded(map, mask, width, height, included);
    // A good image (most of a test set) has no regions to label.
    const imageRegions = hasDefect(mask) ? connectedRegions(mask, width, height) : null;
    const keys = new Uint32Array(pixels);
    scoreKeys(map, keys);
    let peak = 0;
    for (let p = 0; p < pixels; p++) if (keys[p] > peak) peak = keys[p];
    if (!imageRegions) {
      this.normals.addAll(keys, pixels);
      return { peak: keyScore(peak), regions: 0 };
    }
    const { labels, sizes } = imageRegions;
    let defects = 0;
    for (let p = 0; p < pixels; p++) if (labels[p] !== 0) defects++;
    // Normal pixels' keys move to the front of `keys`, defect pixels' to their own arrays.
    const defectKeys = new Uint32Array(defects);
    const defectSizes = new Uint32Array(defects);
    let normal = 0;
    for (let p = 0, d = 0; p < pixels; p++) {
      if (labels[p] === 0) keys[normal++] = keys[p];
      else {
        defectKeys[d] = keys[p];
        defectSizes[d++] = sizes[labels[p]];
      }
    }
    this.normals.addAll(keys, normal);
    this.push(countScores(defectKeys, defectSizes));
    this.regionCount += imageRegions.count;
    return { peak: keyScore(peak), regions: imageRegions.count };
  }

  /** Counts the included pixels only, as an image of those pixels: a defect outside the regions is no region to find. */
  private addIncluded(map: Float32Array, mask: Uint8Array, width: number, height: number, included: Uint8Array): ImageCounted {
    if (included.length !== map.length) throw new RangeError(`the included pixels must cover one ${width}×${height} image, got ${included.length} values`);
    const kept = mask.map((value, p) => (included[p] ? value : 0));
    const imageRegions = hasDefect(kept) ? connectedRegions(kept, width, height) : null;
    const keys = new Uint32Array(map.length);
    scoreKeys(map, keys);
    let peak = 0;
    let normal = 0;
    const defectKeys: number[] = [];
    const defectSizes: number[] = [];
    for (let p = 0; p < map.length; p++) {
      if (!included[p]) continue;
      if (keys[p] > peak) peak = keys[p];
      const label = imageRegions ? imageRegions.labels[p] : 0;
      if (label === 0) keys[normal++] = keys[p];
      else {
        defectKeys.push(keys[p]);
        defectSizes.push(imageRegions!.sizes[label]);
      }
    }
    this.normals.addAll(keys, normal);
    if (defectKeys.length > 0) this.push(countScores(Uint32Array.from(defectKeys), Uint32Array.from(defectSizes)));
    this.regionCount += imageRegions?.count ?? 0;
    return { peak: keyScore(peak), regions: imageRegions?.count ?? 0 };
  }

  /** The pixels of every image so far, from the highest score down. */
  scores(): ScoreWalk {
    return CountsAccumulator.scoresOf([this]);
  }

  /** The pixels of several sets of images together, from the highest score down; the sets are left as they were. */
  static scoresOf(sets: readonly CountsAccumulator[]): ScoreWalk {
    const normals = sets.map((set) => set.normals);
    const { keys, regionSizes, counts } = sets.map((set) => set.defects()).reduce(mergeCounts, emptyCounts);
    let positives = 0;
    for (let i = 0; i < counts.length; i++) positives += counts[i];
    return {
      positives,
      negatives: normals.reduce((sum, set) => sum + set.total, 0),
      descending(visit) {
        const batch = { length: 0, keys: new Uint32Array(KEY_BUCKET_SIZE), defects: new Float64Array(KEY_BUCKET_SIZE), normals: new Float64Array(KEY_BUCKET_SIZE), overlap: new Float64Array(KEY_BUCKET_SIZE) };
        const flush = (): void => {
          if (batch.length > 0) visit(batch);
          batch.length = 0;
        };
        const put = (key: number, defects: number, normalCount: number, overlap: number): void => {
          if (batch.length === KEY_BUCKET_SIZE) flush();
          const at = batch.length++;
          batch.keys[at] = key;
          batch.defects[at] = defects;
          batch.normals[at] = normalCount;
          batch.overlap[at] = overlap;
        };
        /** Adds the key of the defect entries ending at `end` with its `normalCount`; returns where they start. */
        const takeDefects = (end: number, normalCount: number): number => {
          const key = keys[end - 1];
          let start = end - 1;
          while (start > 0 && keys[start - 1] === key) start--;
          let defects = 0;
          let overlap = 0;
          for (let i = start; i < end; i++) {
            defects += counts[i];
            overlap += counts[i] / regionSizes[i];
          }
          put(key, defects, normalCount, overlap);
          return start;
        };
        // Normal pixels between two defect scores move every figure as one step of the FPR, so
        // they are read as one entry at the lowest key of their span, which every one of them
        // reaches and no pixel below the span does: a bucket without defect scores (nearly all
        // of them) is one entry, read from its total without touching its keys.
        const cuts = new Uint16Array(KEY_BUCKET_SIZE);
        const at = new Float64Array(KEY_BUCKET_SIZE);
        const above = new Float64Array(KEY_BUCKET_SIZE);
        let d = keys.length;
        for (let bucket = KEY_BUCKETS - 1; bucket >= 0; bucket--) {
          const high = (bucket << 16) >>> 0;
          if (d === 0 || keys[d - 1] >>> 16 !== bucket) {
            const total = KeyCounts.bucketTotal(normals, bucket);
            if (total > 0) put(high, 0, total, 0);
            continue;
          }
          let n = 0;
          for (let i = d; i > 0 && keys[i - 1] >>> 16 === bucket; i--) {
            const low = keys[i - 1] & 0xffff;
            if (n === 0 || cuts[n - 1] !== low) cuts[n++] = low;
          }
          const below = KeyCounts.cut(normals, bucket, cuts, n, at, above);
          for (let i = 0; i < n; i++) {
            if (above[i] > 0) put((high | (cuts[i] + 1)) >>> 0, 0, above[i], 0);
            d = takeDefects(d, at[i]);
          }
          if (below > 0) put(high, 0, below, 0);
        }
        flush();
      },
    };
  }

  /** The defect pixels' runs merged into one. */
  private defects(): ScoreCounts {
    while (this.runs.length > 1) this.mergeTopTwo();
    return this.runs[0] ?? emptyCounts;
  }

  private push(run: ScoreCounts): void {
    const { runs } = this;
    runs.push(run);
    while (runs.length > 1 && runs[runs.length - 2].keys.length <= 2 * runs[runs.length - 1].keys.length) this.mergeTopTwo();
  }

  private mergeTopTwo(): void {
    const top = this.runs.pop() as ScoreCounts;
    this.runs.push(mergeCounts(this.runs.pop() as ScoreCounts, top));
  }
}

export function createCountsAccumulator(): CountsAccumulator {
  return new CountsAccumulator();
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
        pixel: pixelFigures(counts.scores(), counts.regions, maxCurvePoints),
      };
    },
  };
}

/** Whether any pixel of the mask marks a defect. */
export function hasDefect(mask: Uint8Array): boolean {
  for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) return true;
  return false;
}
