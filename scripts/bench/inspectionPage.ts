/**
 * The browser half of the inspection benchmark (bench/inspection.html), through the app's own
 * engine worker: a model trained on synthetic fabric at the app's default input size, then per
 * execution path one streamed inspection of square test images (images/s and Mpixel/s) at the
 * model's input size, and one of images twice as large at their own size (native), the
 * evaluation's cost per image on the maps that came back, the training's feature memory, and a
 * soak: many images in one run (a model at 224 px input, so it takes minutes) with the page's
 * and the workers' JS memory sampled every 100 images. The query string sets `images` (per
 * path), `soak` (images), `side` (test image px; the native run's are twice as large) and
 * `paths` (e.g. `wasm`: a software GPU takes minutes on the webgpu path).
 */
import { BUILTIN_MODEL_PATH } from '../../src/backbone/presets';
import { createEvaluation } from '../../src/core/metrics/evaluation';
import { readDefectMaskPng } from '../../src/core/formats/maskPng';
import { DEMO_TEXTURE, maskPng, rgbPng } from '../../src/demo/demoDataset';
import { addDefect, synthesizeTexture } from '../../src/demo/syntheticDefects';
import type { Inspection, PixoodModel, Resolution, StoredModel } from '../../src/engine/api';
import { startEngine, type EngineClient } from '../../src/engine/client';
import { patchesPerClassBound } from '../../src/pipeline/patchFeatures';
import { DEFAULT_SETTINGS } from '../../src/state/settings';
import type { InspectionBenchReport, InspectionThroughput, MemorySample } from './inspectionResult';
import { heaps, spread } from './memory';

const TRAIN_IMAGES = 12;
/** Distinct test images; longer runs cycle through them (decoding and scoring do not cache). */
const DISTINCT_TESTS = 8;
const SOAK_EVERY = 100;
const SOAK_INPUT = 224;

const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
  console.log(line);
};

const params = new URLSearchParams(location.search);
const count = (name: string, fallback: number) => Number(params.get(name) ?? fallback);

function testSet(side: number) {
  return Array.from({ length: DISTINCT_TESTS }, (_, i) => {
    const image = synthesizeTexture(DEMO_TEXTURE, 91_000 + i, side, side);
    const shown = i % 2 === 0 ? image : addDefect(image, 'spot', 92_000 + i);
    return { blob: rgbPng(shown), mask: maskPng(shown) };
  });
}

async function train(engine: EngineClient, backbone: StoredModel, side: number, longestSide: number): Promise<PixoodModel> {
  const images = Array.from({ length: TRAIN_IMAGES }, (_, i) => ({ name: `good_${i}.png`, blob: rgbPng(synthesizeTexture(DEMO_TEXTURE, 90_000 + i, side, side)), classId: 0 }));
  log(`training on ${images.length} images of ${side} px at ${longestSide} px`);
  return engine.train({ classes: ['fabric'], images, backboneId: backbone.id, settings: { ...DEFAULT_SETTINGS, longestSide, condensationEpochs: 5 } }).result;
}

async function throughput(engine: EngineClient, model: PixoodModel, backbone: StoredModel, path: 'webgpu' | 'wasm', blobs: readonly Blob[], side: number, resolution: Resolution): Promise<{ timing: InspectionThroughput; inspections: Inspection[] }> {
  const base = { path, resolution, longestSide: model.settings.longestSide, imageSide: side, images: blobs.length };
  try {
    await engine.setPathPreference(backbone.id, path);
    const opened = await engine.useBackbone(backbone.id).result;
    if (opened.path !== path) throw new Error(`the backbone opened on ${opened.path}`);
    const inspections: Inspection[] = [];
    const started = performance.now();
    await engine.inspect(model, blobs, { truth: null, resolution }, (index, inspection) => void (inspections[index] = inspection)).result;
    const seconds = (performance.now() - started) / 1000;
    const timing = { ...base, seconds, imagesPerSecond: blobs.length / seconds, megapixelsPerSecond: (blobs.length * side * side) / seconds / 1e6 };
    log(`${path}, ${resolution === 'native' ? `native ${side}` : `${model.settings.longestSide}`} px: ${timing.imagesPerSecond.toFixed(2)} images/s, ${timing.megapixelsPerSecond.toFixed(2)} Mpixel/s`);
    return { timing, inspections };
  } catch (error) {
    return { timing: { ...base, seconds: NaN, imagesPerSecond: NaN, megapixelsPerSecond: NaN, error: error instanceof Error ? error.message : String(error) }, inspections: [] };
  }
}

