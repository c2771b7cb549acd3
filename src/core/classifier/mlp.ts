/**
 * The discriminative classifier of PixOOD §3.2: features [N, D] → Linear(D, H) → GELU →
 * Linear(H, C) → logits [N, C]. Weights are stored as torch.nn.Linear stores them ([out, in],
 * row-major), so a model moves to and from PyTorch unchanged. A model is plain typed arrays
 * with dims: it survives structured clone, IndexedDB and safetensors as is.
 */
import type { Rng } from '../rng';
import { matrix, tensor, type Matrix, type Vector } from '../tensor';
import { gelu, geluDerivative } from './gelu';

export interface Mlp {
  /** First layer weights [H, D]. */
  readonly w1: Matrix;
  /** First layer bias [H]. */
  readonly b1: Vector;
  /** Second layer weights [C, H]. */
  readonly w2: Matrix;
  /** Second layer bias [C]. */
  readonly b2: Vector;
}

/** ∂loss/∂parameter for every parameter of an `Mlp`, with the same dims. */
export type MlpGradients = Mlp;

/** What a forward pass computed, kept for the backward pass. */
export interface MlpActivations {
  /** The features the pass ran on [N, D]. */
  readonly input: Matrix;
  /** First layer output before GELU [N, H]. */
  readonly preActivation: Matrix;
  /** GELU of `preActivation` [N, H]. */
  readonly hidden: Matrix;
  /** Unnormalised class scores [N, C]. */
  readonly logits: Matrix;
}

/**
 * A freshly initialised MLP D→H→C, drawn like torch.nn.Linear's reset_parameters: weights and
 * biases uniform in ±1/√fan_in (kaiming_uniform with a=√5 reduces to that bound).
 */
export function createMlp(inputDim: number, hidden: number, classes: number, rng: Rng): Mlp {
  for (const [name, value] of [['inputDim', inputDim], ['hidden', hidden], ['classes', classes]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`createMlp: ${name} must be a positive integer, got ${value}`);
  }
  const uniform = (size: number, fanIn: number): Float32Array => {
    const bound = 1 / Math.sqrt(fanIn);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = (2 * rng.uniform() - 1) * bound;
    return data;
  };
  return {
    w1: matrix(hidden, inputDim, uniform(hidden * inputDim, inputDim)),
    b1: tensor([hidden] as const, uniform(hidden, inputDim)),
    w2: matrix(classes, hidden, uniform(classes * hidden, hidden)),
    b2: tensor([classes] as const, uniform(classes, hidden)),
  };
}

/** Forward pass that keeps what `mlpBackward` needs. */
export function mlpForward(mlp: Mlp, input: Matrix): MlpActivations {
  const [n] = checkInput(mlp, input);
  const [h] = mlp.b1.dims;
  const [c] = mlp.b2.dims;
  const preActivation = matrix(n, h);
  const hidden = matrix(n, h);
  const logits = matrix(n, c);
  for (let i = 0; i < n; i++) {
    forwardRow(mlp, input, i, preActivation.data.subarray(i * h, (i + 1) * h), hidden.data.subarray(i * h, (i + 1) * h), logits.data.subarray(i * c, (i + 1) * c));
  }
  return { input, preActivation, hidden, logits };
}

/** Logits [N, C] only, for inference: the hidden layer is never held for more than one row. */
export function mlpLogits(mlp: Mlp, input: Matrix): Matrix {
  const [n] = checkInput(mlp, input);
  const [h] = mlp.b1.dims;
  const [c] = mlp.b2.dims;
  const preActivation = new Float32Array(h);
  const hidden = new Float32Array(h);
  const logits = matrix(n, c);
  for (let i = 0; i < n; i++) forwardRow(mlp, input, i, preActivation, hidden, logits.data.subarray(i * c, (i + 1) * c));
  return logits;
}

/**
 * Gradients of a loss for every parameter, given ∂loss/∂logits [N, C] of the forward pass
 * `activations`. Sums run in float64 so they do not depend on the batch size's rounding.
 * Rows of `dLogits` that are all zero (ignored samples) cost nothing.
 */
export function mlpBackward(mlp: Mlp, activations: MlpActivations, dLogits: Matrix): MlpGradients {
  const { input, preActivation, hidden } = activations;
  const [n, d] = input.dims;
  const [h] = mlp.b1.dims;
  const [c] = mlp.b2.dims;
  if (dLogits.dims[0] !== n || dLogits.dims[1] !== c) {
    throw new RangeError(`mlpBackward: dLogits must be [${n}, ${c}], got [${dLogits.dims.join(', ')}]`);
  }
  const w2 = mlp.w2.data;
  const gw1 = new Float64Array(h * d);
  const gb1 = new Float64Array(h);
  const gw2 = new Float64Array(c * h);
  const gb2 = new Float64Array(c);
  const dz = new Float64Array(h);
  for (let i = 0; i < n; i++) {
    const dl = dLogits.data.subarray(i * c, (i + 1) * c);
    if (dl.every((g) => g === 0)) continue;
    const a = hidden.data.subarray(i * h, (i + 1) * h);
    const z = preActivation.data.subarray(i * h, (i + 1) * h);
    const x = input.data.subarray(i * d, (i + 1) * d);
    dz.fill(0);
    for (let k = 0; k < c; k++) {
      const g = dl[k];
      if (g === 0) continue;
      gb2[k] += g;
      const off = k * h;
      for (let j = 0; j < h; j++) {
        gw2[off + j] += g * a[j];
        dz[j] += g * w2[off + j];
      }
    }
    for (let j = 0; j < h; j++) {
      const g = dz[j] * geluDerivative(z[j]);
      if (g === 0) continue;
      gb1[j] += g;
      const off = j * d;
      for (let e = 0; e < d; e++) gw1[off + e] += g * x[e];
    }
  }
  return {
    w1: matrix(h, d, Float32Array.from(gw1)),
    b1: tensor([h] as const, Float32Array.from(gb1)),
    w2: matrix(c, h, Float32Array.from(gw2)),
    b2: tensor([c] as const, Float32Array.from(gb2)),
  };
}

function checkInput(mlp: Mlp, input: Matrix): Matrix['dims'] {
  const [, d] = mlp.w1.dims;
  if (input.dims[1] !== d) throw new RangeError(`mlp: input must be [N, ${d}], got [${input.dims.join(', ')}]`);
  return input.dims;
}

/** One sample through both layers; dot products accumulate in float64. */
function forwardRow(mlp: Mlp, input: Matrix, i: number, z: Float32Array, a: Float32Array, logits: Float32Array): void {
  const [h, d] = mlp.w1.dims;
  const [c] = mlp.b2.dims;
  const w1 = mlp.w1.data;
  const w2 = mlp.w2.data;
  const x = input.data.subarray(i * d, (i + 1) * d);
  for (let j = 0; j < h; j++) {
    let s = mlp.b1.data[j];
    const off = j * d;
    for (let e = 0; e < d; e++) s += w1[off + e] * x[e];
    z[j] = s;
    a[j] = gelu(z[j]);
  }
  for (let k = 0; k < c; k++) {
    let s = mlp.b2.data[k];
    const off = k * h;
    for (let j = 0; j < h; j++) s += w2[off + j] * a[j];
    logits[k] = s;
  }
}
