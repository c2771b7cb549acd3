/**
 * Figures over a test set with ground truth: how well the image scores separate defective from
 * good images, and the pixel scores defect pixels from normal ones. The score maps are taken at
 * full size, before they are reduced for keeping. The image figure uses the pipeline's image
 * score (the peak over the feature cells, which the map's interpolation can undercut), the
 * same score the results table shows and sorts by.
 */
import { auroc } from '../../core/metrics/auroc';
import { createMetricsAccumulator } from '../../core/metrics/metricsAccumulator';
import type { AnomalyMap } from '../../pipeline/requests';
import type { EvaluationRecord } from '../../storage/projectRecords';
import type { DefectMask } from '../intake/readMask';

export type Evaluation = Omit<EvaluationRecord, 'evaluatedAt'>;

export interface EvaluationAccumulator {
  /** One image: its score map, its image score, and its mask (resized to the map with nearest neighbours if they differ). */
  add(score: AnomalyMap, imageScore: number, mask: DefectMask): void;
  result(): Evaluation;
}

export function createEvaluation(): EvaluationAccumulator {
  const metrics = createMetricsAccumulator();
  const imageScores: number[] = [];
  const imageLabels: number[] = [];
  return {
    add(score, imageScore, mask) {
      const [height, width] = score.dims;
      metrics.add(score.data, fitMask(mask, width, height), width, height);
      imageScores.push(imageScore);
      imageLabels.push(mask.data.some((v) => v !== 0) ? 1 : 0);
    },
    result() {
      const result = metrics.result(2);
      const defects = imageLabels.reduce((a, b) => a + b, 0);
      const imageAuroc = defects > 0 && defects < imageLabels.length ? auroc(imageScores, imageLabels) : NaN;
      return { images: result.images, defectImages: result.defectImages, imageAuroc, pixelAuroc: result.pixel.auroc, aupro: result.pixel.aupro, ap: result.pixel.ap };
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
