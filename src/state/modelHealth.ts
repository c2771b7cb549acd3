/**
 * What a model can be trusted with, in words a person acts on: what its capability check says it
 * catches at the project's α and ε, and whether it is weak. A model is weak when the check lets
 * most mid-size synthetic defects pass, when an evaluation ranks defective parts above good ones
 * less than 80% of the time, or when held-out good images are as severe as its least severe
 * defect. A weak model's passes are marked unsure wherever verdicts are read, and the help says
 * what may make it stronger for this model (DINOv2 only where it is not DINOv2 already).
 */
import { capabilityAt, capabilityLine, type CapabilitySummary } from '../core/capability/capability';
import { operatingThreshold, type CatchChoice } from '../core/calibration/operatingPoint';
import { formatRate } from '../core/results/imageVerdict';
import type { ImageCalibration, PixoodModel } from '../engine/api';
import type { EvaluationRecord } from '../storage/projectRecords';

export const WEAK_IMAGE_AUROC = 0.8;

/** The reasons an evaluation shows the model weak, each one sentence; empty without one. */
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

export interface ModelStanding {
  /** The capability check at the project's α and ε; null where the model has none. */
  readonly capability: CapabilitySummary | null;
  /** What it catches, in one line; null without a check. */
  readonly capabilityLine: string | null;
  /** Why the model is weak, one sentence each; empty when nothing shows it. */
  readonly weakReasons: readonly string[];
  /** The weakness in a few words for a verdict's reason; null when the model is not weak. */
  readonly weakPhrase: string | null;
}

export function modelStanding(
  model: PixoodModel,
  evaluation: EvaluationRecord | undefined,
  rule: { readonly alpha: number; readonly epsilon: number; readonly byCatch?: CatchChoice | null },
): ModelStanding {
  const calibration = model.imageCalibration;
  const check = model.capability;
  const at = rule.byCatch ? `the threshold set to catch ${formatRate(rule.byCatch.rate)} of the labelled defects` : `α = ${formatRate(rule.alpha)}`;
  const capability = check && calibration ? capabilityAt(check, operatingThreshold(calibration.severities, rule), rule.epsilon) : null;
  const fromEvaluation = weakModelReasons(calibration, evaluation);
  const weakReasons: string[] = [];
  const phrases: string[] = [];
  if (capability?.weak) {
    const mid = capability.midSizes;
    weakReasons.push(
      `In its capability check it let ${formatRate(capability.midEscape)} of the mid-size synthetic defects (${mid[0]}–${mid[mid.length - 1]} px) planted into held-out good images pass at ${at}.`,
    );
    phrases.push(`it let ${formatRate(capability.midEscape)} of mid-size synthetic defects pass`);
  }
  if (evaluation && fromEvaluation.length > 0) {
    weakReasons.push(...fromEvaluation);
    const { imageAuroc } = evaluation.overall;
    phrases.push(imageAuroc < WEAK_IMAGE_AUROC ? `image AUROC ${imageAuroc.toFixed(2)} on its test set` : 'good parts as severe as defective ones on its test set');
  }
  return {
    capability,
    capabilityLine: capability && check ? capabilityLine(capability, check, at) : null,
    weakReasons,
    weakPhrase: phrases.length > 0 ? phrases.join('; ') : null,
  };
}

/** The larger backbone to suggest, by what the model runs on now; null when none is larger. */
function largerBackbone(name: string): string | null {
  if (name.startsWith('Built-in')) return 'a DINOv2 backbone (the paper’s) instead of the built-in one';
  if (!name.startsWith('DINOv2')) return 'a DINOv2 backbone (the paper’s), if this one is not';
  if (name.includes('ViT-S/')) return 'a larger DINOv2 model (base or large) instead of the small one';
  if (name.includes('ViT-B/')) return 'DINOv2 large instead of base';
  return null;
}

/** What may make this model stronger: never the backbone it already has. */
export function weakModelHelp(model: PixoodModel): string {
  const steps = [
    largerBackbone(model.backbone.name),
    'more good images (tens, from the whole range of normal parts and lighting)',
    `a larger input size than ${model.settings.longestSide} px for small defects`,
    model.settings.etalons < 1000 ? `more etalons than ${model.settings.etalons} in the settings` : null,
  ].filter((step): step is string => step !== null);
  return `What may help: ${steps.slice(0, -1).join(', ')} or ${steps[steps.length - 1]}.`;
}
