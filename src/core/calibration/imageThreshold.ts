/**
 * Image-level calibration from good images only: which good images training holds out, and the
 * severity threshold for an image false-reject rate α from the held-out images' severities.
 */
import type { ImageCalibration } from '../model/pixoodModel';
import { quantileLinear } from './quantile';
import type { CellSeverities, SeverityNats } from './score';

/**
 * Good images a class holds out of training, of `n`: a fifth (at least 5) from 10 on, half below
 * that, none below 2 (one image cannot both train and calibrate).
 */
export function heldOutCount(n: number): number {
  if (n >= 10) return Math.max(5, Math.round(0.2 * n));
  if (n >= 2) return Math.floor(n / 2);
  return 0;
}

/**
 * Which of `n` images (in name order) are held out: evenly spread, so a folder sorted by time or
 * batch gives each part of it to both sides. Deterministic, so a retraining holds out the same.
 */
export function heldOutIndices(n: number): number[] {
  const count = heldOutCount(n);
  return Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * n) / count));
}

/** A Gumbel (maximum) distribution: F(x) = exp(−exp(−(x − location) / scale)). */
export interface GumbelFit {
  readonly location: number;
  readonly scale: number;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * The Gumbel distribution with the samples' mean and variance (method of moments): an image
 * severity is a maximum over ~10⁴ cells, the max-domain the Gumbel law describes. Equal samples
 * give scale 0: every quantile is their value.
 */
export function fitGumbel(samples: ArrayLike<number>): GumbelFit {
  const n = samples.length;
  if (n < 2) throw new RangeError(`a Gumbel fit needs at least 2 samples, got ${n}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (samples[i] - mean) ** 2;
  const scale = (Math.sqrt(squares / (n - 1)) * Math.sqrt(6)) / Math.PI;
  return { location: mean - EULER_GAMMA * scale, scale };
}

export function gumbelQuantile({ location, scale }: GumbelFit, p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${p}`);
  return location - scale * Math.log(-Math.log(p));
}

/** Image false-reject rates a person picks from: the share of good parts failed. */
export const ALPHA_PRESETS: readonly number[] = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1];

/** About 1 good part in 100 rejected. */
export const DEFAULT_ALPHA = 0.01;

export type ThresholdMethod = 'empirical' | 'gumbel';

export interface ImageThreshold {
  /** An image fails when its severity is at least this. */
  readonly severity: SeverityNats;
  /** 'empirical': the held-out images' own (1 − α) quantile; 'gumbel': extrapolated by the fit. */
  readonly method: ThresholdMethod;
  /** Held-out good images it rests on. */
  readonly heldOut: number;
  /**
   * The smallest false-reject rate the held-out images can confirm (rule of three: with none of n
   * rejected, the 95% upper bound is ≈ 3/n). An α below it is an extrapolation.
   */
  readonly confirmableRate: number;
}

/**
 * The severity threshold that rejects a share α of good images. With α·n ≥ 1 the held-out
 * severities' (1 − α) quantile, interpolated; with fewer, the (1 − α) quantile of a Gumbel fit,
 * never below the largest held-out severity (no held-out good image is rejected).
 * @param severities the held-out good images' severities, at least 2
 */
export function imageThreshold(severities: ArrayLike<number>, alpha: number): ImageThreshold {
  const n = severities.length;
  if (n < 2) throw new RangeError(`an image threshold needs at least 2 held-out good images, got ${n}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`the image false-reject rate α must be in (0, 1), got ${alpha}`);
  const common = { heldOut: n, confirmableRate: Math.min(1, 3 / n) };
  if (alpha * n >= 1) return { severity: quantileLinear(severities, 1 - alpha), method: 'empirical', ...common };
  let largest = -Infinity;
  for (let i = 0; i < n; i++) largest = Math.max(largest, severities[i]);
  return { severity: Math.max(largest, gumbelQuantile(fitGumbel(severities), 1 - alpha)), method: 'gumbel', ...common };
}

/**
 * The image calibration with one more good part: a part the model failed that a person found good
 * joins the held-out images (it was not trained on either), so the threshold at any α is fit to
 * it too. Severities stay ascending. `severity` is the whole image's; with the part's `cells` the
 * per-image cell severities stay in step with `heldOut` (so regions of interest still decide),
 * without them they are dropped and regions need a retrain.
 */
export function withGoodPart(calibration: ImageCalibration, classIndex: number, name: string, severity: SeverityNats, cells?: CellSeverities): ImageCalibration {
  if (!Number.isFinite(severity)) throw new RangeError(`a good part's severity must be a number, got ${severity}`);
  if (!(classIndex >= 0 && classIndex < calibration.heldOut.length)) throw new RangeError(`class ${classIndex} is not one of the calibration's ${calibration.heldOut.length}`);
  const severities = [...calibration.severities, severity].sort((a, b) => a - b);
  const heldOut = calibration.heldOut.map((names, i) => (i === classIndex ? [...names, name] : names));
  if (!calibration.cells || !cells) return { severities, heldOut };
  // Cells follow heldOut's order, class after class: the part goes after its class's last image.
  const at = calibration.heldOut.slice(0, classIndex + 1).reduce((n, names) => n + names.length, 0);
  return { severities, heldOut, cells: [...calibration.cells.slice(0, at), cells, ...calibration.cells.slice(at)] };
}
