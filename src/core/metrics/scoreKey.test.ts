import { describe, expect, it } from 'vitest';
import { keyScore, scoreKeys } from './scoreKey';

const keysOf = (scores: number[]): Uint32Array => {
  const keys = new Uint32Array(scores.length);
  scoreKeys(Float32Array.from(scores), keys);
  return keys;
};

describe('score keys', () => {
  const scores = [-Infinity, -3.4e38, -2.5, -1, -1e-45, 0, 1e-45, 1e-38, 0.5, 0.75, 1, 3.4e38, Infinity];

  it('order like the scores', () => {
    const keys = keysOf(scores);
    for (let i = 1; i < keys.length; i++) {
      expect(keys[i], `key of ${scores[i]} above key of ${scores[i - 1]}`).toBeGreaterThan(keys[i - 1]);
    }
  });

  it('give +0 and −0 one key, as they are one score', () => {
    const [plus, minus] = keysOf([0, -0]);
    expect(minus, 'key of −0').toBe(plus);
  });

  it('map back to their scores', () => {
    const keys = keysOf(scores);
    const back = Array.from(keys, keyScore);
    expect(back).toEqual(Array.from(Float32Array.from(scores)));
  });

  it('reject NaN', () => {
    expect(() => keysOf([0.1, NaN])).toThrow(/NaN/);
  });
});
