/**
 * One image through the filter bank kernels (filterBankKernels.ts) as one submit: the pixels go
 * up, the tokens stay on the GPU for the scoring kernels to read, and the scratch planes are
 * freed as soon as the GPU is done with them.
 */
import { createGpuMatrix, writeVector, type GpuMatrix } from './gpuMatrix';
import { GpuScope } from './gpuScope';
import { FILTER_BANK_DIM, FILTER_BANK_PATCH, type FilterBankConstants, type ImageSize } from './filterBankKernels';
import { KernelRecorder } from './kernelRecorder';
import { gpuKernels } from './kernels';

/**
 * pixel_values [3, H, W] → tokens [1 + h·w, FILTER_BANK_DIM], CLS first, in a new buffer the
 * caller destroys. Returns once the work is submitted, not done: later work on the device's
 * queue sees the tokens.
 */
export type FilterBankTokens = (pixels: Float32Array, size: ImageSize) => GpuMatrix;

/** Compiles the kernels first, so a device that cannot run them fails here, not at an image. */
export async function openFilterBankTokens(device: GPUDevice, constants: FilterBankConstants): Promise<FilterBankTokens> {
  const kernels = await gpuKernels(device, 'filterBank');
  return (pixels, size) => {
    const patches = (size.height / FILTER_BANK_PATCH) * (size.width / FILTER_BANK_PATCH);
    const out = createGpuMatrix(device, 1 + patches, FILTER_BANK_DIM, 'built-in backbone tokens', FILTER_BANK_DIM);
    const scope = new GpuScope(device);
    try {
      const input = scope.vector(pixels.length, 'f32', 'built-in backbone pixel_values');
      writeVector(device, input, pixels);
      const rec = new KernelRecorder(device, 'built-in backbone');
      kernels.tokens(rec, scope, input, size, constants, out);
      rec.submit();
      return out;
    } catch (error) {
      out.buffer.destroy();
      throw error;
    } finally {
      // Submitted work keeps what it uses alive: destroying now frees the scratch when it ends.
      scope.destroy();
    }
  };
}
