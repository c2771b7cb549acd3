/**
 * The ONNX graph of one condensation batch step (the contract of src/core/condensation/batch.ts)
 * for ONNX Runtime's wasm backend. The two GEMM-shaped products (distances and the etalon
 * gradient) are Gemm nodes; the softmin, loss and gradient coefficients are element-wise passes
 * over [B, K], kept few because each one streams the whole matrix through memory.
 *
 * Inputs: points [B, D] (B dynamic: the last batch of an epoch may be short), etalons [K, D],
 * theta [K], active [K] (1 live, 0 masked, as float), beta [] (scalar).
 * Outputs: loss [], gradEtalons [K, D], gradTheta [K], support [K].
 */
import { distanceScale, type CondensationVariant } from '../../core/condensation/batch';
import { attr } from '../../core/formats/onnxWriter';
import { FloatGraph } from './graph';

export interface CondensationGraphShape {
  readonly variant: CondensationVariant;
  /** Feature dimension D. */
  readonly dim: number;
  /** Etalon count K, masked ones included. */
  readonly etalons: number;
}

/**
 * Squared scaled distance given to masked etalons: their softmin weight exp(−β·(10¹⁵ − s_min))
 * underflows to exactly 0 for any β above 1e-13, so they take no weight, loss, gradient or
 * support, as in the reference, without a separate masking pass over [B, K]. It fails only
 * when every etalon is masked, which the step handles before running the graph.
 */
const MASKED_SQUARED_DISTANCE = 1e30;

/** The dependency-free ONNX model (bytes) of one batch step for this variant and shape. */
export function condensationGraph({ variant, dim, etalons: k }: CondensationGraphShape): Uint8Array {
  for (const [name, value] of [['dim', dim], ['etalons', k]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`condensation graph ${name} must be a positive integer, got ${value}`);
  }
  const g = new FloatGraph();
  const x = g.input('points', ['B', dim]);
  const c = g.input('etalons', [k, dim]);
  const theta = g.input('theta', [k]);
  const active = g.input('active', [k]);
  const beta = g.input('beta', []);
  const scale = distanceScale(dim);
  const scale2 = g.scalar('scale2', scale * scale);

  // s = scale·‖x − c‖ = √max(0, scale²‖x‖² + scale²‖c‖² − 2·scale²·x·c): the norms ride in the
  // Gemm's bias and one broadcast add, the clamp is a Relu.
  const masked = g.sub(g.scalar('one', 1), active);
  const etalonBias = g.add(g.mul(g.sumSquares(c, 1, false), scale2), g.mul(masked, g.scalar('maskedDistance', MASKED_SQUARED_DISTANCE)));
  const cross = g.op('Gemm', [x, c, etalonBias], { alpha: attr.float(-2 * scale * scale), transB: attr.int(1) });
  const s = g.op('Sqrt', [g.op('Relu', [g.add(cross, g.mul(g.sumSquares(x, 1, true), scale2))])]);
  const w = g.op('Softmax', [g.mul(s, g.op('Neg', [beta]))], { axis: attr.int(1) });

  // Everything per etalon below is scaled by scale²/B once, on [K]- or [B, 1]-sized values:
  // coef = ∂(loss)/∂s · scale² / (B·s), the factor of (c − x) in the etalon gradient.
  const perPoint = g.op('Reciprocal', [g.rows(x)]);
  const coefScale = g.mul(scale2, perPoint);
  const betaScaled = g.mul(beta, coefScale);
  const terms = variantTerms(g, variant, { s, w, theta, perPoint, coefScale, betaScaled });

  const coef = g.op('Where', [g.op('Greater', [s, g.scalar('zero', 0)]), g.div(terms.gradS, s), g.scalar('noGradient', 0)]);
  // Σ_i coef_ik (c_k − x_i) = (Σ_i coef_ik)·c_k − (coefᵀX)_k: one Gemm with the first term as its bias.
  const gradEtalons = g.op('Gemm', [coef, x, g.mul(g.column(g.sum(coef, 0, false)), c)], { alpha: attr.float(-1), transA: attr.int(1) });

  g.output(g.op('ReduceMean', [terms.pointLoss], { keepdims: attr.int(0) }), 'loss', []);
  g.output(gradEtalons, 'gradEtalons', [k, dim]);
  g.output(terms.gradTheta ?? g.constant('noTheta', [k], new Float32Array(k)), 'gradTheta', [k]);
  g.output(terms.support, 'support', [k]);
  return g.bytes(`condensation_${variant}_${dim}x${k}`);
}

