// Activations y = f(x), their derivatives dx = dy ⊙ f′(x), and row-wise softmax / log-softmax over f32 arrays.
// Layout: contiguous f32 arrays at byte addresses; softmax rows are packed (stride n).
// `act` is the index of the activation in ACTIVATIONS (src/backend/types.ts):
//   0 identity  1 relu  2 leakyRelu(α)  3 elu(α)  4 selu  5 gelu (tanh form)  6 silu  7 sigmoid  8 tanh  9 softplus
// Derivatives take the saved output y where it gives f′ without a transcendental: sigmoid y(1 − y), tanh 1 − y²,
// elu and selu for x ≤ 0 (y + α, y + λα); gelu, silu and softplus use x. Branches are taken on x, and at x = 0 the
// left derivative is used (relu 0, leakyRelu α, elu α, selu λα), as PyTorch does.
// At ±∞ every activation gives its limit and so does its derivative (gelu and silu by the two clamps below).
// Aliasing: y may be x; dx may be dy (each element is read before it is written; partial overlap is undefined).
// Tails: four floats per f32x4 step; the last n mod 4 go through the same vector code one lane at a time (splat,
// lane 0), so every element gets bit-identical results wherever it sits. exp/tanh/σ/log1p: assembly/math.ts.
import { exp4, expm14, log1p4, rowExpSum, rowMax, sigmoid4, tanh4 } from './math';

// @ts-ignore: decorator
@inline const IDENTITY: i32 = 0;
// @ts-ignore: decorator
@inline const RELU: i32 = 1;
// @ts-ignore: decorator
@inline const LEAKY_RELU: i32 = 2;
// @ts-ignore: decorator
@inline const ELU: i32 = 3;
// @ts-ignore: decorator
@inline const SELU: i32 = 4;
// @ts-ignore: decorator
@inline const GELU: i32 = 5;
// @ts-ignore: decorator
@inline const SILU: i32 = 6;
// @ts-ignore: decorator
@inline const SIGMOID: i32 = 7;
// @ts-ignore: decorator
@inline const TANH: i32 = 8;

// SELU's constants (Klambauer et al. 2017), as PyTorch rounds them.
// @ts-ignore: decorator
@inline const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
// @ts-ignore: decorator
@inline const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
// gelu(x) = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); ½(1 + tanh u) = σ(2u), and 2u = x(K0 + K1x²).
// @ts-ignore: decorator
@inline const GELU_K0: f32 = 1.5957691216057308; // 2√(2/π)
// @ts-ignore: decorator
@inline const GELU_K1: f32 = 0.0713548162726009; // 2√(2/π)·0.044715
// Beyond |x| = 1e4, σ(2u)(1 − σ(2u)) and σ(x)(1 − σ(x)) are 0 (in f32 and in f64); clamping x there in the
// derivatives of gelu and silu changes no finite result and keeps 0·∞ from making NaN at x = ±∞.
// @ts-ignore: decorator
@inline const DERIVATIVE_CLAMP: f32 = 1e4;
// x·σ(·) at x = −∞ is −∞·0: x is first raised to −FLT_MAX, so that gelu(−∞) = silu(−∞) = −0, their limit.
// @ts-ignore: decorator
@inline const FLT_MAX: f32 = 3.40282346638528859811704183484516925440e38;

// The two clamps use pmin/pmax (b < a ? b : a, a < b ? b : a): one instruction each on x86, where min/max cost a
// sequence for their NaN and ±0 rules; with x first, NaN compares false and stays (measured: silu +10 % with max).

/** x with −∞ raised to −FLT_MAX (NaN stays NaN). */
// @ts-ignore: decorator
@inline function finiteBelow(x: v128): v128 {
  return f32x4.pmax(x, f32x4.splat(-FLT_MAX));
}

/** x clamped to ±1e4 (NaN stays NaN). */
// @ts-ignore: decorator
@inline function clampForDerivative(x: v128): v128 {
  return f32x4.pmax(f32x4.pmin(x, f32x4.splat(DERIVATIVE_CLAMP)), f32x4.splat(-DERIVATIVE_CLAMP));
}

/** The positive-side mask x > 0 (false at 0 and for NaN). */
// @ts-ignore: decorator
@inline function positive(x: v128): v128 {
  return f32x4.gt(x, f32x4.splat(0));
}

/** α·(e^x − 1) for x ≤ 0, x for x > 0: elu's forward. */
// @ts-ignore: decorator
@inline function elu4(x: v128, alpha: v128): v128 {
  return v128.bitselect(x, f32x4.mul(alpha, expm14(x)), positive(x));
}

