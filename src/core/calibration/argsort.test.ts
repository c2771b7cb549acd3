import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { argsortFloat64 } from './argsort';

describe('argsortFloat64', () => {
  it('orders negatives, zeros, infinities and subnormals like numeric comparison', () => {
    const keys = Float64Array.of(3, -0, -2.5, Infinity, 5e-324, -Infinity, 0, -1e-300, 1e300, -3);
    const order = Array.from(argsortFloat64(keys));
    expect(order, 'permutation').toEqual([5, 9, 2, 7, 1, 6, 4, 0, 8, 3]);
  });

  it('is stable and agrees with a comparator sort on random keys with ties', () => {
    const rng = createRng(3);
    const keys = Float64Array.from({ length: 5000 }, () => Math.round((rng.uniform() - 0.5) * 200) * Math.exp(rng.normal()));
    for (let i = 0; i < 500; i++) keys[rng.int(keys.length)] = keys[rng.int(keys.length)];
    // The comparator ties −0 with 0; the radix sort puts −0 first. Keep only +0 here.
    for (let i = 0; i < keys.length; i++) keys[i] += 0;
    const expected = Array.from(keys.keys()).sort((a, b) => keys[a] - keys[b] || a - b);
    expect(Array.from(argsortFloat64(keys)), 'permutation').toEqual(expected);
  });
});
