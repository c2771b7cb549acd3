// Pieces that several kernel families share; the TypeScript wrappers put this file in front of
// theirs (WGSL has no includes). It declares no bindings.
//
// The GEMM tile: a workgroup of 16 × 16 threads computes a 64 × 64 output tile, each thread a
// 4 × 4 block in registers. The reduction runs in slices of 16 that the caller stages in
// workgroup memory (rowTile for the output's rows, colTile for its columns), transposed so a
// thread reads 4 neighbours at a time, then calls multiplySlice.

const TILE = 64u;
const SLICE = 16u;
const THREADS = 256u;

var<workgroup> rowTile: array<f32, 1024>; // [SLICE][TILE]
var<workgroup> colTile: array<f32, 1024>; // [SLICE][TILE]
var<private> acc: array<vec4f, 4>;        // acc[a][b]: tile output (4·ty + a, 4·tx + b), ty = local / 16, tx = local % 16

// Adds one staged slice to the thread's 4 × 4 block. The slice is summed on its own first:
// blocked summation bounds float32 rounding by (16 + K/16) ulps of the partial sums instead of
// K, which matters at D = 1024 where features share a large common component.
fn multiplySlice(local: u32) {
  let ty = local / 16u;
  let tx = local % 16u;
  var slice = array<vec4f, 4>();
  for (var k = 0u; k < SLICE; k++) {
    let r = k * TILE + ty * 4u;
    let c = k * TILE + tx * 4u;
    let a = vec4f(rowTile[r], rowTile[r + 1u], rowTile[r + 2u], rowTile[r + 3u]);
    let b = vec4f(colTile[c], colTile[c + 1u], colTile[c + 2u], colTile[c + 3u]);
    slice[0] += a.x * b;
    slice[1] += a.y * b;
    slice[2] += a.z * b;
    slice[3] += a.w * b;
  }
  for (var i = 0u; i < 4u; i++) {
    acc[i] += slice[i];
  }
}

// Element-wise kernels run THREADS threads per workgroup on a 2-D grid of workgroups, so that
// more than 65,535 × 256 items fit (KernelRecorder.dispatchLinear in src/gpu/kernelRecorder.ts).
fn linearIndex(group: vec3u, groups: vec3u, local: u32) -> u32 {
  return (group.y * groups.x + group.x) * THREADS + local;
}
