/**
 * The engine worker through its client: jobs report progress, a job can be cancelled, and
 * failures arrive as EngineErrors with their code and message.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { JobProgress, StoredModel } from '../src/engine/api';
import { startEngine, type EngineClient } from '../src/engine/client';
import { EngineError } from '../src/engine/errors';
import type { RgbaImage } from '../src/backbone/preprocess';
import { wrongModels } from './helpers/testModels';
import { VIT_DIR } from './helpers/vitFixture';

let engine: EngineClient;
let model: StoredModel;

beforeAll(async () => {
  engine = startEngine();
  for (const stored of await engine.listModels()) await engine.deleteModel(stored.id);
  model = await engine.addModelFromUrl('test ViT', { kind: 'url', url: `${VIT_DIR}vit-tiny.onnx` }).result;
}, 300_000);

afterAll(() => engine.terminate());

function image(width: number, height: number, seed: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 13) % 251;
  return { width, height, data };
}

test('engine info names the execution resources', async () => {
  const info = await engine.info();
  console.log(`engine: gpu=${JSON.stringify(info.gpu && { vendor: info.gpu.vendor, architecture: info.gpu.architecture, fallback: info.gpu.isFallbackAdapter })} isolated=${info.crossOriginIsolated} wasmThreads=${info.wasmThreads}`);
  expect(info.crossOriginIsolated).toBe(true);
  expect(info.gpu).not.toBeNull();
});

test('a job reports progress: backbone choice by measurement, then features', async () => {
  const events: JobProgress[] = [];
  const active = await engine.useBackbone(model.id, (p) => events.push(p)).result;
  console.log(`engine: path=${active.path} timings=${JSON.stringify(active.timings)}`);
  expect(active.timings?.map((t) => t.path).sort()).toEqual(['wasm', 'webgpu']);
  expect(events.some((e) => e.stage === 'measure')).toBe(true);
  expect(events.at(-1)).toEqual({ stage: 'load', done: 2, total: 2, unit: 'steps' });

  const progress: JobProgress[] = [];
  const grids = await engine.extractFeatures([image(40, 30, 1), image(30, 40, 2)], { longestSide: 56, upsample: 2 }, (p) => progress.push(p)).result;
  expect(grids.map((g) => g.dims)).toEqual([
    [6, 8, 32],
    [8, 6, 32],
  ]);
  expect(progress.map((p) => p.done)).toEqual([0, 1, 2]);
});

test('the person can force the other path; its features agree', async () => {
  const images = [image(40, 30, 1), image(30, 40, 2)];
  const options = { longestSide: 56, upsample: 2 };
  const byPath = new Map<string, Float32Array[]>();
  for (const path of ['webgpu', 'wasm'] as const) {
    await engine.setPathPreference(model.id, path);
    const active = await engine.useBackbone(model.id).result;
    expect(active.path).toBe(path);
    expect(active.timings).toBeUndefined();
    byPath.set(path, (await engine.extractFeatures(images, options).result).map((g) => g.data));
  }
  await engine.setPathPreference(model.id, 'auto');
  const [gpuGrids, cpuGrids] = [byPath.get('webgpu')!, byPath.get('wasm')!];
  for (let i = 0; i < images.length; i++) {
    const scale = cpuGrids[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const diff = cpuGrids[i].reduce((m, v, k) => Math.max(m, Math.abs(v - gpuGrids[i][k])), 0);
    console.log(`backbone: model=vit-tiny.onnx (engine worker, image ${i}) path=webgpu-vs-wasm max_abs_diff=${diff.toExponential(2)} scale=${scale.toFixed(3)}`);
    expect(diff).toBeLessThanOrEqual(1e-3 * scale);
  }
});

test('a job can be cancelled', async () => {
  const images = Array.from({ length: 40 }, (_, i) => image(112, 112, i));
  let job: ReturnType<EngineClient['extractFeatures']> | null = null;
  const seen: JobProgress[] = [];
  job = engine.extractFeatures(images, { longestSide: 112, upsample: 1 }, (p) => {
    seen.push(p);
    if (p.done === 1) job?.cancel();
  });
  const error = await job.result.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('cancelled');
  expect(seen.length).toBeLessThan(images.length);
  console.log(`engine: cancelled after ${seen.at(-1)?.done} of ${images.length} images: ${(error as EngineError).message}`);
});

test('failures arrive typed, with their message', async () => {
  const notOnnx = await engine.addModelFromFile(new Blob([wrongModels['not-onnx']() as Uint8Array<ArrayBuffer>]), 'photos.onnx').result.catch((e: unknown) => e);
  expect(notOnnx).toBeInstanceOf(EngineError);
  expect(notOnnx).toMatchObject({ code: 'not-onnx', name: 'EngineError' });
  expect((notOnnx as EngineError).message).toMatch(/not an ONNX model/);

  const missing = await engine.useBackbone('0'.repeat(64)).result.catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(EngineError);
  expect((missing as EngineError).code).toBe('not-stored');
  console.log(`engine: typed errors: ${(notOnnx as EngineError).code}: ${(notOnnx as EngineError).message} | ${(missing as EngineError).code}: ${(missing as EngineError).message}`);
  expect((await engine.listModels()).map((m) => m.id)).toEqual([model.id]);
});
