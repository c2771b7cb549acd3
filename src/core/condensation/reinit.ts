/**
 * Etalon re-initialisation (§3.1 Re-Inits): an etalon whose running support fell below the
 * threshold sits where little data is, so it moves onto a random point of the current batch,
 * plus noise far below the data's scale so that no two etalons coincide.
 */
import type { Rng } from '../rng';
import type { Matrix } from '../tensor';
import { reinitThreshold, type SupportState } from './support';

/** Offsets of the new etalons are uniform in [0, NOISE/√D) per coordinate, whitened units. */
const NOISE = 1e-6;
/** A re-initialised etalon starts just above the threshold, so it is not masked straight away. */
const FRESH_SUPPORT = 1.1;

/**
 * Moves every etalon [K, D] under the threshold onto a random row of `batch` [B, D] (both
 * whitened) and raises its support to just above the threshold. Returns how many moved.
 * The optimiser's moments and the etalon's τ stay as they are, as in the official code.
 */
export function reinitEtalons(etalons: Matrix, state: SupportState, batch: Matrix, factor: number, rng: Rng): number {
  const [k, d] = etalons.dims;
  const [b] = batch.dims;
  if (batch.dims[1] !== d) throw new RangeError(`batch is ${batch.dims[1]}-D, etalons are ${d}-D`);
  if (b === 0) return 0;
  const threshold = reinitThreshold(state, factor);
  const noise = NOISE / Math.sqrt(d);
  let moved = 0;
  for (let j = 0; j < k; j++) {
    if (!(state.support[j] < threshold)) continue;
    const source = rng.int(b) * d;
    for (let t = 0; t < d; t++) etalons.data[j * d + t] = batch.data[source + t] + noise * rng.uniform();
    state.support[j] = FRESH_SUPPORT * threshold;
    moved += 1;
  }
  return moved;
}
