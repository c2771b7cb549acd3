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

/** One backbone patch of an image's grid of `rows` × `columns` patches. */
export interface PatchPosition {
  readonly row: number;
  readonly column: number;
  readonly rows: number;
  readonly columns: number;
}

/**
 * The patch that a cell (row-major index) of the grid up-sampled ×`factor` takes its features
 * from most: with half-pixel alignment (core/resample.ts) cell i sits at patch coordinate
 * (i + ½)/factor − ½, whose nearest patch is ⌊i / factor⌋.
 */
export function patchOfCell(cell: number, patches: GridSize, factor: number): PatchPosition {
  const cellColumns = patches.width * factor;
  if (!(Number.isInteger(cell) && cell >= 0 && cell < patches.height * factor * cellColumns)) {
    throw new RangeError(`patchOfCell: cell ${cell} is not on a ${patches.height}×${patches.width} grid up-sampled ×${factor}`);
  }
  return {
    row: Math.floor(Math.floor(cell / cellColumns) / factor),
    column: Math.floor((cell % cellColumns) / factor),
    rows: patches.height,
    columns: patches.width,
  };
}

/** Whether a patch is in the grid's outer ring, where the backbone's filters reach past the image's edge. */
export function onBorder({ row, column, rows, columns }: PatchPosition): boolean {
  return row === 0 || column === 0 || row === rows - 1 || column === columns - 1;
}

/** The share of a grid's patches in its outer ring: what a border patch's share of worst cells would be by chance. */
export function borderShare({ rows, columns }: Pick<PatchPosition, 'rows' | 'columns'>): number {
  return 1 - (Math.max(0, rows - 2) * Math.max(0, columns - 2)) / (rows * columns);
}
