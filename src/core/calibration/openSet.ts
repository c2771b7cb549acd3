import type { Matrix } from '../tensor';

/** Label of a pixel that the calibration rejects as none of the known classes. */
export const UNKNOWN = -1;

/**
 * Open-set segmentation: each row's argmax-logit class, or UNKNOWN where its anomaly score is
 * ≥ 1 − ε, the strategy that rejects a share ε of in-distribution pixels (e.g. 0.01, 0.05).
 * @param logits [M, C]; null in a project without a classifier, where every kept row is class 0
 * @param anomalyScore [M] from anomalyScore
 * @returns [M] class index or UNKNOWN
 */
export function openSetLabels(logits: Matrix | null, anomalyScore: Float32Array, epsilon: number): Int32Array {
  const rows = anomalyScore.length;
  if (logits && logits.dims[0] !== rows) throw new RangeError(`logits have ${logits.dims[0]} rows, scores ${rows}`);
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  // Scores are float32: compare with the float32 threshold so a score of exactly 1 − ε counts.
  const threshold = Math.fround(1 - epsilon);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = anomalyScore[i] >= threshold ? UNKNOWN : logits ? argmaxRow(logits, i) : 0;
  }
  return labels;
}

function argmaxRow({ dims: [, cols], data }: Matrix, i: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (data[i * cols + c] > data[i * cols + best]) best = c;
  return best;
}
