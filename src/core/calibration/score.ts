import { matrix, type Matrix } from '../tensor';
import type { Calibration } from './calibrate';
import { gaussianForm, logDensity } from './gaussian';
import { projectRow, spaceDims, type ProjectionInputs } from './projection';
import { lookupRate } from './rateTable';

/**
 * s_in per row and class (Eq. 3): the share of class c's in-distribution pixels that a threshold
 * at this row's likelihood ratio would reject (the ID false-negative rate). Near 1 at the heart
 * of the class's distribution, near 0 far from it.
 * @returns [M, C], in [0, 1]
 */
export function inDistributionRate(calibration: Calibration, inputs: ProjectionInputs): Matrix {
  const dims = spaceDims(inputs);
  const [rows, numClasses] = inputs.dists.dims;
  if (dims !== calibration.spaceDims || numClasses !== calibration.numClasses) {
    throw new RangeError(
      `calibration is for ${calibration.numClasses} classes in ${calibration.spaceDims}-D, inputs have ${numClasses} classes in ${dims}-D (logits ${inputs.logits ? 'given' : 'absent'})`,
    );
  }
  const ood = gaussianForm({ mean: new Float64Array(dims), cov: calibration.oodCov });
  const out = matrix(rows, numClasses);
  const z = new Float64Array(dims);
  for (let c = 0; c < numClasses; c++) {
    const id = gaussianForm({
      mean: calibration.idMeans.subarray(c * dims, (c + 1) * dims),
      cov: calibration.idCovs.subarray(c * dims * dims, (c + 1) * dims * dims),
    });
    const table = calibration.tables[c];
    for (let i = 0; i < rows; i++) {
      projectRow(inputs, i, c, z);
      out.data[i * numClasses + c] = lookupRate(table, logDensity(id, z) - logDensity(ood, z));
    }
  }
  return out;
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
