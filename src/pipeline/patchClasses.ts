/**
 * The class of every backbone patch of a training image (paper §3.3): the image's class for a
 * folder of good images, or, with a label mask, the class its pixels name through the project's
 * mask table, a patch counting only when one class covers at least 90% of it.
 */
import type { GridSize, PixelSize } from '../core/geometry';
import { IGNORE_LABEL } from '../core/labels';
import { patchLabels, type LabelMask } from '../core/patchLabels';

export interface PatchClassInput {
  /** The backbone's input size and token grid for this image. */
  readonly input: PixelSize;
  readonly grid: GridSize;
  /** The image's class; with a mask, the class of pixels whose value the table does not list. −1: none. */
  readonly classId: number;
  /** Mask values per pixel at the image's own size. */
  readonly mask?: LabelMask;
  /** Mask value → class id. */
  readonly maskClasses?: Readonly<Record<number, number>>;
}

/** [h·w] class id per patch, or IGNORE_LABEL. */
export function patchClasses({ input, grid, classId, mask, maskClasses = {} }: PatchClassInput): Int32Array {
  const own = classId >= 0 ? classId : IGNORE_LABEL;
  if (!mask) return new Int32Array(grid.height * grid.width).fill(own);
  const table = new Map(Object.entries(maskClasses).map(([value, id]) => [Number(value), id]));
  const classes = resizeNearest(mask, input).map((value) => table.get(value) ?? own);
  const patchSize = input.height / grid.height;
  return patchLabels({ dims: [input.height, input.width], data: classes }, { patchSize, ignoreValue: IGNORE_LABEL }).labels;
}

/**
 * The mask at the backbone's input size, each pixel taking the value under its centre: class
 * ids must never be blended, and the 90% rule then sees the shares of the resized patch.
 */
function resizeNearest(mask: LabelMask, size: PixelSize): Int32Array {
  const [height, width] = mask.dims;
  const out = new Int32Array(size.height * size.width);
  for (let y = 0; y < size.height; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / size.height));
    for (let x = 0; x < size.width; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / size.width));
      out[y * size.width + x] = mask.data[sy * width + sx];
    }
  }
  return out;
}
