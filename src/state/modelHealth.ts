/**
 * Whether a model separates good parts from defective ones, in words a person acts on: an
 * evaluation with image AUROC below 0.8, or held-out good images as severe as the evaluation's
 * least severe defect, make a weak model, and the panel says so with what may help.
 */
import type { ImageCalibration } from '../engine/api';
import type { EvaluationRecord } from '../storage/projectRecords';

export const WEAK_IMAGE_AUROC = 0.8;

/** The reasons the model is weak, each one sentence; empty when nothing shows it. */
export function weakModelReasons(calibration: ImageCalibration | null, evaluation: EvaluationRecord | undefined): string[] {
  if (!evaluation) return [];
  const reasons: string[] = [];
  const { imageAuroc } = evaluation.overall;
  if (imageAuroc < WEAK_IMAGE_AUROC) {
    reasons.push(`On the test images it ranks a defective part above a good one only ${Math.round(imageAuroc * 100)}% of the time (image AUROC ${imageAuroc.toFixed(2)}; 50% is chance).`);
  }
  const defects = (evaluation.testImages ?? []).filter((image) => image.defectType !== 'good').map((image) => image.severity);
  if (calibration && defects.length > 0) {
    const worstGood = calibration.severities[calibration.severities.length - 1];
    const mildestDefect = Math.min(...defects);
    if (worstGood >= mildestDefect) {
      const reached = defects.filter((severity) => severity <= worstGood).length;
      reasons.push(`Held-out good images are as severe as ${reached} of the ${defects.length} defective test images: no threshold passes every good part and fails those defects.`);
    }
  }
  return reasons;
}

export const WEAK_MODEL_HELP =
  'What may help: a DINOv2 backbone instead of the built-in one, more good images (tens, from the whole range of normal parts and lighting), a larger input size or more etalons in the settings.';
