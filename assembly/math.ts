// f32x4 approximations of exp, expm1, log, log1p, tanh and sigmoid, lane-wise, for the activation, softmax and loss
// kernels. All f32 arithmetic, no tables, no branches (both sides of a select are computed). NaN in gives NaN out;
// expm1, log1p and tanh keep the sign of a zero argument (f(±0) = ±0), exp(±0) = 1 and σ(±0) = ½ exactly.
//
// Documented maximum error over finite f32 inputs, in units of ε = 2^-23 (relative unless stated). test/math.test.ts
// measures each one over a dense sweep (evenly spaced inputs plus a stride through every binade of the f32 bit
// patterns) against f64 Math.* and asserts it; the kernel tests derive their tolerances from these very lines (read by
// test/helpers/approx-bounds.ts, so keep their `MAX_ERROR name K ε` form). Measured maxima in brackets.
//   MAX_ERROR exp     1 ε   [0.67 ε] where e^x is a normal float (x ≥ −87.33); below that, absolute 2^-149 (one
//                            subnormal step); exactly 0 below x = −104 and +∞ above 88.73, where f32 rounds to them
//   MAX_ERROR expm1   3 ε   [1.91 ε, just past |x| = ln2/2 where e^x − 1 cancels 3.4×]; for |x| < ln2/2 the polynomial
//                            itself is returned, so tiny x keeps full relative precision
//   MAX_ERROR log     1 ε   [0.65 ε] on positive normal floats (its domain)
//   MAX_ERROR log1p   2 ε   [1.42 ε] for u > −0.5
//   MAX_ERROR tanh    3 ε   [1.71 ε] everywhere, and |tanh x| ≤ 1
//   MAX_ERROR sigmoid 2 ε   [1.24 ε] where σ(x) is a normal float; absolute 2^-126 below (x < −87.3, σ underflows)
//
// exp: Cody–Waite range reduction x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split into a 9-bit head, exact for |n| ≤ 2^15,
// and a tail), then the degree-7 minimax polynomial of Cephes' expf for e^r − 1, then scaling by 2^n as two factors
// 2^⌊n/2⌋·2^⌈n/2⌉ so that n from −150 to 128 needs no special case: results underflow gradually to 0 and overflow to
// +∞ exactly where f32 does.

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;

/** e^r − 1 for |r| ≤ ln2/2: r + r²·P(r), Cephes expf's coefficients. */
// @ts-ignore: decorator
@inline function expm1Reduced(r: v128): v128 {
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  return f32x4.add(r, f32x4.mul(f32x4.mul(r, r), p));
}

/** n as f32 (a whole number) for x clamped to [−104, 89], so that x = n·ln2 + r with |r| ≤ ln2/2. */
// @ts-ignore: decorator
@inline function reduceN(x: v128): v128 {
  return f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
}

// @ts-ignore: decorator
@inline function reduceR(x: v128, n: v128): v128 {
  return f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
}

/** (1 + p)·2^n for whole n in [−150, 128], as two power-of-two factors that are each a normal float. */
// @ts-ignore: decorator
@inline function scaleByPow2(onePlusP: v128, n: v128): v128 {
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  return f32x4.mul(f32x4.mul(onePlusP, s1), s2);
}

// @ts-ignore: decorator
@inline function clampExpArg(x: v128): v128 {
  // Beyond these, e^x rounds to 0 or +∞ in f32. pmin/pmax (b < a ? b : a, a < b ? b : a) with x first keep NaN, and
  // are one instruction each on x86, where min/max lower to a sequence for their NaN and ±0 rules.
  return f32x4.pmax(f32x4.pmin(x, f32x4.splat(89.0)), f32x4.splat(-104.0));
}

/** e^x lane-wise. */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const xc = clampExpArg(x);
  const n = reduceN(xc);
  const p = expm1Reduced(reduceR(xc, n));
  return scaleByPow2(f32x4.add(p, f32x4.splat(1)), n);
}

/** e^x − 1 lane-wise, without cancellation for small |x|. */
// @ts-ignore: decorator
@inline export function expm14(x: v128): v128 {
  const xc = clampExpArg(x);
  const n = reduceN(xc);
  const p = expm1Reduced(reduceR(xc, n));
  const e = f32x4.sub(scaleByPow2(f32x4.add(p, f32x4.splat(1)), n), f32x4.splat(1));
  // n = 0 means x = r: the polynomial is e^x − 1 itself. e^x − 1 has the sign of x, which the reduction loses for
  // x = −0 ((−0) − (−0)·ln2 = +0): or-ing in x's sign bit changes nothing else and gives expm1(−0) = −0 (so that elu,
  // selu and tanh keep ±0).
  const sign = v128.and(xc, i32x4.splat(0x80000000));
  return v128.or(v128.bitselect(p, e, f32x4.eq(n, f32x4.splat(0))), sign);
}

