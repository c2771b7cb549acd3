/**
 * The browser half of `npm run eval` (cli/eval.html): the app's engine trains one model per
 * group of categories on their good images, inspects their test images in the app's batches,
 * and the app's evaluation scores the maps against the masks, read with the app's mask reader.
 */
import { writeBundle } from '../../../src/core/formats/bundle';
import { PngError } from '../../../src/core/formats/png';
import type { EngineClient } from '../../../src/engine/client';
import type { PixoodModel } from '../../../src/engine/api';
import type { TrainingImage, TrainingProgress } from '../../../src/core/model/requests';
import { readDefectMask, type DefectMask } from '../../../src/state/intake/readMask';
import { createEvaluation } from '../../../src/state/maps/evaluation';
import type { CategoryRun, EvalCategory, EvalJob, EvalResult, GroupRun } from '../protocol';
import { addBackbone, DataError, fetchData, INSPECT_BATCH, inspectBatch, openBackbone, postOutput, progress, runPage, seconds } from './pageRun';

/** A good test image without a mask (MVTec's test/good): no defect anywhere, as the app reads it. */
const NO_DEFECT: DefectMask = { width: 1, height: 1, data: new Uint8Array(1) };

function trainingLine(label: string, p: TrainingProgress): string {
  const extra = [p.loss !== undefined && `loss ${p.loss.toPrecision(4)}`, p.validEtalons !== undefined && `${p.validEtalons} etalons`, p.etaSeconds !== undefined && `~${Math.round(p.etaSeconds)} s left`].filter(Boolean);
  const which = p.classId !== undefined ? ` class ${p.classId + 1}` : '';
  return `[${label}] ${p.stage}${which} ${p.done}/${p.total} ${p.unit}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

async function train(engine: EngineClient, job: EvalJob, group: readonly EvalCategory[], backboneId: string): Promise<PixoodModel> {
  const label = group.map((c) => c.name).join('+');
  const images: TrainingImage[] = [];
  for (const [classId, category] of group.entries()) {
    for (const key of category.train) images.push({ name: key, blob: await fetchData(key), classId });
  }
  progress(`[${label}] training on ${images.length} good images`);
  let last = '';
  const model = await engine.train({ classes: group.map((c) => c.name), images, backboneId, settings: job.settings }, (p) => {
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

async function mask(key: string | null): Promise<DefectMask> {
  if (key === null) return NO_DEFECT;
  try {
    return await readDefectMask(await fetchData(key));
  } catch (error) {
    if (error instanceof PngError) throw new DataError(`${key}: ground-truth masks must be PNG files. ${error.message}`);
    throw error;
  }
}

async function evaluate(engine: EngineClient, model: PixoodModel, category: EvalCategory): Promise<CategoryRun> {
  const evaluation = createEvaluation();
  let inspectSeconds = 0;
  let evaluateSeconds = 0;
  for (let start = 0; start < category.test.length; start += INSPECT_BATCH) {
    const batch = category.test.slice(start, start + INSPECT_BATCH);
    const blobs = await Promise.all(batch.map((t) => fetchData(t.key)));
    const began = performance.now();
    const inspections = await inspectBatch(engine, model, blobs);
    inspectSeconds += seconds(began);
    for (const [i, inspection] of inspections.entries()) {
      if (inspection instanceof Error) throw new DataError(`${batch[i].key}: ${inspection.message}`);
      const truth = await mask(batch[i].mask);
      const scored = performance.now();
      evaluation.add(inspection.score, inspection.severity, truth, batch[i].defectType);
      evaluateSeconds += seconds(scored);
    }
    progress(`[${category.name}] inspected ${Math.min(start + INSPECT_BATCH, category.test.length)}/${category.test.length} test images`);
  }
  const scored = performance.now();
  const report = evaluation.result();
  evaluateSeconds += seconds(scored);
  return { name: category.name, report, imageCalibration: model.imageCalibration, inspectSeconds, evaluateSeconds };
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
    const model = await train(engine, job, group, stored.id);
    const { seconds: training, path: kernels, validEtalons } = model.summary;
    progress(`[${model.classes.join('+')}] trained on the ${kernels.toUpperCase()} path: ${validEtalons.join(', ')} valid etalons`);
    const categories: CategoryRun[] = [];
    for (const category of group) categories.push(await evaluate(engine, model, category));
    if (job.bundleOut) {
      // The figures travel with the model when they are the figures of the model's one category.
      const metrics = categories.length === 1 ? { ...categories[0].report, evaluatedAt: new Date().toISOString() } : null;
      await postOutput(job.bundleOut, writeBundle(model, { metrics }));
    }
    groups.push({ training, kernels, classes: model.classes, validEtalons, categories });
  }
  return { engine: info, backbone, setupSeconds, backboneSeconds, groups };
});
