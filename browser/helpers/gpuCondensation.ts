/**
 * The GPU kernels run as the reference `condensationBatch` is called: one batch in, the batch
 * result out, plus the squared distances. The points are stored at shuffled rows among decoy
 * rows and listed after unrelated row indices, so that the kernels' row indirection is tested
 * with every call.
 */
import type { CondensationBatchInput, CondensationBatchResult } from '../../src/core/condensation/batch';
import { createRng } from '../../src/core/rng';
import { matrix, type Matrix } from '../../src/core/tensor';
import { createGpuCondensation } from '../../src/gpu/condensationStep';
import { readMatrix, readVector, writeVector } from '../../src/gpu/gpuMatrix';
import { withGpuScope } from '../../src/gpu/gpuScope';
import { KernelRecorder } from '../../src/gpu/kernelRecorder';

export interface GpuBatchResult extends CondensationBatchResult {
  /** [B, K] squared distances. */
  readonly distances: Matrix;
}

const DECOYS = 5;

export async function gpuCondensationBatch(device: GPUDevice, input: CondensationBatchInput): Promise<GpuBatchResult> {
  const { points, etalons, theta, active, beta, variant } = input;
  const [b, d] = points.dims;
  const n = b + DECOYS;
  const place = createRng(99).permutation(n);
  const stored = new Float32Array(n * d).fill(1e6);
  for (let i = 0; i < b; i++) stored.set(points.data.subarray(i * d, (i + 1) * d), place[i] * d);
  const rowList = new Uint32Array(n);
  rowList.set(place.subarray(b), 0);
  rowList.set(place.subarray(0, b), DECOYS);

  return withGpuScope(device, async (scope) => {
    const gpu = await createGpuCondensation(scope, { points: matrix(n, d, stored), etalons, theta, maxBatch: b, lossSlots: 1 });
    writeVector(device, gpu.rows, rowList);
    writeVector(device, gpu.mask, Uint32Array.from(active));
    const rec = new KernelRecorder(device, 'condensation batch');
    gpu.recordBatch(rec, { rowOffset: DECOYS, count: b, beta, variant, lossSlot: 0 });
    rec.submit();
    return {
      distances: await readMatrix(device, gpu.distances),
      gradEtalons: await readMatrix(device, gpu.gradEtalons),
      gradTheta: await readVector(device, gpu.gradTheta),
      support: await readVector(device, gpu.support),
      loss: (await readVector(device, gpu.lossLog))[0],
    };
  });
}
