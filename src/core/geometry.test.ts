import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { borderShare, inputGeometry, onBorder, patchOfCell } from './geometry';

describe('inputGeometry', () => {
  it('gives the official size for a Cityscapes frame at 1792', () => {
    const g = inputGeometry({ height: 1024, width: 2048 }, 1792);
    expect(g.input).toEqual({ height: 896, width: 1792 });
    expect(g.grid).toEqual({ height: 64, width: 128 });
    expect(g.patchSize).toBe(14);
  });

  it('keeps the aspect and rounds the short side down to whole patches', () => {
    // 518 = 37 patches; 500·37/700 = 26.43 → 26 patches.
    expect(inputGeometry({ height: 700, width: 500 }, 518).grid).toEqual({ height: 37, width: 26 });
    expect(inputGeometry({ height: 500, width: 700 }, 518).grid).toEqual({ height: 26, width: 37 });
    expect(inputGeometry({ height: 300, width: 300 }, 224).input).toEqual({ height: 224, width: 224 });
  });

  it('rounds the target to the nearest multiple of the patch', () => {
    expect(inputGeometry({ height: 100, width: 100 }, 520).grid.height, '520/14 = 37.1').toBe(37);
    expect(inputGeometry({ height: 100, width: 100 }, 525).grid.height, '525/14 = 37.5').toBe(38);
    expect(inputGeometry({ height: 100, width: 100 }, 5).input, 'below one patch').toEqual({ height: 14, width: 14 });
  });

  it('keeps at least one patch on a very thin image', () => {
    expect(inputGeometry({ height: 5, width: 10000 }, 518).grid).toEqual({ height: 1, width: 37 });
  });

  it('takes the patch size as a parameter', () => {
    expect(inputGeometry({ height: 480, width: 640 }, 512, 16)).toEqual({ input: { height: 384, width: 512 }, grid: { height: 24, width: 32 }, patchSize: 16 });
  });

  it('always gives whole patches and never widens the aspect by a patch or more', () => {
    const rng = createRng(9);
    for (let t = 0; t < 500; t++) {
      const image = { height: 1 + rng.int(4000), width: 1 + rng.int(4000) };
      const target = 14 + rng.int(2000);
      const { input, grid } = inputGeometry(image, target);
      expect(input.height, 'height = 14·grid').toBe(14 * grid.height);
      expect(input.width, 'width = 14·grid').toBe(14 * grid.width);
      const long = Math.max(image.height, image.width);
      const short = Math.min(image.height, image.width);
      const inLong = Math.max(input.height, input.width);
      const inShort = Math.min(input.height, input.width);
      expect(inLong, 'long side = rounded target').toBe(14 * Math.max(1, Math.round(target / 14)));
      const ideal = (short * inLong) / long;
      expect(inShort, `short side for ${image.height}×${image.width} → ${target}`).toBeLessThanOrEqual(Math.max(14, ideal));
      expect(inShort, `short side for ${image.height}×${image.width} → ${target}`).toBeGreaterThan(ideal - 14);
    }
  });

  it('rejects invalid sizes with messages naming them', () => {
    expect(() => inputGeometry({ height: 0, width: 10 }, 224)).toThrow(/image height must be a positive integer/);
    expect(() => inputGeometry({ height: 10, width: 10.5 }, 224)).toThrow(/image width/);
    expect(() => inputGeometry({ height: 10, width: 10 }, 0)).toThrow(/longestSide must be a positive number/);
    expect(() => inputGeometry({ height: 10, width: 10 }, Number.NaN)).toThrow(/longestSide/);
    expect(() => inputGeometry({ height: 10, width: 10 }, 224, 0)).toThrow(/patchSize must be a positive integer/);
  });
});

describe('patchOfCell', () => {
  it('maps an up-sampled cell to the patch nearest its centre, and says which patches are border', () => {
    // 2 × 3 patches up-sampled ×3: 6 × 9 cells; cell (row 4, column 5) comes from patch (1, 1).
    const grid = { height: 2, width: 3 };
    expect(patchOfCell(4 * 9 + 5, grid, 3)).toEqual({ row: 1, column: 1, rows: 2, columns: 3 });
    expect(patchOfCell(2 * 9 + 2, grid, 3), 'the last cell of the first patch').toEqual({ row: 0, column: 0, rows: 2, columns: 3 });
    expect(patchOfCell(7, { height: 4, width: 4 }, 1)).toEqual({ row: 1, column: 3, rows: 4, columns: 4 });
    expect(() => patchOfCell(54, grid, 3), 'past the grid').toThrow(RangeError);
    expect(onBorder({ row: 1, column: 1, rows: 3, columns: 3 }), 'the middle of 3×3').toBe(false);
    expect(onBorder({ row: 1, column: 3, rows: 3, columns: 4 }), 'the last column').toBe(true);
    expect(borderShare({ rows: 32, columns: 32 }), '32×32: the ring is 124 of 1,024 patches').toBeCloseTo(124 / 1024, 12);
    expect(borderShare({ rows: 2, columns: 5 }), 'no inside').toBe(1);
  });
});
