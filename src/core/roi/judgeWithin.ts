/**
 * An image judged within regions of interest: its severity is pooled over its included cells, its maps
 * show nothing outside, and the threshold it meets comes from the held-out good images judged
 * within the same regions, so the false-reject rate α keeps its meaning. The whole image (no
 * spec) leaves everything exactly as it was scored.
 */
import { decidedByArea, pooledSeverity, type PooledSeverity } from '../calibration/pooledSeverity';
import type { CellSeverities, SeverityNats } from '../calibration/score';
import type { ImageCalibration } from '../model/pixoodModel';
import type { ResultMaps } from '../results/reduceMaps';
import { regionMask } from './regionMask';
import { isWholeImage, type RegionSpec } from './regionSpec';

/** The image's severity over its included cells, and where (row-major); −Infinity and −1 where no cell is included. */
export function severityWithin(spec: RegionSpec, cells: CellSeverities): PooledSeverity {
  return pooledSeverity(cells, regionMask(spec, cells.width, cells.height, cells));
}

/** The maps with every pixel outside the regions at score 0: nothing there is outlined or coloured as anomalous. */
export function mapsWithin(spec: RegionSpec, maps: ResultMaps, image: { readonly imageWidth: number; readonly imageHeight: number }): ResultMaps {
  if (isWholeImage(spec)) return maps;
  const mask = regionMask(spec, maps.width, maps.height, image);
  return { ...maps, score: maps.score.map((value, i) => (mask[i] ? value : 0)) };
}

/**
 * The image calibration within the regions: each held-out image's severity over its included
 * cells. Null where it cannot be given: a model without per-cell severities (trained before
 * regions), or regions that leave fewer than 2 held-out images a cell.
 */
export function calibrationWithin(spec: RegionSpec, calibration: ImageCalibration): ImageCalibration | null {
  if (isWholeImage(spec)) return calibration;
  if (!calibration.cells) return null;
  const severities = calibration.cells.map((cells) => severityWithin(spec, cells).severity).filter(Number.isFinite);
  return severities.length < 2 ? null : { ...calibration, severities: severities.sort((a, b) => a - b) };
}

/** A kept or fresh result as judging needs it; `cells` is absent in results kept before regions. */
export interface ScoredImage {
  readonly severity: SeverityNats;
  readonly maps: ResultMaps;
  readonly cells?: CellSeverities;
  readonly imageWidth: number;
  readonly imageHeight: number;
}

export type Judged =
  | { readonly ok: true; readonly severity: SeverityNats; readonly wide: boolean; readonly maps: ResultMaps; readonly calibration: ImageCalibration | null }
  | { readonly ok: false; readonly maps: ResultMaps; readonly reason: string };

/** Why an old model cannot judge within regions. */
export const REGIONS_NEED_RETRAINING =
  'No verdict: this model was trained before regions of interest and keeps no per-place severities of its held-out good images, so it has no honest limit within the regions. Retrain it, or clear the regions.';

/** The image within the regions, or why it cannot be judged there. */
export function judgeWithin(spec: RegionSpec | null | undefined, image: ScoredImage, calibration: ImageCalibration | null): Judged {
  if (!spec || isWholeImage(spec)) return { ok: true, severity: image.severity, wide: image.cells ? decidedByArea(image.cells, image.severity) : false, maps: image.maps, calibration };
  const maps = mapsWithin(spec, image.maps, image);
  if (!image.cells) return { ok: false, maps, reason: 'No verdict within the regions: this result was kept before regions of interest; inspect the image again.' };
  const { severity, wide } = severityWithin(spec, image.cells);
  if (!Number.isFinite(severity)) return { ok: false, maps, reason: 'No verdict: the regions of interest leave no part of this image to judge.' };
  if (calibration && !calibration.cells) return { ok: false, maps, reason: REGIONS_NEED_RETRAINING };
  const within = calibration && calibrationWithin(spec, calibration);
  if (calibration && !within) return { ok: false, maps, reason: 'No verdict: the regions of interest leave fewer than 2 held-out good images a place to judge, so there is no limit within them.' };
  return { ok: true, severity, wide, maps, calibration: within };
}
