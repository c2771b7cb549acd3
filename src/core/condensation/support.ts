/**
 * Running support of each etalon (§3.1 Re-Inits, Eq. 18) and the re-init threshold.
 *
 * s_t(k) is an exponentially weighted mean of the batch supports s(k) of Eq. 17, with the
 * init-bias correction q_t = q / (1 − (1 − q)^t); the batch size gets the same running mean.
 * The threshold is relative, (running batch size / K) · factor: the support an etalon would
 * have if every etalon covered an equal share of the data, times the factor.
 */
export interface SupportState {
  /** [K] s_t(k), in points per batch. */
  readonly support: Float64Array;
  /** Running mean of the batch size, in points. */
  batchSize: number;
  /** Batches seen, t of Eq. 18. */
  steps: number;
}

/** The official start: every support and the batch size at 1, before any batch. */
export function createSupportState(k: number): SupportState {
  return { support: new Float64Array(k).fill(1), batchSize: 1, steps: 0 };
}

/** Folds in one batch: its supports [K] (Eq. 17) and its size, at decay rate q. */
export function updateSupport(state: SupportState, batchSupport: Float32Array, batchSize: number, decay: number): void {
  if (batchSupport.length !== state.support.length) {
    throw new RangeError(`support has ${state.support.length} etalons, batch support ${batchSupport.length}`);
  }
  state.steps += 1;
  const q = decay / (1 - (1 - decay) ** state.steps);
  for (let j = 0; j < state.support.length; j++) state.support[j] = (1 - q) * state.support[j] + q * batchSupport[j];
  state.batchSize = (1 - q) * state.batchSize + q * batchSize;
}

/** The re-init threshold θ_r, in points per batch. */
export function reinitThreshold(state: SupportState, factor: number): number {
  return (state.batchSize / state.support.length) * factor;
}

/** [K] 1 where the support is above the threshold: the etalons that take part in the softmin. */
export function supportedEtalons(state: SupportState, factor: number): Uint8Array {
  const threshold = reinitThreshold(state, factor);
  return Uint8Array.from(state.support, (s) => (s > threshold ? 1 : 0));
}
