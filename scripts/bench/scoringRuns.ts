/**
 * Scoring one image on each path, ready to be timed over and over: the feature grid up-sampled
 * ×factor, each point's nearest valid etalon of every class, s_in from the calibration, the
 * anomaly score and open-set labels, and the score map made at the image's size (on the CPU on
 * both paths, as the app does: src/pipeline/scoreMaps.ts). Runs in the benchmark page
 * (bench/kernels.html).
 *
 * The classifier's logits are an input here, computed before timing: the MLP's forward pass is
 * not part of this measurement.
 */
import { calibrate, type Calibration } from '../../src/core/calibration/calibrate';
import { openSetLabels } from '../../src/core/calibration/openSet';
import { anomalyScore, inDistributionRate, logRatios } from '../../src/core/calibration/score';
import { nearestEtalons } from '../../src/core/condensation/nearest';
import { upsampleGrid } from '../../src/core/resample';
import { createRng, type Rng } from '../../src/core/rng';
import { matrix, tensor, type Matrix, type Tensor3 } from '../../src/core/tensor';
import type { CpuNearest } from '../../src/gpu/cpu/cpuNearest';
import { readMatrix } from '../../src/gpu/gpuMatrix';
import { GpuScope } from '../../src/gpu/gpuScope';
import { KernelRecorder } from '../../src/gpu/kernelRecorder';
import type { ResampleKernels } from '../../src/gpu/resampleKernels';
import { createScores, uploadScoringModel, type ScoringEtalons, type ScoringKernels } from '../../src/gpu/scoringKernels';
import { scoreMap } from '../../src/pipeline/scoreMaps';
import type { ScoringSizes } from './kernelsPlan';

/** The open-set threshold's ID false-negative rate. */
const EPSILON = 0.05;
/** Training points per class for the calibration, and its grid: enough for a realistic table, quick to build. */
const CALIBRATION_POINTS = 100;
const CALIBRATION_GRID = 300;

/** A trained project and one image's features, synthetic: each feature cell lies near an etalon of some class. */
export interface ScoringProject {
  readonly classes: readonly ScoringEtalons[];
  readonly calibration: Calibration;
  /** [grid, grid, D] */
  readonly grid: Tensor3;
  /** [upsampled², C] logits of the up-sampled points; null for one class (no classifier). */
  readonly logits: Matrix | null;
  readonly factor: number;
  readonly image: number;
}

export function scoringProject(sizes: ScoringSizes, classCount: number, seed: number): ScoringProject {
  const rng = createRng(seed);
  const { dim, etalons: k, factor, image } = sizes;
  const side = image / sizes.patch;
  const classes = Array.from({ length: classCount }, () => {
    const centre = normals(rng, dim, 3);
    const data = new Float32Array(k * dim);
    for (let j = 0; j < k; j++) data.set(normals(rng, dim, 1).map((v, e) => v + centre[e]), j * dim);
    return { etalons: matrix(k, dim, data), valid: new Uint8Array(k).fill(1) };
  });
  const near = (c: number) => {
    const j = rng.int(k) * dim;
    return normals(rng, dim, 0.5).map((v, e) => v + classes[c].etalons.data[j + e]);
  };

  const training = matrix(CALIBRATION_POINTS * classCount, dim);
  const labels = Int32Array.from({ length: training.dims[0] }, (_, i) => i % classCount);
  labels.forEach((c, i) => training.data.set(near(c), i * dim));
  const dists = matrix(training.dims[0], classCount);
  classes.forEach(({ etalons, valid }, c) => nearestEtalons(training, etalons, valid).distance.forEach((d, i) => (dists.data[i * classCount + c] = d)));
  const withLogits = (rows: number, classOf: (i: number) => number) =>
    classCount > 1 ? matrix(rows, classCount, Float32Array.from({ length: rows * classCount }, (_, at) => rng.normal() + (at % classCount === classOf(Math.floor(at / classCount)) ? 4 : 0))) : null;
  const calibration = calibrate({ logits: withLogits(labels.length, (i) => labels[i]), dists, labels }, { gridSize: CALIBRATION_GRID });

  const grid = tensor([side, side, dim] as const);
  for (let cell = 0; cell < side * side; cell++) grid.data.set(near(cell % classCount), cell * dim);
  const upsampled = side * factor;
  return { classes, calibration, grid, logits: withLogits(upsampled * upsampled, (i) => i % classCount), factor, image };
}

function normals(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}

export interface ScoringRunner {
  /** Scores the image to completion; returns its wall time in ms. */
  run(): Promise<number>;
  release(): Promise<void>;
}

/** The CPU path: up-sampling and the calibration in src/core, nearest etalons as the CPU path's ONNX graph. */
export function cpuScoringRunner(nearest: CpuNearest, project: ScoringProject): ScoringRunner {
  const { grid, factor, calibration, logits, image } = project;
  return {
    async run() {
      const start = performance.now();
      const points = upsampleGrid(grid, factor);
      const [height, width, dim] = points.dims;
      const { distance } = await nearest.nearest(matrix(height * width, dim, points.data));
      const ratios = logRatios(calibration, { logits, dists: distance });
      const score = anomalyScore(inDistributionRate(calibration, ratios));
      openSetLabels(logits, score, EPSILON);
      scoreMap(ratios, { height: grid.dims[0], width: grid.dims[1] }, factor, calibration, { height: image, width: image });
      return performance.now() - start;
    },
    release: () => nearest.release(),
  };
}

/** The GPU path: one command buffer of up-sampling and scoring, then the distances read back and the score map made from them, as the app does. */
export function gpuScoringRunner(device: GPUDevice, kernels: { readonly scoring: ScoringKernels; readonly resample: ResampleKernels }, project: ScoringProject): ScoringRunner {
  const { grid, factor, calibration, logits, image, classes } = project;
  const [side, , dim] = grid.dims;
  const upsampled = side * factor;
  const scope = new GpuScope(device);
  const cells = scope.upload(matrix(side * side, dim, grid.data), 'bench feature grid');
  const points = scope.matrix(upsampled * upsampled, dim, 'bench up-sampled features');
  const gpuLogits = logits && scope.upload(logits, 'bench logits');
  const model = uploadScoringModel(scope, classes, calibration);
  const scores = createScores(scope, upsampled * upsampled, classes.length);
  return {
    async run() {
      const start = performance.now();
      const rec = new KernelRecorder(device, 'bench scoring');
      kernels.resample.upsampleGrid(rec, { cells, height: side, width: side }, factor, { cells: points, height: upsampled, width: upsampled });
      kernels.scoring.score(rec, model, points, gpuLogits, scores, { epsilon: EPSILON });
      rec.submit();
      const dists = await readMatrix(device, scores.distances);
      scoreMap(logRatios(calibration, { logits, dists }), { height: side, width: side }, factor, calibration, { height: image, width: image });
      return performance.now() - start;
    },
    async release() {
      scope.destroy();
    },
  };
}
