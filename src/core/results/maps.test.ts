import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor';
import { decodePng } from '../formats/png';
import { colour, heatmapPng, heatmapRgba, rarity, scoreAtRarity } from './colormap';
import { reduceMaps } from './reduceMaps';
import { regionOutline, rejectedMaskRgba, rejectedShare } from './regions';

describe('reduced maps', () => {
  it('keep each block’s most anomalous pixel, with its class and distance', () => {
    // 4×3 map reduced by 2 → 2×2 (the last row is its own block).
    const score = tensor([3, 4] as const, Float32Array.of(0.1, 0.9, 0.2, 0.3, 0.4, 0.5, 0.6, 0.95, 0.7, 0.1, 0.2, 0.3));
    const predicted = Int32Array.from({ length: 12 }, (_, i) => i);
    const distance = Float32Array.from({ length: 12 }, (_, i) => i / 2);
    const maps = reduceMaps({ score, predicted, distance }, 2);
    expect([maps.width, maps.height]).toEqual([2, 2]);
    expect(Array.from(maps.score)).toEqual([0.9, 0.95, 0.7, 0.3].map((v) => Math.fround(v)));
    expect(Array.from(maps.predicted)).toEqual([1, 7, 8, 11]);
    expect(Array.from(maps.distance)).toEqual([0.5, 3.5, 4, 5.5]);
  });

  it('are left as they are when already small', () => {
    const score = tensor([1, 2] as const, Float32Array.of(0.2, 0.8));
    const maps = reduceMaps({ score, predicted: Int32Array.of(0, 1), distance: Float32Array.of(1, 2) }, 256);
    expect(maps.score).toEqual(score.data);
  });
});

describe('colour scale', () => {
  it('is the rarity over three decades, and scoreAtRarity inverts it', () => {
    expect(rarity(0)).toBe(0);
    expect(rarity(0.9)).toBeCloseTo(1 / 3);
    expect(rarity(0.99)).toBeCloseTo(2 / 3);
    expect(rarity(1)).toBe(1);
    expect(scoreAtRarity(2 / 3)).toBeCloseTo(0.99);
    expect(colour(0)).toEqual([0, 0, 4]);
    expect(colour(1)).toEqual([252, 255, 164]);
  });

  it('leaves typical pixels nearly transparent in an overlay and makes rare ones opaque', () => {
    const rgba = heatmapRgba(Float32Array.of(0, 0.9999), true);
    expect(rgba[3]).toBeLessThan(60);
    expect(rgba[7]).toBe(255);
    expect(heatmapRgba(Float32Array.of(0), false)[3]).toBe(255);
  });

  it('keeps a map as an opaque PNG of its size whose pixels are the scale\'s colours', () => {
    const score = Float32Array.of(0, 0.5, 0.99, 0.9999, 0.9, 0.1);
    const png = decodePng(heatmapPng(score, 3, 2));
    expect([png.width, png.height, png.colourType, png.bitDepth]).toEqual([3, 2, 6, 8]);
    expect(Array.from(png.data)).toEqual(Array.from(heatmapRgba(score, false)));
  });
});

describe('regions at ε', () => {
  it('outline the pixels scoring at least 1 − ε', () => {
    // A 3×3 block of rejected pixels in a 5×5 map: its 8 border pixels are the outline.
    const score = new Float32Array(25);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) score[y * 5 + x] = 0.995;
    const outline = regionOutline(score, 5, 5, 0.01);
    expect(outline.reduce((a, b) => a + b, 0)).toBe(8);
    expect(outline[12]).toBe(0);
    expect(regionOutline(score, 5, 5, 0.001).every((v) => v === 0)).toBe(true);
    expect(rejectedShare(score, 0.01)).toBeCloseTo(9 / 25);
  });
});

describe('rejectedMaskRgba', () => {
  it('marks the image pixels whose map pixel is rejected at ε, at the image size', () => {
    // A 2×2 map, its top-right pixel rejected at ε = 0.1, onto a 4×2 image.
    const rgba = rejectedMaskRgba(Float32Array.of(0.5, 0.95, 0.2, 0.3), 2, 2, 0.1, 4, 2);
    const white = [...Array(8).keys()].map((i) => rgba[4 * i]);
    expect(white).toEqual([0, 0, 255, 255, 0, 0, 0, 0]);
    expect([...Array(8).keys()].every((i) => rgba[4 * i + 3] === 255)).toBe(true);
  });
});
