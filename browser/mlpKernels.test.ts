/**
 * shaders/mlp.wgsl against src/core/classifier on seeded random data, in real Chromium.
 * Relative error: |gpu − ref| / max(|ref|, floor) (helpers/kernelCheck.ts), with the floor at
 * 1e-3 of the largest |ref| of the tensor, where float32 sums of D terms of that size cancel.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { softmaxCrossEntropy } from '../src/core/classifier/crossEntropy';
import { gelu, geluDerivative } from '../src/core/classifier/gelu';
import { createMlp, mlpBackward, mlpForward, mlpLogits, type Mlp } from '../src/core/classifier/mlp';
import { IGNORE_LABEL } from '../src/core/labels';
import { createRng, type Rng } from '../src/core/rng';
import { gatherRows, matrix, tensor } from '../src/core/tensor';
import { createGpuMatrix, createGpuVector, readMatrix, uploadMatrix, writeMatrix, writeVector, type GpuMatrix } from '../src/gpu/gpuMatrix';
import { GpuScope } from '../src/gpu/gpuScope';
import { KernelRecorder } from '../src/gpu/kernelRecorder';
import { gpuKernels } from '../src/gpu/kernels';
import {
  createCrossEntropyBuffers,
  createGpuMlp,
  createLossTotals,
  MlpKernels,
  readLabels,
  readLossTotals,
  readMlp,
  uploadLabels,
  uploadMlp,
  type GpuActivations,
} from '../src/gpu/mlpKernels';
import { compare, format, maxAbs, randomMatrix, testDevice, timed } from './helpers/kernelCheck';

const TOLERANCE = 1e-4;
const FLOOR = 1e-3;

let device: GPUDevice;
/** Owns the buffers that the wrappers' helpers create. */
let scope: GpuScope;
let kernels: MlpKernels;

beforeAll(async () => {
  device = await testDevice();
  scope = new GpuScope(device);
  kernels = await gpuKernels(device, 'mlp');
});

afterAll(() => {
  scope.destroy();
  device.destroy();
});

function expectClose(name: string, got: ArrayLike<number>, want: ArrayLike<number>, floor = FLOOR * maxAbs(want)): void {
  const report = compare(got, want, floor);
  console.log(`mlp ${name}: ${format(report)} (floor ${floor.toExponential(1)})`);
  expect(report.relative, `${name}: worst at ${report.at}, gpu ${got[report.at]} ref ${want[report.at]}`).toBeLessThanOrEqual(TOLERANCE);
}

function randomLabels(rng: Rng, n: number, classes: number, ignoredShare: number): Int32Array {
  return Int32Array.from({ length: n }, () => (rng.uniform() < ignoredShare ? IGNORE_LABEL : rng.int(classes)));
}

async function run(label: string, record: (rec: KernelRecorder) => void): Promise<void> {
  const rec = new KernelRecorder(device, label);
  record(rec);
  rec.submit();
  await device.queue.onSubmittedWorkDone();
}

function createActivations(rows: number, hidden: number, classes: number): GpuActivations {
  return {
    pre: createGpuMatrix(device, rows, hidden, 'pre'),
    hidden: createGpuMatrix(device, rows, hidden, 'hidden'),
    logits: createGpuMatrix(device, rows, classes, 'logits'),
  };
}

