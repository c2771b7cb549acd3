/**
 * Scoring on the GPU path: the backbone's output stays on the GPU, where the kernels up-sample
 * the feature grid, compute the logits, the nearest valid etalons, s_in and the anomaly score,
 * and resize the score map to the image; only the map and the grid's scores, predicted classes,
 * distances and logits come back to the CPU, where the image severity is computed by the same
 * core function as on the CPU path, so both paths give the same severity.
 */
import type { BackboneOutput } from '../backbone/backbone';
import type { RgbaImage } from '../backbone/preprocess';
import { imageSeverity } from '../core/calibration/score';
import { tensor } from '../core/tensor';
import { createGpuMatrix, createGpuVector, readMatrix, readVector, uploadMatrix, type GpuMatrix } from '../gpu/gpuMatrix';
import { KernelRecorder } from '../gpu/kernelRecorder';
import { destroyMlp, readLabels, uploadMlp } from '../gpu/mlpKernels';
import { createScores, destroyScores, destroyScoringModel, uploadScoringModel } from '../gpu/scoringKernels';
import { imageGeometry, runBackbone, type FeatureSource } from './extractFeatures';
import { gpuKernels } from './gpuKernels';
import type { PixoodModel } from '../core/model/pixoodModel';
import { mapSize, maxOf, pixelMaps } from './scoreMaps';
import type { Scorer } from './scorer';

export async function gpuScorer(model: PixoodModel, source: FeatureSource, device: GPUDevice): Promise<Scorer> {
  const [mlpKernels, scoring, resample] = await Promise.all([gpuKernels(device, 'mlp'), gpuKernels(device, 'scoring'), gpuKernels(device, 'resample')]);
  const scoringModel = uploadScoringModel(device, model.condensations, model.calibration);
  const mlp = model.classifier ? uploadMlp(device, model.classifier, 'classifier') : null;
  const classes = model.classes.length;
  const { upsample, longestSide } = model.settings;

  return {
    async score(image: RgbaImage) {
      const geometry = imageGeometry(source.backbone, image, longestSide);
      const output = await runBackbone(source.backbone, image, geometry);
      const owned: GPUBuffer[] = [];
      const own = <T extends { buffer: GPUBuffer }>(view: T): T => (owned.push(view.buffer), view);
      try {
        const tokens = patchTokens(device, output, own);
        const height = output.grid.height * upsample;
        const width = output.grid.width * upsample;
        const rows = height * width;
        const size = mapSize(image);
        // Up-sampling ×1 is a copy too: the MLP kernel needs rows from an aligned, vec4-padded start.
        const features = own(createGpuMatrix(device, rows, tokens.cols, 'inspection features'));
        const logits = mlp ? own(createGpuMatrix(device, rows, classes, 'inspection logits')) : null;
        const scores = createScores(device, rows, classes);
        const map = own(createGpuVector(device, size.height * size.width, 'f32', 'score map'));
        try {
          const rec = new KernelRecorder(device, 'inspection');
          resample.upsampleGrid(rec, { cells: tokens, height: output.grid.height, width: output.grid.width }, upsample, { cells: features, height, width });
          if (mlp && logits) mlpKernels.logits(rec, mlp, features, logits);
          // The open-set labels are not used: the app applies its own ε to the score.
          scoring.score(rec, scoringModel, features, logits, scores, { epsilon: 0 });
          resample.resizeScoreMap(rec, { values: scores.score, height, width }, { values: map, height: size.height, width: size.width });
          rec.submit();
          const [score, cellScores, predicted, dists, cellLogits] = await Promise.all([
            readVector(device, map),
            readVector(device, scores.score),
            readLabels(device, scores.predicted),
            readMatrix(device, scores.distances),
            logits ? readMatrix(device, logits) : null,
          ]);
          const severity = imageSeverity(model.calibration, { logits: cellLogits, dists });
          const distance = Float32Array.from(predicted, (c, i) => dists.data[i * classes + c]);
          return { score: tensor([size.height, size.width] as const, score), ...pixelMaps({ height, width, predicted, distance }, size), imageScore: maxOf(cellScores), severity };
        } finally {
          destroyScores(scores);
        }
      } finally {
        for (const buffer of owned) buffer.destroy();
        if (output.location === 'gpu') output.dispose();
      }
    },
    async release() {
      destroyScoringModel(scoringModel);
      if (mlp) destroyMlp(mlp);
    },
  };
}

/** The patch tokens [h·w, D] of an output as a GPU matrix: a view past the CLS and register tokens. */
function patchTokens(device: GPUDevice, output: BackboneOutput, own: <T extends { buffer: GPUBuffer }>(view: T) => T): GpuMatrix {
  const [, tokens, dim] = output.dims;
  const rows = tokens - output.prefixTokens;
  if (output.location === 'gpu') return { buffer: output.buffer, offset: output.prefixTokens * dim * 4, rows, cols: dim, stride: dim };
  // A backbone on the wasm path with a GPU scorer: its tokens go up once.
  const patches = output.data.subarray(output.prefixTokens * dim, tokens * dim);
  return own(uploadMatrix(device, tensor([rows, dim] as const, patches), 'patch tokens'));
}
