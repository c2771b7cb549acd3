/**
 * Importing a `.pixood` bundle in a real browser, with the real engine (which checks the
 * backbone a bundle carries) and a throwaway projects database: a valid bundle becomes a
 * project whose model is the one written; 1,000 mutated or truncated bundles are each refused
 * with a message, and leave the projects, the models and the backbone library as they were.
 */
import { zipSync, unzipSync } from 'fflate';
import { deleteDB } from 'idb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeBundle, type BundleMetrics } from '../src/core/formats/bundle';
import { createRng, type Rng } from '../src/core/rng';
import { sha256Hex } from '../src/core/sha256';
import { startEngine, type EngineClient } from '../src/engine/client';
import type { PixoodModel } from '../src/core/model/pixoodModel';
import { BundleImportError, importBundle, type ImportServices } from '../src/app/import/importBundle';
import { openProjectDb, type ProjectDb } from '../src/storage/projectDb';
import { projectStore, type ProjectStore } from '../src/storage/projectStore';
import { tinyPatchModel } from './helpers/testModels';

const DIM = 8;
const onnx = tinyPatchModel(DIM, 1);
const backboneSha = sha256Hex(onnx);

let engine: EngineClient;
let db: ProjectDb;
let store: ProjectStore;
let ids = 0;

const services = (newId = () => `import-${++ids}`): ImportServices => ({ store, engine, newId });

beforeAll(async () => {
  engine = startEngine();
  db = await openProjectDb(`pixood-import-test-${Date.now()}`);
  store = projectStore(db);
  // The library must start without the test backbone, so that an import has to add it.
  if ((await engine.listModels()).some((m) => m.id === backboneSha)) await engine.deleteModel(backboneSha);
}, 300_000);

afterAll(async () => {
  await engine.deleteModel(backboneSha).catch(() => undefined);
  engine.terminate();
  db.close();
  await deleteDB(db.name);
});

function floats(rng: Rng, n: number, positive = false): Float32Array {
  return Float32Array.from({ length: n }, () => (positive ? Math.abs(rng.normal()) : rng.normal()));
}

/** A one-class model on the test backbone, D = `dim`, K = 3. */
function model(dim = DIM): PixoodModel {
  const rng = createRng(5);
  return {
    schema: 2,
    backbone: { id: backboneSha, name: 'tiny test ViT', sha256: backboneSha, patchSize: 14, dim },
    settings: { longestSide: 224, upsample: 1, etalons: 3, condensationEpochs: 2, classifierEpochs: 1, seed: 9 },
    classes: ['fabric'],
    classifier: null,
    condensations: [
      {
        variant: 'condensation',
        etalons: { dims: [3, dim], data: floats(rng, 3 * dim) },
        tau: floats(rng, 3, true),
        valid: Uint8Array.of(1, 1, 0),
        support: floats(rng, 3, true),
        whitening: { median: floats(rng, dim), std: floats(rng, dim, true) },
      },
    ],
    calibration: { spaceDims: 1, numClasses: 1, idMeans: Float64Array.of(0.6), idCovs: Float64Array.of(0.02), oodCov: Float64Array.of(1), tables: [{ logRatio: Float64Array.of(-3, 0, 2), rate: Float64Array.of(0, 0.3, 1) }] },
    imageCalibration: { severities: [2.5, 3], heldOut: [['good/a.png', 'good/b.png']] },
    summary: { patchesPerClass: [256], validEtalons: [2], seconds: { features: 1, classifier: 0, condensation: 2, calibration: 0.5 }, path: 'cpu', skipped: [] },
    createdAt: '2026-11-28T03:00:00.000Z',
  };
}

const metrics: BundleMetrics = {
  overall: { images: 8, defectImages: 4, imageAuroc: 1, pixelAuroc: 0.9, aupro: 0.7, ap: 0.5, f1Max: 0.55, fprAt95Tpr: 0.3 },
  perDefect: { hole: { images: 8, defectImages: 4, imageAuroc: 1, pixelAuroc: 0.9, aupro: 0.7, ap: 0.5, f1Max: 0.55, fprAt95Tpr: NaN } },
  roc: { fpr: [0, 0.1, 1], y: [0, 0.8, 1] },
  pro: { fpr: [0, 0.3, 1], y: [0, 0.7, 1] },
  evaluatedAt: '2026-11-28T03:05:00.000Z',
};

