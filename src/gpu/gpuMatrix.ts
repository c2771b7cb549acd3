/**
 * GPU buffers that know their dims, as the kernels take them. Feature matrices (points,
 * etalons, gradients) have their rows padded with zeros to a multiple of 4 floats, so kernels
 * load rows as vec4 whatever D is; zeros change no norm, dot product or gradient, and AdamW
 * leaves a zero parameter with a zero gradient at zero. Matrices that kernels index by element
 * (distances) are dense.
 */
import { matrix, type Matrix } from '../core/tensor';
import { readFloat32 } from './readback';

/** [rows, cols] float32 at byte `offset` of `buffer`, row r starting at float r·stride. */
export interface GpuMatrix {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  /** Floats from one row to the next: `cols` (dense) or `cols` rounded up to a multiple of 4 (vec4 rows). */
  readonly stride: number;
}

/** [length] values of one 32-bit element type at byte `offset` of `buffer`. */
export interface GpuVector<Element extends 'f32' | 'u32' = 'f32' | 'u32'> {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly length: number;
  readonly element: Element;
}

export function paddedStride(cols: number): number {
  return Math.ceil(cols / 4) * 4;
}

/** A zeroed storage buffer of `floats` 32-bit values (at least one: empty bindings are invalid). */
export function createStorage(device: GPUDevice, floats: number, label: string): GPUBuffer {
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  return device.createBuffer({ size: Math.max(1, floats) * 4, usage, label });
}

export function createGpuMatrix(device: GPUDevice, rows: number, cols: number, label: string, stride = paddedStride(cols)): GpuMatrix {
  return { buffer: createStorage(device, rows * stride, label), offset: 0, rows, cols, stride };
}

export function createGpuVector<Element extends 'f32' | 'u32'>(device: GPUDevice, length: number, element: Element, label: string): GpuVector<Element> {
  return { buffer: createStorage(device, length, label), offset: 0, length, element };
}

/** A new GPU matrix holding `m`. */
export function uploadMatrix(device: GPUDevice, m: Matrix, label: string): GpuMatrix {
  const target = createGpuMatrix(device, m.dims[0], m.dims[1], label);
  writeMatrix(device, target, m);
  return target;
}

/** Writes `m` (same dims) into `target` through the queue, padding each row. */
export function writeMatrix(device: GPUDevice, target: GpuMatrix, m: Matrix): void {
  const [rows, cols] = m.dims;
  if (rows !== target.rows || cols !== target.cols) {
    throw new RangeError(`cannot write a [${rows}, ${cols}] matrix into a [${target.rows}, ${target.cols}] GPU matrix`);
  }
  let data = m.data;
  if (target.stride !== cols) {
    data = new Float32Array(rows * target.stride);
    for (let i = 0; i < rows; i++) data.set(m.data.subarray(i * cols, (i + 1) * cols), i * target.stride);
  }
  device.queue.writeBuffer(target.buffer, target.offset, data.buffer, data.byteOffset, data.byteLength);
}

export async function readMatrix(device: GPUDevice, source: GpuMatrix): Promise<Matrix> {
  const { rows, cols, stride } = source;
  const padded = await readFloat32(device, source.buffer, rows * stride, source.offset / 4);
  if (stride === cols) return matrix(rows, cols, padded);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(padded.subarray(i * stride, i * stride + cols), i * cols);
  return matrix(rows, cols, out);
}

export function writeVector(device: GPUDevice, target: GpuVector<'f32'>, data: Float32Array): void;
export function writeVector(device: GPUDevice, target: GpuVector<'u32'>, data: Uint32Array): void;
export function writeVector(device: GPUDevice, target: GpuVector, data: Float32Array | Uint32Array): void {
  if (data.length !== target.length) throw new RangeError(`cannot write ${data.length} values into a GPU vector of ${target.length}`);
  device.queue.writeBuffer(target.buffer, target.offset, data.buffer, data.byteOffset, data.byteLength);
}

export function readVector(device: GPUDevice, source: GpuVector<'f32'>): Promise<Float32Array>;
export function readVector(device: GPUDevice, source: GpuVector<'u32'>): Promise<Uint32Array>;
export async function readVector(device: GPUDevice, source: GpuVector): Promise<Float32Array | Uint32Array> {
  const values = await readFloat32(device, source.buffer, source.length, source.offset / 4);
  // The copy is bit-exact, so u32 data comes back intact through a float32 view.
  return source.element === 'u32' ? new Uint32Array(values.buffer) : values;
}

/** Throws unless `m` has rows of `cols` floats padded for vec4 loads (as `createGpuMatrix` makes by default). */
export function requireVec4Rows(m: GpuMatrix, name: string, cols: number): void {
  if (m.cols !== cols || m.stride !== paddedStride(cols)) {
    throw new RangeError(`${name} must have ${cols} columns padded to ${paddedStride(cols)}, got ${m.cols} padded to ${m.stride}`);
  }
}

/** Throws unless `m` is a dense matrix of `cols` columns and at least `rows` rows. */
export function requireDense(m: GpuMatrix, name: string, rows: number, cols: number): void {
  if (m.cols !== cols || m.stride !== cols || m.rows < rows) {
    throw new RangeError(`${name} must be a dense [≥${rows}, ${cols}] matrix, got [${m.rows}, ${m.cols}] with row stride ${m.stride}`);
  }
}

/** Throws unless `v` holds `length` values of `element`. */
export function requireVector(v: GpuVector, name: string, length: number, element: 'f32' | 'u32'): void {
  if (v.length !== length || v.element !== element) {
    throw new RangeError(`${name} must be ${length} ${element} values, got ${v.length} ${v.element}`);
  }
}
