/**
 * The GPU side of scoring an image: the backbone's patch tokens (left on the GPU by the backbone,
 * or uploaded) are up-sampled, given logits, the nearest valid etalons, s_in and the anomaly
 * score, all in one submit; the grid's results come back to the CPU for the severity and the
 * maps, which the core functions make there as on the CPU path.
 */
import type { Mlp } from '../core/classifier/mlp';
import type { Calibration } from '../core/calibration/calibrate';
import type { Matrix } from '../core/tensor';
import { readMatrix, readVector, type GpuMatrix } from './gpuMatrix';
import { GpuScope, withGpuScope } from './gpuScope';
import { KernelRecorder } from './kernelRecorder';
import { gpuKernelSet } from './kernels';
import { readLabels, uploadMlp } from './mlpKernels';
import { createScores, uploadScoringModel, type ScoringEtalons } from './scoringKernels';

export interface ImageScorerModel {
  readonly condensations: readonly ScoringEtalons[];
  readonly calibration: Calibration;
  readonly classifier: Mlp | null;
  /** The feature grid's up-sampling factor. */
  readonly upsample: number;
}

export interface GridSize {
  readonly height: number;
  readonly width: number;
}

/** What comes back for one image; the grid is the up-sampled feature grid. */
export interface GridScores {
  readonly grid: GridSize;
  /** [cells] the anomaly score of each grid cell. */
  readonly cellScores: Float32Array;
  /** [cells] argmax logit (0 without a classifier). */
  readonly predicted: Int32Array;
  /** [cells, C] distance to each class's nearest valid etalon. */
  readonly distances: Matrix;
  /** [cells, C] logits, or null without a classifier. */
  readonly logits: Matrix | null;
}

export interface ImageScorer {
  /** `tokens` [h·w, D]: a view of the backbone's GPU output, or the tokens on the CPU. */
  score(tokens: GpuMatrix | Matrix, grid: GridSize): Promise<GridScores>;
  /** Frees the model's buffers. */
  release(): void;
}

export async function createImageScorer(device: GPUDevice, model: ImageScorerModel): Promise<ImageScorer> {
  const kernels = await gpuKernelSet(device, ['mlp', 'scoring', 'resample']);
  const modelScope = new GpuScope(device);
  const scoringModel = uploadScoringModel(modelScope, model.condensations, model.calibration);
  const mlp = model.classifier ? uploadMlp(modelScope, model.classifier, 'classifier') : null;
  const classes = model.condensations.length;
  const { upsample } = model;

  return {
    score: (source, grid) =>
      withGpuScope(device, async (scope) => {
        const tokens = 'buffer' in source ? source : scope.upload(source, 'patch tokens');
        const height = grid.height * upsample;
        const width = grid.width * upsample;
        const rows = height * width;
        // Up-sampling ×1 is a copy too: the MLP kernel needs rows from an aligned, vec4-padded start.
        const features = scope.matrix(rows, tokens.cols, 'inspection features');
        const logits = mlp ? scope.matrix(rows, classes, 'inspection logits') : null;
        const scores = createScores(scope, rows, classes);
        const rec = new KernelRecorder(device, 'inspection');
        kernels.resample.upsampleGrid(rec, { cells: tokens, ...grid }, upsample, { cells: features, height, width });
        if (mlp && logits) kernels.mlp.logits(rec, mlp, features, logits);
        // The open-set labels are not used: the app applies its own ε to the score.
        kernels.scoring.score(rec, scoringModel, features, logits, scores, { epsilon: 0 });
        rec.submit();
        const [cellScores, predicted, distances, cellLogits] = await Promise.all([
          readVector(device, scores.score),
          readLabels(device, scores.predicted),
          readMatrix(device, scores.distances),
          logits ? readMatrix(device, logits) : null,
        ]);
        return { grid: { height, width }, cellScores, predicted, distances, logits: cellLogits };
      }),
    release: () => modelScope.destroy(),
  };
}
