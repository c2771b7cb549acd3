/**
 * Bad files through the real intake (the projects store, the browser's own decoder, IndexedDB)
 * and through the engine worker: each is refused with its own reason, naming the file, and
 * what was stored before is still there, unchanged. The good files next to them go in.
 */
import { deleteDB } from 'idb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { concatBytes, PNG_SIGNATURE, pngHeader, rawPng } from '../fixtures/rawPng';
import { encodePng, pngChunk } from '../src/core/formats/png';
import { synthesizeTexture } from '../src/demo/syntheticDefects';
import type { StoredModel } from '../src/engine/api';
import { startEngine, type EngineClient } from '../src/engine/client';
import { EngineError } from '../src/engine/errors';
import type { TrainingImage } from '../src/core/model/requests';
import type { IncomingFile } from '../src/state/intake/incoming';
import { addClassFolders, addClassImages, addLabelledImages, addMvtecFolder, addClass, createProject, openProject, useProjects } from '../src/state/projectsStore';
import { projects } from '../src/state/services';
import { PROJECT_DB_NAME } from '../src/storage/projectDb';
import { inspectAll } from './helpers/inspectAll';

const SIZE = 56;

/* ---------- files, made here byte by byte ---------- */

const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

function texture(seed: number, width = SIZE, height = SIZE): Uint8Array {
  const { rgb } = synthesizeTexture('weave', seed, width, height);
  const plane = width * height;
  const rgba = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(255 * rgb[c * plane + i]);
    rgba[4 * i + 3] = 255;
  }
  return encodePng(rgba, width, height);
}

/** The browser's own JPEG encoder, so the file is a real one. */
async function jpeg(seed: number): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([texture(seed) as BlobPart]));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  bitmap.close();
  return bytesOf(await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 }));
}

/** A grey mask (colour type 0) at 8 or 16 bits, or a palette one (3) with a grey ramp of `palette` colours. */
async function maskPng(values: readonly number[], width: number, { bitDepth = 8, palette = 0 }: { bitDepth?: 8 | 16; palette?: number } = {}): Promise<Uint8Array> {
  const ramp = palette ? Array.from({ length: palette * 3 }, (_, i) => Math.floor(i / 3) * 40) : undefined;
  return rawPng({ width, height: values.length / width, colourType: palette ? 3 : 0, bitDepth, samples: values, palette: ramp });
}

