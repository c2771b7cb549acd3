import { describe, expect, it } from 'vitest';
import { auroc } from './auroc';

describe('auroc', () => {
  it('is 1 for perfect separation and 0 when reversed', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 'perfect separation').toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 'reversed').toBe(0);
  });

  it('counts ties half', () => {
    expect(auroc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 'all ties').toBe(0.5);
    // Pairs (pos, neg): (0.4, 0.1) win, (0.4, 0.4) half, (0.8, 0.1) win, (0.8, 0.4) win → 3.5 / 4.
    expect(auroc([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1]), 'one tied pair').toBe(0.875);
  });

  it('matches the hand count on an unsorted sample', () => {
    // Positives 0.35, 0.8; negatives 0.1, 0.4, 0.9: 0.35 beats 1, 0.8 beats 2 → 3 / 6.
    expect(auroc([0.9, 0.35, 0.1, 0.8, 0.4], [0, 1, 0, 1, 0]), 'mixed order').toBe(0.5);
  });

  it('rejects a sample with one class only', () => {
    expect(() => auroc([0.1, 0.2], [1, 1])).toThrow(RangeError);
  });
});
