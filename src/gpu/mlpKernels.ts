/**
 * The classifier on the GPU (shaders/mlp.wgsl): inference logits, the training forward pass,
 * softmax cross-entropy with the ignore label, and all weight and bias gradients, with the
 * semantics of src/core/classifier. Every method records into a KernelRecorder; nothing is read
 * back here except by the explicit read helpers.
 */
import common from '../../shaders/common.wgsl?raw';
import source from '../../shaders/mlp.wgsl?raw';
import { tensor } from '../core/tensor';
import type { Mlp } from '../core/classifier/mlp';
import { createStorage, paddedStride, readMatrix, readVector, writeVector, type GpuMatrix, type GpuVector } from './gpuMatrix';
import type { GpuScope } from './gpuScope';
import { bindingOf, compilePipelines, looseBinding, type KernelRecorder } from './kernelRecorder';
import { SHADER_STRUCTS } from './shaderStructs';
import { decodeStruct } from './structLayout';

/** An MLP D→H→C whose parameters live on the GPU, laid out as `Mlp` (weights [out, in]). */
export interface GpuMlp {
  /** [H, D] */
  readonly w1: GpuMatrix;
  /** [H] */
  readonly b1: GpuVector<'f32'>;
  /** [C, H] */
  readonly w2: GpuMatrix;
  /** [C] */
  readonly b2: GpuVector<'f32'>;
}

/** Per-row labels on the GPU: i32 class indices (IGNORE_LABEL = −1) stored as their u32 bit patterns. */
export type GpuLabels = GpuVector<'u32'>;

/** What the training forward pass keeps for the backward pass; `rows` of each is the batch size. */
export interface GpuActivations {
  /** [B, H] first layer output before GELU. */
  readonly pre: GpuMatrix;
  /** [B, H] GELU(pre). */
  readonly hidden: GpuMatrix;
  /** [B, C] */
  readonly logits: GpuMatrix;
}

/** Cross-entropy results per batch row, and the batch's count of rows that were not ignored. */
export interface GpuCrossEntropy {
  /** [B, C] ∂(mean loss)/∂logits. */
  readonly dLogits: GpuMatrix;
  /** [B] −log softmax(logits)[label] in nats, 0 for ignored rows. */
  readonly rowLoss: GpuVector<'f32'>;
  /** [B] 1 where the argmax logit is the label. */
  readonly rowHit: GpuVector<'u32'>;
  /** [1] rows whose label is not ignored. */
  readonly counted: GpuVector<'u32'>;
}

/** Running sums over batches: 3 words, { loss: f32, count: u32, hits: u32 } (see `readLossTotals`). */
export type GpuLossTotals = GpuVector<'u32'>;

export interface LossTotals {
  /** Summed per-row loss (nats) over the rows that counted. */
  readonly loss: number;
  readonly count: number;
  /** Rows whose argmax logit was their label. */
  readonly hits: number;
}

const STRUCTS = SHADER_STRUCTS['mlp.wgsl'];

const TILE = 64;
const SLICE = 16;
/** Inference keeps the hidden layer of at most this many bytes at a time. */
const HIDDEN_CHUNK_BYTES = 64 * 2 ** 20;
/** Weight-gradient workgroups to aim for before splitting the batch sum further. */
const GRADIENT_WORKGROUPS = 512;

export function mlpDims(mlp: GpuMlp): { inputDim: number; hidden: number; classes: number } {
  return { inputDim: mlp.w1.cols, hidden: mlp.w1.rows, classes: mlp.w2.rows };
}

export function uploadMlp(scope: GpuScope, mlp: Mlp, label = 'mlp'): GpuMlp {
  const b1 = scope.vector(mlp.b1.dims[0], 'f32', `${label} b1`);
  const b2 = scope.vector(mlp.b2.dims[0], 'f32', `${label} b2`);
  writeVector(scope.device, b1, mlp.b1.data);
  writeVector(scope.device, b2, mlp.b2.data);
  return { w1: scope.upload(mlp.w1, `${label} w1`), b1, w2: scope.upload(mlp.w2, `${label} w2`), b2 };
}

/** Zeroed parameters, or a place for their gradients. */
export function createGpuMlp(scope: GpuScope, dims: { inputDim: number; hidden: number; classes: number }, label: string): GpuMlp {
  const { inputDim, hidden, classes } = dims;
  return {
    w1: scope.matrix(hidden, inputDim, `${label} w1`),
    b1: scope.vector(hidden, 'f32', `${label} b1`),
    w2: scope.matrix(classes, hidden, `${label} w2`),
    b2: scope.vector(classes, 'f32', `${label} b2`),
  };
}

