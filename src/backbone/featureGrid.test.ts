import { describe, expect, it } from 'vitest';
import { tensor } from '../core/tensor';
import { tokensToGrid, upsampleFeatures } from './featureGrid';

describe('tokensToGrid', () => {
  it('drops CLS and register tokens and keeps the patches row-major', () => {
    // 1 CLS + 4 registers + 2×3 patches, D = 2; token t holds [t, −t].
    const count = 5 + 6;
    const data = Float32Array.from({ length: count * 2 }, (_, i) => (i % 2 ? -(i >> 1) : i >> 1));
    const grid = tokensToGrid(tensor([1, count, 2] as const, data), 5, { height: 2, width: 3 });
    expect(grid.dims).toEqual([2, 3, 2]);
    expect(Array.from(grid.data)).toEqual([5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 10, -10]);
  });

  it('rejects a token count that is not prefix + grid', () => {
    expect(() => tokensToGrid(tensor([1, 10, 2] as const), 1, { height: 2, width: 3 })).toThrow(RangeError);
  });
});

describe('upsampleFeatures', () => {
  it('returns the grid itself at factor 1 and multiplies its size otherwise', () => {
    const grid = tensor([2, 3, 4] as const, Float32Array.from({ length: 24 }, (_, i) => i));
    expect(upsampleFeatures(grid, 1)).toBe(grid);
    const up = upsampleFeatures(grid, 3);
    expect(up.dims).toEqual([6, 9, 4]);
    // Each output cell's features stay within the range of their neighbours: corners are copied.
    expect(Array.from(up.data.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });
});
