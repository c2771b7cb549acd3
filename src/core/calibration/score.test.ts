import { describe, expect, it } from 'vitest';
import { matrix } from '../tensor';
import { anomalyScore } from './score';

describe('anomalyScore', () => {
  const sIn = matrix(2, 3, Float32Array.of(0.2, 0.9, 0.5, 0.01, 0.03, 0.02));

  it('is 1 − max s_in over all classes by default', () => {
    const score = anomalyScore(sIn);
    expect(score[0], 'row 0').toBeCloseTo(0.1, 6);
    expect(score[1], 'row 1').toBeCloseTo(0.97, 6);
  });

  it('looks only at the chosen classes', () => {
    const score = anomalyScore(sIn, [0, 2]);
    expect(score[0], 'row 0, classes 0 and 2').toBeCloseTo(0.5, 6);
    expect(score[1], 'row 1, classes 0 and 2').toBeCloseTo(0.98, 6);
    expect(() => anomalyScore(sIn, [3]), 'class out of range').toThrow(RangeError);
    expect(() => anomalyScore(sIn, []), 'no class').toThrow(RangeError);
  });
});
