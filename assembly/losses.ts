// STUB: replaced by the loss work.
export function f32_mse(n: i32, pred: usize, target: usize, dPred: usize): f64 { unreachable(); return 0; }
export function f32_mae(n: i32, pred: usize, target: usize, dPred: usize): f64 { unreachable(); return 0; }
export function f32_huber(n: i32, pred: usize, target: usize, delta: f32, dPred: usize): f64 { unreachable(); return 0; }
export function f32_bce_with_logits(n: i32, logits: usize, target: usize, dLogits: usize): f64 { unreachable(); return 0; }
export function f32_softmax_cross_entropy(m: i32, n: i32, logits: usize, labels: usize, dLogits: usize): f64 { unreachable(); return 0; }
export function f32_softmax_cross_entropy_dense(m: i32, n: i32, logits: usize, target: usize, dLogits: usize): f64 { unreachable(); return 0; }
