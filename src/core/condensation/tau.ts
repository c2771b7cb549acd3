/**
 * The Laplace scale τ_k of each etalon (Eq. 10), trained through an unbounded parameter θ_k:
 * τ = sigmoid(θ / 2) · 100 + 0.01, so τ stays in (0.01, 100.01) whatever the optimiser does.
 * τ is in the units of the scaled whitened distance that the loss sees (see batch.ts).
 */
const TAU_RANGE = 100;
const TAU_FLOOR = 0.01;
const SIGMOID_TEMPERATURE = 2;

export function tauFromTheta(theta: number): number {
  return TAU_RANGE / (1 + Math.exp(-theta / SIGMOID_TEMPERATURE)) + TAU_FLOOR;
}

/** dτ/dθ at θ. */
export function tauSlope(theta: number): number {
  const s = 1 / (1 + Math.exp(-theta / SIGMOID_TEMPERATURE));
  return (TAU_RANGE * s * (1 - s)) / SIGMOID_TEMPERATURE;
}

/**
 * The θ that the official code starts from for a wanted τ in (0, 100): it inverts the sigmoid
 * without the 0.01 floor, so τ = 10 starts as 10.01.
 */
export function thetaForTau(tau: number): number {
  if (!(tau > 0 && tau < TAU_RANGE)) throw new RangeError(`initial τ must lie in (0, ${TAU_RANGE}), got ${tau}`);
  const p = tau / TAU_RANGE;
  return SIGMOID_TEMPERATURE * Math.log(p / (1 - p));
}

