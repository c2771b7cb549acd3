/**
 * The projects database in a real browser's IndexedDB: the schema opens from nothing (every
 * migration runs in order), records survive closing and reopening, a model and the project's
 * pointer to it are stored all or nothing, and deleting cascades.
 */
import { deleteDB } from 'idb';
import { afterEach, expect, test } from 'vitest';
import { openProjectDb, PROJECT_DB_VERSION, type ProjectDb } from '../src/storage/projectDb';
import type { ProjectRecord } from '../src/storage/projectRecords';
import { MissingProjectError, projectStore } from '../src/storage/projectStore';
import { storageUse } from '../src/storage/storageQuota';
import { fakePng, imageRecord, projectRecord, resultRecord, smallModel } from './helpers/records';

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

test('a new database gets every store at the current version', async () => {
  const { db } = await freshDb();
  expect(db.version).toBe(PROJECT_DB_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['decisions', 'failureImages', 'images', 'models', 'projects', 'results', 'shifts']);
  expect([...db.transaction('results').store.indexNames].sort()).toEqual(['byModel', 'byProject']);
});

test('projects, images, models and results survive closing and reopening, blobs byte for byte', async () => {
  const { db, name } = await freshDb();
  const store = projectStore(db);
  await store.putProject(projectRecord('p1', 'Line 3 — <b>not bold</b>'));
  await store.addImages([imageRecord('i1', 'p1'), imageRecord('i2', 'p1', { role: 'test', classKey: null, mask: fakePng(40), defectType: 'scratch' })]);
  await store.saveModel('p1', 'm1', smallModel());
  await store.addResults([resultRecord('r1', 'p1', 'm1')]);
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
  await store.putProject(projectRecord('p1'));
  await store.saveModel('p1', 'm1', smallModel());

  // A model that cannot be stored (a function is not structured-cloneable) must leave the old pointer.
  const broken = { ...smallModel(), summary: { ...smallModel().summary, path: (() => 'cpu') as unknown as 'cpu' } };
  await expect(store.saveModel('p1', 'm2', broken)).rejects.toThrow();
  expect((await store.getProject('p1'))?.modelId).toBe('m1');
  expect(await store.getModel('m2')).toBeUndefined();

  // A project deleted meanwhile: no orphan model.
  await expect(store.saveModel('gone', 'm3', smallModel())).rejects.toBeInstanceOf(MissingProjectError);
  expect(await store.getModel('m3')).toBeUndefined();
});

test('images for a missing project are refused, all of them', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(projectRecord('p1'));
  await expect(store.addImages([imageRecord('i1', 'p1'), imageRecord('i2', 'gone')])).rejects.toBeInstanceOf(MissingProjectError);
  expect(await store.listImages('p1')).toEqual([]);
});

test('images stored with a change to their project (the class they were read into): both land, or neither', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(projectRecord('p1'));
  const addCaps = (p: ProjectRecord): ProjectRecord => ({ ...p, classes: [...p.classes, { key: 'c2', name: 'caps' }] });
  await store.addImages([imageRecord('i1', 'p1', { classKey: 'c2' })], addCaps);
  expect((await store.getProject('p1'))?.classes.map((c) => c.name), 'classes after the drop').toEqual(['fabric', 'caps']);
  expect((await store.listImages('p1')).map((i) => i.classKey)).toEqual(['c2']);

  const unstorable = { ...imageRecord('i2', 'p1', { classKey: 'c3' }), blob: (() => undefined) as unknown as Blob };
  const addBolts = (p: ProjectRecord): ProjectRecord => ({ ...p, classes: [...p.classes, { key: 'c3', name: 'bolts' }] });
  await expect(store.addImages([imageRecord('i3', 'p1', { classKey: 'c3' }), unstorable], addBolts), 'a record that cannot be stored').rejects.toThrow();
  expect((await store.getProject('p1'))?.classes.map((c) => c.name), 'no class from the failed drop').toEqual(['fabric', 'caps']);
  expect((await store.listImages('p1')).map((i) => i.id), 'no image from the failed drop').toEqual(['i1']);
});

test('deleting a model deletes its results and clears the pointer; deleting a project deletes everything it owns', async () => {
  const { db } = await freshDb();
  const store = projectStore(db);
  await store.putProject(projectRecord('p1'));
  await store.putProject(projectRecord('p2'));
  await store.addImages([imageRecord('i1', 'p1'), imageRecord('i2', 'p2')]);
  await store.saveModel('p1', 'm1', smallModel());
  await store.saveModel('p1', 'm2', smallModel());
  await store.saveModel('p2', 'm3', smallModel());
  await store.addResults([resultRecord('r1', 'p1', 'm1'), resultRecord('r2', 'p1', 'm2'), resultRecord('r3', 'p2', 'm3')]);

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
  await store.putProject(projectRecord('p1'));
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
