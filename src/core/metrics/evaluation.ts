/**
 * Figures over a test set with ground truth, over all images and per defect type: how well the
 * image scores separate defective from good images, and the pixel scores defect pixels from
 * normal ones. The score maps are taken at full size, before they are reduced for keeping. The
 * image figures use the image severity (Inspection.severity), which keeps ordering images where
 * the peak pixel score ties at 1, and which the image verdict compares with its threshold.
 *
 * How: each image becomes exact pixel counts once (the core metrics' CountsAccumulator), kept in
 * one group per defect type beside the image scores and labels. A defect type's figures are over
 * its images and all the good ones; the overall figures merge every group. Counts are integers and
 * the merged summary is the same whatever the grouping, so every figure equals
 * createMetricsAccumulator's on the same images.
 *
 * Each reading of a set's counts costs time in proportion to the normal pixels near its defect
 * scores, and result() comes after the last image, when the inspection waits for it. Told how many
 * images of each type to expect, the evaluation reads a defect type's counts with the good ones
 * as soon as both are complete, while the inspection still runs: those figures cannot change any
 * more. An image beyond the expected number drops what it made stale, which result() reads again.
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

/** How many test images of each defect type (GOOD_TYPE for the good ones) an evaluation will be given. */
export type ExpectedImages = Readonly<Record<string, number>>;

/** The images of each defect type among `defectTypes`, as an evaluation of those images expects them. */
export function expectedImages(defectTypes: Iterable<string>): ExpectedImages {
  const counts: Record<string, number> = {};
  for (const type of defectTypes) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * The order to inspect a test set in for its evaluation: the good images first, then the defect
 * types one after another (by name; within each, as given). A defect type's figures are read
 * while the inspection runs once the good images and all of that type's are in (createEvaluation),
 * so this order leaves only the last type's and the overall figures after the last image. The
 * figures themselves do not depend on the order.
 */
export function evaluationOrder<T>(images: readonly T[], defectTypeOf: (image: T) => string): T[] {
  // Array sort is stable: images of one type keep the order they were given in.
  return [...images].sort((a, b) => {
    const [typeA, typeB] = [defectTypeOf(a), defectTypeOf(b)];
    return Number(typeB === GOOD_TYPE) - Number(typeA === GOOD_TYPE) || (typeA < typeB ? -1 : typeA > typeB ? 1 : 0);
  });
}

/** @param expected the images of each type to come (expectedImages); without it, every defect type's figures are read in result() */
export function createEvaluation(expected: ExpectedImages = {}): EvaluationAccumulator {
  const groups = new Map<string, Group>();
  const testImages: ScoredTestImage[] = [];
  /** Figures of defect types read as soon as they were complete, still valid. */
  const settled = new Map<string, EvaluationFigures>();
  /** Whether `type`'s images number exactly as expected: with none expected, none may have come. */
  const complete = (type: string): boolean => (groups.get(type)?.labels.length ?? 0) === (expected[type] ?? 0);
  const defectTypes = Object.keys(expected).filter((type) => type !== GOOD_TYPE && expected[type] > 0);
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
      // A good image is in every type's figures; another type's image in its own only.
      if (defectType === GOOD_TYPE) settled.clear();
      else settled.delete(defectType);
      // A sole defect type's figures are the overall ones, which result() reads anyway.
      if (defectTypes.length < 2 || !complete(GOOD_TYPE)) return;
      for (const type of defectType === GOOD_TYPE ? defectTypes : [defectType]) {
        if (complete(type)) settled.set(type, typeFigures(groups.get(GOOD_TYPE), groups.get(type) as Group));
      }
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
            return [type, settled.get(type) ?? typeFigures(good, group)];
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

/** A defect type's figures: over its images and the good ones. */
function typeFigures(good: Group | undefined, group: Group): EvaluationFigures {
  const withGood = combine([good, group]);
  return figures(withGood, pixelNumbers(CountsAccumulator.scoresOf(withGood.counts), withGood.regions));
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
