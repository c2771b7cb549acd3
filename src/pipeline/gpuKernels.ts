/**
 * The GPU kernel families the pipeline uses, compiled once per device on first use: compiling
 * takes seconds on a software adapter, and the engine keeps one device for its lifetime.
 */
import { createAdamWKernel, type AdamWKernel } from '../gpu/adamwKernel';
import { MlpKernels } from '../gpu/mlpKernels';
import { ResampleKernels } from '../gpu/resampleKernels';
import { ScoringKernels } from '../gpu/scoringKernels';

interface Families {
  readonly mlp: MlpKernels;
  readonly adamw: AdamWKernel;
  readonly scoring: ScoringKernels;
  readonly resample: ResampleKernels;
}

const compilers: { readonly [F in keyof Families]: (device: GPUDevice) => Promise<Families[F]> } = {
  mlp: (device) => MlpKernels.create(device),
  adamw: createAdamWKernel,
  scoring: (device) => ScoringKernels.create(device),
  resample: (device) => ResampleKernels.create(device),
};

const byDevice = new WeakMap<GPUDevice, Map<keyof Families, Promise<unknown>>>();

export function gpuKernels<F extends keyof Families>(device: GPUDevice, family: F): Promise<Families[F]> {
  let families = byDevice.get(device);
  if (!families) byDevice.set(device, (families = new Map()));
  let kernels = families.get(family) as Promise<Families[F]> | undefined;
  if (!kernels) {
    kernels = compilers[family](device);
    // A failed compilation is not kept: the next job tries again and reports it again.
    kernels.catch(() => families.delete(family));
    families.set(family, kernels);
  }
  return kernels;
}
