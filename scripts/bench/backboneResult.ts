/** The backbone benchmark's report, shared by the page that measures and the script that prints. */
import type { AdapterDescription } from '../../src/gpu/device';

export interface BackboneTiming {
  readonly model: string;
  readonly path: 'webgpu' | 'wasm';
  /** Input side in pixels (square input). */
  readonly size: number;
  /** Timed runs after one warm-up. */
  readonly runs: number;
  /** Milliseconds per image. */
  readonly medianMs: number;
  readonly minMs: number;
  /** Set instead of the times when the path could not run the model. */
  readonly error?: string;
}

/** How close a precision's patch tokens stay to fp32's on real photographs (1: identical directions). */
export interface PrecisionFidelity {
  readonly precision: string;
  /** The model file's size. */
  readonly bytes: number;
  readonly photos: number;
  readonly meanCosine: number;
  readonly worstCosine: number;
}

/** The official DINOv2 code's forward time on this machine (scripts/bench/pytorch-dinov2.py). */
export interface PytorchTiming {
  readonly pytorch: string;
  readonly threads: number;
  readonly size: number;
  readonly median_ms: number;
  readonly min_ms: number;
  readonly runs: number;
}

export interface BackboneBenchReport {
  readonly adapter: AdapterDescription | null;
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly wasmThreads: number;
  readonly timings: readonly BackboneTiming[];
  /** wasm median / webgpu median per model and size: above 1 the GPU is faster. */
  readonly gpuSpeedup: readonly { readonly model: string; readonly size: number; readonly ratio: number }[];
  /** The real-size model's precisions against fp32; empty without photographs. */
  readonly fidelity: readonly PrecisionFidelity[];
}

declare global {
  interface Window {
    /** Set by the page when it is done; the driver waits for it. */
    backboneBench?: BackboneBenchReport | { readonly error: string };
  }
}
