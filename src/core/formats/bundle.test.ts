import { unzipSync, zipSync } from 'fflate';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PixoodModel } from '../../pipeline/pixoodModel';
import { createRng, type Rng } from '../rng';
import { BundleError, readBundle, writeBundle, type BundleModel } from './bundle';
import { readSafetensors, writeSafetensors, type SafeTensor } from './safetensors';

// The bundle's own type and the pipeline's model must stay the same structure: these two
// assignments fail to type-check the moment either side gains or changes a field.
const asBundle = (model: PixoodModel): BundleModel => model;
const asPixood = (model: BundleModel): PixoodModel => model;

function floats(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** A small, valid model: C classes, D = 4, H = 3, K = 3, with or without a classifier. */
function fixture(numClasses: number, withClassifier: boolean): PixoodModel {
  const rng = createRng(7);
  const d = 4;
  const h = 3;
  const k = 3;
  const p = withClassifier ? 2 : 1;
  return {
    schema: 1,
    backbone: { id: 'lib-1', name: 'dinov2-small', sha256: 'ab'.repeat(32), patchSize: 14, dim: d },
    settings: { longestSide: 448, upsample: 2, etalons: k, condensationEpochs: 3, classifierEpochs: 5, seed: 42 },
    classes: Array.from({ length: numClasses }, (_, i) => `class ${i}`),
    classifier: withClassifier
      ? {
          w1: { dims: [h, d], data: floats(rng, h * d) },
          b1: { dims: [h], data: floats(rng, h) },
          w2: { dims: [numClasses, h], data: floats(rng, numClasses * h) },
          b2: { dims: [numClasses], data: floats(rng, numClasses) },
        }
      : null,
    condensations: Array.from({ length: numClasses }, () => ({
      variant: 'condensation' as const,
      etalons: { dims: [k, d] as const, data: floats(rng, k * d) },
      tau: floats(rng, k).map(Math.abs),
      valid: Uint8Array.from([1, 0, 1]),
      support: floats(rng, k).map(Math.abs),
      whitening: { median: floats(rng, d), std: floats(rng, d).map(Math.abs) },
    })),
    calibration: {
      spaceDims: p,
      numClasses,
      idMeans: Float64Array.from({ length: numClasses * p }, () => rng.normal()),
      idCovs: Float64Array.from({ length: numClasses * p * p }, () => rng.normal()),
      oodCov: Float64Array.from({ length: p * p }, () => rng.normal()),
      tables: Array.from({ length: numClasses }, () => ({
        logRatio: Float64Array.from([-2, -1, 0, 1.5, 2]),
        rate: Float64Array.from([0, 0.1, 0.5, 0.9, 1]),
      })),
    },
    summary: {
      patchesPerClass: Array.from({ length: numClasses }, (_, i) => 100 + i),
      validEtalons: Array.from({ length: numClasses }, () => 2),
      seconds: { features: 1.5, classifier: 0.25, condensation: 3, calibration: 0.5 },
      path: 'cpu',
      skipped: [{ name: 'broken.png', reason: 'not a PNG' }],
    },
    createdAt: '2026-11-28T02:00:00.000Z',
  };
}

type Manifest = Record<string, unknown>;

function unpack(bytes: Uint8Array): { manifest: Manifest; tensors: Map<string, SafeTensor> } {
  const files = unzipSync(bytes);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
  // Copies, so that a mutation never reaches the original bundle's buffers.
  const tensors = new Map([...readSafetensors(files['tensors.safetensors']).tensors].map(([name, t]) => [name, { ...t, data: t.data.slice() } as SafeTensor]));
  return { manifest, tensors };
}

function pack(manifest: Manifest, tensors: ReadonlyMap<string, SafeTensor>): Uint8Array {
  return zipSync({ 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)), 'tensors.safetensors': writeSafetensors(tensors) });
}

function rejection(bytes: Uint8Array): string {
  try {
    readBundle(bytes);
  } catch (e) {
    if (e instanceof BundleError) return e.message;
    throw e;
  }
  throw new Error('the bundle was accepted');
}

