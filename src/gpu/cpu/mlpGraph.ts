/**
 * The ONNX graph of one classifier training step (§3.2) for ONNX Runtime's wasm backend: the
 * MLP D→H→C with exact GELU, softmax cross-entropy over the labelled rows, and the gradients of
 * every parameter (the contracts of mlpForward, softmaxCrossEntropy and mlpBackward in
 * src/core/classifier). The four products are Gemm nodes.
 *
 * Inputs: features [B, D] (B dynamic), labels [B] (class index as float, exact for any class
 * count, or IGNORE_LABEL), w1 [H, D], b1 [H], w2 [C, H], b2 [C] (torch.nn.Linear's layout).
 * Outputs: loss [] (mean over labelled rows), count [] (labelled rows), correct [] (labelled
 * rows whose first largest logit is their label), gradW1, gradB1, gradW2, gradB2.
 * The caller skips batches without a labelled row (the mean would be 0/0).
 */
import { attr } from '../../core/formats/onnxWriter';
import { IGNORE_LABEL } from '../../core/labels';
import { FloatGraph } from './graph';

export interface MlpGraphShape {
  readonly inputDim: number;
  readonly hidden: number;
  readonly classes: number;
}

export function mlpGraph({ inputDim: d, hidden: h, classes: c }: MlpGraphShape): Uint8Array {
  for (const [name, value] of [['inputDim', d], ['hidden', h], ['classes', c]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`MLP graph ${name} must be a positive integer, got ${value}`);
  }
  const g = new FloatGraph();
  const x = g.input('features', ['B', d]);
  const labels = g.input('labels', ['B']);
  const w1 = g.input('w1', [h, d]);
  const b1 = g.input('b1', [h]);
  const w2 = g.input('w2', [c, h]);
  const b2 = g.input('b2', [c]);

  // Forward, GELU in its exact form z·Φ(z) with Φ(z) = (1 + erf(z/√2))/2 (gelu.ts).
  const z = g.op('Gemm', [x, w1, b1], { transB: attr.int(1) });
  const cdf = g.mul(g.add(g.op('Erf', [g.mul(z, g.scalar('sqrtHalf', Math.SQRT1_2))]), g.scalar('one', 1)), g.scalar('half', 0.5));
  const a = g.mul(z, cdf);
  const logits = g.op('Gemm', [a, w2, b2], { transB: attr.int(1) });

  // Cross-entropy over the labelled rows: one-hot rows are all zero where the label is IGNORE_LABEL.
  const labelColumn = g.column(labels);
  const classIndex = g.constant('classIndex', [c], Float32Array.from({ length: c }, (_, k) => k));
  const oneHot = g.op('Cast', [g.op('Equal', [labelColumn, classIndex])], { to: attr.int(1) });
  const labelled = g.op('Cast', [g.op('Not', [g.op('Equal', [labelColumn, g.scalar('ignored', IGNORE_LABEL)])])], { to: attr.int(1) });
  const count = g.op('ReduceSum', [labelled], { keepdims: attr.int(0) });
  const perRow = g.op('Reciprocal', [count]);
  const logProb = g.op('LogSoftmax', [logits], { axis: attr.int(1) });
  const loss = g.mul(g.op('Neg', [g.op('ReduceSum', [g.mul(oneHot, logProb)], { keepdims: attr.int(0) })]), perRow);
  const predicted = g.op('Cast', [g.op('ArgMax', [logits], { axis: attr.int(1), keepdims: attr.int(1) })], { to: attr.int(1) });
  const correct = g.op('ReduceSum', [g.mul(g.op('Cast', [g.op('Equal', [predicted, labelColumn])], { to: attr.int(1) }), labelled)], { keepdims: attr.int(0) });

  // Backward: ∂loss/∂logits = (softmax − one-hot)/count on labelled rows, then through both layers.
  const dLogits = g.mul(g.sub(g.mul(g.op('Exp', [logProb]), labelled), oneHot), perRow);
  const da = g.op('MatMul', [dLogits, w2]);
  // d/dz [z·Φ(z)] = Φ(z) + z·φ(z).
  const density = g.mul(g.op('Exp', [g.mul(g.mul(z, z), g.scalar('minusHalf', -0.5))]), g.scalar('normalDensity', 1 / Math.sqrt(2 * Math.PI)));
  const dz = g.mul(da, g.add(cdf, g.mul(z, density)));

  g.output(loss, 'loss', []);
  g.output(count, 'count', []);
  g.output(correct, 'correct', []);
  g.output(g.op('Gemm', [dz, x], { transA: attr.int(1) }), 'gradW1', [h, d]);
  g.output(g.sum(dz, 0, false), 'gradB1', [h]);
  g.output(g.op('Gemm', [dLogits, a], { transA: attr.int(1) }), 'gradW2', [c, h]);
  g.output(g.sum(dLogits, 0, false), 'gradB2', [c]);
  return g.bytes(`mlp_${d}x${h}x${c}`);
}
