/**
 * One image through the backbone: its input geometry (longer side → whole patches, aspect kept;
 * the image's own size for a native inspection; a fixed-size model takes its own size), the
 * preprocessing the backbone declares, and the patch tokens. An input with a side over
 * RUN_LIMITS.maxSide patches runs as overlapping tiles (core/tiling.ts), so one run's memory
 * stays bounded however large the image.
 */
import { readTokens, type Backbone, type RunPurpose } from '../backbone/backbone';
import { tokensToGrid, upsampleFeatures } from '../backbone/featureGrid';
import { preprocess, type RgbaImage } from '../backbone/preprocess';
import { inputGeometry, type GridSize, type InputGeometry } from '../core/geometry';
import { tensor, type Matrix, type Tensor3 } from '../core/tensor';
import { stitchTiles, tilePixels, tilePlan } from '../core/tiling';
import type { GpuContext } from '../gpu/device';
import type { GpuMatrix } from '../gpu/gpuMatrix';
import { NATIVE_MAX_SIDE } from '../core/model/requests';

/** The engine's backbone and the GPU its outputs live on (null on the wasm path without WebGPU). */
export interface FeatureSource {
  readonly backbone: Backbone;
  readonly gpu: GpuContext | null;
  /** What the features are for (Backbone.run); training when absent. */
  readonly purpose?: RunPurpose;
}

/** How large one backbone run may be, in patches a side, and the context a tile keeps around its core. */
export interface RunLimits {
  readonly maxSide: number;
  readonly margin: number;
}

/**
 * 128 patches a side is 1,792 px with 14-px patches, the largest input size a model trains at, so
 * training always runs whole images. The margin holds the built-in backbone's whole reach (about
 * 136 px: its contrast window, its filter pyramid and the 3×3 patch context), so tiling it gives
 * the features of one run; a ViT's attention spans its whole input, so a tile sees less context.
 */
export const RUN_LIMITS: RunLimits = { maxSide: 128, margin: 10 };

/**
 * The most feature cells a native inspection scores, after up-sampling: as many as a 1,792-px
 * input (128 × 128 patches) at ×3, so a large image costs no more memory than the largest input a
 * model trains at with the default up-sampling.
 */
const MAX_NATIVE_CELLS = 128 * 128 * 9;

/** The input's longer side: the model's input size in pixels, or the image's own ('native'). */
export type LongestSide = number | 'native';

/**
 * Where the image goes in: its longer side → whole patches, aspect kept (core/geometry.ts). A
 * native input is the image's own size rounded down to whole patches, as the official code tests,
 * scaled down where its grid up-sampled ×`upsample` would pass MAX_NATIVE_CELLS.
 */
export function imageGeometry(backbone: Backbone, image: RgbaImage, longestSide: LongestSide, upsample = 1): InputGeometry {
  const { fixedInput, patchSize } = backbone.contract;
  if (fixedInput) return { input: fixedInput, grid: { height: fixedInput.height / patchSize, width: fixedInput.width / patchSize }, patchSize };
  if (longestSide !== 'native') return inputGeometry(image, longestSide, patchSize);
  const wholePatches = (side: number) => inputGeometry(image, Math.max(1, Math.floor(side / patchSize)) * patchSize, patchSize);
  const side = Math.min(Math.max(image.width, image.height), NATIVE_MAX_SIDE);
  const geometry = wholePatches(side);
  const cells = geometry.grid.height * geometry.grid.width * upsample ** 2;
  return cells <= MAX_NATIVE_CELLS ? geometry : wholePatches(side * Math.sqrt(MAX_NATIVE_CELLS / cells));
}

/** Whether the input needs more than one backbone run. */
function isTiled({ grid }: InputGeometry): boolean {
  return grid.height > RUN_LIMITS.maxSide || grid.width > RUN_LIMITS.maxSide;
}

/** The feature grid [h, w, D] of one image on the CPU: one run, or its tiles stitched. */
export async function featureGrid({ backbone, gpu, purpose }: FeatureSource, image: RgbaImage, geometry: InputGeometry, limits = RUN_LIMITS): Promise<Tensor3> {
  const pixels = preprocess(image, geometry.input, backbone.contract.normalisation);
  const tiles = tilePlan(geometry.grid, limits.maxSide, limits.margin);
  const features: Tensor3[] = [];
  for (const tile of tiles) {
    const output = await backbone.run(tiles.length === 1 ? pixels : tilePixels(pixels, tile, geometry.patchSize), purpose);
    try {
      features.push(tokensToGrid(await readTokens(output, gpu), output.prefixTokens, output.grid));
    } finally {
      if (output.location === 'gpu') output.dispose();
    }
  }
  return tiles.length === 1 ? features[0] : stitchTiles(geometry.grid, tiles, features);
}

/** The grid [h·f, w·f, D] of one image, on the CPU. */
export async function imageFeatures(source: FeatureSource, image: RgbaImage, options: { readonly longestSide: LongestSide; readonly upsample: number }): Promise<{ grid: Tensor3; geometry: InputGeometry }> {
  const geometry = imageGeometry(source.backbone, image, options.longestSide, options.upsample);
  return { grid: upsampleFeatures(await featureGrid(source, image, geometry), options.upsample), geometry };
}

/** An image's patch tokens [h·w, D] for a GPU scorer; `dispose` frees what they hold. */
export interface PatchTokens {
  readonly tokens: GpuMatrix | Matrix;
  readonly grid: GridSize;
  dispose(): void;
}

/**
 * One run's tokens stay where the backbone left them (on the GPU path, on the GPU, viewed past
 * the CLS and register tokens); a tiled input's stitched grid comes from the CPU.
 */
export async function patchTokens(source: FeatureSource, image: RgbaImage, geometry: InputGeometry): Promise<PatchTokens> {
  const { grid } = geometry;
  if (isTiled(geometry)) {
    const features = await featureGrid(source, image, geometry);
    return { tokens: tensor([grid.height * grid.width, features.dims[2]] as const, features.data), grid, dispose: () => undefined };
  }
  const { backbone } = source;
  const output = await backbone.run(preprocess(image, geometry.input, backbone.contract.normalisation), source.purpose);
  const [, tokens, dim] = output.dims;
  const rows = tokens - output.prefixTokens;
  if (output.location === 'gpu') return { tokens: { buffer: output.buffer, offset: output.prefixTokens * dim * 4, rows, cols: dim, stride: dim }, grid, dispose: () => output.dispose() };
  // A backbone on the wasm path with a GPU scorer: the tokens go up with the image's buffers.
  return { tokens: tensor([rows, dim] as const, output.data.subarray(output.prefixTokens * dim, tokens * dim)), grid, dispose: () => undefined };
}
