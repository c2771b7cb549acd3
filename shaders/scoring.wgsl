// PixOOD scoring at inference (src/core/calibration and src/core/condensation/nearest.ts are the
// reference). Per row (pixel or patch) i and class c:
//   d_ic   Euclidean distance, feature units, to the nearest VALID etalon of class c (∞: none)
//   sim    1 / (1 + 0.5 d)
//   z      (logit_ic, sim) in 2-D, or (sim) in 1-D when the project has no classifier
//   log r  log N(z; μ_c, Σ_c) − log N(z; 0, Σ_ood)
//   s_in   the class's rate table at log r: binary search in its knots, linear in between
// then per row: score = 1 − max over the chosen classes of s_in, predicted = argmax logit (0
// without logits), open-set label = UNKNOWN (−1) where score ≥ 1 − ε, else predicted.
//
// Only valid etalons are uploaded, class after class, each class's centred on the mean μ'_c of
// its etalons: the nearest one is found from ‖c̃‖² − 2 (x − μ'_c)·c̃ (a GEMM; ‖x − μ'_c‖² is the
// same for every etalon), where centring shrinks the norms whose cancellation float32 rounding
// would otherwise magnify; then d is summed directly as Σ ((x − μ'_c) − c̃)², exact for that
// etalon whatever the cancellation. The GEMM uses the tile of common.wgsl, which
// src/gpu/scoringKernels.ts puts in front of this file.
//
// Bindings, group 0 (f32 unless said); the model is two buffers, sections at offsets that the
// uniform gives (a device may allow as few as 8 storage buffers per stage):
//  nearestRate:  workgroup (x, c) handles rows 64x.. for class c
//    0  uniform          nr          NearestRate below
//    1  storage, read    features    [rows, dim]        row stride featureStride, from featureFirst
//    2  storage, read    logits      [rows, classes]    2-D only (a placeholder in 1-D)
//    3  storage, read    model       sections:
//         etalons  [K', dim]    valid etalons of all classes, centred, dense, from 0
//         norms    [K']         ‖c̃‖², from normsAt
//         centres  [classes, dim]  μ'_c, from centresAt
//         gauss    [classes, 12]   per class: μ (2), Σ_c⁻¹ (2×2), Σ_ood⁻¹ (2×2), log-normaliser
//                                  difference, 1 unused; 1-D uses the first entry of each; from gaussAt
//         knots    [Σ knots]    log r at each knot, class after class, from knotsAt
//         rates    [Σ knots]    s_in at each knot, from ratesAt
//    4  storage, read    starts      u32 sections: [classes + 1] first etalon of each class (and
//                                    the end), then [classes + 1] first knot of each class
//    5  storage, rw      distances   [rows, classes]    d, row stride outStride
//    6  storage, rw      sIn         [rows, classes]    s_in in [0, 1], row stride outStride
//  finishRows:  one thread per row
//    7  uniform          fr          FinishRows below
//    2  logits, 6 sIn    as above
//    8  storage, read    chosen      [classes] u32      1: the class counts towards the score
//    9  storage, rw      score       [rows]             anomaly score in [0, 1]
//   10  storage, rw      predicted   [rows] i32         argmax logit
//   11  storage, rw      openSet     [rows] i32         predicted, or −1 (UNKNOWN) where score ≥ 1 − ε

const UNKNOWN = -1;            // openSet.ts
const DIST_TO_SIM_SLOPE = 0.5; // distanceToSim.ts

struct NearestRate {
  rows: u32,
  dim: u32,
  classes: u32,
  spaceDims: u32,
  featureFirst: u32,
  featureStride: u32,
  logitsFirst: u32,
  logitsStride: u32,
  outStride: u32,
  normsAt: u32,
  centresAt: u32,
  gaussAt: u32,
  knotsAt: u32,
  ratesAt: u32,
  infinity: f32, // +∞ from the CPU: WGSL has no infinite constant
}

@group(0) @binding(0) var<uniform> nr: NearestRate;
@group(0) @binding(1) var<storage, read> features: array<f32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> model: array<f32>;
@group(0) @binding(4) var<storage, read> starts: array<u32>;
@group(0) @binding(5) var<storage, read_write> distances: array<f32>;
@group(0) @binding(6) var<storage, read_write> sIn: array<f32>;

