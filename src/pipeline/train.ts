/**
 * PixOOD training, stage by stage, inside the engine worker: features of the labelled patches →
 * classifier (none for one class) → condensation of each class's own patches → calibration (the
 * pixel tables, then the image calibration: the held-out good images scored by the trained
 * model) → the capability check (synthetic defects planted into those held-out images, scored by
 * the same scorer: capabilityCheck.ts) → a PixoodModel. Held-out images never reach the earlier stages. Progress goes out per
 * image, epoch and class, with an estimate of the time left; the job's AbortSignal is checked
 * between steps, and a cancelled training leaves nothing behind (kernels and sessions are
 * released either way). Each finished stage (and each class's
 * condensation) is kept in the run's FinishedStages, so a training whose GPU was lost can go on
 * from there on the CPU path instead of starting over.
 */
import type { Mlp } from '../core/classifier/mlp';
import { validEtalonCount, type CondensationModel } from '../core/condensation/model';
import type { StoredModel } from '../backbone/library';
import { heldOutIndices } from '../core/calibration/imageThreshold';
import { fitPooling, MAX_AREA_PATCHES, pooledSeverity } from '../core/calibration/pooledSeverity';
import type { CellSeverities } from '../core/calibration/score';
import { calibrateModel } from './calibrateModel';
import { checkCapability } from './capabilityCheck';
import { cpuScorer } from './cpuScorer';
import { Ahead } from './ahead';
import { PipelineError } from './errors';
import type { FeatureSource } from './extractFeatures';
import type { Scorer } from './scorer';
import { classRows, type LabelledPatches } from './patchFeatures';
import {
  PIXOOD_MODEL_SCHEMA,
  type BackboneIdentity,
  perStage,
  type ImageCalibration,
  type PixoodModel,
  type SkippedImage,
  type TrainingSettings,
  type TrainingStage,
} from '../core/model/pixoodModel';
import { checkpoint } from '../core/checkpoint';
import type { TrainingImage, TrainingProgress, TrainingRequest } from '../core/model/requests';
import { gatherPatches, type GatheredPatches } from './trainingPatches';
import { PREPARED_AHEAD, type Prepare } from './preparedImage';
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

/**
 * The results of the stages a training has finished, filled in as it goes. Calibration is not
 * kept: it is the last stage, and its result is the model.
 */
export interface FinishedStages {
  features?: GatheredPatches;
  /** null: a one-class project, which has no classifier. */
  classifier?: Mlp | null;
  /** One per class done so far, in class order. */
  readonly condensations: CondensationModel[];
  /** Seconds spent per stage, over every attempt. */
  readonly seconds: Record<TrainingStage, number>;
}

export function noStagesFinished(): FinishedStages {
  return { condensations: [], seconds: perStage(() => 0) };
}

export interface TrainingRun {
  readonly source: FeatureSource;
  readonly backbone: StoredModel;
  readonly kernels: TrainingKernels;
  readonly signal: AbortSignal;
  readonly report: (progress: TrainingProgress) => void;
  /** Stages an earlier attempt of this training finished; skipped here, and filled in as this one goes. */
  readonly finished?: FinishedStages;
  /** Decodes the training and held-out images (and makes the held-out ones' scoring features), ahead of their turn. */
  readonly prepare: Prepare;
}

export async function trainPixood(request: TrainingRequest, run: TrainingRun): Promise<PixoodModel> {
  const { settings, classes } = request;
  checkSettings(settings, classes);
  const { kernels, signal, report } = run;
  const finished = run.finished ?? noStagesFinished();
  const { seconds } = finished;
  const timed = async <T>(stage: TrainingStage, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      seconds[stage] += (performance.now() - start) / 1000;
    }
  };

  const { training, heldOut } = splitHeldOut(request);
  finished.features ??= await timed('features', () =>
    gatherPatches(run.source, { ...request, images: training }, async (done, total) => {
      report({ stage: 'features', done, total, unit: 'images' });
      await checkpoint(signal);
    }, run.prepare),
  );
  const { patches, skipped, seen } = finished.features;
  const [, dim] = patches.features.dims;
  // The estimate counts this attempt's work only: its rate is measured from this attempt's start,
  // so the classes an earlier attempt condensed are neither work done nor work left.
  const eta = new TrainingEta({
    classifier: classes.length > 1 ? settings.classifierEpochs * classifierEpochWork(patches.labels.length, dim, dim, classes.length) : 0,
    condensation: patches.counts.map((n, c) => (c < finished.condensations.length ? 0 : settings.condensationEpochs * condensationEpochWork(n, settings.etalons, dim))),
    classes: classes.length,
  });

  // null is a finished classifier stage too (one class, no classifier): only undefined is still to do.
  if (finished.classifier === undefined) {
    finished.classifier = await timed('classifier', () => (classes.length > 1 ? trainClassifier(run, patches, settings, eta) : Promise.resolve(null)));
  }
  const { classifier, condensations } = finished;
  await timed('condensation', () => condense(run, patches, settings, eta, condensations));
  const calibration = await timed('calibration', async () => {
    report({ stage: 'calibration', done: 0, total: classes.length, unit: 'classes' });
    return calibrateModel(kernels, patches, classifier, condensations, async (done) => {
      report({ stage: 'calibration', done, total: classes.length, unit: 'classes', etaSeconds: eta.afterClasses(done) });
      await checkpoint(signal);
    });
  });

  const model: PixoodModel = {
    schema: PIXOOD_MODEL_SCHEMA,
    backbone: backboneIdentity(run.backbone),
    settings,
    classes,
    classifier,
    condensations,
    calibration,
    imageCalibration: null,
    summary: {
      patchesPerClass: patches.counts,
      ...(seen.some((n, c) => n > patches.counts[c]) && { patchesSeenPerClass: seen }),
      validEtalons: condensations.map(validEtalonCount),
      seconds: { ...seconds },
      path: kernels.path,
      skipped,
    },
    createdAt: new Date().toISOString(),
  };
  const heldOutSkipped: SkippedImage[] = [];
  const scorer = await cpuScorer(model, run.source, 'model');
  try {
    const { imageCalibration, scored } = await timed('calibration', () =>
      calibrateImages(heldOut, scorer, run.prepare, heldOutSkipped, (settings.areaPatches ?? 0) * settings.upsample, async (done, total) => {
        report({ stage: 'calibration', done, total, unit: 'images' });
        await checkpoint(signal);
      }),
    );
    // A cancel during the check stops the check only: the model is finished, and is kept without it.
    const capability = imageCalibration
      ? await checkCalibrated({ ...model, imageCalibration }, scored, run.source, request.capabilitySide ?? settings.longestSide, async (done, total) => {
          report({ stage: 'capability', done, total, unit: 'plants' });
          await checkpoint(signal);
        }).catch((error: unknown) => {
          if (signal.aborted) return null;
          throw error;
        })
      : null;
    // In the order the images came, held out or not, as a person's folder listed them.
    const order = new Map(request.images.map((image, i) => [image.name, i]));
    const allSkipped = [...skipped, ...heldOutSkipped].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    return { ...model, imageCalibration, ...(capability && { capability }), summary: { ...model.summary, seconds: { ...seconds }, skipped: allSkipped } };
  } finally {
    await scorer.release();
  }
}

