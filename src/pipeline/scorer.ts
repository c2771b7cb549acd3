/** What inspection asks of an execution path: the maps of one image, at its capped size (scoreMaps.ts). */
import type { RgbaImage } from '../backbone/preprocess';
import type { CellSeverities, SeverityNats } from '../core/calibration/score';
import type { PatchPosition } from '../core/geometry';
import type { ScoreMap } from '../core/resample';

export interface ImageScores {
  /** Anomaly score per pixel, 1 − max_c s_in. */
  readonly score: ScoreMap;
  /** Class with the largest logit per pixel (0 without a classifier). */
  readonly predicted: Int32Array;
  /** Distance to the nearest valid etalon of the predicted class per pixel, feature units. */
  readonly distance: Float32Array;
  /** The largest score of the feature grid's cells (see Inspection.imageScore). */
  readonly imageScore: number;
  /** The image severity (see Inspection.severity). */
  readonly severity: SeverityNats;
  /** Every cell's severity (see Inspection.cells). */
  readonly cells: CellSeverities;
  /** The backbone patch of the cell the severity comes from (see Inspection.worstPatch). */
  readonly worstPatch: PatchPosition;
}

export interface Scorer {
  score(image: RgbaImage): Promise<ImageScores>;
  /** Releases what the scorer holds (sessions, GPU buffers). */
  release(): Promise<void>;
}
