/** Squared distances from a batch of points to the etalons on the GPU (shaders/distances.wgsl). */
import source from '../../shaders/distances.wgsl?raw';
import { requireDense, requireVec4Rows, type GpuMatrix, type GpuVector } from './gpuMatrix';
import { bindingOf, compilePipelines, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';

/** Side of the block of points × etalons one workgroup computes (TILE in distances.wgsl). */
const TILE = 32;

const { Params } = SHADER_STRUCTS['distances.wgsl'];

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

/** The kernel checked against its buffers once. */
export interface DistancesOp {
  /** Records the distances of one batch. */
  record(rec: KernelRecorder, batch: BatchRange): void;
}

export class DistancesKernel {
  private constructor(private readonly pipeline: GPUComputePipeline) {}

  /** Compiles the pipeline once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<DistancesKernel> {
    return new DistancesKernel((await compilePipelines(device, source, 'distances.wgsl', ['main'])).main);
  }

  bind({ points, rows, etalons, distances }: DistancesBindings): DistancesOp {
    const dim = points.cols;
    const k = etalons.rows;
    requireVec4Rows(points, 'points', dim);
    requireVec4Rows(etalons, 'etalons', dim);
    requireDense(distances, 'distances', 1, k);
    const pipeline = this.pipeline;
    return {
      record(rec, { rowOffset, count }) {
        checkBatch(rowOffset, count, rows.length, distances.rows);
        const { device } = rec;
        rec.dispatch(pipeline, [Math.ceil(k / TILE), Math.ceil(count / TILE)], {
          0: rec.uniform(Params, { batch: count, etalons: k, stride4: points.stride / 4, rowOffset }),
          1: bindingOf(device, points),
          2: bindingOf(device, rows),
          3: bindingOf(device, etalons),
          4: bindingOf(device, distances),
        });
      },
    };
  }
}

/** Throws unless the batch is non-empty, lies within the row list and fits `capacity` rows of output. */
export function checkBatch(rowOffset: number, count: number, rowCount: number, capacity: number): void {
  if (!(Number.isInteger(count) && count >= 1 && count <= capacity)) throw new RangeError(`batch of ${count} points, room for 1..${capacity}`);
  if (!(Number.isInteger(rowOffset) && rowOffset >= 0 && rowOffset + count <= rowCount)) {
    throw new RangeError(`batch rows ${rowOffset}..${rowOffset + count} outside the ${rowCount} listed`);
  }
}
