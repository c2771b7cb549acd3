/**
 * Choosing the image threshold by what it catches: with a labelled test set, the threshold that
 * fails a share of its defective images, kept as it is (no α need reach it: defects may lie far
 * beyond every held-out good image), with the image false-reject rate α whose threshold
 * (imageThreshold, from the held-out good images alone) comes nearest, to say what it costs.
 */
import { imageThreshold } from './imageThreshold';
import type { SeverityNats } from './score';

/** A threshold set by a catch rate: the rate, and the severity threshold it set. */
export interface CatchChoice {
  /** The share of the labelled defective images the threshold fails, in (0, 1]. */
  readonly rate: number;
  readonly threshold: SeverityNats;
}

/** How the image threshold is chosen: an α, directly or as the α of a catch rate on a labelled test set. */
export interface OperatingPoint {
  /** The image false-reject rate α, in (0, 1); for a catch choice, the α whose threshold comes nearest. */
  readonly alpha: number;
  /** Set when the threshold was chosen by a catch rate; null: α sets it. */
  readonly byCatch: CatchChoice | null;
}

/** The severity threshold of an operating point: the catch choice's own, else α's from the held-out severities. */
export function operatingThreshold(heldOutSeverities: readonly SeverityNats[], point: { readonly alpha: number; readonly byCatch?: CatchChoice | null }): SeverityNats {
  return point.byCatch ? point.byCatch.threshold : imageThreshold(heldOutSeverities, point.alpha).severity;
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
