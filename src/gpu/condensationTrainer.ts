/**
 * Condensation of one class trained on the GPU: the schedule and semantics of the reference
 * `trainCondensation` (src/core/condensation/train.ts), whose pure helpers it calls for
 * everything that is not per-step arithmetic (sampling, whitening, initial etalons, re-inits,
 * thresholds, validity). The class's points, the etalons, θ, the AdamW moments, the running
 * support and the mask stay on the GPU; a step uploads only its uniforms, an epoch its order of
 * the points. The CPU reads back the K supports and the epoch's batch losses once per epoch, and
 * the etalons at re-init points, where the reference's re-init rule runs on them.
 */
import { createRng } from '../core/rng';
import { cosineSchedule } from '../core/schedule';
import { gatherRows, type Matrix } from '../core/tensor';
import { resolveCondensationOptions, type CondensationHooks, type CondensationOptions } from '../core/condensation/train';
import { initialEtalons, initialSample } from '../core/condensation/init';
import { validEtalonCount, type CondensationModel } from '../core/condensation/model';
import { reinitEtalons } from '../core/condensation/reinit';
import { createSupportState, reinitThreshold, supportedEtalons, type SupportState } from '../core/condensation/support';
import { tauFromTheta, thetaForTau } from '../core/condensation/tau';
import { fitWhitening, unwhiten, whiten } from '../core/condensation/whitening';
import { createGpuCondensation, type TrainingStepParams } from './condensationStep';
import { GpuScope } from './gpuScope';
import { readMatrix, readVector, writeMatrix, writeVector } from './gpuMatrix';
import { KernelRecorder } from './kernelRecorder';

/** The reference's hooks; the batch step is this trainer's own. */
export type GpuCondensationHooks = Omit<CondensationHooks, 'step'>;

/** Condenses `points` [N, D] (original feature units) into a model, as `trainCondensation` does. */
export async function trainCondensationGpu(
  device: GPUDevice,
  points: Matrix,
  options: CondensationOptions,
  hooks: GpuCondensationHooks = {},
): Promise<CondensationModel> {
  const { K, epochs, batchSize, seed, variant, reinit, lr, betaStart, betaEnd, initialTau, supportDecay, reinitFactor, maxInitialSample } = resolveCondensationOptions(points, options);
  const { onEpoch, signal } = hooks;
  const [n] = points.dims;

  // The random draws in the reference's order, so that a seed means the same run on both paths.
  const rng = createRng(seed);
  const sample = initialSample(points, maxInitialSample, rng);
  const whitening = fitWhitening(sample);
  const startEtalons = initialEtalons(whiten(sample, whitening), K, rng);
  const data = whiten(points, whitening);

  const batchesPerEpoch = Math.ceil(n / batchSize);
  const scope = new GpuScope(device);
  try {
    const state = await createTrainingState(scope, data, startEtalons, thetaForTau(initialTau), Math.min(batchSize, n), batchesPerEpoch);
    const support = createSupportState(K);
    state.setSupport(support, reinitFactor);
    // The official code re-inits when the global batch count is a multiple of half an epoch.
    const reinitEvery = Math.max(1, Math.floor(batchesPerEpoch / 2));
    let iteration = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const progress = epoch / epochs;
      const beta = cosineSchedule(betaStart, betaEnd, progress);
      const rate = cosineSchedule(lr, 0, progress);
      const reinitEpoch = reinit && epoch >= 1 && epoch < 0.9 * epochs;
      const order = rng.permutation(n);
      state.setOrder(order);
      for (let batch = 0, start = 0; start < n; batch++, start += batchSize) {
        signal?.throwIfAborted();
        const count = Math.min(batchSize, n - start);
        // Eq. 18's bookkeeping for the batch size, on the CPU; the GPU applies the same rate to the supports.
        support.steps += 1;
        const supportRate = supportDecay / (1 - (1 - supportDecay) ** support.steps);
        support.batchSize = (1 - supportRate) * support.batchSize + supportRate * count;
        state.step({ rowOffset: start, count, beta, variant, lossSlot: batch, lr: rate, supportRate, threshold: reinitThreshold(support, reinitFactor) });
        iteration += 1;
        if (reinitEpoch && iteration % reinitEvery === 0) {
          await state.readSupport(support);
          const etalons = await state.readEtalons();
          reinitEtalons(etalons, support, gatherRows(data, order.subarray(start, start + batchSize)), reinitFactor, rng);
          state.writeEtalons(etalons);
          state.setSupport(support, reinitFactor);
        }
      }
      await state.readSupport(support);
      const losses = await state.readLosses();
      let lossSum = 0;
      for (const loss of losses) lossSum += loss;
      await onEpoch?.({ epoch: epoch + 1, epochs, loss: lossSum / batchesPerEpoch, validEtalons: validEtalonCount({ valid: supportedEtalons(support, reinitFactor) }) });
    }
    signal?.throwIfAborted();

    // Valid: supported, and the nearest (in the training's whitened space) of at least one training point.
    const valid = supportedEtalons(support, reinitFactor);
    const assigned = await state.nearestOfSome(valid, batchSize);
    for (let j = 0; j < K; j++) valid[j] &= assigned[j];
    return {
      variant,
      etalons: unwhiten(await state.readEtalons(), whitening),
      tau: Float32Array.from(await state.readTheta(), tauFromTheta),
      valid,
      support: Float32Array.from(support.support),
      whitening,
    };
  } finally {
    scope.destroy();
  }
}

