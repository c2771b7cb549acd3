/**
 * A trained PixOOD model: everything inference needs, as plain numbers and typed arrays, so it
 * can cross the worker boundary, go into IndexedDB as it is, and into a bundle's safetensors.
 */
import type { CapabilityCheck } from '../capability/capability';
import type { Calibration } from '../calibration/calibrate';
import type { CellSeverities, SeverityNats } from '../calibration/score';
import type { RegionSpec } from '../roi/regionSpec';
import type { Mlp } from '../classifier/mlp';
import type { CondensationModel } from '../condensation/model';

/** 2: with the image calibration (null in models saved before it, which need retraining for verdicts). */
export const PIXOOD_MODEL_SCHEMA = 2;

/** Which backbone produced the features: a model only scores features of the same backbone. */
export interface BackboneIdentity {
  /** The stored model's id in this browser's library. */
  readonly id: string;
  readonly name: string;
  /** SHA-256 of the ONNX file, hex: the identity that survives moving between machines. */
  readonly sha256: string;
  readonly patchSize: number;
  /** Feature dimension D. */
  readonly dim: number;
}

export interface Preprocessing {
  /** Input images are resized so their longer side is this many pixels (whole patches). */
  readonly longestSide: number;
  /** Integer ≥ 1: bilinear up-sampling of the feature grid at inference (paper §3.3). */
  readonly upsample: number;
}

export interface TrainingSettings extends Preprocessing {
  /** Etalon budget K per class. */
  readonly etalons: number;
  /** Condensation epochs. */
  readonly condensationEpochs: number;
  /** Classifier epochs (ignored with one class). */
  readonly classifierEpochs: number;
  readonly seed: number;
  /**
   * σ, in backbone patches, of the neighbourhoods an image's severity also reads
   * (core/calibration/pooledSeverity.ts); 0 or absent (projects from before it): the worst cell only.
   */
  readonly areaPatches?: number;
}

export interface TrainingSummary {
  /** Patches used per class (after the 90% majority rule for masks). */
  readonly patchesPerClass: readonly number[];
  /**
   * Patches the training images gave per class, where more than it keeps (PatchCollector's
   * bound on training memory): `patchesPerClass` of them, drawn uniformly, were used.
   */
  readonly patchesSeenPerClass?: readonly number[];
  /** Valid etalons per class. */
  readonly validEtalons: readonly number[];
  /** Seconds per stage. */
  readonly seconds: Readonly<Record<TrainingStage, number>>;
  /** 'gpu' or 'cpu': where the kernels ran. */
  readonly path: 'gpu' | 'cpu';
  /** Training images left out, each with the reason in words (a damaged file, a mask of the wrong size). */
  readonly skipped: readonly SkippedImage[];
}

/**
 * Good images held out of training (heldOutIndices per class, in name order) and scored by the
 * model trained on the rest, which is the model kept: it is not retrained on all images, so the
 * image threshold is calibrated for exactly the model that decides.
 */
export interface ImageCalibration {
  /** The held-out images' image severities, nats, ascending. */
  readonly severities: readonly SeverityNats[];
  /** Per class (model order), the names of its held-out images. */
  readonly heldOut: readonly (readonly string[])[];
  /**
   * Each held-out image's cell severities, in `heldOut`'s order: the threshold under regions of
   * interest comes from the same images judged under the same regions (core/roi/judgeWithin.ts).
   * Absent in models trained before regions: those need retraining for regions to decide.
   */
  readonly cells?: readonly CellSeverities[];
}

export interface SkippedImage {
  readonly name: string;
  readonly reason: string;
}

/** Training's stages, in the order they run. */
export const TRAINING_STAGES = ['features', 'classifier', 'condensation', 'calibration'] as const;

export type TrainingStage = (typeof TRAINING_STAGES)[number];

/**
 * What a training job reports progress on: opening the backbone (when it is not open yet), its
 * stages, then the capability check, which is timed in its own result (CapabilityCheck.seconds),
 * not in the training's seconds.
 */
export const PROGRESS_STAGES = ['backbone', ...TRAINING_STAGES, 'capability'] as const;

export type ProgressStage = (typeof PROGRESS_STAGES)[number];

/** A record with one value per stage. */
export function perStage<T>(value: (stage: TrainingStage) => T): Record<TrainingStage, T> {
  return Object.fromEntries(TRAINING_STAGES.map((stage) => [stage, value(stage)])) as Record<TrainingStage, T>;
}

/** A record with one value per progress stage. */
export function perProgressStage<T>(value: (stage: ProgressStage) => T): Record<ProgressStage, T> {
  return Object.fromEntries(PROGRESS_STAGES.map((stage) => [stage, value(stage)])) as Record<ProgressStage, T>;
}

export interface PixoodModel {
  readonly schema: typeof PIXOOD_MODEL_SCHEMA;
  readonly backbone: BackboneIdentity;
  readonly settings: TrainingSettings;
  /** Class names, index = class id. */
  readonly classes: readonly string[];
  /** The §3.2 MLP; null for a one-class project (the projection space is 1-D: distance only). */
  readonly classifier: Mlp | null;
  /** One condensation per class, same order as `classes`. */
  readonly condensations: readonly CondensationModel[];
  readonly calibration: Calibration;
  /** The image verdict's calibration; null without one (too few good images, or a model from before it). */
  readonly imageCalibration: ImageCalibration | null;
  /**
   * What the model catches: synthetic defects planted into the held-out good images
   * (core/capability). Absent where it was not checked: no image calibration, or a model or
   * bundle from before the check.
   */
  readonly capability?: CapabilityCheck;
  /**
   * The regions of interest its verdicts, maps and figures are judged within (core/roi); absent:
   * the whole image. They change no trained number, so they can change without retraining.
   */
  readonly regions?: RegionSpec;
  readonly summary: TrainingSummary;
  /** ISO 8601. */
  readonly createdAt: string;
}
