// Reductions over the batch's points of the per-(point, etalon) terms of condensationLoss.wgsl
// into the batch result (src/core/condensation/batch.ts, CondensationBatchResult), mean over B:
//   ∂loss/∂c_k = (1/B) Σ_i a_ik (c_k − x_i) = (1/B) [(Σ_i a_ik) c_k − Σ_i a_ik x_i]
//   ∂loss/∂θ_k = (1/B) Σ_i ∂ℓ_i/∂τ_k · dτ/dθ_k
//   support_k  = Σ_i w_ik (Eq. 17)             loss = (1/B) Σ_i ℓ_i
// and the running support of Eq. 18 with the mask it implies. WGSL has no float atomics, and
// an atomic sum would depend on timing anyway: the points are split into fixed chunks, every
// chunk writes its own partial sums, and a second pass adds the chunks in order. Same inputs,
// same bits.
//
// Bindings, group 0 (f32 unless said; a row of D values is padded with zeros to `stride`, a
// multiple of 4, and read as stride/4 vec4s):
//   0  uniform           params       Params below
//   1  storage, read     points       [N, stride]       the class's points (whitened units)
//   2  storage, read     rows         [≥ rowOffset + B] u32: batch point i is row rows[rowOffset + i]
//   3  storage, read     terms        [3, B, K]         a_ik, w_ik, ∂ℓ_i/∂τ_k (condensationLoss.wgsl)
//   4  storage, rw       partials     [chunks, K, stride]  Σ_{i in chunk} a_ik x_i (loss per whitened unit)
//   5  storage, read     pointLoss    [B]               ℓ_i
//   6  storage, rw       columnSums   [chunks, 3, K]    Σ_{i in chunk} of each plane of terms
//   7  storage, rw       lossSums     [chunks]          Σ_{i in chunk} ℓ_i
//   8  storage, read     etalons      [K, stride]       c_k (whitened units)
//   9  storage, write    gradEtalons  [K, stride]       ∂loss/∂c_k (loss per whitened unit)
//  10  storage, read     theta        [K]               θ_k
//  11  storage, rw       support      [K]               support_k of this batch (points)
//  12  storage, write    gradTheta    [K]               ∂loss/∂θ_k
//  13  storage, write    lossLog      [slots]           the batch loss goes to slot lossSlot
//  14  storage, rw       running      [K]               running support s_t(k) (points per batch)
//  15  storage, write    mask         [K] u32           1 where s_t(k) > threshold
//  16  uniform           supportParams  SupportParams below
//
// Entry points, in the order a step runs them, with the bindings each uses:
//   etalonPartials  0–4        workgroups (⌈K/32⌉, ⌈stride/32⌉, chunks), 8 × 8 threads, 4 etalons × 1 vec4 each
//   columnPartials  0, 3, 5–7  workgroups (⌈K/64⌉, chunks), a thread per etalon
//   finishEtalons   0, 4, 6, 8, 9      a thread per vec4 of gradEtalons
//   finishScalars   0, 6, 7, 10–13     a thread per etalon; thread 0 also the loss
//   updateSupport   11, 14–16          a thread per etalon

struct Params {
  batch: u32,        // B
  etalons: u32,      // K
  stride4: u32,      // vec4s per row
  rowOffset: u32,
  chunks: u32,       // ⌈B / CHUNK⌉
  lossSlot: u32,
}

