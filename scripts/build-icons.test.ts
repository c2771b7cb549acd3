/**
 * The committed icons are what scripts/appIcon.ts draws, byte for byte, and they look like the
 * icon: the odd orange patch in the middle, transparent corners on the rounded icons, a fully
 * opaque square on the maskable one (a launcher crops it to its own shape).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../src/core/formats/png';
import { ICON_FILES, iconPng } from './appIcon';

const REGENERATE = 'regenerate them with: npx tsx scripts/build-icons.ts';

function committed(path: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../public/${path}`, import.meta.url))));
}

function pixel(data: Uint8Array, size: number, x: number, y: number): number[] {
  const at = (y * size + x) * 4;
  return Array.from(data.subarray(at, at + 4));
}

describe('app icons', () => {
  for (const icon of ICON_FILES) {
    it(`${icon.path} is the drawing code's output`, () => {
      const drawn = iconPng(icon);
      expect(Buffer.from(iconPng(icon)).equals(Buffer.from(drawn)), 'two draws give the same bytes').toBe(true);
      expect(Buffer.from(committed(icon.path)).equals(Buffer.from(drawn)), `public/${icon.path} differs from what scripts/appIcon.ts draws; ${REGENERATE}`).toBe(true);
    });

    it(`${icon.path} is ${icon.size}×${icon.size} RGBA with the orange patch in the middle`, () => {
      const png = decodePng(committed(icon.path));
      expect([png.width, png.height, png.colourType, png.bitDepth]).toEqual([icon.size, icon.size, 6, 8]);
      const data = png.data as Uint8Array;
      const middle = icon.size / 2;
      expect(pixel(data, icon.size, middle, middle), 'centre pixel').toEqual([0xff, 0x7a, 0x1a, 255]);
      expect(pixel(data, icon.size, 0, 0)[3], 'alpha of the top-left corner pixel').toBe(icon.maskable ? 255 : 0);
      if (icon.maskable) {
        const translucent = data.filter((value, i) => i % 4 === 3 && value !== 255).length;
        expect(translucent, 'pixels of the maskable icon that are not fully opaque').toBe(0);
      }
    });
  }
});
