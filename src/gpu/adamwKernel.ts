/** AdamW on the GPU (shaders/adamw.wgsl): one element-wise pass per step, moments kept on the GPU. */
import type { AdamWOptions } from '../core/adamw';
import source from '../../shaders/adamw.wgsl?raw';
import type { GpuScope } from './gpuScope';
import { requireVector, type GpuVector } from './gpuMatrix';
import { bindingOf, compilePipelines, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';

/** Threads per workgroup (workgroup_size in adamw.wgsl). */
const GROUP = 256;

const { Params } = SHADER_STRUCTS['adamw.wgsl'];

export interface AdamWBindings {
  /** The parameters, updated in place. */
  readonly values: GpuVector<'f32'>;
  /** Their gradient, same length. */
  readonly grad: GpuVector<'f32'>;
}

/** AdamW's settings other than the learning rate, which can change every step; defaults as in `adamWStep`. */
export type AdamWSettings = Omit<AdamWOptions, 'lr'>;

/** An optimiser bound to one parameter vector, with its own moments and step count. */
export interface AdamWOp {
  /** First and second moments, zero at the start. */
  readonly m: GpuVector<'f32'>;
  readonly v: GpuVector<'f32'>;
  /** Steps recorded so far. */
  readonly step: number;
  /** Records one step at learning rate `lr`. */
  record(rec: KernelRecorder, lr: number): void;
}

export class AdamWKernel {
  private constructor(private readonly pipeline: GPUComputePipeline) {}

  /** Compiles the pipeline once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<AdamWKernel> {
    return new AdamWKernel((await compilePipelines(device, source, 'adamw.wgsl', ['main'])).main);
  }

  /** An optimiser for `values`; its moments belong to `scope`. */
  bind(scope: GpuScope, { values, grad }: AdamWBindings, settings: AdamWSettings = {}): AdamWOp {
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = settings;
    const count = values.length;
    requireVector(grad, 'grad', count, 'f32');
    const m = scope.vector(count, 'f32', 'adamw m');
    const v = scope.vector(count, 'f32', 'adamw v');
    const pipeline = this.pipeline;
    let step = 0;
    return {
      m,
      v,
      get step() {
        return step;
      },
      record(rec, lr) {
        step += 1;
        const { device } = rec;
        // The bias corrections in double precision on the CPU, as `adamWStep` computes them.
        const params = rec.uniform(Params, {
          count,
          lr,
          beta1,
          beta2,
          eps,
          decay: 1 - lr * weightDecay,
          correction1: 1 - beta1 ** step,
          correction2: 1 - beta2 ** step,
        });
        rec.dispatch(pipeline, [Math.ceil(count / GROUP)], { 0: params, 1: bindingOf(device, values), 2: bindingOf(device, grad), 3: bindingOf(device, m), 4: bindingOf(device, v) });
      },
    };
  }
}
