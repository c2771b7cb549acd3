/**
 * The main thread's handle on the engine worker. Short calls are plain promises; long ones
 * return a Job: its id, its result, and `cancel()`. Progress arrives through a callback.
 *
 * A worker that dies (an uncaught error inside it: the engine's state is then unknown) is
 * terminated, every call still running rejects with EngineError 'engine-crashed' naming the work
 * lost, later calls reject the same way, and listeners get a 'crashed' notice: the app then
 * starts a new client on its next call (src/state/services.ts).
 */
import * as Comlink from 'comlink';
import type { Tensor3 } from '../core/tensor';
import type {
  ActiveBackbone,
  BackbonePreset,
  EngineApi,
  EngineInfo,
  EngineNotice,
  FeatureOptions,
  ImageTruth,
  InspectionProgressCallback,
  InspectionResultCallback,
  InspectionSummary,
  JobId,
  PathChoice,
  PathPreference,
  PixoodModel,
  ProgressCallback,
  RgbaImage,
  StoredModel,
  TrainingProgressCallback,
  TrainingRequest,
  UrlSource,
} from './api';
import { EngineError, installErrorTransfer } from './errors';

export interface Job<T> {
  readonly id: JobId;
  /** Resolves with the job's result; rejects with an EngineError ('cancelled' after `cancel()`). */
  readonly result: Promise<T>;
  cancel(): void;
}

export interface InspectionOptions {
  readonly onProgress?: InspectionProgressCallback;
  /** One per image: the inspection also scores the maps against these masks. */
  readonly truth?: readonly ImageTruth[];
}

export interface EngineClient {
  info(): Promise<EngineInfo>;
  presets(): Promise<readonly BackbonePreset[]>;
  listModels(): Promise<StoredModel[]>;
  addModelFromUrl(name: string, source: UrlSource, onProgress?: ProgressCallback): Job<StoredModel>;
  /** A model the person dropped in; it is named after the file. */
  addModelFromFile(file: Blob, fileName: string, onProgress?: ProgressCallback): Job<StoredModel>;
  deleteModel(id: string): Promise<void>;
  /** A stored model's file. */
  modelBytes(id: string): Promise<Uint8Array>;
  setPathPreference(modelId: string, preference: PathPreference): Promise<void>;
  pathChoice(modelId: string): Promise<PathChoice>;
  useBackbone(modelId: string, onProgress?: ProgressCallback): Job<ActiveBackbone>;
  extractFeatures(images: readonly RgbaImage[], options: FeatureOptions, onProgress?: ProgressCallback): Job<Tensor3[]>;
  /** Trains a model; unusable training images are listed in `summary.skipped`. */
  train(request: TrainingRequest, onProgress?: TrainingProgressCallback): Job<PixoodModel>;
  /** One streamed inspection: each image's result goes to `onResult` in order as it is ready (EngineApi.inspect). */
  inspect(model: PixoodModel, images: readonly Blob[], onResult: InspectionResultCallback, options?: InspectionOptions): Job<InspectionSummary>;
  /** Calls `listener` with each notice, the engine's (a GPU reset) and this client's (a crash); returns what stops it. */
  onNotice(listener: (notice: EngineNotice) => void): () => void;
  /** Fault injection for tests: EngineApi.debugLoseDevice. */
  debugLoseDevice(): Promise<boolean>;
  /** Fault injection for tests: EngineApi.debugCrash; the worker dies right after. */
  debugCrash(): Promise<void>;
  /** Stops the worker; pending calls never settle. */
  terminate(): void;
}

/** What a crash cost, for the page: `lost` names the work that was running ('training', …). */
function crashMessage(lost: readonly string[]): string {
  const kinds = [...new Set(lost)];
  const what = kinds.length === 0 ? 'Nothing was running' : `The ${kinds.join(' and the ')} in progress ${kinds.length > 1 ? 'were' : 'was'} lost`;
  return `The engine stopped unexpectedly; it starts again with your next action. ${what}; your project and saved models are safe.`;
}

/** Starts the engine worker (or wraps one given, e.g. in tests) and returns its client. */
export function startEngine(worker: Worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'pixood-engine' })): EngineClient {
  installErrorTransfer();
  const remote = Comlink.wrap<EngineApi>(worker);
  let nextJob = 0;
  const listeners = new Set<(notice: EngineNotice) => void>();
  const emit = (notice: EngineNotice) => listeners.forEach((listener) => listener(notice));
  void remote.watchNotices(Comlink.proxy(emit));

  /** Calls the worker has not answered yet; `lost` names the work a crash would lose (null: a short call). */
  const running = new Set<{ readonly lost: string | null; readonly reject: (error: EngineError) => void }>();
  let crashed: EngineError | null = null;

  worker.addEventListener('error', (event) => {
    // Handled here: the page's own error handlers must not see the worker's error as theirs.
    event.preventDefault();
    if (crashed) return;
    worker.terminate();
    const calls = [...running];
    running.clear();
    const message = crashMessage(calls.flatMap((call) => (call.lost ? [call.lost] : [])));
    crashed = new EngineError('engine-crashed', message);
    for (const call of calls) call.reject(crashed);
    emit({ kind: 'crashed', message });
  });

  /** The worker's answer, or EngineError 'engine-crashed' if the worker dies first. */
  function call<T>(lost: string | null, start: () => Promise<T>): Promise<T> {
    if (crashed) return Promise.reject(crashed);
    return new Promise<T>((resolve, reject) => {
      const entry = { lost, reject };
      running.add(entry);
      start().then(
        (value) => {
          running.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          running.delete(entry);
          reject(error);
        },
      );
    });
  }

  function job<T>(lost: string, start: (id: JobId) => Promise<T>): Job<T> {
    const id = `job-${++nextJob}`;
    return { id, result: call(lost, () => start(id)), cancel: () => void remote.cancel(id) };
  }
  const progress = <P>(onProgress?: (p: P) => void) => (onProgress ? Comlink.proxy(onProgress) : undefined);

  return {
    info: () => call(null, () => remote.info()),
    presets: () => call(null, () => remote.presets()),
    listModels: () => call(null, () => remote.listModels()),
    addModelFromUrl: (name, source, onProgress) => job('model download', (id) => remote.addModelFromUrl(id, name, source, progress(onProgress))),
    addModelFromFile: (file, fileName, onProgress) => job('model import', (id) => remote.addModelFromFile(id, fileName.replace(/\.onnx$/i, ''), file, fileName, progress(onProgress))),
    deleteModel: (id) => call(null, () => remote.deleteModel(id)),
    modelBytes: (id) => call(null, () => remote.modelBytes(id)),
    setPathPreference: (modelId, preference) => call(null, () => remote.setPathPreference(modelId, preference)),
    pathChoice: (modelId) => call(null, () => remote.pathChoice(modelId)),
    useBackbone: (modelId, onProgress) => job('backbone loading', (id) => remote.useBackbone(id, modelId, progress(onProgress))),
    extractFeatures: (images, options, onProgress) => job('feature extraction', (id) => remote.extractFeatures(id, images, options, progress(onProgress))),
    train: (request, onProgress) => job('training', (id) => remote.train(id, request, progress(onProgress))),
    inspect: (model, images, onResult, options = {}) =>
      job('inspection', (id) => remote.inspect(id, model, images, options.truth ?? null, Comlink.proxy(onResult), progress(options.onProgress))),
    onNotice: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    debugLoseDevice: () => call(null, () => remote.debugLoseDevice()),
    debugCrash: () => call(null, () => remote.debugCrash()),
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
