/**
 * Multivariate normal densities in the calibration's projection spaces, which have one or two
 * dimensions, so the inverse and determinant are written out in closed form.
 */
export interface Gaussian {
  /** [P] mean. */
  readonly mean: Float64Array;
  /** [P, P] covariance, row-major. */
  readonly cov: Float64Array;
}

/** What a log density needs, derived once from a Gaussian. */
export interface GaussianForm {
  readonly mean: Float64Array;
  /** [P, P] inverse covariance, row-major. */
  readonly precision: Float64Array;
  /** log of the density's normalising constant: −(P/2)·log 2π − ½·log det Σ. */
  readonly logNormaliser: number;
}

/**
 * Mean and unbiased covariance (divisor N − 1, as numpy.cov, which the official fit uses) of
 * N points of P dims.
 * @param points [N, P] row-major
 */
export function fitGaussian(points: Float64Array, dims: number): Gaussian {
  const n = points.length / dims;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`a Gaussian fit needs at least 2 points of ${dims} dims, got ${points.length} values`);
  const mean = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let a = 0; a < dims; a++) mean[a] += points[i * dims + a];
  for (let a = 0; a < dims; a++) mean[a] /= n;
  const cov = new Float64Array(dims * dims);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dims; a++) {
      const da = points[i * dims + a] - mean[a];
      for (let b = 0; b < dims; b++) cov[a * dims + b] += da * (points[i * dims + b] - mean[b]);
    }
  }
  for (let k = 0; k < cov.length; k++) cov[k] /= n - 1;
  return { mean, cov };
}

export function gaussianForm({ mean, cov }: Gaussian): GaussianForm {
  const dims = mean.length;
  let det: number;
  let precision: Float64Array;
  if (dims === 1) {
    det = cov[0];
    precision = Float64Array.of(1 / det);
  } else if (dims === 2) {
    const [a, b, c, d] = cov;
    det = a * d - b * c;
    precision = Float64Array.of(d / det, -b / det, -c / det, a / det);
  } else {
    throw new RangeError(`projection spaces have 1 or 2 dims, got ${dims}`);
  }
  if (!(det > 0 && cov[0] > 0)) {
    throw new RangeError(`covariance [${Array.from(cov).join(', ')}] is not positive definite: the points are degenerate`);
  }
  return { mean, precision, logNormaliser: -0.5 * (dims * Math.log(2 * Math.PI) + Math.log(det)) };
}

/** log p(z) under the Gaussian; z has the form's dims. */
export function logDensity({ mean, precision, logNormaliser }: GaussianForm, z: ArrayLike<number>): number {
  const dims = mean.length;
  let mahalanobis = 0;
  for (let a = 0; a < dims; a++) {
    const da = z[a] - mean[a];
    for (let b = 0; b < dims; b++) mahalanobis += da * precision[a * dims + b] * (z[b] - mean[b]);
  }
  return logNormaliser - 0.5 * mahalanobis;
}
