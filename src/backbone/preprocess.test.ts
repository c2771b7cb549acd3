import { describe, expect, it } from 'vitest';
import { resizeScoreMap } from '../core/resample';
import { tensor } from '../core/tensor';
import { IMAGENET, preprocess, resizeBilinear, type RgbaImage } from './preprocess';

function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set([...pixel(x, y), 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('preprocess', () => {
  it('normalises with ImageNet mean/std into NCHW planes', () => {
    const pixels = preprocess(rgba(3, 2, (x, y) => (x === 2 && y === 1 ? [255, 0, 128] : [0, 0, 0])), { height: 2, width: 3 }, IMAGENET);
    expect(pixels.dims).toEqual([1, 3, 2, 3]);
    const plane = 6;
    const at = (c: number, y: number, x: number) => pixels.data[c * plane + y * 3 + x];
    expect(at(0, 1, 2)).toBeCloseTo((1 - IMAGENET.mean[0]) / IMAGENET.std[0], 5);
    expect(at(1, 1, 2)).toBeCloseTo(-IMAGENET.mean[1] / IMAGENET.std[1], 5);
    expect(at(2, 1, 2)).toBeCloseTo((128 / 255 - IMAGENET.mean[2]) / IMAGENET.std[2], 5);
    expect(at(0, 0, 0)).toBeCloseTo(-IMAGENET.mean[0] / IMAGENET.std[0], 5);
  });

  it('keeps a flat colour flat at any size, and ignores alpha', () => {
    const image = rgba(37, 23, () => [200, 100, 50]);
    image.data.forEach((_, i) => i % 4 === 3 && (image.data[i] = i % 7));
    const pixels = preprocess(image, { height: 14, width: 28 }, IMAGENET);
    for (let c = 0; c < 3; c++) {
      const expected = ([200, 100, 50][c] / 255 - IMAGENET.mean[c]) / IMAGENET.std[c];
      for (const v of pixels.data.subarray(c * 392, (c + 1) * 392)) expect(v).toBeCloseTo(expected, 5);
    }
  });

  it('at the image\'s own size gives what the resize would (its one-tap filter copies)', () => {
    const [width, height] = [5, 3];
    const data = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37) % 256);
    const rgb = Float32Array.from({ length: width * height * 3 }, (_, i) => data[Math.floor(i / 3) * 4 + (i % 3)]);
    expect(resizeBilinear(rgb, { height, width }, { height, width }, 3)).toEqual(rgb);
    const out = preprocess({ width, height, data }, { height, width }, IMAGENET).data;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < width * height; p++) expect(out[c * width * height + p]).toBeCloseTo((data[p * 4 + c] / 255 - IMAGENET.mean[c]) / IMAGENET.std[c], 5);
    }
  });

  it('rejects pixel data of the wrong length', () => {
    expect(() => preprocess({ width: 2, height: 2, data: new Uint8Array(15) }, { height: 14, width: 14 }, IMAGENET)).toThrow(RangeError);
  });
});

describe('resizeBilinear', () => {
  it('is the identity at the same size', () => {
    const data = Float32Array.from({ length: 5 * 4 * 2 }, (_, i) => Math.sin(i));
    expect(resizeBilinear(data, { height: 5, width: 4 }, { height: 5, width: 4 }, 2)).toEqual(data);
  });

  it('up-samples as torch bilinear with align_corners=False (src/core/resample)', () => {
    const data = Float32Array.from({ length: 3 * 5 }, (_, i) => Math.cos(i * 1.3));
    const ours = resizeBilinear(data, { height: 3, width: 5 }, { height: 7, width: 11 }, 1);
    const torchLike = resizeScoreMap(tensor([3, 5] as const, data), 7, 11).data;
    for (let i = 0; i < ours.length; i++) expect(ours[i]).toBeCloseTo(torchLike[i], 5);
  });

  it('averages when shrinking instead of sampling a few pixels', () => {
    // Stripes one pixel wide, shrunk 3×: plain bilinear lands on single stripes (all 0 or all 1),
    // the widened triangle filter sees several and stays near their mean.
    const stripes = Float32Array.from({ length: 12 * 12 }, (_, i) => i % 2);
    const plain = resizeScoreMap(tensor([12, 12] as const, stripes), 4, 4).data;
    expect(new Set(plain)).toEqual(new Set([0, 1]));
    for (const v of resizeBilinear(stripes, { height: 12, width: 12 }, { height: 4, width: 4 }, 1)) {
      expect(Math.abs(v - 0.5)).toBeLessThan(0.1);
    }
  });
});
