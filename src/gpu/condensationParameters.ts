/**
 * Where a condensation's trainable numbers live on the GPU. Etalons [K, D] and θ [K] share one
 * buffer (and their gradients another of the same layout) so that AdamW is a single pass over
 * both; θ starts at the first storage-binding offset after the etalons.
 */
import { paddedStride, type GpuMatrix, type GpuVector } from './gpuMatrix';
import type { GpuScope } from './gpuScope';

export interface CondensationParameters {
  readonly values: GPUBuffer;
  readonly gradients: GPUBuffer;
  /** The etalons [K, D] (or their gradient) inside `buffer`. */
  etalons(buffer: GPUBuffer): GpuMatrix;
  /** θ [K] (or its gradient) inside `buffer`. */
  theta(buffer: GPUBuffer): GpuVector<'f32'>;
  /** Everything in `buffer`, as AdamW updates it. */
  flat(buffer: GPUBuffer): GpuVector<'f32'>;
}

/** The two buffers, owned by `scope`. */
export function createCondensationParameters(scope: GpuScope, k: number, d: number, label: string): CondensationParameters {
  const stride = paddedStride(d);
  const align = scope.device.limits.minStorageBufferOffsetAlignment / 4;
  const thetaStart = Math.ceil((k * stride) / align) * align;
  const count = thetaStart + k;
  return {
    values: scope.storage(count, `${label} parameters`),
    gradients: scope.storage(count, `${label} gradients`),
    etalons: (buffer) => ({ buffer, offset: 0, rows: k, cols: d, stride }),
    theta: (buffer) => ({ buffer, offset: thetaStart * 4, length: k, element: 'f32' }),
    flat: (buffer) => ({ buffer, offset: 0, length: count, element: 'f32' }),
  };
}