/** ln x lane-wise for positive normal x (Cephes logf: x = m·2^e with m in [√½, √2), a degree-9 polynomial in m − 1). */
// @ts-ignore: decorator
@inline export function log4(x: v128): v128 {
  const bits = x;
  // m in [1, 2) from the mantissa; e the unbiased exponent.
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000));
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127)));
  // m ≥ √2: halve m and count it in e, so that f = m − 1 lies in [√½ − 1, √2 − 1].
  const big = f32x4.ge(m, f32x4.splat(1.41421356237));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = f32x4.add(e, v128.and(big, f32x4.splat(1)));
  const f = f32x4.sub(m, f32x4.splat(1));
  const z = f32x4.mul(f, f);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, f), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, f), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  return f32x4.add(f32x4.add(f, y), f32x4.mul(e, f32x4.splat(LN2_HI)));
}

/**
 * ln(1 + u) lane-wise for u ≥ 0: with w = 1 + u rounded, ln(w)·u/(w − 1) corrects the rounding of w (Goldberg 1991,
 * "What every computer scientist should know about floating-point arithmetic", Theorem 4); w = 1 means ln(1 + u) = u.
 */
// @ts-ignore: decorator
@inline export function log1p4(u: v128): v128 {
  const one = f32x4.splat(1);
  const w = f32x4.add(one, u);
  const wm1 = f32x4.sub(w, one);
  const exact = f32x4.eq(w, one);
  // Where w = 1 the quotient is 0/0; it is replaced by u.
  const corrected = f32x4.mul(log4(w), f32x4.div(u, wm1));
  return v128.bitselect(u, corrected, exact);
}

/** tanh x lane-wise: with t = e^(−2|x|) − 1 in (−1, 0], tanh|x| = −t/(t + 2); the sign of x is put back. */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const t = expm14(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
  const mag = f32x4.div(f32x4.neg(t), f32x4.add(t, f32x4.splat(2)));
  const sign = v128.and(x, i32x4.splat(0x80000000));
  return v128.or(mag, sign);
}

/** σ(x) = 1/(1 + e^(−x)) lane-wise; e^(−x) = +∞ for x < −88.7 gives 0, e^(−x) → 0 gives 1. */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

// ---- row reductions shared by softmax and the softmax losses ----------------------------------------------------

/** Largest element of a row (NaN if any is NaN). */
export function rowMax(n: i32, x: usize): f32 {
  let acc = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.max(acc, v128.load(x + (<usize>i << 2)));
  let best = max<f32>(max<f32>(f32x4.extract_lane(acc, 0), f32x4.extract_lane(acc, 1)),
    max<f32>(f32x4.extract_lane(acc, 2), f32x4.extract_lane(acc, 3)));
  for (; i < n; i++) best = max<f32>(best, load<f32>(x + (<usize>i << 2)));
  return best;
}

/**
 * Σ e^(x[j] − shift) over a row, accumulated in f64; with `out` ≠ 0 also stores each e^(x[j] − shift) there (out may
 * be x). The terms are f32 approximations (assembly/math.ts), the sum exact to f64 rounding.
 */
export function rowExpSum(n: i32, x: usize, shift: f32, out: usize): f64 {
  const s = f32x4.splat(shift);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const e = exp4(f32x4.sub(v128.load(x + o), s));
    if (out != 0) v128.store(out + o, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  let sum = f64x2.extract_lane(f64x2.add(lo, hi), 0) + f64x2.extract_lane(f64x2.add(lo, hi), 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(x + o) - shift)), 0);
    if (out != 0) store<f32>(out + o, e);
    sum += <f64>e;
  }
  return sum;
}

// ---- test-only export: the approximations themselves, so that test/math.test.ts can measure their error ----------

/** y[i] ← f(x[i]) for f = exp, expm1, log, log1p, tanh, sigmoid (codes 0..5), four lanes at a time, tail via splat. */
export function f32_math_eval(fn: i32, n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, evalApprox(fn, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(evalApprox(fn, f32x4.splat(load<f32>(x + o))), 0));
  }
}

function evalApprox(fn: i32, v: v128): v128 {
  switch (fn) {
    case 0: return exp4(v);
    case 1: return expm14(v);
    case 2: return log4(v);
    case 3: return log1p4(v);
    case 4: return tanh4(v);
    default: return sigmoid4(v);
  }
}
