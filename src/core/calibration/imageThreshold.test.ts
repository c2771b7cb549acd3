import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { fitGumbel, gumbelQuantile, heldOutCount, heldOutIndices, imageThreshold, withGoodPart } from './imageThreshold';

const TRUE_GUMBEL = { location: 12, scale: 2.5 };

function gumbelSamples(n: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    let u = 0;
    while (u === 0) u = rng.uniform();
    return TRUE_GUMBEL.location - TRUE_GUMBEL.scale * Math.log(-Math.log(u));
  });
}

describe('held-out good images', () => {
  it('holds out a fifth (at least 5) from 10 images, half below, none below 2', () => {
    const cases: [number, number][] = [[0, 0], [1, 0], [2, 1], [3, 1], [9, 4], [10, 5], [24, 5], [28, 6], [100, 20], [209, 42]];
    for (const [n, expected] of cases) expect(heldOutCount(n), `held out of ${n}`).toBe(expected);
  });

  it('spreads them over the name order, each once', () => {
    expect(heldOutIndices(10)).toEqual([1, 3, 5, 7, 9]);
    expect(heldOutIndices(3)).toEqual([1]);
    const many = heldOutIndices(100);
    expect(new Set(many).size, 'distinct').toBe(20);
    expect(Math.min(...many), 'first').toBeLessThan(5);
    expect(Math.max(...many), 'last').toBeGreaterThan(95);
  });
});

describe('Gumbel fit', () => {
  it('recovers a known distribution’s tail quantile from seeded samples', () => {
    const fit = fitGumbel(gumbelSamples(5000, 3));
    expect(fit.location, 'location').toBeCloseTo(TRUE_GUMBEL.location, 0);
    expect(fit.scale, 'scale').toBeCloseTo(TRUE_GUMBEL.scale, 0);
    const truth = gumbelQuantile(TRUE_GUMBEL, 0.999);
    expect(Math.abs(gumbelQuantile(fit, 0.999) - truth) / truth, `0.999 quantile, true ${truth}`).toBeLessThan(0.03);
  });

  it('gives the textbook quantiles of the standard Gumbel', () => {
    expect(gumbelQuantile({ location: 0, scale: 1 }, Math.exp(-1)), 'at F = 1/e').toBeCloseTo(0, 12);
    expect(gumbelQuantile({ location: 0, scale: 1 }, 0.99), '0.99').toBeCloseTo(4.600149, 5);
  });
});

describe('imageThreshold', () => {
  it('is the interpolated empirical quantile when α·n ≥ 1', () => {
    const severities = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(imageThreshold(severities, 0.1), 'α = 10%, n = 10').toEqual({ severity: 9.1, method: 'empirical', heldOut: 10, confirmableRate: 0.3 });
    expect(imageThreshold([4, 0, 2, 6], 0.5).severity, 'median of an unsorted set').toBe(3);
  });

  it('extrapolates by the Gumbel fit below 1/n, within tolerance of the true quantile', () => {
    const threshold = imageThreshold(gumbelSamples(200, 11), 0.001);
    const truth = gumbelQuantile(TRUE_GUMBEL, 0.999);
    expect(threshold.method).toBe('gumbel');
    expect(Math.abs(threshold.severity - truth) / truth, `fitted ${threshold.severity}, true ${truth}`).toBeLessThan(0.1);
    expect(threshold.confirmableRate, 'rule of three').toBeCloseTo(0.015, 12);
  });

  it('never rejects a held-out good image when it extrapolates', () => {
    const severities = [1, 1.1, 1.2, 1.15, 9];
    const threshold = imageThreshold(severities, 0.01);
    expect(threshold.severity, 'at least the largest held-out severity').toBeGreaterThanOrEqual(9);
  });

  it('refuses too few images and an α outside (0, 1)', () => {
    expect(() => imageThreshold([1], 0.01)).toThrow(/at least 2/);
    expect(() => imageThreshold([1, 2], 0)).toThrow(/α/);
    expect(() => imageThreshold([1, 2], 1)).toThrow(/α/);
  });
});

describe('withGoodPart', () => {
  const calibration = { severities: [1.0, 1.2, 1.3, 1.5, 1.6, 2.0], heldOut: [['a', 'b', 'c', 'd', 'e', 'f']] };

  it('adds the part in order, names it with its class, and lifts the threshold above it at α = 1%', () => {
    const before = imageThreshold(calibration.severities, 0.01).severity;
    const part = 2 * before;
    const after = withGoodPart(calibration, 0, 'frame 12', part);
    expect(after.severities).toEqual([1.0, 1.2, 1.3, 1.5, 1.6, 2.0, part]);
    expect(after.heldOut).toEqual([['a', 'b', 'c', 'd', 'e', 'f', 'frame 12']]);
    const threshold = imageThreshold(after.severities, 0.01).severity;
    expect(threshold, `threshold ${threshold} for a part at ${part}`).toBeGreaterThan(part);
  });

  it('keeps the cell severities in step with the held-out images when the part brings its own, and drops them when it does not', () => {
    const grid = (value: number) => ({ width: 1, height: 1, data: Float32Array.of(value), imageWidth: 14, imageHeight: 14 });
    const twoClasses = { severities: [1, 2, 3], heldOut: [['a', 'b'], ['c']], cells: [grid(1), grid(2), grid(3)] };
    const after = withGoodPart(twoClasses, 0, 'frame 7', 9, grid(9));
    expect(after.heldOut).toEqual([['a', 'b', 'frame 7'], ['c']]);
    expect(after.cells?.map((c) => c.data[0]), 'the part’s cells after its class’s last image').toEqual([1, 2, 9, 3]);
    expect(withGoodPart(twoClasses, 0, 'frame 7', 9).cells, 'without the part’s cells none are kept').toBeUndefined();
  });

  it("hardly moves the threshold for a part whose refreshed etalons brought it under the good parts' median, where its old severity would lift it far", () => {
    // Six held-out severities as the demo's model gives them (nats), the threshold from their Gumbel fit (α·n < 1).
    const demo = { severities: [-15.27, -12.33, -10.5, -8.48, -8.25, -7.62], heldOut: [['a', 'b', 'c', 'd', 'e', 'f']] };
    const before = imageThreshold(demo.severities, 0.01).severity;
    const median = (-10.5 + -8.48) / 2;
    const spotted = imageThreshold(withGoodPart(demo, 0, 'spot', 20).severities, 0.01).severity;
    expect(spotted - before, 'its old severity, a clear spot').toBeGreaterThan(20);
    for (const refreshed of [median - 0.5, median - 3]) {
      const after = imageThreshold(withGoodPart(demo, 0, 'spot', refreshed).severities, 0.01).severity;
      expect(Math.abs(after - before), `a part at ${refreshed} nats`).toBeLessThan(1);
    }
  });

  it('refuses a class the calibration does not have, and a severity that is not a number', () => {
    expect(() => withGoodPart(calibration, 1, 'x', 3)).toThrow(/class 1/);
    expect(() => withGoodPart(calibration, 0, 'x', NaN)).toThrow(/must be a number/);
  });
});
