/**
 * The projects database in a real browser's IndexedDB: the schema opens from nothing (every
 * migration runs in order), records survive closing and reopening, a model and the project's
 * pointer to it are stored all or nothing, and deleting cascades.
 */
import { deleteDB } from 'idb';
import { afterEach, expect, test } from 'vitest';
import { matrix } from '../src/core/tensor';
import type { PixoodModel } from '../src/pipeline/pixoodModel';
import { openProjectDb, PROJECT_DB_VERSION, type ProjectDb } from '../src/storage/projectDb';
import type { ImageRecord, ProjectRecord, ResultRecord } from '../src/storage/projectRecords';
import { MissingProjectError, projectStore } from '../src/storage/projectStore';
import { storageUse } from '../src/storage/storageQuota';

const opened: ProjectDb[] = [];
let dbCount = 0;

/** A fresh database per test, so tests do not see each other's records. */
async function freshDb(): Promise<{ db: ProjectDb; name: string }> {
  const name = `pixood-projects-test-${Date.now()}-${++dbCount}`;
  const db = await openProjectDb(name);
  opened.push(db);
  return { db, name };
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await deleteDB(db.name);
  }
});

function project(id: string, name = `Project ${id}`): ProjectRecord {
  return {
    id,
    name,
    backboneId: 'f'.repeat(64),
    backboneName: 'Built-in texture features (not DINOv2)',
    classes: [{ key: 'c1', name: 'fabric' }],
    maskClasses: [],
    settings: { longestSide: 224, upsample: 1, etalons: 32, condensationEpochs: 10, classifierEpochs: 5, seed: 1 },
    modelId: null,
    epsilon: 0.01,
    createdAt: new Date(0).toISOString(),
  };
}

const png = (bytes: number) => new Blob([new Uint8Array(bytes).fill(7)], { type: 'image/png' });

function image(id: string, projectId: string, extra: Partial<ImageRecord> = {}): ImageRecord {
  return { id, projectId, name: `${id}.png`, role: 'train', classKey: 'c1', blob: png(300), thumbnail: png(30), width: 20, height: 10, addedAt: new Date(0).toISOString(), ...extra };
}

/** A small model with every kind of field a real one has: nested objects and typed arrays. */
function model(): PixoodModel {
  return {
    schema: 1,
    backbone: { id: 'f'.repeat(64), name: 'built-in', sha256: 'f'.repeat(64), patchSize: 14, dim: 4 },
    settings: { longestSide: 224, upsample: 1, etalons: 2, condensationEpochs: 1, classifierEpochs: 1, seed: 1 },
    classes: ['fabric'],
    classifier: null,
    condensations: [
      {
        variant: 'condensation',
        etalons: matrix(2, 4, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
        tau: Float32Array.of(0.5, 0.25),
        valid: Uint8Array.of(1, 0),
        support: Float32Array.of(3, 0),
        whitening: { median: new Float32Array(4), std: new Float32Array(4).fill(1) },
      },
    ],
    calibration: { spaceDims: 1, numClasses: 1, idMeans: Float64Array.of(0.5), idCovs: Float64Array.of(0.01), oodCov: Float64Array.of(1), tables: [{ logRatio: Float64Array.of(-1, 1), rate: Float64Array.of(0, 1) }] },
    summary: { patchesPerClass: [512], validEtalons: [1], seconds: { features: 1, classifier: 0, condensation: 2, calibration: 0.1 }, path: 'cpu', skipped: [{ name: 'broken.png', reason: 'damaged' }] },
    createdAt: new Date(0).toISOString(),
  };
}

function result(id: string, projectId: string, modelId: string): ResultRecord {
  return {
    id,
    projectId,
    modelId,
    name: `${id}.png`,
    imageId: null,
    imageScore: 0.42,
    epsilon: 0.01,
    verdict: 'pass',
    preview: png(100),
    heatmap: png(50),
    maps: { width: 2, height: 1, score: Float32Array.of(0.1, 0.42), predicted: Int32Array.of(0, 0), distance: Float32Array.of(1.5, 2.5) },
    imageWidth: 20,
    imageHeight: 10,
    seconds: 0.2,
    inspectedAt: new Date(0).toISOString(),
  };
}

test('a new database gets every store at the current version', async () => {
  const { db } = await freshDb();
  expect(db.version).toBe(PROJECT_DB_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['images', 'models', 'projects', 'results']);
  expect([...db.transaction('results').store.indexNames].sort()).toEqual(['byModel', 'byProject']);
});

test('projects, images, models and results survive closing and reopening, blobs byte for byte', async () => {
  const { db, name } = await freshDb();
  const store = projectStore(db);
  await store.putProject(project('p1', 'Line 3 — <b>not bold</b>'));
  await store.addImages([image('i1', 'p1'), image('i2', 'p1', { role: 'test', classKey: null, mask: png(40), defectType: 'scratch' })]);
  await store.saveModel('p1', 'm1', model());
  await store.addResults([result('r1', 'p1', 'm1')]);
  db.close();

  const reopened = await openProjectDb(name);
  opened.push(reopened);
  const again = projectStore(reopened);
  const stored = await again.getProject('p1');
  expect(stored?.name).toBe('Line 3 — <b>not bold</b>');
  expect(stored?.modelId).toBe('m1');
  const images = (await again.listImages('p1')).sort((a, b) => a.id.localeCompare(b.id));
  expect(images.map((i) => [i.id, i.role, i.defectType])).toEqual([
    ['i1', 'train', undefined],
    ['i2', 'test', 'scratch'],
  ]);
  expect(new Uint8Array(await images[0].blob.arrayBuffer())).toEqual(new Uint8Array(300).fill(7));
  expect(images[1].mask?.size).toBe(40);
  const { model: storedModel } = (await again.getModel('m1'))!;
  expect(storedModel.condensations[0].etalons.data).toEqual(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  expect(storedModel.condensations[0].valid).toBeInstanceOf(Uint8Array);
  expect(storedModel.calibration.tables[0].rate).toEqual(Float64Array.of(0, 1));
  const [storedResult] = await again.listResults('p1');
  expect(storedResult.maps.distance).toEqual(Float32Array.of(1.5, 2.5));
  expect(storedResult.heatmap.size).toBe(50);
});

test('a model is stored with the project pointer or not at all', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(project('p1'));
  await store.saveModel('p1', 'm1', model());

  // A model that cannot be stored (a function is not structured-cloneable) must leave the old pointer.
  const broken = { ...model(), summary: { ...model().summary, path: (() => 'cpu') as unknown as 'cpu' } };
  await expect(store.saveModel('p1', 'm2', broken)).rejects.toThrow();
  expect((await store.getProject('p1'))?.modelId).toBe('m1');
  expect(await store.getModel('m2')).toBeUndefined();

  // A project deleted meanwhile: no orphan model.
  await expect(store.saveModel('gone', 'm3', model())).rejects.toBeInstanceOf(MissingProjectError);
  expect(await store.getModel('m3')).toBeUndefined();
});

test('images for a missing project are refused, all of them', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(project('p1'));
  await expect(store.addImages([image('i1', 'p1'), image('i2', 'gone')])).rejects.toBeInstanceOf(MissingProjectError);
  expect(await store.listImages('p1')).toEqual([]);
});

