/**
 * The condensation batch step on the GPU (shaders/condensationLoss.wgsl and
 * condensationGrad.wgsl): from the batch's squared distances to the result of the reference
 * `condensationBatch` (loss, gradients, support), plus the running support with its mask and
 * the nearest-etalon marks of the final validity check.
 */
import { distanceScale, type CondensationVariant } from '../core/condensation/batch';
import gradSource from '../../shaders/condensationGrad.wgsl?raw';
import lossSource from '../../shaders/condensationLoss.wgsl?raw';
import { bindGroup, createPipeline, createUniform, validated, workgroupCount, writeUniform, type UniformField } from './compute';
import { checkBatch, type BatchRange } from './distancesKernel';
import { bindingOf, createStorage, requireDense, requireVec4Rows, requireVector, type GpuMatrix, type GpuVector } from './gpuMatrix';

/** Batch points per chunk of the deterministic reductions (CHUNK in condensationGrad.wgsl). */
const CHUNK_ROWS = 256;
/** Etalons × floats per block of the gradient GEMM (TILE in condensationGrad.wgsl). */
const TILE = 32;
/** Threads per workgroup of the one-thread-per-item entry points. */
const GROUP = 64;

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

/** A kernel bound to its buffers; its uniforms go through queue writes: submit before encoding it again. */
export interface CondensationStepOp {
  /** Records the batch step: softmin terms, then the reductions into the batch result. */
  encode(pass: GPUComputePassEncoder, params: CondensationStepParams): void;
  destroy(): void;
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
  encode(pass: GPUComputePassEncoder, params: SupportParams): void;
  destroy(): void;
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
  encode(pass: GPUComputePassEncoder, count: number): void;
  destroy(): void;
}

export interface CondensationKernels {
  bindStep(bindings: CondensationStepBindings): CondensationStepOp;
  bindSupport(bindings: SupportBindings): SupportOp;
  bindNearest(bindings: NearestBindings): NearestOp;
}

