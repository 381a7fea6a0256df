// Optimizer updates, in place over flat f32 arenas: one call updates any number of parameters.
// Rules (PyTorch's; stated in src/backend/types.ts, specified by src/backend/ref/optimizers.ts):
//   SGD      d ← g + λp;  v ← d on the first step (v not read), else μv + (1 − τ)d;  d ← nesterov ? d + μv : v;
//            p ← p − η·d
//   RMSprop  g ← g + λp;  s ← αs + (1 − α)g²;  centered: ḡ ← αḡ + (1 − α)g;  d ← √max(s − ḡ², 0) + ε (ḡ = 0 if not
//            centered);  μ > 0: b ← μb + g/d, p ← p − η·b;  else p ← p − η·(g/d)
//   Adam     AdamW: p ← p·(1 − ηλ), else g ← g + λp;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
//            v̂ ← amsgrad ? max(v̂, v) : v;  p ← p − (η/c₁)·(m / (√v̂·(1/√c₂) + ε))
//   Adagrad  g ← g + λp;  s ← s + g²;  p ← p − η·(g / (√s + ε))
// Layout: contiguous f32 arrays at byte addresses; a state buffer's address is 0 exactly when its option is off
// (src/backend/checked.ts guarantees it and every other argument). Aliasing: no two buffers may overlap.
// Arithmetic: f32, one rounding per operation in the order written above; per-call constants (η/c₁, 1/√c₂, 1 − β,
// 1 − ηλ, …) are computed once in f64 and rounded to f32. λ = 0 skips the decay term, so p = ±∞ never meets 0·∞.
// No relaxed-SIMD operation is used: the simd and relaxed builds compute the same bits.
// Subnormals: every state value stored whose magnitude is below 2⁻¹²⁶ (the smallest normal f32) is stored as +0;
// NaN is kept. Parameters and gradients are never flushed. This keeps the state of a parameter whose gradient stays
// 0 out of the subnormal range, where every x86 operation costs a microcode assist (Adam over 2¹⁸ parameters with
// zero gradients: 0.6 ms per step; unflushed, 21 ms per step by step 2,500); the update a flushed value would have
// made is at most (η/c₁)·2⁻¹²⁶/ε (Adam's m).
// Tails: the main loop takes 4 elements per f32x4 step; the last n mod 4 run through the same f32x4 code, loaded and
// stored lane by lane, so every element gets bit-identical arithmetic wherever it sits; nothing past n is touched.

// @ts-ignore: decorator
@inline const LANES: i32 = 4;

/** 2⁻¹²⁶ */
// @ts-ignore: decorator
@inline const F32_MIN_NORMAL: f32 = reinterpret<f32>(0x00800000);

/**
 * The bytes that whole f32x4 steps cover in n floats. The loops advance a byte offset up to it, which V8 compiles to
 * one add and compare per step, where an element index cost a copy and a scaled add more (Adam over 101,770 floats:
 * 58.2 → 54.9 µs).
 */
// @ts-ignore: decorator
@inline function wholeVectorBytes(n: i32): usize {
  return (<usize>(n & ~(LANES - 1))) << 2;
}

/** The first `lanes` floats at ptr (all four when lanes = 4); unused lanes read as 0. */
// @ts-ignore: decorator
@inline function load4(ptr: usize, lanes: i32): v128 {
  if (lanes >= LANES) return v128.load(ptr);
  let x = f32x4.splat(0);
  x = f32x4.replace_lane(x, 0, load<f32>(ptr));
  if (lanes > 1) x = f32x4.replace_lane(x, 1, load<f32>(ptr, 4));
  if (lanes > 2) x = f32x4.replace_lane(x, 2, load<f32>(ptr, 8));
  return x;
}

/** Stores the first `lanes` floats of x at ptr. */
// @ts-ignore: decorator
@inline function store4(ptr: usize, x: v128, lanes: i32): void {
  if (lanes >= LANES) {
    v128.store(ptr, x);
    return;
  }
  store<f32>(ptr, f32x4.extract_lane(x, 0));
  if (lanes > 1) store<f32>(ptr, f32x4.extract_lane(x, 1), 4);
  if (lanes > 2) store<f32>(ptr, f32x4.extract_lane(x, 2), 8);
}

/** Every bit but the sign: x & ABS_BITS is |x|. */
// @ts-ignore: decorator
@inline const ABS_BITS: i32 = 0x7fffffff;

/**
 * x, with lanes of magnitude below 2⁻¹²⁶ (zeros and subnormals) set to +0. NaN fails the comparison and stays.
 * |x| is taken with a constant mask rather than f32x4.abs: V8 keeps the constant in a register across the loop but
 * rebuilds abs's mask on every use (Adam over 101,770 floats: 61 → 56 µs).
 */
