/**
 * The browser half of the kernel benchmark (bench/kernels.html), where the app runs its kernels:
 * WebGPU, and ONNX Runtime's wasm backend with threads (the page is cross-origin isolated).
 * Condensation steps on the GPU, the CPU path and the JS reference for every case of
 * kernelsPlan.ts, then scoring one image on the GPU and the CPU path. The query string's
 * `quick=1` picks the smoke sizes.
 */
import { ort, wasmThreads } from '../../src/backbone/ort';
import { createCpuCondensation } from '../../src/gpu/cpu/cpuCondensationStep';
import { createCpuNearest } from '../../src/gpu/cpu/cpuNearest';
import { requestGpu } from '../../src/gpu/device';
import { gpuKernelSet } from '../../src/gpu/kernels';
import { cpuStepRunner, gpuStepRunner, jsStepRunner, stepProblem, type StepRunner } from './condensationSteps';
import { benchSizes, condensationCases, condensationFlops, epochPlan, gflops, median, wantsAnotherStep, type KernelBenchSizes } from './kernelsPlan';
import type { Clock, KernelPath, KernelsBenchReport, ScoringTiming, StepTiming } from './kernelsResult';
import { cpuScoringRunner, gpuScoringRunner, scoringProject, type ScoringRunner } from './scoringRuns';

const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
  console.log(line);
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Warm-up steps. The GPU's first step zero-fills its new buffers (WebGPU initialises them on
 * first use) and runs each pipeline for the first time; one is enough, and on a software
 * adapter a big step takes seconds. The CPU path's first step opens its session, and V8 tiers
 * up ONNX Runtime's wasm over the next. The JS reference's, see measureCondensation.
 */
const WARMUP: Record<KernelPath, number> = { webgpu: 1, 'ort-wasm': 2, 'js-reference': 1 };

/** Runs `once` for the warm-ups, then timed until the plan says stop; the timed runs' wall times. */
async function timeRuns(warmups: number, sizes: KernelBenchSizes, once: (timed: boolean) => Promise<number>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await once(false);
  const times: number[] = [];
  while (wantsAnotherStep(times, sizes)) times.push(await once(true));
  return times;
}

interface Measured {
  readonly warmups: number;
  readonly clock: Clock;
  readonly times: readonly number[];
  readonly wall: readonly number[];
}

async function measureSteps(runner: StepRunner, warmups: number, sizes: KernelBenchSizes): Promise<Measured> {
  try {
    const wall = await timeRuns(warmups, sizes, (timed) => runner.step(timed));
    const gpuTimes = await runner.gpuTimes();
    return { warmups, clock: gpuTimes ? 'gpu-timestamp' : 'wall', times: gpuTimes ?? wall, wall };
  } finally {
    await runner.release();
  }
}

type CaseFields = Pick<StepTiming, 'points' | 'classes' | 'etalons' | 'dim' | 'stepRows' | 'stepsPerEpoch' | 'officialWorkRatio'>;

function stepTiming(fields: CaseFields, path: KernelPath, measured: Measured | Error, cpuMs: number): StepTiming {
  if (measured instanceof Error) {
    const none = { median: NaN, min: NaN };
    return { ...fields, path, warmupSteps: 0, timedSteps: 0, clock: 'wall', stepMs: none, wallStepMs: NaN, epochMs: NaN, gflops: NaN, speedupVsCpu: null, error: measured.message };
  }
  const stepMs = { median: median(measured.times), min: Math.min(...measured.times) };
  return {
    ...fields,
    path,
    warmupSteps: measured.warmups,
    timedSteps: measured.times.length,
    clock: measured.clock,
    stepMs,
    wallStepMs: median(measured.wall),
    epochMs: fields.stepsPerEpoch * stepMs.median,
    gflops: gflops(condensationFlops(fields.stepRows, fields.etalons, fields.dim), stepMs.median),
    speedupVsCpu: Number.isFinite(cpuMs) ? cpuMs / stepMs.median : null,
  };
}

