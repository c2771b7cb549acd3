/**
 * AdamW (decoupled weight decay), with torch.optim.AdamW's defaults and update order,
 * over one flat parameter array. Each trainable tensor gets its own state.
 */
export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export interface AdamWState {
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Steps taken so far (for bias correction). */
  step: number;
}

export function createAdamWState(size: number): AdamWState {
  return { m: new Float32Array(size), v: new Float32Array(size), step: 0 };
}

/** One in-place update of `params` from `grad`, at learning rate `opts.lr`. */
export function adamWStep(params: Float32Array, grad: Float32Array, state: AdamWState, opts: AdamWOptions): void {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01 } = opts;
  if (params.length !== grad.length || params.length !== state.m.length) {
    throw new RangeError(`adamW: params ${params.length}, grad ${grad.length}, state ${state.m.length} must match`);
  }
  state.step += 1;
  const bc1 = 1 - beta1 ** state.step;
  const bc2 = 1 - beta2 ** state.step;
  const decay = 1 - lr * weightDecay;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const denom = Math.sqrt(v[i] / bc2) + eps;
    params[i] = params[i] * decay - (lr * (m[i] / bc1)) / denom;
  }
}
