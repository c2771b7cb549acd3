/**
 * Upgrading the projects database from version 1, as browsers that ran an earlier release hold
 * it: a model's flat evaluation becomes the current shape, and the model itself is kept whole
 * but for the image calibration it lacks (null: it needs retraining for verdicts); projects gain
 * α and results lose their verdict until inspected again.
 */
import { deleteDB, openDB } from 'idb';
import { afterEach, expect, test } from 'vitest';
import { openProjectDb, PROJECT_DB_VERSION, type ProjectDb } from '../src/storage/projectDb';

const name = `pixood-projects-migration-${Date.now()}`;
let opened: ProjectDb | null = null;

afterEach(async () => {
  opened?.close();
  opened = null;
  await deleteDB(name);
});

/** Version 1's stores, written with raw idb as the release that had them did. */
async function createVersion1(records: readonly object[], projects: readonly object[] = [], results: readonly object[] = []): Promise<void> {
  const db = await openDB(name, 1, {
    upgrade(v1) {
      v1.createObjectStore('projects', { keyPath: 'id' });
      v1.createObjectStore('images', { keyPath: 'id' }).createIndex('byProject', 'projectId');
      v1.createObjectStore('models', { keyPath: 'id' }).createIndex('byProject', 'projectId');
      const results = v1.createObjectStore('results', { keyPath: 'id' });
      results.createIndex('byProject', 'projectId');
      results.createIndex('byModel', 'modelId');
    },
  });
  for (const record of records) await db.put('models', record);
  for (const project of projects) await db.put('projects', project);
  for (const result of results) await db.put('results', result);
  db.close();
}

/** Enough of a model to see that it comes back as it went in, typed arrays included. */
const storedModel = { createdAt: '2026-01-02T03:04:05.000Z', classes: ['fabric'], tau: Float32Array.of(0.5, 0.25) };

test('a version-1 flat evaluation becomes overall figures with no per-defect ones, and the model is kept', async () => {
  const flat = { images: 18, defectImages: 12, imageAuroc: 1, pixelAuroc: 0.9625, aupro: 0.8125, ap: NaN, evaluatedAt: '2026-01-02T04:00:00.000Z' };
  await createVersion1([
    { id: 'm1', projectId: 'p1', model: storedModel, evaluation: flat },
    { id: 'm2', projectId: 'p1', model: storedModel },
  ]);

  opened = await openProjectDb(name);
  expect(opened.version).toBe(PROJECT_DB_VERSION);
  const models = await opened.getAll('models');
  expect(models.map((m) => m.id)).toEqual(['m1', 'm2']);
  const [evaluated, untested] = models;
  expect(evaluated.model, 'the model is kept, with no image calibration').toEqual({ ...storedModel, schema: 2, imageCalibration: null });
  expect(evaluated.evaluation).toEqual({
    overall: { images: 18, defectImages: 12, imageAuroc: 1, pixelAuroc: 0.9625, aupro: 0.8125, ap: NaN, f1Max: NaN, fprAt95Tpr: NaN },
    perDefect: {},
    roc: { fpr: [], y: [] },
    pro: { fpr: [], y: [] },
    evaluatedAt: '2026-01-02T04:00:00.000Z',
  });
  expect(untested.evaluation, 'a model that was never evaluated stays without figures').toBeUndefined();
  expect(await opened.getAllFromIndex('models', 'byProject', 'p1'), 'the index still finds both').toHaveLength(2);
});

test('projects gain the image false-reject rate α, and kept results say they need inspecting again', async () => {
  await createVersion1(
    [{ id: 'm1', projectId: 'p1', model: storedModel }],
    [{ id: 'p1', name: 'Fabric', epsilon: 0.05 }],
    [{ id: 'r1', projectId: 'p1', modelId: 'm1', imageScore: 1, epsilon: 0.05, verdict: 'fail' }],
  );
  opened = await openProjectDb(name);
  expect(await opened.get('projects', 'p1')).toEqual({ id: 'p1', name: 'Fabric', epsilon: 0.05, alpha: 0.01, minDefectArea: 0 });
  const result = await opened.get('results', 'r1');
  expect(result).toMatchObject({ imageScore: 1, epsilon: 0.05, alpha: 0.01, threshold: null, verdict: 'uncalibrated' });
  expect(result?.severity).toBeNaN();
  expect(result?.reason).toMatch(/inspect it again/);
});
