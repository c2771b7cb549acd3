/**
 * One mini-batch of the condensation objective (§3.1): loss, analytic gradients and support.
 * This is the heavy part of training; GPU and CPU kernels implement this same contract.
 *
 * For a point x_i and the active etalons c_k, with s_ik = (100/√D)·‖x_i − c_k‖ (whitened units):
 *   w_ik = softmax_k(−β · s_ik)                                  softmin, Eq. 9
 *   loss = (1/B) Σ_i Σ_k w_ik · f(s_ik, τ_k)                      Eqs. 6, 8, 10
 * with f = s² (soft k-means), s (soft k-medians) or s/τ + log τ (condensation: −log Laplace).
 * Gradients flow through w as well as through f. Three passes, each a kernel's shape: distances
 * (a GEMM), the softmin terms per point (element-wise over [B, K]), the etalon gradient (a GEMM).
 */
import { matrix, type Matrix } from '../tensor';
import { tauFromTheta, tauSlope } from './tau';

export type CondensationVariant = 'softKMeans' | 'softKMedians' | 'condensation';

export interface CondensationBatchInput {
  /** [B, D] batch points, whitened. */
  readonly points: Matrix;
  /** [K, D] etalons, whitened. */
  readonly etalons: Matrix;
  /** [K] raw scale parameters θ_k (τ_k = tauFromTheta(θ_k)). */
  readonly theta: Float32Array;
  /** [K] 1: the etalon takes part in the softmin; 0: masked, no weight and no gradient. */
  readonly active: Uint8Array;
  /** Softmin sharpness: 0.5 is soft, 2 is nearly hard. */
  readonly beta: number;
  readonly variant: CondensationVariant;
}

export interface CondensationBatchResult {
  /** Mean over the batch of the per-point loss. */
  readonly loss: number;
  /** [K, D] ∂loss/∂etalons (whitened units). */
  readonly gradEtalons: Matrix;
  /** [K] ∂loss/∂θ. */
  readonly gradTheta: Float32Array;
  /** [K] s(k) of Eq. 17: the batch's soft count of points per etalon (sums to B over active etalons). */
  readonly support: Float32Array;
}

/** A batch step: this reference or a kernel with the same contract. */
export type CondensationStep = (input: CondensationBatchInput) => CondensationBatchResult | Promise<CondensationBatchResult>;

/**
 * Factor from whitened Euclidean distance to the distance the loss sees: 100/√D keeps β and τ
 * in a useful range whatever the feature dimension.
 */
export function distanceScale(dim: number): number {
  return 100 / Math.sqrt(dim);
}

export function condensationBatch(input: CondensationBatchInput): CondensationBatchResult {
  const { points, etalons, theta, active, beta, variant } = input;
  const [b, d] = points.dims;
  const [k] = etalons.dims;
  if (etalons.dims[1] !== d) throw new RangeError(`etalons are ${etalons.dims[1]}-D, points are ${d}-D`);
  if (theta.length !== k || active.length !== k) {
    throw new RangeError(`${k} etalons need ${k} θ and ${k} mask entries, got ${theta.length} and ${active.length}`);
  }
  const live: number[] = [];
  for (let j = 0; j < k; j++) if (active[j]) live.push(j);

  const distance = pairwiseDistances(points, etalons, live);
  const { loss, coef, gradTau, support } = softminTerms(distance, b, k, live, theta, beta, distanceScale(d), variant);
  const gradEtalons = etalonGradient(points, etalons, live, coef);

  const perPoint = b > 0 ? 1 / b : 0;
  const gradTheta = new Float32Array(k);
  for (const j of live) gradTheta[j] = gradTau[j] * tauSlope(theta[j]) * perPoint;
  return {
    loss: loss * perPoint,
    gradEtalons: matrix(k, d, Float32Array.from(gradEtalons, (g) => g * perPoint)),
    gradTheta,
    support: Float32Array.from(support),
  };
}

/**
 * [B, K] Euclidean distances (whitened units) from the points to the live etalons, as
 * √max(0, ‖x‖² + ‖c‖² − 2x·c); entries of masked etalons stay 0 and are never read.
 */
function pairwiseDistances(points: Matrix, etalons: Matrix, live: readonly number[]): Float64Array {
  const [b, d] = points.dims;
  const [k] = etalons.dims;
  const x = points.data;
  const c = etalons.data;
  const etalonNorms = new Float64Array(k);
  for (const j of live) etalonNorms[j] = squaredNorm(c, j * d, d);
  const out = new Float64Array(b * k);
  // Four etalons per pass over a point: each point coordinate is loaded once for four products.
  const blocked = live.length - (live.length % 4);
  for (let i = 0; i < b; i++) {
    const xi = i * d;
    const pointNorm = squaredNorm(x, xi, d);
    const row = i * k;
    for (let n = 0; n < live.length; n += 4) {
      if (n < blocked) {
        const j0 = live[n];
        const j1 = live[n + 1];
        const j2 = live[n + 2];
        const j3 = live[n + 3];
        const c0 = j0 * d;
        const c1 = j1 * d;
        const c2 = j2 * d;
        const c3 = j3 * d;
        let dot0 = 0;
        let dot1 = 0;
        let dot2 = 0;
        let dot3 = 0;
        for (let t = 0; t < d; t++) {
          const v = x[xi + t];
          dot0 += v * c[c0 + t];
          dot1 += v * c[c1 + t];
          dot2 += v * c[c2 + t];
          dot3 += v * c[c3 + t];
        }
        out[row + j0] = Math.sqrt(Math.max(0, pointNorm + etalonNorms[j0] - 2 * dot0));
        out[row + j1] = Math.sqrt(Math.max(0, pointNorm + etalonNorms[j1] - 2 * dot1));
        out[row + j2] = Math.sqrt(Math.max(0, pointNorm + etalonNorms[j2] - 2 * dot2));
        out[row + j3] = Math.sqrt(Math.max(0, pointNorm + etalonNorms[j3] - 2 * dot3));
      } else {
        for (let m = n; m < live.length; m++) {
          const j = live[m];
          let dot = 0;
          for (let t = 0; t < d; t++) dot += x[xi + t] * c[j * d + t];
          out[row + j] = Math.sqrt(Math.max(0, pointNorm + etalonNorms[j] - 2 * dot));
        }
      }
    }
  }
  return out;
}

