// Bilinear resampling with torch's interpolate(mode='bilinear', align_corners=False) semantics
// (src/core/resample.ts is the reference): [inH, inW, channels] → [outH, outW, channels], the
// feature grid up-sampled ×f, channels = D.
// Cells are row-major; a cell's channels are contiguous, cell to cell `inStride` / `outStride`
// floats apart (a padded row of a feature matrix, or 1 for a map).
//
// Bindings, group 0 (f32):
//   0  uniform          rs       Resample below
//   1  storage, read    cellsIn   [inH · inW cells, channels]    from float inFirst
//   2  storage, rw      cellsOut  [outH · outW cells, channels]  from float outFirst
//
// One thread per output value (linearIndex in common.wgsl). The source coordinate of output
// index i is (i + ½)·in/out − ½, clamped at 0; as the fraction ((2i + 1)·in − out) / (2·out) of
// integers it gives the exact taps and a weight rounded once, where float arithmetic would
// put the weight a few ulps off.

struct Resample {
  inH: u32,
  inW: u32,
  channels: u32,
  outH: u32,
  outW: u32,
  inFirst: u32,
  inStride: u32,
  outFirst: u32,
  outStride: u32,
}

@group(0) @binding(0) var<uniform> rs: Resample;
@group(0) @binding(1) var<storage, read> cellsIn: array<f32>;
@group(0) @binding(2) var<storage, read_write> cellsOut: array<f32>;

struct Taps {
  lo: u32,
  hi: u32,
  weight: f32, // of hi; lo gets 1 − weight
}

fn taps(i: u32, inSize: u32, outSize: u32) -> Taps {
  let numerator = i32((2u * i + 1u) * inSize) - i32(outSize);
  let denominator = 2u * outSize;
  if (numerator <= 0) {
    return Taps(0u, min(1u, inSize - 1u), 0.0);
  }
  let n = u32(numerator);
  let lo = min(n / denominator, inSize - 1u);
  let weight = f32(n - lo * denominator) / f32(denominator);
  return Taps(lo, min(lo + 1u, inSize - 1u), weight);
}

@compute @workgroup_size(256)
fn bilinear(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let index = linearIndex(group, groups, local);
  if (index >= rs.outH * rs.outW * rs.channels) {
    return;
  }
  let cell = index / rs.channels;
  let k = index % rs.channels;
  let y = taps(cell / rs.outW, rs.inH, rs.outH);
  let x = taps(cell % rs.outW, rs.inW, rs.outW);
  let top = rs.inFirst + y.lo * rs.inW * rs.inStride + k;
  let bottom = rs.inFirst + y.hi * rs.inW * rs.inStride + k;
  let a = cellsIn[top + x.lo * rs.inStride];
  let b = cellsIn[top + x.hi * rs.inStride];
  let c = cellsIn[bottom + x.lo * rs.inStride];
  let e = cellsIn[bottom + x.hi * rs.inStride];
  let upper = a + x.weight * (b - a);
  let lower = c + x.weight * (e - c);
  cellsOut[rs.outFirst + cell * rs.outStride + k] = upper + y.weight * (lower - upper);
}
