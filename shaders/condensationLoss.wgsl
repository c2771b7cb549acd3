// The condensation objective per point (§3.1; src/core/condensation/batch.ts is the reference).
// For point i and the active etalons k, with r_ik the Euclidean distance (whitened units) and
// s_ik = scale · r_ik (scale = 100/√D):
//   w_ik = softmax_k(−β s_ik)                          softmin, Eq. 9
//   ℓ_i  = Σ_k w_ik f(s_ik, τ_k)                       Eqs. 6, 8, 10
//   f = s² (soft k-means), s (soft k-medians), s/τ + log τ (condensation), τ = sigmoid(θ/2)·100 + 0.01
// Gradients go through w as well as through f: ∂ℓ_i/∂s_ik = w_ik (f'(s_ik) − β (f(s_ik) − ℓ_i)).
// Masked etalons (mask[k] = 0) take no part: no weight, no loss, no gradient.
//
// Bindings, group 0 (f32 unless said):
//   0  uniform           params     Params below
//   1  storage, read     distances  [B, K]  squared distances r², whitened units² (distances.wgsl)
//   2  storage, read     theta      [K]     raw scale parameters θ_k
//   3  storage, read     mask       [K] u32 1: the etalon takes part; 0: masked
//   4  storage, write    terms      [3, B, K] per (point, etalon), three planes:
//                                     0: a_ik = ∂ℓ_i/∂s · scale / r, so that ∂ℓ_i/∂c_k = a_ik (c_k − x_i) (loss per whitened unit²)
//                                     1: w_ik, the softmin weight (its column sums are the support, Eq. 17)
//                                     2: ∂ℓ_i/∂τ_k (0 unless the variant is condensation)
//   5  storage, write    pointLoss  [B]     ℓ_i
//   6  storage, atomic   assigned   [K] u32 markNearest sets 1 on the nearest active etalon of each point
//   7  uniform           nearest    NearestParams below
// softmin uses bindings 0–5; markNearest uses 1, 3 (the etalons allowed), 6 and 7.
//
// One thread per point; K is small next to B, so a thread walks its row three times (nearest,
// normaliser and loss, then the terms) rather than keep it in registers.

struct Params {
  batch: u32,   // B
  etalons: u32, // K
  beta: f32,    // softmin sharpness β
  scale: f32,   // 100/√D
  variant: u32, // 0 soft k-means, 1 soft k-medians, 2 condensation
}

struct NearestParams {
  batch: u32,   // B
  etalons: u32, // K
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> distances: array<f32>;
@group(0) @binding(2) var<storage, read> theta: array<f32>;
@group(0) @binding(3) var<storage, read> mask: array<u32>;
@group(0) @binding(4) var<storage, read_write> terms: array<f32>;
@group(0) @binding(5) var<storage, read_write> pointLoss: array<f32>;
@group(0) @binding(6) var<storage, read_write> assigned: array<atomic<u32>>;
@group(0) @binding(7) var<uniform> nearest: NearestParams;

const SOFT_KMEANS = 0u;
const SOFT_KMEDIANS = 1u;
const CONDENSATION = 2u;

// src/core/condensation/tau.ts: τ = 100 / (1 + exp(−θ/2)) + 0.01.
fn tauOf(t: f32) -> f32 {
  return 100.0 / (1.0 + exp(-t / 2.0)) + 0.01;
}

// f(s, τ) of the variant.
fn perEtalonLoss(s: f32, tau: f32) -> f32 {
  switch params.variant {
    case SOFT_KMEANS: { return s * s; }
    case SOFT_KMEDIANS: { return s; }
    default: { return s / tau + log(tau); }
  }
}

// ∂f/∂s.
fn perEtalonSlope(s: f32, tau: f32) -> f32 {
  switch params.variant {
    case SOFT_KMEANS: { return 2.0 * s; }
    case SOFT_KMEDIANS: { return 1.0; }
    default: { return 1.0 / tau; }
  }
}

@compute @workgroup_size(64)
fn softmin(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= params.batch) {
    return;
  }
  let count = params.etalons;
  let row = i * count;
  let plane = params.batch * count;

  // Exponents are taken relative to the nearest etalon, so the largest is exp(0) = 1: no
  // overflow near, no 0/0 far away.
  var nearest = 0.0;
  var anyActive = false;
  for (var k = 0u; k < count; k++) {
    if (mask[k] != 0u) {
      let r = sqrt(distances[row + k]);
      nearest = select(r, min(nearest, r), anyActive);
      anyActive = true;
    }
  }
  let sharpness = params.beta * params.scale;
  var total = 0.0;
  var weighted = 0.0;
  for (var k = 0u; k < count; k++) {
    if (mask[k] != 0u) {
      let r = sqrt(distances[row + k]);
      let e = exp(-sharpness * (r - nearest));
      total += e;
      weighted += e * perEtalonLoss(params.scale * r, tauOf(theta[k]));
    }
  }
  // With no active etalon the point contributes nothing (the reference's empty sums).
  let loss = select(0.0, weighted / total, anyActive);
  pointLoss[i] = loss;

  for (var k = 0u; k < count; k++) {
    var coef = 0.0;
    var w = 0.0;
    var tauGrad = 0.0;
    if (mask[k] != 0u) {
      let r = sqrt(distances[row + k]);
      let s = params.scale * r;
      let tau = tauOf(theta[k]);
      w = exp(-sharpness * (r - nearest)) / total;
      let gradS = w * (perEtalonSlope(s, tau) - params.beta * (perEtalonLoss(s, tau) - loss));
      // ∂s/∂c = scale (c − x) / r; at r = 0 the gradient is taken as 0, torch.cdist's convention.
      if (r > 0.0) {
        coef = gradS * params.scale / r;
      }
      if (params.variant == CONDENSATION) {
        tauGrad = w * (1.0 - s / tau) / tau;
      }
    }
    terms[row + k] = coef;
    terms[plane + row + k] = w;
    terms[2u * plane + row + k] = tauGrad;
  }
}

// The hard limit of the softmin: marks, for each point, its nearest active etalon (the first
// of equals), so that etalons nearest to no point can be told apart. Setting a flag to 1 is the
// same whatever the order, so the atomics keep the result deterministic.
@compute @workgroup_size(64)
fn markNearest(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= nearest.batch) {
    return;
  }
  let row = i * nearest.etalons;
  var best = 0u;
  var bestDistance = 0.0;
  var found = false;
  for (var k = 0u; k < nearest.etalons; k++) {
    if (mask[k] != 0u) {
      let d = distances[row + k];
      if (!found || d < bestDistance) {
        best = k;
        bestDistance = d;
        found = true;
      }
    }
  }
  if (found) {
    atomicStore(&assigned[best], 1u);
  }
}
