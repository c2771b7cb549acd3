/**
 * The built-in backbone's scoring features from its fused kernel (filterBank.ts), without ONNX
 * Runtime: what backbone.ts runs for scoring on the CPU path, and what the image worker runs
 * alone to make an inspection's next features while the engine scores the current image.
 */
import type { Backbone, CpuTokens } from '../backbone';
import type { ModelContract } from '../contract';
import type { PixelTensor } from '../preprocess';
import { BUILTIN_DIM } from './builtinBackbone';
import { openFilterBank, type FilterBank } from './filterBank';

export function fusedTokens(bank: FilterBank, { patchSize, prefixTokens }: ModelContract, pixels: PixelTensor): CpuTokens {
  const [, , height, width] = pixels.dims;
  const grid = { height: height / patchSize, width: width / patchSize };
  return { location: 'cpu', data: bank.tokens(pixels.data, pixels.dims), dims: [1, prefixTokens + grid.height * grid.width, BUILTIN_DIM], grid, prefixTokens };
}

/** The built-in backbone for scoring only; `contract` is its own, as the engine checked it. */
export async function fusedScoringBackbone(contract: ModelContract): Promise<Backbone> {
  const bank = await openFilterBank();
  return {
    path: 'wasm',
    contract,
    fused: true,
    async run(pixels, purpose = 'training') {
      if (purpose !== 'scoring') throw new Error('the fused kernel alone makes scoring features; training runs the graph');
      return fusedTokens(bank, contract, pixels);
    },
    release: async () => undefined,
  };
}