export async function readMlp(device: GPUDevice, mlp: GpuMlp): Promise<Mlp> {
  const [w1, b1, w2, b2] = await Promise.all([readMatrix(device, mlp.w1), readVector(device, mlp.b1), readMatrix(device, mlp.w2), readVector(device, mlp.b2)]);
  return { w1, b1: tensor([b1.length] as const, b1), w2, b2: tensor([b2.length] as const, b2) };
}

export function uploadLabels(scope: GpuScope, labels: Int32Array, label = 'labels'): GpuLabels {
  const target = scope.vector(labels.length, 'u32', label);
  writeVector(scope.device, target, new Uint32Array(labels.buffer, labels.byteOffset, labels.length));
  return target;
}

export async function readLabels(device: GPUDevice, labels: GpuLabels): Promise<Int32Array> {
  const bits = await readVector(device, labels);
  return new Int32Array(bits.buffer, bits.byteOffset, bits.length);
}

export function createLossTotals(scope: GpuScope): GpuLossTotals {
  return scope.vector(3, 'u32', 'loss totals');
}

export async function readLossTotals(device: GPUDevice, totals: GpuLossTotals): Promise<LossTotals> {
  const words = await readVector(device, totals);
  return decodeStruct(STRUCTS.Totals, new DataView(words.buffer, words.byteOffset, words.byteLength));
}

/** Buffers for the cross-entropy of batches of up to `rows` rows and `classes` classes. */
export function createCrossEntropyBuffers(scope: GpuScope, rows: number, classes: number): GpuCrossEntropy {
  return {
    dLogits: scope.matrix(rows, classes, 'dLogits'),
    rowLoss: scope.vector(rows, 'f32', 'row loss'),
    rowHit: scope.vector(rows, 'u32', 'row hit'),
    counted: scope.vector(1, 'u32', 'counted rows'),
  };
}

/** The same buffer seen as its first `rows` rows: batches smaller than the buffers. */
export function firstRows(m: GpuMatrix, rows: number): GpuMatrix {
  if (rows > m.rows) throw new RangeError(`a view of ${rows} rows of a ${m.rows}-row matrix`);
  return { ...m, rows };
}

export function firstEntries<Element extends 'f32' | 'u32'>(v: GpuVector<Element>, length: number): GpuVector<Element> {
  if (length > v.length) throw new RangeError(`a view of ${length} entries of a ${v.length}-entry vector`);
  return { ...v, length };
}

const ENTRY_POINTS = [
  'linearHidden',
  'linearHiddenTrain',
  'linearOut',
  'weightGradPartial',
  'weightGradReduce',
  'hiddenGrad',
  'countLabels',
  'softmaxCrossEntropy',
  'accumulateLoss',
  'gatherRows',
] as const;

type EntryPoint = (typeof ENTRY_POINTS)[number];

export class MlpKernels {
  readonly device: GPUDevice;
  private readonly pipelines: Readonly<Record<EntryPoint, GPUComputePipeline>>;
  private scratch: GPUBuffer | null = null;

  /** Compiles every pipeline once; rejects when the WGSL does not compile. */
  static async create(device: GPUDevice): Promise<MlpKernels> {
    return new MlpKernels(device, await compilePipelines(device, common + source, 'mlp.wgsl', ENTRY_POINTS));
  }

  private constructor(device: GPUDevice, pipelines: Record<EntryPoint, GPUComputePipeline>) {
    this.device = device;
    this.pipelines = pipelines;
  }

  /**
   * Inference: logits [N, C] of features [N, D] (e.g. a feature grid straight from the backbone).
   * The hidden layer is held for at most `hiddenChunkBytes` worth of rows at a time.
   */
  logits(rec: KernelRecorder, mlp: GpuMlp, features: GpuMatrix, out: GpuMatrix, hiddenChunkBytes = HIDDEN_CHUNK_BYTES): void {
    const { inputDim, hidden, classes } = mlpDims(mlp);
    checkMatrix('features', features, features.rows, inputDim);
    checkMatrix('logits', out, features.rows, classes);
    const stride = paddedStride(hidden);
    const chunk = Math.max(TILE, Math.floor(hiddenChunkBytes / (4 * stride * TILE)) * TILE);
    const hiddenRows = Math.min(features.rows, chunk);
    const scratch: GpuMatrix = { buffer: this.scratchBuffer(rec, hiddenRows * stride), offset: 0, rows: hiddenRows, cols: hidden, stride };
    for (let start = 0; start < features.rows; start += chunk) {
      const rows = Math.min(chunk, features.rows - start);
      const input = rowsFrom(features, start, rows);
      const hiddenPart = firstRows(scratch, rows);
      this.linear(rec, 'linearHidden', input, mlp.w1, mlp.b1, hiddenPart, null);
      this.linear(rec, 'linearOut', hiddenPart, mlp.w2, mlp.b2, rowsFrom(out, start, rows), null);
    }
  }