// @ts-ignore: decorator
@inline function flushState(x: v128): v128 {
  return v128.andnot(x, f32x4.lt(v128.and(x, i32x4.splat(ABS_BITS)), f32x4.splat(F32_MIN_NORMAL)));
}

// ---- SGD ----------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function sgdLanes(o: usize, lanes: i32, p: usize, g: usize, vel: usize, lr: v128, mu: v128, keep: v128,
  lambda: v128, decay: bool, momentum: bool, first: bool, nesterov: bool): void {
  const pi = load4(p + o, lanes);
  let d = load4(g + o, lanes);
  if (decay) d = f32x4.add(d, f32x4.mul(lambda, pi));
  if (momentum) {
    const v = flushState(first ? d : f32x4.add(f32x4.mul(mu, load4(vel + o, lanes)), f32x4.mul(keep, d)));
    store4(vel + o, v, lanes);
    d = nesterov ? f32x4.add(d, f32x4.mul(mu, v)) : v;
  }
  store4(p + o, f32x4.sub(pi, f32x4.mul(lr, d)), lanes);
}

// @ts-ignore: decorator
@inline function sgdLoop(n: i32, p: usize, g: usize, vel: usize, lr: v128, mu: v128, keep: v128, lambda: v128,
  decay: bool, momentum: bool, first: bool, nesterov: bool): void {
  const end = wholeVectorBytes(n);
  let o: usize = 0;
  for (; o < end; o += 16) sgdLanes(o, LANES, p, g, vel, lr, mu, keep, lambda, decay, momentum, first, nesterov);
  const tail = n & (LANES - 1);
  if (tail != 0) sgdLanes(o, tail, p, g, vel, lr, mu, keep, lambda, decay, momentum, first, nesterov);
}

export function f32_sgd_step(n: i32, p: usize, g: usize, velocity: usize, lr: f64, momentum: f64, dampening: f64,
  nesterov: i32, weightDecay: f64, firstStep: i32): void {
  const eta = f32x4.splat(<f32>lr);
  const mu = f32x4.splat(<f32>momentum);
  const keep = f32x4.splat(<f32>(1 - dampening));
  const lambda = f32x4.splat(<f32>weightDecay);
  const decay = weightDecay != 0;
  if (momentum == 0) {
    if (decay) sgdLoop(n, p, g, 0, eta, mu, keep, lambda, true, false, false, false);
    else sgdLoop(n, p, g, 0, eta, mu, keep, lambda, false, false, false, false);
    return;
  }
  const v = velocity;
  switch ((decay ? 4 : 0) | (firstStep ? 2 : 0) | (nesterov ? 1 : 0)) {
    case 0: sgdLoop(n, p, g, v, eta, mu, keep, lambda, false, true, false, false); break;
    case 1: sgdLoop(n, p, g, v, eta, mu, keep, lambda, false, true, false, true); break;
    case 2: sgdLoop(n, p, g, v, eta, mu, keep, lambda, false, true, true, false); break;
    case 3: sgdLoop(n, p, g, v, eta, mu, keep, lambda, false, true, true, true); break;
    case 4: sgdLoop(n, p, g, v, eta, mu, keep, lambda, true, true, false, false); break;
    case 5: sgdLoop(n, p, g, v, eta, mu, keep, lambda, true, true, false, true); break;
    case 6: sgdLoop(n, p, g, v, eta, mu, keep, lambda, true, true, true, false); break;
    default: sgdLoop(n, p, g, v, eta, mu, keep, lambda, true, true, true, true);
  }
}

// ---- RMSprop ------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function rmspropLanes(o: usize, lanes: i32, p: usize, g: usize, sq: usize, ga: usize, mb: usize, lr: v128,
  alpha: v128, oneMinusAlpha: v128, eps: v128, mu: v128, lambda: v128, decay: bool, centered: bool,
  momentum: bool): void {
  const pi = load4(p + o, lanes);
  let gi = load4(g + o, lanes);
  if (decay) gi = f32x4.add(gi, f32x4.mul(lambda, pi));
  const s = flushState(f32x4.add(f32x4.mul(alpha, load4(sq + o, lanes)), f32x4.mul(oneMinusAlpha, f32x4.mul(gi, gi))));
  store4(sq + o, s, lanes);
  let variance = s;
  if (centered) {
    const mean = flushState(f32x4.add(f32x4.mul(alpha, load4(ga + o, lanes)), f32x4.mul(oneMinusAlpha, gi)));
    store4(ga + o, mean, lanes);
    variance = f32x4.max(f32x4.sub(s, f32x4.mul(mean, mean)), f32x4.splat(0));
  }
  const ratio = f32x4.div(gi, f32x4.add(f32x4.sqrt(variance), eps));
  if (momentum) {
    const b = flushState(f32x4.add(f32x4.mul(mu, load4(mb + o, lanes)), ratio));
    store4(mb + o, b, lanes);
    store4(p + o, f32x4.sub(pi, f32x4.mul(lr, b)), lanes);
  } else {
    store4(p + o, f32x4.sub(pi, f32x4.mul(lr, ratio)), lanes);
  }
}

