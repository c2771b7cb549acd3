/**
 * The registry of GPU kernel families: each compiled once per device on first use (compiling
 * takes seconds on a software adapter, and the engine keeps one device for its lifetime). A new
 * kernel family is a class with `static create(device)` that records into a KernelRecorder, and
 * one line here.
 */
import { AdamWKernel } from './adamwKernel';
import { CondensationKernels } from './condensationKernels';
import { DistancesKernel } from './distancesKernel';
import { FilterBankKernels } from './filterBankKernels';
import { MlpKernels } from './mlpKernels';
import { ResampleKernels } from './resampleKernels';
import { ScoringKernels } from './scoringKernels';

interface Families {
  readonly mlp: MlpKernels;
  readonly adamw: AdamWKernel;
  readonly scoring: ScoringKernels;
  readonly resample: ResampleKernels;
  readonly distances: DistancesKernel;
  readonly condensation: CondensationKernels;
  readonly filterBank: FilterBankKernels;
}

export type KernelFamily = keyof Families;

const compilers: { readonly [F in KernelFamily]: (device: GPUDevice) => Promise<Families[F]> } = {
  mlp: (device) => MlpKernels.create(device),
  adamw: (device) => AdamWKernel.create(device),
  scoring: (device) => ScoringKernels.create(device),
  resample: (device) => ResampleKernels.create(device),
  distances: (device) => DistancesKernel.create(device),
  condensation: (device) => CondensationKernels.create(device),
  filterBank: (device) => FilterBankKernels.create(device),
};

const byDevice = new WeakMap<GPUDevice, Map<KernelFamily, Promise<unknown>>>();

export function gpuKernels<F extends KernelFamily>(device: GPUDevice, family: F): Promise<Families[F]> {
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

/** Several families at once, compiled in parallel. */
export async function gpuKernelSet<const F extends readonly KernelFamily[]>(device: GPUDevice, families: F): Promise<{ readonly [K in F[number]]: Families[K] }> {
  const compiled = await Promise.all(families.map((family) => gpuKernels(device, family)));
  return Object.fromEntries(families.map((family, i) => [family, compiled[i]])) as { readonly [K in F[number]]: Families[K] };
}
