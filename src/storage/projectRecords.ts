/**
 * What the projects database holds, record by record. Images, masks, thumbnails and heatmaps
 * are Blobs: the browser keeps them on disk and reads them only when asked. A trained model is
 * the PixoodModel itself (typed arrays survive structured clone as they are).
 */
import type { CatchChoice } from '../core/calibration/operatingPoint';
import type { CellSeverities, SeverityNats } from '../core/calibration/score';
import type { EvaluationReport } from '../core/metrics/evaluationReport';
import type { PixoodModel, TrainingSettings } from '../core/model/pixoodModel';
import type { Resolution } from '../core/model/requests';
import type { Verdict } from '../core/results/imageVerdict';
import type { ResultMaps } from '../core/results/reduceMaps';

/** An in-distribution class. The key is stable; a model sees classes by their order in the project. */
export interface ClassRecord {
  readonly key: string;
  readonly name: string;
}

/** One row of a segmentation dataset's class table: the label mask value and its class. */
export interface MaskClassRecord {
  /** The mask's sample value (grey level or palette index). */
  readonly value: number;
  /** The class it stands for; null: pixels with this value are ignored in training. */
  readonly classKey: string | null;
}

export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  /** The backbone: a model stored in the engine's library, by id (its SHA-256). */
  readonly backboneId: string;
  /** Its name when chosen, shown even when the model has since been deleted. */
  readonly backboneName: string;
  readonly classes: readonly ClassRecord[];
  readonly maskClasses: readonly MaskClassRecord[];
  readonly settings: TrainingSettings;
  /** The model inspection uses; null until one is trained. */
  readonly modelId: string | null;
  /** The pixel false-alarm rate ε the regions are outlined at, in (0, 1). */
  readonly epsilon: number;
  /** The image false-reject rate α the verdicts are given at, in (0, 1): the share of good parts failed. */
  readonly alpha: number;
  /**
   * Set when the threshold was chosen to catch a share of the labelled defective test images (then
   * `alpha` is the α whose threshold comes nearest); absent or null: α sets the threshold.
   */
  readonly byCatch?: CatchChoice | null;
  /** Image pixels the largest region at ε must cover for a FAIL; 0: no minimum. */
  readonly minDefectArea: number;
  /** The size images are inspected at; absent in projects made before the choice: 'model'. */
  readonly resolution?: Resolution;
  /** ISO 8601. */
  readonly createdAt: string;
}

export type ImageRole = 'train' | 'test';

export interface ImageRecord {
  readonly id: string;
  readonly projectId: string;
  /** Its path inside what was dropped (or its file name). */
  readonly name: string;
  readonly role: ImageRole;
  /** Good images of a class; null for an image whose classes come from its mask, and for test images. */
  readonly classKey: string | null;
  readonly blob: Blob;
  /** A small preview (longer side ≤ THUMBNAIL_SIDE px). */
  readonly thumbnail: Blob;
  /** Pixels. */
  readonly width: number;
  readonly height: number;
  /** Training: a label mask (values through the project's mask classes). Test: the ground-truth defect mask. */
  readonly mask?: Blob;
  /** Test images: the defect folder it came from ('good' for none), as in MVTec's test/<type>. */
  readonly defectType?: string;
  /** ISO 8601. */
  readonly addedAt: string;
}

export interface ModelRecord {
  readonly id: string;
  readonly projectId: string;
  readonly model: PixoodModel;
  /** Figures on the project's test images, from the latest time they were all inspected with this model. */
  readonly evaluation?: EvaluationRecord;
  /** Set on a version made from another by a review (absent on a trained or imported model). */
  readonly version?: ModelVersion;
}

/** Where a model version came from: its parent, when, and what changed, in words. */
export interface ModelVersion {
  readonly parentId: string;
  /** ISO 8601. */
  readonly at: string;
  readonly change: string;
}

/**
 * How well a model did on test images with ground truth: the figures over all images and per
 * defect type, the pixel ROC and PRO curves, and when. Records saved before the per-defect
 * figures existed are converted on opening (projectDb.ts, migration 1 → 2).
 */
export type EvaluationRecord = EvaluationReport & {
  /** ISO 8601. */
  readonly evaluatedAt: string;
};

export interface ResultRecord {
  readonly id: string;
  readonly projectId: string;
  /** The model that produced it; deleting the model deletes its results. */
  readonly modelId: string;
  readonly name: string;
  /** The project's test image it came from, if it did (its mask is the ground truth). */
  readonly imageId: string | null;
  /** The maximum of the score map. */
  readonly imageScore: number;
  /** The image severity, nats (Inspection.severity); NaN for results kept before it existed. */
  readonly severity: SeverityNats;
  /** The rates of the verdict: ε outlines the regions, α sets the severity threshold. */
  readonly epsilon: number;
  readonly alpha: number;
  /** The severity threshold at α; null without an image calibration. */
  readonly threshold: SeverityNats | null;
  readonly verdict: Verdict;
  /** The verdict in one line, in plain words: the worst spot against the good parts' limit, the largest region, its size and place. */
  readonly reason: string;
  /** The comparison in nats (severity against threshold at α); absent in results kept before it. */
  readonly details?: string;
  /** A pass from a weak model, to be looked at (ImageVerdict.unsure); absent in results kept before it. */
  readonly unsure?: boolean;
  /** The image, shrunk for viewing (longer side ≤ PREVIEW_SIDE px). */
  readonly preview: Blob;
  /** The score map in colour (the rarity scale), a PNG of the maps' size. */
  readonly heatmap: Blob;
  readonly maps: ResultMaps;
  /** Every cell's severity (Inspection.cells), so regions of interest can judge it again; absent in results kept before regions. */
  readonly cells?: CellSeverities;
  /** Pixels of the original image. */
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly seconds: number;
  /** ISO 8601. */
  readonly inspectedAt: string;
}

/** Pixels, longer side. */
export const THUMBNAIL_SIDE = 96;
export const PREVIEW_SIDE = 512;
