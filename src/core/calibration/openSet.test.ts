import { describe, expect, it } from 'vitest';
import { matrix } from '../tensor';
import { openSetLabels, UNKNOWN } from './openSet';

describe('openSetLabels', () => {
  it('keeps the argmax class below 1 − ε and marks the rest unknown', () => {
    const logits = matrix(4, 3, Float32Array.of(2, 1, 0, 0, 3, 1, 1, 0, 5, -1, -2, -3));
    const score = Float32Array.of(0.5, 0.99, 0.95, 0.94);
    expect(Array.from(openSetLabels(logits, score, 0.05)), 'ε = 5%').toEqual([0, UNKNOWN, UNKNOWN, 0]);
    expect(Array.from(openSetLabels(logits, score, 0.01)), 'ε = 1%').toEqual([0, UNKNOWN, 2, 0]);
  });

  it('labels kept rows class 0 without a classifier', () => {
    expect(Array.from(openSetLabels(null, Float32Array.of(0.2, 0.999), 0.01)), 'one class').toEqual([0, UNKNOWN]);
  });
});
