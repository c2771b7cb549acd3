/** What inspection asks of an execution path: the maps of one image, at its capped size (scoreMaps.ts). */
import type { RgbaImage } from '../backbone/preprocess';
import type { SeverityPooling } from '../core/calibration/pooledSeverity';
import type { CellSeverities, SeverityNats } from '../core/calibration/score';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { PatchPosition } from '../core/geometry';
import type { ScoreMap } from '../core/resample';
import type { Tensor3 } from '../core/tensor';
import type { ModelContract } from '../backbone/contract';
import type { LongestSide } from './extractFeatures';

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

/**
 * The features a scorer would take made elsewhere, for an image of any size: the built-in
 * backbone's (its contract) at the model's input size or the image's own, on the grid before
 * up-sampling. Plain data, so it crosses to a worker.
 */
export interface FeaturePlan {
  readonly contract: ModelContract;
  readonly longestSide: LongestSide;
  readonly upsample: number;
}

export interface Scorer {
  /**
   * Where the scorer takes an image's features made by another thread (the built-in backbone on
   * the CPU path, whose fused kernel needs nothing but the pixels): what to make. Null where its
   * features must come from its own backbone run.
   */
  readonly featurePlan: FeaturePlan | null;
  /** `features`: the image's grid [h, w, D] made elsewhere as featurePlan says; made here when absent. */
  score(image: RgbaImage, features?: Tensor3): Promise<ImageScores>;
  /** Releases what the scorer holds (sessions, GPU buffers). */
  release(): Promise<void>;
}

/**
 * How the model's held-out good images' cells made their severities, so an inspection's make
 * theirs alike: absent for a model in training, whose held-out images are scored before the
 * pooling is fit to them, and for models trained before pooling, judged by the worst cell.
 */
export function severityPool(model: Pick<PixoodModel, 'imageCalibration'>): SeverityPooling | undefined {
  return model.imageCalibration?.cells?.[0]?.pool;
}
