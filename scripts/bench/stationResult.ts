/** The station soak's report, shared by the page that measures and the script that prints. */

export interface StationSample {
  /** Camera frames offered so far. */
  readonly frames: number;
  readonly inspected: number;
  readonly dropped: number;
  /** The page's JS memory (the station's workflow, stores and screen-less state), bytes. */
  readonly pageHeapBytes: number | null;
  /** The workers' JS memory (the engine worker and ONNX Runtime's wasm threads), bytes. */
  readonly workerHeapBytes: number | null;
}

export interface StationBenchReport {
  readonly frames: number;
  /** Frames a second the page tries to offer (a camera faster than the model); a busy page offers fewer. */
  readonly framesPerSecond: number;
  readonly inspected: number;
  readonly dropped: number;
  /** Decisions the audit log holds for the shift at the end: one per part inspected. */
  readonly logged: number;
  readonly seconds: number;
  /**
   * Of `seconds`, those spent taking the memory samples: the browser's measurement takes up to a
   * minute, and no frame is offered meanwhile, so the station's own rate leaves them out.
   */
  readonly samplingSeconds: number;
  readonly path: string;
  readonly longestSide: number;
  readonly samples: readonly StationSample[];
  /** (largest − smallest) / smallest after the first sample. */
  readonly pageHeapSpread: number | null;
  readonly workerHeapSpread: number | null;
}

declare global {
  interface Window {
    /** Set by the page when it is done; the driver waits for it. */
    stationBench?: StationBenchReport | { readonly error: string };
  }
}
