/**
 * The condensation kernels against the src/core reference, in fp32 on the GPU.
 *
 * Relative error, as asserted (≤ 1e-4) and printed:
 * - distances, loss, running support: |gpu − ref| / |ref| per element (pure relative);
 * - batch support: |gpu − ref| / max(|ref|, 1e-3), a thousandth of a point as the floor, since
 *   supports of far etalons underflow towards 0;
 * - gradients: |gpu − ref| / max|ref| over the tensor (normwise). A gradient entry is a sum over
 *   the batch whose terms can cancel, so its fp32 error scales with the terms, not with the sum;
 *   the componentwise figure with a floor of 1e-3·max|ref| is printed next to it, not asserted.
 * - AdamW: moments |gpu − ref| / max(|ref|, 1e-6); parameters |gpu − ref| / max(|ref|, peak lr),
 *   the learning rate being the size of one AdamW step.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { adamWStep, createAdamWState } from '../src/core/adamw';
import { condensationBatch, type CondensationBatchInput, type CondensationVariant } from '../src/core/condensation/batch';
import { nearestEtalons } from '../src/core/condensation/nearest';
import { reinitThreshold, supportedEtalons, updateSupport } from '../src/core/condensation/support';
import { createRng } from '../src/core/rng';
import { cosineSchedule } from '../src/core/schedule';
import { matrix, type Matrix } from '../src/core/tensor';
import { readVector, writeVector } from '../src/gpu/gpuMatrix';
import { GpuScope } from '../src/gpu/gpuScope';
import { KernelRecorder } from '../src/gpu/kernelRecorder';
import { gpuKernelSet } from '../src/gpu/kernels';
import { gpuCondensationBatch } from './helpers/gpuCondensation';
import { compare, maxAbs, testDevice } from './helpers/kernelCheck';

const device = await testDevice();
const kernels = await gpuKernelSet(device, ['distances', 'condensation', 'adamw']);
const TOLERANCE = 1e-4;

/** The worst error seen per quantity, printed at the end. */
const worst: Record<string, number> = {};
function record(name: string, error: number): number {
  worst[name] = Math.max(worst[name] ?? 0, error);
  return error;
}
afterAll(() => {
  const figures = Object.entries(worst).map(([name, error]) => `${name}=${error.toExponential(2)}`);
  console.log(`kernels: condensation max_rel_err ${figures.join(' ')}`);
});

/** max over entries of |gpu − ref| / max(|ref|, floor); a non-finite entry counts as infinite error. */
function relativeError(gpu: ArrayLike<number>, ref: ArrayLike<number>, floor = 0): number {
  return compare(gpu, ref, floor).relative;
}

/** [B, K] squared distances from the reference's nearest-etalon search, one etalon at a time. */
function referenceSquaredDistances(points: Matrix, etalons: Matrix): Float64Array {
  const [b] = points.dims;
  const [k] = etalons.dims;
  const out = new Float64Array(b * k);
  for (let j = 0; j < k; j++) {
    const only = new Uint8Array(k);
    only[j] = 1;
    const { distance } = nearestEtalons(points, etalons, only);
    for (let i = 0; i < b; i++) out[i * k + j] = distance[i] ** 2;
  }
  return out;
}

interface Case {
  readonly name: string;
  readonly b: number;
  readonly k: number;
  readonly d: number;
  /** Standard deviation of the coordinates: 0.035 puts scaled distances at a few units (soft softmin), 1 is whitened data (nearly hard). */
  readonly spread: number;
  /** Points moved 30 spreads away along every axis: their exponents underflow without the max-subtraction. */
  readonly far?: number;
  /** Etalons masked out, by index (etalon 1 always is when K > 2). */
  readonly masked?: 'some' | 'all';
  readonly beta?: number;
}

const cases: Case[] = [
  { name: 'ragged B, K, D', b: 37, k: 13, d: 5, spread: 0.035 },
  { name: 'whole tiles', b: 64, k: 32, d: 32, spread: 0.035 },
  { name: 'two chunks, ragged', b: 300, k: 50, d: 64, spread: 0.035 },
  { name: 'K = 1, D = 1024', b: 70, k: 1, d: 1024, spread: 0.035 },
  { name: 'D = 1024', b: 100, k: 40, d: 1024, spread: 0.035 },
  { name: 'D = 1023', b: 45, k: 7, d: 1023, spread: 0.035 },
  { name: 'whitened, hard softmin', b: 100, k: 40, d: 64, spread: 1, beta: 2 },
  { name: 'far-away points', b: 100, k: 40, d: 64, spread: 0.035, far: 10 },
  { name: 'every third etalon masked', b: 90, k: 24, d: 16, spread: 0.035, masked: 'some' },
  { name: 'all etalons masked', b: 20, k: 3, d: 8, spread: 0.035, masked: 'all' },
];

