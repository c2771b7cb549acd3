/**
 * Softmax cross-entropy over logits [N, C] with integer labels [N], as
 * torch.nn.CrossEntropyLoss(ignore_index=IGNORE_LABEL, reduction='mean'): the mean of
 * −log softmax(logits)[label] over the samples whose label is not IGNORE_LABEL.
 */
import { IGNORE_LABEL } from '../labels';
import { matrix, type Matrix } from '../tensor';

export interface CrossEntropy {
  /** Mean loss in nats over the non-ignored samples; NaN when every sample is ignored, as in torch. */
  readonly loss: number;
  /** How many samples were not ignored (the divisor of the mean). */
  readonly count: number;
  /** ∂loss/∂logits [N, C]: zero rows for ignored samples, and all zero when nothing counted. */
  readonly dLogits: Matrix;
}

export function softmaxCrossEntropy(logits: Matrix, labels: Int32Array): CrossEntropy {
  const [n, c] = logits.dims;
  if (labels.length !== n) throw new RangeError(`softmaxCrossEntropy: ${n} rows of logits but ${labels.length} labels`);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y === IGNORE_LABEL) continue;
    if (y < 0 || y >= c) throw new RangeError(`softmaxCrossEntropy: label ${y} at row ${i} is outside 0..${c - 1} and is not IGNORE_LABEL`);
    count++;
  }
  const dLogits = matrix(n, c);
  if (count === 0) return { loss: Number.NaN, count, dLogits };

  const probs = new Float64Array(c);
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y === IGNORE_LABEL) continue;
    const row = logits.data.subarray(i * c, (i + 1) * c);
    // Shift by the max so exp never overflows; the softmax is unchanged.
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, row[k]);
    let sum = 0;
    for (let k = 0; k < c; k++) {
      probs[k] = Math.exp(row[k] - max);
      sum += probs[k];
    }
    lossSum += Math.log(sum) - (row[y] - max);
    const grad = dLogits.data.subarray(i * c, (i + 1) * c);
    for (let k = 0; k < c; k++) grad[k] = (probs[k] / sum - (k === y ? 1 : 0)) / count;
  }
  return { loss: lossSum / count, count, dLogits };
}
