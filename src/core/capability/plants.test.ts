import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { CONTRAST_SIGMAS, MIN_CONTRAST, PLANT_KINDS, localContrast, plantDefect, type RgbaPixels } from './plants';

/** A grey image with seeded noise of standard deviation `sigma` (share of full scale). */
function noisy(width: number, height: number, sigma: number, seed = 1): RgbaPixels {
  const rng = createRng(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(255 * (0.5 + sigma * rng.normal()));
    data.set([v, v, v, 255], 4 * i);
  }
  return { width, height, data };
}

function changedPixels(before: Uint8ClampedArray, after: RgbaPixels['data']): number[] {
  const out: number[] = [];
  for (let i = 0; i < before.length; i += 4) if (before[i] !== after[i] || before[i + 1] !== after[i + 1] || before[i + 2] !== after[i + 2]) out.push(i / 4);
  return out;
}

describe('plantDefect', () => {
  it('sets contrast against the local texture: a grainier surface gets a stronger plant', () => {
    const smooth = localContrast(noisy(96, 96, 0.005), 48, 48, 42);
    const grainy = localContrast(noisy(96, 96, 0.04), 48, 48, 42);
    expect(smooth).toBe(MIN_CONTRAST);
    expect(grainy).toBeGreaterThan(CONTRAST_SIGMAS * 0.035);
    expect(grainy).toBeLessThan(CONTRAST_SIGMAS * 0.045);
  });

  it('draws each kind inside its box, a dark spot darker and a bright spot brighter, and restores the image', () => {
    for (const kind of PLANT_KINDS) {
      const image = noisy(128, 96, 0.02);
      const before = new Uint8ClampedArray(image.data);
      const { plant, restore } = plantDefect(image, { kind, size: 16, seed: 7 }, 1, 14);
      const changed = changedPixels(before, image.data);
      expect(changed.length, `${kind}: pixels changed`).toBeGreaterThan(8);
      const [x0, y0, x1, y1] = plant.box;
      for (const i of changed) {
        const [x, y] = [i % 128, Math.floor(i / 128)];
        expect(x >= x0 && x < x1 && y >= y0 && y < y1, `${kind}: pixel (${x}, ${y}) outside the box ${plant.box}`).toBe(true);
      }
      // At least one patch from the border, so a border effect is never mistaken for a catch.
      expect(x0, kind).toBeGreaterThanOrEqual(14 - 2);
      expect(y0, kind).toBeGreaterThanOrEqual(14 - 2);
      if (kind === 'dark-spot' || kind === 'bright-spot') {
        const sign = kind === 'dark-spot' ? -1 : 1;
        const mean = changed.reduce((sum, i) => sum + image.data[4 * i] - before[4 * i], 0) / changed.length;
        expect(sign * mean, `${kind}: mean change`).toBeGreaterThan(0.5 * 255 * MIN_CONTRAST);
      }
      restore();
      expect(changedPixels(before, image.data), `${kind}: restored`).toEqual([]);
    }
  });

  it('gives a 2-px spot a few pixels and a 64-px stain thousands, scaled to the image', () => {
    const count = (kind: 'dark-spot' | 'stain', size: number, scale: number) => {
      const image = noisy(400, 300, 0.02);
      const before = new Uint8ClampedArray(image.data);
      plantDefect(image, { kind, size, seed: 3 }, scale, 14);
      return changedPixels(before, image.data).length;
    };
    expect(count('dark-spot', 2, 1)).toBeLessThanOrEqual(16);
    expect(count('dark-spot', 2, 1)).toBeGreaterThanOrEqual(3);
    expect(count('stain', 64, 1)).toBeGreaterThan(1500);
    // Twice the image's scale: four times the pixels, within the edges' rounding.
    const ratio = count('stain', 32, 2) / count('stain', 32, 1);
    expect(ratio).toBeGreaterThan(3.3);
    expect(ratio).toBeLessThan(4.7);
  });

  it('is deterministic in its seed', () => {
    const a = noisy(64, 64, 0.02);
    const b = noisy(64, 64, 0.02);
    plantDefect(a, { kind: 'crack', size: 24, seed: 11 }, 1, 7);
    plantDefect(b, { kind: 'crack', size: 24, seed: 11 }, 1, 7);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});