describe('GELU (erf form) and its derivative', () => {
  test('match core/classifier/gelu over [−13, 13]', async () => {
    // Linear(1, H) with weight 1 on a zero input makes the pre-activation exactly the bias.
    const zs = Float32Array.from({ length: 4001 }, (_, i) => -13 + (26 * i) / 4000);
    zs.set([0, 1e-3, -1e-3, 1e-20, -1e-20, -0.7517915], 0);
    const h = zs.length;
    const mlp: Mlp = {
      w1: matrix(h, 1, new Float32Array(h).fill(1)),
      b1: tensor([h] as const, zs),
      w2: matrix(1, h, new Float32Array(h).fill(1)),
      b2: tensor([1] as const, new Float32Array(1)),
    };
    const gpuMlp = uploadMlp(scope, mlp);
    const input = uploadMatrix(device, matrix(1, 1), 'zero input');
    const act = createActivations(1, h, 1);
    const dLogits = uploadMatrix(device, matrix(1, 1, Float32Array.of(1)), 'dLogits');
    const dPre = createGpuMatrix(device, 1, h, 'dPre');
    const grads = createGpuMlp(scope, { inputDim: 1, hidden: h, classes: 1 }, 'grads');
    await run('gelu', (rec) => {
      kernels.forward(rec, gpuMlp, input, act);
      kernels.backward(rec, gpuMlp, input, act, dLogits, dPre, grads);
    });
    const pre = (await readMatrix(device, act.pre)).data;
    expect(Array.from(pre)).toEqual(Array.from(zs));
    const values = (await readMatrix(device, act.hidden)).data;
    const slopes = (await readMatrix(device, dPre)).data;
    // Pure relative error for GELU down to 1e-30 (GPUs may flush float32 subnormals to zero).
    expectClose('GELU', values, Float64Array.from(zs, gelu), 1e-30);
    // The derivative is Φ(x) + x·φ(x), terms of about 0.23 that cancel at x = −0.75179: there
    // the error can only be small next to them, so the floor is 1e-3.
    expectClose("GELU'", slopes, Float64Array.from(zs, geluDerivative), 1e-3);
  });
});

interface Case {
  readonly name: string;
  readonly rows: number;
  readonly inputDim: number;
  readonly hidden: number;
  readonly classes: number;
}

const cases: Case[] = [
  { name: 'ragged', rows: 77, inputDim: 50, hidden: 37, classes: 3 },
  { name: 'D = 1024', rows: 70, inputDim: 1024, hidden: 96, classes: 4 },
  { name: 'D = 1, H = 1', rows: 9, inputDim: 1, hidden: 1, classes: 2 },
  { name: 'one class: zero loss and gradients', rows: 5, inputDim: 3, hidden: 2, classes: 1 },
  { name: 'more rows than a tile holds', rows: 200, inputDim: 20, hidden: 130, classes: 2 },
];

