import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from '../labels';
import { createRng } from '../rng';
import { matrix, type Matrix } from '../tensor';
import { mlpLogits } from './mlp';
import { trainClassifier, type ClassifierEpoch } from './train';

const D = 8;

/**
 * Three concentric rings in a random 2-D plane of R^8 (radius < 1, 1.5–2.5, 3–4) with small
 * off-plane noise: separable with a margin, but not linearly, so the hidden layer must work.
 * Every tenth sample is off-ring noise labelled IGNORE_LABEL.
 */
function rings(n: number, seed: number, withIgnored = false): { x: Matrix; y: Int32Array } {
  const rng = createRng(seed);
  const basis = [Float64Array.from({ length: D }, (_, i) => (i === 0 ? 1 : 0)), Float64Array.from({ length: D }, (_, i) => (i === 3 ? 1 : 0))];
  const x = matrix(n, D);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ignored = withIgnored && i % 10 === 9;
    const cls = i % 3;
    const radius = ignored ? 4 * rng.uniform() : [0, 1.5, 3][cls] + rng.uniform();
    const angle = 2 * Math.PI * rng.uniform();
    for (let e = 0; e < D; e++) {
      x.data[i * D + e] = radius * (Math.cos(angle) * basis[0][e] + Math.sin(angle) * basis[1][e]) + 0.05 * rng.normal();
    }
    y[i] = ignored ? IGNORE_LABEL : cls;
  }
  return { x, y };
}

function accuracy(logits: Matrix, labels: Int32Array): number {
  const [n, c] = logits.dims;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(logits.data.subarray(i * c, (i + 1) * c));
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  }
  return correct / n;
}

describe('trainClassifier', () => {
  it('separates non-linear rings with held-out accuracy ≥ 0.97, ignoring unlabelled samples', async () => {
    const train = rings(1500, 1, true);
    const test = rings(600, 2);
    const epochs: ClassifierEpoch[] = [];
    const mlp = await trainClassifier(train.x, train.y, { hidden: 32, epochs: 40, batchSize: 64, lr: 1e-2, seed: 7 }, { onEpoch: (e) => void epochs.push(e) });
    const acc = accuracy(mlpLogits(mlp, test.x), test.y);
    console.log(`fixture: classifier rings epochs=40 first_loss=${epochs[0].loss.toFixed(3)} last_loss=${epochs[39].loss.toFixed(4)} train_acc=${epochs[39].accuracy.toFixed(3)} test_acc=${acc.toFixed(3)}`);
    expect(acc, 'held-out accuracy').toBeGreaterThanOrEqual(0.97);
    expect(epochs.map((e) => e.epoch), 'onEpoch once per epoch, in order').toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(epochs[39].loss, 'last epoch loss below a third of the first').toBeLessThan(epochs[0].loss / 3);
  });

  it('uses the official defaults: hidden = D, classes = largest label + 1, 30 epochs', async () => {
    const { x, y } = rings(90, 3);
    const epochs: number[] = [];
    const mlp = await trainClassifier(x, y, {}, { onEpoch: (e) => void epochs.push(e.epoch) });
    expect(mlp.w1.dims, 'w1 [H, D]').toEqual([D, D]);
    expect(mlp.w2.dims, 'w2 [C, H]').toEqual([3, D]);
    expect(epochs.length, 'epochs run').toBe(30);
  });

  it('repeats exactly for a seed and differs for another', async () => {
    const { x, y } = rings(300, 4, true);
    const options = { hidden: 16, epochs: 3, batchSize: 32, lr: 1e-3 };
    const a = await trainClassifier(x, y, { ...options, seed: 5 });
    const b = await trainClassifier(x, y, { ...options, seed: 5 });
    const c = await trainClassifier(x, y, { ...options, seed: 6 });
    for (const name of ['w1', 'b1', 'w2', 'b2'] as const) expect(b[name].data, `${name}, same seed`).toEqual(a[name].data);
    expect(c.w1.data, 'w1, other seed').not.toEqual(a.w1.data);
  });

  it('stops with the abort reason when its signal is aborted', async () => {
    const { x, y } = rings(60, 5);
    const controller = new AbortController();
    let calls = 0;
    const run = trainClassifier(x, y, { epochs: 10 }, {
      signal: controller.signal,
      onEpoch: (e) => {
        calls++;
        if (e.epoch === 2) controller.abort(new Error('user cancelled'));
      },
    });
    await expect(run).rejects.toThrow('user cancelled');
    expect(calls, 'epochs finished before the abort took effect').toBe(2);
  });

  it('rejects inconsistent inputs with clear messages', async () => {
    const { x, y } = rings(30, 6);
    await expect(trainClassifier(x, y.subarray(1))).rejects.toThrow(/30 feature rows but 29 labels/);
    await expect(trainClassifier(x, y, { classes: 2 })).rejects.toThrow(/label 2 at row 2 is outside 0..1/);
    await expect(trainClassifier(x, new Int32Array(30).fill(IGNORE_LABEL))).rejects.toThrow(/nothing to train on/);
    await expect(trainClassifier(x, y, { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(trainClassifier(x, y, { lr: -1 })).rejects.toThrow(/lr must be positive/);
  });
});
