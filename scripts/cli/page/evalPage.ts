/**
 * The browser half of `npm run eval` (cli/eval.html): the app's engine trains one model per
 * group of categories on their good images, inspects their test images as the app's one streamed
 * job, and the worker's evaluation scores the maps against the masks as the app's does.
 */
import { writeBundle } from '../../../src/core/formats/bundle';
import { borderShare, onBorder, patchOfCell, type PatchPosition } from '../../../src/core/geometry';
import { evaluationOrder, GOOD_TYPE } from '../../../src/core/metrics/evaluation';
import type { EngineClient } from '../../../src/engine/client';
import { capabilityAt, type CapabilitySummary } from '../../../src/core/capability/capability';
import { bestCandidate, tuningCandidates } from '../../../src/core/capability/tuning';
import { imageThreshold } from '../../../src/core/calibration/imageThreshold';
import { calibrationWithin, severityWithin } from '../../../src/core/roi/judgeWithin';
import type { ImageTruth, PixoodModel, Resolution, TrainingImage, TrainingProgress, TrainingSettings } from '../../../src/engine/api';
import type { CategoryRun, EvalCategory, EvalJob, EvalResult, EvalTestImage, GroupRun } from '../protocol';
import { addBackbone, DataError, fetchData, openBackbone, postOutput, progress, runPage, seconds, streamError } from './pageRun';

