import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { matrix } from '../tensor';
import { condensationBatch, distanceScale, type CondensationBatchInput, type CondensationVariant } from './batch';
import { tauFromTheta } from './tau';

const B = 7;
const K = 5;
const D = 3;
const MASKED = 2;
const variants: CondensationVariant[] = ['softKMeans', 'softKMedians', 'condensation'];

/** Points and etalons about 0.02 apart, so scaled distances are O(1) and the softmin is neither flat nor hard. */
function problem(variant: CondensationVariant): CondensationBatchInput {
  const rng = createRng(7);
  const random = (n: number, spread: number) => Float32Array.from({ length: n }, () => spread * rng.normal());
  const active = new Uint8Array(K).fill(1);
  active[MASKED] = 0;
  return {
    points: matrix(B, D, random(B * D, 0.02)),
    etalons: matrix(K, D, random(K * D, 0.02)),
    theta: Float32Array.from({ length: K }, () => -10 + 6 * rng.uniform()),
    active,
    beta: 1.3,
    variant,
  };
}

/** The objective written out directly, with (x − c)² summed per coordinate. */
function directLoss({ points, etalons, theta, active, beta, variant }: CondensationBatchInput): number {
  const a = distanceScale(D);
  let total = 0;
  for (let i = 0; i < B; i++) {
    const s: number[] = [];
    const live: number[] = [];
    for (let k = 0; k < K; k++) {
      if (!active[k]) continue;
      let sq = 0;
      for (let t = 0; t < D; t++) sq += (points.data[i * D + t] - etalons.data[k * D + t]) ** 2;
      s.push(a * Math.sqrt(sq));
      live.push(k);
    }
    const e = s.map((v) => Math.exp(-beta * v));
    const z = e.reduce((p, q) => p + q, 0);
    s.forEach((v, n) => {
      const tau = tauFromTheta(theta[live[n]]);
      const f = variant === 'softKMeans' ? v * v : variant === 'softKMedians' ? v : v / tau + Math.log(tau);
      total += (e[n] / z) * f;
    });
  }
  return total / B;
}

/** Central difference of the batch loss in one float32 entry, over the step float32 actually took. */
function centralDifference(input: CondensationBatchInput, target: Float32Array, index: number, h: number): number {
  const original = target[index];
  target[index] = original + h;
  const up = target[index];
  const lossUp = condensationBatch(input).loss;
  target[index] = original - h;
  const down = target[index];
  const lossDown = condensationBatch(input).loss;
  target[index] = original;
  return (lossUp - lossDown) / (up - down);
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

describe('condensationBatch', () => {
  for (const variant of variants) {
    it(`${variant}: loss matches the objective written out directly`, () => {
      const input = problem(variant);
      const { loss } = condensationBatch(input);
      const expected = directLoss(input);
      expect(Math.abs(loss - expected), `|loss − direct| (loss ${loss}, direct ${expected})`).toBeLessThan(1e-9 * Math.abs(expected));
    });

    it(`${variant}: analytic gradients match central differences, masked etalon gets none`, () => {
      const input = problem(variant);
      const { gradEtalons, gradTheta, support } = condensationBatch(input);
      const h = 1e-5;

      const scaleC = maxAbs(gradEtalons.data);
      expect(scaleC, 'some etalon gradient').toBeGreaterThan(0);
      let errC = 0;
      for (let i = 0; i < K * D; i++) {
        errC = Math.max(errC, Math.abs(gradEtalons.data[i] - centralDifference(input, input.etalons.data, i, h)));
      }
      expect(errC / scaleC, 'max |∂L/∂c − finite difference| / max |∂L/∂c|').toBeLessThan(1e-5);

      let errT = 0;
      for (let k = 0; k < K; k++) errT = Math.max(errT, Math.abs(gradTheta[k] - centralDifference(input, input.theta, k, 1e-3)));
      const scaleT = maxAbs(gradTheta);
      if (variant === 'condensation') {
        expect(scaleT, 'some θ gradient').toBeGreaterThan(0);
        expect(errT / scaleT, 'max |∂L/∂θ − finite difference| / max |∂L/∂θ|').toBeLessThan(1e-5);
      } else {
        expect(scaleT, `${variant} does not use θ: max |∂L/∂θ|`).toBe(0);
      }

      for (let t = 0; t < D; t++) expect(gradEtalons.data[MASKED * D + t], `masked etalon ∂L/∂c[${t}]`).toBe(0);
      expect(gradTheta[MASKED], 'masked etalon ∂L/∂θ').toBe(0);
      expect(support[MASKED], 'masked etalon support').toBe(0);
      const total = support.reduce((p, q) => p + q, 0);
      expect(total, 'support summed over etalons = batch size').toBeCloseTo(B, 5);
    });
  }

  it('gives an etalon on top of a point no gradient from it (torch.cdist convention)', () => {
    const point = Float32Array.of(0.1, 1e4, -3);
    const input: CondensationBatchInput = {
      points: matrix(1, 3, point),
      etalons: matrix(2, 3, Float32Array.of(...point, 0.2, 1e4, -3)),
      theta: new Float32Array(2),
      active: Uint8Array.of(1, 1),
      beta: 1,
      variant: 'softKMedians',
    };
    const { loss, gradEtalons } = condensationBatch(input);
    expect(Number.isFinite(loss), `finite loss, got ${loss}`).toBe(true);
    for (let t = 0; t < 3; t++) expect(Math.abs(gradEtalons.data[t]), `|∂L/∂c0[${t}]| at zero distance`).toBe(0);
  });
});
