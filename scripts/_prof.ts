import * as ort from 'onnxruntime-web';
import { loadBackbone } from '../src/backbone/backbone';
import { buildBuiltinBackbone } from '../src/backbone/builtin/builtinBackbone';
import { IMAGENET, preprocess } from '../src/backbone/preprocess';
import { featureGrid } from '../src/pipeline/extractFeatures';
import { upsampleFeatures } from '../src/backbone/featureGrid';
import { createCpuNearest } from '../src/gpu/cpu/cpuNearest';
import { matrix, tensor } from '../src/core/tensor';
import { resizeScoreMap } from '../src/core/resample';
import { inputGeometry } from '../src/core/geometry';
import { synthesizeTexture } from '../src/demo/syntheticDefects';
ort.env.wasm.numThreads = Number(process.env.T ?? 1);
const contract = { inputName: 'pixel_values', outputName: 'last_hidden_state', patchSize: 14, normalisation: IMAGENET, fixedInput: null, featureDim: 156, prefixTokens: 1, registers: 0 };
const backbone = await loadBackbone(buildBuiltinBackbone(), contract as never, { path: 'wasm' });
const s = synthesizeTexture('weave', 1, 448, 448);
const rgba = new Uint8ClampedArray(448 * 448 * 4);
for (let i = 0; i < 448 * 448; i++) { rgba[4 * i] = s.rgb[i] * 255; rgba[4 * i + 1] = s.rgb[448*448 + i] * 255; rgba[4 * i + 2] = s.rgb[2*448*448 + i] * 255; rgba[4 * i + 3] = 255; }
const image = { width: 448, height: 448, data: rgba };
const geometry = inputGeometry(image, 448, 14);
const etalons = tensor([100, 156] as const, Float32Array.from({ length: 15600 }, () => Math.random()));
const nearest = await createCpuNearest(ort as never, [{ etalons, valid: new Uint8Array(100).fill(1) as never }]);
const t: Record<string, number[]> = {};
const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => { const a = performance.now(); const r = await f(); (t[name] ??= []).push(performance.now() - a); return r; };
for (let i = 0; i < 12; i++) {
  await time('preprocess', () => preprocess(image, geometry.input, IMAGENET));
  const g = await time('featureGrid', () => featureGrid({ backbone, gpu: null }, image, geometry));
  const up = await time('upsample', () => upsampleFeatures(g, 3));
  const [h, w, d] = up.dims;
  await time('nearest', () => nearest.nearest(matrix(h * w, d, up.data))); await time('nearestOfUp', () => nearest.nearestOfUpsampled(g, 3));
  await time('resize maps x2', () => { resizeScoreMap(tensor([h, w] as const, new Float32Array(h * w)), 448, 448); resizeScoreMap(tensor([h, w] as const, new Float32Array(h * w)), 448, 448); });
}
for (const [k, v] of Object.entries(t)) { const x = v.slice(2).sort((a, b) => a - b); console.log(k.padEnd(16), 'median', x[x.length >> 1].toFixed(2), 'min', x[0].toFixed(2)); }
