/**
 * Where an image goes into a ViT with a fixed patch size: the input size in pixels (aspect kept,
 * each side a multiple of the patch) and the feature grid that comes out (one token per patch).
 */

/** A size in pixels. */
export interface PixelSize {
  readonly height: number;
  readonly width: number;
}

/** A feature grid size in patches: h rows × w columns of tokens. */
export interface GridSize {
  readonly height: number;
  readonly width: number;
}

export interface InputGeometry {
  /** The size to resize the image to before the backbone; both sides multiples of `patchSize`. */
  readonly input: PixelSize;
  /** The backbone's token grid: input / patchSize. */
  readonly grid: GridSize;
  readonly patchSize: number;
}

/**
 * The longer side becomes `longestSide` rounded to the nearest multiple of the patch (at least
 * one patch); the shorter side is scaled by the same factor and rounded down to a multiple of
 * the patch, as the official ResizeLongestSideDivisible does, so the input never stretches past
 * the image's aspect ratio (and is at least one patch). Ties (square images) treat height as
 * the longer side, which gives the same size.
 */
export function inputGeometry(image: PixelSize, longestSide: number, patchSize = 14): InputGeometry {
  if (!Number.isInteger(patchSize) || patchSize < 1) throw new RangeError(`inputGeometry: patchSize must be a positive integer, got ${patchSize}`);
  for (const side of ['height', 'width'] as const) {
    const v = image[side];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`inputGeometry: image ${side} must be a positive integer of pixels, got ${v}`);
  }
  if (!Number.isFinite(longestSide) || longestSide <= 0) throw new RangeError(`inputGeometry: longestSide must be a positive number of pixels, got ${longestSide}`);

  const longPatches = Math.max(1, Math.round(longestSide / patchSize));
  const long = Math.max(image.height, image.width);
  const short = Math.min(image.height, image.width);
  // Integers throughout: short·longPatches/long is a ratio of integers, so floor() is exact.
  const shortPatches = Math.max(1, Math.floor((short * longPatches) / long));
  const grid = image.height >= image.width ? { height: longPatches, width: shortPatches } : { height: shortPatches, width: longPatches };
  return { input: { height: grid.height * patchSize, width: grid.width * patchSize }, grid, patchSize };
}
