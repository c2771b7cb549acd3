import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from '../labels';
import { createRng } from '../rng';
import { matrix, type Matrix } from '../tensor';
import { softmaxCrossEntropy } from './crossEntropy';
import { gelu } from './gelu';
import { createMlp, mlpBackward, mlpForward, mlpLogits, type Mlp } from './mlp';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return matrix(rows, cols, Float32Array.from({ length: rows * cols }, () => rng.normal()));
}

type Params64 = Record<keyof Mlp, Float64Array>;

/** Mean CE of the MLP computed independently in float64, for finite differences. */
function referenceLoss(p: Params64, x: Matrix, labels: Int32Array, h: number, c: number): number {
  const [n, d] = x.dims;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === IGNORE_LABEL) continue;
    count++;
    const a = Array.from({ length: h }, (_, j) => {
      let s = p.b1[j];
      for (let e = 0; e < d; e++) s += p.w1[j * d + e] * x.data[i * d + e];
      return gelu(s);
    });
    const logits = Array.from({ length: c }, (_, k) => a.reduce((s, v, j) => s + p.w2[k * h + j] * v, p.b2[k]));
    const max = Math.max(...logits);
    sum += max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0)) - logits[labels[i]];
  }
  return sum / count;
}

describe('createMlp', () => {
  it('draws like torch.nn.Linear: uniform in ±1/√fan_in, dims [out, in], repeatable per seed', () => {
    const mlp = createMlp(64, 32, 5, createRng(1));
    expect(mlp.w1.dims).toEqual([32, 64]);
    expect(mlp.b1.dims).toEqual([32]);
    expect(mlp.w2.dims).toEqual([5, 32]);
    expect(mlp.b2.dims).toEqual([5]);
    const bound1 = 1 / 8;
    const w1 = Array.from(mlp.w1.data);
    expect(Math.max(...w1.map(Math.abs)), 'max |w1|').toBeLessThanOrEqual(bound1);
    expect(Math.max(...w1.map(Math.abs)), 'max |w1| reaches near the bound').toBeGreaterThan(0.99 * bound1);
    const variance = w1.reduce((s, v) => s + v * v, 0) / w1.length;
    expect(variance, 'w1 variance ≈ bound²/3').toBeCloseTo(bound1 ** 2 / 3, 3);
    expect(Math.max(...Array.from(mlp.b2.data).map(Math.abs)), 'max |b2|').toBeLessThanOrEqual(1 / Math.sqrt(32));
    expect(createMlp(64, 32, 5, createRng(1)).w2.data, 'same seed, same weights').toEqual(mlp.w2.data);
  });

  it('rejects non-positive sizes', () => {
    expect(() => createMlp(0, 4, 2, createRng(0))).toThrow(/inputDim/);
    expect(() => createMlp(3, 2.5, 2, createRng(0))).toThrow(/hidden/);
  });
});

describe('mlpForward', () => {
  it('computes W2·GELU(W1·x + b1) + b2 on a hand example', () => {
    const mlp: Mlp = {
      w1: matrix(2, 2, Float32Array.from([1, 0, 0.5, -1])),
      b1: { dims: [2], data: Float32Array.from([0, 0.5]) },
      w2: matrix(1, 2, Float32Array.from([2, -1])),
      b2: { dims: [1], data: Float32Array.from([0.25]) },
    };
    const out = mlpForward(mlp, matrix(1, 2, Float32Array.from([1, 1])));
    // z = [1, 0.5 − 1 + 0.5] = [1, 0]; a = [GELU(1), 0]; logit = 2·0.8413447460685429 + 0.25
    expect(Array.from(out.preActivation.data)).toEqual([1, 0]);
    expect(out.logits.data[0], 'logit').toBeCloseTo(2 * 0.8413447460685429 + 0.25, 6);
  });

  it('mlpLogits gives exactly the logits of mlpForward', () => {
    const mlp = createMlp(6, 9, 3, createRng(3));
    const x = randomMatrix(11, 6, 4);
    expect(mlpLogits(mlp, x).data).toEqual(mlpForward(mlp, x).logits.data);
    expect(() => mlpLogits(mlp, randomMatrix(2, 5, 0))).toThrow(/input must be \[N, 6\]/);
  });
});

describe('mlpBackward', () => {
  it('matches float64 central differences for every weight and bias, with ignored samples', () => {
    const [d, h, c] = [5, 7, 4];
    const mlp = createMlp(d, h, c, createRng(11));
    // Larger weights than the init push activations into GELU's curved range.
    for (const t of [mlp.w1, mlp.b1, mlp.w2, mlp.b2]) t.data.forEach((v, i) => (t.data[i] = 4 * v));
    const x = randomMatrix(8, d, 12);
    const labels = Int32Array.from([0, 3, IGNORE_LABEL, 1, 2, IGNORE_LABEL, 3, 0]);

    const activations = mlpForward(mlp, x);
    const ce = softmaxCrossEntropy(activations.logits, labels);
    const grads = mlpBackward(mlp, activations, ce.dLogits);

    const p: Params64 = { w1: Float64Array.from(mlp.w1.data), b1: Float64Array.from(mlp.b1.data), w2: Float64Array.from(mlp.w2.data), b2: Float64Array.from(mlp.b2.data) };
    expect(referenceLoss(p, x, labels, h, c), 'float64 loss vs forward loss').toBeCloseTo(ce.loss, 5);
    const step = 1e-6;
    for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
      let maxErr = 0;
      let maxGrad = 0;
      for (let i = 0; i < p[name].length; i++) {
        const v = p[name][i];
        p[name][i] = v + step;
        const up = referenceLoss(p, x, labels, h, c);
        p[name][i] = v - step;
        const down = referenceLoss(p, x, labels, h, c);
        p[name][i] = v;
        const fd = (up - down) / (2 * step);
        maxErr = Math.max(maxErr, Math.abs(grads[name].data[i] - fd));
        maxGrad = Math.max(maxGrad, Math.abs(fd));
      }
      expect(maxGrad, `max |∂L/∂${name}| (the check must not be vacuous)`).toBeGreaterThan(1e-3);
      // The forward keeps float32 activations (like torch), so agreement stops near 1e-8.
      expect(maxErr, `max |analytic − FD| for ${name}`).toBeLessThan(5e-7);
    }
  });

  it('rejects a dLogits of the wrong shape', () => {
    const mlp = createMlp(3, 4, 2, createRng(0));
    const activations = mlpForward(mlp, randomMatrix(5, 3, 1));
    expect(() => mlpBackward(mlp, activations, matrix(5, 3))).toThrow(/dLogits must be \[5, 2\]/);
  });
});
