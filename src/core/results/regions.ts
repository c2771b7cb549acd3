/** Regions at a false-alarm rate ε: the pixels a verdict at ε rejects, and their outlines. */
import { connectedRegions } from '../metrics/connectedRegions';

/** A pixel is rejected at ε when its score is at least 1 − ε (the pipeline's definition). */
export function rejectedAt(score: number, epsilon: number): boolean {
  return score >= 1 - epsilon;
}

/**
 * [height, width] 1 on the border of the rejected regions: rejected pixels with a
 * 4-neighbour that is not rejected (or the map's edge).
 */
export function regionOutline(score: Float32Array, width: number, height: number, epsilon: number): Uint8Array {
  const inside = new Uint8Array(score.length);
  for (let i = 0; i < score.length; i++) inside[i] = rejectedAt(score[i], epsilon) ? 1 : 0;
  const outline = new Uint8Array(score.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!inside[i]) continue;
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !inside[i - 1] || !inside[i + 1] || !inside[i - width] || !inside[i + width];
      if (edge) outline[i] = 1;
    }
  }
  return outline;
}

/**
 * A quick defect mask at the image's size: RGBA, white where the map rejects at ε (each image
 * pixel takes the map pixel it falls in), black elsewhere; what a person confirms as "real defect"
 * instead of drawing one.
 */
export function rejectedMaskRgba(score: Float32Array, width: number, height: number, epsilon: number, imageWidth: number, imageHeight: number): Uint8Array {
  const rgba = new Uint8Array(imageWidth * imageHeight * 4);
  for (let y = 0; y < imageHeight; y++) {
    const row = Math.min(height - 1, Math.floor((y * height) / imageHeight));
    for (let x = 0; x < imageWidth; x++) {
      const column = Math.min(width - 1, Math.floor((x * width) / imageWidth));
      const value = rejectedAt(score[row * width + column], epsilon) ? 255 : 0;
      rgba.fill(value, 4 * (y * imageWidth + x), 4 * (y * imageWidth + x) + 3);
      rgba[4 * (y * imageWidth + x) + 3] = 255;
    }
  }
  return rgba;
}

/** The share of pixels rejected at ε. */
export function rejectedShare(score: Float32Array, epsilon: number): number {
  let rejected = 0;
  for (const value of score) if (rejectedAt(value, epsilon)) rejected++;
  return score.length > 0 ? rejected / score.length : 0;
}

/** A connected region of rejected pixels (8-neighbours, as the evaluation's regions), in the map's pixels. */
export interface Region {
  readonly pixels: number;
  /** Its centre of mass, map pixels. */
  readonly x: number;
  readonly y: number;
}

/** The regions rejected at ε: how many, and the largest (null when no pixel is). */
export function regionsAt(score: Float32Array, width: number, height: number, epsilon: number): { readonly count: number; readonly largest: Region | null } {
  const mask = new Uint8Array(score.length);
  for (let i = 0; i < score.length; i++) mask[i] = rejectedAt(score[i], epsilon) ? 1 : 0;
  const { labels, sizes, count } = connectedRegions(mask, width, height);
  if (count === 0) return { count, largest: null };
  let largest = 1;
  for (let r = 2; r <= count; r++) if (sizes[r] > sizes[largest]) largest = r;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== largest) continue;
    sumX += i % width;
    sumY += Math.floor(i / width);
  }
  return { count, largest: { pixels: sizes[largest], x: sumX / sizes[largest], y: sumY / sizes[largest] } };
}


/** Image pixels each pixel of a kept map stands for: the maps are reduced by block maxima. */
export function imagePixelsPerMapPixel(maps: { readonly width: number; readonly height: number }, image: { readonly imageWidth: number; readonly imageHeight: number }): number {
  return (image.imageWidth / maps.width) * (image.imageHeight / maps.height);
}