// After the GEMM, its tiles are reused (workgroup memory stays within WebGPU's default 16 KiB):
// rowTile holds each thread's best score per row, [64 rows][16 column groups], colTile the
// etalon index (as a float: exact below 2^24 etalons), then rowTile the partial sums of
// squares, [64 rows][4 parts].
var<workgroup> nearestOf: array<i32, 64>; // per tile row: etalon index, −1 when none

// Class c's s_in at log ratio `logRatio` (rateTable.ts, lookupRate).
fn lookupRate(c: u32, logRatio: f32) -> f32 {
  let tables = nr.classes + 1u;
  let first = starts[tables + c];
  let last = starts[tables + c + 1u] - 1u;
  if (logRatio <= knot(first)) {
    return rate(first);
  }
  if (logRatio >= knot(last)) {
    return rate(last);
  }
  var below = first;
  var above = last;
  while (above - below > 1u) {
    let middle = (below + above) / 2u;
    if (knot(middle) <= logRatio) {
      below = middle;
    } else {
      above = middle;
    }
  }
  // Knots distinct in float64 can round to one float32; either end's rate is then as good.
  let span = knot(above) - knot(below);
  let t = select(0.0, (logRatio - knot(below)) / span, span > 0.0);
  return rate(below) + t * (rate(above) - rate(below));
}

fn knot(k: u32) -> f32 {
  return model[nr.knotsAt + k];
}

fn rate(k: u32) -> f32 {
  return model[nr.ratesAt + k];
}

fn gauss(c: u32, j: u32) -> f32 {
  return model[nr.gaussAt + c * 12u + j];
}

fn etalon(k: u32, e: u32) -> f32 {
  return model[k * nr.dim + e];
}

// log N(z; μ_c, Σ_c) − log N(z; 0, Σ_ood) at z = (first, second), or z = (first) in 1-D.
// (The precisions are symmetric, so reading them column-major changes nothing.)
fn logRatioAt(c: u32, first: f32, second: f32) -> f32 {
  if (nr.spaceDims == 1u) {
    let d = first - gauss(c, 0u);
    return gauss(c, 10u) - 0.5 * d * gauss(c, 2u) * d + 0.5 * first * gauss(c, 6u) * first;
  }
  let d = vec2f(first - gauss(c, 0u), second - gauss(c, 1u));
  let idPrecision = mat2x2f(gauss(c, 2u), gauss(c, 3u), gauss(c, 4u), gauss(c, 5u));
  let oodPrecision = mat2x2f(gauss(c, 6u), gauss(c, 7u), gauss(c, 8u), gauss(c, 9u));
  let z = vec2f(first, second);
  return gauss(c, 10u) - 0.5 * dot(d, idPrecision * d) + 0.5 * dot(z, oodPrecision * z);
}

// Feature e of row i, centred on class c's etalons.
fn centred(i: u32, c: u32, e: u32) -> f32 {
  return features[nr.featureFirst + i * nr.featureStride + e] - model[nr.centresAt + c * nr.dim + e];
}

