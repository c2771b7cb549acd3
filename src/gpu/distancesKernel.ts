/** Squared distances from a batch of points to the etalons on the GPU (shaders/distances.wgsl). */
import source from '../../shaders/distances.wgsl?raw';
import { bindGroup, createPipeline, createUniform, validated, workgroupCount, writeUniform } from './compute';
import { bindingOf, requireDense, requireVec4Rows, type GpuMatrix, type GpuVector } from './gpuMatrix';

/** Side of the block of points × etalons one workgroup computes (TILE in distances.wgsl). */
const TILE = 32;

/** A batch: points rows[rowOffset], …, rows[rowOffset + count − 1]. */
export interface BatchRange {
  readonly rowOffset: number;
  readonly count: number;
}

export interface DistancesBindings {
  /** [N, D] points, vec4 rows. */
  readonly points: GpuMatrix;
  /** Indices into the points' rows; a batch is a run of them. */
  readonly rows: GpuVector<'u32'>;
  /** [K, D] etalons, vec4 rows. */
  readonly etalons: GpuMatrix;
  /** Dense [maxB, K] output: batch point i's squared distances in row i. */
  readonly distances: GpuMatrix;
}

/** A kernel bound to its buffers. */
export interface DistancesOp {
  /**
   * Records the distances of one batch. The batch's range goes to the GPU through a queue write
   * now: submit before this op is encoded again.
   */
  encode(pass: GPUComputePassEncoder, batch: BatchRange): void;
  destroy(): void;
}

export interface DistancesKernel {
  bind(bindings: DistancesBindings): DistancesOp;
}

export async function createDistancesKernel(device: GPUDevice): Promise<DistancesKernel> {
  const pipeline = await validated(device, () => createPipeline(device, device.createShaderModule({ code: source, label: 'distances.wgsl' }), 'main'));
  return {
    bind({ points, rows, etalons, distances }) {
      const dim = points.cols;
      const k = etalons.rows;
      requireVec4Rows(points, 'points', dim);
      requireVec4Rows(etalons, 'etalons', dim);
      requireDense(distances, 'distances', 1, k);
      const uniform = createUniform(device, 4, 'distances params');
      const group = bindGroup(device, pipeline, {
        0: { buffer: uniform },
        1: bindingOf(points),
        2: bindingOf(rows),
        3: bindingOf(etalons),
        4: bindingOf(distances),
      });
      return {
        encode(pass, { rowOffset, count }) {
          checkBatch(rowOffset, count, rows.length, distances.rows);
          writeUniform(device, uniform, [
            ['u32', count],
            ['u32', k],
            ['u32', points.stride / 4],
            ['u32', rowOffset],
          ]);
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(workgroupCount(device, k, TILE), workgroupCount(device, count, TILE));
        },
        destroy() {
          uniform.destroy();
        },
      };
    },
  };
}

/** Throws unless the batch is non-empty, lies within the row list and fits `capacity` rows of output. */
export function checkBatch(rowOffset: number, count: number, rowCount: number, capacity: number): void {
  if (!(Number.isInteger(count) && count >= 1 && count <= capacity)) throw new RangeError(`batch of ${count} points, room for 1..${capacity}`);
  if (!(Number.isInteger(rowOffset) && rowOffset >= 0 && rowOffset + count <= rowCount)) {
    throw new RangeError(`batch rows ${rowOffset}..${rowOffset + count} outside the ${rowCount} listed`);
  }
}
