/**
 * OUT/results.csv of `npm run inspect`: one row per image, in the order of the images' paths.
 * The verdict is the app's image verdict: fail when the image severity is at least the
 * threshold the bundle's held-out good images give for α; a bundle without them gives
 * "needs recalibration" instead of a verdict. (The app's optional minimum defect area is not
 * applied here: it needs the regions, which this table does not hold.)
 */
import { imageThreshold } from '../../src/core/calibration/imageThreshold';
import type { ImageCalibration } from '../../src/core/model/pixoodModel';
import { csvField } from '../../src/state/export/resultsTable';
import type { InspectedImage } from './protocol';

export const RESULTS_HEADER = ['name', 'image_score', 'severity', 'epsilon', 'alpha', 'image_threshold', 'verdict', 'width', 'height', 'seconds', 'heatmap', 'error'] as const;

export const NEEDS_RECALIBRATION = 'needs recalibration';

export interface CsvRow {
  readonly image: InspectedImage;
  /** The heatmap's path relative to OUT; null when none was written. */
  readonly heatmap: string | null;
}

export function resultsCsv(rows: readonly CsvRow[], rates: { readonly epsilon: number; readonly alpha: number }, calibration: ImageCalibration | null): string {
  const threshold = calibration ? imageThreshold(calibration.severities, rates.alpha).severity : null;
  const lines = rows.map(({ image, heatmap }) => {
    const verdict = image.severity === null ? null : threshold === null ? NEEDS_RECALIBRATION : image.severity >= threshold ? 'fail' : 'pass';
    return [image.key, image.imageScore, image.severity, rates.epsilon, rates.alpha, threshold, verdict, image.width, image.height, image.seconds, heatmap, image.error].map(csvField).join(',');
  });
  return [RESULTS_HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
