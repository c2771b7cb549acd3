/**
 * PixOOD training, stage by stage, inside the engine worker: features of the labelled patches →
 * classifier (none for one class) → condensation of each class's own patches → calibration →
 * a PixoodModel. Progress goes out per image, epoch and class, with an estimate of the time
 * left; the job's AbortSignal is checked between steps, and a cancelled training leaves nothing
 * behind (kernels and sessions are released either way).
 */
import type { Mlp } from '../core/classifier/mlp';
import { validEtalonCount, type CondensationModel } from '../core/condensation/model';
import type { StoredModel } from '../backbone/library';
import { calibrateModel } from './calibrateModel';
import { PipelineError } from './errors';
import type { FeatureSource } from './extractFeatures';
import { classRows, type LabelledPatches } from './patchFeatures';
import { PIXOOD_MODEL_SCHEMA, type BackboneIdentity, type PixoodModel, type TrainingSettings, type TrainingStage } from './pixoodModel';
import type { TrainingProgress, TrainingRequest } from './requests';
import { gatherPatches } from './trainingPatches';
import { classifierEpochWork, condensationEpochWork, TrainingEta } from './trainingEta';
import type { TrainingKernels } from './trainingKernels';

/** Points per condensation batch: the official batch size. */
export const CONDENSATION_BATCH = 1000;

/**
 * Patches per classifier step: at least 16 steps an epoch, up to the reference's 1024. At the
 * official learning rate (1e-4) a small project at 1024 would take one step an epoch, too few to
 * learn anything in the epochs a person waits for; large projects train as the reference does.
 */
export function classifierBatch(patches: number): number {
  return Math.min(1024, Math.max(32, Math.floor(patches / 16)));
}

export interface TrainingRun {
  readonly source: FeatureSource;
  readonly backbone: StoredModel;
  readonly kernels: TrainingKernels;
  readonly signal: AbortSignal;
  readonly report: (progress: TrainingProgress) => void;
}

export async function trainPixood(request: TrainingRequest, run: TrainingRun): Promise<PixoodModel> {
  const { settings, classes } = request;
  checkSettings(settings, classes);
  const { kernels, signal, report } = run;
  const seconds: Record<TrainingStage, number> = { features: 0, classifier: 0, condensation: 0, calibration: 0 };
  const timed = async <T>(stage: TrainingStage, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      seconds[stage] = (performance.now() - start) / 1000;
    }
  };
  // Lets a queued cancel message in, then stops if it came.
  const checkpoint = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal.throwIfAborted();
  };

  const { patches, skipped } = await timed('features', () =>
    gatherPatches(run.source, request, async (done, total) => {
      report({ stage: 'features', done, total, unit: 'images' });
      await checkpoint();
    }),
  );
  const [, dim] = patches.features.dims;
  const eta = new TrainingEta({
    classifier: classes.length > 1 ? settings.classifierEpochs * classifierEpochWork(patches.labels.length, dim, dim, classes.length) : 0,
    condensation: patches.counts.map((n) => settings.condensationEpochs * condensationEpochWork(n, settings.etalons, dim)),
    classes: classes.length,
  });

  const classifier = await timed('classifier', () => (classes.length > 1 ? trainClassifier(run, patches, settings, eta) : Promise.resolve(null)));
  const condensations = await timed('condensation', () => condense(run, patches, settings, eta));
  const calibration = await timed('calibration', async () => {
    report({ stage: 'calibration', done: 0, total: classes.length, unit: 'classes' });
    return calibrateModel(kernels, patches, classifier, condensations, async (done) => {
      report({ stage: 'calibration', done, total: classes.length, unit: 'classes', etaSeconds: eta.afterClasses(done) });
      await checkpoint();
    });
  });

  return {
    schema: PIXOOD_MODEL_SCHEMA,
    backbone: backboneIdentity(run.backbone),
    settings,
    classes,
    classifier,
    condensations,
    calibration,
    summary: {
      patchesPerClass: patches.counts,
      validEtalons: condensations.map(validEtalonCount),
      seconds,
      path: kernels.path,
      skipped,
    },
    createdAt: new Date().toISOString(),
  };
}

export function backboneIdentity(model: StoredModel): BackboneIdentity {
  return { id: model.id, name: model.name, sha256: model.sha256, patchSize: model.contract.patchSize, dim: model.contract.featureDim };
}

async function trainClassifier({ kernels, signal, report }: TrainingRun, patches: LabelledPatches, settings: TrainingSettings, eta: TrainingEta): Promise<Mlp> {
  const epochs = settings.classifierEpochs;
  const [rows, dim] = patches.features.dims;
  const perEpoch = classifierEpochWork(rows, dim, dim, patches.counts.length);
  eta.enter('classifier');
  report({ stage: 'classifier', done: 0, total: epochs, unit: 'epochs' });
  return kernels.trainClassifier(
    patches.features,
    patches.labels,
    { epochs, seed: settings.seed, classes: patches.counts.length, batchSize: classifierBatch(rows) },
    {
      signal,
      onEpoch: ({ epoch, loss }) => report({ stage: 'classifier', done: epoch, total: epochs, unit: 'epochs', loss, etaSeconds: eta.afterWork('classifier', epoch * perEpoch) }),
    },
  );
}

async function condense({ kernels, signal, report }: TrainingRun, patches: LabelledPatches, settings: TrainingSettings, eta: TrainingEta): Promise<CondensationModel[]> {
  const { etalons, condensationEpochs: epochs, seed } = settings;
  const classes = patches.counts.length;
  const [, dim] = patches.features.dims;
  const models: CondensationModel[] = [];
  let workBefore = 0;
  eta.enter('condensation');
  for (let c = 0; c < classes; c++) {
    const perEpoch = condensationEpochWork(patches.counts[c], etalons, dim);
    report({ stage: 'condensation', done: c * epochs, total: classes * epochs, unit: 'epochs', classId: c });
    const model = await kernels.trainCondensation(
      classRows(patches, c),
      { K: etalons, epochs, batchSize: CONDENSATION_BATCH, seed },
      {
        signal,
        onEpoch: ({ epoch, loss, validEtalons }) =>
          report({
            stage: 'condensation',
            done: c * epochs + epoch,
            total: classes * epochs,
            unit: 'epochs',
            classId: c,
            loss,
            validEtalons,
            etaSeconds: eta.afterWork('condensation', workBefore + epoch * perEpoch),
          }),
      },
    );
    workBefore += epochs * perEpoch;
    models.push(model);
  }
  return models;
}

function checkSettings(settings: TrainingSettings, classes: readonly string[]): void {
  if (classes.length === 0) throw new PipelineError('bad-settings', 'The project has no class: add a class of good images first.');
  const wholes: [string, number, number][] = [
    ['etalons', settings.etalons, 1],
    ['condensation epochs', settings.condensationEpochs, 1],
    ['classifier epochs', settings.classifierEpochs, classes.length > 1 ? 1 : 0],
    ['feature up-sampling', settings.upsample, 1],
    ['input size', settings.longestSide, 1],
  ];
  for (const [name, value, least] of wholes) {
    if (!Number.isInteger(value) || value < least) throw new PipelineError('bad-settings', `The ${name} must be a whole number of at least ${least}, not ${value}.`);
  }
  if (!Number.isInteger(settings.seed)) throw new PipelineError('bad-settings', `The seed must be a whole number, not ${settings.seed}.`);
}
