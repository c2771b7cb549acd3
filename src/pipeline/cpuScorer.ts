/**
 * Scoring on the CPU path: the feature grid on the CPU (the built-in backbone's may come made by
 * another thread, as featurePlan says), nearest valid etalons of every class in a wasm kernel
 * (src/gpu/cpu/cpuNearest.ts, from the grid's cells: the up-sampled points are made only for the
 * MLP), and the reference for the rest: the
 * MLP logits (the CPU path has no inference graph for it), s_in per class and the anomaly score
 * (table look-ups), the image severity, and the resampling to the image.
 */
import { ort } from '../backbone/ort';
import type { RgbaImage } from '../backbone/preprocess';
import { pooledSeverity } from '../core/calibration/pooledSeverity';
import { anomalyScore, imageSeverity, inDistributionRate, logRatios } from '../core/calibration/score';
import { mlpLogits } from '../core/classifier/mlp';
import { patchOfCell } from '../core/geometry';
import { matrix, type Matrix, type Tensor3 } from '../core/tensor';
import { createCpuNearest } from '../gpu/cpu/cpuNearest';
import { upsampleFeatures } from '../backbone/featureGrid';
import { featureGrid, imageGeometry, type FeatureSource } from './extractFeatures';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { Resolution } from '../core/model/requests';
import { mapSize, maxOf, pixelMaps, scoreMap } from './scoreMaps';
import { severityPool, type Scorer } from './scorer';

export async function cpuScorer(model: PixoodModel, source: FeatureSource, resolution: Resolution): Promise<Scorer> {
  const nearest = await createCpuNearest(ort, model.condensations);
  const classes = model.classes.length;
  const { upsample } = model.settings;
  const pool = severityPool(model);
  const longestSide = resolution === 'native' ? 'native' : model.settings.longestSide;
  return {
    featurePlan: source.backbone.fused ? { contract: source.backbone.contract, longestSide, upsample } : null,
    async score(image: RgbaImage, madeElsewhere?: Tensor3) {
      const geometry = imageGeometry(source.backbone, image, longestSide, upsample);
      if (madeElsewhere && (madeElsewhere.dims[0] !== geometry.grid.height || madeElsewhere.dims[1] !== geometry.grid.width)) {
        throw new RangeError(`features made elsewhere are a ${madeElsewhere.dims[1]}×${madeElsewhere.dims[0]} grid, the image's is ${geometry.grid.width}×${geometry.grid.height}`);
      }
      const features = madeElsewhere ?? (await featureGrid({ ...source, purpose: 'scoring' }, image, geometry));
      // The distances come from the grid itself; only the MLP needs the up-sampled points.
      const dists = await nearest.nearestOfUpsampled(features, upsample);
      const [height, width] = [features.dims[0] * upsample, features.dims[1] * upsample];
      const logits = model.classifier ? mlpLogits(model.classifier, points(upsampleFeatures(features, upsample))) : null;
      const ratios = logRatios(model.calibration, { logits, dists });
      const score = anomalyScore(inDistributionRate(model.calibration, ratios));
      const cells = { width, height, data: imageSeverity(ratios).cells, imageWidth: image.width, imageHeight: image.height, pool };
      const { severity, cell } = pooledSeverity(cells);
      const predicted = logits ? argmaxRows(logits) : new Int32Array(height * width);
      const distance = Float32Array.from(predicted, (c, i) => dists.data[i * classes + c]);
      const size = mapSize(image);
      return { score: scoreMap(ratios, geometry.grid, upsample, model.calibration, size), ...pixelMaps({ height, width, predicted, distance }, size), imageScore: maxOf(score), severity, cells, worstPatch: patchOfCell(cell, geometry.grid, upsample) };
    },
    release: () => nearest.release(),
  };
}

function points({ dims: [height, width, dim], data }: Tensor3): Matrix {
  return matrix(height * width, dim, data);
}

function argmaxRows({ dims: [rows, cols], data }: Matrix): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let c = 1; c < cols; c++) if (data[i * cols + c] > data[i * cols + out[i]]) out[i] = c;
  }
  return out;
}