export async function createCondensationKernels(device: GPUDevice): Promise<CondensationKernels> {
  const [softmin, markNearest, etalonPartials, columnPartials, finishEtalons, finishScalars, updateSupport] = await validated(device, () => {
    const loss = device.createShaderModule({ code: lossSource, label: 'condensationLoss.wgsl' });
    const grad = device.createShaderModule({ code: gradSource, label: 'condensationGrad.wgsl' });
    return [
      createPipeline(device, loss, 'softmin'),
      createPipeline(device, loss, 'markNearest'),
      ...(['etalonPartials', 'columnPartials', 'finishEtalons', 'finishScalars', 'updateSupport'] as const).map((entry) => createPipeline(device, grad, entry)),
    ];
  });
  const groups = (count: number, size: number) => workgroupCount(device, count, size);

  /** condensationLoss.wgsl's Params. */
  const lossParams = (count: number, k: number, beta: number, scale: number, variant: number): UniformField[] => [
    ['u32', count],
    ['u32', k],
    ['f32', beta],
    ['f32', scale],
    ['u32', variant],
  ];
  /** condensationGrad.wgsl's Params. */
  const gradParams = (p: { count: number; k: number; stride4: number; rowOffset: number; lossSlot: number; rate: number; threshold: number }): UniformField[] => [
    ['u32', p.count],
    ['u32', p.k],
    ['u32', p.stride4],
    ['u32', p.rowOffset],
    ['u32', Math.ceil(p.count / CHUNK_ROWS)],
    ['u32', p.lossSlot],
    ['f32', p.rate],
    ['f32', p.threshold],
  ];

  return {
    bindStep(b) {
      const { points, rows, etalons, theta, active, distances, gradEtalons, gradTheta, support, lossLog } = b;
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

      const lossUniform = createUniform(device, 5, 'condensation loss params');
      const gradUniform = createUniform(device, 8, 'condensation grad params');
      const terms = createStorage(device, 3 * maxBatch * k, 'condensation terms');
      const pointLoss = createStorage(device, maxBatch, 'condensation point loss');
      const partials = createStorage(device, maxChunks * k * points.stride, 'condensation etalon partials');
      const columnSums = createStorage(device, maxChunks * 3 * k, 'condensation column sums');
      const lossSums = createStorage(device, maxChunks, 'condensation loss sums');
      const whole = (buffer: GPUBuffer): GPUBufferBinding => ({ buffer });

      const softminGroup = bindGroup(device, softmin, {
        0: whole(lossUniform),
        1: bindingOf(distances),
        2: bindingOf(theta),
        3: bindingOf(active),
        4: whole(terms),
        5: whole(pointLoss),
      });
      const etalonGroup = bindGroup(device, etalonPartials, {
        0: whole(gradUniform),
        1: bindingOf(points),
        2: bindingOf(rows),
        3: whole(terms),
        4: whole(partials),
      });
      const columnGroup = bindGroup(device, columnPartials, {
        0: whole(gradUniform),
        3: whole(terms),
        5: whole(pointLoss),
        6: whole(columnSums),
        7: whole(lossSums),
      });
      const finishEtalonGroup = bindGroup(device, finishEtalons, {
        0: whole(gradUniform),
        4: whole(partials),
        6: whole(columnSums),
        8: bindingOf(etalons),
        9: bindingOf(gradEtalons),
      });
      const finishScalarGroup = bindGroup(device, finishScalars, {
        0: whole(gradUniform),
        6: whole(columnSums),
        7: whole(lossSums),
        10: bindingOf(theta),
        11: bindingOf(support),
        12: bindingOf(gradTheta),
        13: bindingOf(lossLog),
      });

      return {
        encode(pass, { rowOffset, count, beta, variant, lossSlot }) {
          checkBatch(rowOffset, count, rows.length, maxBatch);
          if (!(Number.isInteger(lossSlot) && lossSlot >= 0 && lossSlot < lossLog.length)) {
            throw new RangeError(`loss slot ${lossSlot} outside the log's ${lossLog.length}`);
          }
          writeUniform(device, lossUniform, lossParams(count, k, beta, distanceScale(dim), VARIANT_CODES[variant]));
          writeUniform(device, gradUniform, gradParams({ count, k, stride4, rowOffset, lossSlot, rate: 0, threshold: 0 }));
          const chunks = Math.ceil(count / CHUNK_ROWS);
          const dispatch = (pipeline: GPUComputePipeline, group: GPUBindGroup, x: number, y = 1, z = 1) => {
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, group);
            pass.dispatchWorkgroups(x, y, z);
          };
          dispatch(softmin, softminGroup, groups(count, GROUP));
          dispatch(etalonPartials, etalonGroup, groups(k, TILE), groups(points.stride, TILE), chunks);
          dispatch(columnPartials, columnGroup, groups(k, GROUP), chunks);
          dispatch(finishEtalons, finishEtalonGroup, groups(k * stride4, GROUP));
          dispatch(finishScalars, finishScalarGroup, groups(k, GROUP));
        },
        destroy() {
          for (const buffer of [lossUniform, gradUniform, terms, pointLoss, partials, columnSums, lossSums]) buffer.destroy();
        },
      };
    },

    bindSupport({ support, running, active }) {
      const k = support.length;
      requireVector(support, 'support', k, 'f32');
      requireVector(running, 'running', k, 'f32');
      requireVector(active, 'active', k, 'u32');
      const uniform = createUniform(device, 8, 'running support params');
      const group = bindGroup(device, updateSupport, { 0: { buffer: uniform }, 11: bindingOf(support), 14: bindingOf(running), 15: bindingOf(active) });
      return {
        encode(pass, { supportRate, threshold }) {
          writeUniform(device, uniform, gradParams({ count: 0, k, stride4: 0, rowOffset: 0, lossSlot: 0, rate: supportRate, threshold }));
          pass.setPipeline(updateSupport);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(groups(k, GROUP));
        },
        destroy() {
          uniform.destroy();
        },
      };
    },

    bindNearest({ distances, allowed, assigned }) {
      const k = allowed.length;
      requireDense(distances, 'distances', 1, k);
      requireVector(allowed, 'allowed', k, 'u32');
      requireVector(assigned, 'assigned', k, 'u32');
      const uniform = createUniform(device, 5, 'nearest params');
      const group = bindGroup(device, markNearest, { 0: { buffer: uniform }, 1: bindingOf(distances), 3: bindingOf(allowed), 6: bindingOf(assigned) });
      return {
        encode(pass, count) {
          if (!(Number.isInteger(count) && count >= 1 && count <= distances.rows)) throw new RangeError(`${count} rows, room for 1..${distances.rows}`);
          writeUniform(device, uniform, lossParams(count, k, 0, 0, 0));
          pass.setPipeline(markNearest);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(groups(count, GROUP));
        },
        destroy() {
          uniform.destroy();
        },
      };
    },
  };
}