async function measureCondensation(sizes: KernelBenchSizes, device: GPUDevice | null): Promise<StepTiming[]> {
  const gpuKernels = device ? await gpuKernelSet(device, ['distances', 'condensation', 'adamw']).catch((error: unknown) => new Error(`GPU kernels: ${message(error)}`)) : new Error('no WebGPU adapter');
  const cpu = createCpuCondensation(ort);
  const results: StepTiming[] = [];
  for (const [index, c] of condensationCases(sizes).entries()) {
    const plan = epochPlan(sizes.points, c.classes, sizes.batch);
    const problem = stepProblem(plan, c.etalons, c.dim, index + 1);
    const fields: CaseFields = { points: sizes.points, ...c, stepRows: plan.stepRows, stepsPerEpoch: plan.steps, officialWorkRatio: c.classes };
    const attempt = (run: () => Promise<Measured>) => run().catch((error: unknown) => new Error(message(error)));
    const cpuRun = await attempt(() => measureSteps(cpuStepRunner(cpu, problem), WARMUP['ort-wasm'], sizes));
    const gpuRun = await attempt(async () => {
      if (gpuKernels instanceof Error) throw gpuKernels;
      return measureSteps(await gpuStepRunner(device!, problem, sizes.maxSteps), WARMUP.webgpu, sizes);
    });
    // V8 optimises the reference on the first, cheapest case; later cases, seconds a step at the big sizes, skip the warm-up.
    const jsRun = await attempt(() => measureSteps(jsStepRunner(problem), index === 0 ? WARMUP['js-reference'] : 0, sizes));
    const cpuMs = cpuRun instanceof Error ? NaN : median(cpuRun.times);
    for (const timing of [stepTiming(fields, 'webgpu', gpuRun, cpuMs), stepTiming(fields, 'ort-wasm', cpuRun, cpuMs), stepTiming(fields, 'js-reference', jsRun, cpuMs)]) {
      log(`condensation C=${c.classes} K=${c.etalons} D=${c.dim} B=${plan.stepRows} ${timing.path}: ` + (timing.error ? `failed: ${timing.error}` : `${timing.stepMs.median.toFixed(1)} ms/step (${timing.clock}, ${timing.timedSteps} timed), ${timing.gflops.toFixed(2)} GFLOP/s`));
      results.push(timing);
    }
  }
  return results;
}

/**
 * Warm-up runs of scoring project `index`. On a software adapter the first dispatches of the
 * pipelines cost most of a second, paid in the warm-up of the first project; a 10-class image
 * then takes a minute or more, so the later projects go without one there.
 */
const scoringWarmups = (path: 'webgpu' | 'ort-wasm', fallbackAdapter: boolean, index: number) => (path === 'webgpu' && fallbackAdapter && index > 0 ? 0 : 1);

async function measureScoring(sizes: KernelBenchSizes, device: GPUDevice | null, fallbackAdapter: boolean): Promise<ScoringTiming[]> {
  const s = sizes.scoring;
  const gpuKernels = device ? await gpuKernelSet(device, ['scoring', 'resample']).catch((error: unknown) => new Error(`GPU kernels: ${message(error)}`)) : new Error('no WebGPU adapter');
  const timeRunner = async (warmups: number, make: () => Promise<ScoringRunner>) => {
    try {
      const runner = await make();
      try {
        return await timeRuns(warmups, sizes, () => runner.run());
      } finally {
        await runner.release();
      }
    } catch (error) {
      return new Error(message(error));
    }
  };
  const results: ScoringTiming[] = [];
  for (const [index, classes] of s.classes.entries()) {
    const project = scoringProject(s, classes, classes);
    const cpuTimes = await timeRunner(scoringWarmups('ort-wasm', fallbackAdapter, index), async () => cpuScoringRunner(await createCpuNearest(ort, project.classes), project));
    const gpuTimes = await timeRunner(scoringWarmups('webgpu', fallbackAdapter, index), async () => {
      if (gpuKernels instanceof Error) throw gpuKernels;
      return gpuScoringRunner(device!, gpuKernels, project);
    });
    const grid = s.image / s.patch;
    const fields = { classes, etalons: s.etalons, dim: s.dim, image: s.image, grid, upsampled: grid * s.factor, clock: 'wall' as const };
    const cpuMs = cpuTimes instanceof Error ? NaN : median(cpuTimes);
    for (const [path, times] of [['webgpu', gpuTimes], ['ort-wasm', cpuTimes]] as const) {
      const timing: ScoringTiming =
        times instanceof Error
          ? { ...fields, path, warmupRuns: 0, runs: 0, medianMs: NaN, minMs: NaN, pixelsPerSecond: NaN, speedupVsCpu: null, error: times.message }
          : {
              ...fields,
              path,
              warmupRuns: scoringWarmups(path, fallbackAdapter, index),
              runs: times.length,
              medianMs: median(times),
              minMs: Math.min(...times),
              pixelsPerSecond: (s.image * s.image) / (median(times) / 1000),
              speedupVsCpu: Number.isFinite(cpuMs) ? cpuMs / median(times) : null,
            };
      log(`scoring C=${classes} ${s.image}px ${path}: ` + (timing.error ? `failed: ${timing.error}` : `${timing.medianMs.toFixed(1)} ms/image, ${(timing.pixelsPerSecond / 1e6).toFixed(2)} Mpixel/s`));
      results.push(timing);
    }
  }
  return results;
}

