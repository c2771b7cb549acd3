// The built-in backbone on the GPU: the tokens of the ONNX graph in
// src/backbone/builtin/builtinBackbone.ts (the reference; its comment explains the filter bank),
// for one image [3, H, W], H and W whole 14-px patches. src/gpu/filterBankKernels.ts records:
//   opponent                  ImageNet-normalised RGB → raw opponent planes (O1, O2, L)
//   blur along x, then y      ×5: the local mean of L, à trous B3 smoothing at steps 1..16
//   centre                    c = L − mean, and c²
//   blur along x, then y      ×5: the local variance, the same smoothing of c²
//   normalise                 level 0 of the pyramid: (O1, O2, c / √(variance + floor²) · gain)
//   per scale s = 0..3: blur along x, then y on 3 channels, taps 2^s apart → level s + 1;
//     then pool: the 15 |responses| of scale s pooled per patch (mean; max too at s < 2), and
//     at s = 0 the patch's mean opponent colour. No response plane exists: a workgroup per
//     patch computes them pixel by pixel and reduces them in workgroup memory.
//   finishTokens              log energies, colour × gain, the 3×3 patch-neighbourhood context
//   clsToken                  the mean of the patch tokens
// Edges replicate the border, as the graph's edge Pad before each conv: each tap's row and
// column are clamped into the image on their own. The smoothing adds its taps in the CPU
// kernel's order (filterBank.as.ts), the pooling in a tree; against the graph the tokens differ
// by float32 rounding only.
//
// Planes are row-major H·W floats; a buffer holds up to 3 of them back to back (a buffer per
// role keeps each binding within a device's storage binding size at the largest inputs).
//
// Bindings, group 0 (f32):
//  blur: one thread per output value of `channels` planes
//    0  uniform          sm          Smooth below
//    1  storage, read    planesIn    input planes from srcPlane
//    2  storage, rw      planesOut   output planes from dstPlane
//  opponent, centre, normalise: one thread per pixel
//    3  uniform          px          Pixelwise below
//    1  planesIn         opponent: pixel_values [3 planes]; centre, normalise: the raw planes
//    2  planesOut        opponent: the raw planes; centre: the statistics planes (0: local
//                        mean of L, read; 1: c and 2: c², written); normalise: level 0
//    4  storage, read    statistics  normalise: the statistics planes (1: c, 2: local variance)
//  pool: workgroup (x, y) is the patch in column x, row y; one thread per pixel of it
//    5  uniform          pl          Pool below
//    1  planesIn         the raw planes (the patch colour, at scale 0)
//    6  storage, read    fine        pyramid level s
//    7  storage, read    coarse      pyramid level s + 1
//    8  storage, rw      pooled      [93 features][patches]: mean |response| of scales 0..3
//                                    (15 each), max |response| of scales 0..1, mean O1, O2, L
//  finishTokens: one thread per patch-token value; clsToken: one thread per channel
//    9  uniform          fin         Finish below
//    8  pooled           as above
//   10  storage, rw      tokens      [1 + patches, 156]: CLS, then the patch tokens row-major
//
// The counts below are the graph's (BUILTIN_DIM and its parts in builtinBackbone.ts); the
// browser test against the graph fails if they drift apart.

const PATCH = 14u;
const PIXELS = PATCH * PATCH; // the threads of a pool workgroup
const RESPONSES = 15u;        // per scale: 4 first, 4 second luminance derivatives, 2 × 2 colour gradients, 3 band-passes
const SCALES = 4u;
const MAX_SCALES = 2u;        // the finest scales, whose max is pooled too
const MEANS = SCALES * RESPONSES;
const ENERGIES = MEANS + MAX_SCALES * RESPONSES;
const LOCAL = ENERGIES + 3u;  // and the 3 mean colours
const DIM = LOCAL + MEANS + 3u; // and the context of the mean energies and colours: 156

const B3_OUTER = 1.0 / 16.0;
const B3_INNER = 4.0 / 16.0;
const B3_CENTRE = 6.0 / 16.0;
const FIRST = 0.70710678118654752;       // 1/√2, the first-derivative taps
const SECOND = 0.40824829046386302;      // 1/√6, the second derivative's outer taps
const SECOND_CENTRE = 0.81649658092772603; // 2/√6, its centre tap

struct Smooth {
  width: u32,
  height: u32,
  step: u32,
  channels: u32,
  srcPlane: u32,
  dstPlane: u32,
  axis: u32, // 0: along x, 1: along y
}

struct Pixelwise {
  count: u32, // pixels, H·W
  // The opponent rotation with the ImageNet normalisation undone, row o over (R, G, B), and its bias.
  m00: f32,
  m01: f32,
  m02: f32,
  m10: f32,
  m11: f32,
  m12: f32,
  m20: f32,
  m21: f32,
  m22: f32,
  b0: f32,
  b1: f32,
  b2: f32,
  floor2: f32, // the contrast normalisation's floor, squared
  gain: f32,   // and its gain
}

struct Pool {
  width: u32,
  height: u32,
  scale: u32,
  patches: u32,
}