describe('model bundle', () => {
  it.each([
    ['two classes with a classifier', fixture(2, true)],
    ['one class without a classifier', fixture(1, false)],
  ])('round-trips %s', (_, model) => {
    const read: PixoodModel = asPixood(readBundle(writeBundle(asBundle(model))));
    expect(read).toEqual(model);
    expect(read.condensations[0].valid).toBeInstanceOf(Uint8Array);
    expect(read.calibration.idCovs).toBeInstanceOf(Float64Array);
    expect(read.condensations[0].etalons.data).toBeInstanceOf(Float32Array);
  });

  it('names its tensors and records them in the manifest', () => {
    const { manifest, tensors } = unpack(writeBundle(fixture(2, true)));
    expect(manifest).toMatchObject({ format: 'pixood-bundle', schemaVersion: 1, calibration: { spaceDims: 2, numClasses: 2 } });
    expect([...tensors.keys()].sort()).toContain('class.1.whitening.std');
    expect(tensors.get('class.0.valid')?.dtype).toBe('U8');
    expect(tensors.get('calibration.table.1.rate')?.dtype).toBe('F64');
    expect(manifest.tensors).toContainEqual({ name: 'classifier.w1', dtype: 'F32', shape: [3, 4] });
  });

  it('refuses what is not a bundle, each with its own message', () => {
    const good = writeBundle(fixture(2, true));
    const { manifest, tensors } = unpack(good);
    const edit = (change: (m: Manifest) => void) => {
      const m = structuredClone(manifest);
      change(m);
      return pack(m, tensors);
    };
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('hello, not a zip at all, just text'), /not a zip/],
      [good.subarray(0, good.length - 5), /truncated/],
      [zipSync({ 'tensors.safetensors': writeSafetensors(tensors) }), /no manifest\.json/],
      [zipSync({ 'manifest.json': new Uint8Array([123]) }), /no tensors\.safetensors/],
      [zipSync({ 'manifest.json': new TextEncoder().encode('{'), 'tensors.safetensors': writeSafetensors(tensors) }), /not valid JSON/],
      [edit((m) => (m.format = 'zip')), /format is "zip"/],
      [edit((m) => (m.schemaVersion = 2)), /schemaVersion is 2/],
      [edit((m) => ((m.backbone as Manifest).sha256 = 'AB'.repeat(32))), /sha256/],
      [edit((m) => ((m.backbone as Manifest).dim = 5)), /expected \[3, 5\]/],
      [edit((m) => (m.classes as string[]).push('extra')), /3 classes/],
    ];
    const messages = cases.map(([bytes, pattern]) => {
      const message = rejection(bytes);
      expect(message).toMatch(pattern);
      return message;
    });
    expect(new Set(messages).size).toBe(messages.length);

    const nonMonotone = new Map(tensors);
    nonMonotone.set('calibration.table.0.rate', { dtype: 'F64', shape: [5], data: Float64Array.from([0, 0.5, 0.4, 0.9, 1]) });
    expect(rejection(pack(manifest, nonMonotone))).toMatch(/rate decreases at knot 2/);
    const notFlag = new Map(tensors);
    notFlag.set('class.1.valid', { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 0]) });
    expect(rejection(pack(manifest, notFlag))).toMatch(/other than 0 or 1/);
  });

  it('checks size limits from the zip directory', () => {
    const good = writeBundle(fixture(2, true));
    expect(() => readBundle(good, { maxCompressedBytes: 100 })).toThrow(/compressed, over the limit of 100/);
    expect(() => readBundle(good, { maxUncompressedBytes: 100 })).toThrow(/uncompressed, over the limit of 100/);
  });

  it('rejects 1,000 seeded mutations with BundleErrors only', () => {
    const original = fixture(2, true);
    const good = writeBundle(original);
    const { manifest, tensors } = unpack(good);
    const rng = createRng(2026);
    const messages = new Set<string>();
    const counts = { rejected: 0, acceptedIdentical: 0 };
    const started = performance.now();
    let done = 0;
    for (let i = 0; i < 1000; i++) {
      const kind = i % 6;
      const bytes = mutate(kind, rng, good, manifest, tensors);
      try {
        const model = readBundle(bytes);
        // Only a flip in a byte the reader never uses (say a local header's timestamp) may pass.
        expect(kind === 1 && isDeepStrictEqual(model, original), `mutation ${i} (kind ${kind}) was accepted as a different model`).toBe(true);
        counts.acceptedIdentical++;
      } catch (e) {
        if (!(e instanceof BundleError)) throw new Error(`mutation ${i} (kind ${kind}) threw ${String(e)}`);
        counts.rejected++;
        messages.add(e.message);
      }
      done++;
    }
    expect(done).toBe(1000);
    console.log(
      `bundle: fuzz=${done} rejected=${counts.rejected} accepted-identical=${counts.acceptedIdentical} distinct_messages=${messages.size} (${Math.round(performance.now() - started)} ms)`,
    );
    expect(counts.rejected).toBeGreaterThan(900);
  });
});

/** Every object key and array item of a JSON value, as paths. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [[...prefix, k], ...paths((value as Record<string | number, unknown>)[k], [...prefix, k])]);
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> {
  return path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
}

function mutate(kind: number, rng: Rng, good: Uint8Array, manifest: Manifest, tensors: ReadonlyMap<string, SafeTensor>): Uint8Array {
  const m = structuredClone(manifest);
  const all = paths(m);
  switch (kind) {
    case 0:
      return good.slice(0, rng.int(good.length));
    case 1: {
      const bytes = good.slice();
      bytes[rng.int(bytes.length)] ^= 1 + rng.int(255);
      return bytes;
    }
    case 2: {
      // Every object key of the manifest is required (array items are not all: `skipped` may shrink).
      const keys = all.filter((p) => typeof p[p.length - 1] === 'string');
      const path = keys[rng.int(keys.length)];
      delete parentOf(m, path)[path[path.length - 1]];
      return pack(m, tensors);
    }
    case 3: {
      const path = all[rng.int(all.length)];
      const parent = parentOf(m, path);
      const key = path[path.length - 1];
      const value = parent[key];
      parent[key] = typeof value === 'string' ? 7 : typeof value === 'number' ? String(value) : Array.isArray(value) ? {} : [];
      return pack(m, tensors);
    }
    case 4: {
      // One tensor loses its last element or row, and the manifest is made to agree, so only the
      // cross-checks between tensors can catch it.
      const names = [...tensors.keys()];
      const name = names[rng.int(names.length)];
      const t = tensors.get(name) as SafeTensor;
      const shape = [...t.shape];
      const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
      shape[0]--;
      const changed = new Map(tensors).set(name, { ...t, shape, data: t.data.slice(0, t.data.length - rowSize) } as SafeTensor);
      const list = m.tensors as { name: string; shape: number[] }[];
      (list.find((e) => e.name === name) as { shape: number[] }).shape = shape;
      return pack(m, changed);
    }
    default: {
      const names = [...tensors.keys()].filter((n) => tensors.get(n)?.dtype !== 'U8');
      const name = names[rng.int(names.length)];
      const t = tensors.get(name) as SafeTensor<'F32' | 'F64'>;
      const data = t.data.slice();
      data[rng.int(data.length)] = [NaN, Infinity, -Infinity][rng.int(3)];
      return pack(m, new Map(tensors).set(name, { ...t, data } as SafeTensor));
    }
  }
}
