/**
 * Micro-benchmark of the condensation batch step on the CPU: the CPU path (src/gpu/cpu, ONNX
 * Runtime's wasm backend) with 1 and 2 threads, and the plain-JS reference `condensationBatch`.
 * One class, D = 384, batch 2048, whitened-like random data; the sizes of the official PyTorch
 * figures measured on the 2-core development machine are included for comparison.
 *
 *   npx tsx scripts/bench/cpuCondensation.ts
 *
 * Prints one line per measurement and then all results as JSON. ONNX Runtime fixes its thread
 * count when its wasm module starts, so each thread count runs in a child process of its own.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { condensationBatch, type CondensationBatchInput, type CondensationStep } from '../../src/core/condensation/batch';
import { thetaForTau } from '../../src/core/condensation/tau';
import { createRng } from '../../src/core/rng';
import { matrix, type Matrix } from '../../src/core/tensor';
import { createCpuCondensation } from '../../src/gpu/cpu/cpuCondensationStep';

const D = 384;
const BATCH = 2048;
const SIZES = [
  { n: 16384, k: 200 },
  { n: 16384, k: 1000 },
  { n: 20000, k: 200 },
] as const;
/** Seconds per epoch of the official PyTorch implementation on the 2-core development machine. */
const PYTORCH_EPOCH_S: Record<string, number> = { '16384x1000': 1.17, '20000x200': 0.92 };
const ORT_EPOCHS = 3;
const JS_EPOCHS = 1;
const ORT_THREADS = [1, 2];

interface Result {
  readonly path: string;
  readonly threads: number;
  readonly n: number;
  readonly k: number;
  readonly d: number;
  readonly batch: number;
  readonly epochs: number;
  readonly stepMs: { readonly min: number; readonly median: number };
  readonly epochS: { readonly min: number; readonly median: number };
  /**
   * CPU seconds of this process per epoch, all its threads: on a machine shared with other
   * work, the wall time counts the waits for a core and this does not.
   */
  readonly epochCpuS: { readonly min: number; readonly median: number };
  /** 4·N·K·D (the distance and etalon-gradient products) over the best epoch. */
  readonly gflops: number;
  readonly pytorchEpochS: number | null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Unit-normal points (whitened features), etalons drawn from them, τ = 10 as training starts. */
function problem(n: number, k: number): { batches: Matrix[]; etalons: Matrix; theta: Float32Array } {
  const rng = createRng(n + k);
  const data = Float32Array.from({ length: n * D }, () => rng.normal());
  const batches: Matrix[] = [];
  for (let start = 0; start < n; start += BATCH) {
    const rows = Math.min(BATCH, n - start);
    batches.push(matrix(rows, D, data.subarray(start * D, (start + rows) * D)));
  }
  return { batches, etalons: matrix(k, D, data.slice(0, k * D)), theta: new Float32Array(k).fill(thetaForTau(10)) };
}

async function measure(path: string, threads: number, step: CondensationStep, epochs: number): Promise<Result[]> {
  const results: Result[] = [];
  for (const { n, k } of SIZES) {
    const { batches, etalons, theta } = problem(n, k);
    const input = (points: Matrix): CondensationBatchInput => ({ points, etalons, theta, active: new Uint8Array(k).fill(1), beta: 1.25, variant: 'condensation' });
    // One untimed epoch: it opens the session, and V8 first runs ONNX Runtime's wasm with its
    // baseline compiler, replacing it with optimised code in the background over several seconds.
    for (const points of batches) await step(input(points));
    const stepTimes: number[] = [];
    const epochTimes: number[] = [];
    const epochCpu: number[] = [];
    for (let e = 0; e < epochs; e++) {
      const cpuStart = process.cpuUsage();
      const epochStart = performance.now();
      for (const points of batches) {
        const start = performance.now();
        await step(input(points));
        stepTimes.push(performance.now() - start);
      }
      epochTimes.push((performance.now() - epochStart) / 1000);
      const cpu = process.cpuUsage(cpuStart);
      epochCpu.push((cpu.user + cpu.system) / 1e6);
    }
    const best = Math.min(...epochTimes);
    const result: Result = {
      path,
      threads,
      n,
      k,
      d: D,
      batch: BATCH,
      epochs,
      stepMs: { min: Math.min(...stepTimes), median: median(stepTimes) },
      epochS: { min: best, median: median(epochTimes) },
      epochCpuS: { min: Math.min(...epochCpu), median: median(epochCpu) },
      gflops: (4 * n * k * D) / best / 1e9,
      pytorchEpochS: PYTORCH_EPOCH_S[`${n}x${k}`] ?? null,
    };
    console.error(
      `${path} threads=${threads} N=${n} K=${k}: step ${result.stepMs.min.toFixed(0)}/${result.stepMs.median.toFixed(0)} ms (min/median), ` +
        `epoch ${best.toFixed(2)}/${result.epochS.median.toFixed(2)} s (CPU ${result.epochCpuS.min.toFixed(2)} s), ${result.gflops.toFixed(1)} GFLOP/s` +
        (result.pytorchEpochS ? `, PyTorch ${result.pytorchEpochS} s` : ''),
    );
    results.push(result);
  }
  return results;
}

async function main(): Promise<void> {
  const [flag, value] = process.argv.slice(2);
  if (flag === '--ort') {
    ort.env.wasm.numThreads = Number(value);
    const cpu = createCpuCondensation(ort);
    const results = await measure('ort-wasm', Number(value), cpu.step, ORT_EPOCHS);
    // ONNX Runtime falls back to one thread, and says so, where wasm threads are unavailable.
    if (ort.env.wasm.numThreads !== Number(value)) throw new Error(`asked for ${value} wasm threads, ONNX Runtime runs ${ort.env.wasm.numThreads}`);
    await cpu.release();
    console.log(JSON.stringify(results));
    return;
  }
  const script = fileURLToPath(import.meta.url);
  const loadBefore = loadavg()[0];
  const results: Result[] = [];
  for (const threads of ORT_THREADS) {
    const out = execFileSync(process.execPath, [...process.execArgv, script, '--ort', String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    results.push(...(JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as Result[]));
  }
  results.push(...(await measure('js-reference', 1, condensationBatch, JS_EPOCHS)));
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, ort: ort.env.versions.web, loadAverage: [loadBefore, loadavg()[0]] };
  console.log(JSON.stringify({ machine, results }, null, 1));
}

await main();