// @ts-ignore: decorator
@inline function rmspropLoop(n: i32, p: usize, g: usize, sq: usize, ga: usize, mb: usize, lr: v128, alpha: v128,
  oneMinusAlpha: v128, eps: v128, mu: v128, lambda: v128, decay: bool, centered: bool, momentum: bool): void {
  const end = wholeVectorBytes(n);
  let o: usize = 0;
  for (; o < end; o += 16) {
    rmspropLanes(o, LANES, p, g, sq, ga, mb, lr, alpha, oneMinusAlpha, eps, mu, lambda, decay, centered, momentum);
  }
  const tail = n & (LANES - 1);
  if (tail != 0) {
    rmspropLanes(o, tail, p, g, sq, ga, mb, lr, alpha, oneMinusAlpha, eps, mu, lambda, decay, centered, momentum);
  }
}

export function f32_rmsprop_step(n: i32, p: usize, g: usize, squareAvg: usize, gradAvg: usize, momentumBuf: usize,
  lr: f64, alpha: f64, eps: f64, momentum: f64, centered: i32, weightDecay: f64): void {
  const eta = f32x4.splat(<f32>lr);
  const a = f32x4.splat(<f32>alpha);
  const b = f32x4.splat(<f32>(1 - alpha));
  const e = f32x4.splat(<f32>eps);
  const mu = f32x4.splat(<f32>momentum);
  const lambda = f32x4.splat(<f32>weightDecay);
  const sq = squareAvg;
  const ga = gradAvg;
  const mb = momentumBuf;
  switch ((weightDecay != 0 ? 4 : 0) | (centered ? 2 : 0) | (momentum != 0 ? 1 : 0)) {
    case 0: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, false, false, false); break;
    case 1: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, false, false, true); break;
    case 2: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, false, true, false); break;
    case 3: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, false, true, true); break;
    case 4: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, true, false, false); break;
    case 5: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, true, false, true); break;
    case 6: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, true, true, false); break;
    default: rmspropLoop(n, p, g, sq, ga, mb, eta, a, b, e, mu, lambda, true, true, true);
  }
}

// ---- Adam and AdamW -----------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline const NO_DECAY: i32 = 0;
// @ts-ignore: decorator
@inline const L2_DECAY: i32 = 1;
// @ts-ignore: decorator
@inline const DECOUPLED_DECAY: i32 = 2;

// @ts-ignore: decorator
@inline function adamLanes(o: usize, lanes: i32, p: usize, g: usize, m: usize, v: usize, vMax: usize, beta1: v128,
  oneMinusBeta1: v128, beta2: v128, oneMinusBeta2: v128, lambda: v128, shrink: v128, stepSize: v128,
  invSqrtC2: v128, eps: v128, decay: i32, amsgrad: bool): void {
  let pi = load4(p + o, lanes);
  let gi = load4(g + o, lanes);
  if (decay == L2_DECAY) gi = f32x4.add(gi, f32x4.mul(lambda, pi));
  else if (decay == DECOUPLED_DECAY) pi = f32x4.mul(pi, shrink);
  const mi = flushState(f32x4.add(f32x4.mul(beta1, load4(m + o, lanes)), f32x4.mul(oneMinusBeta1, gi)));
  const vi = flushState(f32x4.add(f32x4.mul(beta2, load4(v + o, lanes)), f32x4.mul(oneMinusBeta2, f32x4.mul(gi, gi))));
  store4(m + o, mi, lanes);
  store4(v + o, vi, lanes);
  let vHat = vi;
  if (amsgrad) {
    vHat = flushState(f32x4.max(load4(vMax + o, lanes), vi));
    store4(vMax + o, vHat, lanes);
  }
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vHat), invSqrtC2), eps);
  store4(p + o, f32x4.sub(pi, f32x4.mul(stepSize, f32x4.div(mi, denom))), lanes);
}

