/** The kernel benchmark's report, shared by the page that measures and the scripts that print. */
import type { AdapterDescription } from '../../src/gpu/device';
import type { KernelBenchSizes } from './kernelsPlan';

/** Where a kernel ran: our WGSL, the CPU path (ONNX graphs on ONNX Runtime's wasm backend), or plain JS (src/core). */
export type KernelPath = 'webgpu' | 'ort-wasm' | 'js-reference';

/**
 * How a time was taken: 'gpu-timestamp' is the GPU's own clock around the compute pass; 'wall'
 * is performance.now() around the call (for the GPU, submit until onSubmittedWorkDone).
 */
export type Clock = 'gpu-timestamp' | 'wall';

export interface StepTiming {
  readonly path: KernelPath;
  /** Points in all, split over `classes`. */
  readonly points: number;
  readonly classes: number;
  /** Etalons per class. */
  readonly etalons: number;
  readonly dim: number;
  /** Rows of the timed step: the batch, or a whole class smaller than it. */
  readonly stepRows: number;
  /** Steps per epoch over all classes. */
  readonly stepsPerEpoch: number;
  readonly warmupSteps: number;
  readonly timedSteps: number;
  readonly clock: Clock;
  /** Milliseconds per step on `clock`. */
  readonly stepMs: { readonly median: number; readonly min: number };
  /** Median wall time per step (equal to stepMs off the GPU). */
  readonly wallStepMs: number;
  /** stepsPerEpoch × median step. */
  readonly epochMs: number;
  /** 4·B·K·D over the median step. */
  readonly gflops: number;
  /** The official code's work for the same epoch over ours: it scores every point against all C·K etalons. */
  readonly officialWorkRatio: number;
  /** The CPU path's median step over this path's, same case, same run: above 1 this path is faster. */
  readonly speedupVsCpu: number | null;
  /** Set instead of the times when the path could not run the case. */
  readonly error?: string;
}

export interface ScoringTiming {
  readonly path: Exclude<KernelPath, 'js-reference'>;
  readonly classes: number;
  /** Etalons per class. */
  readonly etalons: number;
  readonly dim: number;
  readonly image: number;
  /** Feature grid side (image / patch) and the side after up-sampling. */
  readonly grid: number;
  readonly upsampled: number;
  readonly warmupRuns: number;
  /** Timed runs. */
  readonly runs: number;
  readonly clock: Clock;
  /** Milliseconds per image. */
  readonly medianMs: number;
  readonly minMs: number;
  /** image² / median. */
  readonly pixelsPerSecond: number;
  readonly speedupVsCpu: number | null;
  readonly error?: string;
}

export interface KernelsBenchReport {
  readonly adapter: AdapterDescription | null;
  readonly userAgent: string;
  readonly hardwareConcurrency: number;
  readonly crossOriginIsolated: boolean;
  readonly wasmThreads: number;
  readonly quick: boolean;
  readonly sizes: KernelBenchSizes;
  readonly condensation: readonly StepTiming[];
  readonly scoring: readonly ScoringTiming[];
  /** What the numbers include and leave out, for a reader of the JSON alone. */
  readonly notes: readonly string[];
}

declare global {
  interface Window {
    /** Set by the page when it is done; the driver waits for it. */
    kernelsBench?: KernelsBenchReport | { readonly error: string };
  }
}
