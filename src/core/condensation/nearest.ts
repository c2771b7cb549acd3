/**
 * Nearest etalon of each point, and the distance to it: the condensation's output at
 * inference (the distance axis of PixOOD's projection space) and its final validity check.
 */
import type { Matrix } from '../tensor';
import type { CondensationModel } from './model';

export interface NearestEtalons {
  /** [N] index of the nearest allowed etalon, −1 when none is allowed. */
  readonly index: Int32Array;
  /** [N] Euclidean distance to it, in the units of the inputs; Infinity when none is allowed. */
  readonly distance: Float32Array;
}

/** A search for `nearestEtalons`' answer: the reference below, or a faster implementation of it. */
export type NearestSearch = (points: Matrix, etalons: Matrix, allowed: Uint8Array) => NearestEtalons | Promise<NearestEtalons>;

/** For points [N, D], the nearest of the etalons [K, D] with allowed[k] = 1. */
export function nearestEtalons(points: Matrix, etalons: Matrix, allowed: Uint8Array): NearestEtalons {
  const [n, d] = points.dims;
  const [k] = etalons.dims;
  if (etalons.dims[1] !== d) throw new RangeError(`etalons are ${etalons.dims[1]}-D, points are ${d}-D`);
  if (allowed.length !== k) throw new RangeError(`${k} etalons need ${k} mask entries, got ${allowed.length}`);
  const x = points.data;
  const c = etalons.data;
  const candidates: number[] = [];
  for (let j = 0; j < k; j++) if (allowed[j]) candidates.push(j);
  const etalonNorms = new Float64Array(k);
  for (const j of candidates) {
    let norm = 0;
    for (let t = 0; t < d; t++) norm += c[j * d + t] * c[j * d + t];
    etalonNorms[j] = norm;
  }

  const index = new Int32Array(n).fill(-1);
  const distance = new Float32Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    let pointNorm = 0;
    for (let t = 0; t < d; t++) pointNorm += x[xi + t] * x[xi + t];
    let best = Infinity;
    for (const j of candidates) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += x[xi + t] * c[j * d + t];
      const squared = Math.max(0, pointNorm + etalonNorms[j] - 2 * dot);
      if (squared < best) {
        best = squared;
        index[i] = j;
      }
    }
    distance[i] = Math.sqrt(best);
  }
  return { index, distance };
}

/** [N] Euclidean distance, original feature units, from each point [N, D] to its nearest valid etalon. */
export function nearestValidDistance(model: CondensationModel, points: Matrix): Float32Array {
  return nearestEtalons(points, model.etalons, model.valid).distance;
}
