/**
 * What an evaluation on labelled test images reports: the standard figures over all images and
 * per defect type, and the pixel ROC and PRO curves thinned for drawing. The app keeps it with
 * the model, the bundle carries it, and `npm run eval` prints it; all three read this one shape.
 */

import type { ScoredTestImage } from './qcCounts';

/** Figures over one set of test images. Each is a fraction in [0, 1]; NaN where the set holds one kind only. */
export interface EvaluationFigures {
  readonly images: number;
  /** Images whose ground truth marks a defect. */
  readonly defectImages: number;
  /** AUROC of the image severities, defective against good images. */
  readonly imageAuroc: number;
  /** AUROC of the pixel scores, defect against normal pixels. */
  readonly pixelAuroc: number;
  /** Area under the per-region overlap curve up to FPR 0.3, divided by 0.3 (MVTec AD). */
  readonly aupro: number;
  /** Pixel average precision. */
  readonly ap: number;
  /** Best pixel F1 over all thresholds. */
  readonly f1Max: number;
  /** Pixel false-positive rate at the first threshold reaching 95% true-positive rate. */
  readonly fprAt95Tpr: number;
}

/** A curve from (0, 0) to (1, 1) as the threshold falls; x is the pixel false-positive rate. */
export interface CurvePoints {
  readonly fpr: readonly number[];
  /** ROC: true-positive rate. PRO: mean share of each ground-truth region above the threshold. */
  readonly y: readonly number[];
}

export interface EvaluationReport {
  readonly overall: EvaluationFigures;
  /**
   * Per defect type (the test folder's name, as MVTec's test/<type>), each over that type's
   * images together with all the good test images, so the image AUROC is defined.
   */
  readonly perDefect: Readonly<Record<string, EvaluationFigures>>;
  readonly roc: CurvePoints;
  readonly pro: CurvePoints;
  /**
   * Every test image's defect type and image severity, so the QC counts can be given at any
   * threshold (qcCounts.ts). Absent in evaluations made before image severities.
   */
  readonly testImages?: readonly ScoredTestImage[];
}
