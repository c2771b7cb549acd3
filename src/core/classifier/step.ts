/**
 * One classifier training step as a contract: forward, softmax cross-entropy and backward of a
 * batch. The reference below and the kernels (CPU graphs, GPU) implement the same thing.
 */
import type { Matrix } from '../tensor';
import { IGNORE_LABEL } from '../labels';
import { softmaxCrossEntropy } from './crossEntropy';
import { mlpBackward, mlpForward, type Mlp, type MlpGradients } from './mlp';

export interface MlpBatchResult {
  /** Mean cross-entropy (nats) over the labelled rows; NaN when none is labelled, as in torch. */
  readonly loss: number;
  /** Rows whose label is not IGNORE_LABEL. */
  readonly count: number;
  /** Labelled rows whose first largest logit is their label. */
  readonly correct: number;
  /** ∂loss/∂parameter; all zero when no row is labelled. */
  readonly gradients: MlpGradients;
}

/** @param features [B, D] @param labels [B] class index per row, or IGNORE_LABEL */
export type MlpStep = (mlp: Mlp, features: Matrix, labels: Int32Array) => MlpBatchResult | Promise<MlpBatchResult>;

export const mlpStep: MlpStep = (mlp, features, labels) => {
  const activations = mlpForward(mlp, features);
  const ce = softmaxCrossEntropy(activations.logits, labels);
  return {
    loss: ce.loss,
    count: ce.count,
    correct: countCorrect(activations.logits, labels),
    gradients: mlpBackward(mlp, activations, ce.dLogits),
  };
};

function countCorrect(logits: Matrix, labels: Int32Array): number {
  const [n, c] = logits.dims;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === IGNORE_LABEL) continue;
    let best = 0;
    for (let k = 1; k < c; k++) if (logits.data[i * c + k] > logits.data[i * c + best]) best = k;
    if (best === labels[i]) correct++;
  }
  return correct;
}