function problem(c: Case, variant: CondensationVariant): CondensationBatchInput {
  const rng = createRng(c.b * 1000 + c.k * 10 + c.d);
  const random = (n: number) => Float32Array.from({ length: n }, () => c.spread * rng.normal());
  const points = random(c.b * c.d);
  for (let i = 0; i < (c.far ?? 0); i++) for (let t = 0; t < c.d; t++) points[i * c.d + t] += 30 * c.spread;
  const active = new Uint8Array(c.k).fill(1);
  if (c.k > 2) active[1] = 0;
  if (c.masked === 'some') for (let j = 0; j < c.k; j += 3) active[j] = 0;
  if (c.masked === 'all') active.fill(0);
  return {
    points: matrix(c.b, c.d, points),
    etalons: matrix(c.k, c.d, random(c.k * c.d)),
    theta: Float32Array.from({ length: c.k }, () => -10 + 6 * rng.uniform()),
    active,
    beta: c.beta ?? 1.3,
    variant,
  };
}

describe('distances and condensation step kernels against condensationBatch', () => {
  for (const c of cases) {
    for (const variant of ['softKMeans', 'softKMedians', 'condensation'] as const) {
      it(`${c.name} (B=${c.b}, K=${c.k}, D=${c.d}), ${variant}`, async () => {
        const input = problem(c, variant);
        const gpu = await gpuCondensationBatch(device, input);
        const ref = condensationBatch(input);

        expect(record('distances', relativeError(gpu.distances.data, referenceSquaredDistances(input.points, input.etalons))), 'distances').toBeLessThanOrEqual(TOLERANCE);
        expect(record('loss', relativeError([gpu.loss], [ref.loss], 1e-30)), `loss ${gpu.loss} vs ${ref.loss}`).toBeLessThanOrEqual(TOLERANCE);
        expect(record('support', relativeError(gpu.support, ref.support, 1e-3)), 'support').toBeLessThanOrEqual(TOLERANCE);
        const gradEtalonScale = Math.max(maxAbs(ref.gradEtalons.data), 1e-30);
        const gradThetaScale = Math.max(maxAbs(ref.gradTheta), 1e-30);
        expect(record('grad_etalons', relativeError(gpu.gradEtalons.data, ref.gradEtalons.data, gradEtalonScale)), 'etalon gradient').toBeLessThanOrEqual(TOLERANCE);
        expect(record('grad_theta', relativeError(gpu.gradTheta, ref.gradTheta, gradThetaScale)), 'θ gradient').toBeLessThanOrEqual(TOLERANCE);
        record('grad_etalons_componentwise', relativeError(gpu.gradEtalons.data, ref.gradEtalons.data, 1e-3 * gradEtalonScale));
        record('grad_theta_componentwise', relativeError(gpu.gradTheta, ref.gradTheta, 1e-3 * gradThetaScale));

        // Masked etalons get nothing at all, exactly.
        for (let j = 0; j < c.k; j++) {
          if (input.active[j]) continue;
          expect(gpu.support[j], `support of masked etalon ${j}`).toBe(0);
          expect(gpu.gradTheta[j], `θ gradient of masked etalon ${j}`).toBe(0);
          expect(maxAbs(gpu.gradEtalons.data.subarray(j * c.d, (j + 1) * c.d)), `gradient of masked etalon ${j}`).toBe(0);
        }
      });
    }
  }

  it('clamps at 0 where an etalon sits on a point', async () => {
    const rng = createRng(11);
    const d = 96;
    const points = matrix(20, d, Float32Array.from({ length: 20 * d }, () => 3 + rng.normal()));
    const etalons = matrix(4, d, points.data.slice(0, 4 * d));
    const input: CondensationBatchInput = { points, etalons, theta: new Float32Array(4), active: new Uint8Array(4).fill(1), beta: 1, variant: 'condensation' };
    const gpu = await gpuCondensationBatch(device, input);
    for (let j = 0; j < 4; j++) {
      let norm = 0;
      for (let t = 0; t < d; t++) norm += points.data[j * d + t] ** 2;
      const squared = gpu.distances.data[j * 4 + j];
      expect(squared, `point ${j} to its own copy`).toBeGreaterThanOrEqual(0);
      // ‖x‖² + ‖x‖² − 2x·x in fp32: what is left is rounding of the 2‖x‖² terms.
      expect(squared, `point ${j} to its own copy`).toBeLessThanOrEqual(1e-5 * 2 * norm);
    }
    expect(Number.isFinite(gpu.loss), 'loss with zero distances').toBe(true);
  });
});

