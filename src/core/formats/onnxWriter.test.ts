/**
 * The hand-written ONNX encoder against ONNX Runtime's own parser: every attribute kind,
 * negative int64 values, int64 and float initializers and symbolic dims must come through.
 */
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { attr, DataType, GraphBuilder } from './onnxWriter';

describe('onnxWriter', () => {
  ort.env.wasm.numThreads = 1;

  it('writes a model that onnxruntime-web loads and runs as specified', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', DataType.float, ['n', 3]);
    const scaled = g.node('Mul', [x, g.floats('scale', [3], [1, -2, 0.5])]);
    // Negative attribute values are 10-byte varints; a float attribute is a fixed32.
    const joined = g.node('Concat', [x, scaled], { axis: attr.int(-1) });
    const leaky = g.node('LeakyRelu', [joined], { alpha: attr.float(0.25) });
    const padded = g.node('Pad', [leaky, g.int64s('pads', [0, 1, 0, 0])], { mode: attr.string('constant') });
    const reshaped = g.node('Reshape', [padded, g.int64s('shape', [-1, 7])]);
    const transposed = g.node('Transpose', [reshaped], { perm: attr.ints([1, 0]) });
    g.output(transposed, 'y', DataType.float, [7, 'n']);
    const bytes = g.toBytes({
      graphName: 'writer_test',
      producerName: 'pixood-web',
      producerVersion: 'test',
      docString: 'encoder test',
      opset: 17,
      irVersion: 8,
      metadata: { purpose: 'test' },
    });

    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    try {
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['y']);
      const input = new Float32Array([1, 2, -4, -1, 3, 8]);
      const y = (await session.run({ x: new ort.Tensor('float32', input, [2, 3]) })).y;
      expect(y.dims).toEqual([7, 2]);
      // Row i of x → [0, leakyRelu([x, x ⊙ (1, −2, 0.5)])], then transposed.
      const rows = [
        [0, 1, 2, -1, 1, -1, -0.5],
        [0, -0.25, 3, 8, -0.25, -1.5, 4],
      ];
      const expected = Array.from({ length: 14 }, (_, k) => rows[k % 2][Math.floor(k / 2)]);
      expect(Array.from(y.data as Float32Array)).toEqual(expected);
      console.log(`onnxWriter: ${bytes.length} bytes, output [${y.dims.join(',')}] as expected`);
    } finally {
      await session.release();
    }
  });
});