describe.each(cases)('$name: N=$rows D=$inputDim H=$hidden C=$classes', ({ name, rows, inputDim, hidden, classes }) => {
  const rng = createRng(rows * 7919 + inputDim);
  const mlp = createMlp(inputDim, hidden, classes, rng);
  const features = randomMatrix(rng, rows, inputDim, 2);
  const labels = randomLabels(rng, rows, classes, 0.2);
  const ref = mlpForward(mlp, features);

  test('forward: pre-activations, GELU, logits', async () => {
    const gpuMlp = uploadMlp(scope, mlp);
    const input = uploadMatrix(device, features, 'features');
    const act = createActivations(rows, hidden, classes);
    const { ms } = await timed(() => run('forward', (rec) => kernels.forward(rec, gpuMlp, input, act)));
    console.log(`mlp ${name} forward: ${ms.toFixed(1)} ms on this adapter`);
    expectClose(`${name} pre`, (await readMatrix(device, act.pre)).data, ref.preActivation.data);
    expectClose(`${name} hidden`, (await readMatrix(device, act.hidden)).data, ref.hidden.data);
    expectClose(`${name} logits`, (await readMatrix(device, act.logits)).data, ref.logits.data);
  });

  test('inference logits, features at an unaligned offset, in chunks of rows', async () => {
    const gpuMlp = uploadMlp(scope, mlp);
    // Three prefix rows, as CLS and register tokens sit before the patch tokens of a backbone.
    const prefix = 3;
    const padded = createGpuMatrix(device, prefix + rows, inputDim, 'tokens');
    const tokens = new Float32Array((prefix + rows) * inputDim).fill(1e6);
    tokens.set(features.data, prefix * inputDim);
    writeMatrix(device, padded, matrix(prefix + rows, inputDim, tokens));
    const view: GpuMatrix = { ...padded, offset: prefix * padded.stride * 4, rows };
    const out = createGpuMatrix(device, rows, classes, 'logits');
    // Room for 64 hidden rows at a time, so the larger cases run in several chunks.
    const chunkBytes = 64 * 4 * Math.ceil(hidden / 4) * 4;
    await run('logits', (rec) => kernels.logits(rec, gpuMlp, view, out, chunkBytes));
    expectClose(`${name} inference logits`, (await readMatrix(device, out)).data, mlpLogits(mlp, features).data);
  });

  test('softmax cross-entropy with ignored labels', async () => {
    // Every 11th logit far from zero: exp would overflow without the shift by the row's max.
    const logits = matrix(rows, classes, Float32Array.from(ref.logits.data, (v, i) => (i % 11 === 0 ? v * 400 : v)));
    const want = softmaxCrossEntropy(logits, labels);
    const buffers = createCrossEntropyBuffers(scope, rows, classes);
    const totals = createLossTotals(scope);
    const gpuLabels = uploadLabels(scope, labels);
    const gpuLogits = uploadMatrix(device, logits, 'logits');
    await run('cross-entropy', (rec) => kernels.crossEntropy(rec, gpuLogits, gpuLabels, buffers, totals));
    const sums = await readLossTotals(device, totals);
    expect(sums.count).toBe(want.count);
    expect(Array.from(await readLabels(device, gpuLabels))).toEqual(Array.from(labels));
    let hits = 0;
    for (let i = 0; i < rows; i++) {
      if (labels[i] === IGNORE_LABEL) continue;
      const row = Array.from(logits.data.subarray(i * classes, (i + 1) * classes));
      if (row.indexOf(Math.max(...row)) === labels[i]) hits++;
    }
    expect(sums.hits).toBe(hits);
    expectClose(`${name} loss`, [sums.loss / sums.count], [want.loss], 0);
    expectClose(`${name} dLogits`, (await readMatrix(device, buffers.dLogits)).data, want.dLogits.data);
  });

  test('backward: every weight and bias gradient', async () => {
    const { dLogits } = softmaxCrossEntropy(ref.logits, labels);
    const want = mlpBackward(mlp, ref, dLogits);
    const gpuMlp = uploadMlp(scope, mlp);
    // The reference's own activations, so the gradients are compared alone.
    const act: GpuActivations = {
      pre: uploadMatrix(device, ref.preActivation, 'pre'),
      hidden: uploadMatrix(device, ref.hidden, 'hidden'),
      logits: uploadMatrix(device, ref.logits, 'logits'),
    };
    const grads = createGpuMlp(scope, { inputDim, hidden, classes }, 'grads');
    const dPre = createGpuMatrix(device, rows, hidden, 'dPre');
    const input = uploadMatrix(device, features, 'features');
    const gpuDLogits = uploadMatrix(device, dLogits, 'dLogits');
    const { ms } = await timed(() => run('backward', (rec) => kernels.backward(rec, gpuMlp, input, act, gpuDLogits, dPre, grads)));
    console.log(`mlp ${name} backward: ${ms.toFixed(1)} ms on this adapter`);
    const got = await readMlp(device, grads);
    for (const key of ['w1', 'b1', 'w2', 'b2'] as const) expectClose(`${name} grad ${key}`, got[key].data, want[key].data);
  });
});

test('an all-ignored batch counts nothing and has zero gradients', async () => {
  const logits = randomMatrix(createRng(5), 9, 3);
  const labels = new Int32Array(9).fill(IGNORE_LABEL);
  const buffers = createCrossEntropyBuffers(scope, 9, 3);
  const totals = createLossTotals(scope);
  await run('ignored', (rec) => kernels.crossEntropy(rec, uploadMatrix(device, logits, 'logits'), uploadLabels(scope, labels), buffers, totals));
  expect(await readLossTotals(device, totals)).toEqual({ loss: 0, count: 0, hits: 0 });
  expect(maxAbs((await readMatrix(device, buffers.dLogits)).data)).toBe(0);
});

test('gather picks the batch rows and labels through the order', async () => {
  const rng = createRng(3);
  const features = randomMatrix(rng, 40, 7);
  const labels = randomLabels(rng, 40, 4, 0.3);
  const order = rng.permutation(40);
  const start = 13;
  const count = 21;
  const orderVector = createGpuVector(device, 40, 'u32', 'order');
  writeVector(device, orderVector, order);
  const batch = createGpuMatrix(device, count, 7, 'batch');
  const batchLabels = createGpuVector(device, count, 'u32', 'batch labels');
  await run('gather', (rec) => kernels.gather(rec, uploadMatrix(device, features, 'features'), uploadLabels(scope, labels), orderVector, start, batch, batchLabels));
  const picked = order.subarray(start, start + count);
  expect(Array.from((await readMatrix(device, batch)).data)).toEqual(Array.from(gatherRows(features, picked).data));
  expect(Array.from(await readLabels(device, batchLabels))).toEqual(Array.from(picked, (i) => labels[i]));
});
