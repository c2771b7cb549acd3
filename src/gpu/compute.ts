/** Plumbing the kernel wrappers share: pipelines, uniform blocks and dispatch sizes. */

export function createPipeline(device: GPUDevice, module: GPUShaderModule, entryPoint: string): GPUComputePipeline {
  return device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint }, label: entryPoint });
}

/**
 * Runs `create` in a validation error scope, so that WGSL that does not compile rejects here
 * instead of leaving invalid pipelines that silently compute nothing.
 */
export async function validated<T>(device: GPUDevice, create: () => T): Promise<T> {
  device.pushErrorScope('validation');
  const value = create();
  const error = await device.popErrorScope();
  if (error) throw new Error(error.message);
  return value;
}

export function bindGroup(device: GPUDevice, pipeline: GPUComputePipeline, entries: Record<number, GPUBufferBinding>): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: Object.entries(entries).map(([binding, resource]) => ({ binding: Number(binding), resource })),
    label: pipeline.label,
  });
}

/** One member of a WGSL uniform struct made only of 4-byte u32 and f32 members. */
export type UniformField = readonly ['u32' | 'f32', number];

/** A uniform buffer for a struct of `members` 4-byte members. */
export function createUniform(device: GPUDevice, members: number, label: string): GPUBuffer {
  return device.createBuffer({ size: Math.ceil(members / 4) * 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label });
}

/**
 * Writes the struct's members in declaration order through the queue: the write lands before
 * any command buffer submitted after it, and after every one submitted before it.
 */
export function writeUniform(device: GPUDevice, buffer: GPUBuffer, fields: readonly UniformField[]): void {
  const view = new DataView(new ArrayBuffer(buffer.size));
  fields.forEach(([type, value], i) => {
    if (type === 'u32') view.setUint32(i * 4, value, true);
    else view.setFloat32(i * 4, value, true);
  });
  device.queue.writeBuffer(buffer, 0, view.buffer);
}

/** Workgroups covering `count` items, `size` per workgroup, within the device's per-dimension limit. */
export function workgroupCount(device: GPUDevice, count: number, size: number): number {
  const groups = Math.ceil(count / size);
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  if (groups > limit) throw new RangeError(`${count} items need ${groups} workgroups, more than the device's ${limit} per dimension`);
  return groups;
}
