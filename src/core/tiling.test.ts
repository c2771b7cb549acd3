import { describe, expect, test } from 'vitest';
import { createRng } from './rng';
import { tensor, type Tensor3 } from './tensor';
import { stitchTiles, tilePixels, tilePlan, type Tile } from './tiling';

describe('tilePlan', () => {
  test('a grid that fits is one tile', () => {
    expect(tilePlan({ height: 20, width: 31 }, 32, 4)).toEqual([{ rows: { start: 0, end: 20, coreStart: 0, coreEnd: 20 }, cols: { start: 0, end: 31, coreStart: 0, coreEnd: 31 } }]);
  });

  test.each([
    [{ height: 100, width: 37 }, 32, 4],
    [{ height: 33, width: 33 }, 32, 4],
    [{ height: 292, width: 119 }, 128, 8],
    [{ height: 9, width: 64 }, 8, 0],
  ])('%o in tiles of at most %i patches, margin %i: the cores cover each cell once, every tile fits, every core keeps its margin', (grid, maxSide, margin) => {
    const tiles = tilePlan(grid, maxSide, margin);
    const covered = new Uint8Array(grid.height * grid.width);
    for (const { rows, cols } of tiles) {
      for (const [span, length] of [[rows, grid.height], [cols, grid.width]] as const) {
        expect(span.end - span.start, `tile span ${JSON.stringify(span)}`).toBeLessThanOrEqual(maxSide);
        expect(span.coreStart - span.start, `margin before ${JSON.stringify(span)}`).toBe(Math.min(margin, span.coreStart));
        expect(span.end - span.coreEnd, `margin after ${JSON.stringify(span)}`).toBe(Math.min(margin, length - span.coreEnd));
      }
      for (let y = rows.coreStart; y < rows.coreEnd; y++) for (let x = cols.coreStart; x < cols.coreEnd; x++) covered[y * grid.width + x]++;
    }
    expect(covered.every((n) => n === 1), 'every cell in exactly one core').toBe(true);
  });

  test('a margin that leaves no core is refused', () => {
    expect(() => tilePlan({ height: 50, width: 50 }, 8, 4)).toThrow(/cannot keep a margin of 4/);
  });
});

describe('tilePixels and stitchTiles', () => {
  // A stand-in backbone whose features of a patch depend only on that patch's pixels: tiled or
  // not, every cell must come out the same.
  const PATCH = 3;
  const DIM = 2;
  function patchFeatures(pixels: { dims: readonly [1, 3, number, number]; data: Float32Array }): Tensor3 {
    const [, , height, width] = pixels.dims;
    const h = height / PATCH;
    const w = width / PATCH;
    const out = tensor([h, w, DIM] as const);
    for (let gy = 0; gy < h; gy++) {
      for (let gx = 0; gx < w; gx++) {
        let sum = 0;
        let weighted = 0;
        for (let c = 0; c < 3; c++) {
          for (let y = 0; y < PATCH; y++) {
            for (let x = 0; x < PATCH; x++) {
              const v = pixels.data[(c * height + gy * PATCH + y) * width + gx * PATCH + x];
              sum += v;
              weighted += v * (1 + c + y * PATCH + x);
            }
          }
        }
        out.data.set([sum, weighted], (gy * w + gx) * DIM);
      }
    }
    return out;
  }

  test('tiles of a patch-local backbone stitch back to the whole grid, cell for cell', () => {
    const rng = createRng(5);
    const grid = { height: 23, width: 17 };
    const pixels = tensor([1, 3, grid.height * PATCH, grid.width * PATCH] as const, Float32Array.from({ length: 3 * grid.height * PATCH * grid.width * PATCH }, () => rng.uniform()));
    const tiles: Tile[] = tilePlan(grid, 9, 2);
    expect(tiles.length).toBe(20);
    const stitched = stitchTiles(grid, tiles, tiles.map((tile) => patchFeatures(tilePixels(pixels, tile, PATCH))));
    const whole = patchFeatures(pixels);
    expect(stitched.dims).toEqual(whole.dims);
    const worst = whole.data.reduce((m, v, i) => Math.max(m, Math.abs(v - stitched.data[i])), 0);
    expect(worst, 'largest difference between stitched and whole-grid features').toBe(0);
  });

  test('features of the wrong size for their tile are refused', () => {
    const tiles = tilePlan({ height: 4, width: 4 }, 4, 1);
    expect(() => stitchTiles({ height: 4, width: 4 }, tiles, [tensor([4, 3, 2] as const)])).toThrow(/tile 0 has features \[4, 3, 2\], its span is \[4, 4, 2\]/);
  });
});
