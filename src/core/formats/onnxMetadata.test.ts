import { describe, expect, it } from 'vitest';
import { onnxMetadata, OnnxMetadataError } from './onnxMetadata';
import { DataType, GraphBuilder } from './onnxWriter';

function model(metadata: Record<string, string>): Uint8Array {
  const graph = new GraphBuilder();
  const x = graph.input('x', DataType.float, [1, 4]);
  graph.output(graph.node('Relu', [x]), 'y', DataType.float, [1, 4]);
  return graph.toBytes({ irVersion: 8, opset: 17, producerName: 'test', producerVersion: '1', docString: '', graphName: 'g', metadata });
}

describe('onnxMetadata', () => {
  it('reads back every key and value the writer put in, past the graph', () => {
    const declared = { 'pixood.patch_size': '16', 'pixood.input_mean': '0.5,0.5,0.5', note: 'é ✓' };
    expect(Object.fromEntries(onnxMetadata(model(declared)))).toEqual(declared);
  });

  it('finds nothing in a model without metadata', () => {
    expect(onnxMetadata(model({})).size).toBe(0);
  });

  it('says where a cut file ends', () => {
    const bytes = model({ 'pixood.patch_size': '16' });
    expect(() => onnxMetadata(bytes.subarray(0, bytes.length - 3))).toThrow(OnnxMetadataError);
  });
});
