/**
 * The GPU kernels run as the reference `condensationBatch` is called: one batch in, the batch
 * result out, plus the squared distances. The points are stored at shuffled rows among decoy
 * rows and listed after unrelated row indices, so that the kernels' row indirection is tested
 * with every call.
 */
import type { CondensationBatchInput, CondensationBatchResult } from '../../src/core/condensation/batch';
import { createRng } from '../../src/core/rng';
import { matrix, type Matrix } from '../../src/core/tensor';
import type { CondensationKernels } from '../../src/gpu/condensationKernels';
import type { DistancesKernel } from '../../src/gpu/distancesKernel';
import { createGpuMatrix, createGpuVector, readMatrix, readVector, uploadMatrix, writeVector, type GpuMatrix, type GpuVector } from '../../src/gpu/gpuMatrix';

export interface GpuBatchResult extends CondensationBatchResult {
  /** [B, K] squared distances. */
  readonly distances: Matrix;
}

const DECOYS = 5;

export async function gpuCondensationBatch(
  device: GPUDevice,
  kernels: { readonly distances: DistancesKernel; readonly condensation: CondensationKernels },
  input: CondensationBatchInput,
): Promise<GpuBatchResult> {
  const { points, etalons, theta, active, beta, variant } = input;
  const [b, d] = points.dims;
  const [k] = etalons.dims;
  const n = b + DECOYS;
  const place = createRng(99).permutation(n);
  const stored = new Float32Array(n * d).fill(1e6);
  for (let i = 0; i < b; i++) stored.set(points.data.subarray(i * d, (i + 1) * d), place[i] * d);
  const rowList = new Uint32Array(n);
  rowList.set(place.subarray(b), 0);
  rowList.set(place.subarray(0, b), DECOYS);

  const cleanup: (() => void)[] = [];
  const keep = <T extends GpuMatrix | GpuVector>(view: T): T => (cleanup.push(() => view.buffer.destroy()), view);
  try {
    const gpuPoints = keep(uploadMatrix(device, matrix(n, d, stored), 'points'));
    const rows = keep(createGpuVector(device, n, 'u32', 'rows'));
    writeVector(device, rows, rowList);
    const gpuEtalons = keep(uploadMatrix(device, etalons, 'etalons'));
    const gpuTheta = keep(createGpuVector(device, k, 'f32', 'theta'));
    writeVector(device, gpuTheta, theta);
    const gpuActive = keep(createGpuVector(device, k, 'u32', 'active'));
    writeVector(device, gpuActive, Uint32Array.from(active));
    const distances = keep(createGpuMatrix(device, b, k, 'distances', k));
    const gradEtalons = keep(createGpuMatrix(device, k, d, 'grad etalons'));
    const gradTheta = keep(createGpuVector(device, k, 'f32', 'grad theta'));
    const support = keep(createGpuVector(device, k, 'f32', 'support'));
    const lossLog = keep(createGpuVector(device, 1, 'f32', 'loss'));

    const distanceOp = kernels.distances.bind({ points: gpuPoints, rows, etalons: gpuEtalons, distances });
    cleanup.push(() => distanceOp.destroy());
    const stepOp = kernels.condensation.bindStep({
      points: gpuPoints,
      rows,
      etalons: gpuEtalons,
      theta: gpuTheta,
      active: gpuActive,
      distances,
      gradEtalons,
      gradTheta,
      support,
      lossLog,
    });
    cleanup.push(() => stepOp.destroy());
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    distanceOp.encode(pass, { rowOffset: DECOYS, count: b });
    stepOp.encode(pass, { rowOffset: DECOYS, count: b, beta, variant, lossSlot: 0 });
    pass.end();
    device.queue.submit([encoder.finish()]);
    return {
      distances: await readMatrix(device, distances),
      gradEtalons: await readMatrix(device, gradEtalons),
      gradTheta: await readVector(device, gradTheta),
      support: await readVector(device, support),
      loss: (await readVector(device, lossLog))[0],
    };
  } finally {
    for (const release of cleanup) release();
  }
}
