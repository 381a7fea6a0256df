// Losses over f32 arrays: the value (returned as f64) and, when the gradient pointer is not 0, the gradient of that
// value, in one pass. Definitions: src/backend/types.ts. Layout: flat arrays of n = m·rows elements (mse, mae, huber,
// bce) or row-major packed m×n logits (the softmax cross-entropies); labels are floats holding class indices.
// Precision: each element's loss term is evaluated in f64 from the f32 inputs (differences and products of two f32
// are then exact or nearly so), except the transcendental part (ln(1 + e^(−|z|)), e^(z − max)), which comes from the
// f32x4 approximations of assembly/math.ts; sums are accumulated in f64 lanes and divided once. Gradients are f32.
// Aliasing: the gradient may be the same array as pred/logits (each element is read before it is written).
// Tails: four floats per f32x4 step; the last n mod 4 go through the same vector code one lane at a time.
import { exp4, log1p4, rowExpSum, rowMax, sigmoid4 } from './math';

/** The low two lanes of an f32x4, as f64x2. */
// @ts-ignore: decorator
@inline function low64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** The high two lanes of an f32x4, as f64x2. */
// @ts-ignore: decorator
@inline function high64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

// @ts-ignore: decorator
@inline function lanesSum(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// @ts-ignore: decorator
@inline const MSE: i32 = 0;
// @ts-ignore: decorator
@inline const MAE: i32 = 1;
// @ts-ignore: decorator
@inline const HUBER: i32 = 2;
// @ts-ignore: decorator
@inline const BCE: i32 = 3;

/** sign(r)·c, 0 where r = 0 (and for NaN). */
// @ts-ignore: decorator
@inline function signTimes(r: v128, c: v128): v128 {
  const zero = f32x4.splat(0);
  return v128.or(v128.and(f32x4.gt(r, zero), c), v128.and(f32x4.lt(r, zero), f32x4.neg(c)));
}

/** Huber's term for residuals r (f64x2): ½r² where |r| ≤ δ, else δ(|r| − ½δ). */
// @ts-ignore: decorator
@inline function huberTerm(r: v128, delta: v128): v128 {
  const a = f64x2.abs(r);
  const quadratic = f64x2.mul(f64x2.mul(r, r), f64x2.splat(0.5));
  const linear = f64x2.mul(delta, f64x2.sub(a, f64x2.mul(delta, f64x2.splat(0.5))));
  return v128.bitselect(quadratic, linear, f64x2.le(a, delta));
}

/** ln(1 + e^(−|z|)), the part of the binary cross-entropy that needs transcendentals (f32x4 approximations). */
// @ts-ignore: decorator
@inline function softTerm(z: v128): v128 {
  return log1p4(exp4(f32x4.neg(f32x4.abs(z))));
}

/**
 * One loss term for two elements, in f64: a = pred (or logit z), b = target; `soft` is BCE's ln(1 + e^(−|z|)).
 * mse (a − b)², mae |a − b|, huber, bce max(z, 0) − z·t + soft (the product of two f32 is exact in f64).
 */
// @ts-ignore: decorator
@inline function term2(kind: i32, a: v128, b: v128, soft: v128, delta: v128): v128 {
  switch (kind) {
    case MSE: {
      const r = f64x2.sub(a, b);
      return f64x2.mul(r, r);
    }
    case MAE: return f64x2.abs(f64x2.sub(a, b));
    case HUBER: return huberTerm(f64x2.sub(a, b), delta);
    default: return f64x2.add(f64x2.sub(f64x2.max(a, f64x2.splat(0)), f64x2.mul(a, b)), soft);
  }
}

/**
 * The gradient for four elements in f32, with c = 2/n (mse) or 1/n:
 * mse (a − b)·c, mae sign(a − b)·c, huber clamp(a − b, ±δ)·c, bce (σ(z) − t)·c.
 */
// @ts-ignore: decorator
@inline function grad4(kind: i32, a: v128, b: v128, delta: v128, c: v128): v128 {
  switch (kind) {
    case MSE: return f32x4.mul(f32x4.sub(a, b), c);
    case MAE: return signTimes(f32x4.sub(a, b), c);
    case HUBER: return f32x4.mul(f32x4.max(f32x4.min(f32x4.sub(a, b), delta), f32x4.neg(delta)), c);
    default: return f32x4.mul(f32x4.sub(sigmoid4(a), b), c);
  }
}

/** Σ term / n over n elements, and with d ≠ 0 the gradient; the last n mod 4 elements one lane at a time (splat). */
// @ts-ignore: decorator
@inline function pointwiseLoss(kind: i32, n: i32, a: usize, b: usize, delta: f32, d: usize): f64 {
  if (n == 0) return 0;
  const c = f32x4.splat(<f32>((kind == MSE ? 2.0 : 1.0) / <f64>n));
  const delta4 = f32x4.splat(delta);
  const delta2 = f64x2.splat(<f64>delta);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    const bv = v128.load(b + o);
    const soft = kind == BCE ? softTerm(av) : f32x4.splat(0);
    acc = f64x2.add(acc, term2(kind, low64(av), low64(bv), low64(soft), delta2));
    acc = f64x2.add(acc, term2(kind, high64(av), high64(bv), high64(soft), delta2));
    if (d != 0) v128.store(d + o, grad4(kind, av, bv, delta4, c));
  }
  let sum = lanesSum(acc);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const av = f32x4.splat(load<f32>(a + o));
    const bv = f32x4.splat(load<f32>(b + o));
    const soft = kind == BCE ? softTerm(av) : f32x4.splat(0);
    sum += f64x2.extract_lane(term2(kind, low64(av), low64(bv), low64(soft), delta2), 0);
    if (d != 0) store<f32>(d + o, f32x4.extract_lane(grad4(kind, av, bv, delta4, c), 0));
  }
  return sum / <f64>n;
}

