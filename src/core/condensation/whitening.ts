/**
 * Per-dimension whitening, the frame the official condensation works in: subtract the median
 * and divide by the standard deviation of an initial sample of the class.
 */
import { matrix, type Matrix } from '../tensor';

export interface Whitening {
  /** [D] median of each dimension; for an even count the lower middle value, as torch.median. */
  readonly median: Float32Array;
  /** [D] standard deviation of each dimension, N − 1 in the denominator, as torch.std. */
  readonly std: Float32Array;
}

/** Fits the whitening to `sample` [N, D], N ≥ 2. */
export function fitWhitening(sample: Matrix): Whitening {
  const [n, d] = sample.dims;
  if (n < 2) throw new RangeError(`whitening needs at least 2 sample points, got ${n}`);
  const median = new Float32Array(d);
  const std = new Float32Array(d);
  const column = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      column[i] = sample.data[i * d + j];
      sum += column[i];
    }
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (column[i] - mean) ** 2;
    column.sort();
    median[j] = column[(n - 1) >> 1];
    // A constant dimension carries nothing; a unit scale keeps it finite where torch would give NaN.
    std[j] = squares > 0 ? Math.sqrt(squares / (n - 1)) : 1;
  }
  return { median, std };
}

/** Original feature units → whitened units, [N, D] → [N, D]. */
export function whiten(points: Matrix, w: Whitening): Matrix {
  const [n, d] = points.dims;
  checkDim(d, w);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = (points.data[i * d + j] - w.median[j]) / w.std[j];
  }
  return matrix(n, d, out);
}

/** Whitened units → original feature units, [N, D] → [N, D]. */
export function unwhiten(points: Matrix, w: Whitening): Matrix {
  const [n, d] = points.dims;
  checkDim(d, w);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = points.data[i * d + j] * w.std[j] + w.median[j];
  }
  return matrix(n, d, out);
}

function checkDim(d: number, w: Whitening): void {
  if (w.median.length !== d) throw new RangeError(`whitening is ${w.median.length}-D, points are ${d}-D`);
}
