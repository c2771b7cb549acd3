/**
 * What the Node side of a headless command and its harness page (cli/*.html) say to each other.
 * The page reads its job from `window.cliJob()`, fetches data files from DATA_URL + key (served
 * from disk by the Node side, bytes as they are), posts output files to OUT_URL + key, writes
 * progress with `window.cliProgress`, and ends with `window.cliDone(result)` or `window.cliFail`.
 */
import type { EngineInfo, ExecutionPath, PathTiming, Resolution } from '../../src/engine/api';
import type { CapabilityCheck } from '../../src/core/capability/capability';
import type { OperatingPoint } from '../../src/core/calibration/operatingPoint';
import type { EvaluationReport } from '../../src/core/metrics/evaluationReport';
import type { ImageCalibration, TrainingSettings, TrainingStage } from '../../src/core/model/pixoodModel';
import type { RegionSpec } from '../../src/core/roi/regionSpec';
import type { ExitCode, PathOption } from './args';

export const DATA_URL = '/__cli/data/';
export const OUT_URL = '/__cli/out/';

/** A data file's URL: its key (a '/'-separated path relative to the data folder) escaped. */
export const dataUrl = (key: string) => DATA_URL + encodeURIComponent(key);
export const outUrl = (key: string) => OUT_URL + encodeURIComponent(key);

/** The built-in backbone, or an .onnx file served under `key`. */
export type BackboneChoice = 'builtin' | { readonly key: string; readonly fileName: string };

export interface EvalTestImage {
  readonly key: string;
  /** 'good' or the defect folder's name. */
  readonly defectType: string;
  /** The ground-truth mask's key; null for good images (no defect anywhere). */
  readonly mask: string | null;
}

export interface EvalCategory {
  readonly name: string;
  /** Keys of the good training images. */
  readonly train: readonly string[];
  readonly test: readonly EvalTestImage[];
}

export interface EvalJob {
  /** One model per group; a group of several categories is one multi-class model (classes = their names). */
  readonly groups: readonly (readonly EvalCategory[])[];
  readonly backbone: BackboneChoice;
  readonly settings: TrainingSettings;
  readonly resolution: Resolution;
  readonly path: PathOption;
  /** Output key for the trained model's bundle (one group only), or null. */
  readonly bundleOut: string | null;
  /**
   * Tuning (one group only): the candidates of tuningCandidates(settings) are trained and
   * evaluated, cheapest first, while the budget lasts; the page keeps the best by its capability
   * check at α and ε (good images only), and reports every candidate. Null: the settings as they are.
   */
  readonly tune: { readonly budgetSeconds: number; readonly alpha: number; readonly epsilon: number } | null;
  /** Regions of interest the figures are given within (beside the whole image's), kept with the model; null: none. */
  readonly regions: RegionSpec | null;
}

export interface BackboneUsed {
  readonly name: string;
  readonly sha256: string;
  readonly dim: number;
  readonly path: ExecutionPath;
  /** The measured paths, when this run measured them. */
  readonly timings: readonly PathTiming[] | null;
}

export interface CategoryRun {
  readonly name: string;
  /** The figures, within the regions of interest where there are some. */
  readonly report: EvaluationReport;
  /** The image calibration the QC counts take their threshold from (within the regions, where there are some); null without one. */
  readonly imageCalibration: ImageCalibration | null;
  /**
   * With regions of interest: the figures and calibration over the whole image, and the capability
   * check is read at that calibration's threshold (its plants were scored over the whole image).
   */
  readonly wholeImage: { readonly report: EvaluationReport; readonly imageCalibration: ImageCalibration | null; readonly goodWorstCells: BorderCount } | null;
  /** The model's capability check; null where it has none (no image calibration). */
  readonly capability: CapabilityCheck | null;
  /** Seconds inspecting this category's test images (the engine's calls). */
  readonly inspectSeconds: number;
  /** Seconds scoring the maps against the masks. */
  readonly evaluateSeconds: number;
  /** Where the good test images' worst cells lie (see BorderCount), within the regions where there are any. */
  readonly goodWorstCells: BorderCount;
}

/**
 * Of a set of images, how many have their worst spot (the cell their severity comes from) on
 * the grid's outer ring of patches, and the ring's share of the grid summed over the images:
 * what the count would be if the worst spot fell anywhere by chance.
 */
export interface BorderCount {
  readonly images: number;
  readonly onBorder: number;
  readonly expected: number;
}

export interface GroupRun {
  readonly settings: TrainingSettings;
  /** Seconds per training stage (the model's summary). */
  readonly training: Readonly<Record<TrainingStage, number>>;
  /** Where the training kernels ran. */
  readonly kernels: 'gpu' | 'cpu';
  readonly classes: readonly string[];
  readonly validEtalons: readonly number[];
  readonly categories: readonly CategoryRun[];
  /** With tuning: every candidate trained, in the order tried (this run is the first of them). */
  readonly candidates?: readonly GroupRun[];
}

export interface EvalResult {
  readonly engine: EngineInfo;
  readonly backbone: BackboneUsed;
  /** Seconds to open the engine, and to add and open the backbone. */
  readonly setupSeconds: number;
  readonly backboneSeconds: number;
  readonly groups: readonly GroupRun[];
}

export interface InspectImage {
  /** The image's key: its path relative to the images folder. */
  readonly key: string;
  /** Output key of its heatmap PNG. */
  readonly heatmap: string;
}

export interface InspectJob {
  /** The bundle's data key. */
  readonly bundle: string;
  /** The bundle's path as given, for messages. */
  readonly bundleName: string;
  readonly images: readonly InspectImage[];
  /** null: the built-in one when the model was trained on it, else the bundle's own. */
  readonly backbone: BackboneChoice | null;
  readonly resolution: Resolution;
  readonly path: PathOption;
  /** Regions of interest that replace the bundle's (--roi); null: the bundle's own. */
  readonly regions: RegionSpec | null;
}

export interface InspectedImage {
  readonly key: string;
  readonly imageScore: number | null;
  /** The image severity, nats; null for an image that could not be scored. */
  readonly severity: number | null;
  /** The image's size in pixels. */
  readonly width: number | null;
  readonly height: number | null;
  readonly seconds: number | null;
  /** Why the image could not be inspected; null when it was. */
  readonly error: string | null;
}

export interface InspectResult {
  readonly engine: EngineInfo;
  readonly backbone: BackboneUsed;
  readonly images: readonly InspectedImage[];
  /** The bundle's image calibration, within the regions where there are some; null for a bundle from before image verdicts. */
  readonly imageCalibration: ImageCalibration | null;
  /** The regions of interest the images were judged within; null: the whole image. */
  readonly regions: RegionSpec | null;
  /** The operating point the bundle was exported with; null in bundles from before it. */
  readonly operatingPoint: OperatingPoint | null;
}

export interface CliFailure {
  readonly code: ExitCode;
  readonly message: string;
}

declare global {
  interface Window {
    cliJob(): Promise<unknown>;
    cliProgress(line: string): Promise<void>;
    cliDone(result: unknown): Promise<void>;
    cliFail(failure: CliFailure): Promise<void>;
  }
}
