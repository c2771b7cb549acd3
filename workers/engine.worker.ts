/**
 * The engine worker: the one thread that owns the GPUDevice, the ONNX Runtime sessions and the
 * model storage. Buffers cannot cross devices or threads, so the backbone's GPU output and the
 * kernels that read it must live here together. The main thread talks to it through
 * src/engine/client.ts.
 */
import * as Comlink from 'comlink';
import { readTokens, type Backbone } from '../src/backbone/backbone';
import { ModelError } from '../src/backbone/errors';
import { openBackbone, setPathPreference } from '../src/backbone/executionPath';
import { tokensToGrid, upsampleFeatures } from '../src/backbone/featureGrid';
import { modelLibrary, type AddProgress, type ModelLibrary, type StoredModel } from '../src/backbone/library';
import { wasmThreads } from '../src/backbone/ort';
import { preprocess, type RgbaImage } from '../src/backbone/preprocess';
import { allPresets } from '../src/backbone/presets';
import { inputGeometry } from '../src/core/geometry';
import type { Tensor3 } from '../src/core/tensor';
import type { ActiveBackbone, EngineApi, FeatureOptions } from '../src/engine/api';
import { EngineError, installErrorTransfer } from '../src/engine/errors';
import { requestGpu, type GpuContext } from '../src/gpu/device';
import { openModelDb } from '../src/storage/modelDb';
import { modelStore } from '../src/storage/models';
import { preferences, type Preferences } from '../src/storage/preferences';
import { checkpoint, Jobs, Serial, type Report } from './jobs';

installErrorTransfer();

interface Context {
  readonly gpu: GpuContext | null;
  readonly library: ModelLibrary;
  readonly prefs: Preferences;
}

let contextPromise: Promise<Context> | null = null;

/** The GPU and storage, opened on first use. */
function context(): Promise<Context> {
  contextPromise ??= (async () => {
    const [gpu, db] = await Promise.all([requestGpu(), openModelDb()]);
    // The engine never destroys its device, so any loss is the browser's or the driver's. A lost
    // device is not recovered in place: the next call starts over on a new one, and a backbone
    // that ran on the old one must be chosen again.
    void gpu?.device.lost.then(() => {
      contextPromise = null;
      if (active?.backbone.path === 'webgpu') active = null;
    });
    return { gpu, library: modelLibrary(modelStore<StoredModel>(db), gpu), prefs: preferences(db) };
  })();
  return contextPromise;
}

let active: { readonly backbone: Backbone; readonly model: StoredModel } | null = null;
/** Everything that opens, uses or releases `active`. */
const backboneWork = new Serial();
const jobs = new Jobs();

/** Any failure as an EngineError, with the cause's own words where it has them. */
function asEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof ModelError) return new EngineError(error.code, error.message);
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
  await active?.backbone.release();
  active = { backbone: opened.backbone, model };
  report({ stage: 'load', done: 2, total: 2, unit: 'steps' });
  return { model, path: opened.backbone.path, choice: opened.choice, ...(opened.timings ? { timings: opened.timings } : {}) };
}

async function extractFeatures(images: readonly RgbaImage[], options: FeatureOptions, signal: AbortSignal, report: Report): Promise<Tensor3[]> {
  const { gpu } = await context();
  if (!active) throw new EngineError('no-backbone', 'Choose a backbone before extracting features.');
  const { backbone } = active;
  const { contract } = backbone;
  const grids: Tensor3[] = [];
  for (const [index, image] of images.entries()) {
    await checkpoint(signal);
    report({ stage: 'features', done: index, total: images.length, unit: 'images' });
    const input = contract.fixedInput ?? inputGeometry(image, options.longestSide, contract.patchSize).input;
    const output = await backbone.run(preprocess(image, input));
    try {
      grids.push(upsampleFeatures(tokensToGrid(await readTokens(output, gpu), output.prefixTokens, output.grid), options.upsample));
    } finally {
      if (output.location === 'gpu') output.dispose();
    }
  }
  report({ stage: 'features', done: images.length, total: images.length, unit: 'images' });
  return grids;
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

  addModelFromFile: (job, name, file, fileName, onProgress) =>
    guarded(() =>
      jobs.run(job, onProgress, async (signal, report) => {
        const { library } = await context();
        const bytes = new Uint8Array(await file.arrayBuffer());
        return library.addFromBytes(name, bytes, { kind: 'file', fileName }, { signal, onProgress: addProgress(report) });
      }),
    ),

  deleteModel: (id) =>
    guarded(() =>
      backboneWork.run(async () => {
        if (active?.model.id === id) {
          await active.backbone.release();
          active = null;
        }
        await (await context()).library.delete(id);
      }),
    ),

  setPathPreference: (modelId, preference) => guarded(async () => setPathPreference((await context()).prefs, modelId, preference)),

  useBackbone: (job, modelId, onProgress) => guarded(() => jobs.run(job, onProgress, (signal, report) => backboneWork.run(() => useBackbone(modelId, signal, report)))),

  extractFeatures: (job, images, options, onProgress) =>
    guarded(() =>
      jobs.run(job, onProgress, async (signal, report) => {
        const grids = await backboneWork.run(() => extractFeatures(images, options, signal, report));
        // Each grid owns its buffer: hand them over rather than copy them.
        return Comlink.transfer(grids, grids.map((g) => g.data.buffer as ArrayBuffer));
      }),
    ),

  cancel: async (job) => jobs.cancel(job),
};

Comlink.expose(engine);
