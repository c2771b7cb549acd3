/**
 * A training that goes on from the stages an earlier attempt finished (as after a lost GPU):
 * it does not redo them, and its estimate of the time left counts only its own work, so it
 * reaches 0 at the last epoch. The kernels are the reference trainers of src/core, and the
 * features are kept from the first attempt: the backbone must not be asked for them again.
 */
import { IMAGENET } from '../backbone/preprocess';
import { describe, expect, it } from 'vitest';
import { blobs } from '../../fixtures/blobs';
import { mlpLogits } from '../core/classifier/mlp';
import { trainClassifier } from '../core/classifier/train';
import { nearestValidDistance } from '../core/condensation/nearest';
import { trainCondensation } from '../core/condensation/train';
import { matrix } from '../core/tensor';
import type { StoredModel } from '../backbone/library';
import type { FeatureSource } from './extractFeatures';
import type { LabelledPatches } from './patchFeatures';
import type { TrainingProgress, TrainingRequest } from '../core/model/requests';
import { noStagesFinished, splitHeldOut, trainPixood, type TrainingRun } from './train';
import type { TrainingKernels } from './trainingKernels';

const ROWS_PER_CLASS = 300;
const DIM = 4;

/** Two classes of 4-D points, the second shifted away from the first. */
function twoClasses(): LabelledPatches {
  const data = new Float32Array(2 * ROWS_PER_CLASS * DIM);
  data.set(blobs(1).data.subarray(0, ROWS_PER_CLASS * DIM));
  data.set(blobs(2).data.subarray(0, ROWS_PER_CLASS * DIM).map((v) => v + 40), ROWS_PER_CLASS * DIM);
  const labels = Int32Array.from({ length: 2 * ROWS_PER_CLASS }, (_, i) => (i < ROWS_PER_CLASS ? 0 : 1));
  return { features: matrix(2 * ROWS_PER_CLASS, DIM, data), labels, counts: [ROWS_PER_CLASS, ROWS_PER_CLASS] };
}

const referenceKernels: TrainingKernels = {
  path: 'cpu',
  trainClassifier: (features, labels, options, hooks) => trainClassifier(features, labels, options, hooks),
  trainCondensation: (points, options, hooks) => trainCondensation(points, options, hooks),
  nearestValidDistance: async (model, points) => nearestValidDistance(model, points),
  logits: async (mlp, features) => mlpLogits(mlp, features),
  release: async () => undefined,
};

const unusedBackbone: FeatureSource = {
  gpu: null,
  backbone: {
    path: 'wasm',
    fused: false,
    contract: { inputName: 'pixels', outputName: 'tokens', patchSize: 14, normalisation: IMAGENET, fixedInput: null, featureDim: DIM, prefixTokens: 1, registers: 0 },
    run: () => Promise.reject(new Error('the features were kept: the backbone must not run again')),
    release: async () => undefined,
  },
};

const storedBackbone: StoredModel = {
  id: 'f'.repeat(64),
  name: 'test backbone',
  source: { kind: 'file', fileName: 'test.onnx' },
  sha256: 'f'.repeat(64),
  byteLength: 1,
  storedAt: 0,
  contract: unusedBackbone.backbone.contract,
  checkedOn: 'wasm',
};

const request: TrainingRequest = {
  classes: ['first', 'second'],
  images: [],
  backboneId: storedBackbone.id,
  settings: { longestSide: 112, upsample: 1, etalons: 8, condensationEpochs: 3, classifierEpochs: 2, seed: 5 },
};

function run(finished: TrainingRun['finished'], report: (p: TrainingProgress) => void): TrainingRun {
  const prepare = () => Promise.reject(new Error('the features were kept: no image is decoded again'));
  return { source: unusedBackbone, backbone: storedBackbone, kernels: referenceKernels, signal: new AbortController().signal, report, finished, prepare };
}

describe('trainPixood resumed', () => {
  it('skips the finished stages and estimates only the work left to it', async () => {
    const finished = noStagesFinished();
    const patches = twoClasses();
    finished.features = { patches, seen: patches.counts, skipped: [] };
    await trainPixood(request, run(finished, () => undefined));
    expect(finished.condensations, 'both classes condensed by the first attempt').toHaveLength(2);
    // As after a loss in the second class's condensation: the first class's model is kept.
    finished.condensations.length = 1;

    const progress: TrainingProgress[] = [];
    const model = await trainPixood(request, run(finished, (p) => progress.push(p)));
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages, 'stages reported by the resumed attempt').toEqual(['condensation', 'calibration']);
    const condensation = progress.filter((p) => p.stage === 'condensation');
    expect(condensation.map((p) => p.classId), 'classes condensed by the resumed attempt').toEqual([1, 1, 1, 1]);
    const last = condensation.at(-1);
    expect(last?.done, 'the last epoch').toBe(2 * request.settings.condensationEpochs);
    expect(last?.etaSeconds, `seconds left at the last condensation epoch (estimates ${condensation.map((p) => p.etaSeconds).join(', ')})`).toBe(0);
    expect(model.condensations, 'a model per class').toHaveLength(2);
    expect(model.classifier, 'the kept classifier').toBe(finished.classifier);
  });
});

describe('splitHeldOut', () => {
  const blob = new Blob(['x']);
  const good = (name: string, classId: number) => ({ name, blob, classId });

  it('holds out each class’s good images spread over the name order, and trains on every other image', () => {
    const shuffled = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5].map((k) => good(`a/${k}.png`, 0));
    const others = [good('b/0.png', 1), good('b/1.png', 1), good('b/2.png', 1)];
    const masked = { name: 'm.png', blob, classId: -1, mask: blob };
    const { training, heldOut } = splitHeldOut({ ...request, classes: ['a', 'b'], images: [...shuffled, ...others, masked] });
    expect(heldOut.map((images) => images.map((image) => image.name))).toEqual([['a/1.png', 'a/3.png', 'a/5.png', 'a/7.png', 'a/9.png'], ['b/1.png']]);
    expect(training.map((image) => image.name).sort()).toEqual(['a/0.png', 'a/2.png', 'a/4.png', 'a/6.png', 'a/8.png', 'b/0.png', 'b/2.png', 'm.png']);
  });

  it('holds out nothing of a class with one image', () => {
    const { training, heldOut } = splitHeldOut({ ...request, classes: ['a'], images: [good('only.png', 0)] });
    expect(heldOut).toEqual([[]]);
    expect(training).toHaveLength(1);
  });
});
