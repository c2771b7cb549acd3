/**
 * Training labels per backbone patch from a per-pixel label mask (paper §3.3, official
 * majority_vote_patch_label_selection): a patch takes its most frequent class when that class
 * covers at least `minFraction` of its pixels; mixed patches are ignored, because they pull
 * the condensation's etalons toward class boundaries.
 */
import type { GridSize } from './geometry';
import { IGNORE_LABEL } from './labels';

/** Class ids per pixel, [height, width] row-major, at the backbone's input size. */
export interface LabelMask {
  readonly dims: readonly [height: number, width: number];
  readonly data: Uint8Array | Int32Array;
}

export interface PatchLabelOptions {
  /** Pixels per patch side (the backbone's patch size divided by any feature up-sampling). Default 14. */
  patchSize?: number;
  /** Share of a patch's pixels its majority class must cover. Default 0.9, the official PATCH_MAJORITY_VOTE_THR. */
  minFraction?: number;
  /**
   * A mask value meaning "not annotated". Such pixels still count in the patch's pixel total
   * (as in the official code), so they dilute the majority; a patch whose majority they are is ignored.
   */
  ignoreValue?: number;
}

export interface PatchLabels {
  /** One label per patch [h·w], row-major: a class id from the mask, or IGNORE_LABEL. */
  readonly labels: Int32Array;
  readonly grid: GridSize;
}

export function patchLabels(mask: LabelMask, options: PatchLabelOptions = {}): PatchLabels {
  const { patchSize = 14, minFraction = 0.9, ignoreValue } = options;
  const [height, width] = mask.dims;
  if (!Number.isInteger(patchSize) || patchSize < 1) throw new RangeError(`patchLabels: patchSize must be a positive integer, got ${patchSize}`);
  if (!(minFraction > 0 && minFraction <= 1)) throw new RangeError(`patchLabels: minFraction must be in (0, 1], got ${minFraction}`);
  if (height < 1 || width < 1 || height % patchSize !== 0 || width % patchSize !== 0) {
    throw new RangeError(`patchLabels: mask [${height}, ${width}] must be a positive multiple of the patch size ${patchSize} on both sides`);
  }
  if (mask.data.length !== height * width) throw new RangeError(`patchLabels: mask [${height}, ${width}] needs ${height * width} values, got ${mask.data.length}`);

  const grid = { height: height / patchSize, width: width / patchSize };
  const labels = new Int32Array(grid.height * grid.width);
  const pixels = patchSize * patchSize;
  const counts = new Map<number, number>();
  for (let py = 0; py < grid.height; py++) {
    for (let px = 0; px < grid.width; px++) {
      counts.clear();
      for (let y = py * patchSize; y < (py + 1) * patchSize; y++) {
        for (let x = px * patchSize; x < (px + 1) * patchSize; x++) {
          const v = mask.data[y * width + x];
          counts.set(v, (counts.get(v) ?? 0) + 1);
        }
      }
      let best = 0;
      let bestCount = 0;
      // Ties go to the smaller id, as torch.max over the sorted unique labels does.
      for (const [v, n] of counts) {
        if (n > bestCount || (n === bestCount && v < best)) {
          best = v;
          bestCount = n;
        }
      }
      const clear = bestCount / pixels >= minFraction && best !== ignoreValue;
      labels[py * grid.width + px] = clear ? best : IGNORE_LABEL;
    }
  }
  return { labels, grid };
}
