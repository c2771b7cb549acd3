/**
 * The engine worker: the one thread that owns the GPUDevice, the ONNX Runtime sessions and the
 * model storage. Buffers cannot cross devices or threads, so the backbone's GPU output and the
 * kernels that read it must live here together. The main thread talks to it through
 * src/engine/client.ts.
 */
import * as Comlink from 'comlink';
import type { Backbone } from '../src/backbone/backbone';
import { ModelError } from '../src/backbone/errors';
import { openBackbone, readPathChoice, setPathPreference } from '../src/backbone/executionPath';
import { modelLibrary, type AddProgress, type ModelLibrary, type StoredModel } from '../src/backbone/library';
import { wasmThreads } from '../src/backbone/ort';
import type { RgbaImage } from '../src/backbone/preprocess';
import { allPresets } from '../src/backbone/presets';
import { checkpoint } from '../src/core/checkpoint';
import { expectedImages } from '../src/core/metrics/evaluation';
import type { Tensor3 } from '../src/core/tensor';
import { severityWithin } from '../src/core/roi/judgeWithin';
import { isWholeImage, type RegionSpec } from '../src/core/roi/regionSpec';
import type { ActiveBackbone, EngineApi, ImageWorkerApi, EvaluatedMap, EvaluationWorkerApi, EngineNotice, FeatureOptions, ImageTruth, Inspection, InspectionOptions, InspectionProgress, InspectionSummary, NoticeCallback, PixoodModel, TrainingProgress, TrainingRequest } from '../src/engine/api';
import { EngineError, installErrorTransfer } from '../src/engine/errors';
import { lostWithin, requestGpu, type GpuContext } from '../src/gpu/device';
import { cpuScorer } from '../src/pipeline/cpuScorer';
import { PipelineError } from '../src/pipeline/errors';
import { imageFeatures, type FeatureSource } from '../src/pipeline/extractFeatures';
import { gpuScorer } from '../src/pipeline/gpuScorer';
import { inspectImages, startCursor, type Evaluator, type InspectionRun } from '../src/pipeline/inspect';
import type { PreparedImage } from '../src/pipeline/preparedImage';
import type { FeaturePlan } from '../src/pipeline/scorer';
import { refreshFromGoodPart } from '../src/pipeline/refreshEtalons';
import { noStagesFinished, trainPixood } from '../src/pipeline/train';
import { cpuTrainingKernels, gpuTrainingKernels, type KernelPath } from '../src/pipeline/trainingKernels';
import { openModelDb, type ModelDb } from '../src/storage/modelDb';
import { modelStore } from '../src/storage/models';
import { preferences, type Preferences } from '../src/storage/preferences';
import { Jobs, releaseCallback, Serial, type Report } from './jobs';

installErrorTransfer();

interface Context {
  readonly gpu: GpuContext | null;
  readonly library: ModelLibrary;
  readonly prefs: Preferences;
}

let contextPromise: Promise<Context> | null = null;
/** Opened once: a lost GPU renews the context's GPU and library, not the connection they store through. */
let modelDb: Promise<ModelDb> | null = null;

/**
 * Set once the GPU device is lost (a driver reset, the GPU process gone, or debugLoseDevice):
 * from then on this worker runs everything on the CPU path, which gives the same results. It
 * does not ask for a new device: a GPU that was just lost may well be lost again, half-way
 * through the very work that is being redone. A new worker (a reload) tries the GPU again.
 */
let gpuLost = false;

/** How long a failure on the GPU path waits for the device's `lost` promise (lostWithin), ms. */
const LOSS_GRACE_MS = 1000;

const GPU_LOST_NOTICE: EngineNotice = { kind: 'gpu-lost', message: 'The GPU was reset; continuing on the CPU.' };

let noticeListener: NoticeCallback | null = null;

function notify(notice: EngineNotice): void {
  // The listener is a comlink proxy: a page that let it go must not take the engine down.
  void Promise.resolve(noticeListener?.(notice)).catch(() => undefined);
}

