import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { matrix } from '../tensor';
import { reinitEtalons } from './reinit';
import { createSupportState, reinitThreshold, supportedEtalons, updateSupport } from './support';

describe('running support (Eq. 18)', () => {
  it('is the plain mean of the batches while t ≪ 1/q, thanks to the init-bias correction', () => {
    const state = createSupportState(2);
    updateSupport(state, Float32Array.of(30, 2), 32, 0.001);
    expect(state.support[0], 's_1(0): the first batch alone').toBeCloseTo(30, 10);
    expect(state.support[1], 's_1(1): the first batch alone').toBeCloseTo(2, 10);
    updateSupport(state, Float32Array.of(10, 6), 16, 0.001);
    // q_2 = 0.001 / (1 − 0.999²) ≈ 0.50025: a hair over the plain mean.
    const q2 = 0.001 / (1 - 0.999 ** 2);
    expect(state.support[0], 's_2(0)').toBeCloseTo((1 - q2) * 30 + q2 * 10, 10);
    expect(state.batchSize, 'running batch size').toBeCloseTo((1 - q2) * 32 + q2 * 16, 10);
    expect(reinitThreshold(state, 0.5), 'threshold = batch size / K · factor').toBeCloseTo((state.batchSize / 2) * 0.5, 10);
  });

  it('masks etalons below the threshold', () => {
    const state = createSupportState(3);
    updateSupport(state, Float32Array.of(5, 2.9, 1.1), 9, 0.001);
    // Threshold 9 / 3 · 1 = 3.
    expect(Array.from(supportedEtalons(state, 1)), 'mask').toEqual([1, 0, 0]);
  });
});

describe('reinitEtalons', () => {
  it('moves only etalons under the threshold onto batch points, and lifts their support above it', () => {
    const state = createSupportState(3);
    updateSupport(state, Float32Array.of(6, 0.5, 1.5), 8, 0.001);
    const etalons = matrix(3, 2, Float32Array.of(9, 9, 8, 8, 7, 7));
    const batch = matrix(2, 2, Float32Array.of(1, 2, 3, 4));
    const threshold = reinitThreshold(state, 1);
    const moved = reinitEtalons(etalons, state, batch, 1, createRng(0));
    expect(moved, 'etalons moved').toBe(2);
    expect(Array.from(etalons.data.subarray(0, 2)), 'supported etalon stays').toEqual([9, 9]);
    for (const j of [1, 2]) {
      const [a, b] = etalons.data.subarray(j * 2, j * 2 + 2);
      const onPoint = [0, 1].some((p) => Math.abs(a - batch.data[p * 2]) < 1e-6 && Math.abs(b - batch.data[p * 2 + 1]) < 1e-6);
      expect(onPoint, `etalon ${j} within 1e-6 of a batch point, got (${a}, ${b})`).toBe(true);
      expect(state.support[j], `etalon ${j} support`).toBeCloseTo(1.1 * threshold, 10);
    }
  });
});