const good = writeBundle(model(), { metrics, backboneOnnx: onnx, projectName: 'Line 3: fabric' });

/** What the import must leave untouched when it refuses a bundle. */
async function snapshot(): Promise<{ projects: string[]; models: string[]; backbones: string[] }> {
  return {
    projects: (await db.getAllKeys('projects')).sort(),
    models: (await db.getAllKeys('models')).sort(),
    backbones: (await engine.listModels()).map((m) => m.id).sort(),
  };
}

async function refusal(bytes: Uint8Array, name = 'mutant.pixood', newId?: () => string): Promise<string> {
  try {
    await importBundle(new Blob([bytes as Uint8Array<ArrayBuffer>]), name, services(newId));
  } catch (error) {
    if (error instanceof BundleImportError) return error.message;
    throw error;
  }
  throw new Error(`${name} was imported`);
}

test('a valid bundle becomes a project with its model, its evaluation and its backbone', async () => {
  const before = await snapshot();
  const imported = await importBundle(new Blob([good as Uint8Array<ArrayBuffer>]), 'Fabric line 3-model.pixood', services());
  expect(imported.addedBackbone?.id, 'the carried backbone was added under its SHA-256').toBe(backboneSha);
  expect(imported.backboneMissing).toBe(false);
  expect((await engine.listModels()).find((m) => m.id === backboneSha)?.contract.featureDim).toBe(DIM);

  const project = await store.getProject(imported.project.id);
  expect(project).toMatchObject({ name: 'Line 3: fabric', backboneId: backboneSha, modelId: imported.model.id, classes: [{ name: 'fabric' }], settings: model().settings, epsilon: 0.01 });
  const stored = await store.getModel(imported.model.id);
  expect(stored?.model, 'the stored model is the one written').toEqual(model());
  expect(stored?.evaluation, 'the evaluation came along, NaN included').toEqual(metrics);

  // A second import finds the backbone already there and adds nothing to the library.
  const again = await importBundle(new Blob([good as Uint8Array<ArrayBuffer>]), 'again.pixood', services());
  expect(again.addedBackbone).toBeNull();
  expect((await store.listModels(again.project.id)).map((m) => m.id)).toEqual([again.model.id]);

  for (const id of [imported.project.id, again.project.id]) await store.deleteProject(id);
  await engine.deleteModel(backboneSha);
  expect(await snapshot()).toEqual(before);
});

test('a bundle without its backbone still imports, and says the backbone is missing', async () => {
  const imported = await importBundle(new Blob([writeBundle(model()) as Uint8Array<ArrayBuffer>]), 'bare.pixood', services());
  expect(imported.backboneMissing).toBe(true);
  expect(imported.project.backboneName).toBe('tiny test ViT');
  expect(imported.project.name, 'a bundle without the project’s name is named after its file').toBe('bare');
  await store.deleteProject(imported.project.id);
});

test('refusals that need the engine or the database leave nothing behind', async () => {
  const before = await snapshot();
  // The model wants 4 features per patch; the backbone it carries gives 8.
  const wrongDim = writeBundle(model(4), { backboneOnnx: onnx });
  expect(await refusal(wrongDim, 'wrong-dim.pixood')).toMatch(/^“wrong-dim\.pixood” was not imported: the model expects 4 features per patch, but the backbone tiny test ViT gives 8\.$/);
  expect(await snapshot(), 'the backbone added for the refused import was removed').toEqual(before);

  // Not an ONNX model at all, with a checksum that matches: the engine's check refuses it.
  const garbage = new TextEncoder().encode('not a model, just text pretending to be one');
  const fake = { ...model(), backbone: { ...model().backbone, id: sha256Hex(garbage), sha256: sha256Hex(garbage) } };
  expect(await refusal(writeBundle(fake, { backboneOnnx: garbage }), 'fake.pixood')).toMatch(/^“fake\.pixood” was not imported: the backbone inside it was refused: ./);
  expect(await snapshot()).toEqual(before);

  // The project write fails (its id is taken): the backbone this import added goes again.
  await store.putProject({ id: 'taken', name: 'Taken', backboneId: backboneSha, backboneName: 'tiny test ViT', classes: [], maskClasses: [], settings: model().settings, modelId: null, epsilon: 0.01, alpha: 0.01, minDefectArea: 0, createdAt: new Date(0).toISOString() });
  const withTaken = await snapshot();
  expect(await refusal(good, 'collision.pixood', () => 'taken')).toMatch(/could not be stored/);
  expect(await snapshot()).toEqual(withTaken);
  await store.deleteProject('taken');
  expect(await snapshot()).toEqual(before);
});

