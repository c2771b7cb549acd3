// The classifier of PixOOD §3.2 (src/core/classifier is the reference): features [N, D] →
// Linear(D, H) → GELU → Linear(H, C) → logits [N, C]; its gradients; softmax cross-entropy with
// an ignore label. Weights are [out, in] as torch.nn.Linear stores them. Every matrix is
// row-major f32 with a row stride in floats (rows may be padded); `*First` is the float index of
// element [0, 0] inside its binding (ONNX Runtime's tokens start after CLS and registers).
// Sums run in a fixed order and partial sums are reduced by one thread each: no float atomics,
// so every result repeats bit for bit.
//
// Bindings, group 0, per entry point:
//  linearHidden, linearHiddenTrain, linearOut:  out = x·wᵀ + b, then GELU for the hidden layer
//    0  uniform          lin      Linear below
//    1  storage, read    x        [rows, inDim]          features or hidden activations
//    2  storage, read    w        [outDim, inDim]        weights
//    3  storage, read    b        [outDim]               bias
//    4  storage, rw      out      [rows, outDim]         GELU(pre) (hidden layers) or logits
//    5  storage, rw      pre      [rows, outDim]         pre-activation, linearHiddenTrain only
//  weightGradPartial:  partial[s, m, n] = Σ_{i in split s} p[i, m]·q'[i, n], q' = [q | 1]
//    6  uniform          wg       WeightGrad below
//    7  storage, read    p        [batch, m]             ∂loss/∂(layer output)
//    8  storage, read    q        [batch, n]             the layer's input
//    9  storage, rw      partial  [splits, m, n + 1]     per-split sums; column n is the bias's
//  weightGradReduce:  Σ over splits, in split order
//   10  uniform          wr       WeightReduce below
//   11  storage, read    partials [splits, m, n + 1]
//   12  storage, rw      gw       [m, n]                 ∂loss/∂weights
//   13  storage, rw      gb       [m]                    ∂loss/∂bias
//  hiddenGrad:  dPre[i, j] = GELU'(pre[i, j]) · Σ_k dLogits[i, k]·w2[k, j]
//   14  uniform          hg       HiddenGrad below
//   15  storage, read    dLogits  [batch, classes]
//   16  storage, read    w2       [classes, hidden]
//   17  storage, read    preIn    [batch, hidden]        pre-activation of the forward pass
//   18  storage, rw      dPre     [batch, hidden]
//  countLabels, softmaxCrossEntropy, accumulateLoss:  torch CrossEntropyLoss(ignore_index=−1)
//   19  uniform          ce       CrossEntropy below
//   20  storage, read    logits   [rows, classes]
//   21  storage, read    labels   [rows] i32             class index; anything outside [0, C) is ignored
//   22  storage, rw      dLogits  [rows, classes]        ∂(mean loss)/∂logits, zero rows when ignored
//   23  storage, rw      rowLoss  [rows]                 −log softmax[label] in nats, 0 when ignored
//   24  storage, rw      rowHit   [rows] u32             1 where argmax logit = label
//   25  storage, rw      counted  [1] u32                rows not ignored (countLabels writes it)
//   26  storage, rw      totals   Totals                 accumulateLoss adds this batch to it
//  gatherRows:  a batch of rows and their labels, picked through an index list
//   27  uniform          ga       Gather below
//   28  storage, read    source   [sourceRows, cols]
//   29  storage, read    order    [≥ start + rows] u32   source row of batch row r is order[start + r]
//   30  storage, read    sourceLabels [sourceRows] i32
//   31  storage, rw      batch    [rows, cols]
//   32  storage, rw      batchLabels  [rows] i32
//
// The GEMMs use the tile of common.wgsl, which src/gpu/mlpKernels.ts puts in front of this file.

// ---- GELU, exact (erf) form ----------------------------------------------------------------

const SQRT1_2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;

// erfc(x) for x ≥ 0: Numerical Recipes' Chebyshev fit, relative error < 1.1e-7 in exact
// arithmetic and < 1e-5 in float32 up to x = 9 (rounding of x² inside exp), checked against
// mpmath. WGSL has no erf, and erfc keeps its relative accuracy in the tail where 1 − erf cannot.
fn erfcNonNegative(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * x);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * exp(p - x * x);
}

// Φ(x) = ½ erfc(−x/√2), taken from the tail that does not cancel on each side.
fn normalCdf(x: f32) -> f32 {
  let tail = 0.5 * erfcNonNegative(abs(x) * SQRT1_2);
  return select(1.0 - tail, tail, x < 0.0);
}

fn gelu(x: f32) -> f32 {
  return x * normalCdf(x);
}

// d/dx [x·Φ(x)] = Φ(x) + x·φ(x).
fn geluDerivative(x: f32) -> f32 {
  return normalCdf(x) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
}

