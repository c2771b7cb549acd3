/**
 * A model served by the test server downloads with progress, is checked and cached in
 * IndexedDB, and loads and runs again with the network blocked (fetch stubbed to reject in the
 * page, after the first download).
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { deleteDB } from 'idb';
import { loadBackbone, readTokens } from '../src/backbone/backbone';
import type { ByteProgress } from '../src/backbone/download';
import { ModelError } from '../src/backbone/errors';
import { modelLibrary, type AddProgress, type StoredModel } from '../src/backbone/library';
import { sha256Hex } from '../src/backbone/sha256';
import { openModelDb } from '../src/storage/modelDb';
import { modelStore } from '../src/storage/models';
import { fetchBytes, fixtureInput, VIT_DIR } from './helpers/vitFixture';

const DB = 'pixood-models-download-test';
const URL_ = `${VIT_DIR}vit-tiny-reg4.onnx`;

beforeAll(() => deleteDB(DB));
afterAll(async () => {
  vi.unstubAllGlobals();
  await deleteDB(DB);
});

test('download with progress, cache, and load offline', async () => {
  const expectedBytes = await fetchBytes(URL_);
  const db = await openModelDb(DB);
  const library = modelLibrary(modelStore<StoredModel>(db), null);
  const events: AddProgress[] = [];
  const model = await library.addFromUrl('test ViT', { kind: 'url', url: URL_ }, { onProgress: (p) => events.push(p) });

  const bytes = events.filter((e): e is AddProgress & ByteProgress & { stage: 'download' } => e.stage === 'download');
  console.log(`download: ${bytes.length} progress events: ${bytes.map((e) => e.loaded).join(' ')} of ${bytes[0].total}`);
  // The file is small (230 kB): the browser may deliver it in one chunk or several, so the
  // events are at least its start and its end (intermediate reports: src/backbone/download.test.ts).
  expect(bytes[0]).toEqual({ stage: 'download', loaded: 0, total: expectedBytes.length });
  for (let i = 1; i < bytes.length; i++) expect(bytes[i].loaded).toBeGreaterThan(bytes[i - 1].loaded);
  expect(bytes.at(-1)).toEqual({ stage: 'download', loaded: expectedBytes.length, total: expectedBytes.length });
  expect(events.slice(bytes.length).map((e) => e.stage)).toEqual(['check', 'store']);
  expect(model.sha256).toBe(await sha256Hex(expectedBytes));
  console.log(`download: sha256=${model.sha256} bytes=${model.byteLength}`);
  db.close();

  // The network goes away; a fresh connection (as after a reload) still has the model.
  vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch (network blocked by the test)')));
  const offlineDb = await openModelDb(DB);
  const offline = modelLibrary(modelStore<StoredModel>(offlineDb), null);
  await expect(offline.addFromUrl('again', { kind: 'url', url: URL_ })).rejects.toSatisfy((e) => e instanceof ModelError && e.code === 'download-failed');
  const [stored] = await offline.list();
  expect(stored).toEqual(model);
  const cached = await offline.bytes(stored.id);
  expect(await sha256Hex(cached)).toBe(model.sha256);
  const backbone = await loadBackbone(cached, stored.contract, { path: 'wasm' });
  const tokens = await readTokens(await backbone.run(fixtureInput(0, 28, 42)), null);
  expect(tokens.dims).toEqual([1, stored.contract.prefixTokens + 2 * 3, stored.contract.featureDim]);
  await backbone.release();
  // An open connection would block deleteDB in afterAll.
  offlineDb.close();
});