function trainingLine(label: string, p: TrainingProgress): string {
  const extra = [p.loss !== undefined && `loss ${p.loss.toPrecision(4)}`, p.validEtalons !== undefined && `${p.validEtalons} etalons`, p.etaSeconds !== undefined && `~${Math.round(p.etaSeconds)} s left`].filter(Boolean);
  const which = p.classId !== undefined ? ` class ${p.classId + 1}` : '';
  return `[${label}] ${p.stage}${which} ${p.done}/${p.total} ${p.unit}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

async function train(engine: EngineClient, settings: TrainingSettings, capabilitySide: number, group: readonly EvalCategory[], backboneId: string): Promise<PixoodModel> {
  const label = group.map((c) => c.name).join('+');
  const images: TrainingImage[] = [];
  for (const [classId, category] of group.entries()) {
    for (const key of category.train) images.push({ name: key, blob: await fetchData(key), classId });
  }
  progress(`[${label}] training on ${images.length} good images`);
  let last = '';
  const model = await engine.train({ classes: group.map((c) => c.name), images, backboneId, settings, capabilitySide }, (p) => {
    // One line per step of a stage, not one per callback.
    const line = trainingLine(label, p);
    const key = `${p.stage} ${p.classId} ${p.done}`;
    if (key !== last) progress(line);
    last = key;
  }).result;
  const [skipped] = model.summary.skipped;
  if (skipped) throw new DataError(`${skipped.name}: ${skipped.reason}${model.summary.skipped.length > 1 ? ` (and ${model.summary.skipped.length - 1} more training images)` : ''}`);
  return model;
}

/** The test images and their masks as the Node side read them; a mask must be a readable PNG (the worker reads it). */
async function testData(tests: readonly EvalTestImage[]): Promise<{ blobs: Blob[]; truth: ImageTruth[] }> {
  const blobs = await Promise.all(tests.map((t) => fetchData(t.key)));
  const truth = await Promise.all(tests.map(async (t) => ({ mask: t.mask === null ? null : await fetchData(t.mask), defectType: t.defectType })));
  return { blobs, truth };
}

/** One streamed job inspects the category's test images; the worker scores the maps against the masks as they come. */
async function evaluate(engine: EngineClient, model: PixoodModel, category: EvalCategory, resolution: Resolution): Promise<CategoryRun> {
  const regions = model.regions ?? null;
  // The dataset lists test/<type>/ by name, so good falls where its name does (last in
  // mvtec_bottle); good first lets the worker make each type's figures while the rest are
  // inspected (evaluationOrder).
  const tests = evaluationOrder(category.test, (t) => t.defectType);
  const { blobs, truth } = await testData(tests);
  const keys = tests.map((t) => t.key);
  let delivered = 0;
  const { upsample } = model.settings;
  // Within the regions, the good images' worst spots there; the whole image's beside them.
  const worst = { images: 0, onBorder: 0, expected: 0 };
  const wholeWorst = { images: 0, onBorder: 0, expected: 0 };
  const count = (tally: typeof worst, patch: PatchPosition) => {
    tally.images++;
    if (onBorder(patch)) tally.onBorder++;
    tally.expected += borderShare(patch);
  };
  const began = performance.now();
  let summary;
  try {
    summary = await engine.inspect(
      model,
      blobs,
      { truth, resolution, regions },
      (index, inspection) => {
        delivered = index + 1;
        if (truth[index].defectType === GOOD_TYPE) {
          count(wholeWorst, inspection.worstPatch);
          const { cells } = inspection;
          const within = regions && severityWithin(regions, cells).cell;
          if (within !== null && within >= 0) count(worst, patchOfCell(within, { height: cells.height / upsample, width: cells.width / upsample }, upsample));
        }
        if (delivered % 10 === 0 || delivered === blobs.length) progress(`[${category.name}] inspected ${delivered}/${blobs.length} test images`);
      },
    ).result;
  } catch (error) {
    throw streamError(error, keys, delivered);
  }
  const jobSeconds = seconds(began);
  if (!summary.evaluation) throw new Error(`The inspection of ${category.name} came back without its figures.`);
  const inspectSeconds = jobSeconds - summary.evaluateSeconds;
  const share = (100 * summary.evaluateSeconds) / inspectSeconds;
  progress(`[${category.name}] inspection ${inspectSeconds.toFixed(2)} s; the evaluation worker counted for ${summary.evaluationWorkerSeconds.toFixed(2)} s alongside it, and waiting on it took ${summary.evaluateSeconds.toFixed(2)} s (${share.toFixed(1)}% of the inspection)`);
  return {
    name: category.name,
    report: summary.evaluation,
    imageCalibration: regions && model.imageCalibration ? calibrationWithin(regions, model.imageCalibration) : model.imageCalibration,
    wholeImage: summary.evaluationWholeImage && { report: summary.evaluationWholeImage, imageCalibration: model.imageCalibration, goodWorstCells: wholeWorst },
    capability: model.capability ?? null,
    inspectSeconds,
    evaluateSeconds: summary.evaluateSeconds,
    goodWorstCells: regions ? worst : wholeWorst,
  };
}

/** A model of the group at `settings`, evaluated on each of its categories. */
async function trainAndEvaluate(engine: EngineClient, job: EvalJob, settings: TrainingSettings, group: readonly EvalCategory[], backboneId: string): Promise<{ model: PixoodModel; run: GroupRun }> {
  // Plant sizes at the job's input size, so every tuning candidate faces the same synthetic defects.
  const trained = await train(engine, settings, job.settings.longestSide, group, backboneId);
  // Regions change no trained number: they go with the model, as the app keeps them.
  const model: PixoodModel = job.regions ? { ...trained, regions: job.regions } : trained;
  const { seconds: training, path: kernels, validEtalons } = model.summary;
  progress(`[${model.classes.join('+')}] trained on the ${kernels.toUpperCase()} path: ${validEtalons.join(', ')} valid etalons`);
  const categories: CategoryRun[] = [];
  for (const category of group) categories.push(await evaluate(engine, model, category, job.resolution));
  return { model, run: { settings, training, kernels, classes: model.classes, validEtalons, categories } };
}

/**
 * The tuning candidates, cheapest first, while the budget lasts (one is not started when the last
 * one's time would overrun it); the best by the capability check is the group's model, and every
 * candidate is reported with its real figures, to say how often the check chose well.
 */
async function tune(engine: EngineClient, job: EvalJob, { budgetSeconds, alpha, epsilon }: NonNullable<EvalJob['tune']>, group: readonly EvalCategory[], backboneId: string) {
  const started = performance.now();
  const candidates = tuningCandidates(job.settings);
  const tried: { model: PixoodModel; run: GroupRun; settings: TrainingSettings; capability: CapabilitySummary; seconds: number }[] = [];
  for (const [index, settings] of candidates.entries()) {
    const last = tried.at(-1);
    if (last && seconds(started) + last.seconds > budgetSeconds) {
      progress(`[tune] the budget of ${budgetSeconds} s is spent: ${tried.length} of ${candidates.length} candidates tried`);
      break;
    }
    progress(`[tune] candidate ${index + 1} of ${candidates.length}: ${settings.longestSide} px, K ${settings.etalons}`);
    const began = performance.now();
    const { model, run } = await trainAndEvaluate(engine, job, settings, group, backboneId);
    if (!model.capability || !model.imageCalibration) throw new DataError('Tuning needs a capability check, so at least 2 good training images to hold out.');
    const capability = capabilityAt(model.capability, imageThreshold(model.imageCalibration.severities, alpha).severity, epsilon);
    progress(`[tune] ${settings.longestSide} px, K ${settings.etalons}: ${(100 * capability.escape).toFixed(1)}% of the synthetic defects pass`);
    tried.push({ model, run, settings, capability, seconds: seconds(began) });
  }
  const best = bestCandidate(tried);
  if (!best) throw new DataError('No tuning candidate was trained.');
  progress(`[tune] chosen: ${best.settings.longestSide} px, K ${best.settings.etalons}`);
  return { model: best.model, run: { ...best.run, candidates: tried.map((t) => t.run) } };
}

/** A backbone given as a file travels inside the bundle, so `inspect` needs nothing else; the built-in one ships with the app. */
async function fileBackbone(choice: EvalJob['backbone']): Promise<Uint8Array | null> {
  return choice === 'builtin' ? null : new Uint8Array(await (await fetchData(choice.key)).arrayBuffer());
}

void runPage<EvalJob, EvalResult>(async (job, engine) => {
  const started = performance.now();
  const info = await engine.info();
  const setupSeconds = seconds(started);
  const opening = performance.now();
  const stored = await addBackbone(engine, job.backbone);
  const backbone = await openBackbone(engine, stored, job.path);
  const backboneSeconds = seconds(opening);
  const groups: GroupRun[] = [];
  for (const group of job.groups) {
    const { model, run } = job.tune ? await tune(engine, job, job.tune, group, stored.id) : await trainAndEvaluate(engine, job, job.settings, group, stored.id);
    if (job.bundleOut) {
      // The figures travel with the model when they are the figures of the model's one category.
      const metrics = run.categories.length === 1 ? { ...run.categories[0].report, evaluatedAt: new Date().toISOString() } : null;
      await postOutput(job.bundleOut, writeBundle(model, { metrics, backboneOnnx: await fileBackbone(job.backbone) }));
    }
    groups.push(run);
  }
  return { engine: info, backbone, setupSeconds, backboneSeconds, groups };
});