// ---- Forward: out = x·wᵀ + b ------------------------------------------------------------------

struct Linear {
  rows: u32,
  inDim: u32,
  outDim: u32,
  xFirst: u32,
  xStride: u32,
  wStride: u32,
  outFirst: u32,
  outStride: u32,
}

@group(0) @binding(0) var<uniform> lin: Linear;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
@group(0) @binding(5) var<storage, read_write> pre: array<f32>;

// The dot products of the tile at rows row0.., output features col0..: both operands have the
// reduction axis contiguous, so 16 neighbouring threads stage 16 neighbouring floats of a row.
fn linearTile(row0: u32, col0: u32, local: u32) {
  acc = array<vec4f, 4>();
  for (var k0 = 0u; k0 < lin.inDim; k0 += SLICE) {
    for (var q = 0u; q < 4u; q++) {
      let e = local + q * THREADS;
      let r = e / SLICE;
      let k = e % SLICE;
      var xv = 0.0;
      var wv = 0.0;
      if (k0 + k < lin.inDim) {
        if (row0 + r < lin.rows) {
          xv = x[lin.xFirst + (row0 + r) * lin.xStride + k0 + k];
        }
        if (col0 + r < lin.outDim) {
          wv = w[(col0 + r) * lin.wStride + k0 + k];
        }
      }
      rowTile[k * TILE + r] = xv;
      colTile[k * TILE + r] = wv;
    }
    workgroupBarrier();
    multiplySlice(local);
    workgroupBarrier();
  }
}

// Output element (a, b) of this thread's block: its flat index in `out`, or none outside.
fn linearTarget(row0: u32, col0: u32, local: u32, a: u32, c: u32) -> vec2u {
  let row = row0 + (local / 16u) * 4u + a;
  let col = col0 + (local % 16u) * 4u + c;
  return vec2u(row * lin.outStride + col, u32(row < lin.rows && col < lin.outDim));
}

@compute @workgroup_size(256)
fn linearHidden(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
  let row0 = group.y * TILE;
  let col0 = group.x * TILE;
  linearTile(row0, col0, local);
  for (var a = 0u; a < 4u; a++) {
    for (var c = 0u; c < 4u; c++) {
      let at = linearTarget(row0, col0, local, a, c);
      if (at.y == 1u) {
        out[lin.outFirst + at.x] = gelu(acc[a][c] + b[col0 + (local % 16u) * 4u + c]);
      }
    }
  }
}

@compute @workgroup_size(256)
fn linearHiddenTrain(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
  let row0 = group.y * TILE;
  let col0 = group.x * TILE;
  linearTile(row0, col0, local);
  for (var a = 0u; a < 4u; a++) {
    for (var c = 0u; c < 4u; c++) {
      let at = linearTarget(row0, col0, local, a, c);
      if (at.y == 1u) {
        let z = acc[a][c] + b[col0 + (local % 16u) * 4u + c];
        pre[lin.outFirst + at.x] = z;
        out[lin.outFirst + at.x] = gelu(z);
      }
    }
  }
}

@compute @workgroup_size(256)
fn linearOut(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
  let row0 = group.y * TILE;
  let col0 = group.x * TILE;
  linearTile(row0, col0, local);
  for (var a = 0u; a < 4u; a++) {
    for (var c = 0u; c < 4u; c++) {
      let at = linearTarget(row0, col0, local, a, c);
      if (at.y == 1u) {
        out[lin.outFirst + at.x] = acc[a][c] + b[col0 + (local % 16u) * 4u + c];
      }
    }
  }
}

// ---- Weight and bias gradients: Σ over the batch of p[i, m]·[q | 1][i, n] -----------------------

struct WeightGrad {
  batch: u32,
  m: u32,
  n: u32,
  pStride: u32,
  qStride: u32,
  rowsPerSplit: u32, // a multiple of SLICE
}

@group(0) @binding(6) var<uniform> wg: WeightGrad;
@group(0) @binding(7) var<storage, read> p: array<f32>;
@group(0) @binding(8) var<storage, read> q: array<f32>;
@group(0) @binding(9) var<storage, read_write> partial: array<f32>;