struct SupportParams {
  etalons: u32,      // K
  supportRate: f32,  // q_t of Eq. 18
  threshold: f32,    // re-init threshold θ_r (points per batch)
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> points: array<vec4f>;
@group(0) @binding(2) var<storage, read> rows: array<u32>;
@group(0) @binding(3) var<storage, read> terms: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<vec4f>;
@group(0) @binding(5) var<storage, read> pointLoss: array<f32>;
@group(0) @binding(6) var<storage, read_write> columnSums: array<f32>;
@group(0) @binding(7) var<storage, read_write> lossSums: array<f32>;
@group(0) @binding(8) var<storage, read> etalons: array<vec4f>;
@group(0) @binding(9) var<storage, read_write> gradEtalons: array<vec4f>;
@group(0) @binding(10) var<storage, read> theta: array<f32>;
@group(0) @binding(11) var<storage, read_write> support: array<f32>;
@group(0) @binding(12) var<storage, read_write> gradTheta: array<f32>;
@group(0) @binding(13) var<storage, read_write> lossLog: array<f32>;
@group(0) @binding(14) var<storage, read_write> running: array<f32>;
@group(0) @binding(15) var<storage, read_write> mask: array<u32>;
@group(0) @binding(16) var<uniform> supportParams: SupportParams;

// Points per chunk: a multiple of the 32-row step below. Must match CHUNK_ROWS in condensationKernels.ts.
const CHUNK = 256u;
const TILE = 32u;

var<workgroup> coefTile: array<f32, 1024>;   // [point 32][etalon 32]
var<workgroup> pointTile: array<vec4f, 256>; // [point 32][vec4 8]

// A GEMM with the points as its inner dimension: Σ_{i in chunk} a_ik x_i for a 32-etalon ×
// 32-float block.
@compute @workgroup_size(8, 8)
fn etalonPartials(
  @builtin(workgroup_id) group: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let etalon0 = group.x * TILE;
  let dim0 = group.y * 8u;
  let chunk = group.z;
  let first = chunk * CHUNK;
  let end = min(params.batch, first + CHUNK);
  let count = params.etalons;

  // Loading: thread t stages column t%32 of 16 coefficient rows (neighbouring threads read
  // neighbouring etalons) and 4 vec4s of point row t/2.
  let coefColumn = t & 31u;
  let coefRow0 = (t >> 5u) * 16u;
  let pointRow = t >> 1u;
  let pointHalf = (t & 1u) * 4u;

  var sums: array<vec4f, 4>; // sums[m] = Σ_i a_i,(4·local.y + m) · x_i[vec4 local.x]
  for (var row0 = first; row0 < end; row0 += TILE) {
    let k = etalon0 + coefColumn;
    for (var j = 0u; j < 16u; j++) {
      let i = row0 + coefRow0 + j;
      var a = 0.0;
      if (i < end && k < count) {
        a = terms[i * count + k];
      }
      coefTile[(coefRow0 + j) * TILE + coefColumn] = a;
    }
    let i = row0 + pointRow;
    var base = 0u;
    if (i < end) {
      base = rows[params.rowOffset + i] * params.stride4;
    }
    for (var j = 0u; j < 4u; j++) {
      let d4 = dim0 + pointHalf + j;
      var x = vec4f(0.0);
      if (i < end && d4 < params.stride4) {
        x = points[base + d4];
      }
      pointTile[pointRow * 8u + pointHalf + j] = x;
    }
    workgroupBarrier();
    let rowEnd = min(TILE, end - row0);
    for (var r = 0u; r < rowEnd; r++) {
      let x = pointTile[r * 8u + local.x];
      let a = r * TILE + local.y * 4u;
      sums[0] += coefTile[a] * x;
      sums[1] += coefTile[a + 1u] * x;
      sums[2] += coefTile[a + 2u] * x;
      sums[3] += coefTile[a + 3u] * x;
    }
    workgroupBarrier();
  }

  let d4 = dim0 + local.x;
  if (d4 >= params.stride4) {
    return;
  }
  for (var m = 0u; m < 4u; m++) {
    let k = etalon0 + local.y * 4u + m;
    if (k < count) {
      partials[(chunk * count + k) * params.stride4 + d4] = sums[m];
    }
  }
}

@compute @workgroup_size(64)
fn columnPartials(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) t: u32) {
  let chunk = group.y;
  let first = chunk * CHUNK;
  let end = min(params.batch, first + CHUNK);
  let count = params.etalons;
  let plane = params.batch * count;
  let k = group.x * 64u + t;
  if (k < count) {
    var coef = 0.0;
    var weight = 0.0;
    var tauGrad = 0.0;
    for (var i = first; i < end; i++) {
      coef += terms[i * count + k];
      weight += terms[plane + i * count + k];
      tauGrad += terms[2u * plane + i * count + k];
    }
    let base = chunk * 3u * count + k;
    columnSums[base] = coef;
    columnSums[base + count] = weight;
    columnSums[base + 2u * count] = tauGrad;
  }
  if (group.x == 0u && t == 0u) {
    var loss = 0.0;
    for (var i = first; i < end; i++) {
      loss += pointLoss[i];
    }
    lossSums[chunk] = loss;
  }
}

@compute @workgroup_size(64)
fn finishEtalons(@builtin(global_invocation_id) id: vec3u) {
  let index = id.x;
  if (index >= params.etalons * params.stride4) {
    return;
  }
  let k = index / params.stride4;
  var coef = 0.0;
  var weighted = vec4f(0.0);
  for (var chunk = 0u; chunk < params.chunks; chunk++) {
    coef += columnSums[chunk * 3u * params.etalons + k];
    weighted += partials[chunk * params.etalons * params.stride4 + index];
  }
  gradEtalons[index] = (coef * etalons[index] - weighted) / f32(params.batch);
}

// src/core/condensation/tau.ts: dτ/dθ = 100 σ(θ/2)(1 − σ(θ/2)) / 2.
fn tauSlope(t: f32) -> f32 {
  let s = 1.0 / (1.0 + exp(-t / 2.0));
  return 100.0 * s * (1.0 - s) / 2.0;
}

@compute @workgroup_size(64)
fn finishScalars(@builtin(global_invocation_id) id: vec3u) {
  let k = id.x;
  let count = params.etalons;
  if (k < count) {
    var weight = 0.0;
    var tauGrad = 0.0;
    for (var chunk = 0u; chunk < params.chunks; chunk++) {
      weight += columnSums[(chunk * 3u + 1u) * count + k];
      tauGrad += columnSums[(chunk * 3u + 2u) * count + k];
    }
    support[k] = weight;
    gradTheta[k] = tauGrad * tauSlope(theta[k]) / f32(params.batch);
  }
  if (k == 0u) {
    var loss = 0.0;
    for (var chunk = 0u; chunk < params.chunks; chunk++) {
      loss += lossSums[chunk];
    }
    lossLog[params.lossSlot] = loss / f32(params.batch);
  }
}

// Eq. 18: s_t = (1 − q_t) s_(t−1) + q_t s, and the mask the next step uses.
@compute @workgroup_size(64)
fn updateSupport(@builtin(global_invocation_id) id: vec3u) {
  let k = id.x;
  if (k >= supportParams.etalons) {
    return;
  }
  let s = (1.0 - supportParams.supportRate) * running[k] + supportParams.supportRate * support[k];
  running[k] = s;
  mask[k] = select(0u, 1u, s > supportParams.threshold);
}