/** The GPU (none once it was lost) and storage, opened on first use. */
function context(): Promise<Context> {
  contextPromise ??= (async () => {
    modelDb ??= openModelDb();
    const [gpu, db] = await Promise.all([gpuLost ? null : requestGpu(), modelDb]);
    void gpu?.device.lost.then(() => {
      gpuLost = true;
      contextPromise = null;
      notify(GPU_LOST_NOTICE);
    });
    return { gpu, library: modelLibrary(modelStore<StoredModel>(db), gpu), prefs: preferences(db) };
  })();
  return contextPromise;
}

/**
 * True when a job that ran its kernels on the GPU failed with `error` because the device was
 * lost: it then goes on on the CPU path (the context no longer has a GPU) from the work it has
 * kept. The engine's own errors are about the input or the model, never the device: they are
 * not waited on.
 */
async function lostUnder(error: unknown, path: KernelPath, gpu: GpuContext | null, signal: AbortSignal): Promise<boolean> {
  if (error instanceof PipelineError || error instanceof ModelError || error instanceof EngineError) return false;
  return path === 'gpu' && gpu !== null && !signal.aborted && (await lostWithin(gpu.device, LOSS_GRACE_MS));
}

let active: { readonly backbone: Backbone; readonly model: StoredModel } | null = null;
/** Everything that opens, uses or releases `active`. */
const backboneWork = new Serial();

/** Forgets the active backbone if its session lived on the lost device; it must be opened again. */
async function dropLostBackbone(): Promise<void> {
  if (!gpuLost || active?.backbone.path !== 'webgpu') return;
  // Releasing a session whose device is gone may fail, and there is nothing left to free.
  await active.backbone.release().catch(() => undefined);
  active = null;
}
const jobs = new Jobs();

/** Any failure as an EngineError, with the cause's own words where it has them. */
function asEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof ModelError || error instanceof PipelineError) return new EngineError(error.code, error.message);
  if (error instanceof DOMException && error.name === 'AbortError') return new EngineError('cancelled', 'The job was cancelled.');
  return new EngineError('internal', error instanceof Error ? error.message : String(error));
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asEngineError(error);
  }
}

/** A model's download, check and store, as job progress. */
function addProgress(report: Report): (p: AddProgress) => void {
  return (p) => report(p.stage === 'download' ? { stage: 'download', done: p.loaded, total: p.total, unit: 'bytes' } : { stage: p.stage, done: 0, total: 1, unit: 'steps' });
}

async function useBackbone(modelId: string, signal: AbortSignal, report: Report): Promise<ActiveBackbone> {
  await checkpoint(signal);
  const { gpu, library, prefs } = await context();
  report({ stage: 'load', done: 0, total: 2, unit: 'steps' });
  const model = await library.get(modelId);
  if (!model) throw new ModelError('not-stored', `No model with id ${modelId.slice(0, 12)}… is stored in this browser. Add it first.`);
  const bytes = await library.bytes(modelId);
  await checkpoint(signal);
  report({ stage: 'load', done: 1, total: 2, unit: 'steps' });
  const opened = await openBackbone(bytes, model.contract, model.id, gpu, prefs, (done, total) => report({ stage: 'measure', done, total, unit: 'steps' }));
  if (signal.aborted) {
    await opened.backbone.release();
    signal.throwIfAborted();
  }
  await dropLostBackbone();
  await active?.backbone.release();
  active = { backbone: opened.backbone, model };
  report({ stage: 'load', done: 2, total: 2, unit: 'steps' });
  return { model, path: opened.backbone.path, choice: opened.choice, ...(opened.timings ? { timings: opened.timings } : {}) };
}

async function extractFeatures(images: readonly RgbaImage[], options: FeatureOptions, signal: AbortSignal, report: Report): Promise<Tensor3[]> {
  const { gpu } = await context();
  await dropLostBackbone();
  if (!active) throw new EngineError('no-backbone', 'Choose a backbone before extracting features.');
  const source: FeatureSource = { backbone: active.backbone, gpu };
  const grids: Tensor3[] = [];
  for (const [index, image] of images.entries()) {
    await checkpoint(signal);
    report({ stage: 'features', done: index, total: images.length, unit: 'images' });
    grids.push((await imageFeatures(source, image, options)).grid);
  }
  report({ stage: 'features', done: images.length, total: images.length, unit: 'images' });
  return grids;
}