// Workgroup (x, y, z): columns 64x.. of [q | 1], rows 64y.. of the gradient, batch split z.
// Splitting the batch keeps the GPU busy when the gradient is small (C × H for the last layer).
@compute @workgroup_size(256)
fn weightGradPartial(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
  let row0 = group.y * TILE;
  let col0 = group.x * TILE;
  let begin = group.z * wg.rowsPerSplit;
  let end = min(wg.batch, begin + wg.rowsPerSplit);
  acc = array<vec4f, 4>();
  for (var i0 = begin; i0 < end; i0 += SLICE) {
    // Both operands have the output axis contiguous: a thread stages 4 values of one batch row.
    for (var s = 0u; s < 4u; s++) {
      let e = local + s * THREADS;
      let k = e / TILE;
      let r = e % TILE;
      let i = i0 + k;
      var pv = 0.0;
      var qv = 0.0;
      if (i < end) {
        if (row0 + r < wg.m) {
          pv = p[i * wg.pStride + row0 + r];
        }
        let col = col0 + r;
        if (col < wg.n) {
          qv = q[i * wg.qStride + col];
        } else if (col == wg.n) {
          qv = 1.0; // the bias is the weight of a constant input
        }
      }
      rowTile[k * TILE + r] = pv;
      colTile[k * TILE + r] = qv;
    }
    workgroupBarrier();
    multiplySlice(local);
    workgroupBarrier();
  }
  let width = wg.n + 1u;
  for (var a = 0u; a < 4u; a++) {
    let row = row0 + (local / 16u) * 4u + a;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + (local % 16u) * 4u + c;
      if (row < wg.m && col < width) {
        partial[(group.z * wg.m + row) * width + col] = acc[a][c];
      }
    }
  }
}

struct WeightReduce {
  m: u32,
  n: u32,
  splits: u32,
  gwStride: u32,
}

@group(0) @binding(10) var<uniform> wr: WeightReduce;
@group(0) @binding(11) var<storage, read> partials: array<f32>;
@group(0) @binding(12) var<storage, read_write> gw: array<f32>;
@group(0) @binding(13) var<storage, read_write> gb: array<f32>;

@compute @workgroup_size(256)
fn weightGradReduce(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let width = wr.n + 1u;
  let index = linearIndex(group, groups, local);
  if (index >= wr.m * width) {
    return;
  }
  var sum = 0.0;
  for (var s = 0u; s < wr.splits; s++) {
    sum += partials[s * wr.m * width + index];
  }
  let row = index / width;
  let col = index % width;
  if (col < wr.n) {
    gw[row * wr.gwStride + col] = sum;
  } else {
    gb[row] = sum;
  }
}

// ---- Back through the last layer and the GELU ---------------------------------------------------

struct HiddenGrad {
  batch: u32,
  hidden: u32,
  classes: u32,
  dLogitsStride: u32,
  w2Stride: u32,
  preStride: u32,
}

@group(0) @binding(14) var<uniform> hg: HiddenGrad;
@group(0) @binding(15) var<storage, read> dLogitsIn: array<f32>;
@group(0) @binding(16) var<storage, read> w2: array<f32>;
@group(0) @binding(17) var<storage, read> preIn: array<f32>;
@group(0) @binding(18) var<storage, read_write> dPre: array<f32>;

// One thread per (row, hidden unit); C is small, so a plain loop over the classes.
@compute @workgroup_size(256)
fn hiddenGrad(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let index = linearIndex(group, groups, local);
  if (index >= hg.batch * hg.hidden) {
    return;
  }
  let i = index / hg.hidden;
  let j = index % hg.hidden;
  var sum = 0.0;
  for (var k = 0u; k < hg.classes; k++) {
    sum += dLogitsIn[i * hg.dLogitsStride + k] * w2[k * hg.w2Stride + j];
  }
  dPre[i * hg.preStride + j] = sum * geluDerivative(preIn[i * hg.preStride + j]);
}

// ---- Softmax cross-entropy with an ignore label --------------------------------------------------

struct CrossEntropy {
  rows: u32,
  classes: u32,
  logitsStride: u32,
  dLogitsStride: u32,
}

// Sums over the whole batch; the epoch's mean loss is loss / count, its accuracy hits / count.
struct Totals {
  loss: f32,
  count: u32,
  hits: u32,
}

@group(0) @binding(19) var<uniform> ce: CrossEntropy;
@group(0) @binding(20) var<storage, read> logits: array<f32>;
@group(0) @binding(21) var<storage, read> labels: array<i32>;
@group(0) @binding(22) var<storage, read_write> dLogits: array<f32>;
@group(0) @binding(23) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(24) var<storage, read_write> rowHit: array<u32>;
@group(0) @binding(25) var<storage, read_write> counted: array<u32>;
@group(0) @binding(26) var<storage, read_write> totals: Totals;

var<workgroup> partialLoss: array<f32, 256>;
var<workgroup> partialCount: array<u32, 256>;

fn isCounted(label: i32) -> bool {
  return label >= 0 && u32(label) < ce.classes;
}