struct Finish {
  patchRows: u32,
  patchCols: u32,
  energyFloor: f32,
  colourGain: f32,
}

@group(0) @binding(0) var<uniform> sm: Smooth;
@group(0) @binding(1) var<storage, read> planesIn: array<f32>;
@group(0) @binding(2) var<storage, read_write> planesOut: array<f32>;
@group(0) @binding(3) var<uniform> px: Pixelwise;
@group(0) @binding(4) var<storage, read> statistics: array<f32>;
@group(0) @binding(5) var<uniform> pl: Pool;
@group(0) @binding(6) var<storage, read> fine: array<f32>;
@group(0) @binding(7) var<storage, read> coarse: array<f32>;
@group(0) @binding(8) var<storage, read_write> pooled: array<f32>;
@group(0) @binding(9) var<uniform> fin: Finish;
@group(0) @binding(10) var<storage, read_write> tokens: array<f32>;

// One slot per pixel of a patch for each of a scale's responses: [RESPONSES][PIXELS], 11.5 KiB,
// within WebGPU's default 16 KiB of workgroup memory.
var<workgroup> slots: array<f32, RESPONSES * PIXELS>;

fn clampTo(i: i32, size: u32) -> u32 {
  return u32(clamp(i, 0, i32(size) - 1));
}

// B3 taps in the order of the CPU kernel (filterBank.as.ts): symmetric pairs first.
fn b3(a: f32, b: f32, c: f32, d: f32, e: f32) -> f32 {
  return (a + e) * B3_OUTER + (b + d) * B3_INNER + c * B3_CENTRE;
}

// One kernel for both passes: along x (axis 0) a value's taps are its row neighbours, along y
// (axis 1) they are whole rows apart; `line` is where its row or column starts.
@compute @workgroup_size(256)
fn blur(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let index = linearIndex(group, groups, local);
  let plane = sm.width * sm.height;
  if (index >= sm.channels * plane) {
    return;
  }
  let channel = index / plane;
  let at = index % plane;
  let columns = sm.axis == 1u;
  let along = select(at % sm.width, at / sm.width, columns);
  let size = select(sm.width, sm.height, columns);
  let stride = select(1u, sm.width, columns);
  let line = (sm.srcPlane + channel) * plane + at - along * stride;
  let a = i32(along);
  let s = i32(sm.step);
  planesOut[(sm.dstPlane + channel) * plane + at] = b3(
    planesIn[line + clampTo(a - 2 * s, size) * stride],
    planesIn[line + clampTo(a - s, size) * stride],
    planesIn[line + along * stride],
    planesIn[line + clampTo(a + s, size) * stride],
    planesIn[line + clampTo(a + 2 * s, size) * stride],
  );
}

@compute @workgroup_size(256)
fn opponent(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let i = linearIndex(group, groups, local);
  if (i >= px.count) {
    return;
  }
  let r = planesIn[i];
  let g = planesIn[px.count + i];
  let b = planesIn[2u * px.count + i];
  planesOut[i] = px.m00 * r + px.m01 * g + px.m02 * b + px.b0;
  planesOut[px.count + i] = px.m10 * r + px.m11 * g + px.m12 * b + px.b1;
  planesOut[2u * px.count + i] = px.m20 * r + px.m21 * g + px.m22 * b + px.b2;
}

@compute @workgroup_size(256)
fn centre(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let i = linearIndex(group, groups, local);
  if (i >= px.count) {
    return;
  }
  let centred = planesIn[2u * px.count + i] - planesOut[i];
  planesOut[px.count + i] = centred;
  planesOut[2u * px.count + i] = centred * centred;
}

@compute @workgroup_size(256)
fn normalise(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let i = linearIndex(group, groups, local);
  if (i >= px.count) {
    return;
  }
  planesOut[i] = planesIn[i];
  planesOut[px.count + i] = planesIn[px.count + i];
  let spread = sqrt(statistics[2u * px.count + i] + px.floor2);
  planesOut[2u * px.count + i] = statistics[px.count + i] / spread * px.gain;
}

// Sums (or takes the max of) each of the first `count` rows of `slots` into its slot 0: a tree
// over the 196 threads, the first step folding 128.. onto 0..67.
fn reduceSlots(t: u32, count: u32, takeMax: bool) {
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (t < stride && t + stride < PIXELS) {
      for (var f = 0u; f < count; f++) {
        let a = slots[f * PIXELS + t];
        let b = slots[f * PIXELS + t + stride];
        slots[f * PIXELS + t] = select(a + b, max(a, b), takeMax);
      }
    }
    workgroupBarrier();
  }
}

// Thread f < count writes row f's total to pooled feature firstFeature + f, divided by `divisor`;
// the barrier after it frees the slots for the next reduction.
fn emit(t: u32, cell: u32, count: u32, firstFeature: u32, divisor: f32) {
  if (t < count) {
    pooled[(firstFeature + t) * pl.patches + cell] = slots[t * PIXELS] / divisor;
  }
  workgroupBarrier();
}

