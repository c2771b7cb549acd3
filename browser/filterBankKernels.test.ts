/**
 * The built-in backbone's WGSL kernels (shaders/filterBank.wgsl) against its reference, the ONNX
 * graph run by ONNX Runtime on wasm, in real Chromium: the same tokens to float tolerance on
 * seeded noise, synthetic textures with defects, square and non-square inputs. Sizes are a few
 * patches a side: SwiftShader is slow, and the smoothing's reach (up to 32 px) past such small
 * images puts the replicated edges to work everywhere.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadBackbone, type Backbone } from '../src/backbone/backbone';
import { BUILTIN_DIM } from '../src/backbone/builtin/builtinBackbone';
import { checkModel, type ModelContract } from '../src/backbone/contract';
import type { PixelTensor } from '../src/backbone/preprocess';
import { BUILTIN_MODEL_PATH } from '../src/backbone/presets';
import { createRng } from '../src/core/rng';
import { tensor } from '../src/core/tensor';
import { addDefect, imagenetNormalise, synthesizeTexture, type DefectKind, type TextureKind } from '../src/demo/syntheticDefects';
import { requestGpu, type GpuContext } from '../src/gpu/device';
import { readFloat32 } from '../src/gpu/readback';
import { fetchBytes } from './helpers/vitFixture';

/** As the CPU kernel's bar (filterBank.test.ts): tokens are log energies (about −6…3) and colours; only the order of float32 operations differs. */
const MAX_ABS_ERROR = 5e-5;

/** The label of the buffer the kernels write their tokens to (filterBankTokens.ts). */
const KERNEL_TOKENS = 'built-in backbone tokens';

let gpu: GpuContext;
let contract: ModelContract;
let graph: Backbone;
let kernels: Backbone;

beforeAll(async () => {
  const context = await requestGpu();
  expect(context, 'the browser tests need WebGPU').not.toBeNull();
  gpu = context!;
  gpu.device.addEventListener('uncapturederror', (event) => console.error(`WebGPU: ${(event as GPUUncapturedErrorEvent).error.message}`));
  const bytes = await fetchBytes(`/${BUILTIN_MODEL_PATH}`);
  contract = await checkModel(bytes, { path: 'wasm' });
  graph = await loadBackbone(bytes, contract, { path: 'wasm' });
  kernels = await loadBackbone(bytes, contract, { path: 'webgpu', gpu });
});

afterAll(async () => {
  await graph?.release();
  await kernels?.release();
  gpu?.device.destroy();
});

function pixels(height: number, width: number, rgb: Float32Array): PixelTensor {
  return tensor([1, 3, height, width] as const, imagenetNormalise(rgb, height * width));
}

/** Uniform 8-bit noise, the hardest case for the derivative filters. */
function noise(seed: number, height: number, width: number): PixelTensor {
  const rng = createRng(seed);
  return pixels(height, width, Float32Array.from({ length: 3 * height * width }, () => rng.int(256) / 255));
}

function texture(kind: TextureKind, seed: number, height: number, width: number, defect?: DefectKind): PixelTensor {
  const image = synthesizeTexture(kind, seed, width, height);
  return pixels(height, width, (defect ? addDefect(image, defect, seed + 1) : image).rgb);
}

/** The graph's tokens: the webgpu backbone's training run would be the graph too, but on ONNX Runtime's WebGPU EP. */
async function reference(input: PixelTensor): Promise<Float32Array> {
  const output = await graph.run(input, 'training');
  if (output.location !== 'cpu') throw new Error('the wasm path gives its tokens on the CPU');
  return output.data;
}

async function wgsl(input: PixelTensor): Promise<{ data: Float32Array; label: string; dims: readonly number[] }> {
  const output = await kernels.run(input, 'scoring');
  if (output.location !== 'gpu') throw new Error('the WebGPU path keeps its scoring tokens on the GPU');
  try {
    const [, tokens, dim] = output.dims;
    return { data: await readFloat32(gpu.device, output.buffer, tokens * dim), label: output.buffer.label, dims: output.dims };
  } finally {
    output.dispose();
  }
}

describe('built-in backbone, WGSL kernels against the ONNX graph', () => {
  test('the WebGPU path scores with the kernels and trains with the graph', async () => {
    expect(kernels.path).toBe('webgpu');
    // Only the CPU kernel can run in another thread: the WGSL kernels need the engine's device.
    expect(kernels.fused).toBe(false);
    expect(graph.fused).toBe(true);
    const input = noise(1, 14, 28);
    expect((await wgsl(input)).label).toBe(KERNEL_TOKENS);
    const training = await kernels.run(input, 'training');
    expect(training.location === 'gpu' && training.buffer.label, 'a training run goes through ONNX Runtime').not.toBe(KERNEL_TOKENS);
    if (training.location === 'gpu') training.dispose();
  });

  test.each([
    { name: 'noise 28×42', height: 28, width: 42, input: () => noise(3, 28, 42) },
    { name: 'weave with a scratch 56×56', height: 56, width: 56, input: () => texture('weave', 5, 56, 56, 'scratch') },
    { name: 'granite with a spot 70×28', height: 70, width: 28, input: () => texture('granite', 7, 70, 28, 'spot') },
    { name: 'brushed with a stain 14×14', height: 14, width: 14, input: () => texture('brushed', 9, 14, 14, 'stain') },
    { name: 'weave with a hole 98×126', height: 98, width: 126, input: () => texture('weave', 11, 98, 126, 'hole') },
  ])('$name', async ({ name, height, width, input }) => {
    const image = input();
    const want = await reference(image);
    const got = await wgsl(image);
    const tokens = 1 + (height / 14) * (width / 14);
    expect(got.label, 'the scoring run on the WebGPU path comes from the WGSL kernels').toBe(KERNEL_TOKENS);
    expect(got.dims).toEqual([1, tokens, BUILTIN_DIM]);
    expect(got.data.length).toBe(want.length);
    let worst = 0;
    for (let i = 1; i < want.length; i++) if (!(Math.abs(got.data[i] - want[i]) <= Math.abs(got.data[worst] - want[worst]))) worst = i;
    const error = Math.abs(got.data[worst] - want[worst]);
    const where = `token ${Math.floor(worst / BUILTIN_DIM)} channel ${worst % BUILTIN_DIM}`;
    console.log(`filter bank WGSL vs graph, ${name}: max abs error ${error.toExponential(2)} at ${where}`);
    expect(error, `${name}: max abs error at ${where}: expected ${want[worst]}, got ${got.data[worst]}`).toBeLessThan(MAX_ABS_ERROR);
  });
});
