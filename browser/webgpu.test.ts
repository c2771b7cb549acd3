import { expect, test } from 'vitest';

// The browser project must really have WebGPU: every GPU kernel test depends on it.
test('headless Chromium exposes a WebGPU adapter that runs a compute shader', async () => {
  expect(navigator.gpu, 'navigator.gpu').toBeDefined();
  const adapter = await navigator.gpu.requestAdapter();
  expect(adapter, 'a WebGPU adapter').not.toBeNull();
  const device = await adapter!.requestDevice();
  const module = device.createShaderModule({
    code: `@group(0) @binding(0) var<storage, read_write> v: array<f32>;
           @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
             if (id.x < arrayLength(&v)) { v[id.x] = v[id.x] * 2.0 + 1.0; }
           }`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const input = Float32Array.from({ length: 100 }, (_, i) => i);
  const storage = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(storage, 0, input);
  const readback = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: storage } }] }));
  pass.dispatchWorkgroups(2);
  pass.end();
  encoder.copyBufferToBuffer(storage, 0, readback, 0, input.byteLength);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(readback.getMappedRange().slice(0));
  expect(Array.from(out.subarray(0, 4))).toEqual([1, 3, 5, 7]);
  expect(out[99]).toBe(199);
  device.destroy();
});