/** Σ(p − t)² / n;  dPred ← 2(p − t)/n. */
export function f32_mse(n: i32, pred: usize, target: usize, dPred: usize): f64 {
  return pointwiseLoss(MSE, n, pred, target, 0, dPred);
}

/** Σ|p − t| / n;  dPred ← sign(p − t)/n. */
export function f32_mae(n: i32, pred: usize, target: usize, dPred: usize): f64 {
  return pointwiseLoss(MAE, n, pred, target, 0, dPred);
}

/** Huber loss with threshold δ, mean over n;  dPred ← clamp(p − t, −δ, δ)/n. */
export function f32_huber(n: i32, pred: usize, target: usize, delta: f32, dPred: usize): f64 {
  return pointwiseLoss(HUBER, n, pred, target, delta, dPred);
}

/** Binary cross-entropy from logits, mean over n;  dLogits ← (σ(z) − t)/n. */
export function f32_bce_with_logits(n: i32, logits: usize, target: usize, dLogits: usize): f64 {
  return pointwiseLoss(BCE, n, logits, target, 0, dLogits);
}

/**
 * Softmax cross-entropy with integer labels, mean over the m rows: Σᵢ (ln Σⱼ e^(zᵢⱼ − maxᵢ) − (z_iyᵢ − maxᵢ)) / m;
 * dLogits ← (softmax(zᵢ) − onehot(yᵢ))/m. Every label is checked first: one that is not an integer in 0..n−1 makes
 * the kernel return −(i + 1) for the first such row i, having written nothing.
 */
export function f32_softmax_cross_entropy(m: i32, n: i32, logits: usize, labels: usize, dLogits: usize): f64 {
  for (let i = 0; i < m; i++) {
    const label = <f64>load<f32>(labels + (<usize>i << 2));
    // NaN fails every comparison.
    if (!(label >= 0 && label < <f64>n && label == Math.floor(label))) return -<f64>(i + 1);
  }
  if (m == 0) return 0;
  const rowBytes = <usize>n << 2;
  const invM = 1.0 / <f64>m;
  let loss: f64 = 0;
  for (let i = 0; i < m; i++) {
    const z = logits + <usize>i * rowBytes;
    const d: usize = dLogits == 0 ? 0 : dLogits + <usize>i * rowBytes;
    const y = <usize>(<i32>load<f32>(labels + (<usize>i << 2))) << 2;
    const top = rowMax(n, z);
    const zy = load<f32>(z + y); // read before d (which may be z) is written
    const sum = rowExpSum(n, z, top, d);
    loss += Math.log(sum) - (<f64>zy - <f64>top);
    if (d != 0) {
      const ey = <f64>load<f32>(d + y);
      scaleRow(n, d, <f32>(invM / sum));
      store<f32>(d + y, <f32>((ey / sum - 1) * invM));
    }
  }
  return loss * invM;
}

