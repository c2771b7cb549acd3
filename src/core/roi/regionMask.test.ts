import { describe, expect, it } from 'vitest';
import { contains, includedCount, regionMask } from './regionMask';
import type { RegionSpec } from './regionSpec';

const image = { imageWidth: 100, imageHeight: 50 };
const rows = (mask: Uint8Array, width: number) => Array.from({ length: mask.length / width }, (_, r) => Array.from(mask.subarray(r * width, (r + 1) * width)).join(''));

describe('regionMask', () => {
  it('includes everything without regions or margin', () => {
    expect(includedCount(regionMask({ regions: [], marginPx: 0 }, 7, 3, image))).toBe(21);
  });

  it('takes the margin in pixels of the original image on each axis, by place centres', () => {
    // 10 px of 100 wide and of 50 high: a tenth across, a fifth down; a 10×5 grid's centres sit at 0.05, 0.15, … and 0.1, 0.3, ….
    const mask = regionMask({ regions: [], marginPx: 10 }, 10, 5, image);
    expect(rows(mask, 10)).toEqual(['0000000000', '0111111110', '0111111110', '0111111110', '0000000000']);
  });

  it('keeps only the include regions when there are some, and ignore wins over include', () => {
    const spec: RegionSpec = {
      marginPx: 0,
      regions: [
        { kind: 'rect', mode: 'include', x: 0, y: 0, width: 0.5, height: 1 },
        { kind: 'rect', mode: 'ignore', x: 0.2, y: 0.25, width: 0.1, height: 0.5 },
      ],
    };
    expect(rows(regionMask(spec, 10, 4, image), 10)).toEqual(['1111100000', '1101100000', '1101100000', '1111100000']);
  });

  it('fills a polygon by the even-odd rule at the places whose centre it covers', () => {
    // A triangle with its apex at the top centre: wider row by row.
    const spec: RegionSpec = { marginPx: 0, regions: [{ kind: 'polygon', mode: 'include', points: [{ x: 0.5, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }] }] };
    expect(rows(regionMask(spec, 10, 4, image), 10)).toEqual(['0000110000', '0001111000', '0011111100', '0111111110']);
  });

  it('gives the same share at any resolution, so a spec fits images of every size', () => {
    const spec: RegionSpec = { marginPx: 0, regions: [{ kind: 'rect', mode: 'ignore', x: 0.25, y: 0.25, width: 0.5, height: 0.5 }] };
    for (const side of [8, 40, 200]) expect(includedCount(regionMask(spec, side, side, { imageWidth: side, imageHeight: side })) / (side * side)).toBeCloseTo(0.75, 6);
  });

  it('refuses a grid without size', () => {
    expect(() => regionMask({ regions: [], marginPx: 0 }, 0, 4, image)).toThrow(/positive whole size, got 0×4/);
  });
});

describe('contains', () => {
  it('counts a rectangle\'s edges as inside and a concave polygon\'s notch as outside', () => {
    expect(contains({ kind: 'rect', mode: 'ignore', x: 0.2, y: 0.2, width: 0.3, height: 0.3 }, { x: 0.5, y: 0.5 })).toBe(true);
    const u = { kind: 'polygon' as const, mode: 'ignore' as const, points: [{ x: 0, y: 0 }, { x: 0.3, y: 0 }, { x: 0.3, y: 0.7 }, { x: 0.7, y: 0.7 }, { x: 0.7, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }] };
    expect(contains(u, { x: 0.5, y: 0.3 })).toBe(false);
    expect(contains(u, { x: 0.15, y: 0.3 })).toBe(true);
    expect(contains(u, { x: 0.5, y: 0.9 })).toBe(true);
  });
});