async function evaluationCost(inspections: readonly Inspection[], masks: readonly Blob[]): Promise<InspectionBenchReport['evaluation']> {
  const truths = await Promise.all(masks.map(async (m) => readDefectMaskPng(new Uint8Array(await m.arrayBuffer()))));
  const evaluation = createEvaluation();
  const started = performance.now();
  inspections.forEach((inspection, i) => evaluation.add(inspection.score, inspection.severity, truths[i % truths.length], i % 2 === 0 ? 'good' : 'spot'));
  evaluation.result();
  const msPerImage = (performance.now() - started) / inspections.length;
  log(`evaluation: ${msPerImage.toFixed(2)} ms per image`);
  return { images: inspections.length, mapSide: inspections[0]?.score.dims[0] ?? 0, msPerImage };
}

async function soak(engine: EngineClient, model: PixoodModel, blobs: readonly Blob[], images: number): Promise<InspectionBenchReport['soak']> {
  const samples: MemorySample[] = [];
  const sample = async (done: number) => {
    const { page, workers } = await heaps();
    samples.push({ images: done, pageHeapBytes: page, workerHeapBytes: workers });
    log(`soak: ${done} images, page heap ${samples.at(-1)?.pageHeapBytes}, worker heap ${samples.at(-1)?.workerHeapBytes}`);
  };
  const stream = Array.from({ length: images }, (_, i) => blobs[i % blobs.length]);
  const path = (await engine.useBackbone(model.backbone.id).result).path;
  const started = performance.now();
  let sampling: Promise<void> = Promise.resolve();
  await engine.inspect(model, stream, { truth: null, resolution: 'model' }, (index) => {
    // The result is dropped here, as a page that keeps only a summary would.
    if ((index + 1) % SOAK_EVERY === 0) sampling = sampling.then(() => sample(index + 1));
  }).result;
  await sampling;
  const seconds = (performance.now() - started) / 1000;
  const later = samples.slice(1);
  return { images, path, longestSide: model.settings.longestSide, seconds, samples, pageHeapSpread: spread(later.map((s) => s.pageHeapBytes)), workerHeapSpread: spread(later.map((s) => s.workerHeapBytes)) };
}

async function main(): Promise<InspectionBenchReport> {
  const side = count('side', 448);
  const engine = startEngine();
  const info = await engine.info();
  const backbone = await engine.addModelFromUrl('built-in', { kind: 'url', url: `/${BUILTIN_MODEL_PATH}` }).result;
  await engine.setPathPreference(backbone.id, 'wasm');
  await engine.useBackbone(backbone.id).result;
  const model = await train(engine, backbone, side, DEFAULT_SETTINGS.longestSide);
  const patches = model.summary.patchesPerClass.reduce((a, b) => a + b, 0);
  const trainedImages = TRAIN_IMAGES - (model.imageCalibration?.heldOut.flat().length ?? 0);
  const patchesPerImage = patches / trainedImages;
  const trainingMemory = { longestSide: model.settings.longestSide, patchesPerImage, featureDim: model.backbone.dim, bytesPer1000Images: 1000 * patchesPerImage * model.backbone.dim * 4, boundPatches: patchesPerClassBound(1, model.backbone.dim) };

  const tests = testSet(side);
  const large = testSet(2 * side);
  const perPath = count('images', 24);
  const throughputs: InspectionThroughput[] = [];
  let evaluation: InspectionBenchReport['evaluation'] | null = null;
  // A software GPU (SwiftShader) takes seconds per image: a couple of images say enough.
  const wanted = params.get('paths')?.split(',') ?? ['wasm', 'webgpu'];
  const paths = (info.gpu ? (['wasm', 'webgpu'] as const) : (['wasm'] as const)).filter((path) => wanted.includes(path));
  for (const path of paths) {
    const n = path === 'webgpu' && info.gpu?.isFallbackAdapter ? Math.min(2, perPath) : perPath;
    const blobs = Array.from({ length: n }, (_, i) => tests[i % tests.length].blob);
    const { timing, inspections } = await throughput(engine, model, backbone, path, blobs, side, 'model');
    throughputs.push(timing);
    if (path === 'wasm' && inspections.length > 0) evaluation = await evaluationCost(inspections, tests.map((t) => t.mask));
    const largeBlobs = Array.from({ length: n }, (_, i) => large[i % large.length].blob);
    throughputs.push((await throughput(engine, model, backbone, path, largeBlobs, 2 * side, 'native')).timing);
  }
  await engine.setPathPreference(backbone.id, 'wasm');
  await engine.useBackbone(backbone.id).result;
  // Memory, not speed: a model at the smallest input size scores the soak's images 4× sooner.
  const soakModel = await train(engine, backbone, side, SOAK_INPUT);
  const soakRun = await soak(engine, soakModel, tests.map((t) => t.blob), count('soak', 1000));
  engine.terminate();
  return {
    adapter: info.gpu,
    wasmThreads: info.wasmThreads,
    throughput: throughputs,
    evaluation: evaluation ?? { images: 0, mapSide: 0, msPerImage: NaN },
    trainingMemory,
    soak: soakRun,
  };
}

main().then(
  (report) => (window.inspectionBench = report),
  (error: unknown) => (window.inspectionBench = { error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
);
