/**
 * Opens an ONNX Runtime session on one execution path, turning ONNX Runtime's error strings
 * into ModelErrors a person can read.
 */
import { NO_SPINNING } from '../gpu/cpu/graph';
import type { GpuContext } from '../gpu/device';
import { ModelError } from './errors';
import { ort } from './ort';

/** Where the backbone runs: the GPU through WebGPU, or the CPU through multi-threaded wasm. */
export type ExecutionPath = 'webgpu' | 'wasm';

export type SessionTarget = { readonly path: 'wasm' } | { readonly path: 'webgpu'; readonly gpu: GpuContext };

export interface SessionOptions {
  /** Leave outputs in GPU buffers on the WebGPU path (for our kernels); else they are copied to the CPU. */
  readonly outputOnGpu?: boolean;
}

export async function openSession(model: Uint8Array, target: SessionTarget, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  const session: ort.InferenceSession.SessionOptions =
    target.path === 'webgpu'
      ? {
          // Our device, not one ONNX Runtime would create: its output buffers must be usable by our kernels.
          executionProviders: [{ name: 'webgpu', device: target.gpu.device }],
          ...(options.outputOnGpu ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
        }
      : { executionProviders: ['wasm'] };
  try {
    // Severity 3 (errors): the native side warns about every node it leaves on the CPU, which is by design.
    return await ort.InferenceSession.create(model, { ...session, ...NO_SPINNING, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
  } catch (error) {
    throw sessionError(error, target.path);
  }
}

/** ONNX Runtime reports a file it cannot parse as protobuf with status code 7 (INVALID_PROTOBUF). */
function sessionError(error: unknown, path: ExecutionPath): ModelError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/ERROR_CODE: 7\b|protobuf parsing failed/i.test(detail)) {
    return new ModelError('not-onnx', `This file is not an ONNX model (ONNX Runtime could not read it: ${ortReason(detail)}). Choose the .onnx file of a vision transformer.`);
  }
  const where = path === 'webgpu' ? 'on the GPU (WebGPU)' : 'on the CPU (WebAssembly)';
  return new ModelError('model-unsupported', `ONNX Runtime cannot run this model ${where}: ${ortReason(detail)}`);
}

/** The human part of ONNX Runtime's "Can't create a session. ERROR_CODE: n, ERROR_MESSAGE: ..." text. */
function ortReason(detail: string): string {
  const match = /ERROR_MESSAGE:\s*(.*)$/s.exec(detail);
  return (match ? match[1] : detail).trim().replace(/\.$/, '');
}
