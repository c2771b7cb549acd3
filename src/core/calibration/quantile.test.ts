import { describe, expect, it } from 'vitest';
import { quantileLinear } from './quantile';

describe('quantileLinear', () => {
  it('interpolates between order statistics as numpy.quantile does', () => {
    // numpy.quantile([4, 1, 3, 2], 0.9) = 3.7; ([5, 1], 0.25) = 2.
    expect(quantileLinear([4, 1, 3, 2], 0.9), 'q90 of 1..4').toBeCloseTo(3.7, 12);
    expect(quantileLinear([5, 1], 0.25), 'q25 of {1, 5}').toBe(2);
    expect(quantileLinear([7], 0.9), 'one value').toBe(7);
    expect(quantileLinear([3, 1, 2], 1), 'maximum').toBe(3);
  });
});
