/**
 * Small ONNX models built in the test, never downloaded: one that keeps the DINOv2 contract and
 * one for each way a model can break it.
 */
import { encodeModel } from './onnxProto';

/**
 * A minimal patch-14 "ViT": a 14×14 stride-14 convolution to `dim` features per patch, flattened
 * to [1, h·w, dim], with `prefix` learned tokens (CLS, registers) in front. Dynamic H and W.
 */
export function tinyPatchModel(dim = 8, prefix = 1): Uint8Array {
  const weights = Array.from({ length: dim * 3 * 14 * 14 }, (_, i) => Math.sin(i * 0.37) * 0.05);
  const prefixValues = Array.from({ length: prefix * dim }, (_, i) => i * 0.1);
  return encodeModel({
    inputs: [{ name: 'pixel_values', type: 'float', shape: ['batch', 3, 'height', 'width'] }],
    outputs: [{ name: 'last_hidden_state', type: 'float', shape: ['batch', 'tokens', dim] }],
    initializers: [
      { name: 'w', type: 'float', dims: [dim, 3, 14, 14], values: weights },
      { name: 'flat', type: 'int64', dims: [3], values: [0, 0, -1] },
      { name: 'prefix', type: 'float', dims: [1, prefix, dim], values: prefixValues },
    ],
    nodes: [
      { op: 'Conv', inputs: ['pixel_values', 'w'], outputs: ['patches'], attributes: { kernel_shape: [14, 14], strides: [14, 14] } },
      { op: 'Reshape', inputs: ['patches', 'flat'], outputs: ['flat_patches'] },
      { op: 'Transpose', inputs: ['flat_patches'], outputs: ['tokens'], attributes: { perm: [0, 2, 1] } },
      { op: 'Concat', inputs: ['prefix', 'tokens'], outputs: ['last_hidden_state'], attributes: { axis: 1 } },
    ],
  });
}

/** Each way a model can break the contract, with the error code the check must give. */
export const wrongModels = {
  /** A 3-D input [1, 3, pixels]. */
  'input-rank': () =>
    encodeModel({
      inputs: [{ name: 'x', type: 'float', shape: [1, 3, 784] }],
      outputs: [{ name: 'y', type: 'float', shape: [1, 3, 784] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    }),
  /** 8-bit pixels in, a float token tensor out. */
  'input-dtype': () =>
    encodeModel({
      inputs: [{ name: 'x', type: 'uint8', shape: [1, 3, 28, 28] }],
      outputs: [{ name: 'y', type: 'float', shape: [1, 3, 784] }],
      initializers: [{ name: 'shape', type: 'int64', dims: [3], values: [1, 3, 784] }],
      nodes: [
        { op: 'Cast', inputs: ['x'], outputs: ['xf'], attributes: { to: 1 } },
        { op: 'Reshape', inputs: ['xf', 'shape'], outputs: ['y'] },
      ],
    }),
  /** Returns its 4-D input unchanged. */
  'output-rank': () =>
    encodeModel({
      inputs: [{ name: 'x', type: 'float', shape: [1, 3, 'height', 'width'] }],
      outputs: [{ name: 'y', type: 'float', shape: [1, 3, 'height', 'width'] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    }),
  /** 28×28 pixels (a 2×2 patch grid) but 3 tokens of 784 features out. */
  'token-grid': () =>
    encodeModel({
      inputs: [{ name: 'x', type: 'float', shape: [1, 3, 28, 28] }],
      outputs: [{ name: 'y', type: 'float', shape: [1, 3, 784] }],
      initializers: [{ name: 'shape', type: 'int64', dims: [3], values: [1, 3, 784] }],
      nodes: [{ op: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
    }),
  /** A text file renamed to .onnx. */
  'not-onnx': () => new TextEncoder().encode('These are holiday photos, not a neural network.\n'),
} as const;
