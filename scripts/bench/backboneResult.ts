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

export interface BackboneBenchReport {
  readonly adapter: AdapterDescription | null;
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly wasmThreads: number;
  readonly timings: readonly BackboneTiming[];
  /** wasm median / webgpu median per model and size: above 1 the GPU is faster. */
  readonly gpuSpeedup: readonly { readonly model: string; readonly size: number; readonly ratio: number }[];
}

declare global {
  interface Window {
    /** Set by the page when it is done; the driver waits for it. */
    backboneBench?: BackboneBenchReport | { readonly error: string };
  }
}
