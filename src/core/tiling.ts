/**
 * An input too large for one backbone run, as overlapping tiles. The feature grid is cut into
 * near-equal cores along each axis; each core runs with up to `margin` patches of the image
 * around it, and only the core's cells are kept. Every cell's features thus come from a run that
 * saw at least `margin` patches of context on each side where the image has them, and a run
 * never takes more than `maxSide` patches a side, which bounds its memory (attention grows with
 * the square of the tokens).
 */
import type { GridSize } from './geometry';
import { tensor, type Tensor, type Tensor3 } from './tensor';

/** Pixels as a backbone takes them: [1, 3, H, W], channel-planar. */
type Pixels = Tensor<readonly [1, 3, number, number]>;

/** A stretch of one axis, in patches: the run covers [start, end), and keeps [coreStart, coreEnd). */
export interface TileSpan {
  readonly start: number;
  readonly end: number;
  readonly coreStart: number;
  readonly coreEnd: number;
}

export interface Tile {
  readonly rows: TileSpan;
  readonly cols: TileSpan;
}

/** The tiles of a grid, row by row; one tile (the whole grid) when it fits in `maxSide`. */
export function tilePlan(grid: GridSize, maxSide: number, margin: number): Tile[] {
  if (!Number.isInteger(margin) || margin < 0 || !Number.isInteger(maxSide) || maxSide <= 2 * margin) {
    throw new RangeError(`tilePlan: a tile of at most ${maxSide} patches cannot keep a margin of ${margin} on both sides`);
  }
  const rows = spans(grid.height, maxSide, margin);
  const cols = spans(grid.width, maxSide, margin);
  return rows.flatMap((r) => cols.map((c) => ({ rows: r, cols: c })));
}

function spans(length: number, maxSide: number, margin: number): TileSpan[] {
  if (length <= maxSide) return [{ start: 0, end: length, coreStart: 0, coreEnd: length }];
  // Cores of at most maxSide − 2·margin patches, so a core with its margins fits in maxSide.
  const count = Math.ceil(length / (maxSide - 2 * margin));
  return Array.from({ length: count }, (_, i) => {
    const coreStart = Math.floor((i * length) / count);
    const coreEnd = Math.floor(((i + 1) * length) / count);
    return { start: Math.max(0, coreStart - margin), end: Math.min(length, coreEnd + margin), coreStart, coreEnd };
  });
}

/** The tile's pixels out of a [1, 3, H, W] input whose grid the plan was made for. */
export function tilePixels(pixels: Pixels, tile: Tile, patchSize: number): Pixels {
  const [, , height, width] = pixels.dims;
  const top = tile.rows.start * patchSize;
  const left = tile.cols.start * patchSize;
  const h = (tile.rows.end - tile.rows.start) * patchSize;
  const w = (tile.cols.end - tile.cols.start) * patchSize;
  const out = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < h; y++) {
      const from = (c * height + top + y) * width + left;
      out.set(pixels.data.subarray(from, from + w), (c * h + y) * w);
    }
  }
  return tensor([1, 3, h, w] as const, out);
}

/** A grid [h, w, D] filled with the core cells of each tile's features [tile h, tile w, D]. */
export function stitchTiles(grid: GridSize, tiles: readonly Tile[], features: readonly Tensor3[]): Tensor3 {
  const dim = features[0].dims[2];
  const out = tensor([grid.height, grid.width, dim] as const);
  tiles.forEach(({ rows, cols }, t) => {
    const [th, tw, d] = features[t].dims;
    if (th !== rows.end - rows.start || tw !== cols.end - cols.start || d !== dim) {
      throw new RangeError(`stitchTiles: tile ${t} has features [${th}, ${tw}, ${d}], its span is [${rows.end - rows.start}, ${cols.end - cols.start}, ${dim}]`);
    }
    const coreWidth = (cols.coreEnd - cols.coreStart) * dim;
    for (let y = rows.coreStart; y < rows.coreEnd; y++) {
      const from = ((y - rows.start) * tw + (cols.coreStart - cols.start)) * dim;
      out.data.set(features[t].data.subarray(from, from + coreWidth), (y * grid.width + cols.coreStart) * dim);
    }
  });
  return out;
}
