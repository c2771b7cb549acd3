/**
 * Choosing the image threshold by what it catches: with a labelled test set, the threshold that
 * fails a share of its defective images, and the image false-reject rate α whose threshold
 * (imageThreshold, from the held-out good images alone) it is, so the choice is one more α and
 * every verdict, export and bundle keeps speaking in α.
 */
import { imageThreshold } from './imageThreshold';
import type { SeverityNats } from './score';

/** How the image threshold is chosen: an α, directly or as the α of a catch rate on a labelled test set. */
export interface OperatingPoint {
  /** The image false-reject rate α, in (0, 1). */
  readonly alpha: number;
  /** The share of the labelled defective images the threshold was set to fail; null: α was chosen as it is. */
  readonly catchRate: number | null;
}

/** The least and most α a choice may come to: beyond them the held-out images say nothing. */
export const ALPHA_RANGE: readonly [number, number] = [1e-6, 0.5];

/**
 * The largest severity threshold that fails at least `rate` of the defective images (an image
 * fails at severity ≥ threshold).
 */
export function thresholdToCatch(defectSeverities: readonly SeverityNats[], rate: number): SeverityNats {
  if (defectSeverities.length === 0) throw new RangeError('a catch rate needs at least one defective image');
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`the catch rate must be in (0, 1], got ${rate}`);
  const descending = [...defectSeverities].sort((a, b) => b - a);
  return descending[Math.ceil(rate * descending.length - 1e-9) - 1];
}

/**
 * The α whose threshold is `threshold` (to 1e-9 in log α), clamped to ALPHA_RANGE: the threshold
 * falls as α grows, so a bisection on log α finds it.
 */
export function alphaForThreshold(heldOutSeverities: readonly SeverityNats[], threshold: SeverityNats): number {
  const at = (logAlpha: number) => imageThreshold(heldOutSeverities, Math.exp(logAlpha)).severity;
  let lo = Math.log(ALPHA_RANGE[0]);
  let hi = Math.log(ALPHA_RANGE[1]);
  if (at(lo) <= threshold) return ALPHA_RANGE[0];
  if (at(hi) > threshold) return ALPHA_RANGE[1];
  // Invariant: at(lo) > threshold ≥ at(hi); the answer is the smallest α with at(α) ≤ threshold.
  while (hi - lo > 1e-9) {
    const mid = (lo + hi) / 2;
    if (at(mid) > threshold) lo = mid;
    else hi = mid;
  }
  return Math.exp(hi);
}
