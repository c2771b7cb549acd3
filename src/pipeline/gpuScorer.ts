/**
 * Scoring on the GPU path: the backbone's output stays on the GPU, where src/gpu/imageScorer.ts
 * up-samples the feature grid, computes the logits, the nearest valid etalons, s_in and the
 * anomaly score; the grid's scores, predicted classes, distances and logits come back to the
 * CPU, where the image severity and the score map are made by the same functions as on the CPU
 * path, so both paths give the same severity and map.
 */
import type { RgbaImage } from '../backbone/preprocess';
import { pooledSeverity } from '../core/calibration/pooledSeverity';
import { imageSeverity, logRatios } from '../core/calibration/score';
import { patchOfCell } from '../core/geometry';
import { createImageScorer } from '../gpu/imageScorer';
import { imageGeometry, patchTokens, type FeatureSource } from './extractFeatures';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { Resolution } from '../core/model/requests';
import { mapSize, maxOf, pixelMaps, scoreMap } from './scoreMaps';
import { severityPool, type Scorer } from './scorer';

export async function gpuScorer(model: PixoodModel, source: FeatureSource, device: GPUDevice, resolution: Resolution): Promise<Scorer> {
  const { upsample, longestSide } = model.settings;
  const pool = severityPool(model);
  const scorer = await createImageScorer(device, { condensations: model.condensations, calibration: model.calibration, classifier: model.classifier, upsample });
  const classes = model.classes.length;

  return {
    featurePlan: null,
    async score(image: RgbaImage) {
      const geometry = imageGeometry(source.backbone, image, resolution === 'native' ? 'native' : longestSide, upsample);
      const { tokens, grid: input, dispose } = await patchTokens({ ...source, purpose: 'scoring' }, image, geometry);
      try {
        const size = mapSize(image);
        const scores = await scorer.score(tokens, input);
        const { grid, predicted, distances: dists } = scores;
        const ratios = logRatios(model.calibration, { logits: scores.logits, dists });
        const cells = { width: grid.width, height: grid.height, data: imageSeverity(ratios).cells, imageWidth: image.width, imageHeight: image.height, pool };
        const { severity, cell } = pooledSeverity(cells);
        const distance = Float32Array.from(predicted, (c, i) => dists.data[i * classes + c]);
        return {
          score: scoreMap(ratios, geometry.grid, upsample, model.calibration, size),
          ...pixelMaps({ height: grid.height, width: grid.width, predicted, distance }, size),
          imageScore: maxOf(scores.cellScores),
          severity,
          cells,
          worstPatch: patchOfCell(cell, geometry.grid, upsample),
        };
      } finally {
        dispose();
      }
    },
    async release() {
      scorer.release();
    },
  };
}
