import type { Matrix } from '../tensor';
import { fitGaussian, gaussianForm, logDensity, type GaussianForm } from './gaussian';
import { analyticOodCovariance } from './oodCovariance';
import { projectRow, spaceDims, type ProjectionInputs, type SpaceDims } from './projection';
import { buildRateTable, type RateTable } from './rateTable';

/**
 * A Neyman–Pearson calibration (§3, Eqs. 1–3): per class, the ID Gaussian in its projection space
 * and the table from log likelihood ratio to s_in. Plain numbers and typed arrays, so it can be
 * cloned to a worker and saved in a model bundle.
 */
export interface Calibration {
  /** P: 2 for z = (logit_c, sim_c), 1 for z = (sim_c) in a project without a classifier. */
  readonly spaceDims: SpaceDims;
  readonly numClasses: number;
  /** [C, P] mean of each class's ID Gaussian. */
  readonly idMeans: Float64Array;
  /** [C, P, P] covariance of each class's ID Gaussian (unbiased, as numpy.cov). */
  readonly idCovs: Float64Array;
  /** [P, P] covariance of the zero-mean OOD Gaussian, the same for every class. */
  readonly oodCov: Float64Array;
  /** [C] s_in as a function of log r, per class. */
  readonly tables: readonly RateTable[];
}

export interface CalibrationInputs extends ProjectionInputs {
  /** [N] class index of each row, in [0, C). */
  readonly labels: Int32Array;
}

export interface CalibrationOptions {
  /** [P, P] row-major OOD covariance; defaults to analyticOodCovariance of the training points. */
  readonly oodCov?: ArrayLike<number>;
  /**
   * Grid samples per axis (official: 2000). The 1-D space gets gridSize² samples, as many as
   * the 2-D grid, so its table is as fine.
   */
  readonly gridSize?: number;
}

const DEFAULT_GRID_SIZE = 2000;
/** The official grid reaches this far beyond ±max(logits) on the logit axis. */
const LOGIT_MARGIN = 5;

/**
 * Fits the calibration on training rows: each class's ID Gaussian from its own rows' points, and
 * its table on a dense grid over the projection space (logit ∈ [−max − 5, max + 5] with max
 * over all training logits, sim ∈ [0, 1]).
 */
export function calibrate(inputs: CalibrationInputs, options: CalibrationOptions = {}): Calibration {
  const dims = spaceDims(inputs);
  const [rows, numClasses] = inputs.dists.dims;
  const { labels } = inputs;
  if (labels.length !== rows) throw new RangeError(`need one label per row: ${rows} rows, ${labels.length} labels`);
  const gridSize = options.gridSize ?? DEFAULT_GRID_SIZE;
  if (!Number.isInteger(gridSize) || gridSize < 2) throw new RangeError(`gridSize must be an integer ≥ 2, got ${gridSize}`);

  const classPoints = gatherClassPoints(inputs, dims, numClasses);
  const oodCov = options.oodCov ? Float64Array.from(options.oodCov) : analyticOodCovariance(classPoints, dims);
  if (oodCov.length !== dims * dims) throw new RangeError(`oodCov must have ${dims * dims} values, got ${oodCov.length}`);
  const oodForm = gaussianForm({ mean: new Float64Array(dims), cov: oodCov });
  const axes = inputs.logits ? [logitAxis(inputs.logits, gridSize), linspace(0, 1, gridSize)] : [linspace(0, 1, gridSize * gridSize)];

  const idMeans = new Float64Array(numClasses * dims);
  const idCovs = new Float64Array(numClasses * dims * dims);
  const tables: RateTable[] = [];
  for (let c = 0; c < numClasses; c++) {
    const id = fitGaussian(classPoints[c], dims);
    idMeans.set(id.mean, c * dims);
    idCovs.set(id.cov, c * dims * dims);
    tables.push(tableOnGrid(gaussianForm(id), oodForm, axes));
  }
  return { spaceDims: dims, numClasses, idMeans, idCovs, oodCov, tables };
}

/** Per class, its rows' points in its own projection space: [N_c, P] row-major. */
function gatherClassPoints(inputs: CalibrationInputs, dims: SpaceDims, numClasses: number): Float64Array[] {
  const { labels } = inputs;
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) {
    if (!(label >= 0 && label < numClasses)) throw new RangeError(`labels must be in [0, ${numClasses}), got ${label}`);
    counts[label]++;
  }
  const points = counts.map((count) => new Float64Array(count * dims));
  const filled = new Array<number>(numClasses).fill(0);
  const z = new Float64Array(dims);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    projectRow(inputs, i, c, z);
    points[c].set(z, filled[c]++ * dims);
  }
  return points;
}

function logitAxis(logits: Matrix, gridSize: number): Float64Array {
  let max = -Infinity;
  for (const value of logits.data) max = Math.max(max, value);
  return linspace(-max - LOGIT_MARGIN, max + LOGIT_MARGIN, gridSize);
}

/** `count` evenly spaced values from `start` to `stop`, both included (numpy.linspace). */
function linspace(start: number, stop: number, count: number): Float64Array {
  const step = (stop - start) / (count - 1);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = start + i * step;
  values[count - 1] = stop;
  return values;
}

/** The rate table from the log ratio and ID density at every point of the grid spanned by `axes`. */
function tableOnGrid(id: GaussianForm, ood: GaussianForm, axes: readonly Float64Array[]): RateTable {
  const size = axes.reduce((product, axis) => product * axis.length, 1);
  const logRatio = new Float64Array(size);
  const idMass = new Float64Array(size);
  const z = new Float64Array(axes.length);
  for (let g = 0; g < size; g++) {
    let rest = g;
    for (let a = 0; a < axes.length; a++) {
      z[a] = axes[a][rest % axes[a].length];
      rest = Math.floor(rest / axes[a].length);
    }
    const logId = logDensity(id, z);
    logRatio[g] = logId - logDensity(ood, z);
    idMass[g] = Math.exp(logId);
  }
  return buildRateTable(logRatio, idMass);
}