// @ts-ignore: decorator
@inline function forward4(act: i32, x: v128, alpha: v128): v128 {
  switch (act) {
    case RELU: return f32x4.max(x, f32x4.splat(0));
    case LEAKY_RELU: return v128.bitselect(x, f32x4.mul(alpha, x), positive(x));
    case ELU: return elu4(x, alpha);
    case SELU: return f32x4.mul(f32x4.splat(SELU_SCALE), elu4(x, f32x4.splat(SELU_ALPHA)));
    case GELU: {
      const twoU = f32x4.mul(x, f32x4.add(f32x4.splat(GELU_K0), f32x4.mul(f32x4.splat(GELU_K1), f32x4.mul(x, x))));
      return f32x4.mul(finiteBelow(x), sigmoid4(twoU));
    }
    case SILU: return f32x4.mul(finiteBelow(x), sigmoid4(x));
    case SIGMOID: return sigmoid4(x);
    case TANH: return tanh4(x);
    default: {
      // softplus: max(x, 0) + ln(1 + e^(−|x|)), which neither overflows nor cancels.
      const tail = log1p4(exp4(f32x4.neg(f32x4.abs(x))));
      return f32x4.add(f32x4.max(x, f32x4.splat(0)), tail);
    }
  }
}

/** f′ at x with saved output y. */
// @ts-ignore: decorator
@inline function derivative4(act: i32, x: v128, y: v128, alpha: v128): v128 {
  const one = f32x4.splat(1);
  switch (act) {
    case RELU: return v128.and(positive(x), one);
    case LEAKY_RELU: return v128.bitselect(one, alpha, positive(x));
    case ELU: return v128.bitselect(one, f32x4.add(y, alpha), positive(x));
    case SELU: {
      const scale = f32x4.splat(SELU_SCALE);
      return v128.bitselect(scale, f32x4.add(y, f32x4.splat(SELU_SCALE * SELU_ALPHA)), positive(x));
    }
    case GELU: {
      // d/dx x·σ(2u) = s + s(1 − s)·x·(2u)′ with s = σ(2u) and (2u)′ = K0 + 3K1x².
      const xc = clampForDerivative(x);
      const x2 = f32x4.mul(xc, xc);
      const twoU = f32x4.mul(x, f32x4.add(f32x4.splat(GELU_K0), f32x4.mul(f32x4.splat(GELU_K1), f32x4.mul(x, x))));
      const slope = f32x4.add(f32x4.splat(GELU_K0), f32x4.mul(f32x4.splat(3 * GELU_K1), x2));
      const s = sigmoid4(twoU);
      const ds = f32x4.mul(s, f32x4.sub(one, s));
      return f32x4.add(s, f32x4.mul(ds, f32x4.mul(xc, slope)));
    }
    case SILU: {
      // d/dx x·σ(x) = σ(x)·(1 + x(1 − σ(x))).
      const s = sigmoid4(x);
      return f32x4.mul(s, f32x4.add(one, f32x4.mul(clampForDerivative(x), f32x4.sub(one, s))));
    }
    case SIGMOID: return f32x4.mul(y, f32x4.sub(one, y));
    case TANH: return f32x4.sub(one, f32x4.mul(y, y));
    default: return sigmoid4(x); // softplus′ = σ
  }
}

export function f32_act_forward(act: i32, n: i32, x: usize, y: usize, alpha: f32): void {
  if (act == IDENTITY) {
    if (x != y) memory.copy(y, x, <usize>n << 2);
    return;
  }
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, forward4(act, v128.load(x + o), a));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(forward4(act, f32x4.splat(load<f32>(x + o)), a), 0));
  }
}

export function f32_act_backward(act: i32, n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (act == IDENTITY) {
    if (dy != dx) memory.copy(dx, dy, <usize>n << 2);
    return;
  }
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = derivative4(act, v128.load(x + o), v128.load(y + o), a);
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), d));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = derivative4(act, f32x4.splat(load<f32>(x + o)), f32x4.splat(load<f32>(y + o)), a);
    store<f32>(dx + o, load<f32>(dy + o) * f32x4.extract_lane(d, 0));
  }
}

// ---- softmax -----------------------------------------------------------------------------------------------------

/**
 * Row-wise softmax (log = 0) or log-softmax (log = 1) of an m×n matrix, max-subtracted:
 * softmax: y = e^(x − max) / Σ e^(x − max);  log-softmax: y = (x − max) − ln Σ e^(x − max).
 * The sum is accumulated in f64 and its logarithm taken in f64 (one per row).
 */
export function f32_softmax_rows(m: i32, n: i32, x: usize, y: usize, log: i32): void {
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < m; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    const top = rowMax(n, xr);
    if (log != 0) {
      const lse = <f32>Math.log(rowExpSum(n, xr, top, 0));
      const shift = f32x4.splat(top);
      const l = f32x4.splat(lse);
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(yr + o, f32x4.sub(f32x4.sub(v128.load(xr + o), shift), l));
      }
      for (; i < n; i++) {
        const o = <usize>i << 2;
        store<f32>(yr + o, load<f32>(xr + o) - top - lse);
      }
    } else {
      const inv = <f32>(1.0 / rowExpSum(n, xr, top, yr));
      const s = f32x4.splat(inv);
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(yr + o, f32x4.mul(v128.load(yr + o), s));
      }
      for (; i < n; i++) {
        const o = <usize>i << 2;
        store<f32>(yr + o, load<f32>(yr + o) * inv);
      }
    }
  }
}