@compute @workgroup_size(PIXELS)
fn pool(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) t: u32) {
  let cell = group.y * (pl.width / PATCH) + group.x;
  let y = group.y * PATCH + t / PATCH;
  let x = group.x * PATCH + t % PATCH;
  let plane = pl.width * pl.height;
  let here = y * pl.width + x;
  let area = f32(PIXELS);

  if (pl.scale == 0u) {
    for (var c = 0u; c < 3u; c++) {
      slots[c * PIXELS + t] = planesIn[c * plane + here];
    }
    workgroupBarrier();
    reduceSlots(t, 3u, false);
    emit(t, cell, 3u, ENERGIES, area);
  }

  // The level's taps 2^s apart, clamped into the image on each axis.
  let s = i32(1u << pl.scale);
  let up = clampTo(i32(y) - s, pl.height) * pl.width;
  let down = clampTo(i32(y) + s, pl.height) * pl.width;
  let mid = y * pl.width;
  let left = clampTo(i32(x) - s, pl.width);
  let right = clampTo(i32(x) + s, pl.width);
  let lum = 2u * plane;
  let c = coarse[lum + mid + x];
  let l = coarse[lum + mid + left];
  let r = coarse[lum + mid + right];
  let u = coarse[lum + up + x];
  let ul = coarse[lum + up + left];
  let ur = coarse[lum + up + right];
  let d = coarse[lum + down + x];
  let dl = coarse[lum + down + left];
  let dr = coarse[lum + down + right];
  let centreTap = c * SECOND_CENTRE;
  var response = array<f32, 15>(
    (r - l) * FIRST,
    (dr - ul) * FIRST,
    (d - u) * FIRST,
    (dl - ur) * FIRST,
    (r + l) * SECOND - centreTap,
    (dr + ul) * SECOND - centreTap,
    (d + u) * SECOND - centreTap,
    (dl + ur) * SECOND - centreTap,
    (coarse[mid + right] - coarse[mid + left]) * FIRST,
    (coarse[down + x] - coarse[up + x]) * FIRST,
    (coarse[plane + mid + right] - coarse[plane + mid + left]) * FIRST,
    (coarse[plane + down + x] - coarse[plane + up + x]) * FIRST,
    fine[here] - coarse[here],
    fine[plane + here] - coarse[plane + here],
    fine[lum + here] - coarse[lum + here],
  );
  for (var f = 0u; f < RESPONSES; f++) {
    response[f] = abs(response[f]);
    slots[f * PIXELS + t] = response[f];
  }
  workgroupBarrier();
  reduceSlots(t, RESPONSES, false);
  emit(t, cell, RESPONSES, pl.scale * RESPONSES, area);

  if (pl.scale < MAX_SCALES) {
    for (var f = 0u; f < RESPONSES; f++) {
      slots[f * PIXELS + t] = response[f];
    }
    workgroupBarrier();
    reduceSlots(t, RESPONSES, true);
    emit(t, cell, RESPONSES, MEANS + pl.scale * RESPONSES, 1.0);
  }
}

// Feature f of patch p as the token holds it: log energy, or colour × gain.
fn described(f: u32, p: u32) -> f32 {
  let patches = fin.patchRows * fin.patchCols;
  let value = pooled[f * patches + p];
  if (f < ENERGIES) {
    return log(value + fin.energyFloor);
  }
  return value * fin.colourGain;
}

@compute @workgroup_size(256)
fn finishTokens(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let index = linearIndex(group, groups, local);
  let patches = fin.patchRows * fin.patchCols;
  if (index >= patches * DIM) {
    return;
  }
  let p = index / DIM;
  let k = index % DIM;
  var value: f32;
  if (k < LOCAL) {
    value = described(k, p);
  } else {
    // The 3×3 context of the mean energies and colours, over the patches that exist (the
    // graph's AveragePool without counting its padding).
    let f = k - LOCAL;
    let feature = select(f + ENERGIES - MEANS, f, f < MEANS);
    let py = p / fin.patchCols;
    let column = p % fin.patchCols;
    let y0 = select(py - 1u, 0u, py == 0u);
    let y1 = min(py + 1u, fin.patchRows - 1u);
    let x0 = select(column - 1u, 0u, column == 0u);
    let x1 = min(column + 1u, fin.patchCols - 1u);
    var sum = 0.0;
    for (var yy = y0; yy <= y1; yy++) {
      for (var xx = x0; xx <= x1; xx++) {
        sum += described(feature, yy * fin.patchCols + xx);
      }
    }
    value = sum / f32((y1 - y0 + 1u) * (x1 - x0 + 1u));
  }
  tokens[(1u + p) * DIM + k] = value;
}

@compute @workgroup_size(256)
fn clsToken(@builtin(workgroup_id) group: vec3u, @builtin(num_workgroups) groups: vec3u, @builtin(local_invocation_index) local: u32) {
  let k = linearIndex(group, groups, local);
  if (k >= DIM) {
    return;
  }
  let patches = fin.patchRows * fin.patchCols;
  var sum = 0.0;
  for (var p = 0u; p < patches; p++) {
    sum += tokens[(1u + p) * DIM + k];
  }
  tokens[k] = sum / f32(patches);
}
