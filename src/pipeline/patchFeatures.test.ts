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

  it('keeps every patch of a project that fits its bound exactly as without a bound', () => {
    const grids = Array.from({ length: 6 }, (_, i) => tensor([2, 2, 3] as const, Float32Array.from({ length: 12 }, (_, k) => 100 * i + k)));
    const labels = grids.map((_, i) => Int32Array.of(i % 2, 1, IGNORE_LABEL, 0));
    const collect = (bound: number) => {
      const collector = new PatchCollector(2, 7, bound);
      grids.forEach((grid, i) => collector.add(grid, labels[i]));
      return { patches: collector.finish(), seen: collector.patchesSeen() };
    };
    const unbounded = collect(Number.MAX_SAFE_INTEGER);
    // Class 0 gets 9 patches, class 1 gets 9: a bound of 9 is just enough.
    expect(unbounded.patches.counts).toEqual([9, 9]);
    const bounded = collect(9);
    expect(Array.from(bounded.patches.features.data), 'features, in order').toEqual(Array.from(unbounded.patches.features.data));
    expect(Array.from(bounded.patches.labels), 'labels, in order').toEqual(Array.from(unbounded.patches.labels));
    expect(bounded.seen).toEqual([9, 9]);
  });

  it('over its bound keeps a fixed-size sample of a class, drawn uniformly over all its patches', () => {
    // One class, 1×1 grids: patch i is the 1-D feature i. 40 patches, 10 kept.
    const seenCount = new Array<number>(40).fill(0);
    const draws = 400;
    for (let seed = 0; seed < draws; seed++) {
      const collector = new PatchCollector(1, seed, 10);
      for (let i = 0; i < 40; i++) collector.add(tensor([1, 1, 1] as const, Float32Array.of(i)), Int32Array.of(0));
      const { features, counts, labels } = collector.finish();
      expect(counts, 'patches kept').toEqual([10]);
      expect(labels.length).toBe(10);
      expect(collector.patchesSeen()).toEqual([40]);
      const kept = Array.from(features.data);
      expect(new Set(kept).size, `seed ${seed}: ten different patches`).toBe(10);
      for (const v of kept) seenCount[v]++;
    }
    // Each patch is kept with chance 1/4: 100 of 400 draws expected, σ ≈ 8.7.
    for (const [i, n] of seenCount.entries()) expect(Math.abs(n - 100), `patch ${i} kept ${n} times of ${draws}, expected about 100`).toBeLessThan(45);
  });

  it('keeps classes under their bound in order while another is sampled', () => {
    const collector = new PatchCollector(2, 1, 2);
    for (let i = 0; i < 5; i++) collector.add(tensor([1, 2, 1] as const, Float32Array.of(i, 100 + i)), Int32Array.of(0, i < 2 ? 1 : IGNORE_LABEL));
    const { counts, features, labels } = collector.finish();
    expect(counts).toEqual([2, 2]);
    expect(Array.from(labels)).toEqual([1, 1, 0, 0]);
    expect(Array.from(features.data.subarray(0, 2)), 'class 1 in order').toEqual([100, 101]);
    expect(collector.patchesSeen()).toEqual([5, 2]);
  });

  it('refuses a label that is not a class', () => {
    const collector = new PatchCollector(1);
    expect(() => collector.add(tensor([1, 1, 1] as const), Int32Array.of(3))).toThrow(/not a class/);
  });
});
