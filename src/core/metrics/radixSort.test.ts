import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { sortByKey } from './radixSort';

describe('sortByKey', () => {
  it('sorts keys over the whole uint32 range and carries values stably', () => {
    const rng = createRng(7);
    const n = 5000;
    // Few distinct low digits and high digits, so both passes see ties.
    const keys = Uint32Array.from({ length: n }, () => ((rng.int(4) * 0x40000000 + rng.int(8) * 0x10000 + rng.int(3)) >>> 0));
    const values = Uint32Array.from({ length: n }, (_, i) => i);
    const original = keys.slice();
    sortByKey(keys, values);
    const disorder = keys.findIndex((k, i) => i > 0 && (keys[i - 1] > k || (keys[i - 1] === k && values[i - 1] > values[i])));
    expect(disorder, 'first entry out of (key, original position) order').toBe(-1);
    const moved = values.findIndex((v, i) => original[v] !== keys[i]);
    expect(moved, 'first value that lost its key').toBe(-1);
  });
});