const NOTES = [
  'GFLOP/s count 4·B·K·D per step (distance and etalon-gradient GEMMs), each point against its own class\'s K etalons; 4·N·K·D per epoch.',
  'Epoch time = steps per epoch (each class on its own, batches of at most `batch`) × median step time.',
  'officialWorkRatio: the official code scores every point against all C·K etalons, C times the work counted here.',
  'GPU steps: one compute pass each (distances, softmin and gradients, running support, AdamW), submitted and awaited with onSubmittedWorkDone, no readback; timed by GPU timestamps around the pass where the adapter has them (clock), else wall time.',
  'CPU path and JS reference: wall time of one batch step, input and result copied as the trainer passes them; the JS reference accumulates in float64 on the page\'s main thread.',
  'speedupVsCpu: the CPU path\'s median over the path\'s median, same case, same run.',
  'Scoring: wall time per image of up-sampling the feature grid, nearest etalons of every class, s_in, anomaly score, open-set labels and the score map at the image\'s size; the classifier\'s logits are precomputed (its forward pass is not timed); GPU: one submit, then the distances read back and the map made on the CPU, as the app does.',
];

async function main(): Promise<KernelsBenchReport> {
  const quick = new URLSearchParams(location.search).get('quick') === '1';
  const sizes = benchSizes(quick);
  const gpu = await requestGpu();
  gpu?.device.addEventListener('uncapturederror', (event) => log(`WebGPU: ${(event as GPUUncapturedErrorEvent).error.message}`));
  const adapter = gpu && `${gpu.description.vendor} ${gpu.description.architecture} ${gpu.description.description}${gpu.description.isFallbackAdapter ? ' (fallback)' : ''}`;
  log(`adapter: ${adapter ?? 'none'}; wasm threads ${wasmThreads()}`);
  const condensation = await measureCondensation(sizes, gpu?.device ?? null);
  const fallbackAdapter = gpu?.description.isFallbackAdapter ?? false;
  const scoring = await measureScoring(sizes, gpu?.device ?? null, fallbackAdapter);
  const fallback = fallbackAdapter
    ? [
        'The adapter is a software fallback (e.g. SwiftShader): its times are not a speed reference (a real GPU is typically 50–100× faster).',
        'On this fallback adapter GPU scoring warms up on the first project only (a 10-class 448×448 image takes a minute or more there): see warmupRuns.',
      ]
    : [];
  return {
    adapter: gpu?.description ?? null,
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated,
    wasmThreads: wasmThreads(),
    quick,
    sizes,
    condensation,
    scoring,
    notes: [...fallback, ...NOTES],
  };
}

main().then(
  (report) => (window.kernelsBench = report),
  (error: unknown) => (window.kernelsBench = { error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
);
