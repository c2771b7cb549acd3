// One AdamW step (torch.optim.AdamW's update; src/core/adamw.ts is the reference), element-wise
// over a flat parameter vector. Everything that changes per step (learning rate, bias
// corrections) comes in the uniform, so a schedule costs one small buffer write.
//
// Bindings, group 0 (f32):
//   0  uniform           params  Params below
//   1  storage, rw       values  [count]  the parameters, updated in place
//   2  storage, read     grad    [count]  ∂loss/∂parameter
//   3  storage, rw       m       [count]  first moment
//   4  storage, rw       v       [count]  second moment
// A thread per element, 256 per workgroup.

struct Params {
  count: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  decay: f32,       // 1 − lr · weight decay
  correction1: f32, // 1 − β1^step
  correction2: f32, // 1 − β2^step
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> values: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= params.count) {
    return;
  }
  let g = grad[i];
  let first = params.beta1 * m[i] + (1.0 - params.beta1) * g;
  let second = params.beta2 * v[i] + (1.0 - params.beta2) * g * g;
  m[i] = first;
  v[i] = second;
  let denom = sqrt(second / params.correction2) + params.eps;
  values[i] = values[i] * params.decay - params.lr * (first / params.correction1) / denom;
}
