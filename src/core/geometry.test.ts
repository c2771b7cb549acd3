import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { inputGeometry } from './geometry';

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
