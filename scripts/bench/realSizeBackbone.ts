/**
 * The real-size part of the backbone benchmark (in the page): DINOv2-small's architecture at
 * its real size (fixtures/randomDinov2, 88 MB in fp32) per precision, timed per image, and each
 * variant's tokens compared with fp32's on real photographs, since a precision is only worth
 * its speed while it keeps the features. The weights are random, so the fidelity is indicative:
 * a trained model's activations have other ranges. Real files measure the same way: given as
 * `files` (precision → URL; `npm run bench -- --dinov2-dir=DIR`), they replace the generated ones.
 */
import { loadBackbone, readTokens, type Backbone } from '../../src/backbone/backbone';
import { checkModel } from '../../src/backbone/contract';
import { timeRun } from '../../src/backbone/executionPath';
import type { SessionTarget } from '../../src/backbone/ortSession';
import { IMAGENET, preprocess, type PixelTensor } from '../../src/backbone/preprocess';
import type { GpuContext } from '../../src/gpu/device';
import { DINOV2_SMALL, randomDinov2, type VitPrecision } from '../../fixtures/randomDinov2';
import { tokenCosines } from '../../fixtures/tokenCosines';
import type { BackboneTiming, PrecisionFidelity } from './backboneResult';

const PRECISIONS: readonly VitPrecision[] = ['fp32', 'fp16', 'int8'];
const SIZE = 448;
const SEED = 20261206;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A photograph as the backbone's square input. */
async function photoPixels(url: string): Promise<PixelTensor> {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return preprocess({ width: bitmap.width, height: bitmap.height, data }, { height: SIZE, width: SIZE }, IMAGENET);
}

/** Patch tokens (the prefix left out) of one image, as [T, D] rows. */
async function patchTokens(backbone: Backbone, pixels: PixelTensor, gpu: GpuContext | null): Promise<{ data: Float32Array; dim: number }> {
  const output = await backbone.run(pixels);
  try {
    const tokens = await readTokens(output, gpu);
    const dim = tokens.dims[2];
    return { data: tokens.data.slice(output.prefixTokens * dim), dim };
  } finally {
    if (output.location === 'gpu') output.dispose();
  }
}

/** The model of each precision: the real file where one is given, else the generated stand-in. */
async function variant(precision: VitPrecision, files: Readonly<Partial<Record<VitPrecision, string>>>): Promise<{ name: string; bytes: Uint8Array }> {
  const url = files[precision];
  if (!url) return { name: `dinov2-small-random-${precision}`, bytes: randomDinov2(DINOV2_SMALL, SEED, precision) };
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return { name: `${decodeURIComponent(url.split('/').pop() ?? url)} (${precision})`, bytes: new Uint8Array(await response.arrayBuffer()) };
}

export async function measureRealSize(
  runs: number,
  targets: readonly SessionTarget[],
  gpu: GpuContext | null,
  photoUrls: readonly string[],
  files: Readonly<Partial<Record<VitPrecision, string>>>,
  log: (line: string) => void,
): Promise<{ timings: BackboneTiming[]; fidelity: PrecisionFidelity[] }> {
  const photos = await Promise.all(photoUrls.map(photoPixels));
  const timings: BackboneTiming[] = [];
  const fidelity: PrecisionFidelity[] = [];
  let reference: { data: Float32Array; dim: number }[] | null = null;
  for (const precision of PRECISIONS) {
    const { name, bytes } = await variant(precision, files);
    const contract = await checkModel(bytes, { path: 'wasm' });
    for (const target of targets) {
      // A software adapter takes minutes per real-size run: its time says nothing.
      if (target.path === 'webgpu' && target.gpu.description.isFallbackAdapter) continue;
      const backbone = await loadBackbone(bytes, contract, target).catch((e: unknown) => e as Error);
      if (backbone instanceof Error) {
        timings.push({ model: name, path: target.path, size: SIZE, runs: 0, medianMs: NaN, minMs: NaN, error: backbone.message });
        continue;
      }
      try {
        const pixels = photos[0] ?? preprocess({ width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE * 4).fill(128) }, { height: SIZE, width: SIZE }, IMAGENET);
        await timeRun(backbone, pixels, target);
        const ms: number[] = [];
        for (let r = 0; r < runs; r++) ms.push(await timeRun(backbone, pixels, target));
        timings.push({ model: name, path: target.path, size: SIZE, runs, medianMs: median(ms), minMs: Math.min(...ms) });
        log(`${name} ${target.path} ${SIZE}px: median ${median(ms).toFixed(0)} ms`);
        if (target.path !== 'wasm' || photos.length === 0) continue;
        const tokens = [];
        for (const photo of photos) tokens.push(await patchTokens(backbone, photo, gpu));
        if (precision === 'fp32') reference = tokens;
        else if (reference) {
          const cosines = tokens.flatMap((t, i) => tokenCosines(reference![i].data, t.data, t.dim));
          const entry = { precision, bytes: bytes.length, photos: photos.length, meanCosine: cosines.reduce((s, c) => s + c, 0) / cosines.length, worstCosine: Math.min(...cosines) };
          log(`${name}: token cosine to fp32 on ${photos.length} photographs: mean ${entry.meanCosine.toFixed(5)}, worst ${entry.worstCosine.toFixed(5)}`);
          fidelity.push(entry);
        }
      } finally {
        await backbone.release();
      }
    }
  }
  return { timings, fidelity };
}
