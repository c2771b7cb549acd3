// Squared Euclidean distances from a batch of points to the etalons, as a tiled GEMM:
//   distances[i, k] = max(0, ‖x_i‖² + ‖c_k‖² − 2 x_i·c_k)
// (clamped: rounding can take the sum a little below 0 when x_i ≈ c_k).
//
// Bindings, group 0 (floats are f32; a row of D values is padded with zeros to `stride`, a
// multiple of 4, and read as stride/4 vec4s):
//   0  uniform           params     Params below
//   1  storage, read     points     [N, stride]  the class's points (whitened units)
//   2  storage, read     rows       [≥ rowOffset + B] u32: batch point i is row rows[rowOffset + i] of points
//   3  storage, read     etalons    [K, stride]  same units as the points
//   4  storage, write    distances  [B, K]       squared distances (units²)
//
// Workgroup (x, y) computes the 32 × 32 block of etalons 32x.. and batch points 32y..; each of
// its 8 × 8 threads keeps a 4 points × 4 etalons block in registers. D runs in steps of 32
// staged in workgroup memory, transposed so that a thread reads 4 neighbours at a time.

struct Params {
  batch: u32,     // B
  etalons: u32,   // K
  stride4: u32,   // vec4s per row
  rowOffset: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> points: array<vec4f>;
@group(0) @binding(2) var<storage, read> rows: array<u32>;
@group(0) @binding(3) var<storage, read> etalons: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> distances: array<f32>;

const TILE = 32u;
const STEP4 = 8u; // vec4s of depth per step: 32 floats

var<workgroup> pointTile: array<f32, 1024>;  // [depth 32][point 32]
var<workgroup> etalonTile: array<f32, 1024>; // [depth 32][etalon 32]
var<workgroup> pointNorms: array<f32, 64>;   // two half-row sums per tile row
var<workgroup> etalonNorms: array<f32, 64>;

@compute @workgroup_size(8, 8)
fn main(
  @builtin(workgroup_id) group: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let etalon0 = group.x * TILE;
  let point0 = group.y * TILE;

  // Thread t stages tile row t/2, half t%2 of each depth step (4 vec4s) for both operands, and
  // sums the squares of what it loads: the norms cost no second pass over memory.
  let loadRow = t >> 1u;
  let loadHalf = (t & 1u) * 4u;
  let point = point0 + loadRow;
  let pointLive = point < params.batch;
  var pointBase = 0u;
  if (pointLive) {
    pointBase = rows[params.rowOffset + point] * params.stride4;
  }
  let etalon = etalon0 + loadRow;
  let etalonLive = etalon < params.etalons;
  let etalonBase = etalon * params.stride4;

  var pointNorm = 0.0;
  var etalonNorm = 0.0;
  var dots: array<vec4f, 4>; // dots[m][n] = x_(4·local.y + m) · c_(4·local.x + n)
  for (var depth4 = 0u; depth4 < params.stride4; depth4 += STEP4) {
    for (var j = 0u; j < 4u; j++) {
      let d4 = depth4 + loadHalf + j;
      var p = vec4f(0.0);
      var e = vec4f(0.0);
      if (pointLive && d4 < params.stride4) {
        p = points[pointBase + d4];
      }
      if (etalonLive && d4 < params.stride4) {
        e = etalons[etalonBase + d4];
      }
      pointNorm += dot(p, p);
      etalonNorm += dot(e, e);
      let depth = (loadHalf + j) * 4u;
      for (var c = 0u; c < 4u; c++) {
        pointTile[(depth + c) * TILE + loadRow] = p[c];
        etalonTile[(depth + c) * TILE + loadRow] = e[c];
      }
    }
    workgroupBarrier();
    // The last step of a small D is mostly padding: skip the zeros.
    let depthEnd = min(TILE, (params.stride4 - depth4) * 4u);
    for (var d = 0u; d < depthEnd; d++) {
      let a = d * TILE + local.y * 4u;
      let b = d * TILE + local.x * 4u;
      let x = vec4f(pointTile[a], pointTile[a + 1u], pointTile[a + 2u], pointTile[a + 3u]);
      let c = vec4f(etalonTile[b], etalonTile[b + 1u], etalonTile[b + 2u], etalonTile[b + 3u]);
      dots[0] += x.x * c;
      dots[1] += x.y * c;
      dots[2] += x.z * c;
      dots[3] += x.w * c;
    }
    workgroupBarrier();
  }

  pointNorms[t] = pointNorm;
  etalonNorms[t] = etalonNorm;
  workgroupBarrier();
  for (var m = 0u; m < 4u; m++) {
    let r = local.y * 4u + m;
    let i = point0 + r;
    if (i >= params.batch) {
      break;
    }
    let xx = pointNorms[2u * r] + pointNorms[2u * r + 1u];
    for (var n = 0u; n < 4u; n++) {
      let q = local.x * 4u + n;
      let k = etalon0 + q;
      if (k >= params.etalons) {
        break;
      }
      let cc = etalonNorms[2u * q] + etalonNorms[2u * q + 1u];
      distances[i * params.etalons + k] = max(0.0, xx + cc - 2.0 * dots[m][n]);
    }
  }
}