interface SoftminTerms {
  /** Σ_i of the per-point loss. */
  readonly loss: number;
  /** [B, K] ∂(Σ_i loss_i)/∂c_k = Σ_i coef_ik (c_k − x_i); 0 where the distance is 0 (torch.cdist's convention). */
  readonly coef: Float64Array;
  /** [K] ∂(Σ_i loss_i)/∂τ_k. */
  readonly gradTau: Float64Array;
  /** [K] Σ_i w_ik. */
  readonly support: Float64Array;
}

/** The softmin weights of each point and everything the gradients need from them, per point. */
function softminTerms(
  distance: Float64Array,
  b: number,
  k: number,
  live: readonly number[],
  theta: Float32Array,
  beta: number,
  scale: number,
  variant: CondensationVariant,
): SoftminTerms {
  const tau = new Float64Array(k);
  const logTau = new Float64Array(k);
  for (const j of live) {
    tau[j] = tauFromTheta(theta[j]);
    logTau[j] = Math.log(tau[j]);
  }
  const kmeans = variant === 'softKMeans';
  const kmedians = variant === 'softKMedians';
  const coef = new Float64Array(b * k);
  const gradTau = new Float64Array(k);
  const support = new Float64Array(k);
  const weight = new Float64Array(k);
  const pointLoss = new Float64Array(k);
  let lossSum = 0;
  if (live.length === 0) return { loss: 0, coef, gradTau, support };

  for (let i = 0; i < b; i++) {
    const row = i * k;
    let nearest = Infinity;
    for (const j of live) nearest = Math.min(nearest, distance[row + j]);
    let total = 0;
    for (const j of live) {
      weight[j] = Math.exp(-beta * scale * (distance[row + j] - nearest));
      total += weight[j];
    }
    let loss = 0;
    for (const j of live) {
      weight[j] /= total;
      const s = scale * distance[row + j];
      pointLoss[j] = kmeans ? s * s : kmedians ? s : s / tau[j] + logTau[j];
      loss += weight[j] * pointLoss[j];
    }
    lossSum += loss;

    for (const j of live) {
      const w = weight[j];
      const r = distance[row + j];
      const s = scale * r;
      support[j] += w;
      const slope = kmeans ? 2 * s : kmedians ? 1 : 1 / tau[j];
      // Through f directly, and through the softmin: ∂w_m/∂s_j = −β w_m (δ_mj − w_j).
      const gradS = w * (slope - beta * (pointLoss[j] - loss));
      if (!kmeans && !kmedians) gradTau[j] += (w * (1 - s / tau[j])) / tau[j];
      if (r > 0) coef[row + j] = (gradS * scale) / r;
    }
  }
  return { loss: lossSum, coef, gradTau, support };
}

/** [K, D] Σ_i coef_ik (c_k − x_i): a GEMM-shaped reduction over the batch, four points per pass. */
function etalonGradient(points: Matrix, etalons: Matrix, live: readonly number[], coef: Float64Array): Float64Array {
  const [b, d] = points.dims;
  const [k] = etalons.dims;
  const x = points.data;
  const c = etalons.data;
  const grad = new Float64Array(k * d);
  const acc = new Float64Array(d);
  const blocked = b - (b % 4);
  for (const j of live) {
    acc.fill(0);
    let coefSum = 0;
    for (let i = 0; i < blocked; i += 4) {
      const h0 = coef[i * k + j];
      const h1 = coef[(i + 1) * k + j];
      const h2 = coef[(i + 2) * k + j];
      const h3 = coef[(i + 3) * k + j];
      coefSum += h0 + h1 + h2 + h3;
      const x0 = i * d;
      const x1 = x0 + d;
      const x2 = x1 + d;
      const x3 = x2 + d;
      for (let t = 0; t < d; t++) acc[t] += h0 * x[x0 + t] + h1 * x[x1 + t] + h2 * x[x2 + t] + h3 * x[x3 + t];
    }
    for (let i = blocked; i < b; i++) {
      const h = coef[i * k + j];
      coefSum += h;
      for (let t = 0; t < d; t++) acc[t] += h * x[i * d + t];
    }
    for (let t = 0; t < d; t++) grad[j * d + t] = coefSum * c[j * d + t] - acc[t];
  }
  return grad;
}

function squaredNorm(v: Float32Array, offset: number, length: number): number {
  let sum = 0;
  for (let t = 0; t < length; t++) sum += v[offset + t] * v[offset + t];
  return sum;
}
