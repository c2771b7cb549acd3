/**
 * OUT/results.csv of `npm run inspect`: one row per image, in the order of the images' paths.
 * The verdict is the app's: fail when the image score is at least 1 − ε.
 */
import { csvField } from '../../src/state/export/resultsTable';
import { rejectedAt } from '../../src/state/maps/regions';
import type { InspectedImage } from './protocol';

export const RESULTS_HEADER = ['name', 'image_score', 'epsilon', 'verdict', 'width', 'height', 'seconds', 'heatmap', 'error'] as const;

export interface CsvRow {
  readonly image: InspectedImage;
  /** The heatmap's path relative to OUT; null when none was written. */
  readonly heatmap: string | null;
}

export function resultsCsv(rows: readonly CsvRow[], epsilon: number): string {
  const lines = rows.map(({ image, heatmap }) => {
    const verdict = image.imageScore === null ? null : rejectedAt(image.imageScore, epsilon) ? 'fail' : 'pass';
    return [image.key, image.imageScore, epsilon, verdict, image.width, image.height, image.seconds, heatmap, image.error].map(csvField).join(',');
  });
  return [RESULTS_HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
