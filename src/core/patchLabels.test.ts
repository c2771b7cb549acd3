import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from './labels';
import { patchLabels, type LabelMask } from './patchLabels';

/** A mask of patches side by side, each `size`×`size`, filled from one array per patch (row-major within the patch). */
function maskOf(size: number, patches: number[][], type: 'u8' | 'i32' = 'u8'): LabelMask {
  const width = size * patches.length;
  const data = type === 'u8' ? new Uint8Array(size * width) : new Int32Array(size * width);
  patches.forEach((values, p) => values.forEach((v, i) => (data[Math.floor(i / size) * width + p * size + (i % size)] = v)));
  return { dims: [size, width], data };
}

/** `n` pixels of `a`, then the rest of the 10×10 patch `b`. */
const patch = (n: number, a: number, b: number) => Array.from({ length: 100 }, (_, i) => (i < n ? a : b));

describe('patchLabels', () => {
  it('keeps the majority class at 90% and 100% but not at 89% (10×10 patches)', () => {
    const { labels, grid } = patchLabels(maskOf(10, [patch(89, 1, 2), patch(90, 3, 0), patch(100, 2, 2)]), { patchSize: 10 });
    expect(grid).toEqual({ height: 1, width: 3 });
    expect(Array.from(labels), '89% → ignored, 90% → class 3, 100% → class 2').toEqual([IGNORE_LABEL, 3, 2]);
  });

  it('works the same on Int32Array masks and honours minFraction', () => {
    const mask = maskOf(10, [patch(89, 1, 2), patch(84, 4, 5)], 'i32');
    expect(Array.from(patchLabels(mask, { patchSize: 10 }).labels)).toEqual([IGNORE_LABEL, IGNORE_LABEL]);
    expect(Array.from(patchLabels(mask, { patchSize: 10, minFraction: 0.85 }).labels), 'minFraction 0.85').toEqual([1, IGNORE_LABEL]);
  });

  it('counts unannotated pixels in the total and never returns the ignore value as a class', () => {
    const mask = maskOf(10, [patch(90, 1, 255), patch(89, 1, 255), patch(100, 255, 255), patch(95, 255, 1)]);
    expect(Array.from(patchLabels(mask, { patchSize: 10, ignoreValue: 255 }).labels)).toEqual([1, IGNORE_LABEL, IGNORE_LABEL, IGNORE_LABEL]);
  });

  it('uses 14-pixel patches by default: 177/196 = 90.3% kept, 176/196 = 89.8% ignored', () => {
    const data = new Uint8Array(28 * 14);
    data.fill(4, 0, 177);
    data.fill(4, 196, 196 + 176);
    const { labels, grid } = patchLabels({ dims: [28, 14], data });
    expect(grid).toEqual({ height: 2, width: 1 });
    expect(Array.from(labels)).toEqual([4, IGNORE_LABEL]);
  });

  it('lays the labels out row-major over the patch grid', () => {
    const data = new Uint8Array(4 * 6);
    data.forEach((_, i) => (data[i] = 10 * Math.floor(Math.floor(i / 6) / 2) + Math.floor((i % 6) / 2)));
    expect(Array.from(patchLabels({ dims: [4, 6], data }, { patchSize: 2 }).labels)).toEqual([0, 1, 2, 10, 11, 12]);
  });

  it('rejects masks that are not whole patches, short data and bad fractions', () => {
    expect(() => patchLabels({ dims: [15, 14], data: new Uint8Array(210) })).toThrow(/multiple of the patch size 14/);
    expect(() => patchLabels({ dims: [14, 14], data: new Uint8Array(100) })).toThrow(/needs 196 values, got 100/);
    expect(() => patchLabels({ dims: [14, 14], data: new Uint8Array(196) }, { minFraction: 0 })).toThrow(/minFraction/);
    expect(() => patchLabels({ dims: [14, 14], data: new Uint8Array(196) }, { minFraction: 1.2 })).toThrow(/minFraction/);
  });
});
