/**
 * An image's severity from its cell severities: its worst cell, or its worst neighbourhood where
 * that stands out further from the good parts.
 *
 * A cell's severity is −log of its likelihood ratio (nats), so the mean over a neighbourhood is
 * the evidence the neighbourhood gives per cell. Pooled under a Gaussian of σ cells, a patch of
 * cells each a little unlike the good parts can outrank one cell the features happen to place
 * far off; on worn surfaces, where a defective part differs over a wide area, that is what tells
 * the parts apart. A lone cell far off (a small, sharp defect) keeps its own say: pooling alone
 * would dilute it by its neighbours. The two cues have their own spreads over good parts, so the
 * pooled one enters on the worst cell's scale by an affine map fit to the held-out good images
 * (fitPooling): their medians meet, and so do their largest values.
 *
 * Beyond the image's edge, and outside the regions of interest, the neighbourhood is filled with
 * the image's median (included) cell: what lies beyond is taken to look like a typical place of
 * this image. Averaging only the cells inside instead lets a border cell average fewer
 * neighbours, so its pooled value spreads wider and the good images' worst neighbourhood lands
 * on the border (most of the pitting set's good images in the README's probe).
 */
import { quantileLinear } from './quantile';
import type { CellSeverities, SeverityNats } from './score';

/** The widest neighbourhood, σ in backbone patches, a model may judge by: past it a neighbourhood is most of an image. */
export const MAX_AREA_PATCHES = 8;

/** How a grid's cells pool into its severity: the worst neighbourhood's value p counts as offset + scale · p. */
export interface SeverityPooling {
  /** σ of the Gaussian, in cells of the grid. */
  readonly sigma: number;
  readonly offset: number;
  readonly scale: number;
}

/** The image's severity and the cell it is read at; −Infinity and −1 where no cell is included. */
export interface PooledSeverity {
  readonly severity: SeverityNats;
  readonly cell: number;
  /** The worst neighbourhood decided it, not the worst cell: a wide area, as a verdict says. */
  readonly wide: boolean;
}

/**
 * @param included [height·width], nonzero where a cell counts (regions of interest); absent: all do
 */
export function pooledSeverity(cells: CellSeverities, included?: Uint8Array): PooledSeverity {
  const inside = (i: number) => !included || included[i] !== 0;
  const worst = largest(cells.data, inside);
  if (!cells.pool || worst.cell < 0) return worst;
  const { sigma, offset, scale } = cells.pool;
  const area = largest(pool(cells, inside, sigma), inside);
  const severity = offset + scale * area.severity;
  return severity > worst.severity ? { severity, cell: area.cell, wide: true } : worst;
}

/**
 * The pooling that puts the worst neighbourhood on the worst cell's scale over `grids` (the
 * held-out good images'), or undefined where σ is 0 (the worst cell only) or either cue does not
 * vary over them.
 */
export function fitPooling(grids: readonly CellSeverities[], sigma: number): SeverityPooling | undefined {
  if (!(sigma > 0)) return undefined;
  const all = () => true;
  const cells = grids.map((grid) => largest(grid.data, all).severity);
  const areas = grids.map((grid) => largest(pool(grid, all, sigma), all).severity);
  const [cellMedian, areaMedian] = [quantileLinear(cells, 0.5), quantileLinear(areas, 0.5)];
  const cellSpread = Math.max(...cells) - cellMedian;
  const areaSpread = Math.max(...areas) - areaMedian;
  if (!(cellSpread > 0 && areaSpread > 0)) return undefined;
  const scale = cellSpread / areaSpread;
  return { sigma, offset: cellMedian - scale * areaMedian, scale };
}

/**
 * Whether `severity`, pooled from `cells` over the whole image, came from the worst neighbourhood:
 * pooledSeverity returns the worst cell's own value otherwise, so it is above every cell only then.
 */
export function decidedByArea(cells: CellSeverities, severity: SeverityNats): boolean {
  return cells.pool !== undefined && severity > largest(cells.data, () => true).severity;
}

function largest(values: ArrayLike<number>, inside: (i: number) => boolean): PooledSeverity {
  let severity = -Infinity;
  let cell = -1;
  for (let i = 0; i < values.length; i++) {
    if (inside(i) && (values[i] > severity || cell < 0)) {
      severity = values[i];
      cell = i;
    }
  }
  return { severity, cell, wide: false };
}

/** The included cells with the rest at their median, smoothed by a Gaussian of σ = `s` cells that reads the median beyond the edge. */
function pool({ width, height, data }: CellSeverities, inside: (i: number) => boolean, s: number): Float64Array {
  const kept: number[] = [];
  for (let i = 0; i < data.length; i++) if (inside(i)) kept.push(data[i]);
  const fill = quantileLinear(kept, 0.5);
  const radius = Math.ceil(3 * s);
  const weights = Float64Array.from({ length: 2 * radius + 1 }, (_, t) => Math.exp(-((t - radius) ** 2) / (2 * s * s)));
  const total = weights.reduce((a, b) => a + b, 0);
  for (let t = 0; t < weights.length; t++) weights[t] /= total;
  const field = Float64Array.from(data, (v, i) => (inside(i) ? v : fill));
  const rows = new Float64Array(field.length);
  const out = new Float64Array(field.length);
  // Each row, then each column, is copied into a line padded with the median, so no tap tests an edge.
  const line = new Float64Array(Math.max(width, height) + 2 * radius).fill(fill);
  const smooth = (from: Float64Array, to: Float64Array, start: number, step: number, length: number) => {
    for (let k = 0; k < length; k++) line[radius + k] = from[start + k * step];
    line.fill(fill, radius + length);
    for (let k = 0; k < length; k++) {
      let sum = 0;
      for (let t = 0; t < weights.length; t++) sum += weights[t] * line[k + t];
      to[start + k * step] = sum;
    }
  };
  for (let y = 0; y < height; y++) smooth(field, rows, y * width, 1, width);
  for (let x = 0; x < width; x++) smooth(rows, out, x, width, height);
  return out;
}
