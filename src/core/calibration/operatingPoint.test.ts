import { describe, expect, it } from 'vitest';
import { imageThreshold } from './imageThreshold';
import { ALPHA_RANGE, alphaForThreshold, thresholdToCatch } from './operatingPoint';

describe('an operating point chosen by catch rate', () => {
  it('finds the threshold that fails the share of defects asked for', () => {
    const defects = [3, 9, 1, 7, 5];
    expect(thresholdToCatch(defects, 1)).toBe(1);
    expect(thresholdToCatch(defects, 0.8)).toBe(3);
    // 0.5 of 5 images: 2.5, so 3 must fail.
    expect(thresholdToCatch(defects, 0.5)).toBe(5);
    expect(thresholdToCatch(defects, 0.2)).toBe(9);
    expect(() => thresholdToCatch([], 0.9)).toThrow(/at least one defective image/);
  });

  it('turns a threshold into the α whose threshold it is, on the empirical and the Gumbel side', () => {
    const heldOut = Array.from({ length: 40 }, (_, i) => 1 + i / 10);
    for (const alpha of [0.001, 0.01, 0.05, 0.2]) {
      const { severity } = imageThreshold(heldOut, alpha);
      const back = alphaForThreshold(heldOut, severity);
      expect(imageThreshold(heldOut, back).severity, `α = ${alpha}`).toBeCloseTo(severity, 6);
    }
  });

  it('clamps thresholds beyond what the held-out images can speak for', () => {
    const heldOut = [1, 2, 3, 4, 5];
    expect(alphaForThreshold(heldOut, 1e6)).toBe(ALPHA_RANGE[0]);
    expect(alphaForThreshold(heldOut, -1e6)).toBe(ALPHA_RANGE[1]);
  });
});
