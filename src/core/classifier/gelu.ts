/**
 * GELU in its exact form, x·Φ(x) with Φ the standard normal CDF (torch.nn.GELU's default,
 * approximate='none'), not the tanh approximation.
 */
import { erfc } from '../erf';

const SQRT1_2 = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Φ(x) through erfc, which keeps its relative accuracy deep in the negative tail. */
function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

export function gelu(x: number): number {
  return x * normalCdf(x);
}

/** d/dx [x·Φ(x)] = Φ(x) + x·φ(x). */
export function geluDerivative(x: number): number {
  return normalCdf(x) + x * ONE_OVER_SQRT_2PI * Math.exp(-0.5 * x * x);
}