  /** Training forward pass over `input` [B, D], keeping what `backward` needs in `act` (B rows each). */
  forward(rec: KernelRecorder, mlp: GpuMlp, input: GpuMatrix, act: GpuActivations): void {
    const { inputDim, hidden, classes } = mlpDims(mlp);
    checkMatrix('input', input, input.rows, inputDim);
    checkMatrix('pre', act.pre, input.rows, hidden);
    checkMatrix('hidden', act.hidden, input.rows, hidden);
    checkMatrix('logits', act.logits, input.rows, classes);
    this.linear(rec, 'linearHiddenTrain', input, mlp.w1, mlp.b1, act.hidden, act.pre);
    this.linear(rec, 'linearOut', act.hidden, mlp.w2, mlp.b2, act.logits, null);
  }

  /**
   * Softmax cross-entropy of `logits` [B, C] against `labels` [B] (as torch's mean with
   * ignore_index = IGNORE_LABEL; labels outside [0, C) count as ignored). When `totals` is given,
   * the batch's summed loss, count and hits are added to it.
   */
  crossEntropy(rec: KernelRecorder, logits: GpuMatrix, labels: GpuLabels, out: GpuCrossEntropy, totals?: GpuLossTotals): void {
    const rows = logits.rows;
    if (labels.length !== rows) throw new RangeError(`${rows} rows of logits but ${labels.length} labels`);
    checkMatrix('dLogits', out.dLogits, rows, logits.cols);
    if (out.rowLoss.length !== rows || out.rowHit.length !== rows) throw new RangeError(`per-row outputs must have ${rows} entries`);
    const params = rec.uniform(STRUCTS.CrossEntropy, { rows, classes: logits.cols, logitsStride: logits.stride, dLogitsStride: out.dLogits.stride });
    const lossEntries = { 19: params, 21: bindingOf(this.device, labels), 25: bindingOf(this.device, out.counted) };
    rec.dispatch(this.pipelines.countLabels, [1], lossEntries);
    rec.dispatchLinear(this.pipelines.softmaxCrossEntropy, rows, {
      ...lossEntries,
      20: bindingOf(this.device, logits),
      22: bindingOf(this.device, out.dLogits),
      23: bindingOf(this.device, out.rowLoss),
      24: bindingOf(this.device, out.rowHit),
    });
    if (totals) {
      rec.dispatch(this.pipelines.accumulateLoss, [1], {
        19: params,
        23: bindingOf(this.device, out.rowLoss),
        24: bindingOf(this.device, out.rowHit),
        25: bindingOf(this.device, out.counted),
        26: bindingOf(this.device, totals),
      });
    }
  }

  /**
   * All parameter gradients of the loss whose ∂/∂logits is `dLogits` [B, C], for the forward
   * pass `act` over `input` [B, D]. `dPre` [B, H] is scratch for ∂loss/∂pre-activation.
   */
  backward(rec: KernelRecorder, mlp: GpuMlp, input: GpuMatrix, act: GpuActivations, dLogits: GpuMatrix, dPre: GpuMatrix, grads: GpuMlp): void {
    const { inputDim, hidden, classes } = mlpDims(mlp);
    const batch = input.rows;
    checkMatrix('dLogits', dLogits, batch, classes);
    checkMatrix('dPre', dPre, batch, hidden);
    this.weightGradient(rec, dLogits, act.hidden, grads.w2, grads.b2);
    rec.dispatchLinear(this.pipelines.hiddenGrad, batch * hidden, {
      14: rec.uniform(STRUCTS.HiddenGrad, { batch, hidden, classes, dLogitsStride: dLogits.stride, w2Stride: mlp.w2.stride, preStride: act.pre.stride }),
      15: bindingOf(this.device, dLogits),
      16: bindingOf(this.device, mlp.w2),
      17: bindingOf(this.device, act.pre),
      18: bindingOf(this.device, dPre),
    });
    checkMatrix('input', input, batch, inputDim);
    this.weightGradient(rec, dPre, input, grads.w1, grads.b1);
  }

