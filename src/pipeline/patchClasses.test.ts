import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from '../core/labels';
import { patchClasses } from './patchClasses';

describe('patchClasses', () => {
  const input = { height: 28, width: 28 };
  const grid = { height: 2, width: 2 };

  it('gives every patch the image class without a mask, and none for class −1', () => {
    expect(Array.from(patchClasses({ input, grid, classId: 1 }))).toEqual([1, 1, 1, 1]);
    expect(Array.from(patchClasses({ input, grid, classId: -1 }))).toEqual([IGNORE_LABEL, IGNORE_LABEL, IGNORE_LABEL, IGNORE_LABEL]);
  });

  it('reads a mask at the image size through the class table, with the 90% rule at the input size', () => {
    // A 56×56 mask (twice the input): left half value 5, right half 7, except a 10-pixel-wide
    // stripe of 7 reaching into the bottom-left patch (≈ 36% of it after resizing).
    const width = 56;
    const data = new Uint8Array(width * width);
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) data[y * width + x] = x >= 28 || (y >= 28 && x >= 18) ? 7 : 5;
    }
    const labels = patchClasses({ input, grid, classId: -1, mask: { dims: [width, width], data }, maskClasses: { 5: 0, 7: 1 } });
    expect(Array.from(labels)).toEqual([0, 1, IGNORE_LABEL, 1]);
  });

  it('gives pixels whose value the table does not list the image class', () => {
    const data = new Uint8Array(28 * 28).fill(3);
    const labels = patchClasses({ input, grid, classId: 2, mask: { dims: [28, 28], data }, maskClasses: { 1: 0 } });
    expect(Array.from(labels)).toEqual([2, 2, 2, 2]);
  });

  it('leaves out the pixels of a labelled image whose value the table does not list (set to "ignored", such as 255)', () => {
    const data = new Uint8Array(28 * 28).fill(255);
    for (let y = 0; y < 14; y++) data.fill(1, y * 28, y * 28 + 28);
    const labels = patchClasses({ input, grid, classId: -1, mask: { dims: [28, 28], data }, maskClasses: { 1: 0 } });
    expect(Array.from(labels), 'top row value 1 (class 0), bottom row value 255').toEqual([0, 0, IGNORE_LABEL, IGNORE_LABEL]);
  });
});
