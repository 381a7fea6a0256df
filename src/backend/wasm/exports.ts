// The WASM module's export list, as TypeScript sees it (assembly/index.ts is the other side). Pointers are byte
// addresses in the shared linear memory; 0 stands for "no buffer". Booleans are 0 or 1. Names are dtype first.

type Ptr = number;

export interface KernelExports {
  heap_base(): Ptr;
  f32_gemm_workspace_floats(): number;
  // prettier-ignore
  f32_gemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: Ptr, lda: number,
    b: Ptr, ldb: number, beta: number, c: Ptr, ldc: number, work: Ptr): void;
  /** For tests only, not used by the backend: f32_gemm's blocked loops driven by the scalar microkernel. */
  // prettier-ignore
  f32_gemm_scalar_microkernel(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: Ptr,
    lda: number, b: Ptr, ldb: number, beta: number, c: Ptr, ldc: number, work: Ptr): void;

  f32_fill(n: number, value: number, x: Ptr): void;
  f32_copy(n: number, x: Ptr, y: Ptr): void;
  f32_axpy(n: number, alpha: number, x: Ptr, y: Ptr): void;
  f32_scale(n: number, alpha: number, x: Ptr, y: Ptr): void;
  f32_add(n: number, x: Ptr, y: Ptr, z: Ptr): void;
  f32_mul(n: number, x: Ptr, y: Ptr, z: Ptr): void;
  f32_add_row_vector(m: number, n: number, x: Ptr, v: Ptr, y: Ptr): void;
  f32_sum_rows(m: number, n: number, x: Ptr, beta: number, out: Ptr): void;
  f32_sum_squares(n: number, x: Ptr): number;
  /** The index of the first NaN or ±∞ in x[0..n), or −1 (assembly/finite.ts). */
  f32_first_non_finite(n: number, x: Ptr): number;
  f32_clip_by_value(n: number, lo: number, hi: number, x: Ptr): void;

  /** act is the index of the activation in ACTIVATIONS (src/backend/types.ts). */
  f32_act_forward(act: number, n: number, x: Ptr, y: Ptr, alpha: number): void;
  f32_act_backward(act: number, n: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, alpha: number): void;
  f32_softmax_rows(m: number, n: number, x: Ptr, y: Ptr, log: number): void;
  /** A dense layer's bias and activation in one call (assembly/dense.ts); b = 0: no bias. */
  f32_bias_act_forward(act: number, m: number, n: number, z: Ptr, b: Ptr, y: Ptr, alpha: number): void;
  /** Its backward: activation derivative and bias gradient in one call; db = 0: no bias. */
  // prettier-ignore
  f32_bias_act_backward(act: number, m: number, n: number, z: Ptr, y: Ptr, dy: Ptr, dz: Ptr, beta: number, db: Ptr,
    alpha: number): void;
  /** Test-only: y[i] ← f(x[i]) with the f32x4 approximation of exp, expm1, log, log1p, tanh or σ (codes 0..5). */
  f32_math_eval(fn: number, n: number, x: Ptr, y: Ptr): void;

  f32_mse(n: number, pred: Ptr, target: Ptr, dPred: Ptr): number;
  f32_mae(n: number, pred: Ptr, target: Ptr, dPred: Ptr): number;
  f32_huber(n: number, pred: Ptr, target: Ptr, delta: number, dPred: Ptr): number;
  f32_bce_with_logits(n: number, logits: Ptr, target: Ptr, dLogits: Ptr): number;
  /** Returns the loss, or −(i + 1) when row i's label is invalid (then nothing is written). */
  f32_softmax_cross_entropy(m: number, n: number, logits: Ptr, labels: Ptr, dLogits: Ptr): number;
  f32_softmax_cross_entropy_dense(m: number, n: number, logits: Ptr, target: Ptr, dLogits: Ptr): number;

  // prettier-ignore
  f32_sgd_step(n: number, p: Ptr, g: Ptr, velocity: Ptr, lr: number, momentum: number, dampening: number,
    nesterov: number, weightDecay: number, firstStep: number): void;
  // prettier-ignore
  f32_rmsprop_step(n: number, p: Ptr, g: Ptr, squareAvg: Ptr, gradAvg: Ptr, momentumBuf: Ptr, lr: number,
    alpha: number, eps: number, momentum: number, centered: number, weightDecay: number): void;
  // prettier-ignore
  f32_adam_step(n: number, p: Ptr, g: Ptr, m: Ptr, v: Ptr, vMax: Ptr, lr: number, beta1: number, beta2: number,
    eps: number, weightDecay: number, decoupled: number, amsgrad: number, biasCorrection1: number,
    biasCorrection2: number): void;
  // prettier-ignore
  f32_adagrad_step(n: number, p: Ptr, g: Ptr, sum: Ptr, lr: number, eps: number, weightDecay: number): void;

  /** Floats of workspace f32_mlp_forward_backward needs for m rows (assembly/fused/mlp.ts). */
  f32_mlp_workspace_floats(desc: Ptr, layers: number, m: number): number;
  // prettier-ignore
  /** Forward, loss and backward of a small MLP in one call; returns the loss (assembly/fused/mlp.ts). */
  f32_mlp_forward_backward(desc: Ptr, layers: number, m: number, x: Ptr, target: Ptr, params: Ptr, grads: Ptr,
    work: Ptr, loss: number, delta: number): number;
}
