/**
 * What the kernel tests share: the GPU, random data, and one definition of relative error.
 *
 * Relative error here is |got − want| / max(|want|, floor): plain relative error wherever the
 * reference is at least `floor`, absolute error measured against `floor` below it. Each test
 * states its floor; float32 cannot promise relative accuracy for a value that is the small
 * difference of large terms, so the floor is tied to the size of the terms.
 */
import { expect } from 'vitest';
import type { Rng } from '../../src/core/rng';
import { matrix, type Matrix } from '../../src/core/tensor';
import { requestGpu } from '../../src/gpu/device';

/** The engine's device, with validation errors printed: otherwise a bad dispatch just writes nothing. */
export async function testDevice(): Promise<GPUDevice> {
  const gpu = await requestGpu();
  expect(gpu, 'the browser tests need WebGPU').not.toBeNull();
  gpu!.device.addEventListener('uncapturederror', (event) => console.error(`WebGPU: ${(event as GPUUncapturedErrorEvent).error.message}`));
  return gpu!.device;
}

export interface ErrorReport {
  /** max |got − want| / max(|want|, floor) */
  readonly relative: number;
  /** max |got − want| */
  readonly absolute: number;
  /** Index of the worst relative error. */
  readonly at: number;
}

export function compare(got: ArrayLike<number>, want: ArrayLike<number>, floor: number): ErrorReport {
  expect(got.length, 'length').toBe(want.length);
  let relative = 0;
  let absolute = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    // NaN or infinities must agree exactly.
    if (!Number.isFinite(want[i]) || !Number.isFinite(got[i])) {
      if (!Object.is(got[i], want[i])) return { relative: Infinity, absolute: Infinity, at: i };
      continue;
    }
    const r = diff === 0 ? 0 : diff / Math.max(Math.abs(want[i]), floor);
    if (r > relative) {
      relative = r;
      at = i;
    }
    absolute = Math.max(absolute, diff);
  }
  return { relative, absolute, at };
}

export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** Uniform in ±scale. */
export function randomMatrix(rng: Rng, rows: number, cols: number, scale = 1): Matrix {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = (2 * rng.uniform() - 1) * scale;
  return matrix(rows, cols, data);
}

/** Milliseconds of `work`, GPU included when it awaits a read-back. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

export function format(report: ErrorReport): string {
  return `rel ${report.relative.toExponential(2)} abs ${report.absolute.toExponential(2)}`;
}
