/**
 * Which places of an image a region spec includes, on any grid laid over the whole image: the
 * pixels of a score map, or the cells of a feature grid. A place counts when its centre does
 * (a pixel's or a cell's centre at ((x + ½) / width, (y + ½) / height) of the image), so the rule
 * is the same at every resolution. See regionSpec.ts for what wins.
 */
import type { Region, RegionPoint, RegionSpec } from './regionSpec';

export interface ImageSize {
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/**
 * [height, width] 1 where the grid's place is included, 0 where not.
 * @param image the original image's size in pixels, which the margin is measured in
 */
export function regionMask(spec: RegionSpec, width: number, height: number, image: ImageSize): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`a region mask needs a positive whole size, got ${width}×${height}`);
  const includes = spec.regions.filter((r) => r.mode === 'include');
  const ignores = spec.regions.filter((r) => r.mode === 'ignore');
  const marginX = spec.marginPx / image.imageWidth;
  const marginY = spec.marginPx / image.imageHeight;
  const mask = new Uint8Array(width * height);
  const point = { x: 0, y: 0 };
  for (let row = 0; row < height; row++) {
    point.y = (row + 0.5) / height;
    const rowInMargin = point.y < marginY || point.y > 1 - marginY;
    for (let column = 0; column < width; column++) {
      point.x = (column + 0.5) / width;
      if (rowInMargin || point.x < marginX || point.x > 1 - marginX) continue;
      if (includes.length > 0 && !includes.some((r) => contains(r, point))) continue;
      if (ignores.some((r) => contains(r, point))) continue;
      mask[row * width + column] = 1;
    }
  }
  return mask;
}

/** Whether the region covers the point (a rectangle's edges belong to it). */
export function contains(region: Region, { x, y }: RegionPoint): boolean {
  if (region.kind === 'rect') return x >= region.x && x <= region.x + region.width && y >= region.y && y <= region.y + region.height;
  const { points } = region;
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const a = points[i];
    const b = points[j];
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** How many places the mask includes. */
export function includedCount(mask: Uint8Array): number {
  let count = 0;
  for (const value of mask) count += value;
  return count;
}
