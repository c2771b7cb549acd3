/**
 * Five broken models, built in the test: each is refused with its own message, and nothing is
 * stored. A model that keeps the contract is stored, with its layout found.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { deleteDB } from 'idb';
import { ModelError } from '../src/backbone/errors';
import { modelLibrary, type ModelLibrary, type StoredModel } from '../src/backbone/library';
import { requestGpu, type GpuContext } from '../src/gpu/device';
import { openModelDb, type ModelDb } from '../src/storage/modelDb';
import { modelStore } from '../src/storage/models';
import { tinyPatchModel, wrongModels } from './helpers/testModels';

const DB = 'pixood-models-contract-test';
let gpu: GpuContext | null;
let db: ModelDb;
let library: ModelLibrary;

beforeAll(async () => {
  await deleteDB(DB);
  gpu = await requestGpu();
  db = await openModelDb(DB);
  library = modelLibrary(modelStore<StoredModel>(db), gpu);
});

afterAll(async () => {
  db.close();
  await deleteDB(DB);
  gpu?.device.destroy();
});

test('each broken model gets its own clear message, and nothing is stored', async () => {
  const messages = new Set<string>();
  for (const [code, build] of Object.entries(wrongModels)) {
    const error = await library.addFromBytes(code, build(), { kind: 'file', fileName: `${code}.onnx` }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, code).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe(code);
    console.log(`contract: ${code}: ${(error as ModelError).message}`);
    messages.add((error as ModelError).message);
    expect(await library.list()).toEqual([]);
  }
  expect(messages.size).toBe(Object.keys(wrongModels).length);
});

test('a model that keeps the contract is stored with its token layout', async () => {
  const model = await library.addFromBytes('tiny', tinyPatchModel(8, 5), { kind: 'file', fileName: 'tiny.onnx' });
  expect(model.contract).toMatchObject({ featureDim: 8, prefixTokens: 5, registers: 4, fixedInput: null, patchSize: 14 });
  expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect((await library.list()).map((m) => m.id)).toEqual([model.id]);
  await library.delete(model.id);
  expect(await library.list()).toEqual([]);
});
