/**
 * The GPU buffers of one job (a training, an image's inspection, a benchmark case): whatever is
 * created through the scope is destroyed with it, so a job ends with one `destroy()` whichever
 * way it ends.
 */
import type { Matrix } from '../core/tensor';
import { createGpuMatrix, createGpuVector, createStorage, uploadMatrix, type GpuMatrix, type GpuVector } from './gpuMatrix';

export class GpuScope {
  readonly device: GPUDevice;
  private readonly buffers: GPUBuffer[] = [];

  constructor(device: GPUDevice) {
    this.device = device;
  }

  /** Takes over a buffer (or a view's buffer) made elsewhere. */
  own<T extends GPUBuffer | { readonly buffer: GPUBuffer }>(owned: T): T {
    this.buffers.push('buffer' in owned ? owned.buffer : owned);
    return owned;
  }

  /** A zeroed storage buffer of `floats` 32-bit values. */
  storage(floats: number, label: string): GPUBuffer {
    return this.own(createStorage(this.device, floats, label));
  }

  matrix(rows: number, cols: number, label: string, stride?: number): GpuMatrix {
    return this.own(createGpuMatrix(this.device, rows, cols, label, stride));
  }

  vector<Element extends 'f32' | 'u32'>(length: number, element: Element, label: string): GpuVector<Element> {
    return this.own(createGpuVector(this.device, length, element, label));
  }

  /** A new GPU matrix holding `m`. */
  upload(m: Matrix, label: string): GpuMatrix {
    return this.own(uploadMatrix(this.device, m, label));
  }

  /** Destroys every buffer of the scope; work already submitted still completes. */
  destroy(): void {
    for (const buffer of this.buffers.splice(0)) buffer.destroy();
  }
}

/** Runs `job` with a new scope and destroys the scope's buffers when it settles. */
export async function withGpuScope<T>(device: GPUDevice, job: (scope: GpuScope) => Promise<T>): Promise<T> {
  const scope = new GpuScope(device);
  try {
    return await job(scope);
  } finally {
    scope.destroy();
  }
}