/**
 * Each class's good images (no mask) in name order, with heldOutIndices of them set aside for
 * the image calibration; images with masks all train.
 */
export function splitHeldOut({ images, classes }: TrainingRequest): { training: TrainingImage[]; heldOut: TrainingImage[][] } {
  const held = new Set<TrainingImage>();
  const heldOut = classes.map((_, c) => {
    const good = images.filter((image) => image.classId === c && !image.mask).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const chosen = heldOutIndices(good.length).map((k) => good[k]);
    for (const image of chosen) held.add(image);
    return chosen;
  });
  return { training: images.filter((image) => !held.has(image)), heldOut };
}

/**
 * Scores the held-out good images with the trained model, on the CPU scorer (the inspection
 * path's reference). An image that cannot be read is left out with its reason; fewer than 2
 * scored images give no image calibration.
 */
async function calibrateImages(
  heldOut: readonly TrainingImage[][],
  scorer: Scorer,
  prepare: Prepare,
  skipped: SkippedImage[],
  areaCells: number,
  onImage: (done: number, total: number) => Promise<void>,
): Promise<{ imageCalibration: ImageCalibration | null; scored: TrainingImage[] }> {
  const total = heldOut.reduce((n, images) => n + images.length, 0);
  if (total < 2) return { imageCalibration: null, scored: [] };
  const severities: number[] = [];
  const cells: CellSeverities[] = [];
  const names: string[][] = [];
  const scored: TrainingImage[] = [];
  const all = heldOut.flat();
  const prepared = new Ahead((index) => prepare(all[index].blob, scorer.featurePlan), all.length, PREPARED_AHEAD);
  for (const images of heldOut) {
    const classNames: string[] = [];
    for (const image of images) {
      await onImage(severities.length + skipped.length, total);
      const ready = prepared.take();
      try {
        const { image: pixels, features } = await ready;
        const scores = await scorer.score(pixels, features ?? undefined);
        severities.push(scores.severity);
        cells.push(scores.cells);
        classNames.push(image.name);
        scored.push(image);
      } catch (error) {
        if (!(error instanceof PipelineError)) throw error;
        skipped.push({ name: image.name, reason: error.message });
      }
    }
    names.push(classNames);
  }
  await onImage(total, total);
  if (severities.length < 2) return { imageCalibration: null, scored };
  const pool = fitPooling(cells, areaCells);
  if (!pool) return { imageCalibration: { severities: severities.sort((a, b) => a - b), heldOut: names, cells }, scored };
  const pooled = cells.map((grid) => ({ ...grid, pool }));
  return { imageCalibration: { severities: pooled.map((grid) => pooledSeverity(grid).severity).sort((a, b) => a - b), heldOut: names, cells: pooled }, scored };
}

/** The capability check on a scorer of the calibrated model: plants are judged as its inspections will be, pooling and all. */
async function checkCalibrated(model: PixoodModel, images: readonly TrainingImage[], source: FeatureSource, sizesAtSide: number, onPlant: (done: number, total: number) => Promise<void>) {
  const scorer = await cpuScorer(model, source, 'model');
  try {
    return await checkCapability(model, images, scorer, sizesAtSide, onPlant);
  } finally {
    await scorer.release();
  }
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

/** Condenses the classes `models` does not hold yet, appending each as it is done. */
async function condense({ kernels, signal, report }: TrainingRun, patches: LabelledPatches, settings: TrainingSettings, eta: TrainingEta, models: CondensationModel[]): Promise<void> {
  const { etalons, condensationEpochs: epochs, seed } = settings;
  const classes = patches.counts.length;
  const [, dim] = patches.features.dims;
  // Counted from this attempt's start, as the estimate's work is (trainPixood).
  let workBefore = 0;
  eta.enter('condensation');
  for (let c = models.length; c < classes; c++) {
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
  const areas = settings.areaPatches ?? 0;
  if (!(areas >= 0 && areas <= MAX_AREA_PATCHES)) throw new PipelineError('bad-settings', `The neighbourhoods judged must be 0 to ${MAX_AREA_PATCHES} patches wide, not ${areas}.`);
}
