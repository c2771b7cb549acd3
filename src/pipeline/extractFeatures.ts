/**
 * One image through the backbone: its input geometry (longer side → whole patches, aspect kept;
 * a fixed-size model takes its own size), the ImageNet preprocessing, and the patch tokens as a
 * feature grid [h, w, D] on the CPU, optionally up-sampled.
 */
import { readTokens, type Backbone, type BackboneOutput } from '../backbone/backbone';
import { tokensToGrid, upsampleFeatures } from '../backbone/featureGrid';
import { preprocess, type RgbaImage } from '../backbone/preprocess';
import { inputGeometry, type InputGeometry } from '../core/geometry';
import type { Tensor3 } from '../core/tensor';
import type { GpuContext } from '../gpu/device';
import type { Preprocessing } from '../core/model/pixoodModel';

/** The engine's backbone and the GPU its outputs live on (null on the wasm path without WebGPU). */
export interface FeatureSource {
  readonly backbone: Backbone;
  readonly gpu: GpuContext | null;
}

export function imageGeometry(backbone: Backbone, image: RgbaImage, longestSide: number): InputGeometry {
  const { fixedInput, patchSize } = backbone.contract;
  if (!fixedInput) return inputGeometry(image, longestSide, patchSize);
  return { input: fixedInput, grid: { height: fixedInput.height / patchSize, width: fixedInput.width / patchSize }, patchSize };
}

/** Runs the backbone; the caller disposes a GPU output once done with it. */
export async function runBackbone(backbone: Backbone, image: RgbaImage, geometry: InputGeometry): Promise<BackboneOutput> {
  return backbone.run(preprocess(image, geometry.input, backbone.contract.normalisation));
}

/** The grid [h·f, w·f, D] of one image, on the CPU. */
export async function imageFeatures({ backbone, gpu }: FeatureSource, image: RgbaImage, options: Preprocessing): Promise<{ grid: Tensor3; geometry: InputGeometry }> {
  const geometry = imageGeometry(backbone, image, options.longestSide);
  const output = await runBackbone(backbone, image, geometry);
  try {
    const grid = tokensToGrid(await readTokens(output, gpu), output.prefixTokens, output.grid);
    return { grid: upsampleFeatures(grid, options.upsample), geometry };
  } finally {
    if (output.location === 'gpu') output.dispose();
  }
}