test('1,000 mutated or truncated bundles are refused with a message and store nothing', async () => {
  const before = await snapshot();
  const rng = createRng(2027);
  const files = unzipSync(good);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Record<string, unknown>;
  const messages = new Set<string>();
  let acceptedIdentical = 0;
  const started = performance.now();
  for (let i = 0; i < 1000; i++) {
    const kind = i % 5;
    const bytes = mutate(kind, rng, files, manifest);
    try {
      const imported = await importBundle(new Blob([bytes as Uint8Array<ArrayBuffer>]), `mutant-${i}.pixood`, services());
      // Only a flip in a byte the reader never uses (a local header's timestamp, say) may pass.
      expect(kind, `mutation ${i} was accepted`).toBe(1);
      expect((await store.getModel(imported.model.id))?.model, `mutation ${i} was accepted as a different model`).toEqual(model());
      await store.deleteProject(imported.project.id);
      if (imported.addedBackbone) await engine.deleteModel(imported.addedBackbone.id);
      acceptedIdentical++;
    } catch (error) {
      if (!(error instanceof BundleImportError)) throw new Error(`mutation ${i} (kind ${kind}) threw ${String(error)}`);
      expect(error.message).toMatch(new RegExp(`^“mutant-${i}\\.pixood” was not imported: .{10,}`));
      messages.add(error.message.replace(/mutant-\d+/, 'mutant'));
    }
  }
  console.log(`import: fuzz=1000 rejected=${1000 - acceptedIdentical} accepted-identical=${acceptedIdentical} distinct_messages=${messages.size} (${Math.round(performance.now() - started)} ms)`);
  expect(acceptedIdentical).toBeLessThan(100);
  expect(await snapshot(), 'projects, models and backbones are as they were').toEqual(before);
});

function repack(files: Record<string, Uint8Array>, manifest: unknown): Uint8Array {
  return zipSync({ ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)) });
}

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [[...prefix, k], ...paths((value as Record<string | number, unknown>)[k], [...prefix, k])]);
}

function mutate(kind: number, rng: Rng, files: Record<string, Uint8Array>, manifest: Record<string, unknown>): Uint8Array {
  switch (kind) {
    case 0:
      return good.slice(0, rng.int(good.length));
    case 1: {
      const bytes = good.slice();
      bytes[rng.int(bytes.length)] ^= 1 + rng.int(255);
      return bytes;
    }
    case 2: {
      // A value of the manifest changes type: strings become numbers, anything else a string.
      const m = structuredClone(manifest);
      const all = paths(m);
      const path = all[rng.int(all.length)];
      const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], m) as Record<string | number, unknown>;
      const key = path[path.length - 1];
      parent[key] = typeof parent[key] === 'string' ? 7 : `${JSON.stringify(parent[key])}!`;
      return repack(files, m);
    }
    case 3: {
      // The carried backbone is cut short or has one byte changed, inside an intact zip.
      const backbone = files['backbone.onnx'].slice();
      const at = rng.int(backbone.length);
      if (rng.int(2) === 0) return zipSync({ ...files, 'backbone.onnx': backbone.subarray(0, at) });
      backbone[at] ^= 1 + rng.int(255);
      return zipSync({ ...files, 'backbone.onnx': backbone });
    }
    default: {
      // An entry goes missing, or one that no bundle holds appears.
      const names = Object.keys(files);
      if (rng.int(2) === 0) {
        const drop = names[rng.int(names.length)];
        return zipSync(Object.fromEntries(Object.entries(files).filter(([name]) => name !== drop)));
      }
      return zipSync({ ...files, [`extra-${rng.int(100)}.bin`]: new Uint8Array(rng.int(64)) });
    }
  }
}