@compute @workgroup_size(256)
fn nearestRate(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) local: u32) {
  let row0 = group.x * TILE;
  let c = group.y;
  let begin = starts[c];
  let end = starts[c + 1u];
  let ty = local / 16u;
  let tx = local % 16u;

  // The nearest etalon of each of this thread's 4 rows among its own columns of every tile.
  var best = vec4f(nr.infinity);
  var bestIndex = vec4i(-1);
  for (var e0 = begin; e0 < end; e0 += TILE) {
    acc = array<vec4f, 4>();
    for (var k0 = 0u; k0 < nr.dim; k0 += SLICE) {
      for (var q = 0u; q < 4u; q++) {
        let e = local + q * THREADS;
        let r = e / SLICE;
        let k = e % SLICE;
        var xv = 0.0;
        var cv = 0.0;
        if (k0 + k < nr.dim) {
          if (row0 + r < nr.rows) {
            xv = centred(row0 + r, c, k0 + k);
          }
          if (e0 + r < end) {
            cv = etalon(e0 + r, k0 + k);
          }
        }
        rowTile[k * TILE + r] = xv;
        colTile[k * TILE + r] = cv;
      }
      workgroupBarrier();
      multiplySlice(local);
      workgroupBarrier();
    }
    // Columns are visited in increasing order and only a strictly smaller score replaces the
    // best: the first of equal etalons wins, as in the reference.
    for (var b = 0u; b < 4u; b++) {
      let col = e0 + tx * 4u + b;
      if (col < end) {
        for (var a = 0u; a < 4u; a++) {
          let s = model[nr.normsAt + col] - 2.0 * acc[a][b];
          if (s < best[a]) {
            best[a] = s;
            bestIndex[a] = i32(col);
          }
        }
      }
    }
  }

  // Across the 16 threads that share rows: the smallest score, then the smallest index.
  for (var a = 0u; a < 4u; a++) {
    let slot = (ty * 4u + a) * 16u + tx;
    rowTile[slot] = best[a];
    colTile[slot] = f32(bestIndex[a]);
  }
  workgroupBarrier();
  if (local < TILE) {
    var lowest = nr.infinity;
    var index = -1;
    for (var t = 0u; t < 16u; t++) {
      let s = rowTile[local * 16u + t];
      let j = i32(colTile[local * 16u + t]);
      if (j >= 0 && (index < 0 || s < lowest || (s == lowest && j < index))) {
        lowest = s;
        index = j;
      }
    }
    nearestOf[local] = index;
  }
  workgroupBarrier();

  // The exact squared distance to that etalon, four threads per row, summed in a fixed order.
  let r = local / 4u;
  let part = local % 4u;
  let nearest = nearestOf[r];
  var squares = 0.0;
  if (row0 + r < nr.rows && nearest >= 0) {
    for (var e = part; e < nr.dim; e += 4u) {
      let diff = centred(row0 + r, c, e) - etalon(u32(nearest), e);
      squares += diff * diff;
    }
  }
  rowTile[local] = squares;
  workgroupBarrier();

  let i = row0 + local;
  if (local < TILE && i < nr.rows) {
    let p = local * 4u;
    let squared = (rowTile[p] + rowTile[p + 1u]) + (rowTile[p + 2u] + rowTile[p + 3u]);
    let d = select(nr.infinity, sqrt(squared), nearestOf[local] >= 0);
    let sim = 1.0 / (1.0 + DIST_TO_SIM_SLOPE * d);
    var logRatio: f32;
    if (nr.spaceDims == 1u) {
      logRatio = logRatioAt(c, sim, 0.0);
    } else {
      logRatio = logRatioAt(c, logits[nr.logitsFirst + i * nr.logitsStride + c], sim);
    }
    distances[i * nr.outStride + c] = d;
    sIn[i * nr.outStride + c] = lookupRate(c, logRatio);
  }
}

struct FinishRows {
  rows: u32,
  classes: u32,
  hasLogits: u32,
  logitsFirst: u32,
  logitsStride: u32,
  outStride: u32,
  threshold: f32, // float32(1 − ε)
}

@group(0) @binding(7) var<uniform> fr: FinishRows;
@group(0) @binding(8) var<storage, read> chosen: array<u32>;
@group(0) @binding(9) var<storage, read_write> score: array<f32>;
@group(0) @binding(10) var<storage, read_write> predicted: array<i32>;
@group(0) @binding(11) var<storage, read_write> openSet: array<i32>;

@compute @workgroup_size(256)
fn finishRows(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let i = linearIndex(group, groups, local);
  if (i >= fr.rows) {
    return;
  }
  var best = 0.0;
  for (var c = 0u; c < fr.classes; c++) {
    if (chosen[c] != 0u) {
      best = max(best, sIn[i * fr.outStride + c]);
    }
  }
  let anomaly = 1.0 - best;
  var label = 0u;
  if (fr.hasLogits == 1u) {
    let row = fr.logitsFirst + i * fr.logitsStride;
    for (var c = 1u; c < fr.classes; c++) {
      if (logits[row + c] > logits[row + label]) {
        label = c;
      }
    }
  }
  score[i] = anomaly;
  predicted[i] = i32(label);
  openSet[i] = select(i32(label), UNKNOWN, anomaly >= fr.threshold);
}