/** The stored model `modelId` as the active backbone, opened (on its remembered path) unless it already is. */
async function backboneFor(modelId: string, signal: AbortSignal, report: Report = () => undefined): Promise<{ source: FeatureSource; model: StoredModel; path: KernelPath }> {
  await dropLostBackbone();
  if (active?.model.id !== modelId) await useBackbone(modelId, signal, report);
  const { gpu } = await context();
  if (!active) throw new EngineError('no-backbone', 'The backbone could not be opened.');
  // The kernels follow the backbone: where it runs on WebGPU the GPU was measured (or chosen) the faster.
  const path = gpu && active.backbone.path === 'webgpu' ? 'gpu' : 'cpu';
  return { source: { backbone: active.backbone, gpu }, model: active.model, path };
}

/** Trains; where the GPU is lost under it, goes on on the CPU path from the last stage it finished. */
async function train(request: TrainingRequest, signal: AbortSignal, report: Report<TrainingProgress>): Promise<PixoodModel> {
  const finished = noStagesFinished();
  for (;;) {
    // Opening the backbone (and, on its first use here, timing the paths) is reported, so a slow
    // measurement on a software GPU shows as such instead of every stage waiting.
    const { source, model, path } = await backboneFor(request.backboneId, signal, ({ stage, done, total }) =>
      report({ stage: 'backbone', done: stage === 'load' ? done : 1, total: total ?? 2, unit: 'steps', ...(stage === 'measure' && { measuring: true }) }),
    );
    const kernels = path === 'gpu' && source.gpu ? gpuTrainingKernels(source.gpu.device) : cpuTrainingKernels();
    try {
      return await trainPixood(request, { source, backbone: model, kernels, signal, report, finished, prepare: prepareBeside });
    } catch (error) {
      if (!(await lostUnder(error, path, source.gpu, signal))) throw error;
    } finally {
      await kernels.release();
    }
  }
}

/**
 * Inspects as one stream: the model is prepared once (one scorer; on the GPU path the model is
 * uploaded once), each result goes to `deliver` as soon as it is ready. Where the GPU is lost
 * under it, it goes on on the CPU path from the image in progress.
 */
async function inspect(model: PixoodModel, images: readonly Blob[], { truth, resolution, regions = null }: InspectionOptions, signal: AbortSignal, deliver: InspectionRun['deliver'], report: Report<InspectionProgress>): Promise<InspectionSummary> {
  if (truth && truth.length !== images.length) throw new EngineError('internal', `An evaluation needs one ground truth per image, got ${truth.length} for ${images.length} images.`);
  const cursor = startCursor();
  const counting = truth ? startEvaluation(truth, isWholeImage(regions) ? null : regions) : null;
  try {
    const evaluation = truth && counting ? { truth, evaluator: counting.evaluator } : undefined;
    for (;;) {
      const { source, path } = await backboneFor(model.backbone.id, signal);
      try {
        const scorer = path === 'gpu' && source.gpu ? await gpuScorer(model, source, source.gpu.device, resolution) : await cpuScorer(model, source, resolution);
        try {
          await inspectImages(model, images, { source, scorer, signal, deliver, evaluation, prepare: prepareBeside, report: (done, total) => report({ stage: 'inspect', done, total, unit: 'images' }) }, cursor);
          break;
        } finally {
          await scorer.release();
        }
      } catch (error) {
        if (!(await lostUnder(error, path, source.gpu, signal))) throw error;
      }
    }
    if (!counting) return { images: cursor.done, evaluation: null, evaluationWholeImage: null, evaluateSeconds: 0, evaluationWorkerSeconds: 0 };
    const waited = performance.now();
    const { report: figures, wholeImage, busySeconds } = await counting.finish();
    return { images: cursor.done, evaluation: figures, evaluationWholeImage: wholeImage, evaluateSeconds: cursor.evaluateSeconds + (performance.now() - waited) / 1000, evaluationWorkerSeconds: busySeconds };
  } finally {
    counting?.stop();
  }
}

