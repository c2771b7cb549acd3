import { quantileLinear } from './quantile';
import type { SpaceDims } from './projection';

const SCALE_QUANTILE = 0.9;
// Official divisors of the mean per-class 90% quantile: broad in logits, narrower in similarity.
const LOGIT_DIVISOR = 4;
const SIM_DIVISOR = 8;

/**
 * Covariance of the broad zero-mean OOD Gaussian: diag(σ²), σ_axis = (mean over classes of the
 * class's 90% quantile, numpy 'linear' definition, on that axis) / divisor, with divisor 4 for
 * logits and 8 for similarity. The official code estimates this covariance from 10,000 normal
 * samples with these σ; this is the value those samples estimate, without sampling noise.
 * @param classPoints per class, its training points in its projection space, [N_c, P] row-major
 * @returns [P, P] row-major
 */
export function analyticOodCovariance(classPoints: readonly Float64Array[], dims: SpaceDims): Float64Array {
  if (classPoints.length === 0) throw new RangeError('the OOD covariance needs at least one class');
  const divisors = dims === 2 ? [LOGIT_DIVISOR, SIM_DIVISOR] : [SIM_DIVISOR];
  const cov = new Float64Array(dims * dims);
  for (let axis = 0; axis < dims; axis++) {
    let meanQuantile = 0;
    for (const points of classPoints) {
      const values = new Float64Array(points.length / dims);
      for (let i = 0; i < values.length; i++) values[i] = points[i * dims + axis];
      meanQuantile += quantileLinear(values, SCALE_QUANTILE) / classPoints.length;
    }
    cov[axis * dims + axis] = (meanQuantile / divisors[axis]) ** 2;
  }
  return cov;
}
