/**
 * Backbone tokens → the feature grid the method works on: drop the CLS and register tokens,
 * view the patch tokens as [h, w, D], and optionally up-sample bilinearly ×f (the paper's
 * eval_scale_factor) so scores come out at a finer resolution than one per patch.
 */
import type { GridSize } from '../core/geometry';
import { upsampleGrid } from '../core/resample';
import { tensor, type Tensor, type Tensor3 } from '../core/tensor';

/** A backbone output on the CPU: [1, T, D] with T = prefix + h·w. */
export type TokenTensor = Tensor<readonly [1, tokens: number, features: number]>;

/** Patch tokens [1, prefix + h·w, D] → grid [h, w, D] (a copy, so the output buffer can go). */
export function tokensToGrid(tokens: TokenTensor, prefixTokens: number, grid: GridSize): Tensor3 {
  const [, count, dim] = tokens.dims;
  const patches = grid.height * grid.width;
  if (count !== prefixTokens + patches) {
    throw new RangeError(`tokensToGrid: ${count} tokens is not ${prefixTokens} prefix + ${grid.height}×${grid.width} patches`);
  }
  const data = tokens.data.slice(prefixTokens * dim, count * dim);
  return tensor([grid.height, grid.width, dim] as const, data);
}

/** Grid [h, w, D] → [h·factor, w·factor, D]; factor 1 returns the grid itself. */
export function upsampleFeatures(grid: Tensor3, factor: number): Tensor3 {
  return factor === 1 ? grid : upsampleGrid(grid, factor);
}
