/**
 * A dense float32 tensor, row-major, that knows its dims.
 * The dims are part of the type so a `Matrix` cannot be passed where a `Tensor3` is meant.
 */
export interface Tensor<Dims extends readonly number[] = readonly number[]> {
  readonly dims: Dims;
  readonly data: Float32Array;
}

/** [rows, cols]: rows are samples (points, patches, pixels), cols are feature dimensions. */
export type Matrix = Tensor<readonly [rows: number, cols: number]>;
export type Vector = Tensor<readonly [length: number]>;
export type Tensor3 = Tensor<readonly [number, number, number]>;

export function tensor<Dims extends readonly number[]>(dims: Dims, data?: Float32Array): Tensor<Dims> {
  const size = dims.reduce((a, b) => a * b, 1);
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`tensor dims must be non-negative integers, got [${dims.join(', ')}]`);
  }
  if (data && data.length !== size) {
    throw new RangeError(`tensor of dims [${dims.join(', ')}] needs ${size} values, got ${data.length}`);
  }
  return { dims, data: data ?? new Float32Array(size) };
}

export function matrix(rows: number, cols: number, data?: Float32Array): Matrix {
  return tensor([rows, cols] as const, data);
}

export function vector(data: Float32Array): Vector {
  return tensor([data.length] as const, data);
}

/** Row i of a matrix as a view (no copy). */
export function row(m: Matrix, i: number): Float32Array {
  const [, cols] = m.dims;
  return m.data.subarray(i * cols, (i + 1) * cols);
}

/** The rows of `m` listed in `indices`, copied into a new matrix. */
export function gatherRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const [, cols] = m.dims;
  const out = new Float32Array(indices.length * cols);
  for (let i = 0; i < indices.length; i++) {
    out.set(m.data.subarray(indices[i] * cols, (indices[i] + 1) * cols), i * cols);
  }
  return matrix(indices.length, cols, out);
}
