/**
 * One class's condensation on the GPU as the trainer runs it: the buffers, the bound kernels and
 * the step that records distances, softmin and gradients, the running support and AdamW. The
 * trainer, the kernel benchmark and the browser tests all step through this module, so the
 * benchmark times the shipped step. Etalons [K, D] and θ [K] share one buffer (and their
 * gradients another of the same layout) so that AdamW is a single pass over both.
 */
import type { Matrix } from '../core/tensor';
import type { CondensationStepParams, SupportParams } from './condensationKernels';
import { createCondensationParameters } from './condensationParameters';
import type { BatchRange } from './distancesKernel';
import type { GpuScope } from './gpuScope';
import { writeMatrix, writeVector, type GpuMatrix, type GpuVector } from './gpuMatrix';
import { gpuKernelSet } from './kernels';
import type { KernelRecorder } from './kernelRecorder';

export interface GpuCondensationSetup {
  /** [N, D] the class's points, whitened. */
  readonly points: Matrix;
  /** [K, D] starting etalons, whitened. */
  readonly etalons: Matrix;
  /** [K] starting θ. */
  readonly theta: Float32Array;
  /** Rows of the largest batch. */
  readonly maxBatch: number;
  /** Slots of the loss log: batches per epoch. */
  readonly lossSlots: number;
}

export interface TrainingStepParams extends CondensationStepParams, SupportParams {
  /** AdamW's learning rate for this step. */
  readonly lr: number;
}

export interface GpuCondensation {
  /** [N] the order of the points: batch b is the run of rows from its row offset. */
  readonly rows: GpuVector<'u32'>;
  /** [K, D] etalons, whitened, updated by each step. */
  readonly etalons: GpuMatrix;
  /** [K] θ, updated by each step. */
  readonly theta: GpuVector<'f32'>;
  readonly gradEtalons: GpuMatrix;
  readonly gradTheta: GpuVector<'f32'>;
  /** [K] u32: 1 where the etalon takes part (the running support's mask), or, for `recordNearest`, may be a nearest. */
  readonly mask: GpuVector<'u32'>;
  /** [K] running support s_t(k). */
  readonly running: GpuVector<'f32'>;
  /** [K] the last batch's support. */
  readonly support: GpuVector<'f32'>;
  /** [K] u32 marks of `recordNearest`. */
  readonly assigned: GpuVector<'u32'>;
  /** Dense [maxBatch, K] squared distances of the last batch. */
  readonly distances: GpuMatrix;
  /** [lossSlots] batch losses. */
  readonly lossLog: GpuVector<'f32'>;
  /** The batch's distances and its loss, gradients and support: the reference `condensationBatch`. */
  recordBatch(rec: KernelRecorder, params: CondensationStepParams): void;
  /** A training step: the batch, then the running support and its mask, then AdamW. */
  recordStep(rec: KernelRecorder, params: TrainingStepParams): void;
  /** Marks in `assigned` the nearest etalon allowed by `mask` of each point of the batch. */
  recordNearest(rec: KernelRecorder, batch: BatchRange): void;
}

/** Uploads the problem and binds the kernels; every buffer belongs to `scope`. */
export async function createGpuCondensation(scope: GpuScope, setup: GpuCondensationSetup): Promise<GpuCondensation> {
  const { device } = scope;
  const kernels = await gpuKernelSet(device, ['distances', 'condensation', 'adamw']);
  const [n, d] = setup.points.dims;
  const [k] = setup.etalons.dims;

  const layout = createCondensationParameters(scope, k, d, 'condensation');
  const { values: parameters, gradients } = layout;
  const etalons = layout.etalons(parameters);
  const theta = layout.theta(parameters);
  writeMatrix(device, etalons, setup.etalons);
  writeVector(device, theta, setup.theta);

  const points = scope.upload(setup.points, 'condensation points');
  const state = {
    rows: scope.vector(n, 'u32', 'condensation rows'),
    etalons,
    theta,
    gradEtalons: layout.etalons(gradients),
    gradTheta: layout.theta(gradients),
    mask: scope.vector(k, 'u32', 'condensation mask'),
    running: scope.vector(k, 'f32', 'condensation running support'),
    support: scope.vector(k, 'f32', 'condensation batch support'),
    assigned: scope.vector(k, 'u32', 'condensation nearest marks'),
    distances: scope.matrix(setup.maxBatch, k, 'condensation distances', k),
    lossLog: scope.vector(setup.lossSlots, 'f32', 'condensation batch losses'),
  };
  const distanceOp = kernels.distances.bind({ points, rows: state.rows, etalons, distances: state.distances });
  const stepOp = kernels.condensation.bindStep(scope, { ...state, points, active: state.mask });
  const supportOp = kernels.condensation.bindSupport({ support: state.support, running: state.running, active: state.mask });
  const nearestOp = kernels.condensation.bindNearest({ distances: state.distances, allowed: state.mask, assigned: state.assigned });
  const optimiser = kernels.adamw.bind(scope, { values: layout.flat(parameters), grad: layout.flat(gradients) }, { weightDecay: 0 });

  const recordBatch = (rec: KernelRecorder, params: CondensationStepParams): void => {
    distanceOp.record(rec, params);
    stepOp.record(rec, params);
  };
  return {
    ...state,
    recordBatch,
    recordStep(rec, params) {
      recordBatch(rec, params);
      supportOp.record(rec, params);
      optimiser.record(rec, params.lr);
    },
    recordNearest(rec, batch) {
      distanceOp.record(rec, batch);
      nearestOp.record(rec, batch.count);
    },
  };
}
