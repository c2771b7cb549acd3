/**
 * shaders/resample.wgsl against src/core/resample.ts on seeded random data, in real Chromium.
 * Relative error: |gpu − ref| / max(|ref|, floor) (helpers/kernelCheck.ts) with the floor at
 * 1e-3 of the largest |ref|: a value interpolated between inputs of opposite sign can be near 0
 * while its float32 rounding is a few ulps of the inputs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { upsampleGrid } from '../src/core/resample';
import { createRng } from '../src/core/rng';
import { tensor } from '../src/core/tensor';
import { createGpuMatrix, readMatrix, uploadMatrix } from '../src/gpu/gpuMatrix';
import { KernelRecorder } from '../src/gpu/kernelRecorder';
import { ResampleKernels } from '../src/gpu/resampleKernels';
import { compare, format, maxAbs, randomMatrix, testDevice, timed } from './helpers/kernelCheck';

const TOLERANCE = 1e-4;
const FLOOR = 1e-3;

let device: GPUDevice;
let kernels: ResampleKernels;

beforeAll(async () => {
  device = await testDevice();
  kernels = await ResampleKernels.create(device);
});

afterAll(() => device.destroy());

async function run(record: (rec: KernelRecorder) => void): Promise<number> {
  const { ms } = await timed(async () => {
    const rec = new KernelRecorder(device, 'resample');
    record(rec);
    rec.submit();
    await device.queue.onSubmittedWorkDone();
  });
  return ms;
}

function expectClose(name: string, got: ArrayLike<number>, want: ArrayLike<number>, ms: number): void {
  const report = compare(got, want, FLOOR * maxAbs(want));
  console.log(`resample ${name}: ${format(report)} in ${ms.toFixed(1)} ms on this adapter`);
  expect(report.relative, `${name} at ${report.at}`).toBeLessThanOrEqual(TOLERANCE);
}

describe('upsampleGrid', () => {
  test.each([
    { h: 5, w: 7, d: 3, factor: 7 },
    { h: 3, w: 4, d: 1024, factor: 2 },
    { h: 1, w: 1, d: 5, factor: 3 },
    { h: 4, w: 6, d: 9, factor: 1 },
  ])('[$h, $w, $d] ×$factor', async ({ h, w, d, factor }) => {
    const grid = randomMatrix(createRng(h * 100 + d), h * w, d, 3);
    const want = upsampleGrid(tensor([h, w, d] as const, grid.data), factor);
    const out = createGpuMatrix(device, h * factor * w * factor, d, 'up-sampled');
    const ms = await run((rec) => kernels.upsampleGrid(rec, { cells: uploadMatrix(device, grid, 'grid'), height: h, width: w }, factor, { cells: out, height: h * factor, width: w * factor }));
    expectClose(`grid [${h}, ${w}, ${d}] ×${factor}`, (await readMatrix(device, out)).data, want.data, ms);
  });

  test('a grid that starts after prefix tokens, at an unaligned offset', async () => {
    const [h, w, d, prefix] = [3, 5, 10, 1];
    const tokens = randomMatrix(createRng(9), prefix + h * w, d);
    const buffer = uploadMatrix(device, tokens, 'tokens');
    const cells = { ...buffer, offset: prefix * buffer.stride * 4, rows: h * w };
    const out = createGpuMatrix(device, h * 2 * w * 2, d, 'up-sampled');
    const ms = await run((rec) => kernels.upsampleGrid(rec, { cells, height: h, width: w }, 2, { cells: out, height: h * 2, width: w * 2 }));
    const want = upsampleGrid(tensor([h, w, d] as const, tokens.data.slice(prefix * d)), 2);
    expectClose('grid after a CLS token', (await readMatrix(device, out)).data, want.data, ms);
  });
});
