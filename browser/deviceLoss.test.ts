/**
 * Losing the GPU device under a job, injected with debugLoseDevice (device.destroy() on the
 * engine's real device), on the GPU path forced as the Project screen's setting does. A training
 * that loses it mid-condensation finishes on the CPU path from its kept features (no features
 * progress after the loss), and its model scores the demo's test images about as well as a clean
 * run's; an inspection that loses it mid-batch goes on from the image in progress (its count
 * never goes back) and returns every image's result. The engine tells the page both times.
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import { auroc } from '../src/core/metrics/auroc';
import { buildDemoDataset, type DemoImage } from '../src/demo/demoDataset';
import type { EngineNotice, PixoodModel, StoredModel, TrainingProgress } from '../src/engine/api';
import { startEngine, type EngineClient } from '../src/engine/client';
import type { TrainingSettings } from '../src/core/model/pixoodModel';
import type { TrainingRequest } from '../src/core/model/requests';
import { inspectAll } from './helpers/inspectAll';

/** 8 × 8 patches and a few training images: SwiftShader runs the backbone in seconds per image. */
const SETTINGS: TrainingSettings = { longestSide: 112, upsample: 1, etalons: 16, condensationEpochs: 4, classifierEpochs: 0, seed: 11 };
const TRAIN_IMAGES = 5;

let trainImages: DemoImage[];
/** The first test's model, trained on the GPU path without a fault; the second inspects with it. */
let cleanModel: PixoodModel | null = null;
let testImages: DemoImage[];
const engines: EngineClient[] = [];

beforeAll(async () => {
  const demo = await buildDemoDataset();
  trainImages = demo.images.filter((i) => i.role === 'train').slice(0, TRAIN_IMAGES);
  testImages = demo.images.filter((i) => i.role === 'test');
});

afterEach(() => engines.splice(0).forEach((engine) => engine.terminate()));

/** A new engine worker (with a device of its own) whose backbone is forced onto WebGPU; notices are collected. */
async function gpuEngine(): Promise<{ engine: EngineClient; backbone: StoredModel; notices: EngineNotice[] }> {
  const engine = startEngine();
  engines.push(engine);
  const notices: EngineNotice[] = [];
  engine.onNotice((notice) => notices.push(notice));
  expect((await engine.info()).gpu, 'this test needs a WebGPU adapter').not.toBeNull();
  const stored = await engine.listModels();
  const backbone = stored.find((m) => m.name === 'built-in') ?? (await engine.addModelFromUrl('built-in', { kind: 'url', url: '/models/builtin-backbone.onnx' }).result);
  await engine.setPathPreference(backbone.id, 'webgpu');
  return { engine, backbone, notices };
}

function request(backbone: StoredModel): TrainingRequest {
  return { classes: ['fabric'], images: trainImages.map((i) => ({ name: i.name, blob: i.blob, classId: 0 })), backboneId: backbone.id, settings: SETTINGS };
}

async function imageAuroc(engine: EngineClient, model: PixoodModel): Promise<number> {
  const inspections = await inspectAll(engine, model, testImages.map((i) => i.blob));
  return auroc(inspections.map((i) => i.imageScore), testImages.map((i) => (i.defect ? 1 : 0)));
}

/** Two trainings on SwiftShader's GPU path take minutes on a loaded machine: over the browser project's 300 s. */
const SLOW_TEST_MS = 600_000;

test('a training that loses the GPU mid-condensation finishes on the CPU, and its model scores like a clean run', async () => {
  const { engine, backbone, notices } = await gpuEngine();
  const clean = await engine.train(request(backbone)).result;
  expect(clean.summary.path, 'the clean run trains on the GPU path').toBe('gpu');
  cleanModel = clean;

  let lostAt: TrainingProgress | null = null;
  const stagesAfterLoss = new Set<string>();
  const job = engine.train(request(backbone), (progress) => {
    if (lostAt) stagesAfterLoss.add(progress.stage);
    else if (progress.stage === 'condensation') {
      lostAt = progress;
      void engine.debugLoseDevice();
    }
  });
  const model = await job.result;
  expect(lostAt, 'the device was destroyed during the condensation').not.toBeNull();
  expect([...stagesAfterLoss], 'stages reported after the loss: the features were kept, not extracted again').not.toContain('features');
  expect([...stagesAfterLoss], 'stages reported after the loss').toContain('condensation');
  expect(notices, 'the page was told').toEqual([{ kind: 'gpu-lost', message: 'The GPU was reset; continuing on the CPU.' }]);
  expect(model.summary.path, 'the training finished on the CPU path').toBe('cpu');
  expect(model.summary.patchesPerClass, 'the features kept from the GPU run').toEqual(clean.summary.patchesPerClass);
  expect(model.condensations).toHaveLength(1);
  expect(model.summary.validEtalons[0], 'valid etalons').toBeGreaterThan(0);

  // The engine is on the CPU path now: both models are scored the same way.
  expect((await engine.info()).gpu, 'no GPU after the loss').toBeNull();
  const [cleanAuroc, recoveredAuroc] = [await imageAuroc(engine, clean), await imageAuroc(engine, model)];
  console.log(`deviceLoss: image AUROC clean ${cleanAuroc.toFixed(4)}, after the loss ${recoveredAuroc.toFixed(4)}; valid etalons ${clean.summary.validEtalons} → ${model.summary.validEtalons}`);
  expect(cleanAuroc, 'the clean model separates defects').toBeGreaterThan(0.8);
  expect(Math.abs(recoveredAuroc - cleanAuroc), `image AUROC ${recoveredAuroc} after the loss, ${cleanAuroc} clean`).toBeLessThanOrEqual(0.05);
}, SLOW_TEST_MS);

test('an inspection that loses the GPU mid-batch returns every image, scored as on the CPU', async () => {
  const { engine, backbone, notices } = await gpuEngine();
  const model = cleanModel ?? (await engine.train(request(backbone)).result);
  const images = testImages.slice(0, 3).map((i) => i.blob);
  expect((await engine.useBackbone(backbone.id).result).path).toBe('webgpu');
  let lostAfter: number | null = null;
  const doneAfterLoss: number[] = [];
  const inspections = await inspectAll(engine, model, images, (progress) => {
    if (lostAfter !== null) doneAfterLoss.push(progress.done);
    else if (progress.done >= 1) {
      lostAfter = progress.done;
      void engine.debugLoseDevice();
    }
  });
  expect(lostAfter, 'the device was destroyed after the first image').toBe(1);
  expect(Math.min(...doneAfterLoss), `images done as reported after the loss, ${doneAfterLoss.join(', ')}: the inspection went on, not over`).toBeGreaterThanOrEqual(1);
  expect(doneAfterLoss.at(-1), 'the last count').toBe(images.length);
  expect(notices.map((n) => n.kind)).toEqual(['gpu-lost']);
  expect(inspections, 'one result per image').toHaveLength(images.length);
  // The engine is on the CPU path now: the same images again there are the reference.
  const reference = await inspectAll(engine, model, images);
  for (const [i, inspection] of inspections.entries()) {
    expect(Math.abs(inspection.imageScore - reference[i].imageScore), `image ${i}: score ${inspection.imageScore}, ${reference[i].imageScore} on the CPU`).toBeLessThanOrEqual(1e-3);
  }
}, SLOW_TEST_MS);
