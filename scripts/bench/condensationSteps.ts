/**
 * One condensation training step on each path, ready to be timed over and over on the same
 * data: the GPU step of src/gpu/condensationStep.ts, the one trainCondensationGpu takes (distances,
 * softmin and gradients, running support, AdamW in one compute pass), the CPU path's ONNX graph, and the JS reference.
 * Runs in the benchmark page (bench/kernels.html).
 */
import { condensationBatch, type CondensationBatchInput } from '../../src/core/condensation/batch';
import { thetaForTau } from '../../src/core/condensation/tau';
import { createRng } from '../../src/core/rng';
import { matrix, type Matrix } from '../../src/core/tensor';
import { createGpuCondensation } from '../../src/gpu/condensationStep';
import type { CpuCondensation } from '../../src/gpu/cpu/cpuCondensationStep';
import { writeVector } from '../../src/gpu/gpuMatrix';
import { GpuScope } from '../../src/gpu/gpuScope';
import { KernelRecorder } from '../../src/gpu/kernelRecorder';
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

/**
 * The trainer's step (src/gpu/condensationStep.ts) on the class's points in a random order, batch
 * after batch. The support threshold is 0, so every etalon stays active and the three paths do
 * the same work.
 */
export async function gpuStepRunner(device: GPUDevice, problem: StepProblem, maxTimedSteps: number): Promise<StepRunner> {
  const [n] = problem.points.dims;
  const [k] = problem.etalons.dims;
  const rows = problem.stepRows;
  const batches = Math.floor(n / rows);
  const scope = new GpuScope(device);
  const gpu = await createGpuCondensation(scope, { points: problem.points, etalons: problem.etalons, theta: problem.theta, maxBatch: rows, lossSlots: batches });
  writeVector(device, gpu.rows, createRng(n).permutation(n));
  writeVector(device, gpu.mask, new Uint32Array(k).fill(1));
  writeVector(device, gpu.running, new Float32Array(k).fill(1));

  // Two timestamps per timed step, around its compute pass, resolved and read once by gpuTimes().
  const querySet = device.features.has('timestamp-query') ? device.createQuerySet({ type: 'timestamp', count: 2 * maxTimedSteps }) : null;
  let timedSteps = 0;
  let batch = 0;

  return {
    async step(timed) {
      if (timed && timedSteps >= maxTimedSteps) throw new RangeError(`room for ${maxTimedSteps} timed steps`);
      const start = performance.now();
      const slot = timed && querySet ? 2 * timedSteps : -1;
      const rec = new KernelRecorder(device, 'bench step', slot >= 0 && querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: slot, endOfPassWriteIndex: slot + 1 } } : {});
      const rowOffset = batch * rows;
      gpu.recordStep(rec, { rowOffset, count: rows, beta: BETA, variant: 'condensation', lossSlot: batch, supportRate: 0.001, threshold: 0, lr: 1e-3 });
      rec.submit();
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
      scope.destroy();
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
