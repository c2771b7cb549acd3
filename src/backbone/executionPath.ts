/**
 * Which execution path runs a backbone: chosen by measurement, not by name (a software GPU such
 * as SwiftShader is 50–100× slower than wasm; a real GPU is many times faster), remembered per
 * browser and model, and overridable by the person.
 */
import { tensor } from '../core/tensor';
import type { GpuContext } from '../gpu/device';
import type { Preferences } from '../storage/preferences';
import { loadBackbone, type Backbone, type RunPurpose } from './backbone';
import type { ModelContract } from './contract';
import type { ExecutionPath, SessionTarget } from './ortSession';
import type { PixelTensor } from './preprocess';

/** 'auto' runs the measured choice; a path name forces that path. */
export type PathPreference = 'auto' | ExecutionPath;

export interface PathTiming {
  readonly path: ExecutionPath;
  /** Milliseconds per image at the measurement size, or null when the path failed. */
  readonly ms: number | null;
  /** Why the path failed. */
  readonly error?: string;
}

/** What is remembered per browser and model. */
export interface PathChoice {
  readonly preference: PathPreference;
  /** The last measurement, absent until one ran. */
  readonly measured?: {
    readonly fastest: ExecutionPath;
    readonly timings: readonly PathTiming[];
    /** Milliseconds since the epoch. */
    readonly at: number;
    /** The adapter measured with (vendor, architecture, description), null without WebGPU. */
    readonly adapter: string | null;
  };
}

/** Measured at 112×112 (8×8 patches): small enough for a software GPU, large enough to rank the paths. */
const MEASURE_SIZE = { height: 112, width: 112 } as const;

/** WebGPU first when there is a GPU; wasm, always there, last. */
export function availablePaths(gpu: GpuContext | null): SessionTarget[] {
  return gpu ? [{ path: 'webgpu', gpu }, { path: 'wasm' }] : [{ path: 'wasm' }];
}

const key = (modelId: string) => `execution-path:${modelId}`;

function adapterName({ description: d }: GpuContext): string {
  return [d.vendor, d.architecture, d.description].filter(Boolean).join(' ');
}

export async function readPathChoice(prefs: Preferences, modelId: string): Promise<PathChoice> {
  return (await prefs.get<PathChoice>(key(modelId))) ?? { preference: 'auto' };
}

export async function setPathPreference(prefs: Preferences, modelId: string, preference: PathPreference): Promise<void> {
  const current = await readPathChoice(prefs, modelId);
  await prefs.set<PathChoice>(key(modelId), { ...current, preference });
}

export interface OpenedBackbone {
  readonly backbone: Backbone;
  readonly choice: PathChoice;
  /** Set when this call measured (first use of the model in this browser). */
  readonly timings?: readonly PathTiming[];
}

/** Called as each path's measurement starts (done = paths finished) and once at the end. */
export type MeasureProgress = (done: number, total: number) => void;

/**
 * Loads the model on the path the person chose, or on the measured fastest one. The first use
 * in a browser measures every available path and keeps the winner's session. Without WebGPU
 * (none here, or lost) there is nothing to choose: wasm is loaded, even for a forced 'webgpu',
 * and the remembered choice is left for when the GPU is back.
 */
export async function openBackbone(
  model: Uint8Array,
  contract: ModelContract,
  modelId: string,
  gpu: GpuContext | null,
  prefs: Preferences,
  onMeasure?: MeasureProgress,
): Promise<OpenedBackbone> {
  const choice = await readPathChoice(prefs, modelId);
  if (!gpu) return { backbone: await loadBackbone(model, contract, { path: 'wasm' }), choice };
  const targets = availablePaths(gpu);
  const adapter = adapterName(gpu);
  // A measurement made on another adapter (a new GPU, or made without one) no longer holds.
  const measured = choice.measured?.adapter === adapter ? choice.measured : undefined;
  const wanted = choice.preference === 'auto' ? measured?.fastest : choice.preference;
  const target = targets.find((t) => t.path === wanted);
  if (target) {
    try {
      return { backbone: await loadBackbone(model, contract, target), choice };
    } catch (error) {
      // A forced path's failure is the person's to see; a remembered choice that stopped working is measured again.
      if (choice.preference !== 'auto') throw error;
    }
  }

  const { fastest, timings } = await measurePaths(model, contract, targets, onMeasure);
  const remembered: PathChoice = { preference: 'auto', measured: { fastest: fastest.path, timings, at: Date.now(), adapter } };
  await prefs.set(key(modelId), remembered);
  return { backbone: fastest, choice: remembered, timings };
}

/**
 * One warm-up and one timed run per path on a small input; the fastest path's backbone is
 * returned open, the others are released. Throws the wasm error when no path works.
 */
export async function measurePaths(
  model: Uint8Array,
  contract: ModelContract,
  targets: readonly SessionTarget[],
  onProgress?: MeasureProgress,
): Promise<{ fastest: Backbone; timings: PathTiming[] }> {
  const size = contract.fixedInput ?? MEASURE_SIZE;
  const pixels: PixelTensor = tensor([1, 3, size.height, size.width] as const);
  const timings: PathTiming[] = [];
  let best: { backbone: Backbone; ms: number } | null = null;
  let lastError: unknown = null;
  for (const target of targets) {
    onProgress?.(timings.length, targets.length);
    let backbone: Backbone | null = null;
    try {
      backbone = await loadBackbone(model, contract, target);
      await timeRun(backbone, pixels, target);
      const ms = await timeRun(backbone, pixels, target);
      timings.push({ path: target.path, ms });
      if (!best || ms < best.ms) {
        await best?.backbone.release();
        best = { backbone, ms };
      } else {
        await backbone.release();
      }
    } catch (error) {
      await backbone?.release();
      lastError = error;
      timings.push({ path: target.path, ms: null, error: error instanceof Error ? error.message : String(error) });
    }
  }
  onProgress?.(timings.length, targets.length);
  if (!best) throw lastError;
  return { fastest: best.backbone, timings };
}

/**
 * Milliseconds for one image, until the result exists: ONNX Runtime (and the built-in backbone's
 * WGSL kernels) may return from a WebGPU run before the GPU has finished, so that path also waits
 * for the queue. The path is measured on the model's own graph (`purpose` training) unless told.
 */
export async function timeRun(backbone: Backbone, pixels: PixelTensor, target: SessionTarget, purpose: RunPurpose = 'training'): Promise<number> {
  const start = performance.now();
  const output = await backbone.run(pixels, purpose);
  if (target.path === 'webgpu') await target.gpu.device.queue.onSubmittedWorkDone();
  const ms = performance.now() - start;
  if (output.location === 'gpu') output.dispose();
  return ms;
}
