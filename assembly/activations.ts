// STUB: replaced by the activation work.
export function f32_act_forward(act: i32, n: i32, x: usize, y: usize, alpha: f32): void {
  unreachable();
}
export function f32_act_backward(act: i32, n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  unreachable();
}
export function f32_softmax_rows(m: i32, n: i32, x: usize, y: usize, log: i32): void {
  unreachable();
}
