/**
 * OUT/results.csv of `npm run inspect`: one row per image, in the order of the images' paths.
 * The verdict is the app's image verdict: fail when the image severity is at least the
 * operating point's threshold (α's from the bundle's held-out good images, or the catch rate's
 * the bundle was exported with), with the severity as a multiple of it (relativeSeverity); a
 * bundle without held-out images gives "needs recalibration" instead of a verdict. (The app's optional minimum defect area is not
 * applied here: it needs the regions, which this table does not hold.)
 */
import { operatingThreshold, type OperatingPoint } from '../../src/core/calibration/operatingPoint';
import { relativeSeverity } from '../../src/core/results/imageVerdict';
import type { ImageCalibration } from '../../src/core/model/pixoodModel';
import { csvField } from '../../src/state/export/resultsTable';
import type { InspectedImage } from './protocol';

export const RESULTS_HEADER = ['name', 'image_score', 'severity', 'severity_vs_limit', 'epsilon', 'alpha', 'catch_rate', 'image_threshold', 'verdict', 'width', 'height', 'seconds', 'heatmap', 'error'] as const;

export const NEEDS_RECALIBRATION = 'needs recalibration';

export interface CsvRow {
  readonly image: InspectedImage;
  /** The heatmap's path relative to OUT; null when none was written. */
  readonly heatmap: string | null;
}

export function resultsCsv(rows: readonly CsvRow[], epsilon: number, point: OperatingPoint, calibration: ImageCalibration | null): string {
  const threshold = calibration ? operatingThreshold(calibration.severities, point) : null;
  const lines = rows.map(({ image, heatmap }) => {
    const verdict = image.severity === null ? null : threshold === null ? NEEDS_RECALIBRATION : image.severity >= threshold ? 'fail' : 'pass';
    const multiple = image.severity !== null && calibration && threshold !== null ? relativeSeverity(image.severity, calibration, threshold) : null;
    const fields = [image.key, image.imageScore, image.severity, multiple, epsilon, point.alpha, point.byCatch?.rate ?? null, threshold, verdict, image.width, image.height, image.seconds, heatmap, image.error];
    return fields.map(csvField).join(',');
  });
  return [RESULTS_HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
