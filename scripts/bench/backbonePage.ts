/**
 * The browser half of the backbone benchmark (bench/backbone.html): per model, execution path
 * and input size, one warm-up run then `runs` timed runs of one image each, timed until the
 * result exists (GPU queue drained); then the real-size DINOv2-shaped model per precision
 * (./realSizeBackbone.ts). The query string sets `runs` (default 3), `photos`: URLs of the
 * photographs its precisions are compared on, `files`: precision=URL pairs of real files, and
 * `paths` (e.g. `wasm`: a software GPU takes minutes on the webgpu path).
 */
import { loadBackbone, type RunPurpose } from '../../src/backbone/backbone';
import { checkModel } from '../../src/backbone/contract';
import { availablePaths, timeRun } from '../../src/backbone/executionPath';
import { wasmThreads } from '../../src/backbone/ort';
import { IMAGENET, preprocess } from '../../src/backbone/preprocess';
import { BUILTIN_MODEL_PATH } from '../../src/backbone/presets';
import { requestGpu } from '../../src/gpu/device';
import type { BackboneBenchReport, BackboneTiming } from './backboneResult';
import { measureRealSize } from './realSizeBackbone';

/**
 * Each model runs its graph; `builtin-scoring` is the built-in backbone's scoring run, which
 * takes its kernels instead (builtin/fusedBackbone.ts): wasm SIMD on the wasm path, WGSL on the
 * webgpu path.
 */
const MODELS: readonly { name: string; url: string; purpose: RunPurpose }[] = [
  { name: 'builtin', url: `/${BUILTIN_MODEL_PATH}`, purpose: 'training' },
  { name: 'builtin-scoring', url: `/${BUILTIN_MODEL_PATH}`, purpose: 'scoring' },
  { name: 'test-vit', url: '/fixtures/vit/vit-tiny.onnx', purpose: 'training' },
  { name: 'test-vit-reg4', url: '/fixtures/vit/vit-tiny-reg4.onnx', purpose: 'training' },
];
const SIZES = [224, 448];

const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
  console.log(line);
};

/** A smooth colour pattern: the backbone's time does not depend on content, only on size. */
function pattern(size: number) {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([(i * 3) % 256, (i >> 5) % 256, (i * 7) % 256, 255], i * 4);
  return { width: size, height: size, data };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<BackboneBenchReport> {
  const query = new URLSearchParams(location.search);
  const runs = Number(query.get('runs') ?? 3);
  const gpu = await requestGpu();
  const wanted = query.get('paths')?.split(',') ?? ['webgpu', 'wasm'];
  const targets = availablePaths(gpu).filter((t) => wanted.includes(t.path));
  const timings: BackboneTiming[] = [];
  for (const model of MODELS) {
    const bytes = new Uint8Array(await (await fetch(model.url)).arrayBuffer());
    const contract = await checkModel(bytes, { path: 'wasm' });
    for (const target of targets) {
      const backbone = await loadBackbone(bytes, contract, target).catch((e: unknown) => e as Error);
      for (const size of SIZES) {
        if (backbone instanceof Error) {
          timings.push({ model: model.name, path: target.path, size, runs: 0, medianMs: NaN, minMs: NaN, error: backbone.message });
          continue;
        }
        const pixels = preprocess(pattern(size), { height: size, width: size }, IMAGENET);
        await timeRun(backbone, pixels, target, model.purpose);
        const ms: number[] = [];
        for (let r = 0; r < runs; r++) ms.push(await timeRun(backbone, pixels, target, model.purpose));
        const timing = { model: model.name, path: target.path, size, runs, medianMs: median(ms), minMs: Math.min(...ms) };
        log(`${timing.model} ${timing.path} ${size}px: median ${timing.medianMs.toFixed(1)} ms`);
        timings.push(timing);
      }
      if (!(backbone instanceof Error)) await backbone.release();
    }
  }
  const gpuSpeedup = MODELS.flatMap((m) =>
    SIZES.flatMap((size) => {
      const at = (path: string) => timings.find((t) => t.model === m.name && t.size === size && t.path === path && !t.error);
      const [cpu, gpuTime] = [at('wasm'), at('webgpu')];
      return cpu && gpuTime ? [{ model: m.name, size, ratio: cpu.medianMs / gpuTime.medianMs }] : [];
    }),
  );
  const photos = query.get('photos')?.split(',').filter(Boolean) ?? [];
  const files = Object.fromEntries((query.get('files')?.split(',').filter(Boolean) ?? []).map((entry) => entry.split('=') as [string, string]));
  const realSize = await measureRealSize(runs, targets, gpu, photos, files, log);
  timings.push(...realSize.timings);
  return { adapter: gpu?.description ?? null, userAgent: navigator.userAgent, crossOriginIsolated, wasmThreads: wasmThreads(), timings, gpuSpeedup, fidelity: realSize.fidelity };
}

main().then(
  (report) => (window.backboneBench = report),
  (error: unknown) => (window.backboneBench = { error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
);
