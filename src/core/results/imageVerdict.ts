/**
 * The image verdict: pass or fail from the image severity against the threshold of the model's
 * image calibration at the image false-reject rate α, with an optional minimum defect area on the
 * largest region the pixel rate ε outlines; and the one line that explains it.
 */
import { imageThreshold } from '../calibration/imageThreshold';
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
}

export interface ImageVerdict {
  readonly verdict: Verdict;
  /** The severity threshold at α; null without an image calibration. */
  readonly threshold: SeverityNats | null;
  /** One line: why. */
  readonly reason: string;
}

export const NEEDS_RECALIBRATION =
  'No verdict: this model has no image calibration (it was trained before image verdicts, or from fewer than 2 good images). Retrain it to get pass/fail.';

/** The verdict of an image with `severity` and kept `maps` of an image `imageWidth`×`imageHeight`. */
export function decideImage(
  severity: SeverityNats,
  maps: ResultMaps,
  image: { readonly imageWidth: number; readonly imageHeight: number },
  calibration: ImageCalibration | null,
  rule: VerdictRule,
): ImageVerdict {
  if (!calibration || !Number.isFinite(severity)) {
    return { verdict: 'uncalibrated', threshold: null, reason: calibration ? 'No verdict: inspected before image severities existed; inspect it again.' : NEEDS_RECALIBRATION };
  }
  const threshold = imageThreshold(calibration.severities, rule.alpha).severity;
  const compared = `severity ${severity.toFixed(2)} ${severity >= threshold ? '≥' : '<'} threshold ${threshold.toFixed(2)} nats (α = ${formatRate(rule.alpha)})`;
  if (severity < threshold) return { verdict: 'pass', threshold, reason: `PASS: ${compared}.` };
  const scale = imagePixelsPerMapPixel(maps, image);
  const region = regionsAt(maps.score, maps.width, maps.height, rule.epsilon).largest;
  const where = region
    ? `largest region at ε = ${formatRate(rule.epsilon)}: ${Math.round(region.pixels * scale)} px around (${Math.round((region.x + 0.5) * (image.imageWidth / maps.width))}, ${Math.round((region.y + 0.5) * (image.imageHeight / maps.height))})`
    : `no region at ε = ${formatRate(rule.epsilon)}`;
  if (rule.minDefectArea > 0 && (region ? region.pixels * scale : 0) < rule.minDefectArea) {
    return { verdict: 'pass', threshold, reason: `PASS: ${compared}, but the ${where} is under the minimum defect area of ${rule.minDefectArea} px.` };
  }
  return { verdict: 'fail', threshold, reason: `FAIL: ${compared}; ${where}.` };
}

function formatRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))}%`;
}
