/** The inspection benchmark's report, shared by the page that measures and the script that prints. */
import type { Resolution } from '../../src/core/model/requests';
import type { AdapterDescription } from '../../src/gpu/device';

export interface InspectionThroughput {
  readonly path: 'webgpu' | 'wasm';
  /** At the model's input size, or at the images' own ('native'). */
  readonly resolution: Resolution;
  /** The model's input size, px (a native inspection sees the image's own size instead). */
  readonly longestSide: number;
  /** Side of the square test images, px. */
  readonly imageSide: number;
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** Test-image pixels scored per second, millions. */
  readonly megapixelsPerSecond: number;
  /** Set instead of the figures when the path could not run. */
  readonly error?: string;
}

/** One sample of the soak: after `images` images of one streamed run. */
export interface MemorySample {
  readonly images: number;
  /** The page's JS memory (the main thread, which receives every result), bytes (measureUserAgentSpecificMemory). */
  readonly pageHeapBytes: number | null;
  /** The workers' JS memory (the engine worker and ONNX Runtime's wasm threads), bytes. */
  readonly workerHeapBytes: number | null;
}

export interface InspectionBenchReport {
  readonly adapter: AdapterDescription | null;
  readonly wasmThreads: number;
  readonly throughput: readonly InspectionThroughput[];
  /** Counting one image's score map against its mask, and the figures at the end shared out, ms per image. */
  readonly evaluation: { readonly images: number; readonly mapSide: number; readonly msPerImage: number };
  /**
   * The features the training keeps: patches × features × 4 bytes, per 1,000 training images at
   * the benchmark's input size, unbounded; `boundPatches` is the most a one-class project keeps
   * (PatchCollector), so its features never take more than boundPatches × featureDim × 4 bytes.
   */
  readonly trainingMemory: { readonly longestSide: number; readonly patchesPerImage: number; readonly featureDim: number; readonly bytesPer1000Images: number; readonly boundPatches: number };
  /** Many images in one run, memory sampled as it goes: the heaps should stay flat. */
  readonly soak: {
    readonly images: number;
    readonly path: 'webgpu' | 'wasm';
    /** The soak model's input size, px. */
    readonly longestSide: number;
    readonly seconds: number;
    readonly samples: readonly MemorySample[];
    /** (max − min) / min over the samples after the first, per heap; null without samples. */
    readonly pageHeapSpread: number | null;
    readonly workerHeapSpread: number | null;
  };
}

declare global {
  interface Window {
    /** Set by the page when it is done; the driver waits for it. */
    inspectionBench?: InspectionBenchReport | { readonly error: string };
  }
}
