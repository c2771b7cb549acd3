/**
 * The backbones on both execution paths in real Chromium: the two test ViTs against their
 * recorded PyTorch outputs, and the built-in backbone, path against path, on a preprocessed
 * synthetic texture.
 * Bar: max abs difference ≤ 1e-3 of the feature scale (the largest |value| of the reference).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadBackbone, readTokens } from '../src/backbone/backbone';
import { BUILTIN_DIM, BUILTIN_PATCH } from '../src/backbone/builtin/builtinBackbone';
import { inputGeometry } from '../src/core/geometry';
import { tilePlan } from '../src/core/tiling';
import { featureGrid, RUN_LIMITS } from '../src/pipeline/extractFeatures';
import { addDefect, synthesizeTexture } from '../src/demo/syntheticDefects';
import { checkModel } from '../src/backbone/contract';
import { tokensToGrid } from '../src/backbone/featureGrid';
import type { SessionTarget } from '../src/backbone/ortSession';
import { IMAGENET, preprocess, type RgbaImage } from '../src/backbone/preprocess';
import { BUILTIN_MODEL_PATH } from '../src/backbone/presets';
import { requestGpu, type GpuContext } from '../src/gpu/device';
import { DECLARED_DIM, DECLARED_NORMALISATION, DECLARED_PATCH, declaredVit } from '../fixtures/declaredVit';
import { fetchBytes, fetchFloat32, fixtureInput, loadVitFixture, maxAbsDiff, VIT_DIR, type VitFixture } from './helpers/vitFixture';

let gpu: GpuContext | null = null;
let fixture: VitFixture;

beforeAll(async () => {
  gpu = await requestGpu();
  fixture = await loadVitFixture();
});

afterAll(() => gpu?.device.destroy());

function targets(): SessionTarget[] {
  expect(gpu, 'the browser tests need WebGPU').not.toBeNull();
  return [{ path: 'wasm' }, { path: 'webgpu', gpu: gpu! }];
}

test('a backbone that declares 16-pixel patches and its own statistics is checked and run on them', async () => {
  const bytes = declaredVit();
  const contract = await checkModel(bytes, { path: 'wasm' });
  expect(contract).toMatchObject({ patchSize: DECLARED_PATCH, normalisation: DECLARED_NORMALISATION, featureDim: DECLARED_DIM, prefixTokens: 1, fixedInput: null });
  const backbone = await loadBackbone(bytes, contract, { path: 'wasm' });
  const output = await backbone.run(preprocess(texture(90, 60), { height: 3 * DECLARED_PATCH, width: 4 * DECLARED_PATCH }, contract.normalisation));
  expect(output.grid).toEqual({ height: 3, width: 4 });
  expect(output.dims).toEqual([1, 1 + 12, DECLARED_DIM]);
  await backbone.release();
});

describe('test ViTs (fixtures/vit) against PyTorch', () => {
  test.each(['vit-tiny.onnx', 'vit-tiny-reg4.onnx'])('%s', async (file) => {
    const model = fixture.models.find((m) => m.file === file)!;
    const bytes = await fetchBytes(`${VIT_DIR}${file}`);
    const contract = await checkModel(bytes, { path: 'wasm' });
    expect(contract).toMatchObject({ featureDim: fixture.hidden_size, prefixTokens: 1 + model.registers, registers: model.registers, fixedInput: null });

    const tokensByPath: Float32Array[] = [];
    for (const target of targets()) {
      const backbone = await loadBackbone(bytes, contract, target);
      const all: number[] = [];
      for (const [name, [batch, , height, width]] of Object.entries(fixture.inputs.shapes)) {
        const reference = model.outputs[name];
        const expected = await fetchFloat32(`${VIT_DIR}${reference.file}`);
        const [, tokens, dim] = reference.dims;
        for (let b = 0; b < batch; b++) {
          const output = await backbone.run(fixtureInput(b, height, width));
          const got = await readTokens(output, gpu);
          if (output.location === 'gpu') output.dispose();
          expect(got.dims).toEqual([1, tokens, dim]);
          const diff = maxAbsDiff(got.data, expected.subarray(b * tokens * dim, (b + 1) * tokens * dim));
          console.log(`backbone: model=${file} input=${name}[${b}] path=${target.path} max_abs_diff=${diff.toExponential(2)} scale=${reference.max_abs.toFixed(3)}`);
          expect(diff).toBeLessThanOrEqual(1e-3 * reference.max_abs);
          all.push(...got.data);
        }
      }
      tokensByPath.push(Float32Array.from(all));
      await backbone.release();
    }
    const scale = Math.max(...Object.values(model.outputs).map((o) => o.max_abs));
    const between = maxAbsDiff(tokensByPath[0], tokensByPath[1]);
    console.log(`backbone: model=${file} path=webgpu-vs-wasm max_abs_diff=${between.toExponential(2)} scale=${scale.toFixed(3)}`);
    expect(between).toBeLessThanOrEqual(1e-3 * scale);
  });
});

/** A synthetic fabric with a scratch, as the 8-bit RGBA a decoded photo gives. */
function texture(width: number, height: number): RgbaImage {
  const { rgb } = addDefect(synthesizeTexture('weave', 7, width, height), 'scratch', 3);
  const plane = width * height;
  const data = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(rgb[c * plane + i] * 255);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

test('built-in backbone: an input run as tiles gives the features of one run', async () => {
  const bytes = await fetchBytes(`/${BUILTIN_MODEL_PATH}`);
  const contract = await checkModel(bytes, { path: 'wasm' });
  const backbone = await loadBackbone(bytes, contract, { path: 'wasm' });
  try {
    const source = { backbone, gpu: null };
    const image = texture(560, 140);
    // 10 × 40 patches in runs of at most 24 patches a side: ten tiles across the image.
    const geometry = inputGeometry(image, 560, BUILTIN_PATCH);
    const limits = { maxSide: 24, margin: RUN_LIMITS.margin };
    expect(tilePlan(geometry.grid, limits.maxSide, limits.margin)).toHaveLength(10);
    const whole = await featureGrid(source, image, geometry);
    const tiled = await featureGrid(source, image, geometry, limits);
    expect(tiled.dims).toEqual([10, 40, BUILTIN_DIM]);
    const scale = whole.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const diff = maxAbsDiff(tiled.data, whole.data);
    console.log(`backbone: builtin tiled (10 tiles, margin ${limits.margin}) vs one run max_abs_diff=${diff.toExponential(2)} scale=${scale.toFixed(3)}`);
    expect(diff, 'largest difference between tiled and whole-image features').toBeLessThanOrEqual(1e-5 * scale);
  } finally {
    await backbone.release();
  }
});

test('built-in backbone: both paths give the same features', async () => {
  const bytes = await fetchBytes(`/${BUILTIN_MODEL_PATH}`);
  const contract = await checkModel(bytes, { path: 'wasm' });
  expect(contract).toMatchObject({ featureDim: BUILTIN_DIM, prefixTokens: 1, registers: 0, fixedInput: null });
  // 4×6 patches: small, since SwiftShader runs the filter bank slowly.
  const pixels = preprocess(texture(90, 60), { height: 56, width: 84 }, IMAGENET);
  const grids = [];
  for (const target of targets()) {
    const backbone = await loadBackbone(bytes, contract, target);
    const output = await backbone.run(pixels);
    grids.push(tokensToGrid(await readTokens(output, gpu), output.prefixTokens, output.grid));
    if (output.location === 'gpu') output.dispose();
    await backbone.release();
  }
  const [wasm, webgpu] = grids;
  expect(wasm.dims).toEqual([4, 6, BUILTIN_DIM]);
  const scale = wasm.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const diff = maxAbsDiff(webgpu.data, wasm.data);
  console.log(`backbone: model=builtin-backbone.onnx path=webgpu-vs-wasm max_abs_diff=${diff.toExponential(2)} scale=${scale.toFixed(3)}`);
  expect(diff).toBeLessThanOrEqual(1e-3 * scale);
});
