/**
 * The one ONNX Runtime build of the app: `onnxruntime-web/webgpu`. It carries the native WebGPU
 * execution provider (which accepts our own GPUDevice) and the wasm CPU provider in the same
 * binary, so both execution paths load one wasm file.
 */
import * as ort from 'onnxruntime-web/webgpu';

// ONNX Runtime logs graph optimisations at 'warning'; the app reports its own errors.
ort.env.logLevel = 'error';

/**
 * wasm threads need SharedArrayBuffer, which needs cross-origin isolation (COOP/COEP headers).
 * ONNX Runtime's default is half the cores, leaving room for a busy UI thread; the backbone runs
 * in the engine worker while the UI waits, so it gets every core, up to 8 (beyond that a ViT
 * scales poorly). Set here so it can be shown before the first session exists.
 */
ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.min(8, navigator.hardwareConcurrency || 1) : 1;

export { ort };

/** How many threads the wasm path runs with. */
export function wasmThreads(): number {
  return ort.env.wasm.numThreads ?? 1;
}
