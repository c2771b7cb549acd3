/**
 * Where the heavy training work runs. On the GPU path (the engine has a GPUDevice and the
 * backbone runs on WebGPU, so the measured choice, or the person, picked the GPU) the classifier
 * and the condensation train GPU-resident (src/gpu/classifierTrainer.ts, condensationTrainer.ts).
 * On the CPU path their batch steps run as ONNX graphs on ONNX Runtime's multi-threaded wasm
 * backend (src/gpu/cpu), inside the reference training loops. The nearest-etalon distances that
 * calibration needs run on the wasm graph on both paths: no GPU kernel computes plain distances
 * for a class without a calibration yet, and it is one pass over the training patches.
 * Calibration logits run on the GPU kernel, or on the CPU path in the reference MLP.
 */
import { mlpLogits, type Mlp } from '../core/classifier/mlp';
import { trainClassifier, type TrainClassifierHooks, type TrainClassifierOptions } from '../core/classifier/train';
import type { CondensationModel } from '../core/condensation/model';
import type { NearestEtalons } from '../core/condensation/nearest';
import { trainCondensation, type CondensationHooks, type CondensationOptions } from '../core/condensation/train';
import type { Matrix } from '../core/tensor';
import { ort } from '../backbone/ort';
import { classifierLogitsGpu } from '../gpu/classifierLogits';
import { trainClassifierGpu } from '../gpu/classifierTrainer';
import { trainCondensationGpu } from '../gpu/condensationTrainer';
import { createCpuCondensation } from '../gpu/cpu/cpuCondensationStep';
import { createCpuMlp } from '../gpu/cpu/cpuMlpStep';
import { createCpuNearest } from '../gpu/cpu/cpuNearest';
import { withTurns } from './yieldTurns';

export type KernelPath = 'gpu' | 'cpu';

export interface TrainingKernels {
  readonly path: KernelPath;
  trainClassifier(features: Matrix, labels: Int32Array, options: TrainClassifierOptions, hooks: TrainClassifierHooks): Promise<Mlp>;
  trainCondensation(points: Matrix, options: CondensationOptions, hooks: Omit<CondensationHooks, 'step' | 'nearest'>): Promise<CondensationModel>;
  /** [N] Euclidean distance (feature units) from each point to the nearest valid etalon of `model`. */
  nearestValidDistance(model: CondensationModel, points: Matrix): Promise<Float32Array>;
  /** [N, C] classifier logits. */
  logits(mlp: Mlp, features: Matrix): Promise<Matrix>;
  /** Releases the sessions and kernels opened for this training. */
  release(): Promise<void>;
}

export function cpuTrainingKernels(): TrainingKernels {
  const mlp = createCpuMlp(ort);
  const condensation = createCpuCondensation(ort);
  return {
    path: 'cpu',
    trainClassifier: (features, labels, options, hooks) => trainClassifier(features, labels, options, { ...hooks, step: withTurns(mlp.step, hooks.signal) }),
    trainCondensation: (points, options, hooks) => trainCondensation(points, options, { ...hooks, step: withTurns(condensation.step, hooks.signal), nearest: nearestOnGraph }),
    nearestValidDistance,
    // The CPU path has no inference graph for the MLP: the reference computes the logits.
    logits: async (model, features) => mlpLogits(model, features),
    async release() {
      await Promise.all([mlp.release(), condensation.release()]);
    },
  };
}

export function gpuTrainingKernels(device: GPUDevice): TrainingKernels {
  return {
    path: 'gpu',
    trainClassifier: (features, labels, options, hooks) => trainClassifierGpu(device, features, labels, options, hooks),
    trainCondensation: (points, options, hooks) => trainCondensationGpu(device, points, options, hooks),
    nearestValidDistance,
    logits: (mlp, features) => classifierLogitsGpu(device, mlp, features),
    release: async () => undefined,
  };
}

async function nearestValidDistance(model: CondensationModel, points: Matrix): Promise<Float32Array> {
  return (await nearestOnGraph(points, model.etalons, model.valid)).distance;
}

/** `nearestEtalons` on the wasm graph: the calibration's distances, and the condensation's final validity check. */
async function nearestOnGraph(points: Matrix, etalons: Matrix, allowed: Uint8Array): Promise<NearestEtalons> {
  const nearest = await createCpuNearest(ort, [{ etalons, valid: allowed }]);
  try {
    const { index, distance } = await nearest.nearest(points);
    return { index, distance: distance.data };
  } finally {
    await nearest.release();
  }
}
