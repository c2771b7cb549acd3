/**
 * The condensation batch step on the GPU (shaders/condensationLoss.wgsl and
 * condensationGrad.wgsl): from the batch's squared distances to the result of the reference
 * `condensationBatch` (loss, gradients, support), plus the running support with its mask and
 * the nearest-etalon marks of the final validity check.
 */
import { distanceScale, type CondensationVariant } from '../core/condensation/batch';
import gradSource from '../../shaders/condensationGrad.wgsl?raw';
import lossSource from '../../shaders/condensationLoss.wgsl?raw';
import { checkBatch, type BatchRange } from './distancesKernel';
import type { GpuScope } from './gpuScope';
import { requireDense, requireVec4Rows, requireVector, type GpuMatrix, type GpuVector } from './gpuMatrix';
import { bindingOf, compilePipelines, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';

/** Batch points per chunk of the deterministic reductions (CHUNK in condensationGrad.wgsl). */
const CHUNK_ROWS = 256;
/** Etalons × floats per block of the gradient GEMM (TILE in condensationGrad.wgsl). */
const TILE = 32;
/** Threads per workgroup of the one-thread-per-item entry points. */
const GROUP = 64;

const LOSS = SHADER_STRUCTS['condensationLoss.wgsl'];
const GRAD = SHADER_STRUCTS['condensationGrad.wgsl'];

const VARIANT_CODES: Record<CondensationVariant, number> = { softKMeans: 0, softKMedians: 1, condensation: 2 };

export interface CondensationStepBindings {
  /** [N, D] the class's points, whitened, vec4 rows. */
  readonly points: GpuMatrix;
  /** Indices into the points' rows; a batch is a run of them (as for the distances). */
  readonly rows: GpuVector<'u32'>;
  /** [K, D] etalons, whitened, vec4 rows. */
  readonly etalons: GpuMatrix;
  /** [K] raw scale parameters θ. */
  readonly theta: GpuVector<'f32'>;
  /** [K] 1: the etalon takes part in the softmin; 0: masked. */
  readonly active: GpuVector<'u32'>;
  /** Dense [maxB, K] squared distances of the batch (the distances kernel's output). */
  readonly distances: GpuMatrix;
  /** [K, D] out: ∂loss/∂etalons. */
  readonly gradEtalons: GpuMatrix;
  /** [K] out: ∂loss/∂θ. */
  readonly gradTheta: GpuVector<'f32'>;
  /** [K] out: the batch's support, Eq. 17. */
  readonly support: GpuVector<'f32'>;
  /** Out: batch losses, one slot per batch, so that a whole epoch's can be read back at once. */
  readonly lossLog: GpuVector<'f32'>;
}

export interface CondensationStepParams extends BatchRange {
  readonly beta: number;
  readonly variant: CondensationVariant;
  /** Slot of `lossLog` for this batch's loss. */
  readonly lossSlot: number;
}

/** The step checked against its buffers once, with its scratch buffers. */
export interface CondensationStepOp {
  /** Records the batch step: softmin terms, then the reductions into the batch result. */
  record(rec: KernelRecorder, params: CondensationStepParams): void;
}

export interface SupportBindings {
  /** [K] the batch's support (a step's output). */
  readonly support: GpuVector<'f32'>;
  /** [K] running support s_t(k), updated in place. */
  readonly running: GpuVector<'f32'>;
  /** [K] out: 1 where the running support is above the threshold. */
  readonly active: GpuVector<'u32'>;
}

export interface SupportParams {
  /** q_t of Eq. 18. */
  readonly supportRate: number;
  /** Re-init threshold, points per batch. */
  readonly threshold: number;
}

export interface SupportOp {
  record(rec: KernelRecorder, params: SupportParams): void;
}

export interface NearestBindings {
  /** Dense [maxB, K] squared distances. */
  readonly distances: GpuMatrix;
  /** [K] 1: the etalon may be a point's nearest. */
  readonly allowed: GpuVector<'u32'>;
  /** [K] set to 1 for each etalon that is the nearest allowed one of some point; never cleared here. */
  readonly assigned: GpuVector<'u32'>;
}

export interface NearestOp {
  /** Marks the nearest allowed etalon of each of the first `count` rows of the distances. */
  record(rec: KernelRecorder, count: number): void;
}

const ENTRY_POINTS = {
  loss: ['softmin', 'markNearest'],
  grad: ['etalonPartials', 'columnPartials', 'finishEtalons', 'finishScalars', 'updateSupport'],
} as const;

type Pipelines = Record<(typeof ENTRY_POINTS.loss)[number] | (typeof ENTRY_POINTS.grad)[number], GPUComputePipeline>;

export class CondensationKernels {
  private readonly pipelines: Pipelines;

  /** Compiles the pipelines once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<CondensationKernels> {
    const [loss, grad] = await Promise.all([
      compilePipelines(device, lossSource, 'condensationLoss.wgsl', ENTRY_POINTS.loss),
      compilePipelines(device, gradSource, 'condensationGrad.wgsl', ENTRY_POINTS.grad),
    ]);
    return new CondensationKernels({ ...loss, ...grad });
  }

  private constructor(pipelines: Pipelines) {
    this.pipelines = pipelines;
  }

  /** The batch step on these buffers; its scratch buffers belong to `scope`. */
  bindStep(scope: GpuScope, b: CondensationStepBindings): CondensationStepOp {
    const { points, rows, etalons, theta, active, distances, gradEtalons, gradTheta, support, lossLog } = b;
    const { softmin, etalonPartials, columnPartials, finishEtalons, finishScalars } = this.pipelines;
    const dim = points.cols;
    const k = etalons.rows;
    const maxBatch = distances.rows;
    requireVec4Rows(points, 'points', dim);
    requireVec4Rows(etalons, 'etalons', dim);
    requireVec4Rows(gradEtalons, 'gradEtalons', dim);
    if (gradEtalons.rows !== k) throw new RangeError(`gradEtalons has ${gradEtalons.rows} rows for ${k} etalons`);
    requireDense(distances, 'distances', 1, k);
    requireVector(theta, 'theta', k, 'f32');
    requireVector(active, 'active', k, 'u32');
    requireVector(gradTheta, 'gradTheta', k, 'f32');
    requireVector(support, 'support', k, 'f32');
    const stride4 = points.stride / 4;
    const maxChunks = Math.ceil(maxBatch / CHUNK_ROWS);
    const whole = (buffer: GPUBuffer): GPUBufferBinding => ({ buffer });
    const terms = whole(scope.storage(3 * maxBatch * k, 'condensation terms'));
    const pointLoss = whole(scope.storage(maxBatch, 'condensation point loss'));
    const partials = whole(scope.storage(maxChunks * k * points.stride, 'condensation etalon partials'));
    const columnSums = whole(scope.storage(maxChunks * 3 * k, 'condensation column sums'));
    const lossSums = whole(scope.storage(maxChunks, 'condensation loss sums'));

    return {
      record(rec, { rowOffset, count, beta, variant, lossSlot }) {
        checkBatch(rowOffset, count, rows.length, maxBatch);
        if (!(Number.isInteger(lossSlot) && lossSlot >= 0 && lossSlot < lossLog.length)) {
          throw new RangeError(`loss slot ${lossSlot} outside the log's ${lossLog.length}`);
        }
        const { device } = rec;
        const bind = (view: GpuMatrix | GpuVector) => bindingOf(device, view);
        const chunks = Math.ceil(count / CHUNK_ROWS);
        const lossParams = rec.uniform(LOSS.Params, { batch: count, etalons: k, beta, scale: distanceScale(dim), variant: VARIANT_CODES[variant] });
        const gradParams = rec.uniform(GRAD.Params, { batch: count, etalons: k, stride4, rowOffset, chunks, lossSlot });
        rec.dispatch(softmin, [Math.ceil(count / GROUP)], { 0: lossParams, 1: bind(distances), 2: bind(theta), 3: bind(active), 4: terms, 5: pointLoss });
        rec.dispatch(etalonPartials, [Math.ceil(k / TILE), Math.ceil(points.stride / TILE), chunks], { 0: gradParams, 1: bind(points), 2: bind(rows), 3: terms, 4: partials });
        rec.dispatch(columnPartials, [Math.ceil(k / GROUP), chunks], { 0: gradParams, 3: terms, 5: pointLoss, 6: columnSums, 7: lossSums });
        rec.dispatch(finishEtalons, [Math.ceil((k * stride4) / GROUP)], { 0: gradParams, 4: partials, 6: columnSums, 8: bind(etalons), 9: bind(gradEtalons) });
        rec.dispatch(finishScalars, [Math.ceil(k / GROUP)], { 0: gradParams, 6: columnSums, 7: lossSums, 10: bind(theta), 11: bind(support), 12: bind(gradTheta), 13: bind(lossLog) });
      },
    };
  }

  bindSupport({ support, running, active }: SupportBindings): SupportOp {
    const k = support.length;
    requireVector(support, 'support', k, 'f32');
    requireVector(running, 'running', k, 'f32');
    requireVector(active, 'active', k, 'u32');
    const { updateSupport } = this.pipelines;
    return {
      record(rec, { supportRate, threshold }) {
        const { device } = rec;
        rec.dispatch(updateSupport, [Math.ceil(k / GROUP)], {
          11: bindingOf(device, support),
          14: bindingOf(device, running),
          15: bindingOf(device, active),
          16: rec.uniform(GRAD.SupportParams, { etalons: k, supportRate, threshold }),
        });
      },
    };
  }

  bindNearest({ distances, allowed, assigned }: NearestBindings): NearestOp {
    const k = allowed.length;
    requireDense(distances, 'distances', 1, k);
    requireVector(allowed, 'allowed', k, 'u32');
    requireVector(assigned, 'assigned', k, 'u32');
    const { markNearest } = this.pipelines;
    return {
      record(rec, count) {
        if (!(Number.isInteger(count) && count >= 1 && count <= distances.rows)) throw new RangeError(`${count} rows, room for 1..${distances.rows}`);
        const { device } = rec;
        rec.dispatch(markNearest, [Math.ceil(count / GROUP)], {
          1: bindingOf(device, distances),
          3: bindingOf(device, allowed),
          6: bindingOf(device, assigned),
          7: rec.uniform(LOSS.NearestParams, { batch: count, etalons: k }),
        });
      },
    };
  }
}
