import { sortByKey } from './radixSort';

/**
 * Pixel counts per distinct (score, size of the ground-truth region the pixel lies in): the
 * exact summary every pixel-level figure is derived from. Counts are integers, so summaries
 * merge exactly and in any order; the region size is what AUPRO needs, since a pixel of a
 * region of s pixels adds 1/s to that region's overlap.
 */
export interface ScoreCounts {
  /** [n] order-preserving score keys (score-key.ts), ascending. */
  readonly keys: Uint32Array;
  /** [n] region size in pixels, 0 for normal pixels; ascending within one key. */
  readonly regionSizes: Uint32Array;
  /** [n] pixels with that score in regions of that size (Float64 so sums never wrap). */
  readonly counts: Float64Array;
}

export const emptyCounts: ScoreCounts = { keys: new Uint32Array(0), regionSizes: new Uint32Array(0), counts: new Float64Array(0) };

/**
 * Counts pixels given their score keys and region sizes ([n] each, one per pixel). Both arrays
 * are reordered in place.
 */
export function countScores(keys: Uint32Array, regionSizes: Uint32Array): ScoreCounts {
  sortByKey(keys, regionSizes);
  const n = keys.length;
  const outKeys = new Uint32Array(n);
  const outSizes = new Uint32Array(n);
  const outCounts = new Float64Array(n);
  let m = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && keys[end] === keys[start]) end++;
    if (end - start > 1) regionSizes.subarray(start, end).sort();
    for (let i = start; i < end; i++) {
      if (m > 0 && outKeys[m - 1] === keys[i] && outSizes[m - 1] === regionSizes[i]) {
        outCounts[m - 1]++;
      } else {
        outKeys[m] = keys[i];
        outSizes[m] = regionSizes[i];
        outCounts[m++] = 1;
      }
    }
    start = end;
  }
  return { keys: outKeys.slice(0, m), regionSizes: outSizes.slice(0, m), counts: outCounts.slice(0, m) };
}

/**
 * The counts of both summaries together, in arrays sized exactly (a first pass counts the shared
 * entries); one of them itself when the other is empty, since summaries are never changed.
 */
export function mergeCounts(a: ScoreCounts, b: ScoreCounts): ScoreCounts {
  if (b.keys.length === 0) return a;
  if (a.keys.length === 0) return b;
  let shared = 0;
  for (let i = 0, j = 0; i < a.keys.length && j < b.keys.length; ) {
    const order = compareEntries(a, i, b, j);
    if (order <= 0) i++;
    if (order >= 0) j++;
    if (order === 0) shared++;
  }
  const m = a.keys.length + b.keys.length - shared;
  const keys = new Uint32Array(m);
  const regionSizes = new Uint32Array(m);
  const counts = new Float64Array(m);
  for (let i = 0, j = 0, at = 0; at < m; at++) {
    const order = i === a.keys.length ? 1 : j === b.keys.length ? -1 : compareEntries(a, i, b, j);
    const from = order <= 0 ? a : b;
    const index = order <= 0 ? i : j;
    keys[at] = from.keys[index];
    regionSizes[at] = from.regionSizes[index];
    counts[at] = (order <= 0 ? a.counts[i++] : 0) + (order >= 0 ? b.counts[j++] : 0);
  }
  return { keys, regionSizes, counts };
}

function compareEntries(a: ScoreCounts, i: number, b: ScoreCounts, j: number): number {
  return a.keys[i] - b.keys[j] || a.regionSizes[i] - b.regionSizes[j];
}
