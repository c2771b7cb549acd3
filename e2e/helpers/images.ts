/** Image files for tests, made on the spot: textures as PNG, and files that are not usable images. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../../src/core/formats/png';
import { synthesizeTexture } from '../../src/demo/syntheticDefects';

export function texturePng(seed: number, size = 112): Uint8Array {
  const { width, height, rgb } = synthesizeTexture('weave', seed, size, size);
  const plane = width * height;
  const rgba = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(255 * rgb[c * plane + i]);
    rgba[4 * i + 3] = 255;
  }
  return encodePng(rgba, width, height);
}

/** A PNG whose header is intact and whose pixel data is cut off half way: only a decoder notices. */
export function corruptPng(seed: number): Uint8Array {
  const png = texturePng(seed);
  return png.slice(0, Math.floor(png.length / 2));
}

/** A ground-truth mask: white where the defect is (a band of `band` columns), black elsewhere. */
export function defectMask(size: number, band: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) rgba.set(i % size < band ? [255, 255, 255, 255] : [0, 0, 0, 255], 4 * i);
  return encodePng(rgba, size, size);
}

/**
 * A folder `name` in `root` with `good` texture PNGs, one corrupt PNG and one text file.
 * Returns the folder's path.
 */
export function folderWithBadFiles(root: string, name: string, good: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < good; i++) writeFileSync(join(dir, `good_${i}.png`), texturePng(500 + i));
  writeFileSync(join(dir, 'broken.png'), corruptPng(900));
  writeFileSync(join(dir, 'notes.txt'), 'Line 3, shift B: these are the good ones.\n');
  return dir;
}
