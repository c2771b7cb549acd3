import { unzipSync, zipSync } from 'fflate';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PixoodModel } from '../model/pixoodModel';
import { createRng, type Rng } from '../rng';
import { sha256Hex } from '../sha256';
import { BundleError, modelContent, readBundle, writeBundle, type BundleContents, type BundleMetrics } from './bundle';
import { readSafetensors, writeSafetensors, type SafeTensor } from './safetensors';

function floats(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** A held-out image's pooling as training fits it: σ of 4.5 cells (1.5 patches at ×3). */
const POOL = { sigma: 4.5, offset: -1.5, scale: 2.25 };

/** A small, valid model: C classes, D = 4, H = 3, K = 3, with or without a classifier. */
function fixture(numClasses: number, withClassifier: boolean): PixoodModel {
  const rng = createRng(7);
  const d = 4;
  const h = 3;
  const k = 3;
  const p = withClassifier ? 2 : 1;
  return {
    schema: 2,
    backbone: { id: 'lib-1', name: 'dinov2-small', sha256: 'ab'.repeat(32), patchSize: 14, dim: d },
    settings: { longestSide: 448, upsample: 2, etalons: k, condensationEpochs: 3, classifierEpochs: 5, seed: 42, areaPatches: 1.5 },
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
    // Two held-out images of the first class and one of each other.
    imageCalibration: {
      severities: [3.5, 4.25, 7, 9.5].slice(0, numClasses + 1),
      heldOut: Array.from({ length: numClasses }, (_, c) => (c === 0 ? ['good/000.png', 'good/005.png'] : [`class ${c}/001.png`])),
      // The two-class model keeps each held-out image's cell severities (grids of its own size), for regions of interest.
      ...(numClasses === 2 && {
        // At 448 px and ×2, as the model saw them: 32 patches along the longer side, 21 along the shorter.
        cells: [
          { width: 64, height: 42, data: floats(rng, 64 * 42), imageWidth: 60, imageHeight: 40, pool: POOL },
          { width: 42, height: 64, data: floats(rng, 64 * 42), imageWidth: 40, imageHeight: 60, pool: POOL },
          { width: 64, height: 64, data: floats(rng, 64 * 64), imageWidth: 50, imageHeight: 50, pool: POOL },
        ],
      }),
    },
    ...(numClasses === 2 && {
      regions: {
        marginPx: 12,
        regions: [
          { kind: 'rect' as const, mode: 'ignore' as const, x: 0.125, y: 0.25, width: 0.5, height: 0.25 },
          { kind: 'polygon' as const, mode: 'include' as const, points: [{ x: 0, y: 0 }, { x: 1, y: 0.5 }, { x: 0.25, y: 1 }] },
        ],
      },
    }),
    // The two-class model had its capability checked: 2 kinds × 2 sizes × 2 plants.
    ...(numClasses === 2 && {
      capability: {
        kinds: ['dark-spot', 'crack'],
        sizes: [2, 8],
        trials: 2,
        severities: [1.5, -2.25, 3, 4, 0.5, 1, 9.75, 12],
        plantScores: [0.5, 0.25, 1, 1, 0, 0.75, 1, 0.999],
        longestSide: 56,
        images: 2,
        seed: 7,
        seconds: 1.25,
      },
    }),
    summary: {
      patchesPerClass: Array.from({ length: numClasses }, (_, i) => 100 + i),
      // The two-class model was trained over the memory bound: its first class gave more patches than it kept.
      ...(numClasses === 2 && { patchesSeenPerClass: [250, 101] }),
      validEtalons: Array.from({ length: numClasses }, () => 2),
      seconds: { features: 1.5, classifier: 0.25, condensation: 3, calibration: 0.5 },
      path: 'cpu',
      skipped: [{ name: 'broken.png', reason: 'not a PNG' }],
    },
    createdAt: '2026-11-28T02:00:00.000Z',
  };
}

/** An evaluation with every kind of field: a NaN figure, two defect types, curves. */
function metrics(): BundleMetrics {
  const figures = (images: number, defectImages: number, imageAuroc: number) => ({ images, defectImages, imageAuroc, pixelAuroc: 0.93, aupro: 0.81, ap: 0.4, f1Max: 0.45, fprAt95Tpr: 0.2 });
  return {
    overall: figures(18, 12, 1),
    perDefect: { hole: figures(10, 4, 1), 'only good': figures(6, 0, NaN) },
    roc: { fpr: [0, 0.01, 0.2, 1], y: [0, 0.5, 0.95, 1] },
    // A mean of overlaps may come out a few ulps above 1, as real evaluations do.
    pro: { fpr: [0, 0.05, 0.3, 1], y: [0, 0.4, 0.8, 1.0000000000000062] },
    testImages: [
      { defectType: 'good', severity: -4.5 },
      { defectType: 'hole', severity: 12.25 },
    ],
    evaluatedAt: '2026-11-28T02:30:00.000Z',
  };
}

/** A stand-in backbone file (the reader checks its checksum, not its contents) and the model made to name it. */
function withBackbone(model: PixoodModel): { model: PixoodModel; onnx: Uint8Array } {
  const rng = createRng(3);
  const onnx = Uint8Array.from({ length: 3000 }, () => rng.int(256));
  return { model: { ...model, backbone: { ...model.backbone, sha256: sha256Hex(onnx) } }, onnx };
}

type Manifest = Record<string, unknown>;

interface Unpacked {
  manifest: Manifest;
  tensors: Map<string, SafeTensor>;
  onnx?: Uint8Array;
}

function unpack(bytes: Uint8Array): Unpacked {
  const files = unzipSync(bytes);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
  // Copies, so that a mutation never reaches the original bundle's buffers.
  const tensors = new Map([...readSafetensors(files['tensors.safetensors']).tensors].map(([name, t]) => [name, { ...t, data: t.data.slice() } as SafeTensor]));
  return { manifest, tensors, ...(files['backbone.onnx'] && { onnx: files['backbone.onnx'].slice() }) };
}

function pack(manifest: Manifest, tensors: ReadonlyMap<string, SafeTensor>, onnx?: Uint8Array): Uint8Array {
  return zipSync({
    'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)),
    'tensors.safetensors': writeSafetensors(tensors),
    ...(onnx && { 'backbone.onnx': onnx }),
  });
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
    const contents = readBundle(writeBundle(model));
    const read: PixoodModel = contents.model;
    expect(read).toEqual(model);
    expect(contents.metrics, 'no metrics were written').toBeNull();
    expect(contents.backboneOnnx, 'no backbone was written').toBeNull();
    expect(read.condensations[0].valid).toBeInstanceOf(Uint8Array);
    expect(read.calibration.idCovs).toBeInstanceOf(Float64Array);
    expect(read.condensations[0].etalons.data).toBeInstanceOf(Float32Array);
  });

  it('round-trips the evaluation (NaN included) and the backbone it carries', () => {
    const { model, onnx } = withBackbone(fixture(2, true));
    const bytes = writeBundle(model, { metrics: metrics(), backboneOnnx: onnx, projectName: 'Line 3: caps', operatingPoint: { alpha: 0.025, byCatch: { rate: 0.8, threshold: 6.5 } } });
    const contents = readBundle(bytes);
    expect(contents.model).toEqual(model);
    expect(contents.projectName).toBe('Line 3: caps');
    expect(contents.operatingPoint).toEqual({ alpha: 0.025, byCatch: { rate: 0.8, threshold: 6.5 } });
    expect(contents.metrics).toEqual(metrics());
    expect(Number.isNaN(contents.metrics?.perDefect['only good'].imageAuroc), 'NaN comes back as NaN').toBe(true);
    expect(contents.backboneOnnx && sha256Hex(contents.backboneOnnx)).toBe(model.backbone.sha256);
    expect(Array.from(contents.backboneOnnx ?? [])).toEqual(Array.from(onnx));
    const { manifest } = unpack(bytes);
    expect(manifest.backboneIncluded).toBe(true);
    expect((manifest.metrics as { perDefect: Record<string, { imageAuroc: unknown }> }).perDefect['only good'].imageAuroc, 'NaN is written as null').toBeNull();
  });

  it('reads a bundle from before metrics and the backbone were added (neither key in its manifest)', () => {
    const model = fixture(2, true);
    const { manifest, tensors } = unpack(writeBundle(model));
    delete manifest.metrics;
    delete manifest.backboneIncluded;
    delete manifest.project;
    delete manifest.capability;
    delete manifest.operatingPoint;
    delete manifest.regions;
    const contents = readBundle(pack(manifest, tensors));
    expect(contents.operatingPoint).toBeNull();
    const { capability, regions, ...withoutCheck } = model;
    expect(capability, 'the fixture has a capability check').toBeDefined();
    expect(regions, 'the fixture has regions of interest').toBeDefined();
    expect(contents.model).toEqual(withoutCheck);
    expect(contents.projectName).toBeNull();
    expect(contents.metrics).toBeNull();
    expect(contents.backboneOnnx).toBeNull();
  });

  it('reads a bundle from before the image calibration as a model that needs recalibration', () => {
    const model = fixture(2, true);
    const { manifest, tensors } = unpack(writeBundle(model));
    delete manifest.imageCalibration;
    for (const name of [...tensors.keys()].filter((n) => n.startsWith('imageCalibration.'))) tensors.delete(name);
    manifest.tensors = (manifest.tensors as { name: string }[]).filter((t) => !t.name.startsWith('imageCalibration.'));
    const contents = readBundle(pack(manifest, tensors));
    expect(contents.model).toEqual({ ...model, imageCalibration: null });
  });

  it('carries the image calibration as a manifest entry and an F64 tensor Python can read', () => {
    const { manifest, tensors } = unpack(writeBundle(fixture(2, true)));
    expect(manifest.imageCalibration).toEqual({
      heldOut: [['good/000.png', 'good/005.png'], ['class 1/001.png']],
      cellImages: [
        { imageWidth: 60, imageHeight: 40, width: 64, height: 42, pool: POOL },
        { imageWidth: 40, imageHeight: 60, width: 42, height: 64, pool: POOL },
        { imageWidth: 50, imageHeight: 50, width: 64, height: 64, pool: POOL },
      ],
    });
    expect(tensors.get('imageCalibration.severities')).toMatchObject({ dtype: 'F64', shape: [3] });
    expect(tensors.get('imageCalibration.cells.1')).toMatchObject({ dtype: 'F32', shape: [64, 42] });
    expect(manifest.regions).toEqual(fixture(2, true).regions);
  });

  it('reads a bundle from before regions of interest: no regions, no cell severities', () => {
    const model = fixture(2, true);
    const { manifest, tensors } = unpack(writeBundle(model));
    delete manifest.regions;
    delete (manifest.imageCalibration as Record<string, unknown>).cellImages;
    for (const name of [...tensors.keys()].filter((n) => n.startsWith('imageCalibration.cells.'))) tensors.delete(name);
    manifest.tensors = (manifest.tensors as { name: string }[]).filter((t) => !t.name.startsWith('imageCalibration.cells.'));
    const { regions, ...withoutRegions } = model;
    expect(regions).toBeDefined();
    const { cells, ...calibration } = model.imageCalibration!;
    expect(cells).toHaveLength(3);
    expect(readBundle(pack(manifest, tensors)).model).toEqual({ ...withoutRegions, imageCalibration: calibration });
  });

  it('refuses regions that are not a spec, and cell grids that do not match their images, saying which', () => {
    const { manifest, tensors } = unpack(writeBundle(fixture(2, true)));
    const badRegions = { ...manifest, regions: { marginPx: 3, regions: [{ kind: 'rect', mode: 'ignore', x: 0.5, y: 0, width: 0.9, height: 0.2 }] } };
    expect(rejection(pack(badRegions, tensors))).toMatch(/regions.*regions\[0\] reaches past the image/);
    const cellImages = (manifest.imageCalibration as { cellImages: object[] }).cellImages;
    const fewer = { ...manifest, imageCalibration: { ...(manifest.imageCalibration as object), cellImages: cellImages.slice(0, 1) } };
    expect(rejection(pack(fewer, tensors))).toMatch(/cellImages has 1 items, but there are 3 held-out images/);
    const resized = { ...manifest, imageCalibration: { ...(manifest.imageCalibration as object), cellImages: [{ ...cellImages[0], height: 32 }, ...cellImages.slice(1)] } };
    expect(rejection(pack(resized, tensors))).toMatch(/imageCalibration\.cells\.0/);
    const withPool = (pool: unknown) => ({ ...manifest, imageCalibration: { ...(manifest.imageCalibration as object), cellImages: [{ ...cellImages[0], pool }, ...cellImages.slice(1)] } });
    expect(rejection(pack(withPool({ ...POOL, sigma: -1 }), tensors))).toMatch(/imageCalibration\.cellImages\[0\]\.pool\.sigma is -1, not a pooling width in cells/);
    expect(rejection(pack(withPool({ ...POOL, scale: 0 }), tensors))).toMatch(/cellImages\[0\]\.pool maps the pooled severity by 0 and -1\.5, not a positive scale/);
    expect(rejection(pack(withPool(4.5), tensors))).toMatch(/cellImages\[0\]\.pool is not a JSON object/);
    const wide = { ...manifest, settings: { ...(manifest.settings as object), areaPatches: 9 } };
    expect(rejection(pack(wide, tensors))).toMatch(/settings\.areaPatches is 9, not 0 to 8 patches/);
  });

  it('reads cell grids from before pooling as judged by their worst cell: no pooling width', () => {
    const { manifest, tensors } = unpack(writeBundle(fixture(2, true)));
    const cellImages = (manifest.imageCalibration as { cellImages: Record<string, unknown>[] }).cellImages.map(({ pool, ...size }) => (expect(pool).toEqual(POOL), size));
    const old = readBundle(pack({ ...manifest, imageCalibration: { ...(manifest.imageCalibration as object), cellImages } }, tensors)).model;
    expect(old.imageCalibration?.cells?.map((cells) => cells.pool)).toEqual([undefined, undefined, undefined]);
  });

  it('names a model by its content: the same for the same model, another when a number changes', () => {
    const model = fixture(2, true);
    const digest = sha256Hex(modelContent(model));
    expect(sha256Hex(modelContent(fixture(2, true)))).toBe(digest);
    const tau = model.condensations[0].tau.slice();
    tau[0] += 1e-3;
    const changed = { ...model, condensations: [{ ...model.condensations[0], tau }, ...model.condensations.slice(1)] };
    expect(sha256Hex(modelContent(changed))).not.toBe(digest);
  });

  it("refuses to write a backbone that is not the model's", () => {
    const { onnx } = withBackbone(fixture(1, false));
    expect(() => writeBundle(fixture(1, false), { backboneOnnx: onnx })).toThrow(/not the model's backbone/);
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
      [edit((m) => ((m.summary as { patchesSeenPerClass: number[] }).patchesSeenPerClass[0] = 99)), /patchesSeenPerClass\[0\] is 99, fewer than the 100 patches used/],
      [edit((m) => ((m.imageCalibration as { heldOut: string[][] }).heldOut[1].push('one more.png'))), /imageCalibration\.severities.*expected \[4\]/],
      [edit((m) => ((m.imageCalibration as { heldOut: unknown[] }).heldOut[0] = 'good')), /heldOut\[0\] is not a list/],
      [edit((m) => ((m.capability as { kinds: string[] }).kinds[1] = 'dent')), /capability\.kinds\[1\] is "dent"/],
      [edit((m) => (m.capability as { severities: number[] }).severities.pop()), /capability\.severities has 7 items, but there are 8 plants/],
      [edit((m) => ((m.capability as { plantScores: number[] }).plantScores[3] = 1.5)), /capability\.plantScores\[3\] is 1\.5/],
    ];
    const messages = cases.map(([bytes, pattern]) => {
      const message = rejection(bytes);
      expect(message).toMatch(pattern);
      return message;
    });
    expect(new Set(messages).size).toBe(messages.length);

    const carried = withBackbone(fixture(2, true));
    const full = unpack(writeBundle(carried.model, { metrics: metrics(), backboneOnnx: carried.onnx }));
    const editFull = (change: (m: Manifest) => void, onnx: Uint8Array | null = full.onnx ?? null) => {
      const m = structuredClone(full.manifest);
      change(m);
      return pack(m, full.tensors, onnx ?? undefined);
    };
    const metricsOf = (m: Manifest) => m.metrics as Record<string, Record<string, unknown>>;
    const damaged = (full.onnx as Uint8Array).slice();
    damaged[100] ^= 0xff;
    const extraCases: [Uint8Array, RegExp][] = [
      [editFull(() => {}, null), /backbone is included, but the zip has no backbone\.onnx/],
      [editFull((m) => (m.backboneIncluded = false)), /holds backbone\.onnx, but the manifest says/],
      [editFull((m) => (m.backboneIncluded = 'yes')), /backboneIncluded is "yes"/],
      [editFull((m) => (m.project = 7)), /the manifest\.project is 7, not a string/],
      [editFull(() => {}, damaged), /backbone\.onnx has SHA-256 [0-9a-f]{12}…, but the model's backbone is/],
      [editFull((m) => (metricsOf(m).overall.ap = 1.5)), /metrics\.overall\.ap is 1\.5, not a fraction/],
      [editFull((m) => (metricsOf(m).overall.defectImages = 19)), /defectImages is 19, more than its 18 images/],
      [editFull((m) => (metricsOf(m).roc.y as number[]).pop()), /metrics\.roc has 4 fpr values but 3 y values/],
      [editFull((m) => (metricsOf(m).pro.fpr as unknown[])[1] = 'x'), /metrics\.pro\.fpr\[1\] is "x"/],
      [editFull((m) => (metricsOf(m).roc.fpr = Array.from({ length: 100_001 }, () => 0))), /100001 points, over the limit/],
      [editFull((m) => (metricsOf(m).perDefect = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`d${i}`, {}])))), /1001 defect types/],
      [editFull((m) => (metricsOf(m).evaluatedAt = 'yesterday' as never)), /evaluatedAt "yesterday" is not an ISO 8601 date/],
    ];
    for (const [bytes, pattern] of extraCases) expect(rejection(bytes)).toMatch(pattern);

    const nonMonotone = new Map(tensors);
    nonMonotone.set('calibration.table.0.rate', { dtype: 'F64', shape: [5], data: Float64Array.from([0, 0.5, 0.4, 0.9, 1]) });
    expect(rejection(pack(manifest, nonMonotone))).toMatch(/rate decreases at knot 2/);
    const notFlag = new Map(tensors);
    notFlag.set('class.1.valid', { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 0]) });
    expect(rejection(pack(manifest, notFlag))).toMatch(/other than 0 or 1/);
  });

  it('checks size limits from the zip directory', () => {
    const good = writeBundle(fixture(2, true));
    const huge = { ...unpack(good).manifest, padding: ' '.repeat(16 * 1024 ** 2) };
    expect(() => readBundle(pack(huge, unpack(good).tensors))).toThrow(/manifest\.json is \d+ bytes, over the limit of 16777216/);
    expect(() => readBundle(good, { maxCompressedBytes: 100 })).toThrow(/compressed, over the limit of 100/);
    expect(() => readBundle(good, { maxUncompressedBytes: 100 })).toThrow(/uncompressed, over the limit of 100/);
  });

  it('rejects 1,000 seeded mutations of a bundle with metrics and backbone with BundleErrors only', () => {
    const carried = withBackbone(fixture(2, true));
    const operatingPoint = { alpha: 0.032, byCatch: { rate: 0.9, threshold: 4.25 } };
    const good = writeBundle(carried.model, { metrics: metrics(), backboneOnnx: carried.onnx, projectName: 'caps', operatingPoint });
    const original: BundleContents = { model: carried.model, metrics: metrics(), projectName: 'caps', backboneOnnx: carried.onnx, operatingPoint };
    const unpacked = unpack(good);
    const rng = createRng(2026);
    const messages = new Set<string>();
    const counts = { rejected: 0, acceptedIdentical: 0 };
    const started = performance.now();
    let done = 0;
    for (let i = 0; i < 1000; i++) {
      const kind = i % 8;
      const bytes = mutate(kind, rng, good, unpacked);
      try {
        const contents = readBundle(bytes);
        // Only a flip in a byte the reader never uses (say a local header's timestamp) may pass.
        expect(kind === 1 && isDeepStrictEqual(contents, original), `mutation ${i} (kind ${kind}) was accepted as a different bundle`).toBe(true);
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

function mutate(kind: number, rng: Rng, good: Uint8Array, { manifest, tensors, onnx }: Unpacked): Uint8Array {
  const m = structuredClone(manifest);
  const all = paths(m);
  const repack = (changed: Manifest, changedTensors: ReadonlyMap<string, SafeTensor> = tensors, changedOnnx = onnx) => pack(changed, changedTensors, changedOnnx);
  switch (kind) {
    case 0:
      return good.slice(0, rng.int(good.length));
    case 1: {
      const bytes = good.slice();
      bytes[rng.int(bytes.length)] ^= 1 + rng.int(255);
      return bytes;
    }
    case 2: {
      // Every object key of the manifest is required (array items are not all: `skipped` may
      // shrink; nor are the defect types: an evaluation may have fewer; nor are the test images'
      // severities, which evaluations from before them lack; nor the project's name, which older bundles lack;
      // nor the patches seen, which only a model trained over the memory bound has; nor the
      // capability check or the operating point as a whole, which bundles from before them lack).
      // Nor the regions of interest, whose keys all have defaults; nor the metrics as a whole, which bundles from before them lack;
      // nor a held-out image's pooling, nor the settings' neighbourhood width, which bundles from before them lack.
      const optional = (p: (string | number)[]) =>
        p[0] === 'project' || p[0] === 'regions' || p[p.length - 1] === 'pool' || p[p.length - 1] === 'areaPatches' || p[1] === 'patchesSeenPerClass' || (p.length === 1 && (p[0] === 'capability' || p[0] === 'operatingPoint' || p[0] === 'metrics'));
      const keys = all.filter((p) => typeof p[p.length - 1] === 'string' && !(p.length === 3 && p[1] === 'perDefect') && !(p.length === 2 && p[1] === 'testImages') && !optional(p));
      const path = keys[rng.int(keys.length)];
      delete parentOf(m, path)[path[path.length - 1]];
      return repack(m, tensors);
    }
    case 3: {
      const path = all[rng.int(all.length)];
      const parent = parentOf(m, path);
      const key = path[path.length - 1];
      const value = parent[key];
      parent[key] = typeof value === 'string' ? 7 : typeof value === 'number' ? String(value) : Array.isArray(value) ? {} : [];
      return repack(m, tensors);
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
      return repack(m, changed);
    }
    case 5: {
      // The backbone loses, gains or changes a byte, inside a zip whose own checks all pass.
      const bytes = (onnx as Uint8Array).slice();
      const at = rng.int(bytes.length);
      const choice = rng.int(3);
      const changedOnnx = choice === 0 ? bytes.subarray(0, at) : choice === 1 ? Uint8Array.of(...bytes, rng.int(256)) : bytes.map((b, i) => (i === at ? b ^ (1 + rng.int(255)) : b));
      return repack(m, tensors, changedOnnx);
    }
    case 6: {
      // One figure of the evaluation leaves [0, 1], or one curve point goes missing (a severity may be any finite number).
      const numbers = all.filter((p) => p[0] === 'metrics' && p[1] !== 'testImages' && typeof parentOf(m, p)[p[p.length - 1]] === 'number' && p[p.length - 2] !== 'fpr' && p[p.length - 2] !== 'y');
      if (rng.int(2) === 0) {
        const curve = (m.metrics as Record<string, { fpr: number[]; y: number[] }>)[rng.int(2) === 0 ? 'roc' : 'pro'];
        (rng.int(2) === 0 ? curve.fpr : curve.y).pop();
      } else {
        const path = numbers[rng.int(numbers.length)];
        parentOf(m, path)[path[path.length - 1]] = [-0.5, 1.5, 2.5, -1][rng.int(4)];
      }
      return repack(m);
    }
    default: {
      const names = [...tensors.keys()].filter((n) => tensors.get(n)?.dtype !== 'U8');
      const name = names[rng.int(names.length)];
      const t = tensors.get(name) as SafeTensor<'F32' | 'F64'>;
      const data = t.data.slice();
      data[rng.int(data.length)] = [NaN, Infinity, -Infinity][rng.int(3)];
      return repack(m, new Map(tensors).set(name, { ...t, data } as SafeTensor));
    }
  }
}
