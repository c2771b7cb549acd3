/**
 * The §3.2 classifier trained on the GPU with the semantics of src/core/classifier/train.ts:
 * the same options and defaults, the same seeded initialisation and shuffles (drawn on the CPU
 * from the same generator), the same skipping of batches whose labels are all ignored, and
 * AdamW at a constant learning rate. Weights, gradients and optimiser moments stay on the GPU;
 * the only read-back is the epoch's loss totals, once per epoch.
 */
import { checkpoint } from '../core/checkpoint';
import { createMlp, type Mlp } from '../core/classifier/mlp';
import { resolveClassifierOptions, type TrainClassifierHooks, type TrainClassifierOptions } from '../core/classifier/train';
import { IGNORE_LABEL } from '../core/labels';
import { createRng } from '../core/rng';
import type { Matrix } from '../core/tensor';
import { writeVector, type GpuMatrix, type GpuVector } from './gpuMatrix';
import { GpuScope } from './gpuScope';
import { KernelRecorder } from './kernelRecorder';
import { gpuKernelSet } from './kernels';
import { createCrossEntropyBuffers, createGpuMlp, createLossTotals, firstEntries, firstRows, mlpDims, readLossTotals, readMlp, uploadLabels, uploadMlp, type GpuActivations, type GpuCrossEntropy } from './mlpKernels';

/** Training steps recorded into one submit: fewer submits, yet no command buffer long enough to stall the GPU. */
const STEPS_PER_SUBMIT = 16;

/**
 * Trains on `features` [N, D] with `labels` [N] (class index or IGNORE_LABEL) and returns the
 * MLP, read back from the GPU. Rejects as trainClassifier does: a RangeError for bad inputs, the
 * signal's reason on abort.
 */
export async function trainClassifierGpu(
  device: GPUDevice,
  features: Matrix,
  labels: Int32Array,
  options: TrainClassifierOptions = {},
  hooks: TrainClassifierHooks = {},
): Promise<Mlp> {
  const [n, d] = features.dims;
  const { hidden, classes, epochs, batchSize, lr, weightDecay, seed } = resolveClassifierOptions(features, labels, options);
  const kernels = await gpuKernelSet(device, ['mlp', 'adamw']);

  const rng = createRng(seed);
  const scope = new GpuScope(device);
  try {
    const mlp = uploadMlp(scope, createMlp(d, hidden, classes, rng), 'classifier');
    const dims = mlpDims(mlp);
    const rows = Math.min(batchSize, n);
    const grads = createGpuMlp(scope, dims, 'classifier gradients');
    const allFeatures = scope.upload(features, 'training features');
    const allLabels = uploadLabels(scope, labels, 'training labels');
    const order = scope.vector(n, 'u32', 'epoch order');
    const batch = scope.matrix(rows, d, 'batch features');
    const batchLabels = scope.vector(rows, 'u32', 'batch labels');
    const act: GpuActivations = {
      pre: scope.matrix(rows, hidden, 'pre-activations'),
      hidden: scope.matrix(rows, hidden, 'hidden'),
      logits: scope.matrix(rows, classes, 'logits'),
    };
    const dPre = scope.matrix(rows, hidden, 'dPre');
    const ce = createCrossEntropyBuffers(scope, rows, classes);
    const totals = createLossTotals(scope);
    const pairs: [GpuMatrix | GpuVector<'f32'>, GpuMatrix | GpuVector<'f32'>][] = [
      [mlp.w1, grads.w1],
      [mlp.b1, grads.b1],
      [mlp.w2, grads.w2],
      [mlp.b2, grads.b2],
    ];
    const optimisers = pairs.map(([values, grad]) => kernels.adamw.bind(scope, { values: flat(values), grad: flat(grad) }, { weightDecay }));

    for (let epoch = 1; epoch <= epochs; epoch++) {
      hooks.signal?.throwIfAborted();
      const permutation = rng.permutation(n);
      writeVector(device, order, permutation);
      writeVector(device, totals, new Uint32Array(3));
      let rec = new KernelRecorder(device, `classifier epoch ${epoch}`);
      let recorded = 0;
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        // torch's loss is NaN for a batch with every label ignored (the official run would stop); skip it.
        if (permutation.subarray(start, start + size).every((i) => labels[i] === IGNORE_LABEL)) continue;
        const view = (m: GpuMatrix): GpuMatrix => firstRows(m, size);
        const stepAct: GpuActivations = { pre: view(act.pre), hidden: view(act.hidden), logits: view(act.logits) };
        const stepCe: GpuCrossEntropy = { ...ce, dLogits: view(ce.dLogits), rowLoss: firstEntries(ce.rowLoss, size), rowHit: firstEntries(ce.rowHit, size) };
        const stepLabels = firstEntries(batchLabels, size);
        kernels.mlp.gather(rec, allFeatures, allLabels, order, start, view(batch), stepLabels);
        kernels.mlp.forward(rec, mlp, view(batch), stepAct);
        kernels.mlp.crossEntropy(rec, stepAct.logits, stepLabels, stepCe, totals);
        kernels.mlp.backward(rec, mlp, view(batch), stepAct, stepCe.dLogits, view(dPre), grads);
        for (const optimiser of optimisers) optimiser.record(rec, lr);
        recorded += 1;
        if (recorded % STEPS_PER_SUBMIT === 0) {
          rec.submit();
          rec = new KernelRecorder(device, `classifier epoch ${epoch}`);
        }
      }
      rec.submit();
      const { loss, count, hits } = await readLossTotals(device, totals);
      await hooks.onEpoch?.({ epoch, epochs, loss: loss / count, accuracy: hits / count });
      await checkpoint(hooks.signal);
    }
    return await readMlp(device, mlp);
  } finally {
    scope.destroy();
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
