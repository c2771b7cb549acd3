/**
 * Figures over a test set with ground truth, over all images and per defect type: how well the
 * image scores separate defective from good images, and the pixel scores defect pixels from
 * normal ones. The score maps are taken at full size, before they are reduced for keeping. The
 * image figures use the image severity (Inspection.severity), which keeps ordering images where
 * the peak pixel score ties at 1, and which the image verdict compares with its threshold.
 *
 * How: each image becomes exact pixel counts once (the core metrics' CountsAccumulator), kept in
 * one group per defect type beside the image scores and labels. A defect type's figures are over
 * its images and all the good ones, so the good images' counts are read with each type's at
 * the end, whichever order the images came in; the overall figures merge every group. Counts are integers and the merged summary
 * is the same whatever the grouping, so every figure equals createMetricsAccumulator's on the
 * same images.
 */
import type { SeverityNats } from '../calibration/score';
import type { DefectMask } from '../formats/maskPng';
import type { ScoreMap } from '../resample';
import { auroc } from './auroc';
import type { EvaluationFigures, EvaluationReport } from './evaluationReport';
import { CountsAccumulator, createCountsAccumulator, hasDefect } from './metricsAccumulator';
import type { ScoredTestImage } from './qcCounts';
import { type PixelNumbers, pixelFigures, pixelNumbers } from './pixelFigures';

/** The defect type of test images without defects (MVTec's test/good). */
export const GOOD_TYPE = 'good';

/** Points kept per drawn curve: smooth at any size the app draws it. */
const CURVE_POINTS = 200;

export interface EvaluationAccumulator {
  /**
   * mask resized to the map with nearest neighbours when sizes differ; defectType 'good' for good
   * images; `included` [height, width] of the map: 0 where a pixel is outside the regions of
   * interest and is not counted (absent: all are), and then `severity` is the one within them
   */
  add(score: ScoreMap, severity: SeverityNats, mask: DefectMask, defectType: string, included?: Uint8Array): void;
  result(): EvaluationReport;
}

export function createEvaluation(): EvaluationAccumulator {
  const groups = new Map<string, Group>();
  const testImages: ScoredTestImage[] = [];
  return {
    add(score, severity, mask, defectType, included) {
      const [height, width] = score.dims;
      const group = groups.get(defectType) ?? { counts: createCountsAccumulator(), scores: [], labels: [] };
      group.counts.add(score.data, fitMask(mask, width, height), width, height, included);
      // Only once the image is counted: a map the core metrics refuse leaves no empty group behind.
      // The label is the image's own mask's, before resizing, which can lose a tiny defect.
      group.scores.push(severity);
      testImages.push({ defectType, severity });
      group.labels.push(hasDefect(mask.data) ? 1 : 0);
      groups.set(defectType, group);
    },
    result() {
      const good = groups.get(GOOD_TYPE);
      const defects = [...groups].filter(([type]) => type !== GOOD_TYPE).sort(([a], [b]) => (a < b ? -1 : 1));
      const overall = combine([good, ...defects.map(([, group]) => group)]);
      const overallPixels = pixelFigures(CountsAccumulator.scoresOf(overall.counts), overall.regions, CURVE_POINTS);
      return {
        overall: figures(overall, overallPixels),
        perDefect: Object.fromEntries(
          defects.map(([type, group]) => {
            // A sole defect type's images with the good ones are all the images: read them once.
            if (defects.length === 1) return [type, figures(overall, overallPixels)];
            const withGood = combine([good, group]);
            return [type, figures(withGood, pixelNumbers(CountsAccumulator.scoresOf(withGood.counts), withGood.regions))];
          }),
        ),
        roc: { fpr: Array.from(overallPixels.roc.fpr), y: Array.from(overallPixels.roc.y) },
        pro: { fpr: Array.from(overallPixels.pro.fpr), y: Array.from(overallPixels.pro.y) },
        // In a fixed order, so the report is the same whatever order the images came in.
        testImages: [...testImages].sort((a, b) => (a.defectType < b.defectType ? -1 : a.defectType > b.defectType ? 1 : a.severity - b.severity)),
      };
    },
  };
}

/** A set of images as the figures need them: their pixel counts and regions, and their image scores with labels (1 = defective). */
interface Group {
  readonly counts: CountsAccumulator;
  readonly scores: number[];
  readonly labels: number[];
}

/** The groups' images together (a missing group adds none); the groups are left as they were. */
function combine(groups: readonly (Group | undefined)[]): Combined {
  const present = groups.filter((group) => group !== undefined);
  const counts = present.map((group) => group.counts);
  return {
    scores: present.flatMap((group) => group.scores),
    labels: present.flatMap((group) => group.labels),
    counts,
    regions: counts.reduce((sum, c) => sum + c.regions, 0),
  };
}

/** Several groups read together: their image scores and labels, their pixel counts and ground-truth regions. */
interface Combined {
  readonly scores: readonly number[];
  readonly labels: readonly number[];
  readonly counts: readonly CountsAccumulator[];
  readonly regions: number;
}

function figures(group: Combined, pixels: PixelNumbers): EvaluationFigures {
  const defectImages = group.labels.reduce((a, b) => a + b, 0);
  const bothKinds = defectImages > 0 && defectImages < group.labels.length;
  return {
    images: group.labels.length,
    defectImages,
    imageAuroc: bothKinds ? auroc(group.scores, group.labels) : NaN,
    pixelAuroc: pixels.auroc,
    aupro: pixels.aupro,
    ap: pixels.ap,
    f1Max: pixels.f1Max,
    fprAt95Tpr: pixels.fprAt95Tpr,
  };
}

function fitMask(mask: DefectMask, width: number, height: number): Uint8Array {
  if (mask.width === width && mask.height === height) return mask.data;
  const out = new Uint8Array(width * height);
  if (!hasDefect(mask.data)) return out;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      out[y * width + x] = mask.data[sy * mask.width + sx];
    }
  }
  return out;
}