// @ts-ignore: decorator
@inline function adamLoop(n: i32, p: usize, g: usize, m: usize, v: usize, vMax: usize, beta1: v128,
  oneMinusBeta1: v128, beta2: v128, oneMinusBeta2: v128, lambda: v128, shrink: v128, stepSize: v128,
  invSqrtC2: v128, eps: v128, decay: i32, amsgrad: bool): void {
  const end = wholeVectorBytes(n);
  let o: usize = 0;
  for (; o < end; o += 16) {
    adamLanes(o, LANES, p, g, m, v, vMax, beta1, oneMinusBeta1, beta2, oneMinusBeta2, lambda, shrink,
      stepSize, invSqrtC2, eps, decay, amsgrad);
  }
  const tail = n & (LANES - 1);
  if (tail != 0) {
    adamLanes(o, tail, p, g, m, v, vMax, beta1, oneMinusBeta1, beta2, oneMinusBeta2, lambda, shrink,
      stepSize, invSqrtC2, eps, decay, amsgrad);
  }
}

export function f32_adam_step(n: i32, p: usize, g: usize, m: usize, v: usize, vMax: usize, lr: f64, beta1: f64,
  beta2: f64, eps: f64, weightDecay: f64, decoupled: i32, amsgrad: i32, biasCorrection1: f64,
  biasCorrection2: f64): void {
  const b1 = f32x4.splat(<f32>beta1);
  const c1 = f32x4.splat(<f32>(1 - beta1));
  const b2 = f32x4.splat(<f32>beta2);
  const c2 = f32x4.splat(<f32>(1 - beta2));
  const lambda = f32x4.splat(<f32>weightDecay);
  const shrink = f32x4.splat(<f32>(1 - lr * weightDecay));
  const step = f32x4.splat(<f32>(lr / biasCorrection1));
  const inv = f32x4.splat(<f32>(1 / Math.sqrt(biasCorrection2)));
  const e = f32x4.splat(<f32>eps);
  const decay = weightDecay == 0 ? NO_DECAY : decoupled ? DECOUPLED_DECAY : L2_DECAY;
  switch (decay * 2 + (amsgrad ? 1 : 0)) {
    case 0: adamLoop(n, p, g, m, v, vMax, b1, c1, b2, c2, lambda, shrink, step, inv, e, NO_DECAY, false); break;
    case 1: adamLoop(n, p, g, m, v, vMax, b1, c1, b2, c2, lambda, shrink, step, inv, e, NO_DECAY, true); break;
    case 2: adamLoop(n, p, g, m, v, vMax, b1, c1, b2, c2, lambda, shrink, step, inv, e, L2_DECAY, false); break;
    case 3: adamLoop(n, p, g, m, v, vMax, b1, c1, b2, c2, lambda, shrink, step, inv, e, L2_DECAY, true); break;
    case 4: adamLoop(n, p, g, m, v, vMax, b1, c1, b2, c2, lambda, shrink, step, inv, e, DECOUPLED_DECAY, false); break;
    default: adamLoop(n, p, g, m, v, vMax, b1, c1, b2, c2, lambda, shrink, step, inv, e, DECOUPLED_DECAY, true);
  }
}

// ---- Adagrad ------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function adagradLanes(o: usize, lanes: i32, p: usize, g: usize, sum: usize, lr: v128, eps: v128,
  lambda: v128, decay: bool): void {
  const pi = load4(p + o, lanes);
  let gi = load4(g + o, lanes);
  if (decay) gi = f32x4.add(gi, f32x4.mul(lambda, pi));
  const s = flushState(f32x4.add(load4(sum + o, lanes), f32x4.mul(gi, gi)));
  store4(sum + o, s, lanes);
  store4(p + o, f32x4.sub(pi, f32x4.mul(lr, f32x4.div(gi, f32x4.add(f32x4.sqrt(s), eps)))), lanes);
}

// @ts-ignore: decorator
@inline function adagradLoop(n: i32, p: usize, g: usize, sum: usize, lr: v128, eps: v128, lambda: v128,
  decay: bool): void {
  const end = wholeVectorBytes(n);
  let o: usize = 0;
  for (; o < end; o += 16) adagradLanes(o, LANES, p, g, sum, lr, eps, lambda, decay);
  const tail = n & (LANES - 1);
  if (tail != 0) adagradLanes(o, tail, p, g, sum, lr, eps, lambda, decay);
}

export function f32_adagrad_step(n: i32, p: usize, g: usize, sum: usize, lr: f64, eps: f64, weightDecay: f64): void {
  const eta = f32x4.splat(<f32>lr);
  const e = f32x4.splat(<f32>eps);
  const lambda = f32x4.splat(<f32>weightDecay);
  if (weightDecay != 0) adagradLoop(n, p, g, sum, eta, e, lambda, true);
  else adagradLoop(n, p, g, sum, eta, e, lambda, false);
}
