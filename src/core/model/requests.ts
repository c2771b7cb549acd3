/**
 * What the app asks the pipeline for, and what comes back: training a project and inspecting
 * images. Images travel as Blobs (cheap to pass to the worker, decoded there).
 */
import type { CellSeverities, SeverityNats } from '../calibration/score';
import type { RegionSpec } from '../roi/regionSpec';
import type { EvaluationReport } from '../metrics/evaluationReport';
import type { PatchPosition } from '../geometry';
import type { Tensor } from '../tensor';
import type { PixoodModel, ProgressStage, TrainingSettings } from './pixoodModel';

export interface TrainingImage {
  readonly name: string;
  readonly blob: Blob;
  /** The class of every patch, or, with a mask, the class of unmasked patches (-1: none). */
  readonly classId: number;
  /** A PNG label mask of the image's size: its values are class ids through `maskClasses`. */
  readonly mask?: Blob;
}

export interface TrainingRequest {
  /** Class names, index = class id. */
  readonly classes: readonly string[];
  readonly images: readonly TrainingImage[];
  /** Stored backbone model id (the engine's library). */
  readonly backboneId: string;
  readonly settings: TrainingSettings;
  /** Mask value → class id; values not listed are ignored. */
  readonly maskClasses?: Readonly<Record<number, number>>;
  /**
   * The input size (longer side, px) the capability check's plant sizes are measured at; absent:
   * the model's own. Models trained at different input sizes then face the same plants (tuning).
   */
  readonly capabilitySide?: number;
}

export interface TrainingProgress {
  readonly stage: ProgressStage;
  /** Work done in this stage, in `unit`. */
  readonly done: number;
  readonly total: number;
  /** 'plants': synthetic defects scored by the capability check; 'steps': opening the backbone. */
  readonly unit: 'images' | 'epochs' | 'classes' | 'plants' | 'steps';
  /** Which class the condensation is on, when it is. */
  readonly classId?: number;
  /** Latest training loss of the stage (cross-entropy nats, or condensation loss). */
  readonly loss?: number;
  /** Valid etalons of the class so far (condensation). */
  readonly validEtalons?: number;
  /** Estimated seconds left in the whole training, when it can be estimated. */
  readonly etaSeconds?: number;
  /** Opening the backbone: the execution paths are being timed (its first use in this browser). */
  readonly measuring?: boolean;
}

/** A score map [height, width]: the anomaly score 1 − max_c s_in(c) per pixel, in [0, 1]. */
export type AnomalyMap = Tensor<readonly [height: number, width: number]>;

/** One inspected image. Maps have the image's aspect; their size is `mapWidth`×`mapHeight`. */
export interface Inspection {
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** Anomaly score per pixel, 1 − s_in: the pixel is rejected at every false-alarm rate ε ≥ 1 − score. */
  readonly score: AnomalyMap;
  /** [height, width] class id with the largest logit (0 for one-class projects). */
  readonly predicted: Int32Array;
  /** [height, width] distance to the nearest valid etalon of the predicted class, feature units. */
  readonly distance: Float32Array;
  /**
   * The image's score: the largest score of the feature grid's cells, where scores are computed.
   * It is ≥ every value of `score`: the map interpolates between cells, so its own maximum can
   * fall short of a one-patch defect's peak.
   */
  readonly imageScore: number;
  /**
   * The image severity, nats: from each cell's −max_c log r_c (the log likelihood ratio s_in is
   * looked up from), its worst cell or its worst neighbourhood on the worst cell's scale
   * (core/calibration/pooledSeverity.ts). It keeps ordering images where imageScore ties at 1,
   * and the image verdict compares it with the threshold of the model's image calibration.
   */
  readonly severity: SeverityNats;
  /**
   * Every cell's severity over the feature grid, with how they pool into `severity`; regions of
   * interest pool the cells they include (core/roi), so a result is judged again under new
   * regions without scoring the image again.
   */
  readonly cells: CellSeverities;
  /**
   * The backbone patch of the cell `severity` comes from: an image whose worst place is its
   * border (core/geometry.ts onBorder) is judged by what the backbone saw past the image's edge.
   */
  readonly worstPatch: PatchPosition;
  readonly seconds: number;
}

/** A test image's ground truth, for an inspection that also evaluates. */
export interface ImageTruth {
  /** The defect mask (PNG, nonzero = defect), or null for a good image without one (MVTec's test/good). */
  readonly mask: Blob | null;
  /** The test folder's name (MVTec's test/<type>); 'good' for good images. */
  readonly defectType: string;
}

/**
 * The size an inspection sees each image at: the model's input size (its settings' longest
 * side), or the image's own size in whole patches, as the official code tests (capped, and run
 * in tiles where it is large: pipeline/extractFeatures.ts).
 */
export type Resolution = 'model' | 'native';

/** The longer side, in pixels, a native inspection sees at most: a larger image is scaled down to it. */
export const NATIVE_MAX_SIDE = 4096;

export interface InspectionOptions {
  /** One per image: the inspection also scores the maps against them. */
  readonly truth: readonly ImageTruth[] | null;
  readonly resolution: Resolution;
  /**
   * With `truth`: the figures are given within these regions of interest (pixels outside not
   * counted, image severities over included cells), and beside them over the whole image.
   */
  readonly regions?: RegionSpec | null;
}

/** What a streamed inspection ends with; each image's Inspection went out on its own as it was ready. */
export interface InspectionSummary {
  readonly images: number;
  /** The figures against the ground truth, when the inspection was given one. */
  readonly evaluation: EvaluationReport | null;
  /** With regions of interest: the same figures over the whole image; null without regions. */
  readonly evaluationWholeImage: EvaluationReport | null;
  /**
   * Seconds the evaluation added to the job: handing each map over, and waiting for the figures
   * after the last image (the counting runs in a worker of its own while images are scored).
   */
  readonly evaluateSeconds: number;
  /** Seconds the evaluation's worker spent reading masks and counting, alongside the inspection. */
  readonly evaluationWorkerSeconds: number;
}

/**
 * "Good after all" on a one-class model without retraining (core/condensation/refresh.ts): the
 * part's features, as the scorer saw them, that are less normal than the typical held-out good
 * part become etalons of its class, and the capability check runs again with them.
 */
export interface EtalonRefreshRequest {
  /** The part, as the file that was inspected. */
  readonly part: Blob;
  /** The size it was inspected at: its features are taken, and it is scored again, at that size. */
  readonly resolution: Resolution;
  /** The model's held-out good images (its image calibration's names), which the capability check plants into again. */
  readonly heldOut: readonly TrainingImage[];
}

/** A refresh done, or why the method does not allow it for this model (the model is then unchanged). */
export type EtalonRefreshResult =
  | { readonly refused: string }
  | {
      readonly refused: null;
      /** The model with the class's new etalons and, where it had one, its capability check run again with them. */
      readonly model: PixoodModel;
      /** Etalons added to the class (rows its condensation had left unused). */
      readonly added: number;
      /** The part scored by the refreshed model: its severity and cells, as they join the held-out good parts'. */
      readonly severity: SeverityNats;
      readonly cells: CellSeverities;
    };
