import { describe, expect, it } from 'vitest';
import { connectedRegions } from './connectedRegions';

describe('connectedRegions', () => {
  it('joins diagonal neighbours and keeps apart what does not touch', () => {
    const mask = Uint8Array.from([
      1, 0, 0, 0, 1,
      0, 1, 0, 0, 1,
      0, 0, 1, 0, 0,
      1, 0, 0, 0, 0,
    ]);
    const { labels, sizes, count } = connectedRegions(mask, 5, 4);
    expect(count, 'regions').toBe(3);
    expect(Array.from(labels)).toEqual([1, 0, 0, 0, 2, 0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 3, 0, 0, 0, 0]);
    expect(Array.from(sizes)).toEqual([0, 3, 2, 1]);
  });

  it('does not wrap around the image edge', () => {
    const { count } = connectedRegions(Uint8Array.from([0, 0, 1, 1, 0, 0]), 3, 2);
    expect(count, 'regions of a right-edge and a next-row left-edge pixel').toBe(2);
  });

  it('finds no region in an empty mask', () => {
    const { labels, count } = connectedRegions(new Uint8Array(6), 3, 2);
    expect(count).toBe(0);
    expect(labels.every((l) => l === 0)).toBe(true);
  });
});