interface SoftminValues {
  /** [B, K] scaled distances. */
  readonly s: string;
  /** [B, K] softmin weights. */
  readonly w: string;
  readonly theta: string;
  /** [1] 1/B. */
  readonly perPoint: string;
  /** [1] scale²/B. */
  readonly coefScale: string;
  /** [1] β·scale²/B. */
  readonly betaScaled: string;
}

interface VariantTerms {
  /** [B, 1] loss of each point, Σ_k w·f. */
  readonly pointLoss: string;
  /** [B, K] ∂(Σ_i loss_i)/∂s · scale²/B, through f and through the softmin. */
  readonly gradS: string;
  /** [K] Σ_i w. */
  readonly support: string;
  /** [K] ∂loss/∂θ; null where the variant has no θ. */
  readonly gradTheta: string | null;
}

/**
 * The loss f(s, τ) of each variant and its gradient through the softmin,
 * ∂/∂s_k = w_k·(f′_k − β·(f_k − loss)), in the reference's order: f − loss is a small difference
 * of two values of size f for the dominant etalons, and forming it first keeps float32's error
 * there at about ε·|f| (expanding the product instead costs several times that).
 */
function variantTerms(g: FloatGraph, variant: CondensationVariant, v: SoftminValues): VariantTerms {
  const { s, w, theta, perPoint, coefScale, betaScaled } = v;
  const support = g.sum(w, 0, false);
  const softmin = (f: string, slopeScaled: string): Pick<VariantTerms, 'pointLoss' | 'gradS'> => {
    const pointLoss = g.sum(g.mul(w, f), 1, true);
    const gradS = g.mul(w, g.sub(slopeScaled, g.mul(g.sub(f, pointLoss), betaScaled)));
    return { pointLoss, gradS };
  };
  switch (variant) {
    case 'softKMeans':
      // f = s², f′ = 2s.
      return { ...softmin(g.mul(s, s), g.mul(s, g.mul(g.scalar('two', 2), coefScale))), support, gradTheta: null };
    case 'softKMedians':
      // f = s, f′ = 1.
      return { ...softmin(s, coefScale), support, gradTheta: null };
    case 'condensation': {
      // f = s/τ + log τ (−log Laplace), f′ = 1/τ, with τ = 100·σ(θ/2) + 0.01 (tau.ts).
      const sigmoid = g.op('Sigmoid', [g.mul(theta, g.scalar('half', 0.5))]);
      const tau = g.add(g.mul(sigmoid, g.scalar('tauRange', 100)), g.scalar('tauFloor', 0.01));
      const invTau = g.op('Reciprocal', [tau]);
      const terms = softmin(g.add(g.mul(s, invTau), g.op('Log', [tau])), g.mul(invTau, coefScale));
      // ∂/∂τ Σ_i w·f = Σ_i w·(1 − s/τ)/τ = (support − Σ_i w·s / τ)/τ; dτ/dθ = 50·σ·(1 − σ).
      const gradTau = g.mul(invTau, g.sub(support, g.mul(invTau, g.sum(g.mul(w, s), 0, false))));
      const tauSlope = g.mul(g.mul(sigmoid, g.sub(g.scalar('one', 1), sigmoid)), g.scalar('slopeScale', 50));
      return { ...terms, support, gradTheta: g.mul(g.mul(gradTau, tauSlope), perPoint) };
    }
  }
}
