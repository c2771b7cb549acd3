/** AdamW on the GPU (shaders/adamw.wgsl): one element-wise pass per step, moments kept on the GPU. */
import type { AdamWOptions } from '../core/adamw';
import source from '../../shaders/adamw.wgsl?raw';
import { bindGroup, createPipeline, createUniform, validated, workgroupCount, writeUniform } from './compute';
import { bindingOf, createGpuVector, requireVector, type GpuVector } from './gpuMatrix';

const GROUP = 256;

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
  /** Records one step at learning rate `lr`. Its uniforms go through a queue write: submit before encoding it again. */
  encode(pass: GPUComputePassEncoder, lr: number): void;
  destroy(): void;
}

export interface AdamWKernel {
  bind(bindings: AdamWBindings, settings?: AdamWSettings): AdamWOp;
}

export async function createAdamWKernel(device: GPUDevice): Promise<AdamWKernel> {
  const pipeline = await validated(device, () => createPipeline(device, device.createShaderModule({ code: source, label: 'adamw.wgsl' }), 'main'));
  return {
    bind({ values, grad }, settings = {}) {
      const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = settings;
      const count = values.length;
      requireVector(grad, 'grad', count, 'f32');
      const m = createGpuVector(device, count, 'f32', 'adamw m');
      const v = createGpuVector(device, count, 'f32', 'adamw v');
      const uniform = createUniform(device, 8, 'adamw params');
      const group = bindGroup(device, pipeline, { 0: { buffer: uniform }, 1: bindingOf(values), 2: bindingOf(grad), 3: bindingOf(m), 4: bindingOf(v) });
      let step = 0;
      return {
        m,
        v,
        get step() {
          return step;
        },
        encode(pass, lr) {
          step += 1;
          // The bias corrections in double precision on the CPU, as `adamWStep` computes them.
          writeUniform(device, uniform, [
            ['u32', count],
            ['f32', lr],
            ['f32', beta1],
            ['f32', beta2],
            ['f32', eps],
            ['f32', 1 - lr * weightDecay],
            ['f32', 1 - beta1 ** step],
            ['f32', 1 - beta2 ** step],
          ]);
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(workgroupCount(device, count, GROUP));
        },
        destroy() {
          for (const buffer of [m.buffer, v.buffer, uniform]) buffer.destroy();
        },
      };
    },
  };
}
