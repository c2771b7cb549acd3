/**
 * One condensation training step on each path, ready to be timed over and over on the same
 * data: the GPU step as trainCondensationGpu records it (distances, softmin and gradients,
 * running support, AdamW in one compute pass), the CPU path's ONNX graph, and the JS reference.
 * Runs in the benchmark page (bench/kernels.html).
 */
import { condensationBatch, type CondensationBatchInput } from '../../src/core/condensation/batch';
import { thetaForTau } from '../../src/core/condensation/tau';
import { createRng } from '../../src/core/rng';
import { matrix, type Matrix } from '../../src/core/tensor';
import { createAdamWKernel, type AdamWKernel } from '../../src/gpu/adamwKernel';
import { createCondensationKernels, type CondensationKernels } from '../../src/gpu/condensationKernels';
import type { CpuCondensation } from '../../src/gpu/cpu/cpuCondensationStep';
import { createDistancesKernel, type DistancesKernel } from '../../src/gpu/distancesKernel';
import { createCondensationParameters } from '../../src/gpu/condensationParameters';
import { createGpuMatrix, createGpuVector, uploadMatrix, writeMatrix, writeVector, type GpuMatrix, type GpuVector } from '../../src/gpu/gpuMatrix';
import type { EpochPlan } from './kernelsPlan';

/** One class's training data at the start of a training: whitened-like points, etalons drawn from them, τ = 10. */
export interface StepProblem {
  /** [classPoints, D] the class's points. */
  readonly points: Matrix;
  /** [K, D] */
  readonly etalons: Matrix;
  /** [K] */
  readonly theta: Float32Array;
  /** Rows per step. */
  readonly stepRows: number;
}

/** β halfway through the official 0.5 → 2 schedule. */
const BETA = 1.25;

export function stepProblem(plan: EpochPlan, etalons: number, dim: number, seed: number): StepProblem {
  const rng = createRng(seed);
  const data = new Float32Array(plan.classPoints * dim);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return {
    points: matrix(plan.classPoints, dim, data),
    etalons: matrix(etalons, dim, data.slice(0, etalons * dim)),
    theta: new Float32Array(etalons).fill(thetaForTau(10)),
    stepRows: plan.stepRows,
  };
}

export interface StepRunner {
  /** Runs one step to completion; returns its wall time in ms. Timed steps also get GPU timestamps where there are any. */
  step(timed: boolean): Promise<number>;
  /** Each timed step's time on the GPU's clock in ms, read back once at the end; null where the adapter has no usable timestamps. */
  gpuTimes(): Promise<number[] | null>;
  release(): Promise<void>;
}

/** The JS reference, `condensationBatch`, on the first batch of the class. */
export function jsStepRunner(problem: StepProblem): StepRunner {
  const input = batchInput(problem);
  return {
    async step() {
      const start = performance.now();
      condensationBatch(input);
      return performance.now() - start;
    },
    gpuTimes: async () => null,
    release: async () => undefined,
  };
}

/** The CPU path's step (an ONNX graph on the wasm backend, input copied in, result copied out, as the trainer calls it). */
export function cpuStepRunner(cpu: CpuCondensation, problem: StepProblem): StepRunner {
  const input = batchInput(problem);
  return {
    async step() {
      const start = performance.now();
      await cpu.step(input);
      return performance.now() - start;
    },
    gpuTimes: async () => null,
    // Sessions are per shape: release this case's before the next one opens its own.
    release: () => cpu.release(),
  };
}

function batchInput({ points, etalons, theta, stepRows }: StepProblem): CondensationBatchInput {
  const [, dim] = points.dims;
  const [k] = etalons.dims;
  return {
    points: matrix(stepRows, dim, points.data.subarray(0, stepRows * dim)),
    etalons,
    theta,
    active: new Uint8Array(k).fill(1),
    beta: BETA,
    variant: 'condensation',
  };
}

export interface GpuStepKernels {
  readonly distances: DistancesKernel;
  readonly condensation: CondensationKernels;
  readonly adamW: AdamWKernel;
}

export async function createGpuStepKernels(device: GPUDevice): Promise<GpuStepKernels> {
  const [distances, condensation, adamW] = await Promise.all([createDistancesKernel(device), createCondensationKernels(device), createAdamWKernel(device)]);
  return { distances, condensation, adamW };
}

/**
 * The trainer's step on the class's points in a random order, batch after batch. Its buffers
 * are laid out as createTrainingState (src/gpu/condensationTrainer.ts) lays them out: etalons
 * and θ in one buffer so that AdamW is one pass. The support threshold is 0, so every etalon
 * stays active and the three paths do the same work.
 */