  /** `batch` [rows, D] ← rows order[start..start + rows) of `features`, and their labels. */
  gather(rec: KernelRecorder, features: GpuMatrix, labels: GpuLabels, order: GpuVector<'u32'>, start: number, batch: GpuMatrix, batchLabels: GpuLabels): void {
    const rows = batch.rows;
    if (start + rows > order.length) throw new RangeError(`rows ${start}..${start + rows} of an order of ${order.length}`);
    if (batch.cols !== features.cols || batchLabels.length !== rows) throw new RangeError('the batch buffers do not match the features');
    const x = looseBinding(this.device, features);
    rec.dispatchLinear(this.pipelines.gatherRows, rows * features.cols, {
      27: rec.uniform(STRUCTS.Gather, { rows, cols: features.cols, start, sourceFirst: x.first, sourceStride: features.stride, batchStride: batch.stride }),
      28: x.binding,
      29: bindingOf(this.device, order),
      30: bindingOf(this.device, labels),
      31: bindingOf(this.device, batch),
      32: bindingOf(this.device, batchLabels),
    });
  }

  private linear(rec: KernelRecorder, entry: Extract<EntryPoint, 'linearHidden' | 'linearHiddenTrain' | 'linearOut'>, input: GpuMatrix, w: GpuMatrix, b: GpuVector<'f32'>, out: GpuMatrix, pre: GpuMatrix | null): void {
    const x = looseBinding(this.device, input);
    const y = looseBinding(this.device, out);
    const entries: Record<number, GPUBufferBinding> = {
      0: rec.uniform(STRUCTS.Linear, { rows: input.rows, inDim: input.cols, outDim: w.rows, xFirst: x.first, xStride: input.stride, wStride: w.stride, outFirst: y.first, outStride: out.stride }),
      1: x.binding,
      2: bindingOf(this.device, w),
      3: bindingOf(this.device, b),
      4: y.binding,
    };
    if (pre) {
      const z = looseBinding(this.device, pre);
      if (pre.stride !== out.stride || z.first !== y.first) throw new RangeError('pre-activations must be laid out as the hidden activations');
      entries[5] = z.binding;
    }
    rec.dispatch(this.pipelines[entry], [Math.ceil(w.rows / TILE), Math.ceil(input.rows / TILE)], entries);
  }

  /** gw [m, n] = Σ_i p[i, m]·q[i, n], gb [m] = Σ_i p[i, m]: split over the batch, then reduced in order. */
  private weightGradient(rec: KernelRecorder, p: GpuMatrix, q: GpuMatrix, gw: GpuMatrix, gb: GpuVector<'f32'>): void {
    const batch = p.rows;
    const m = p.cols;
    const n = q.cols;
    checkMatrix('weight gradient', gw, m, n);
    if (gb.length !== m) throw new RangeError(`bias gradient needs ${m} entries, has ${gb.length}`);
    const tiles = Math.ceil((n + 1) / TILE) * Math.ceil(m / TILE);
    const wanted = Math.min(Math.ceil(batch / TILE), Math.max(1, Math.ceil(GRADIENT_WORKGROUPS / tiles)));
    const rowsPerSplit = Math.max(SLICE, Math.ceil(batch / wanted / SLICE) * SLICE);
    const splits = Math.max(1, Math.ceil(batch / rowsPerSplit));
    const partial = this.scratchBuffer(rec, splits * m * (n + 1));
    const whole = { buffer: partial, offset: 0, size: splits * m * (n + 1) * 4 };
    rec.dispatch(this.pipelines.weightGradPartial, [Math.ceil((n + 1) / TILE), Math.ceil(m / TILE), splits], {
      6: rec.uniform(STRUCTS.WeightGrad, { batch, m, n, pStride: p.stride, qStride: q.stride, rowsPerSplit }),
      7: bindingOf(this.device, p),
      8: bindingOf(this.device, q),
      9: whole,
    });
    rec.dispatchLinear(this.pipelines.weightGradReduce, m * (n + 1), {
      10: rec.uniform(STRUCTS.WeightReduce, { m, n, splits, gwStride: gw.stride }),
      11: whole,
      12: bindingOf(this.device, gw),
      13: bindingOf(this.device, gb),
    });
  }

  /**
   * One scratch buffer of at least `floats` floats, shared by all calls: dispatches run in
   * recording order, so each use is over before the next begins.
   */
  private scratchBuffer(rec: KernelRecorder, floats: number): GPUBuffer {
    if (!this.scratch || this.scratch.size < floats * 4) {
      if (this.scratch) rec.destroyAfterSubmit(this.scratch);
      this.scratch = createStorage(this.device, floats, 'mlp scratch');
    }
    return this.scratch;
  }
}

/** Rows start..start + rows of `m`, as a view with its own offset. */
function rowsFrom(m: GpuMatrix, start: number, rows: number): GpuMatrix {
  return { ...m, offset: m.offset + start * m.stride * 4, rows };
}

function checkMatrix(name: string, m: GpuMatrix, rows: number, cols: number): void {
  if (m.rows !== rows || m.cols !== cols) throw new RangeError(`${name} must be [${rows}, ${cols}], got [${m.rows}, ${m.cols}]`);
}