/** x[j] ← s·x[j] over a row. */
function scaleRow(n: i32, x: usize, s: f32): void {
  const v = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(x + (<usize>j << 2), f32x4.mul(v128.load(x + (<usize>j << 2)), v));
  for (; j < n; j++) store<f32>(x + (<usize>j << 2), load<f32>(x + (<usize>j << 2)) * s);
}

/**
 * Softmax cross-entropy against target rows t (one-hot or soft), mean over rows:
 * Σᵢ (Tᵢ·ln Σⱼ e^(zᵢⱼ − maxᵢ) − Σⱼ tᵢⱼ(zᵢⱼ − maxᵢ)) / m with Tᵢ = Σⱼ tᵢⱼ;  dLogits ← (softmax(zᵢ)·Tᵢ − tᵢ)/m.
 * A target of exactly 0 contributes nothing, whatever its logit.
 */
export function f32_softmax_cross_entropy_dense(m: i32, n: i32, logits: usize, target: usize, dLogits: usize): f64 {
  if (m == 0 || n == 0) return 0;
  const rowBytes = <usize>n << 2;
  const invM = 1.0 / <f64>m;
  let loss: f64 = 0;
  for (let i = 0; i < m; i++) {
    const z = logits + <usize>i * rowBytes;
    const t = target + <usize>i * rowBytes;
    const d: usize = dLogits == 0 ? 0 : dLogits + <usize>i * rowBytes;
    const top = rowMax(n, z);
    const shift = f32x4.splat(top);
    const top64 = f64x2.splat(<f64>top);
    let sumE = f64x2.splat(0);
    let sumT = f64x2.splat(0);
    let sumTZ = f64x2.splat(0);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const zv = v128.load(z + o);
      const tv = v128.load(t + o);
      const e = exp4(f32x4.sub(zv, shift));
      sumE = f64x2.add(sumE, f64x2.add(low64(e), high64(e)));
      const tl = low64(tv);
      const th = high64(tv);
      sumT = f64x2.add(sumT, f64x2.add(tl, th));
      // t·(z − max) only where t ≠ 0: a zero target on a logit of −∞ (a masked class) would give 0·∞ = NaN.
      const tzl = v128.and(f64x2.mul(tl, f64x2.sub(low64(zv), top64)), f64x2.ne(tl, f64x2.splat(0)));
      const tzh = v128.and(f64x2.mul(th, f64x2.sub(high64(zv), top64)), f64x2.ne(th, f64x2.splat(0)));
      sumTZ = f64x2.add(sumTZ, f64x2.add(tzl, tzh));
      if (d != 0) v128.store(d + o, e);
    }
    let se = lanesSum(sumE);
    let st = lanesSum(sumT);
    let stz = lanesSum(sumTZ);
    for (; j < n; j++) {
      const o = <usize>j << 2;
      const zj = load<f32>(z + o);
      const tj = <f64>load<f32>(t + o);
      const e = f32x4.extract_lane(exp4(f32x4.splat(zj - top)), 0);
      se += <f64>e;
      st += tj;
      if (tj != 0) stz += tj * (<f64>zj - <f64>top);
      if (d != 0) store<f32>(d + o, e);
    }
    loss += st * Math.log(se) - stz;
    if (d != 0) {
      const a = f32x4.splat(<f32>(st * invM / se));
      const b = f32x4.splat(<f32>invM);
      j = 0;
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        v128.store(d + o, f32x4.sub(f32x4.mul(v128.load(d + o), a), f32x4.mul(v128.load(t + o), b)));
      }
      for (; j < n; j++) {
        const o = <usize>j << 2;
        store<f32>(d + o, load<f32>(d + o) * f32x4.extract_lane(a, 0) - load<f32>(t + o) * f32x4.extract_lane(b, 0));
      }
    }
  }
  return loss * invM;
}