test('images stored with a change to their project (the class they were read into): both land, or neither', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(project('p1'));
  const addCaps = (p: ProjectRecord): ProjectRecord => ({ ...p, classes: [...p.classes, { key: 'c2', name: 'caps' }] });
  await store.addImages([image('i1', 'p1', { classKey: 'c2' })], addCaps);
  expect((await store.getProject('p1'))?.classes.map((c) => c.name), 'classes after the drop').toEqual(['fabric', 'caps']);
  expect((await store.listImages('p1')).map((i) => i.classKey)).toEqual(['c2']);

  const unstorable = { ...image('i2', 'p1', { classKey: 'c3' }), blob: (() => undefined) as unknown as Blob };
  const addBolts = (p: ProjectRecord): ProjectRecord => ({ ...p, classes: [...p.classes, { key: 'c3', name: 'bolts' }] });
  await expect(store.addImages([image('i3', 'p1', { classKey: 'c3' }), unstorable], addBolts), 'a record that cannot be stored').rejects.toThrow();
  expect((await store.getProject('p1'))?.classes.map((c) => c.name), 'no class from the failed drop').toEqual(['fabric', 'caps']);
  expect((await store.listImages('p1')).map((i) => i.id), 'no image from the failed drop').toEqual(['i1']);
});

test('deleting a model deletes its results and clears the pointer; deleting a project deletes everything it owns', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(project('p1'));
  await store.putProject(project('p2'));
  await store.addImages([image('i1', 'p1'), image('i2', 'p2')]);
  await store.saveModel('p1', 'm1', model());
  await store.saveModel('p1', 'm2', model());
  await store.saveModel('p2', 'm3', model());
  await store.addResults([result('r1', 'p1', 'm1'), result('r2', 'p1', 'm2'), result('r3', 'p2', 'm3')]);

  await store.deleteModel('m2');
  expect((await store.getProject('p1'))?.modelId).toBeNull();
  expect((await store.listResults('p1')).map((r) => r.id)).toEqual(['r1']);
  expect((await store.listModels('p1')).map((m) => m.id)).toEqual(['m1']);

  await store.deleteProject('p1');
  expect(await store.getProject('p1')).toBeUndefined();
  expect(await store.listImages('p1')).toEqual([]);
  expect(await store.listModels('p1')).toEqual([]);
  expect(await store.listResults('p1')).toEqual([]);
  // The other project is untouched.
  expect((await store.listImages('p2')).map((i) => i.id)).toEqual(['i2']);
  expect((await store.getProject('p2'))?.modelId).toBe('m3');
  expect((await store.listResults('p2')).map((r) => r.id)).toEqual(['r3']);
});

test('updating a project changes only what the change says; a deleted project cannot be updated', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(project('p1'));
  const updated = await store.updateProject('p1', (p) => ({ ...p, epsilon: 0.05 }));
  expect(updated.epsilon).toBe(0.05);
  expect((await store.getProject('p1'))?.classes).toEqual([{ key: 'c1', name: 'fabric' }]);
  await expect(store.updateProject('gone', (p) => p)).rejects.toBeInstanceOf(MissingProjectError);
});

test('storage use is reported', async () => {
  const use = await storageUse();
  expect(use).not.toBeNull();
  expect(use!.quota).toBeGreaterThan(0);
  expect(typeof use!.persisted).toBe('boolean');
});
