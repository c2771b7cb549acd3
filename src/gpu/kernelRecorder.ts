/**
 * Records the dispatches of several kernels into one command buffer and submits them together.
 * Each dispatch gets its own small uniform buffer: a queue write lands before the whole submit,
 * so dispatches sharing one uniform buffer could not run with different parameters.
 */
import { bindGroup, createPipeline, type UniformField } from './compute';
import type { GpuMatrix, GpuVector } from './gpuMatrix';

/** Threads per workgroup of the element-wise kernels (`linearIndex` in the WGSL). */
export const LINEAR_WORKGROUP = 256;

/**
 * A matrix or vector bound from the largest aligned offset at or below its own, with the float
 * index of its first element inside that binding: storage bindings must start at a multiple of
 * minStorageBufferOffsetAlignment (256 bytes), and the patch tokens of an ONNX Runtime output
 * start wherever the CLS and register tokens end.
 */
export interface LooseBinding {
  readonly binding: GPUBufferBinding;
  /** Float index of element 0 within `binding`. */
  readonly first: number;
}

export function looseBinding(device: GPUDevice, view: GpuMatrix | GpuVector): LooseBinding {
  if (view.offset % 4 !== 0) throw new RangeError(`a GPU tensor must start on a 4-byte boundary, got byte ${view.offset}`);
  const alignment = device.limits.minStorageBufferOffsetAlignment;
  const start = Math.floor(view.offset / alignment) * alignment;
  const floats = 'stride' in view ? view.rows * view.stride : view.length;
  const size = view.offset - start + Math.max(1, floats) * 4;
  return { binding: { buffer: view.buffer, offset: start, size }, first: (view.offset - start) / 4 };
}

/**
 * The pipelines of a WGSL module's entry points, compiled once. Rejects with the device's message
 * when one is invalid (e.g. over a limit), which would otherwise only surface as an uncaptured
 * error and a kernel that writes nothing.
 */
export async function compilePipelines<Entry extends string>(device: GPUDevice, code: string, label: string, entries: readonly Entry[]): Promise<Record<Entry, GPUComputePipeline>> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label });
  const settled = await Promise.allSettled(entries.map((entry) => createPipeline(device, module, entry)));
  const error = await device.popErrorScope();
  if (error) throw new Error(`${label}: ${error.message}`);
  const pipelines = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return Object.fromEntries(entries.map((entry, i) => [entry, pipelines[i]])) as Record<Entry, GPUComputePipeline>;
}

export class KernelRecorder {
  readonly device: GPUDevice;
  private readonly encoder: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | null = null;
  private readonly temporaries: GPUBuffer[] = [];
  private submitted = false;

  constructor(device: GPUDevice, label: string) {
    this.device = device;
    this.encoder = device.createCommandEncoder({ label });
  }

  /** A uniform block for one dispatch: 4-byte u32/f32 members in declaration order. */
  uniform(fields: readonly UniformField[]): GPUBufferBinding {
    const size = Math.max(1, Math.ceil(fields.length / 4)) * 16;
    const buffer = this.device.createBuffer({ size, usage: GPUBufferUsage.UNIFORM, mappedAtCreation: true, label: 'kernel params' });
    const view = new DataView(buffer.getMappedRange());
    fields.forEach(([type, value], i) => {
      if (type === 'u32') view.setUint32(i * 4, value, true);
      else view.setFloat32(i * 4, value, true);
    });
    buffer.unmap();
    this.temporaries.push(buffer);
    return { buffer };
  }

  /** Destroys `buffer` once the recorded work is submitted (e.g. scratch that was replaced). */
  destroyAfterSubmit(buffer: GPUBuffer): void {
    this.temporaries.push(buffer);
  }

  dispatch(pipeline: GPUComputePipeline, groups: readonly [number, number?, number?], entries: Record<number, GPUBufferBinding>): void {
    const [x, y = 1, z = 1] = groups;
    if (x === 0 || y === 0 || z === 0) return;
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (x > limit || y > limit || z > limit) throw new RangeError(`${pipeline.label}: ${x}×${y}×${z} workgroups exceed the device's ${limit} per dimension`);
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup(this.device, pipeline, entries));
    pass.dispatchWorkgroups(x, y, z);
  }

  /**
   * One thread per item for `count` items, LINEAR_WORKGROUP per workgroup, the workgroups laid
   * out in two dimensions so that counts beyond 65,535 workgroups still fit.
   */
  dispatchLinear(pipeline: GPUComputePipeline, count: number, entries: Record<number, GPUBufferBinding>): void {
    const groups = Math.ceil(count / LINEAR_WORKGROUP);
    const x = Math.min(groups, this.device.limits.maxComputeWorkgroupsPerDimension);
    this.dispatch(pipeline, [x, Math.ceil(groups / Math.max(1, x))], entries);
  }

  /** The open compute pass, for kernels that record their own dispatches (e.g. AdamW). */
  computePass(): GPUComputePassEncoder {
    if (this.submitted) throw new Error('this kernel recorder was already submitted');
    this.pass ??= this.encoder.beginComputePass();
    return this.pass;
  }

  /** Zeroes `size` bytes of `buffer` from byte `offset`, after the dispatches recorded so far. */
  clear(buffer: GPUBuffer, offset: number, size: number): void {
    this.endPass();
    this.encoder.clearBuffer(buffer, offset, size);
  }

  /** Submits what was recorded; the recorder cannot be used again. */
  submit(): void {
    if (this.submitted) throw new Error('this kernel recorder was already submitted');
    this.submitted = true;
    this.endPass();
    this.device.queue.submit([this.encoder.finish()]);
    // Work already submitted keeps its buffers alive; destroying them now frees them when it ends.
    for (const buffer of this.temporaries) buffer.destroy();
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}