// One workgroup: the number of rows whose label counts, the divisor of the mean loss.
@compute @workgroup_size(256)
fn countLabels(@builtin(local_invocation_index) local: u32) {
  var count = 0u;
  for (var i = local; i < ce.rows; i += THREADS) {
    count += u32(isCounted(labels[i]));
  }
  partialCount[local] = count;
  workgroupBarrier();
  for (var half = THREADS / 2u; half > 0u; half /= 2u) {
    if (local < half) {
      partialCount[local] += partialCount[local + half];
    }
    workgroupBarrier();
  }
  if (local == 0u) {
    counted[0] = partialCount[0];
  }
}

// log(1 + u) for u ≥ 0: the series where log(1 + u) would lose u's low digits.
fn log1p(u: f32) -> f32 {
  if (u >= 0.1) {
    return log(1.0 + u);
  }
  // Terms to u⁸/8: the next is below 1e-9 of the sum.
  var sum = 0.0;
  var power = u;
  for (var k = 1u; k <= 8u; k++) {
    sum += select(-power, power, k % 2u == 1u) / f32(k);
    power *= u;
  }
  return sum;
}

// One thread per row. With e_k = exp(l_k − max l) and `others` = Σ_{k≠y} e_k, the loss is
// log(1 + others/e_y) and ∂loss/∂l_y = −others/Σe: neither subtracts nearly equal numbers when
// the label's class dominates, where 1 − p_y and log Σe − (l_y − max) would cancel.
@compute @workgroup_size(256)
fn softmaxCrossEntropy(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let i = linearIndex(group, groups, local);
  if (i >= ce.rows) {
    return;
  }
  let row = i * ce.logitsStride;
  let grad = i * ce.dLogitsStride;
  let y = labels[i];
  if (!isCounted(y)) {
    rowLoss[i] = 0.0;
    rowHit[i] = 0u;
    for (var k = 0u; k < ce.classes; k++) {
      dLogits[grad + k] = 0.0;
    }
    return;
  }
  let label = u32(y);
  var best = 0u;
  for (var k = 1u; k < ce.classes; k++) {
    if (logits[row + k] > logits[row + best]) {
      best = k;
    }
  }
  let top = logits[row + best];
  var others = 0.0;
  for (var k = 0u; k < ce.classes; k++) {
    if (k != label) {
      others += exp(logits[row + k] - top);
    }
  }
  let shifted = logits[row + label] - top;
  let own = exp(shifted);
  let total = own + others;
  let ratio = others / own;
  // Where the label's class is far behind, own underflows; then log Σe − shifted has no cancellation.
  rowLoss[i] = select(log(total) - shifted, log1p(ratio), ratio < 1.0);
  rowHit[i] = u32(best == label);
  let scale = 1.0 / (total * f32(counted[0]));
  for (var k = 0u; k < ce.classes; k++) {
    dLogits[grad + k] = select(exp(logits[row + k] - top), -others, k == label) * scale;
  }
}

// One workgroup: adds the batch's summed loss, count and hits to the running totals.
@compute @workgroup_size(256)
fn accumulateLoss(@builtin(local_invocation_index) local: u32) {
  var loss = 0.0;
  var hits = 0u;
  for (var i = local; i < ce.rows; i += THREADS) {
    loss += rowLoss[i];
    hits += rowHit[i];
  }
  partialLoss[local] = loss;
  partialCount[local] = hits;
  workgroupBarrier();
  for (var half = THREADS / 2u; half > 0u; half /= 2u) {
    if (local < half) {
      partialLoss[local] += partialLoss[local + half];
      partialCount[local] += partialCount[local + half];
    }
    workgroupBarrier();
  }
  if (local == 0u) {
    totals.loss += partialLoss[0];
    totals.count += counted[0];
    totals.hits += partialCount[0];
  }
}

// ---- Batch gathering ------------------------------------------------------------------------------

struct Gather {
  rows: u32,
  cols: u32,
  start: u32,
  sourceFirst: u32,
  sourceStride: u32,
  batchStride: u32,
}

@group(0) @binding(27) var<uniform> ga: Gather;
@group(0) @binding(28) var<storage, read> source: array<f32>;
@group(0) @binding(29) var<storage, read> order: array<u32>;
@group(0) @binding(30) var<storage, read> sourceLabels: array<i32>;
@group(0) @binding(31) var<storage, read_write> batch: array<f32>;
@group(0) @binding(32) var<storage, read_write> batchLabels: array<i32>;

@compute @workgroup_size(256)
fn gatherRows(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let index = linearIndex(group, groups, local);
  if (index >= ga.rows * ga.cols) {
    return;
  }
  let r = index / ga.cols;
  let e = index % ga.cols;
  let picked = order[ga.start + r];
  batch[r * ga.batchStride + e] = source[ga.sourceFirst + picked * ga.sourceStride + e];
  if (e == 0u) {
    batchLabels[r] = sourceLabels[picked];
  }
}
