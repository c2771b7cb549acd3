/**
 * A trained condensation of one class: what inference and calibration need, in plain typed
 * arrays (structured-clone and safetensors friendly).
 */
import type { Matrix } from '../tensor';
import type { CondensationVariant } from './batch';
import type { Whitening } from './whitening';

export interface CondensationModel {
  readonly variant: CondensationVariant;
  /** [K, D] all K etalons, original feature units; only those marked in `valid` count. */
  readonly etalons: Matrix;
  /** [K] Laplace scale τ_k, in the scaled whitened distance units of training (100/√D · whitened). */
  readonly tau: Float32Array;
  /** [K] 1: the etalon's support ended above the threshold and it is the nearest of some training point. */
  readonly valid: Uint8Array;
  /** [K] final running support s_t(k), points per batch. */
  readonly support: Float32Array;
  /** The whitening training used (median and std per dimension). */
  readonly whitening: Whitening;
}

export function validEtalonCount(model: Pick<CondensationModel, 'valid'>): number {
  let count = 0;
  for (const v of model.valid) count += v;
  return count;
}
