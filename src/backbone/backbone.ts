/**
 * A backbone ready to run on one execution path. On the WebGPU path its output stays on the GPU
 * (a GPUBuffer on the engine's device, for our kernels to read directly); on the wasm path it is
 * a Float32Array. `readTokens` brings either to the CPU.
 */
import type { GridSize } from '../core/geometry';
import { tensor } from '../core/tensor';
import type { GpuContext } from '../gpu/device';
import { readFloat32 } from '../gpu/readback';
import { buildBuiltinBackbone } from './builtin/builtinBackbone';
import { openScoringKernel } from './builtin/fusedBackbone';
import type { ModelContract } from './contract';
import type { TokenTensor } from './featureGrid';
import { ort } from './ort';
import { openSession, type ExecutionPath, type SessionTarget } from './ortSession';
import type { PixelTensor } from './preprocess';

interface TokensBase {
  /** [1, T, D], T = prefixTokens + grid.height·grid.width. */
  readonly dims: readonly [1, tokens: number, features: number];
  readonly grid: GridSize;
  readonly prefixTokens: number;
}

/** Tokens in a GPU buffer of the engine's device, row-major [1, T, D] float32 from byte 0. */
export interface GpuTokens extends TokensBase {
  readonly location: 'gpu';
  /**
   * Owned by ONNX Runtime (padded past T·D floats) or by the built-in backbone's kernels: size
   * reads from `dims`, and call `dispose` once done (the buffer goes back to ONNX Runtime's
   * pool, or is destroyed).
   */
  readonly buffer: GPUBuffer;
  dispose(): void;
}

export interface CpuTokens extends TokensBase {
  readonly location: 'cpu';
  readonly data: Float32Array;
}

export type BackboneOutput = GpuTokens | CpuTokens;

/** What a run's features are for: training builds a model from them, scoring compares them with one. */
export type RunPurpose = 'training' | 'scoring';

export interface Backbone {
  readonly path: ExecutionPath;
  readonly contract: ModelContract;
  /**
   * Whether its scoring features come from the built-in backbone's fused CPU kernel, which needs
   * nothing but the pixels: a thread of its own can make them ahead (fusedScoringBackbone).
   */
  readonly fused: boolean;
  /**
   * Scoring may take a faster implementation of the same features (the built-in backbone's
   * kernels: the fused CPU kernel within 2·10⁻⁵ of its graph, the WGSL kernels on the WebGPU
   * path; builtin/fusedBackbone.ts); training always runs the model's own graph,
   * since the condensation amplifies float rounding into its etalons (README, Performance).
   */
  run(pixels: PixelTensor, purpose?: RunPurpose): Promise<BackboneOutput>;
  release(): Promise<void>;
}

export async function loadBackbone(model: Uint8Array, contract: ModelContract, target: SessionTarget): Promise<Backbone> {
  const session = await openSession(model, target, { outputOnGpu: true });
  const scoring = isBuiltinGraph(model) ? await openScoringKernel(contract, target).catch(async (error: unknown) => {
    await session.release();
    throw error;
  }) : null;
  const { inputName, outputName, prefixTokens, patchSize } = contract;
  return {
    path: target.path,
    contract,
    fused: scoring?.portable ?? false,
    async run(pixels, purpose = 'training') {
      const [, , height, width] = pixels.dims;
      if (contract.fixedInput && (contract.fixedInput.height !== height || contract.fixedInput.width !== width)) {
        throw new RangeError(`this backbone takes ${contract.fixedInput.width}×${contract.fixedInput.height} pixels, got ${width}×${height}`);
      }
      const grid = { height: height / patchSize, width: width / patchSize };
      if (scoring && purpose === 'scoring') return scoring.tokens(pixels);
      const input = new ort.Tensor('float32', pixels.data, pixels.dims);
      const output = (await session.run({ [inputName]: input }, [outputName]))[outputName];
      const [batch, tokens, features] = output.dims;
      if (batch !== 1 || tokens !== prefixTokens + grid.height * grid.width) {
        output.dispose();
        throw new RangeError(`backbone output [${output.dims.join(', ')}] does not match its checked layout at ${width}×${height}`);
      }
      const dims = [1, tokens, features] as const;
      if (output.location === 'gpu-buffer') {
        return { location: 'gpu', buffer: output.gpuBuffer as GPUBuffer, dims, grid, prefixTokens, dispose: () => output.dispose() };
      }
      return { location: 'cpu', data: output.data as Float32Array, dims, grid, prefixTokens };
    },
    release: () => session.release(),
  };
}

let builtinGraph: Uint8Array | null = null;

/** The built-in backbone is recognised by its bytes: the graph the project generates, nothing like it. */
function isBuiltinGraph(model: Uint8Array): boolean {
  const reference = (builtinGraph ??= buildBuiltinBackbone());
  return model.length === reference.length && model.every((byte, i) => byte === reference[i]);
}

/** The output's tokens on the CPU; a GPU output is read back (and stays owned by the caller). */
export async function readTokens(output: BackboneOutput, gpu: GpuContext | null): Promise<TokenTensor> {
  if (output.location === 'cpu') return tensor(output.dims, output.data);
  if (!gpu) throw new Error('readTokens: a GPU output needs the GPU context it was made on');
  const [, tokens, features] = output.dims;
  return tensor(output.dims, await readFloat32(gpu.device, output.buffer, tokens * features));
}
