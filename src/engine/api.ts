/**
 * What the engine worker offers, as the worker implements it (workers/engine.worker.ts). The
 * main thread uses it through EngineClient (./client.ts), which turns long calls into Jobs.
 *
 * Long calls take a job id, so `cancel(job)` can stop them, and an optional progress callback
 * (a comlink proxy). Every failure arrives as an EngineError (./errors.ts).
 */
import type { ExecutionPath } from '../backbone/ortSession';
import type { PathChoice, PathPreference, PathTiming } from '../backbone/executionPath';
import type { ModelContract } from '../backbone/contract';
import type { ModelSource, StoredModel } from '../backbone/library';
import type { BackbonePreset } from '../backbone/presets';
import type { RgbaImage } from '../backbone/preprocess';
import type { PipelineErrorCode } from '../pipeline/errors';
import type { PreparedImage } from '../pipeline/preparedImage';
import type { FeaturePlan } from '../pipeline/scorer';
import type { Tensor3 } from '../core/tensor';
import type { AdapterDescription } from '../gpu/device';
import type { ExpectedImages } from '../core/metrics/evaluation';
import type { EvaluationReport } from '../core/metrics/evaluationReport';
import type { PixoodModel } from '../core/model/pixoodModel';
import type { EtalonRefreshRequest, EtalonRefreshResult, Inspection, InspectionOptions, InspectionSummary, TrainingProgress, TrainingRequest } from '../core/model/requests';
import type { RegionSpec } from '../core/roi/regionSpec';

// The model and its requests are the one vocabulary both sides of the worker speak: the page
// takes them from here, never from the pipeline (a lint rule holds src/ui and src/state to it).
export * from '../core/model/pixoodModel';
export * from '../core/model/requests';
export type { BackbonePreset, ExecutionPath, ModelContract, ModelSource, PathChoice, PathPreference, PathTiming, RgbaImage, StoredModel };

export type JobId = string;

export type JobStage =
  /** Fetching a model file (bytes). */
  | 'download'
  /** Checking a model against the backbone contract. */
  | 'check'
  /** Writing a model to this browser's storage. */
  | 'store'
  /** Timing the execution paths on first use of a model (steps = paths). */
  | 'measure'
  /** Reading a model from storage and opening it (steps). */
  | 'load'
  /** Running the backbone over images (images). */
  | 'features';

export interface JobProgress {
  readonly stage: JobStage;
  /** Work done so far, in `unit`. */
  readonly done: number;
  /** Work in all, or null while unknown. */
  readonly total: number | null;
  readonly unit: 'bytes' | 'steps' | 'images';
}

export type ProgressCallback = (progress: JobProgress) => void;

export type TrainingProgressCallback = (progress: TrainingProgress) => void;

/** Images scored so far by an inspection job. */
export interface InspectionProgress {
  readonly stage: 'inspect';
  readonly done: number;
  readonly total: number;
  readonly unit: 'images';
}

export type InspectionProgressCallback = (progress: InspectionProgress) => void;

/**
 * Takes image `index`'s result of a streamed inspection, in order, as soon as it is ready (its
 * maps are moved to the receiver). The engine hands out the next result once this one's promise
 * has settled, so a slow receiver slows the stream instead of piling results up.
 */
export type InspectionResultCallback = (index: number, inspection: Inspection) => void | Promise<void>;

/**
 * Something the engine did on its own that the person should know of. 'gpu-lost': the GPU
 * device was lost, and the engine goes on on the CPU path (a job running on the GPU restarts its
 * unfinished work there). 'crashed': the worker stopped and a new one replaces it (raised by the
 * client, which saw it die).
 */
export interface EngineNotice {
  readonly kind: 'gpu-lost' | 'crashed';
  /** A sentence for the page: what happened and what was kept. */
  readonly message: string;
}

export type NoticeCallback = (notice: EngineNotice) => void;

export interface EngineInfo {
  /** The WebGPU adapter, or null where the browser has none (everything runs on wasm). */
  readonly gpu: AdapterDescription | null;
  /** Cross-origin isolation, which wasm threads need. */
  readonly crossOriginIsolated: boolean;
  readonly wasmThreads: number;
}

/** A model from a URL: a preset's variant (the URL may be edited) or any address. */
export type UrlSource = Extract<ModelSource, { url: string }>;

export interface ActiveBackbone {
  readonly model: StoredModel;
  readonly path: ExecutionPath;
  readonly choice: PathChoice;
  /** Present when this call measured the paths (first use of the model in this browser). */
  readonly timings?: readonly PathTiming[];
}

export interface FeatureOptions {
  /** The image's longer side becomes this many pixels, in whole patches (fixed-size models use their size). */
  readonly longestSide: number;
  /** Integer ≥ 1: bilinear up-sampling of the feature grid. */
  readonly upsample: number;
}

/** An image as the regions of interest see it: their spec, the image's size, and its severity within them. */
export interface RegionsSeen {
  readonly spec: RegionSpec;
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly severity: number;
}

/** One score map [height, width] for the evaluation worker, with its truth: its mask (null: a good image) and defect type. */
export interface EvaluatedMap {
  readonly score: Float32Array;
  readonly height: number;
  readonly width: number;
  readonly severity: number;
  readonly mask: Blob | null;
  readonly defectType: string;
  readonly within: RegionsSeen | null;
}

