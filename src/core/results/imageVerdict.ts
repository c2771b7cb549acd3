/**
 * The image verdict: pass or fail from the image severity against the threshold of the model's
 * image calibration at the image false-reject rate α, with an optional minimum defect area on the
 * largest region the pixel rate ε outlines; the one line that explains it in plain words, and the
 * comparison in nats for details and exports.
 */
import { operatingThreshold, type CatchChoice } from '../calibration/operatingPoint';
import { quantileLinear } from '../calibration/quantile';
import type { SeverityNats } from '../calibration/score';
import type { ImageCalibration } from '../model/pixoodModel';
import type { ResultMaps } from './reduceMaps';
import { imagePixelsPerMapPixel, regionsAt } from './regions';

/** 'uncalibrated': the model has no image calibration (or the result no severity), so no verdict. */
export type Verdict = 'pass' | 'fail' | 'uncalibrated';

export interface VerdictRule {
  /** Image false-reject rate α, in (0, 1). */
  readonly alpha: number;
  /** Pixel false-alarm rate ε: where the regions are. */
  readonly epsilon: number;
  /** Image pixels the largest region must cover for a FAIL; 0: no minimum. */
  readonly minDefectArea: number;
  /** Set when the threshold was chosen to catch a share of the labelled defects (operatingPoint.ts); every verdict says so. */
  readonly byCatch?: CatchChoice | null;
}

export interface ImageVerdict {
  readonly verdict: Verdict;
  /** The severity threshold at α; null without an image calibration. */
  readonly threshold: SeverityNats | null;
  /** One line in a quality engineer's words: why, where and how large. */
  readonly reason: string;
  /** The comparison in the calibration's own units (nats), for details and exports. */
  readonly details: string;
  /**
   * A pass from a model the capability check or an evaluation found weak: it says little, so it
   * asks for a person's look instead of reading as a confident pass.
   */
  readonly unsure: boolean;
}

export const NEEDS_RECALIBRATION =
  'No verdict: this model has no image calibration (it was trained before image verdicts, or from fewer than 2 good images). Retrain it to get pass/fail.';

/**
 * An image severity on the good parts' own scale: 0 at the held-out good images' median, 1 at the
 * threshold (the limit good parts stay under at α), 3 three times as far beyond the typical good
 * part as the limit. Unitless where nats are not, and it does not saturate as the pixel score does.
 */
export function relativeSeverity(severity: SeverityNats, calibration: ImageCalibration, threshold: SeverityNats): number {
  const typical = quantileLinear(calibration.severities, 0.5);
  const span = threshold - typical;
  // Held-out images all alike: the limit is the typical part, so count nats past it instead.
  return span > 1e-9 ? (severity - typical) / span : 1 + (severity - threshold);
}

/**
 * The verdict of an image with `severity` and kept `maps` of an image `imageWidth`×`imageHeight`.
 * @param weakModel why the model is weak in a few words (it then marks its passes unsure), or null
 * @param wide the worst neighbourhood decided the severity, not the worst cell (pooledSeverity.ts)
 */
export function decideImage(
  severity: SeverityNats,
  maps: ResultMaps,
  image: { readonly imageWidth: number; readonly imageHeight: number },
  calibration: ImageCalibration | null,
  rule: VerdictRule,
  weakModel: string | null = null,
  wide = false,
): ImageVerdict {
  if (!calibration || !Number.isFinite(severity)) {
    const reason = calibration ? 'No verdict: inspected before image severities existed; inspect it again.' : NEEDS_RECALIBRATION;
    return { verdict: 'uncalibrated', threshold: null, reason, details: '', unsure: false };
  }
  const threshold = operatingThreshold(calibration.severities, rule);
  const caught = rule.byCatch ? `${formatRate(rule.byCatch.rate)} of the labelled defects` : null;
  const details = `severity ${severity.toFixed(2)} ${severity >= threshold ? '≥' : '<'} threshold ${threshold.toFixed(2)} nats (${caught ? `set to catch ${caught}` : `α = ${formatRate(rule.alpha)}`})`;
  const limit = caught ? `the limit set to catch ${caught}` : "the good parts' limit";
  const worst = `worst ${wide ? 'area' : 'spot'} ${relativeSeverity(severity, calibration, threshold).toFixed(1)}× ${limit}`;
  if (severity < threshold) {
    if (weakModel === null) return { verdict: 'pass', threshold, reason: `PASS: ${worst}.`, details, unsure: false };
    return { verdict: 'pass', threshold, reason: `PASS, unsure: ${worst}, but this model is weak (${weakModel}); have a person look.`, details, unsure: true };
  }
  const scale = imagePixelsPerMapPixel(maps, image);
  const region = regionsAt(maps.score, maps.width, maps.height, rule.epsilon).largest;
  const area = region ? Math.round(region.pixels * scale) : 0;
  const where = region ? `${area} px region, ${placeWords(region.x / maps.width, region.y / maps.height)}` : 'no region outlined at this sensitivity';
  if (rule.minDefectArea > 0 && area < rule.minDefectArea) {
    return { verdict: 'pass', threshold, reason: `PASS: ${worst}, but its ${where} is under the minimum defect area of ${rule.minDefectArea} px.`, details, unsure: weakModel !== null };
  }
  return { verdict: 'fail', threshold, reason: `FAIL: ${worst}, ${where}.`, details, unsure: false };
}

/** Where a point (shares of the width and height, 0 at the top left) is, in words: "top left", "centre". */
export function placeWords(x: number, y: number): string {
  const row = y < 1 / 3 ? 'top' : y < 2 / 3 ? 'middle' : 'bottom';
  const column = x < 1 / 3 ? 'left' : x < 2 / 3 ? 'centre' : 'right';
  if (row === 'middle' && column === 'centre') return 'centre';
  return row === 'middle' ? `middle ${column}` : `${row} ${column === 'centre' ? 'centre' : column}`;
}

/** A rate as a person reads it: 0.01 → "1%", 0.005 → "0.5%". */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))}%`;
}
