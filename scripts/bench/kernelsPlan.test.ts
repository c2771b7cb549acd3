import { describe, expect, test } from 'vitest';
import { benchSizes, classSizes, condensationCases, condensationFlops, epochPlan, gflops, median, wantsAnotherStep } from './kernelsPlan';

describe('FLOP counting', () => {
  test('a step counts 4·B·K·D: the distance and etalon-gradient GEMMs', () => {
    expect(condensationFlops(2048, 1000, 1024)).toBe(8_388_608_000);
    expect(condensationFlops(1, 1, 1)).toBe(4);
  });

  test('GFLOP/s from FLOPs and milliseconds', () => {
    expect(gflops(8_388_608_000, 1000)).toBeCloseTo(8.388608, 9);
    expect(gflops(2e9, 0.5)).toBe(4000);
  });
});

describe('epochs', () => {
  test('points split over classes as evenly as they go', () => {
    expect(classSizes(16384, 10)).toEqual([1639, 1639, 1639, 1639, 1638, 1638, 1638, 1638, 1638, 1638]);
    expect(classSizes(16384, 1)).toEqual([16384]);
    expect(() => classSizes(3, 4)).toThrow(RangeError);
  });

  test('one class: N / batch full steps of the batch', () => {
    expect(epochPlan(16384, 1, 2048)).toEqual({ steps: 8, stepRows: 2048, classPoints: 16384 });
  });

  test('ten classes: each class, smaller than a batch, is one step of its own', () => {
    expect(epochPlan(16384, 10, 2048)).toEqual({ steps: 10, stepRows: 1639, classPoints: 1639 });
  });

  test('a ragged last batch is a step too', () => {
    expect(epochPlan(5000, 2, 1000)).toEqual({ steps: 6, stepRows: 1000, classPoints: 2500 });
  });

  test('the issue sizes: 8 cases, cheapest first', () => {
    const cases = condensationCases(benchSizes(false));
    expect(cases).toHaveLength(8);
    expect(cases[0]).toEqual({ etalons: 200, dim: 384, classes: 1 });
    expect(cases.at(-1)).toEqual({ etalons: 1000, dim: 1024, classes: 10 });
    const work = cases.map((c) => c.etalons * c.dim);
    expect(work).toEqual([...work].sort((a, b) => a - b));
  });
});

describe('timing', () => {
  const plan = { targetMs: 100, minSteps: 2, maxSteps: 4 };

  test('runs at least minSteps, then until the target time, at most maxSteps', () => {
    expect(wantsAnotherStep([], plan)).toBe(true);
    expect(wantsAnotherStep([500], plan)).toBe(true);
    expect(wantsAnotherStep([500, 500], plan)).toBe(false);
    expect(wantsAnotherStep([10, 10, 10], plan)).toBe(true);
    expect(wantsAnotherStep([10, 10, 10, 10], plan)).toBe(false);
  });

  test('median of odd and even counts, NaN of none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