/** The evaluation worker (workers/evaluation.worker.ts), as the engine worker drives it. */
export interface EvaluationWorkerApi {
  /**
   * Called once, before the first image: how many images of each defect type the inspection
   * will hand in, so a type's figures are made as soon as its images and the good ones are in.
   */
  start(expected: ExpectedImages): Promise<void>;
  /**
   * Counts each map against its mask; a mask that cannot be read comes back as the reason (in
   * the maps' order, null where counted), and counts nothing. The maps' buffers come back moved,
   * and later maps are copied into them: a fresh buffer per map cost the engine's thread about
   * 3 ms a 512×512 map, time the inspection waited.
   */
  add(maps: readonly EvaluatedMap[]): Promise<{ readonly refused: readonly (string | null)[]; readonly scores: readonly Float32Array[] }>;
  /**
   * The figures over every image added, and the seconds the worker spent on them; with regions of
   * interest, `report` is within them and `wholeImage` over the whole images (else null).
   */
  result(): Promise<{ readonly report: EvaluationReport; readonly wholeImage: EvaluationReport | null; readonly busySeconds: number }>;
}

/** An image ready to score, or why its file cannot be read (a PipelineError's code and message, which a worker boundary does not carry). */
export type PreparedOrRefused =
  | ({ readonly ok: true } & PreparedImage)
  | { readonly ok: false; readonly code: PipelineErrorCode; readonly message: string };

export interface ImageWorkerApi {
  /** The file's pixels and, with a plan, its features (inspect.ts), their buffers moved to the caller. */
  prepare(blob: Blob, plan: FeaturePlan | null): Promise<PreparedOrRefused>;
}

export interface EngineApi {
  info(): Promise<EngineInfo>;
  /** The built-in backbone and the DINOv2 presets. */
  presets(): Promise<readonly BackbonePreset[]>;
  /** Models stored in this browser. */
  listModels(): Promise<StoredModel[]>;
  addModelFromUrl(job: JobId, name: string, source: UrlSource, onProgress?: ProgressCallback): Promise<StoredModel>;
  /** A model the person dropped in; it is named after the file. */
  addModelFromFile(job: JobId, file: Blob, fileName: string, onProgress?: ProgressCallback): Promise<StoredModel>;
  deleteModel(id: string): Promise<void>;
  /** A stored model's file, e.g. to carry it inside a model bundle. */
  modelBytes(id: string): Promise<Uint8Array>;
  /** 'auto' (measured) or a forced path, remembered per browser and model; applies from the next useBackbone. */
  setPathPreference(modelId: string, preference: PathPreference): Promise<void>;
  /** The remembered preference and last measurement for a stored model ('auto' and none before first use). */
  pathChoice(modelId: string): Promise<PathChoice>;
  /** Opens a stored model as the engine's backbone, measuring the paths on first use. */
  useBackbone(job: JobId, modelId: string, onProgress?: ProgressCallback): Promise<ActiveBackbone>;
  /** Feature grids [h·f, w·f, D], one per image, with the active backbone. */
  extractFeatures(job: JobId, images: readonly RgbaImage[], options: FeatureOptions, onProgress?: ProgressCallback): Promise<Tensor3[]>;
  /**
   * Trains a PixOOD model with the request's backbone (opened first when another one is active).
   * The kernels run on the GPU when the backbone runs on WebGPU, else on the CPU path. Training
   * images that cannot be used are left out and listed in the model's `summary.skipped`.
   */
  train(job: JobId, request: TrainingRequest, onProgress?: TrainingProgressCallback): Promise<PixoodModel>;
  /**
   * Scores images with a trained model as one streamed job, on its backbone (opened first when
   * another one is active): each result goes to `onResult` as soon as it is ready; progress in
   * images, at the model's input size or the images' own (`options.resolution`). With
   * `options.truth` (one per image) the maps are scored against their masks in the worker, and
   * the summary carries the figures.
   */
  inspect(job: JobId, model: PixoodModel, images: readonly Blob[], options: InspectionOptions, onResult: InspectionResultCallback, onProgress?: InspectionProgressCallback): Promise<InspectionSummary>;
  /**
   * "Good after all" without retraining, where the method allows it (core/condensation/refresh.ts):
   * a one-class model with the part's least normal features as new etalons of its class, the part
   * scored again by it, and its capability check run again on the held-out good images (progress
   * in plants). Answers why not, with no model, where the method does not allow it.
   */
  refreshEtalons(job: JobId, model: PixoodModel, request: EtalonRefreshRequest, onProgress?: TrainingProgressCallback): Promise<EtalonRefreshResult>;
  /** Stops a running job: it rejects with EngineError 'cancelled'. Unknown or finished jobs are ignored. */
  cancel(job: JobId): Promise<void>;
  /** Sends the engine's notices to `onNotice` from now on (the last listener given). */
  watchNotices(onNotice: NoticeCallback): Promise<void>;
  /**
   * Fault injection, for tests only: destroys the engine's GPU device, as a driver reset would
   * lose it. Resolves false where the engine has no device.
   */
  debugLoseDevice(): Promise<boolean>;
  /**
   * Fault injection, for tests only: the worker throws an uncaught error right after this call
   * returns, as a crash inside it would, and the client treats the worker as dead.
   */
  debugCrash(): Promise<void>;
}
