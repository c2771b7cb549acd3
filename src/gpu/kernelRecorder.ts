/**
 * The one way kernels run on the GPU. A kernel wrapper records its dispatches into a recorder,
 * each dispatch with its own uniform block, and the recorder submits them all at once: one
 * step, or several steps, per submit. The uniform blocks of a recorder share a few buffers, one
 * 256-byte slot per dispatch, written through the queue just before the submit: a queue write
 * lands after the work submitted before it, so a buffer can serve the next recorder as soon as
 * this one is submitted.
 */
import type { GpuMatrix, GpuVector } from './gpuMatrix';
import { encodeStruct, structSize, type StructLayout, type StructValues } from './structLayout';

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

/** The binding of a view that must start on a storage-offset boundary (buffers this app creates do). */
export function bindingOf(device: GPUDevice, view: GpuMatrix | GpuVector): GPUBufferBinding {
  const { binding, first } = looseBinding(device, view);
  if (first !== 0) throw new RangeError(`${view.buffer.label}: this kernel input must start on a ${device.limits.minStorageBufferOffsetAlignment}-byte boundary`);
  return binding;
}

/**
 * The pipelines of a WGSL module's entry points, compiled once. Rejects with the device's message
 * when one is invalid (e.g. over a limit), which would otherwise only surface as an uncaptured
 * error and a kernel that writes nothing.
 */
export async function compilePipelines<Entry extends string>(device: GPUDevice, code: string, label: string, entries: readonly Entry[]): Promise<Record<Entry, GPUComputePipeline>> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label });
  const pipelines = entries.map((entry) => [entry, device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: entry }, label: entry })] as const);
  const error = await device.popErrorScope();
  if (error) throw new Error(`${label}: ${error.message}`);
  return Object.fromEntries(pipelines) as Record<Entry, GPUComputePipeline>;
}

/** Bytes per uniform-block buffer of a recorder: 64 dispatches' worth. */
const UNIFORM_CHUNK = 64 * 256;

/** Uniform-block buffers whose recorder was submitted, per device, ready for another recorder. */
const idleChunks = new WeakMap<GPUDevice, GPUBuffer[]>();

interface UniformChunk {
  readonly buffer: GPUBuffer;
  readonly bytes: ArrayBuffer;
  used: number;
}

export interface RecorderOptions {
  /** Timestamps around the recorder's first compute pass (benchmarks). */
  readonly timestampWrites?: GPUComputePassTimestampWrites;
}

export class KernelRecorder {
  readonly device: GPUDevice;
  private readonly encoder: GPUCommandEncoder;
  private readonly options: RecorderOptions;
  private pass: GPUComputePassEncoder | null = null;
  private passes = 0;
  private readonly chunks: UniformChunk[] = [];
  private readonly temporaries: GPUBuffer[] = [];
  private submitted = false;

  constructor(device: GPUDevice, label: string, options: RecorderOptions = {}) {
    this.device = device;
    this.options = options;
    this.encoder = device.createCommandEncoder({ label });
  }

  /** The uniform block of one dispatch, written member by member from `values`. */
  uniform<Layout extends StructLayout>(layout: Layout, values: StructValues<Layout>): GPUBufferBinding {
    const size = structSize(layout);
    const slot = Math.max(size, this.device.limits.minUniformBufferOffsetAlignment);
    let chunk = this.chunks.at(-1);
    if (!chunk || chunk.used + slot > UNIFORM_CHUNK) {
      const buffer = idleChunks.get(this.device)?.pop() ?? this.device.createBuffer({ size: UNIFORM_CHUNK, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'kernel params' });
      chunk = { buffer, bytes: new ArrayBuffer(UNIFORM_CHUNK), used: 0 };
      this.chunks.push(chunk);
    }
    const offset = chunk.used;
    encodeStruct(layout, values, new DataView(chunk.bytes), offset);
    chunk.used += slot;
    return { buffer: chunk.buffer, offset, size };
  }

  /** Destroys `buffer` once the recorded work is submitted (e.g. scratch that was replaced). */
  destroyAfterSubmit(buffer: GPUBuffer): void {
    this.temporaries.push(buffer);
  }

  /** Records one dispatch of `groups` workgroups; an empty one records nothing. */
  dispatch(pipeline: GPUComputePipeline, groups: readonly [number, number?, number?], entries: Record<number, GPUBufferBinding>): void {
    const [x, y = 1, z = 1] = groups;
    if (x === 0 || y === 0 || z === 0) return;
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (x > limit || y > limit || z > limit) throw new RangeError(`${pipeline.label}: ${x}×${y}×${z} workgroups exceed the device's ${limit} per dimension`);
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: Object.entries(entries).map(([binding, resource]) => ({ binding: Number(binding), resource })),
        label: pipeline.label,
      }),
    );
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

  /** Submits what was recorded; the recorder cannot be used again. */
  submit(): void {
    if (this.submitted) throw new Error('this kernel recorder was already submitted');
    this.submitted = true;
    this.pass?.end();
    this.pass = null;
    for (const chunk of this.chunks) this.device.queue.writeBuffer(chunk.buffer, 0, chunk.bytes, 0, chunk.used);
    this.device.queue.submit([this.encoder.finish()]);
    let idle = idleChunks.get(this.device);
    if (!idle) idleChunks.set(this.device, (idle = []));
    idle.push(...this.chunks.map((chunk) => chunk.buffer));
    // Work already submitted keeps its buffers alive; destroying them now frees them when it ends.
    for (const buffer of this.temporaries) buffer.destroy();
  }

  private computePass(): GPUComputePassEncoder {
    if (this.submitted) throw new Error('this kernel recorder was already submitted');
    if (!this.pass) {
      this.pass = this.encoder.beginComputePass(this.passes === 0 && this.options.timestampWrites ? { timestampWrites: this.options.timestampWrites } : {});
      this.passes += 1;
    }
    return this.pass;
  }
}
