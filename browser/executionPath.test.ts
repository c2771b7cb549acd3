/**
 * Execution path choice: measured on first use and remembered, overridable, and quietly wasm
 * where there is no WebGPU.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { deleteDB } from 'idb';
import { checkModel, type ModelContract } from '../src/backbone/contract';
import { openBackbone, readPathChoice, setPathPreference } from '../src/backbone/executionPath';
import { requestGpu, type GpuContext } from '../src/gpu/device';
import { openModelDb, type ModelDb } from '../src/storage/modelDb';
import { preferences, type Preferences } from '../src/storage/preferences';
import { tinyPatchModel } from './helpers/testModels';

const DB = 'pixood-models-path-test';
let gpu: GpuContext | null;
let db: ModelDb;
let prefs: Preferences;
let model: Uint8Array;
let contract: ModelContract;

beforeAll(async () => {
  await deleteDB(DB);
  gpu = await requestGpu();
  db = await openModelDb(DB);
  prefs = preferences(db);
  model = tinyPatchModel(8, 1);
  contract = await checkModel(model, { path: 'wasm' });
});

afterAll(async () => {
  db.close();
  await deleteDB(DB);
  gpu?.device.destroy();
});

test('first use measures both paths and remembers the faster; later uses do not measure', async () => {
  const steps: string[] = [];
  const first = await openBackbone(model, contract, 'm1', gpu, prefs, (done, total) => steps.push(`${done}/${total}`));
  expect(first.timings?.map((t) => t.path)).toEqual(['webgpu', 'wasm']);
  expect(steps).toEqual(['0/2', '1/2', '2/2']);
  const fastest = first.timings!.reduce((a, b) => ((a.ms ?? Infinity) <= (b.ms ?? Infinity) ? a : b)).path;
  expect(first.backbone.path).toBe(fastest);
  console.log(`path: measured ${JSON.stringify(first.timings)} → ${fastest}`);
  await first.backbone.release();

  const again = await openBackbone(model, contract, 'm1', gpu, prefs);
  expect(again.timings).toBeUndefined();
  expect(again.backbone.path).toBe(fastest);
  expect((await readPathChoice(prefs, 'm1')).measured?.fastest).toBe(fastest);
  await again.backbone.release();
});

test('the person can force a path, and go back to the measured one', async () => {
  for (const path of ['webgpu', 'wasm'] as const) {
    await setPathPreference(prefs, 'm2', path);
    const forced = await openBackbone(model, contract, 'm2', gpu, prefs);
    expect(forced.backbone.path).toBe(path);
    expect(forced.timings).toBeUndefined();
    await forced.backbone.release();
  }
  await setPathPreference(prefs, 'm2', 'auto');
  const auto = await openBackbone(model, contract, 'm2', gpu, prefs);
  expect(auto.timings).toBeDefined();
  await auto.backbone.release();
});

test('without WebGPU everything runs on wasm, even a forced webgpu, without measuring or forgetting a GPU measurement', async () => {
  await setPathPreference(prefs, 'm3', 'webgpu');
  const forced = await openBackbone(model, contract, 'm3', null, prefs);
  expect(forced.backbone.path).toBe('wasm');
  await forced.backbone.release();
  const auto = await openBackbone(model, contract, 'm4', null, prefs);
  expect(auto.backbone.path).toBe('wasm');
  expect(auto.timings, 'one path: nothing to measure').toBeUndefined();
  expect(await readPathChoice(prefs, 'm4')).toEqual({ preference: 'auto' });
  await auto.backbone.release();
  // m1 was measured with the GPU (a GPU lost mid-job opens it like this): that measurement is kept for when the GPU is back.
  const before = await readPathChoice(prefs, 'm1');
  const moved = await openBackbone(model, contract, 'm1', null, prefs);
  expect(moved.backbone.path).toBe('wasm');
  expect(moved.timings).toBeUndefined();
  expect(await readPathChoice(prefs, 'm1')).toEqual(before);
  expect(before.measured?.adapter, 'the measurement was made with an adapter').not.toBeNull();
  await moved.backbone.release();
});