/** The GPU side of a training: its buffers, its bound kernels and the few transfers the loop makes. */
interface TrainingState {
  /** Uploads the epoch's order of the points: batch b is the run of rows from b · batch size. */
  setOrder(order: Uint32Array): void;
  /** Records and submits one training step; its batch loss goes to slot `lossSlot` of the loss log. */
  step(params: TrainingStepParams): void;
  /** The loss log: a loss per batch of the epoch. */
  readLosses(): Promise<Float32Array>;
  /** Uploads the running support and the mask it implies. */
  setSupport(support: SupportState, factor: number): void;
  /** Copies the running support into `support.support`. */
  readSupport(support: SupportState): Promise<void>;
  readEtalons(): Promise<Matrix>;
  writeEtalons(etalons: Matrix): void;
  readTheta(): Promise<Float32Array>;
  /** [K] 1 for each etalon that is the nearest `allowed` one of some point, in batches of `batchSize`. */
  nearestOfSome(allowed: Uint8Array, batchSize: number): Promise<Uint8Array>;
}

async function createTrainingState(scope: GpuScope, data: Matrix, etalons: Matrix, theta0: number, maxBatch: number, lossSlots: number): Promise<TrainingState> {
  const { device } = scope;
  const [n] = data.dims;
  const [k] = etalons.dims;
  const gpu = await createGpuCondensation(scope, { points: data, etalons, theta: new Float32Array(k).fill(theta0), maxBatch, lossSlots });
  const submit = (label: string, record: (rec: KernelRecorder) => void): void => {
    const rec = new KernelRecorder(device, label);
    record(rec);
    rec.submit();
  };

  return {
    setOrder: (order) => writeVector(device, gpu.rows, order),
    step: (params) => submit('condensation step', (rec) => gpu.recordStep(rec, params)),
    readLosses: () => readVector(device, gpu.lossLog),
    setSupport(state, factor) {
      writeVector(device, gpu.running, Float32Array.from(state.support));
      writeVector(device, gpu.mask, Uint32Array.from(supportedEtalons(state, factor)));
    },
    async readSupport(state) {
      state.support.set(await readVector(device, gpu.running));
    },
    readEtalons: () => readMatrix(device, gpu.etalons),
    writeEtalons: (m) => writeMatrix(device, gpu.etalons, m),
    readTheta: () => readVector(device, gpu.theta),
    async nearestOfSome(allowed, batchSize) {
      writeVector(device, gpu.mask, Uint32Array.from(allowed));
      writeVector(device, gpu.assigned, new Uint32Array(k));
      // Any order of the points will do: the rows still hold the last epoch's permutation.
      submit('condensation nearest', (rec) => {
        for (let start = 0; start < n; start += batchSize) gpu.recordNearest(rec, { rowOffset: start, count: Math.min(batchSize, n - start) });
      });
      return Uint8Array.from(await readVector(device, gpu.assigned));
    },
  };
}
