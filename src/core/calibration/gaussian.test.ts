import { describe, expect, it } from 'vitest';
import { fitGaussian, gaussianForm, logDensity } from './gaussian';

describe('gaussian', () => {
  it('fits the mean and the unbiased covariance', () => {
    // Points (0,0), (2,0), (0,4), (2,4): mean (1,2); deviations ±1, ±2 → variances 4/3, 16/3.
    const { mean, cov } = fitGaussian(Float64Array.of(0, 0, 2, 0, 0, 4, 2, 4), 2);
    expect(Array.from(mean), 'mean').toEqual([1, 2]);
    expect(Array.from(cov), 'covariance').toEqual([4 / 3, 0, 0, 16 / 3]);
  });

  it('gives the closed-form log density in 1-D and 2-D', () => {
    const oneD = gaussianForm({ mean: Float64Array.of(1), cov: Float64Array.of(4) });
    expect(logDensity(oneD, [3]), '1-D log density at one sd').toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4) - 0.5, 12);
    const cov = Float64Array.of(2, 0.5, 0.5, 1);
    const twoD = gaussianForm({ mean: Float64Array.of(0, 0), cov });
    // det 1.75; inverse [1, -0.5; -0.5, 2] / 1.75; at (1, 1): (1 - 1 + 2) / 1.75.
    const expected = -Math.log(2 * Math.PI) - 0.5 * Math.log(1.75) - 0.5 * (2 / 1.75);
    expect(logDensity(twoD, [1, 1]), '2-D log density at (1, 1)').toBeCloseTo(expected, 12);
  });

  it('rejects degenerate points', () => {
    expect(() => gaussianForm(fitGaussian(Float64Array.of(1, 2, 2, 4, 3, 6), 2)), 'collinear points').toThrow(RangeError);
    expect(() => fitGaussian(Float64Array.of(1, 2), 2), 'one point').toThrow(RangeError);
  });
});