describe('running support kernel', () => {
  it('follows updateSupport and supportedEtalons', async () => {
    const k = 37;
    const rng = createRng(5);
    const running = Float64Array.from({ length: k }, () => 40 * rng.uniform());
    const batchSupport = Float32Array.from({ length: k }, () => 40 * rng.uniform());
    const state = { support: Float64Array.from(running), batchSize: 800, steps: 6 };
    const decay = 0.05;
    const rate = decay / (1 - (1 - decay) ** (state.steps + 1));
    updateSupport(state, batchSupport, 1000, decay);
    const factor = 0.5;

    const scope = new GpuScope(device);
    const support = scope.vector(k, 'f32', 'support');
    const gpuRunning = scope.vector(k, 'f32', 'running');
    const mask = scope.vector(k, 'u32', 'mask');
    writeVector(device, support, batchSupport);
    writeVector(device, gpuRunning, Float32Array.from(running));
    const op = kernels.condensation.bindSupport({ support, running: gpuRunning, active: mask });
    const rec = new KernelRecorder(device, 'running support');
    op.record(rec, { supportRate: rate, threshold: reinitThreshold(state, factor) });
    rec.submit();

    expect(record('running_support', relativeError(await readVector(device, gpuRunning), state.support)), 'running support').toBeLessThanOrEqual(TOLERANCE);
    expect(Array.from(await readVector(device, mask)), 'mask').toEqual(Array.from(supportedEtalons(state, factor)));
    scope.destroy();
  });
});

describe('nearest-etalon marks kernel', () => {
  it('marks exactly the etalons nearestEtalons picks for some point', async () => {
    const [b, k, d] = [300, 50, 16];
    const rng = createRng(8);
    const points = matrix(b, d, Float32Array.from({ length: b * d }, () => rng.normal()));
    const etalons = matrix(k, d, Float32Array.from({ length: k * d }, () => rng.normal()));
    const allowed = Uint8Array.from({ length: k }, (_, j) => (j % 4 === 2 ? 0 : 1));
    const expected = new Uint32Array(k);
    for (const j of nearestEtalons(points, etalons, allowed).index) expected[j] = 1;

    const scope = new GpuScope(device);
    const gpuPoints = scope.upload(points, 'points');
    const rows = scope.vector(b, 'u32', 'rows');
    writeVector(device, rows, Uint32Array.from({ length: b }, (_, i) => i));
    const gpuEtalons = scope.upload(etalons, 'etalons');
    const distances = scope.matrix(128, k, 'distances', k);
    const gpuAllowed = scope.vector(k, 'u32', 'allowed');
    writeVector(device, gpuAllowed, Uint32Array.from(allowed));
    const assigned = scope.vector(k, 'u32', 'assigned');
    const distanceOp = kernels.distances.bind({ points: gpuPoints, rows, etalons: gpuEtalons, distances });
    const nearestOp = kernels.condensation.bindNearest({ distances, allowed: gpuAllowed, assigned });
    // In batches smaller than B, as the trainer's final check runs, all in one submit: marks accumulate.
    const rec = new KernelRecorder(device, 'nearest marks');
    for (let start = 0; start < b; start += distances.rows) {
      const count = Math.min(distances.rows, b - start);
      distanceOp.record(rec, { rowOffset: start, count });
      nearestOp.record(rec, count);
    }
    rec.submit();
    expect(Array.from(await readVector(device, assigned))).toEqual(Array.from(expected));
    scope.destroy();
  });
});

describe('AdamW kernel', () => {
  const PEAK_LR = 0.1;
  for (const weightDecay of [0, 0.01]) {
    it(`follows adamWStep over a cosine schedule, weight decay ${weightDecay}`, async () => {
      const n = 1000;
      const steps = 6;
      const rng = createRng(21);
      const values = Float32Array.from({ length: n }, () => rng.normal());
      const scope = new GpuScope(device);
      const gpuValues = scope.vector(n, 'f32', 'values');
      const grad = scope.vector(n, 'f32', 'grad');
      writeVector(device, gpuValues, values);
      const op = kernels.adamw.bind(scope, { values: gpuValues, grad }, { weightDecay });
      const state = createAdamWState(n);
      for (let s = 0; s < steps; s++) {
        // Gradients of mixed sizes, some 0: the moments and the bias corrections all matter.
        const g = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : rng.normal() * 10 ** (rng.int(5) - 2)));
        const lr = cosineSchedule(PEAK_LR, 0, s / steps);
        adamWStep(values, g, state, { lr, weightDecay });
        writeVector(device, grad, g);
        const rec = new KernelRecorder(device, 'adamw step');
        op.record(rec, lr);
        rec.submit();
      }
      expect(op.step, 'steps recorded').toBe(steps);
      const parameters = relativeError(await readVector(device, gpuValues), values, PEAK_LR);
      expect(record('adamw_values', parameters), 'parameters').toBeLessThanOrEqual(TOLERANCE);
      expect(record('adamw_m', relativeError(await readVector(device, op.m), state.m, 1e-6)), 'first moment').toBeLessThanOrEqual(TOLERANCE);
      expect(record('adamw_v', relativeError(await readVector(device, op.v), state.v, 1e-6)), 'second moment').toBeLessThanOrEqual(TOLERANCE);
      scope.destroy();
    });
  }
});
