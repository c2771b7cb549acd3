/**
 * Figures over a test set with ground truth, over all images and per defect type: how well the
 * image scores separate defective from good images, and the pixel scores defect pixels from
 * normal ones. The score maps are taken at full size, before they are reduced for keeping. The
 * image figures use the pipeline's image score (the peak over the feature cells, which the
 * map's interpolation can undercut), the same score the results table shows and sorts by.
 *
 * How: each image becomes exact pixel counts once (the core metrics' ScoreCounts), kept in one
 * group per defect type. A defect type's figures are over its images and all the good ones, so
 * the good images' counts are merged with each type's at the end, whichever order the images
 * came in; the overall figures merge every group. Counts are integers and the merged summary
 * is the same whatever the grouping, so every figure equals createMetricsAccumulator's on the
 * same images.
 */
import { auroc } from '../../core/metrics/auroc';
import { connectedRegions } from '../../core/metrics/connectedRegions';
import type { EvaluationFigures, EvaluationReport } from '../../core/metrics/evaluationReport';
import { type PixelFigures, pixelFigures } from '../../core/metrics/pixelFigures';
import { countScores, emptyCounts, mergeCounts, type ScoreCounts } from '../../core/metrics/scoreCounts';
import { scoreKeys } from '../../core/metrics/scoreKey';
import type { AnomalyMap } from '../../pipeline/requests';
import type { DefectMask } from '../intake/readMask';

/** The defect type of test images without defects (MVTec's test/good). */
export const GOOD_TYPE = 'good';

/** Points kept per drawn curve: smooth at any size the app draws it. */
const CURVE_POINTS = 200;

export interface EvaluationAccumulator {
  /** mask resized to the map with nearest neighbours when sizes differ; defectType 'good' for good images */
  add(score: AnomalyMap, imageScore: number, mask: DefectMask, defectType: string): void;
  result(): EvaluationReport;
}

export function createEvaluation(): EvaluationAccumulator {
  const groups = new Map<string, Group>();
  return {
    add(score, imageScore, mask, defectType) {
      const [height, width] = score.dims;
      const group = groups.get(defectType) ?? createGroup();
      group.add(score.data, fitMask(mask, width, height), width, height, imageScore, mask.data.some((v) => v !== 0) ? 1 : 0);
      // Only once the image is counted: a map the core metrics refuse leaves no empty group behind.
      groups.set(defectType, group);
    },
    result() {
      const good = groups.get(GOOD_TYPE)?.summary() ?? emptySummary;
      const defects = [...groups]
        .filter(([type]) => type !== GOOD_TYPE)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([type, group]) => [type, group.summary()] as const);
      const overall = defects.reduce((sum, [, summary]) => combine(sum, summary), good);
      const overallPixels = pixelFigures(overall.counts, overall.regions, CURVE_POINTS);
      return {
        overall: figures(overall, overallPixels),
        perDefect: Object.fromEntries(
          defects.map(([type, summary]) => {
            const withGood = combine(good, summary);
            return [type, figures(withGood, pixelFigures(withGood.counts, withGood.regions, 1))];
          }),
        ),
        roc: { fpr: Array.from(overallPixels.roc.fpr), y: Array.from(overallPixels.roc.y) },
        pro: { fpr: Array.from(overallPixels.pro.fpr), y: Array.from(overallPixels.pro.y) },
      };
    },
  };
}

/** A set of images as the figures need them: exact pixel counts, regions, and image scores with their labels (1 = defective). */
interface Summary {
  readonly counts: ScoreCounts;
  readonly regions: number;
  readonly scores: readonly number[];
  readonly labels: readonly number[];
}

const emptySummary: Summary = { counts: emptyCounts, regions: 0, scores: [], labels: [] };

function combine(a: Summary, b: Summary): Summary {
  return { counts: mergeCounts(a.counts, b.counts), regions: a.regions + b.regions, scores: [...a.scores, ...b.scores], labels: [...a.labels, ...b.labels] };
}

function figures(summary: Summary, pixels: PixelFigures): EvaluationFigures {
  const defectImages = summary.labels.reduce((a, b) => a + b, 0);
  const bothKinds = defectImages > 0 && defectImages < summary.labels.length;
  return {
    images: summary.labels.length,
    defectImages,
    imageAuroc: bothKinds ? auroc(summary.scores, summary.labels) : NaN,
    pixelAuroc: pixels.auroc,
    aupro: pixels.aupro,
    ap: pixels.ap,
    f1Max: pixels.f1Max,
    fprAt95Tpr: pixels.fprAt95Tpr,
  };
}

interface Group {
  /** @param label 1 when the image's own mask (before resizing, which can lose a tiny defect) marks a defect */
  add(map: Float32Array, mask: Uint8Array, width: number, height: number, imageScore: number, label: number): void;
  summary(): Summary;
}

/**
 * The images of one defect type. Their counts are kept as sorted runs merged like the core
 * accumulator's (a run is merged into the one below while that one is at most twice as long),
 * so adding n pixels costs O(n log n) in all.
 */
function createGroup(): Group {
  const runs: ScoreCounts[] = [];
  const scores: number[] = [];
  const labels: number[] = [];
  let regions = 0;
  const mergeTopTwo = (): void => {
    const top = runs.pop() as ScoreCounts;
    runs.push(mergeCounts(runs.pop() as ScoreCounts, top));
  };
  return {
    add(map, mask, width, height, imageScore, label) {
      const pixels = width * height;
      const imageRegions = connectedRegions(mask, width, height);
      const keys = new Uint32Array(pixels);
      scoreKeys(map, keys);
      const regionSizes = new Uint32Array(pixels);
      for (let p = 0; p < pixels; p++) regionSizes[p] = imageRegions.sizes[imageRegions.labels[p]];
      runs.push(countScores(keys, regionSizes));
      while (runs.length > 1 && runs[runs.length - 2].keys.length <= 2 * runs[runs.length - 1].keys.length) mergeTopTwo();
      scores.push(imageScore);
      labels.push(label);
      regions += imageRegions.count;
    },
    summary() {
      while (runs.length > 1) mergeTopTwo();
      return { counts: runs[0] ?? emptyCounts, regions, scores, labels };
    },
  };
}

function fitMask(mask: DefectMask, width: number, height: number): Uint8Array {
  if (mask.width === width && mask.height === height) return mask.data;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
      out[y * width + x] = mask.data[sy * mask.width + sx];
    }
  }
  return out;
}
