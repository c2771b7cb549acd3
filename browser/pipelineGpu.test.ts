/**
 * The pipeline's GPU path through the engine worker, at sizes a software adapter (SwiftShader)
 * gets through: with the backbone forced onto WebGPU, training runs the GPU trainers (classifier
 * and condensation) and inspection the GPU kernels (up-sampling, MLP logits, scoring, map
 * resizing). Its inspections must match the CPU path's on the same model.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { encodePng } from '../src/core/formats/png';
import { synthesizeTexture, type TextureKind } from '../src/demo/syntheticDefects';
import type { Inspection, StoredModel } from '../src/engine/api';
import { startEngine, type EngineClient } from '../src/engine/client';
import type { TrainingImage } from '../src/core/model/requests';
import { inspectAll } from './helpers/inspectAll';

/** 4 × 4 patches: a backbone run on SwiftShader takes seconds already. */
const SIZE = 56;

let engine: EngineClient;
let backbone: StoredModel;

beforeAll(async () => {
  engine = startEngine();
  for (const stored of await engine.listModels()) await engine.deleteModel(stored.id);
  backbone = await engine.addModelFromUrl('built-in', { kind: 'url', url: '/models/builtin-backbone.onnx' }).result;
}, 120_000);

afterAll(() => engine.terminate());

function png(kind: TextureKind, seed: number): Blob {
  const { width, height, rgb } = synthesizeTexture(kind, seed, SIZE, SIZE);
  const plane = width * height;
  const rgba = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(255 * rgb[c * plane + i]);
    rgba[4 * i + 3] = 255;
  }
  return new Blob([encodePng(rgba, width, height) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}

async function inspectOn(path: 'webgpu' | 'wasm', model: Parameters<EngineClient['inspect']>[0], images: Blob[]): Promise<Inspection[]> {
  await engine.setPathPreference(backbone.id, path);
  expect((await engine.useBackbone(backbone.id).result).path).toBe(path);
  return inspectAll(engine, model, images);
}

test('trains on the GPU path, and its inspections match the CPU path on the same model', async () => {
  expect((await engine.info()).gpu).not.toBeNull();
  await engine.setPathPreference(backbone.id, 'webgpu');
  const images: TrainingImage[] = [
    ...[0, 1].map((i) => ({ name: `fabric_${i}.png`, blob: png('weave', 10 + i), classId: 0 })),
    ...[0, 1].map((i) => ({ name: `metal_${i}.png`, blob: png('brushed', 20 + i), classId: 1 })),
  ];
  const settings = { longestSide: SIZE, upsample: 3, etalons: 8, condensationEpochs: 3, classifierEpochs: 2, seed: 5 };
  const started = performance.now();
  const model = await engine.train({ classes: ['fabric', 'metal'], images, backboneId: backbone.id, settings }).result;
  const trainSeconds = (performance.now() - started) / 1000;
  expect(model.summary.path).toBe('gpu');
  // One of each class's two images is held out for the image calibration.
  expect(model.summary.patchesPerClass).toEqual([16, 16]);
  expect(model.summary.validEtalons.every((n) => n > 0)).toBe(true);
  console.log(`pipeline gpu: trained in ${trainSeconds.toFixed(1)} s on this adapter, stages ${JSON.stringify(model.summary.seconds)}`);

  const tests = [png('weave', 30), png('brushed', 31)];
  const gpu = await inspectOn('webgpu', model, tests);
  const cpu = await inspectOn('wasm', model, tests);
  await engine.setPathPreference(backbone.id, 'auto');
  for (const [i, inspection] of gpu.entries()) {
    const reference = cpu[i];
    expect(inspection.score.dims).toEqual([SIZE, SIZE]);
    const scoreDiff = inspection.score.data.reduce((m, v, p) => Math.max(m, Math.abs(v - reference.score.data[p])), 0);
    const distanceDiff = inspection.distance.reduce((m, v, p) => Math.max(m, Math.abs(v - reference.distance[p]) / Math.max(1, reference.distance[p])), 0);
    const samePredicted = inspection.predicted.filter((c, p) => c === reference.predicted[p]).length / inspection.predicted.length;
    console.log(
      `pipeline gpu: image ${i} score max_abs_diff=${scoreDiff.toExponential(2)} distance max_rel_diff=${distanceDiff.toExponential(2)} same_class=${samePredicted.toFixed(3)} image_score gpu=${inspection.imageScore.toFixed(6)} cpu=${reference.imageScore.toFixed(6)} severity gpu=${inspection.severity.toFixed(4)} cpu=${reference.severity.toFixed(4)} (inspect ${inspection.seconds.toFixed(2)} s on this adapter)`,
    );
    expect(scoreDiff).toBeLessThanOrEqual(1e-3);
    expect(distanceDiff).toBeLessThanOrEqual(1e-3);
    expect(samePredicted).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(inspection.imageScore - reference.imageScore)).toBeLessThanOrEqual(1e-3);
    // One core function on both paths: the severities differ only by the inputs' float rounding.
    expect(Math.abs(inspection.severity - reference.severity), `severity gpu ${inspection.severity} cpu ${reference.severity}`).toBeLessThanOrEqual(1e-2 * Math.max(1, Math.abs(reference.severity)));
  }
});