export function gpuStepRunner(device: GPUDevice, kernels: GpuStepKernels, problem: StepProblem, maxTimedSteps: number): StepRunner {
  const [n, d] = problem.points.dims;
  const [k] = problem.etalons.dims;
  const rows = problem.stepRows;
  const batches = Math.floor(n / rows);
  const buffers: GPUBuffer[] = [];
  const own = <T extends GpuMatrix | GpuVector>(view: T): T => (buffers.push(view.buffer), view);

  const layout = createCondensationParameters(device, k, d, 'bench');
  const { values: parameters, gradients } = layout;
  buffers.push(parameters, gradients);
  const etalons = layout.etalons(parameters);
  const theta = layout.theta(parameters);
  writeMatrix(device, etalons, problem.etalons);
  writeVector(device, theta, problem.theta);

  const points = own(uploadMatrix(device, problem.points, 'bench points'));
  const order = own(createGpuVector(device, n, 'u32', 'bench rows'));
  writeVector(device, order, createRng(n).permutation(n));
  const mask = own(createGpuVector(device, k, 'u32', 'bench mask'));
  writeVector(device, mask, new Uint32Array(k).fill(1));
  const running = own(createGpuVector(device, k, 'f32', 'bench running support'));
  writeVector(device, running, new Float32Array(k).fill(1));
  const support = own(createGpuVector(device, k, 'f32', 'bench batch support'));
  const distances = own(createGpuMatrix(device, rows, k, 'bench distances', k));
  const lossLog = own(createGpuVector(device, batches, 'f32', 'bench losses'));

  const distanceOp = kernels.distances.bind({ points, rows: order, etalons, distances });
  const stepOp = kernels.condensation.bindStep({ points, rows: order, etalons, theta, active: mask, distances, gradEtalons: layout.etalons(gradients), gradTheta: layout.theta(gradients), support, lossLog });
  const supportOp = kernels.condensation.bindSupport({ support, running, active: mask });
  const optimiser = kernels.adamW.bind({ values: layout.flat(parameters), grad: layout.flat(gradients) }, { weightDecay: 0 });

  // Two timestamps per timed step, around its compute pass, resolved and read once by gpuTimes().
  const querySet = device.features.has('timestamp-query') ? device.createQuerySet({ type: 'timestamp', count: 2 * maxTimedSteps }) : null;
  let timedSteps = 0;
  let batch = 0;

  return {
    async step(timed) {
      if (timed && timedSteps >= maxTimedSteps) throw new RangeError(`room for ${maxTimedSteps} timed steps`);
      const start = performance.now();
      const encoder = device.createCommandEncoder();
      const slot = timed && querySet ? 2 * timedSteps : -1;
      const pass = encoder.beginComputePass(slot >= 0 && querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: slot, endOfPassWriteIndex: slot + 1 } } : {});
      const rowOffset = batch * rows;
      distanceOp.encode(pass, { rowOffset, count: rows });
      stepOp.encode(pass, { rowOffset, count: rows, beta: BETA, variant: 'condensation', lossSlot: batch });
      supportOp.encode(pass, { supportRate: 0.001, threshold: 0 });
      optimiser.encode(pass, 1e-3);
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      batch = (batch + 1) % batches;
      if (timed) timedSteps += 1;
      return performance.now() - start;
    },
    async gpuTimes() {
      if (!querySet || timedSteps === 0) return null;
      const ticks = await readTimestamps(device, querySet, 2 * timedSteps);
      const times = Array.from({ length: timedSteps }, (_, i) => Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6);
      // Browsers may zero or coarsen timestamps; a pass shorter than their resolution reads 0.
      return times.every((t) => t > 0) ? times : null;
    },
    async release() {
      for (const op of [distanceOp, stepOp, supportOp, optimiser]) op.destroy();
      for (const buffer of buffers) buffer.destroy();
      querySet?.destroy();
    },
  };
}

/** The first `count` timestamps of `querySet`, in ns. */
async function readTimestamps(device: GPUDevice, querySet: GPUQuerySet, count: number): Promise<BigInt64Array> {
  const bytes = count * 8;
  const resolved = device.createBuffer({ size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.resolveQuerySet(querySet, 0, count, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return new BigInt64Array(staging.getMappedRange().slice(0));
  } finally {
    resolved.destroy();
    staging.destroy();
  }
}