/**
 * Started with the engine and kept: started with the first inspection instead, its first image
 * waited 217 ms for the worker (26 ms an image after it, 448 px, a loaded 2-core machine). Two take images in turn, so two
 * images are made ready while the engine scores a third: on a 2-core machine (448 px, built-in
 * backbone, three rounds each) 38.5–42.0 images a second against 20.2–33.5 with one.
 */
const imageWorkers = [0, 1].map(() => Comlink.wrap<ImageWorkerApi>(new Worker(new URL('./image.worker.ts', import.meta.url), { type: 'module', name: 'pixood-image' })));
let turn = 0;

/** An inspection's image, made ready in an image worker while the engine scores one ahead of it. */
async function prepareBeside(blob: Blob, plan: FeaturePlan | null): Promise<PreparedImage> {
  const prepared = await imageWorkers[turn++ % imageWorkers.length].prepare(blob, plan);
  if (!prepared.ok) throw new PipelineError(prepared.code, prepared.message);
  return { image: prepared.image, features: prepared.features };
}

/**
 * Pixels of maps held for the evaluation worker while it is idle (a map's own, when larger). A
 * message wakes a worker that has caught up, and on a busy machine the woken worker takes the
 * engine's core for a few ms: with a message per map, pitting's 301 maps cost the engine 0.84–0.86
 * s in two runs, with one per 4 maps 0.39–0.46 s, per 8 (850,000 pixels) 0.13–0.22 s. A worker
 * still counting earlier maps is handed each map at once (the message waits in its queue and
 * wakes nothing); what is held while it is idle, at most this many pixels, is counted after the
 * last image.
 */
const HAND_OFF_PIXELS = 1 << 20;

/**
 * The evaluation worker for one inspection: each map goes to it as a copy (the original is handed
 * to the page), counted there while the next images are scored; finish hands over what is held and
 * waits for the figures. The copies are made into buffers the worker has handed back, so a run
 * allocates a few, not one per image.
 * It is told first how many images of each defect type `truth` holds, so it makes a type's
 * figures while the inspection runs, as soon as they are final.
 */
function startEvaluation(truth: readonly ImageTruth[], regions: RegionSpec | null) {
  const total = truth.length;
  const worker = new Worker(new URL('./evaluation.worker.ts', import.meta.url), { type: 'module', name: 'pixood-evaluation' });
  const remote = Comlink.wrap<EvaluationWorkerApi>(worker);
  // Messages reach the worker in order, so it has the plan before the first map; a failure is
  // awaited in finish and must not count as unhandled until then.
  const started = remote.start(expectedImages(truth.map((image) => image.defectType)));
  started.catch(() => undefined);
  /** Per batch handed over, the reasons its masks were refused (null where counted), in image order. */
  const answers: Promise<readonly (string | null)[]>[] = [];
  const spare: Float32Array[] = [];
  const copyOf = (map: Float32Array): Float32Array => {
    const buffer = spare.pop();
    if (!buffer || buffer.length !== map.length) return map.slice();
    buffer.set(map);
    return buffer;
  };
  let held: EvaluatedMap[] = [];
  let heldPixels = 0;
  /** Messages of maps the worker has not answered yet. */
  let unanswered = 0;
  const handOver = () => {
    if (held.length === 0) return;
    unanswered++;
    const counted = remote.add(Comlink.transfer(held, held.map((map) => map.score.buffer as ArrayBuffer)));
    answers.push(
      counted.then(({ refused, scores }) => {
        unanswered--;
        spare.push(...scores);
        return refused;
      }),
    );
    held = [];
    heldPixels = 0;
  };
  const evaluator: Evaluator = {
    add(score, severity, cells, truth) {
      const [height, width] = score.dims;
      const within = regions && { spec: regions, imageWidth: cells.imageWidth, imageHeight: cells.imageHeight, severity: severityWithin(regions, cells).severity };
      held.push({ score: copyOf(score.data), height, width, severity, mask: truth.mask, defectType: truth.defectType, within });
      heldPixels += height * width;
      if (unanswered > 0 || heldPixels >= HAND_OFF_PIXELS) handOver();
    },
  };
  return {
    evaluator,
    async finish() {
      handOver();
      await started;
      const reasons = (await Promise.all(answers)).flat();
      const refused = reasons.findIndex((reason) => reason !== null);
      if (refused >= 0) throw new PipelineError('bad-mask', `Image ${refused + 1} of ${total}: its ground-truth mask cannot be used: ${reasons[refused]}`);
      return remote.result();
    },
    stop: () => worker.terminate(),
  };
}

