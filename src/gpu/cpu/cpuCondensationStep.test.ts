/**
 * The CPU-path condensation step (ONNX Runtime wasm, float32) against the float64 reference
 * `condensationBatch`, on seeded random problems shaped like whitened training data.
 *
 * Error measure: max |cpu − reference| / max |reference| per output (normwise). An entry-wise
 * relative error has no honest bound in float32: supports and θ gradients of far-away etalons
 * are ~1e-30 and carry absolute errors of the size of the large entries' rounding.
 */
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { condensationBatch, type CondensationBatchInput, type CondensationBatchResult, type CondensationVariant } from '../../core/condensation/batch';
import { createRng } from '../../core/rng';
import { matrix } from '../../core/tensor';
import { createCpuCondensation } from './cpuCondensationStep';

const TOLERANCE = 1e-4;
const variants: CondensationVariant[] = ['softKMeans', 'softKMedians', 'condensation'];
const cpu = createCpuCondensation(ort);
afterAll(() => cpu.release());

interface Problem {
  readonly b: number;
  readonly k: number;
  readonly d: number;
  readonly seed: number;
  /** Share of etalons masked. */
  readonly masked?: number;
  /** Points moved this many standard deviations away along one direction (every third point). */
  readonly far?: number;
  readonly beta?: number;
}

/** Unit-variance points and etalons (whitened data), θ spread over τ ≈ 20…80. */
function problem(variant: CondensationVariant, p: Problem): CondensationBatchInput {
  const rng = createRng(p.seed);
  const normals = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const points = normals(p.b * p.d);
  if (p.far) for (let i = 0; i < p.b; i += 3) points[i * p.d] += p.far;
  const active = Uint8Array.from({ length: p.k }, () => (rng.uniform() < (p.masked ?? 0) ? 0 : 1));
  active[0] = 1;
  return {
    points: matrix(p.b, p.d, points),
    etalons: matrix(p.k, p.d, normals(p.k * p.d)),
    theta: Float32Array.from({ length: p.k }, () => -3 + 6 * rng.uniform()),
    active,
    beta: p.beta ?? 1.3,
    variant,
  };
}

function normwiseError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return scale === 0 ? err : err / scale;
}

function compare(label: string, input: CondensationBatchInput, got: CondensationBatchResult): void {
  const want = condensationBatch(input);
  const errors = {
    loss: Math.abs(got.loss - want.loss) / Math.abs(want.loss),
    gradEtalons: normwiseError(got.gradEtalons.data, want.gradEtalons.data),
    gradTheta: normwiseError(got.gradTheta, want.gradTheta),
    support: normwiseError(got.support, want.support),
  };
  console.log(`${label}: ${Object.entries(errors).map(([name, e]) => `${name} ${e.toExponential(1)}`).join(', ')}`);
  expect(got.gradEtalons.dims).toEqual(want.gradEtalons.dims);
  for (const [name, error] of Object.entries(errors)) expect(error, `${label}: normwise error of ${name}`).toBeLessThanOrEqual(TOLERANCE);
  for (let j = 0; j < input.active.length; j++) {
    if (input.active[j]) continue;
    expect(got.support[j], `${label}: support of masked etalon ${j}`).toBe(0);
    expect(got.gradTheta[j], `${label}: ∂L/∂θ of masked etalon ${j}`).toBe(0);
    expect(Math.max(...got.gradEtalons.data.subarray(j * input.points.dims[1], (j + 1) * input.points.dims[1]).map(Math.abs)), `${label}: ∂L/∂c of masked etalon ${j}`).toBe(0);
  }
}

const problems: Record<string, Problem> = {
  'small, 30% masked': { b: 37, k: 11, d: 8, seed: 1, masked: 0.3 },
  'K = 1': { b: 64, k: 1, d: 16, seed: 2 },
  'D = 2 (toy2d shape)': { b: 512, k: 50, d: 2, seed: 3, masked: 0.2 },
  'far points (40σ)': { b: 200, k: 40, d: 64, seed: 4, far: 40, masked: 0.1 },
  'nearly hard softmin (β = 2)': { b: 300, k: 100, d: 64, seed: 5, beta: 2 },
  'D = 384, K = 200': { b: 256, k: 200, d: 384, seed: 6, masked: 0.1 },
};

describe('CPU condensation step (ONNX Runtime wasm) matches condensationBatch', () => {
  for (const variant of variants) {
    for (const [name, p] of Object.entries(problems)) {
      it(`${variant}: ${name}`, async () => {
        const input = problem(variant, p);
        compare(`${variant} ${name}`, input, await cpu.step(input));
      });
    }

    it(`${variant}: ragged batches reuse one session (B = 1000, 123, 1)`, async () => {
      for (const b of [1000, 123, 1]) {
        const input = problem(variant, { b, k: 60, d: 32, seed: 7 + b, masked: 0.2 });
        compare(`${variant} B=${b}`, input, await cpu.step(input));
      }
    });
  }

  it('gives zeros, as the reference does, when every etalon is masked', async () => {
    const input = { ...problem('condensation', { b: 10, k: 4, d: 3, seed: 9 }), active: new Uint8Array(4) };
    const got = await cpu.step(input);
    expect(got.loss).toBe(0);
    expect([...got.gradEtalons.data, ...got.gradTheta, ...got.support].every((v) => v === 0)).toBe(true);
  });

  it('gives an etalon on top of a point no gradient from it (torch.cdist convention)', async () => {
    // Values exact in float32, so that the expanded distance of the coinciding pair is exactly 0.
    const point = Float32Array.of(0.5, -1, 2);
    const input: CondensationBatchInput = {
      points: matrix(2, 3, Float32Array.of(...point, 1.5, -1, 2)),
      etalons: matrix(2, 3, Float32Array.of(...point, 0.75, -1, 2)),
      theta: new Float32Array(2),
      active: Uint8Array.of(1, 1),
      beta: 1,
      variant: 'softKMedians',
    };
    compare('etalon on a point', input, await cpu.step(input));
  });
});
