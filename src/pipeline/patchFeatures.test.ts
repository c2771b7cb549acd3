import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from '../core/labels';
import { tensor } from '../core/tensor';
import { classRows, PatchCollector } from './patchFeatures';

describe('PatchCollector', () => {
  it('keeps labelled patches in order, counts them per class, and gathers a class', () => {
    const collector = new PatchCollector(2);
    // Two 1×2 grids of 2-D features; patch p of image i holds [10i + p, −(10i + p)].
    const grid = (i: number) => tensor([1, 2, 2] as const, Float32Array.of(10 * i, -10 * i, 10 * i + 1, -(10 * i + 1)));
    expect(collector.add(grid(0), Int32Array.of(1, IGNORE_LABEL))).toBe(1);
    expect(collector.add(grid(1), Int32Array.of(0, 1))).toBe(2);
    const patches = collector.finish();
    expect(patches.features.dims).toEqual([3, 2]);
    expect(Array.from(patches.features.data)).toEqual([0, -0, 10, -10, 11, -11]);
    expect(Array.from(patches.labels)).toEqual([1, 0, 1]);
    expect(patches.counts).toEqual([1, 2]);
    expect(Array.from(classRows(patches, 1).data)).toEqual([0, -0, 11, -11]);
    expect(classRows(patches, 0).dims).toEqual([1, 2]);
  });

  it('refuses a label that is not a class', () => {
    const collector = new PatchCollector(1);
    expect(() => collector.add(tensor([1, 1, 1] as const), Int32Array.of(3))).toThrow(/not a class/);
  });
});
