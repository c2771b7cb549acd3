/**
 * The CPU-path classifier step (ONNX Runtime wasm, float32) against the float64 reference
 * mlpForward → softmaxCrossEntropy → mlpBackward, normwise per output as in
 * cpuCondensationStep.test.ts.
 */
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../../core/classifier/crossEntropy';
import { createMlp, mlpBackward, mlpForward } from '../../core/classifier/mlp';
import { IGNORE_LABEL } from '../../core/labels';
import { createRng } from '../../core/rng';
import { matrix } from '../../core/tensor';
import { trainClassifier } from '../../core/classifier/train';
import { createCpuMlp } from './cpuMlpStep';

const cpu = createCpuMlp(ort);
afterAll(() => cpu.release());

function normwiseError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? err : err / scale;
}

describe('CPU classifier step (ONNX Runtime wasm) matches the core MLP and cross-entropy', () => {
  for (const [name, b, d, h, c, ignored] of [
    ['B = 100, 20% ignored, C = 3', 100, 32, 24, 3, 0.2],
    ['B = 1, C = 2', 1, 16, 16, 2, 0],
    ['backbone-sized: B = 1024, D = H = 384, C = 5', 1024, 384, 384, 5, 0.1],
  ] as const) {
    it(name, async () => {
      const rng = createRng(b + d + c);
      const mlp = createMlp(d, h, c, rng);
      // Spread 2, so that pre-activations cover GELU's bend and both of its tails.
      const features = matrix(b, d, Float32Array.from({ length: b * d }, () => 2 * rng.normal()));
      const labels = Int32Array.from({ length: b }, () => (rng.uniform() < ignored ? IGNORE_LABEL : rng.int(c)));
      const got = await cpu.step(mlp, features, labels);

      const activations = mlpForward(mlp, features);
      const ce = softmaxCrossEntropy(activations.logits, labels);
      const want = mlpBackward(mlp, activations, ce.dLogits);
      let correct = 0;
      for (let i = 0; i < b; i++) {
        if (labels[i] === IGNORE_LABEL) continue;
        const row = activations.logits.data.subarray(i * c, (i + 1) * c);
        if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
      }
      const errors = {
        loss: Math.abs(got.loss - ce.loss) / Math.abs(ce.loss),
        w1: normwiseError(got.gradients.w1.data, want.w1.data),
        b1: normwiseError(got.gradients.b1.data, want.b1.data),
        w2: normwiseError(got.gradients.w2.data, want.w2.data),
        b2: normwiseError(got.gradients.b2.data, want.b2.data),
      };
      console.log(`${name}: ${Object.entries(errors).map(([k, e]) => `${k} ${e.toExponential(1)}`).join(', ')}`);
      expect(got.count).toBe(ce.count);
      expect(got.correct).toBe(correct);
      for (const [k, e] of Object.entries(errors)) expect(e, `normwise error of ${k}`).toBeLessThanOrEqual(1e-4);
    });
  }

  it('gives NaN loss and zero gradients, as torch does, when every label is ignored', async () => {
    const mlp = createMlp(4, 3, 2, createRng(1));
    const got = await cpu.step(mlp, matrix(2, 4), Int32Array.of(IGNORE_LABEL, IGNORE_LABEL));
    expect(got.loss).toBeNaN();
    expect(got.count).toBe(0);
    expect([...got.gradients.w1.data, ...got.gradients.b2.data].every((v) => v === 0)).toBe(true);
  });
});

describe('trainClassifier with the CPU step', () => {
  it('trains to the same weights as the reference step', async () => {
    const rng = createRng(7);
    const [n, d, c] = [300, 12, 3];
    const labels = Int32Array.from({ length: n }, (_, i) => i % c);
    const features = matrix(n, d, Float32Array.from({ length: n * d }, (_, i) => rng.normal() + (Math.floor(i / d) % c === i % d ? 2 : 0)));
    const options = { hidden: 16, epochs: 3, batchSize: 64, lr: 1e-2, seed: 3 };
    const reference = await trainClassifier(features, labels, options);
    const viaCpu = await trainClassifier(features, labels, options, { step: cpu.step });
    for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
      expect(normwiseError(viaCpu[key].data, reference[key].data), `normwise error of ${key} after 3 epochs`).toBeLessThan(1e-4);
    }
  });
});