/** An inspection's result handed to the main thread: its maps are moved, not copied. */
function transferred(inspection: Inspection): Inspection {
  return Comlink.transfer(inspection, [inspection.score.data.buffer, inspection.predicted.buffer, inspection.distance.buffer, inspection.cells.data.buffer] as ArrayBuffer[]);
}

const engine: EngineApi = {
  info: () =>
    guarded(async () => {
      const { gpu } = await context();
      return { gpu: gpu?.description ?? null, crossOriginIsolated: globalThis.crossOriginIsolated, wasmThreads: wasmThreads() };
    }),

  presets: () => guarded(async () => allPresets(import.meta.env.BASE_URL)),

  listModels: () => guarded(async () => (await context()).library.list()),

  addModelFromUrl: (job, name, source, onProgress) =>
    guarded(() => jobs.run(job, onProgress, async (signal, report) => (await context()).library.addFromUrl(name, source, { signal, onProgress: addProgress(report) }))),

  addModelFromFile: (job, file, fileName, onProgress) =>
    guarded(() =>
      jobs.run(job, onProgress, async (signal, report) => {
        const { library } = await context();
        const bytes = new Uint8Array(await file.arrayBuffer());
        return library.addFromBytes(fileName.replace(/\.onnx$/i, ''), bytes, { kind: 'file', fileName }, { signal, onProgress: addProgress(report) });
      }),
    ),

  deleteModel: (id) =>
    guarded(() =>
      backboneWork.run(async () => {
        await dropLostBackbone();
        if (active?.model.id === id) {
          await active.backbone.release();
          active = null;
        }
        await (await context()).library.delete(id);
      }),
    ),

  modelBytes: (id) =>
    guarded(async () => {
      const bytes = await (await context()).library.bytes(id);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    }),

  setPathPreference: (modelId, preference) => guarded(async () => setPathPreference((await context()).prefs, modelId, preference)),

  pathChoice: (modelId) => guarded(async () => readPathChoice((await context()).prefs, modelId)),

  useBackbone: (job, modelId, onProgress) => guarded(() => jobs.run(job, onProgress, (signal, report) => backboneWork.run(() => useBackbone(modelId, signal, report)))),

  extractFeatures: (job, images, options, onProgress) =>
    guarded(() =>
      jobs.run(job, onProgress, async (signal, report) => {
        const grids = await backboneWork.run(() => extractFeatures(images, options, signal, report));
        // Each grid owns its buffer: hand them over rather than copy them.
        return Comlink.transfer(grids, grids.map((g) => g.data.buffer as ArrayBuffer));
      }),
    ),

  train: (job, request, onProgress) => guarded(() => jobs.run(job, onProgress, (signal, report) => backboneWork.run(() => train(request, signal, report)))),

  inspect: (job, model, images, options, onResult, onProgress) =>
    guarded(() =>
      jobs
        .run(job, onProgress, (signal, report) =>
          backboneWork.run(() => inspect(model, images, options, signal, async (index, inspection) => onResult(index, transferred(inspection)), report)),
        )
        .finally(() => releaseCallback(onResult)),
    ),

  refreshEtalons: (job, model, request, onProgress) =>
    guarded(() =>
      jobs.run(job, onProgress, (signal, report) =>
        backboneWork.run(async () => {
          const { source } = await backboneFor(model.backbone.id, signal);
          return refreshFromGoodPart(model, request, source, signal, report);
        }),
      ),
    ),

  cancel: async (job) => jobs.cancel(job),

  watchNotices: async (onNotice) => {
    noticeListener = onNotice;
  },

  debugLoseDevice: () =>
    guarded(async () => {
      const { gpu } = await context();
      gpu?.device.destroy();
      return gpu !== null;
    }),

  debugCrash: async () => {
    setTimeout(() => {
      throw new Error('The engine crashed on purpose (debugCrash, fault injection).');
    }, 0);
  },
};

Comlink.expose(engine);
