/** Copies a range of a GPU buffer back to the CPU: for small results, tests and display. */

/**
 * `count` float32 values starting at float index `offset` of `buffer` (which needs COPY_SRC).
 * Sizes come from the caller's dims, never from `buffer.size`: ONNX Runtime pads its buffers.
 */
export async function readFloat32(device: GPUDevice, buffer: GPUBuffer, count: number, offset = 0): Promise<Float32Array> {
  if (count === 0) return new Float32Array(0);
  const byteLength = count * 4;
  const staging = device.createBuffer({ size: byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: 'readback' });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, offset * 4, staging, 0, byteLength);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ, 0, byteLength);
    return new Float32Array(staging.getMappedRange(0, byteLength).slice(0));
  } finally {
    staging.destroy();
  }
}
