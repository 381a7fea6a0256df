// STUB: replaced by the optimizer work.
export function f32_sgd_step(n: i32, p: usize, g: usize, velocity: usize, lr: f64, momentum: f64, dampening: f64,
  nesterov: i32, weightDecay: f64, firstStep: i32): void { unreachable(); }
export function f32_rmsprop_step(n: i32, p: usize, g: usize, squareAvg: usize, gradAvg: usize, momentumBuf: usize,
  lr: f64, alpha: f64, eps: f64, momentum: f64, centered: i32, weightDecay: f64): void { unreachable(); }
export function f32_adam_step(n: i32, p: usize, g: usize, m: usize, v: usize, vMax: usize, lr: f64, beta1: f64,
  beta2: f64, eps: f64, weightDecay: f64, decoupled: i32, amsgrad: i32, biasCorrection1: f64,
  biasCorrection2: f64): void { unreachable(); }
export function f32_adagrad_step(n: i32, p: usize, g: usize, sum: usize, lr: f64, eps: f64, weightDecay: f64): void {
  unreachable();
}