/** A header, a little image data and an end: a complete file whose header claims 30000×30000. */
function hugePng(): Uint8Array {
  const header = pngHeader(30000, 30000, 8, 2);
  return concatBytes([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', Uint8Array.of(0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01)), pngChunk('IEND', new Uint8Array(0))]);
}

/** Two 1×1 frames that loop forever (the NETSCAPE2.0 extension): a real, decodable animation. */
function animatedGif(): Uint8Array {
  const text = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const frame = [0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00];
  return Uint8Array.from([
    ...text('GIF89a'),
    1, 0, 1, 0, 0x80, 0, 0,
    ...[0, 0, 0, 255, 255, 255],
    ...[0x21, 0xff, 0x0b, ...text('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00],
    ...frame,
    ...frame,
    0x3b,
  ]);
}

const encoder = new TextEncoder();
const incoming = (path: string, bytes: Uint8Array): IncomingFile => ({ path, file: new File([bytes as BlobPart], path.slice(path.lastIndexOf('/') + 1)) });
const cut = (bytes: Uint8Array) => bytes.slice(0, bytes.length >> 1);

interface BadFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** The reason the person reads, whole or its start. */
  readonly reason: string | RegExp;
}

async function badImages(folder: string): Promise<BadFile[]> {
  const fullJpeg = await jpeg(7);
  return [
    { path: `${folder}/hole_3.png`, bytes: new Uint8Array(0), reason: 'The file is empty (0 bytes): it may not have finished copying or downloading.' },
    { path: `${folder}/cut.png`, bytes: cut(texture(8)), reason: /^The file ends after \d+ bytes, before the end of its PNG data: it is cut short/ },
    { path: `${folder}/cut.jpg`, bytes: cut(fullJpeg), reason: /^The file ends after \d+ bytes, before the end of its JPEG data: it is cut short/ },
    { path: `${folder}/notes.png`, bytes: encoder.encode('Shift B, line 3: all good.\n'), reason: 'This is not an image: it looks like a text file. Use PNG, JPEG, WebP, BMP or a still GIF.' },
    {
      path: `${folder}/huge.png`,
      bytes: hugePng(),
      reason: 'The header says 30000×30000 pixels (900.0 megapixels); the limit is 67.1 megapixels (8192×8192 or the same area), so it was not decoded: scale it down first.',
    },
    { path: `${folder}/logo.svg`, bytes: encoder.encode('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'), reason: /^SVG drawings are not accepted/ },
    { path: `${folder}/spin.gif`, bytes: animatedGif(), reason: /^This is an animated GIF\. Animations are refused rather than cut to their first frame/ },
  ];
}

/* ---------- the store, read straight from IndexedDB ---------- */

async function stored(projectId: string) {
  const store = await projects();
  const [project, images] = await Promise.all([store.getProject(projectId), store.listImages(projectId)]);
  return { project, images: images.map((i) => i.name).sort() };
}

function expectRejected(bad: readonly BadFile[]): void {
  const rejected = useProjects.getState().rejected;
  expect(rejected.map((r) => r.path).sort(), 'every bad file named once').toEqual(bad.map((b) => b.path).sort());
  for (const { path, reason } of bad) {
    const got = rejected.find((r) => r.path === path)!.reason;
    if (typeof reason === 'string') expect(got, path).toBe(reason);
    else expect(got, path).toMatch(reason);
  }
}

beforeAll(async () => {
  await deleteDB(PROJECT_DB_NAME);
});

// The store's connection closes itself when the database is deleted under it.
afterAll(() => deleteDB(PROJECT_DB_NAME));

describe('the intake, with the browser decoding', () => {
  let projectId: string;

  beforeAll(async () => {
    projectId = (await createProject('Bad inputs', { id: 'f'.repeat(64), name: 'built-in' })).id;
    expect(await openProject(projectId)).toBe(true);
  });

  test('each bad image is refused with its own reason; the good ones are stored', async () => {
    const key = await addClass('fabric');
    const bad = await badImages('drop');
    const good = [incoming('drop/good_1.png', texture(1)), incoming('drop/good_2.jpg', await jpeg(2))];
    await addClassImages(key, [...good, ...bad.map((b) => incoming(b.path, b.bytes))]);
    expectRejected(bad);
    expect(useProjects.getState().error).toBeNull();
    expect((await stored(projectId)).images).toEqual(['drop/good_1.png', 'drop/good_2.jpg']);
  });

  test('a folder of nothing but bad files changes nothing: no class, no image', async () => {
    const before = await stored(projectId);
    const bad = await badImages('scraps');
    await addClassFolders(bad.map((b) => incoming(b.path, b.bytes)));
    expectRejected(bad);
    expect(await stored(projectId)).toEqual(before);
    expect(useProjects.getState().current?.project.classes.map((c) => c.name)).toEqual(['fabric']);
  });

  test('label masks: 16-bit and palette ones read by value; a mask of another size, in colour or with too many values is refused', async () => {
    const before = await stored(projectId);
    const side = SIZE;
    const half = (a: number, b: number) => Array.from({ length: side * side }, (_, i) => (i < (side * side) / 2 ? a : b));
    const files = [
      incoming('set/images/deep.png', texture(20)),
      incoming('set/masks/deep.png', await maskPng(half(0, 1000), side, { bitDepth: 16 })),
      incoming('set/images/indexed.png', texture(21)),
      incoming('set/masks/indexed.png', await maskPng(half(2, 3), side, { palette: 4 })),
      incoming('set/images/small.png', texture(22)),
      incoming('set/masks/small.png', await maskPng(new Array(28 * 28).fill(1), 28)),
      incoming('set/images/colour.png', texture(23)),
      incoming('set/masks/colour.png', texture(24)),
      incoming('set/images/depth.png', texture(25)),
      incoming('set/masks/depth.png', await maskPng(Array.from({ length: side * side }, (_, i) => i * 20), side, { bitDepth: 16 })),
    ];
    await addLabelledImages(files);
    const rejected = Object.fromEntries(useProjects.getState().rejected.map((r) => [r.path, r.reason]));
    expect(Object.keys(rejected).sort()).toEqual(['set/images/colour.png', 'set/images/depth.png', 'set/images/small.png']);
    expect(rejected['set/images/small.png']).toBe(`Its mask set/masks/small.png is 28×28 pixels, the image ${side}×${side}: they must be the same size.`);
    expect(rejected['set/images/colour.png']).toBe('Its mask set/masks/colour.png: This label mask is in colour (RGB): save it as a grey or palette (indexed) PNG whose values are the class numbers.');
    expect(rejected['set/images/depth.png']).toMatch(/^Its mask set\/masks\/depth\.png: This 16-bit grey label mask has 3136 different values \(0, 20, 40, .*\); a label mask holds class numbers, at most 256 of them/);
    const after = await stored(projectId);
    expect(after.images).toEqual([...before.images, 'set/images/deep.png', 'set/images/indexed.png'].sort());
    // The values of the accepted masks only, each a row of the class table: palette indices and 16-bit values alike.
    const table = after.project!.maskClasses.map((m) => [m.value, after.project!.classes.find((c) => c.key === m.classKey)?.name]);
    expect(table).toEqual([
      [0, 'class 0'],
      [2, 'class 2'],
      [3, 'class 3'],
      [1000, 'class 1000'],
    ]);
  });

  test('test images with ground-truth masks: a bad or mis-sized mask refuses its image, naming the mask', async () => {
    const before = await stored(projectId);
    const defect = Array.from({ length: SIZE * SIZE }, (_, i) => (i % SIZE < 8 ? 255 : 0));
    const files = [
      incoming('caps/train/good/000.png', texture(30)),
      incoming('caps/test/good/000.png', texture(31)),
      incoming('caps/test/hole/000.png', texture(32)),
      incoming('caps/ground_truth/hole/000_mask.png', await maskPng(defect, SIZE)),
      incoming('caps/test/hole/001.png', texture(33)),
      incoming('caps/ground_truth/hole/001_mask.png', await maskPng(new Array(20 * 10).fill(255), 20)),
      incoming('caps/test/hole/002.png', texture(34)),
      incoming('caps/ground_truth/hole/002_mask.png', new Uint8Array(0)),
      incoming('caps/test/hole/003.png', cut(texture(35))),
      incoming('caps/ground_truth/hole/003_mask.png', await maskPng(defect, SIZE)),
    ];
    await addMvtecFolder(files);
    const rejected = Object.fromEntries(useProjects.getState().rejected.map((r) => [r.path, r.reason]));
    expect(rejected).toEqual({
      'caps/test/hole/001.png': `Its mask caps/ground_truth/hole/001_mask.png is 20×10 pixels, the image ${SIZE}×${SIZE}: they must be the same size.`,
      'caps/test/hole/002.png': 'Its mask caps/ground_truth/hole/002_mask.png: The file is empty (0 bytes): it may not have finished copying or downloading.',
      'caps/test/hole/003.png': expect.stringMatching(/^The file ends after \d+ bytes, before the end of its PNG data/),
    });
    const after = await stored(projectId);
    expect(after.images).toEqual([...before.images, 'caps/test/good/000.png', 'caps/test/hole/000.png', 'caps/train/good/000.png'].sort());
    const store = await projects();
    const caps = (await store.getProject(projectId))?.classes.find((c) => c.name === 'caps');
    expect(caps, 'the class named after the folder').toBeDefined();
    const train = (await store.listImages(projectId)).find((i) => i.name === 'caps/train/good/000.png');
    expect(train?.classKey, 'the training image belongs to that class').toBe(caps?.key);
  });
});

describe('the engine worker, given damaged files', () => {
  let engine: EngineClient;
  let backbone: StoredModel;

  beforeAll(async () => {
    engine = startEngine();
    backbone = await engine.addModelFromUrl('built-in', { kind: 'url', url: '/models/builtin-backbone.onnx' }).result;
    await engine.setPathPreference(backbone.id, 'wasm');
  }, 120_000);

  afterAll(() => engine.terminate());

  const blob = (bytes: Uint8Array) => new Blob([bytes as BlobPart]);

  test('training leaves each damaged image out by name with its reason; inspection stops at a damaged image, naming it', async () => {
    const good: TrainingImage[] = [1, 2, 3].map((seed) => ({ name: `good_${seed}.png`, blob: blob(texture(100 + seed)), classId: 0 }));
    const bad = await badImages('stored');
    const damaged: TrainingImage[] = bad.map((b) => ({ name: b.path, blob: blob(b.bytes), classId: 0 }));
    const labelled: TrainingImage[] = [
      { name: 'stored/mask-size.png', blob: blob(texture(110)), classId: -1, mask: blob(await maskPng(new Array(28 * 28).fill(0), 28)) },
      { name: 'stored/mask-empty.png', blob: blob(texture(111)), classId: -1, mask: new Blob([]) },
    ];
    const settings = { longestSide: SIZE, upsample: 1, etalons: 4, condensationEpochs: 2, classifierEpochs: 0, seed: 1 };
    const model = await engine.train({ classes: ['fabric'], images: [...good, ...damaged, ...labelled], backboneId: backbone.id, settings, maskClasses: { 0: 0 } }).result;
    const skipped = Object.fromEntries(model.summary.skipped.map((s) => [s.name, s.reason]));
    expect(Object.keys(skipped)).toEqual([...bad.map((b) => b.path), 'stored/mask-size.png', 'stored/mask-empty.png']);
    for (const { path, reason } of bad) {
      if (typeof reason === 'string') expect(skipped[path], path).toBe(reason);
      else expect(skipped[path], path).toMatch(reason);
    }
    expect(skipped['stored/mask-size.png']).toBe(`Its label mask is 28×28 pixels, the image ${SIZE}×${SIZE}: they must be the same size.`);
    expect(skipped['stored/mask-empty.png']).toBe('Its label mask cannot be used: The file is empty (0 bytes): it may not have finished copying or downloading.');

    const error = await inspectAll(engine, model, [blob(texture(200)), blob(cut(await jpeg(201)))]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('bad-image');
    expect((error as EngineError).message).toMatch(/^Image 2 of 2: The file ends after \d+ bytes, before the end of its JPEG data: it is cut short/);
  });
});
