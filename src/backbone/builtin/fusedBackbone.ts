/**
 * The built-in backbone's scoring features without ONNX Runtime, from kernels that compute its
 * graph's tokens (builtinBackbone.ts, which stays the reference): on the CPU path the fused wasm
 * SIMD kernel (filterBank.ts), on the WebGPU path the WGSL kernels (src/gpu/filterBankKernels.ts),
 * whose tokens stay on the GPU for the scoring kernels. openScoringKernel is the one place that
 * picks between them: backbone.ts runs its choice for Backbone.run(…, 'scoring'), and the image
 * worker runs the CPU kernel alone to make an inspection's next features while the engine scores
 * the current image.
 */
import type { Backbone, BackboneOutput, CpuTokens } from '../backbone';
import type { ModelContract } from '../contract';
import type { SessionTarget } from '../ortSession';
import type { PixelTensor } from '../preprocess';
import type { FilterBankConstants } from '../../gpu/filterBankKernels';
import { BUILTIN_CONSTANTS, BUILTIN_DIM, opponentConv } from './builtinBackbone';
import { openFilterBank, type FilterBank } from './filterBank';

/** The built-in backbone's tokens for scoring, on one execution path. */
export interface ScoringKernel {
  /** Whether it needs nothing but the pixels (the CPU kernel): a thread of its own can make the features ahead. */
  readonly portable: boolean;
  tokens(pixels: PixelTensor): Promise<BackboneOutput>;
}

export async function openScoringKernel(contract: ModelContract, target: SessionTarget): Promise<ScoringKernel> {
  if (target.path === 'wasm') {
    const bank = await openFilterBank();
    return { portable: true, tokens: async (pixels) => fusedTokens(bank, contract, pixels) };
  }
  // Loaded only here: the image workers and the scripts that run in Node (which cannot load
  // WGSL sources) reach this module for the CPU kernel alone.
  const { openFilterBankTokens } = await import('../../gpu/filterBankTokens');
  const run = await openFilterBankTokens(target.gpu.device, gpuConstants());
  return {
    portable: false,
    async tokens(pixels) {
      const [, , height, width] = pixels.dims;
      const out = run(pixels.data, { height, width });
      return { location: 'gpu', buffer: out.buffer, ...tokenLayout(contract, pixels, out.cols), dispose: () => out.buffer.destroy() };
    },
  };
}

function fusedTokens(bank: FilterBank, contract: ModelContract, pixels: PixelTensor): CpuTokens {
  return { location: 'cpu', data: bank.tokens(pixels.data, pixels.dims), ...tokenLayout(contract, pixels, BUILTIN_DIM) };
}

/** The tokens' shape, with the width the kernel wrote (so a kernel that drifted from the graph fails its dims check). */
function tokenLayout({ patchSize, prefixTokens }: ModelContract, pixels: PixelTensor, dim: number): Pick<CpuTokens, 'dims' | 'grid' | 'prefixTokens'> {
  const [, , height, width] = pixels.dims;
  const grid = { height: height / patchSize, width: width / patchSize };
  return { dims: [1, prefixTokens + grid.height * grid.width, dim], grid, prefixTokens };
}

function gpuConstants(): FilterBankConstants {
  const { weights, bias } = opponentConv();
  const { normalisationFloor, normalisationGain, energyFloor, colourGain } = BUILTIN_CONSTANTS;
  return { weights, bias, normalisationFloor, normalisationGain, energyFloor, colourGain };
}

/** The built-in backbone for scoring only, on the CPU path; `contract` is its own, as the engine checked it. */
export async function fusedScoringBackbone(contract: ModelContract): Promise<Backbone> {
  const kernel = await openScoringKernel(contract, { path: 'wasm' });
  return {
    path: 'wasm',
    contract,
    fused: true,
    async run(pixels, purpose = 'training') {
      if (purpose !== 'scoring') throw new Error('the fused kernel alone makes scoring features; training runs the graph');
      return kernel.tokens(pixels);
    },
    release: async () => undefined,
  };
}
