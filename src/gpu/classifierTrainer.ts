/**
 * The §3.2 classifier trained on the GPU with the semantics of src/core/classifier/train.ts:
 * the same options and defaults, the same seeded initialisation and shuffles (drawn on the CPU
 * from the same generator), the same skipping of batches whose labels are all ignored, and
 * AdamW at a constant learning rate. Weights, gradients and optimiser moments stay on the GPU;
 * the only read-back is the epoch's loss totals, once per epoch.
 */
import { createMlp } from '../core/classifier/mlp';
import { resolveClassifierOptions, type TrainClassifierHooks, type TrainClassifierOptions } from '../core/classifier/train';
import { IGNORE_LABEL } from '../core/labels';
import { createRng } from '../core/rng';
import type { Matrix } from '../core/tensor';
import type { AdamWKernel, AdamWOp } from './adamwKernel';
import { createGpuMatrix, createGpuVector, uploadMatrix, writeVector, type GpuMatrix, type GpuVector } from './gpuMatrix';
import { KernelRecorder } from './kernelRecorder';
import {
  createCrossEntropyBuffers,
  createGpuMlp,
  createLossTotals,
  destroyMlp,
  firstEntries,
  firstRows,
  mlpDims,
  readLossTotals,
  uploadLabels,
  uploadMlp,
  type GpuActivations,
  type GpuCrossEntropy,
  type GpuMlp,
  type MlpKernels,
} from './mlpKernels';

export interface GpuClassifierKernels {
  readonly mlp: MlpKernels;
  readonly adamw: AdamWKernel;
}

/**
 * Trains on `features` [N, D] with `labels` [N] (class index or IGNORE_LABEL) and returns the
 * MLP on the GPU (readMlp brings it to the CPU); the caller owns it. Rejects as trainClassifier
 * does: a RangeError for bad inputs, the signal's reason on abort.
 */
export async function trainClassifierGpu(
  kernels: GpuClassifierKernels,
  features: Matrix,
  labels: Int32Array,
  options: TrainClassifierOptions = {},
  hooks: TrainClassifierHooks = {},
): Promise<GpuMlp> {
  const { device } = kernels.mlp;
  const [n, d] = features.dims;
  const { hidden, classes, epochs, batchSize, lr, weightDecay, seed } = resolveClassifierOptions(features, labels, options);

  const rng = createRng(seed);
  const mlp = uploadMlp(device, createMlp(d, hidden, classes, rng), 'classifier');
  const dims = mlpDims(mlp);
  const rows = Math.min(batchSize, n);
  const owned: GPUBuffer[] = [];
  const own = <T extends GpuMatrix | GpuVector>(view: T): T => {
    owned.push(view.buffer);
    return view;
  };
  const grads = createGpuMlp(device, dims, 'classifier gradients');
  const optimisers: AdamWOp[] = [];
  try {
    const allFeatures = own(uploadMatrix(device, features, 'training features'));
    const allLabels = own(uploadLabels(device, labels, 'training labels'));
    const order = own(createGpuVector(device, n, 'u32', 'epoch order'));
    const batch = own(createGpuMatrix(device, rows, d, 'batch features'));
    const batchLabels = own(createGpuVector(device, rows, 'u32', 'batch labels'));
    const act: GpuActivations = {
      pre: own(createGpuMatrix(device, rows, hidden, 'pre-activations')),
      hidden: own(createGpuMatrix(device, rows, hidden, 'hidden')),
      logits: own(createGpuMatrix(device, rows, classes, 'logits')),
    };
    const dPre = own(createGpuMatrix(device, rows, hidden, 'dPre'));
    const ce = createCrossEntropyBuffers(device, rows, classes);
    for (const part of Object.values(ce)) own(part);
    const totals = own(createLossTotals(device));
    const pairs: [GpuMatrix | GpuVector<'f32'>, GpuMatrix | GpuVector<'f32'>][] = [
      [mlp.w1, grads.w1],
      [mlp.b1, grads.b1],
      [mlp.w2, grads.w2],
      [mlp.b2, grads.b2],
    ];
    for (const [values, grad] of pairs) optimisers.push(kernels.adamw.bind({ values: flat(values), grad: flat(grad) }, { weightDecay }));

    for (let epoch = 1; epoch <= epochs; epoch++) {
      hooks.signal?.throwIfAborted();
      const permutation = rng.permutation(n);
      writeVector(device, order, permutation);
      device.queue.writeBuffer(totals.buffer, totals.offset, new Uint32Array(3));
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        // torch's loss is NaN for a batch with every label ignored (the official run would stop); skip it.
        if (permutation.subarray(start, start + size).every((i) => labels[i] === IGNORE_LABEL)) continue;
        const view = (m: GpuMatrix): GpuMatrix => firstRows(m, size);
        const stepAct: GpuActivations = { pre: view(act.pre), hidden: view(act.hidden), logits: view(act.logits) };
        const stepCe: GpuCrossEntropy = { ...ce, dLogits: view(ce.dLogits), rowLoss: firstEntries(ce.rowLoss, size), rowHit: firstEntries(ce.rowHit, size) };
        const stepLabels = firstEntries(batchLabels, size);
        const rec = new KernelRecorder(device, `classifier epoch ${epoch} step ${start / batchSize}`);
        kernels.mlp.gather(rec, allFeatures, allLabels, order, start, view(batch), stepLabels);
        kernels.mlp.forward(rec, mlp, view(batch), stepAct);
        kernels.mlp.crossEntropy(rec, stepAct.logits, stepLabels, stepCe, totals);
        kernels.mlp.backward(rec, mlp, view(batch), stepAct, stepCe.dLogits, view(dPre), grads);
        // AdamW writes its step's uniforms through the queue, so each step is its own submit.
        for (const optimiser of optimisers) optimiser.encode(rec.computePass(), lr);
        rec.submit();
      }
      const { loss, count, hits } = await readLossTotals(device, totals);
      await hooks.onEpoch?.({ epoch, epochs, loss: loss / count, accuracy: hits / count });
      // Let the host deliver an abort (or other messages) between epochs.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    hooks.signal?.throwIfAborted();
    return mlp;
  } catch (error) {
    destroyMlp(mlp);
    throw error;
  } finally {
    for (const optimiser of optimisers) optimiser.destroy();
    destroyMlp(grads);
    for (const buffer of owned) buffer.destroy();
  }
}

/**
 * A parameter tensor as one flat vector for AdamW, row padding included: padding holds zeros
 * with zero gradients, which AdamW keeps at zero.
 */
function flat(view: GpuMatrix | GpuVector<'f32'>): GpuVector<'f32'> {
  const length = 'stride' in view ? view.rows * view.stride : view.length;
  return { buffer: view.buffer, offset: view.offset, length, element: 'f32' };
}
