/**
 * Where condensation starts: an initial sample of the class (it fixes the whitening) and the
 * initial etalons, distinct points of that sample.
 */
import type { Rng } from '../rng';
import { gatherRows, type Matrix } from '../tensor';

/** The whole set [N, D] when it has at most `max` rows, else `max` rows drawn without replacement. */
export function initialSample(points: Matrix, max: number, rng: Rng): Matrix {
  const [n] = points.dims;
  if (n <= max) return points;
  return gatherRows(points, rng.permutation(n).subarray(0, max));
}

/** Offsets of duplicated etalons are uniform in [−SPREAD/2, SPREAD/2) per coordinate, whitened units. */
const SPREAD = 0.1;

/**
 * K etalons [K, D] from `sample` [N, D] (whitened): K distinct rows when N > K; otherwise rows
 * drawn with replacement, each offset by a little noise so that duplicates separate.
 */
export function initialEtalons(sample: Matrix, k: number, rng: Rng): Matrix {
  const [n] = sample.dims;
  if (n === 0) throw new RangeError('initial etalons need at least one sample point');
  if (n > k) return gatherRows(sample, rng.permutation(n).subarray(0, k));
  const etalons = gatherRows(sample, Array.from({ length: k }, () => rng.int(n)));
  for (let i = 0; i < etalons.data.length; i++) etalons.data[i] += SPREAD * (rng.uniform() - 0.5);
  return etalons;
}
