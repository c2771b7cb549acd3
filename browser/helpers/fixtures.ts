/**
 * Reads an array of a reference fixture (fixtures/reference/NAME/ARRAY.f32, little-endian
 * float32, row-major) over HTTP: the test server serves the project root.
 */
import { matrix, type Matrix } from '../../src/core/tensor';

export async function fetchFixtureMatrix(name: string, array: string, dims: readonly number[]): Promise<Matrix> {
  const [rows, cols] = dims;
  const response = await fetch(`/fixtures/reference/${name}/${array}.f32`);
  if (!response.ok) throw new Error(`fixture ${name}/${array}.f32: HTTP ${response.status}`);
  const data = new Float32Array(await response.arrayBuffer());
  if (dims.length !== 2 || data.length !== rows * cols) throw new Error(`fixture ${name}/${array}.f32 holds ${data.length} floats, not [${dims.join(', ')}]`);
  return matrix(rows, cols, data);
}
