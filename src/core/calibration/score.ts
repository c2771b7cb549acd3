import { matrix, type Matrix } from '../tensor';
import type { SeverityPooling } from './pooledSeverity';
import type { Calibration } from './calibrate';
import { gaussianForm, logDensity } from './gaussian';
import { projectRow, spaceDims, type ProjectionInputs } from './projection';
import { lookupRates } from './rateTable';

/**
 * Visits log r_c(z) = log p_ID_c(z) − log p_OOD(z) (nats) for every row i and class c: the
 * quantity the rate table maps to s_in, before the table clamps it.
 */
function visitLogRatios(calibration: Calibration, inputs: ProjectionInputs, visit: (i: number, c: number, logRatio: number) => void): void {
  const dims = spaceDims(inputs);
  const [rows, numClasses] = inputs.dists.dims;
  if (dims !== calibration.spaceDims || numClasses !== calibration.numClasses) {
    throw new RangeError(
      `calibration is for ${calibration.numClasses} classes in ${calibration.spaceDims}-D, inputs have ${numClasses} classes in ${dims}-D (logits ${inputs.logits ? 'given' : 'absent'})`,
    );
  }
  const ood = gaussianForm({ mean: new Float64Array(dims), cov: calibration.oodCov });
  const z = new Float64Array(dims);
  for (let c = 0; c < numClasses; c++) {
    const id = gaussianForm({
      mean: calibration.idMeans.subarray(c * dims, (c + 1) * dims),
      cov: calibration.idCovs.subarray(c * dims * dims, (c + 1) * dims * dims),
    });
    for (let i = 0; i < rows; i++) {
      projectRow(inputs, i, c, z);
      visit(i, c, logDensity(id, z) - logDensity(ood, z));
    }
  }
}

/**
 * log r_c(z) per row and class (nats): the evidence for class c over the OOD model. A score map
 * resized to the image interpolates these, not s_in, a rate clamped at both ends
 * (pipeline/scoreMaps.ts).
 * @returns [M, C]
 */
export function logRatios(calibration: Calibration, inputs: ProjectionInputs): Matrix {
  const [rows, numClasses] = inputs.dists.dims;
  const out = matrix(rows, numClasses);
  visitLogRatios(calibration, inputs, (i, c, logRatio) => {
    out.data[i * numClasses + c] = logRatio;
  });
  return out;
}

/**
 * s_in per row and class (Eq. 3): the share of class c's in-distribution pixels that a threshold
 * at this row's likelihood ratio would reject (the ID false-negative rate). Near 1 at the heart
 * of the class's distribution, near 0 far from it.
 * @param ratios [M, C] from logRatios
 * @returns [M, C], in [0, 1]
 */
export function inDistributionRate(calibration: Calibration, { dims, data }: Matrix): Matrix {
  const [rows, numClasses] = dims;
  if (numClasses !== calibration.numClasses) throw new RangeError(`calibration is for ${calibration.numClasses} classes, the log ratios have ${numClasses}`);
  const out = matrix(rows, numClasses);
  for (let c = 0; c < numClasses; c++) lookupRates(calibration.tables[c], data, out.data, c, numClasses);
  return out;
}

/** Nats: the negated log likelihood ratio of the most normal-looking class; larger is more anomalous. */
export type SeverityNats = number;

/** The worst cell's severity and which cell it is, with every cell's. */
export interface ImageSeverity {
  readonly severity: SeverityNats;
  /** The row of the worst cell (row-major over the grid); −1 for no rows. */
  readonly cell: number;
  /** Every cell's severity, nats, row-major over the grid: what regions of interest choose from (core/roi). */
  readonly cells: Float32Array;
}

/**
 * The cell severities of one image's feature grid ([height, width], nats), with the image's size
 * in pixels: enough to judge the image again under any regions of interest without scoring it again.
 */
export interface CellSeverities {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
  readonly imageWidth: number;
  readonly imageHeight: number;
  /** How the cells make the image's severity (pooledSeverity.ts); absent: the worst cell's, as models before pooling judged. */
  readonly pool?: SeverityPooling;
}

/**
 * Each cell's severity −max_c log r_c(z), and the largest, at its cell. It orders by the
 * likelihood ratio itself, so it keeps ranking where s_in has reached the table's end and
 * 1 − s_in ties at 1. An image's verdict reads the cells through pooledSeverity.ts, which may
 * prefer its worst neighbourhood to this worst cell.
 * @param ratios [M, C] from logRatios
 * @returns severity −Infinity and cell −1 for no rows
 */
export function imageSeverity({ dims: [rows, numClasses], data }: Matrix): ImageSeverity {
  const cells = new Float32Array(rows);
  let severity = -Infinity;
  let cell = -1;
  for (let i = 0; i < rows; i++) {
    let normality = -Infinity;
    for (let c = 0; c < numClasses; c++) normality = Math.max(normality, data[i * numClasses + c]);
    cells[i] = -normality;
    if (-normality > severity || cell < 0) {
      severity = -normality;
      cell = i;
    }
  }
  return { severity, cell, cells };
}

/**
 * Anomaly score per row (Eq. 4): 1 − max of s_in over the chosen classes (all by default). A
 * row scoring ≥ 1 − ε is rejected by the strategy that rejects a share ε of in-distribution pixels.
 * @param sIn [M, C] from inDistributionRate
 * @returns [M], in [0, 1]
 */
export function anomalyScore(sIn: Matrix, chosenClasses?: ArrayLike<number>): Float32Array {
  const [rows, numClasses] = sIn.dims;
  const classes = chosenClasses ?? Array.from({ length: numClasses }, (_, c) => c);
  if (classes.length === 0) throw new RangeError('choose at least one in-distribution class');
  for (let k = 0; k < classes.length; k++) {
    const c = classes[k];
    if (!(Number.isInteger(c) && c >= 0 && c < numClasses)) throw new RangeError(`chosen class ${c} is not in [0, ${numClasses})`);
  }
  const scores = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 0; k < classes.length; k++) best = Math.max(best, sIn.data[i * numClasses + classes[k]]);
    scores[i] = 1 - best;
  }
  return scores;
}
