/**
 * Trains the §3.2 classifier on labelled patch features with softmax cross-entropy and AdamW
 * at a constant learning rate, as the official PixOOD code does (optimizer 'adamw', scheduler
 * 'none'). Batches are drawn from a seeded shuffle, so a run repeats exactly for a seed.
 * One label per patch (see patchLabels): the official code instead up-samples the logits to the
 * image and takes the loss per pixel, which a browser cannot afford for every image.
 */
import { checkpoint } from '../checkpoint';
import { adamWStep, createAdamWState, type AdamWState } from '../adamw';
import { IGNORE_LABEL } from '../labels';
import { createRng } from '../rng';
import { gatherRows, type Matrix } from '../tensor';
import { createMlp, type Mlp } from './mlp';
import { mlpStep, type MlpStep } from './step';

export interface TrainClassifierOptions {
  /** Hidden width H. Default: D, as the official decoder (a 1×1 conv as wide as its input). */
  hidden?: number;
  /** Number of classes C; labels are 0..C−1 or IGNORE_LABEL. Default: the largest label + 1. */
  classes?: number;
  /** Passes over the data. Default 30, the official MLP training (paper §4, dinov2_vit_l.yaml). */
  epochs?: number;
  /**
   * Samples (patches) per optimiser step. Default 1024: the official batch is 4 Cityscapes
   * images (~32k patches), far more than a small project has, so a smaller batch keeps the
   * number of steps per epoch useful.
   */
  batchSize?: number;
  /** AdamW learning rate. Default 1e-4, the official value. */
  lr?: number;
  /** AdamW decoupled weight decay. Default 5e-4, the official OPTIMIZER.WEIGHT_DECAY (torch's own default is 0.01). */
  weightDecay?: number;
  /** Seeds initialisation and shuffling. Default 42, the official RNG_SEED. */
  seed?: number;
}

export interface ClassifierEpoch {
  /** Epochs finished so far, 1..epochs. */
  readonly epoch: number;
  readonly epochs: number;
  /** Mean cross-entropy (nats) over the epoch's non-ignored samples, measured before each step. */
  readonly loss: number;
  /** Share of the epoch's non-ignored samples whose argmax logit was their label, before each step. */
  readonly accuracy: number;
}

export interface TrainClassifierHooks {
  /** Called after every epoch; training waits for a returned promise. */
  onEpoch?: (progress: ClassifierEpoch) => void | Promise<void>;
  /** Checked between epochs; an abort rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The batch step: a kernel with the reference's contract (default: the reference, mlpStep). */
  step?: MlpStep;
}

/**
 * The options with their defaults filled in, once the inputs are checked (a RangeError says
 * what is wrong). Shared with the GPU trainer, so both train the same model for the same call.
 */
export function resolveClassifierOptions(features: Matrix, labels: Int32Array, options: TrainClassifierOptions = {}): Required<TrainClassifierOptions> {
  const [, d] = features.dims;
  const { hidden = d, classes = largestLabel(labels) + 1, epochs = 30, batchSize = 1024, lr = 1e-4, weightDecay = 5e-4, seed = 42 } = options;
  const resolved = { hidden, classes, epochs, batchSize, lr, weightDecay, seed };
  checkInputs(features, labels, resolved);
  return resolved;
}

/** @param features [N, D] @param labels [N] class index per row, or IGNORE_LABEL */
export async function trainClassifier(features: Matrix, labels: Int32Array, options: TrainClassifierOptions = {}, hooks: TrainClassifierHooks = {}): Promise<Mlp> {
  const [n, d] = features.dims;
  const { hidden, classes, epochs, batchSize, lr, weightDecay, seed } = resolveClassifierOptions(features, labels, options);

  const step = hooks.step ?? mlpStep;
  const rng = createRng(seed);
  const mlp = createMlp(d, hidden, classes, rng);
  const params = [mlp.w1.data, mlp.b1.data, mlp.w2.data, mlp.b2.data];
  const states: AdamWState[] = params.map((p) => createAdamWState(p.length));

  hooks.signal?.throwIfAborted();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = rng.permutation(n);
    let lossSum = 0;
    let correct = 0;
    let count = 0;
    for (let start = 0; start < n; start += batchSize) {
      const batch = order.subarray(start, Math.min(n, start + batchSize));
      const result = await step(mlp, gatherRows(features, batch), Int32Array.from(batch, (i) => labels[i]));
      // torch's loss is NaN for a batch with every label ignored (the official run would stop); skip it.
      if (result.count === 0) continue;
      const { gradients } = result;
      const gradData = [gradients.w1.data, gradients.b1.data, gradients.w2.data, gradients.b2.data];
      params.forEach((p, i) => adamWStep(p, gradData[i], states[i], { lr, weightDecay }));
      lossSum += result.loss * result.count;
      count += result.count;
      correct += result.correct;
    }
    await hooks.onEpoch?.({ epoch, epochs, loss: lossSum / count, accuracy: correct / count });
    await checkpoint(hooks.signal);
  }
  return mlp;
}

function largestLabel(labels: Int32Array): number {
  let max = -1;
  for (const y of labels) if (y !== IGNORE_LABEL && y > max) max = y;
  return max;
}

function checkInputs(features: Matrix, labels: Int32Array, o: Required<Omit<TrainClassifierOptions, 'seed'>>): void {
  const [n] = features.dims;
  if (labels.length !== n) throw new RangeError(`trainClassifier: ${n} feature rows but ${labels.length} labels`);
  if (labels.every((y) => y === IGNORE_LABEL)) throw new RangeError('trainClassifier: no sample has a label (all are IGNORE_LABEL); there is nothing to train on');
  for (const key of ['hidden', 'classes', 'epochs', 'batchSize'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`trainClassifier: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`trainClassifier: lr must be positive and finite, got ${o.lr}`);
  if (!(o.weightDecay >= 0) || !Number.isFinite(o.weightDecay)) throw new RangeError(`trainClassifier: weightDecay must be ≥ 0 and finite, got ${o.weightDecay}`);
  const outside = labels.findIndex((y) => y !== IGNORE_LABEL && (y < 0 || y >= o.classes));
  if (outside >= 0) throw new RangeError(`trainClassifier: label ${labels[outside]} at row ${outside} is outside 0..${o.classes - 1} and is not IGNORE_LABEL`);
}
