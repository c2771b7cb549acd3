/**
 * The main thread's handle on the engine worker. Short calls are plain promises; long ones
 * return a Job: its id, its result, and `cancel()`. Progress arrives through a callback.
 */
import * as Comlink from 'comlink';
import type { Tensor3 } from '../core/tensor';
import type {
  ActiveBackbone,
  BackbonePreset,
  EngineApi,
  EngineInfo,
  FeatureOptions,
  Inspection,
  InspectionProgressCallback,
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
import { installErrorTransfer } from './errors';

export interface Job<T> {
  readonly id: JobId;
  /** Resolves with the job's result; rejects with an EngineError ('cancelled' after `cancel()`). */
  readonly result: Promise<T>;
  cancel(): void;
}

export interface EngineClient {
  info(): Promise<EngineInfo>;
  presets(): Promise<readonly BackbonePreset[]>;
  listModels(): Promise<StoredModel[]>;
  addModelFromUrl(name: string, source: UrlSource, onProgress?: ProgressCallback): Job<StoredModel>;
  /** A model the person dropped in; it is named after the file. */
  addModelFromFile(file: Blob, fileName: string, onProgress?: ProgressCallback): Job<StoredModel>;
  deleteModel(id: string): Promise<void>;
  setPathPreference(modelId: string, preference: PathPreference): Promise<void>;
  pathChoice(modelId: string): Promise<PathChoice>;
  useBackbone(modelId: string, onProgress?: ProgressCallback): Job<ActiveBackbone>;
  extractFeatures(images: readonly RgbaImage[], options: FeatureOptions, onProgress?: ProgressCallback): Job<Tensor3[]>;
  /** Trains a model; unusable training images are listed in `summary.skipped`. */
  train(request: TrainingRequest, onProgress?: TrainingProgressCallback): Job<PixoodModel>;
  /** One Inspection per image, in order. */
  inspect(model: PixoodModel, images: readonly Blob[], onProgress?: InspectionProgressCallback): Job<Inspection[]>;
  /** Stops the worker; pending calls never settle. */
  terminate(): void;
}

/** Starts the engine worker (or wraps one given, e.g. in tests) and returns its client. */
export function startEngine(worker: Worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'pixood-engine' })): EngineClient {
  installErrorTransfer();
  const remote = Comlink.wrap<EngineApi>(worker);
  let nextJob = 0;

  function job<T>(start: (id: JobId) => Promise<T>): Job<T> {
    const id = `job-${++nextJob}`;
    return { id, result: start(id), cancel: () => void remote.cancel(id) };
  }
  const progress = <P>(onProgress?: (p: P) => void) => (onProgress ? Comlink.proxy(onProgress) : undefined);

  return {
    info: () => remote.info(),
    presets: () => remote.presets(),
    listModels: () => remote.listModels(),
    addModelFromUrl: (name, source, onProgress) => job((id) => remote.addModelFromUrl(id, name, source, progress(onProgress))),
    addModelFromFile: (file, fileName, onProgress) => job((id) => remote.addModelFromFile(id, fileName.replace(/\.onnx$/i, ''), file, fileName, progress(onProgress))),
    deleteModel: (id) => remote.deleteModel(id),
    setPathPreference: (modelId, preference) => remote.setPathPreference(modelId, preference),
    pathChoice: (modelId) => remote.pathChoice(modelId),
    useBackbone: (modelId, onProgress) => job((id) => remote.useBackbone(id, modelId, progress(onProgress))),
    extractFeatures: (images, options, onProgress) => job((id) => remote.extractFeatures(id, images, options, progress(onProgress))),
    train: (request, onProgress) => job((id) => remote.train(id, request, progress(onProgress))),
    inspect: (model, images, onProgress) => job((id) => remote.inspect(id, model, images, progress(onProgress))),
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
