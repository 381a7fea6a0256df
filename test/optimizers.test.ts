// Optimizer updates (SGD, RMSprop, Adam/AdamW, Adagrad): every option, 1 and 10 steps, against a float64 loop of the
// published rule written here, on every backend; WASM against the reference over the size sweep; bit-identical tails;
// state flushing below 2⁻¹²⁶; convergence on a parabola and on Rosenbrock; bad hyper-parameters.
//
// Tolerances come from a running error analysis (Wilkinson). Each rule below is written once over an `Arith` and
// evaluated on (x, e) pairs: x is the float64 rule itself, e bounds |computed − exact| for an evaluation that rounds
// every operation with unit roundoff u (adding e_in propagated + u·(|x| + e_in) + an underflow term) and rounds every
// per-call constant (u·|c|). With u = 2⁻²⁴ this bounds the WASM kernels (f32, one rounding per operation, the same
// operations up to the association of constant factors, which the u·|c| term covers) and the f32 reference (float64
// operations, one f32 rounding per stored value: never more error than one f32 rounding per operation); with
// u = 2⁻⁵³ it bounds the float64 loop itself and the f64 reference. A backend passes when it is within
// e(backend) + e(float64 loop) of the float64 loop. Flushing to 0 below 2⁻¹²⁶ is part of the rule (see
// src/backend/ref/optimizers.ts); where the error bound straddles 2⁻¹²⁶ the bound grows by 2⁻¹²⁶.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdagradHyper, AdamHyper, Backend, Buf, RmspropHyper, SgdHyper } from '../src/backend/types.js';
import { Random } from '../src/random.js';
import { BACKENDS, ref64Factory, refFactory, SWEEP_SIZES, wasmFactory } from './helpers/backends.js';
import { largestErrors } from './helpers/close.js';

const F32_MIN_NORMAL = 2 ** -126;
const U32 = 2 ** -24;
const U64 = 2 ** -53;

// ---- the published rules, written once over an arithmetic -------------------------------------------------------

interface Arith<T> {
  /** A value read from a buffer (exact). */
  input(x: number): T;
  /** A per-call constant: computed in float64, then rounded to the working precision. */
  k(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sqrt(a: T): T;
  max(a: T, b: T): T;
  /** The stored-state rule: magnitudes below 2⁻¹²⁶ become +0. */
  flush(a: T): T;
}

/** A float64 value of the rule and a bound on how far an evaluation in the analysed precision may be from exact. */
interface Bounded {
  x: number;
  e: number;
}

function boundedArith(u: number, underflow: number): Arith<Bounded> {
  const round = (x: number, e: number): Bounded => ({ x, e: e + u * (Math.abs(x) + e) + underflow });
  return {
    input: (x) => ({ x, e: 0 }),
    k: (x) => ({ x, e: u * Math.abs(x) }),
    add: (a, b) => round(a.x + b.x, a.e + b.e),
    sub: (a, b) => round(a.x - b.x, a.e + b.e),
    mul: (a, b) => round(a.x * b.x, Math.abs(a.x) * b.e + Math.abs(b.x) * a.e + a.e * b.e),
    div: (a, b) => {
      const x = a.x / b.x;
      const room = Math.abs(b.x) - b.e;
      return round(x, room > 0 ? (a.e + Math.abs(x) * b.e) / room : Infinity);
    },
    // |√a − √b| ≤ √|a − b|, and ≤ |a − b|/√a.
    sqrt: (a) => {
      const x = Math.sqrt(a.x);
      return round(x, x > 0 ? Math.min(Math.sqrt(a.e), a.e / x) : Math.sqrt(a.e));
    },
    max: (a, b) => ({ x: Math.max(a.x, b.x), e: Math.max(a.e, b.e) }),
    flush: (a) => {
      const small = Math.abs(a.x) < F32_MIN_NORMAL;
      const sure = small ? Math.abs(a.x) + a.e < F32_MIN_NORMAL : Math.abs(a.x) - a.e >= F32_MIN_NORMAL;
      return { x: small ? 0 : a.x, e: sure ? (small ? 0 : a.e) : a.e + F32_MIN_NORMAL };
    },
  };
}

const F32_ANALYSIS = boundedArith(U32, 2 ** -150);
const F64_ANALYSIS = boundedArith(U64, 2 ** -1075);

type StateField = 'velocity' | 'squareAvg' | 'gradAvg' | 'momentumBuf' | 'm' | 'v' | 'vMax' | 'sum';
type Field = 'p' | 'g' | StateField;
type Values<T> = Partial<Record<Field, T>>;
type Hyper = SgdHyper | RmspropHyper | AdamHyper | AdagradHyper;

interface Optimizer<H extends Hyper> {
  name: 'sgdStep' | 'rmspropStep' | 'adamStep' | 'adagradStep';
  /** The state buffers these hyper-parameters use. */
  state(hp: H): StateField[];
  /** One call of the backend's update. Absent buffers are passed as null. */
  step(be: Backend, n: number, bufs: Values<Buf>, hp: H): void;
  /** The published rule for one element: the new parameter and state. */
  rule<T>(A: Arith<T>, hp: H, x: Values<T>): Values<T>;
}

/** PyTorch's torch.optim.SGD. */
const SGD: Optimizer<SgdHyper> = {
  name: 'sgdStep',
  state: (hp) => (hp.momentum > 0 ? ['velocity'] : []),
  step: (be, n, b, hp) => be.sgdStep(n, b.p!, b.g!, b.velocity ?? null, hp),
  rule(A, hp, x) {
    let d = x.g!;
    if (hp.weightDecay !== 0) d = A.add(d, A.mul(A.k(hp.weightDecay), x.p!));
    if (hp.momentum === 0) return { p: A.sub(x.p!, A.mul(A.k(hp.lr), d)) };
    const velocity = A.flush(
      hp.firstStep ? d : A.add(A.mul(A.k(hp.momentum), x.velocity!), A.mul(A.k(1 - hp.dampening), d)),
    );
    d = hp.nesterov ? A.add(d, A.mul(A.k(hp.momentum), velocity)) : velocity;
    return { p: A.sub(x.p!, A.mul(A.k(hp.lr), d)), velocity };
  },
};

/** PyTorch's torch.optim.RMSprop, with √ of the centered variance clamped at 0. */
const RMSPROP: Optimizer<RmspropHyper> = {
  name: 'rmspropStep',
  state: (hp) => ['squareAvg', ...(hp.centered ? ['gradAvg' as const] : []), ...(hp.momentum > 0 ? ['momentumBuf' as const] : [])],
  step: (be, n, b, hp) => be.rmspropStep(n, b.p!, b.g!, b.squareAvg!, b.gradAvg ?? null, b.momentumBuf ?? null, hp),
  rule(A, hp, x) {
    let g = x.g!;
    if (hp.weightDecay !== 0) g = A.add(g, A.mul(A.k(hp.weightDecay), x.p!));
    const out: Values<typeof g> = {};
    out.squareAvg = A.flush(A.add(A.mul(A.k(hp.alpha), x.squareAvg!), A.mul(A.k(1 - hp.alpha), A.mul(g, g))));
    let variance = out.squareAvg;
    if (hp.centered) {
      out.gradAvg = A.flush(A.add(A.mul(A.k(hp.alpha), x.gradAvg!), A.mul(A.k(1 - hp.alpha), g)));
      variance = A.max(A.sub(variance, A.mul(out.gradAvg, out.gradAvg)), A.k(0));
    }
    const ratio = A.div(g, A.add(A.sqrt(variance), A.k(hp.eps)));
    if (hp.momentum > 0) {
      out.momentumBuf = A.flush(A.add(A.mul(A.k(hp.momentum), x.momentumBuf!), ratio));
      out.p = A.sub(x.p!, A.mul(A.k(hp.lr), out.momentumBuf));
    } else {
      out.p = A.sub(x.p!, A.mul(A.k(hp.lr), ratio));
    }
    return out;
  },
};

/** PyTorch's torch.optim.Adam (weight_decay as L2) and AdamW (decoupled), with amsgrad. */
const ADAM: Optimizer<AdamHyper> = {
  name: 'adamStep',
  state: (hp) => ['m', 'v', ...(hp.amsgrad ? ['vMax' as const] : [])],
  step: (be, n, b, hp) => be.adamStep(n, b.p!, b.g!, b.m!, b.v!, b.vMax ?? null, hp),
  rule(A, hp, x) {
    let p = x.p!;
    let g = x.g!;
    if (hp.weightDecay !== 0) {
      if (hp.decoupledWeightDecay) p = A.mul(p, A.k(1 - hp.lr * hp.weightDecay));
      else g = A.add(g, A.mul(A.k(hp.weightDecay), p));
    }
    const m = A.flush(A.add(A.mul(A.k(hp.beta1), x.m!), A.mul(A.k(1 - hp.beta1), g)));
    const v = A.flush(A.add(A.mul(A.k(hp.beta2), x.v!), A.mul(A.k(1 - hp.beta2), A.mul(g, g))));
    const vMax = hp.amsgrad ? A.flush(A.max(x.vMax!, v)) : undefined;
    const denom = A.add(A.div(A.sqrt(vMax ?? v), A.k(Math.sqrt(hp.biasCorrection2))), A.k(hp.eps));
    p = A.sub(p, A.mul(A.k(hp.lr / hp.biasCorrection1), A.div(m, denom)));
    return vMax === undefined ? { p, m, v } : { p, m, v, vMax };
  },
};

/** PyTorch's torch.optim.Adagrad (the caller folds lr_decay into lr). */
const ADAGRAD: Optimizer<AdagradHyper> = {
  name: 'adagradStep',
  state: () => ['sum'],
  step: (be, n, b, hp) => be.adagradStep(n, b.p!, b.g!, b.sum!, hp),
  rule(A, hp, x) {
    let g = x.g!;
    if (hp.weightDecay !== 0) g = A.add(g, A.mul(A.k(hp.weightDecay), x.p!));
    const sum = A.flush(A.add(x.sum!, A.mul(g, g)));
    return { p: A.sub(x.p!, A.mul(A.k(hp.lr), A.div(g, A.add(A.sqrt(sum), A.k(hp.eps))))), sum };
  },
};

// ---- the cases: every option, with the per-step hyper-parameters a caller computes ---------------------------------

interface Case<H extends Hyper = Hyper> {
  label: string;
  opt: Optimizer<H>;
  /** The usual learning rate; the conformance suite also runs every case with lr = 10. */
  lr: number;
  /** What the caller passes at step t ≥ 1: the first-step flag, bias corrections in float64, a decayed lr. */
  hyper(t: number, lr: number): H;
  /** Initial state as a front end creates it; 0 when not given. */
  init?: Partial<Record<StateField, number>>;
}

const sgd = (o: Partial<SgdHyper> = {}) => (t: number, lr: number): SgdHyper => ({
  lr, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: t === 1, ...o,
});
const rmsprop = (o: Partial<RmspropHyper> = {}) => (_t: number, lr: number): RmspropHyper => ({
  lr, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, weightDecay: 0, ...o,
});
const adam = (o: Partial<AdamHyper> = {}) => (t: number, lr: number): AdamHyper => {
  const beta1 = o.beta1 ?? 0.9;
  const beta2 = o.beta2 ?? 0.999;
  return {
    lr, beta1, beta2, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, amsgrad: false, ...o,
    biasCorrection1: 1 - beta1 ** t,
    biasCorrection2: 1 - beta2 ** t,
  };
};
const adagrad = (o: Partial<AdagradHyper> = {}, lrDecay = 0) => (t: number, lr: number): AdagradHyper => ({
  lr: lr / (1 + (t - 1) * lrDecay), eps: 1e-10, weightDecay: 0, ...o,
});

// The velocity starts as NaN: the first SGD step must not read it.
const CASES: Case[] = [
  { label: 'sgd plain', opt: SGD, lr: 0.1, hyper: sgd() },
  { label: 'sgd momentum', opt: SGD, lr: 0.1, hyper: sgd({ momentum: 0.9 }), init: { velocity: NaN } },
  { label: 'sgd dampening', opt: SGD, lr: 0.1, hyper: sgd({ momentum: 0.9, dampening: 0.3 }), init: { velocity: NaN } },
  { label: 'sgd nesterov', opt: SGD, lr: 0.1, hyper: sgd({ momentum: 0.8, nesterov: true }), init: { velocity: NaN } },
  { label: 'sgd weight decay', opt: SGD, lr: 0.1, hyper: sgd({ weightDecay: 0.01 }) },
  { label: 'sgd all', opt: SGD, lr: 0.05, hyper: sgd({ momentum: 0.7, nesterov: true, weightDecay: 0.1 }), init: { velocity: NaN } },
  { label: 'rmsprop plain', opt: RMSPROP, lr: 0.01, hyper: rmsprop() },
  { label: 'rmsprop centered', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ centered: true }) },
  { label: 'rmsprop momentum', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ momentum: 0.9 }) },
  { label: 'rmsprop weight decay', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ weightDecay: 0.1 }) },
  { label: 'rmsprop all', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.01 }) },
  { label: 'adam plain', opt: ADAM, lr: 1e-3, hyper: adam() },
  { label: 'adam weight decay (L2)', opt: ADAM, lr: 1e-3, hyper: adam({ weightDecay: 0.1 }) },
  { label: 'adamw (decoupled)', opt: ADAM, lr: 1e-3, hyper: adam({ weightDecay: 0.01, decoupledWeightDecay: true }) },
  { label: 'adam amsgrad', opt: ADAM, lr: 1e-3, hyper: adam({ amsgrad: true, beta1: 0.8, beta2: 0.99 }) },
  { label: 'adamw amsgrad', opt: ADAM, lr: 1e-3, hyper: adam({ amsgrad: true, weightDecay: 0.05, decoupledWeightDecay: true }) },
  { label: 'adagrad plain', opt: ADAGRAD, lr: 0.01, hyper: adagrad() },
  { label: 'adagrad weight decay', opt: ADAGRAD, lr: 0.01, hyper: adagrad({ weightDecay: 0.1 }), init: { sum: 0.1 } },
  { label: 'adagrad lr decay', opt: ADAGRAD, lr: 0.01, hyper: adagrad({}, 0.1) },
] as Case[];

// ---- running the rule and the backends ------------------------------------------------------------------------------

type Arrays = Partial<Record<Field, Float32Array>>;

/**
 * The float64 rule over `grads.length` steps starting at step t0, element by element, in the analysed precision:
 * expected values and error bounds per field.
 */
function ruleTrajectory(c: Case, lr: number, n: number, start: Arrays, grads: Float32Array[], A: Arith<Bounded>, t0 = 1) {
  const fields = ['p', ...c.opt.state(c.hyper(t0, lr))] as Field[];
  const x = Object.fromEntries(fields.map((f) => [f, new Float64Array(n)])) as Record<Field, Float64Array>;
  const e = Object.fromEntries(fields.map((f) => [f, new Float64Array(n)])) as Record<Field, Float64Array>;
  for (let i = 0; i < n; i++) {
    let at: Values<Bounded> = Object.fromEntries(fields.map((f) => [f, A.input(start[f]![i]!)]));
    grads.forEach((g, s) => {
      at = { ...at, ...c.opt.rule(A, c.hyper(t0 + s, lr), { ...at, g: A.input(g[i]!) }) };
    });
    for (const f of fields) {
      x[f][i] = at[f]!.x;
      e[f][i] = at[f]!.e;
    }
  }
  return { fields, x, e };
}

const GUARD = 3;
const GUARD_VALUE = -12345.5;

/** Runs the backend's update `grads.length` times from `start` and reads back p and the state (guards checked). */
function runBackend(be: Backend, c: Case, lr: number, n: number, start: Arrays, grads: Float32Array[], t0 = 1) {
  const fields = ['p', ...c.opt.state(c.hyper(t0, lr))] as Field[];
  const bufs: Values<Buf> = {};
  for (const f of [...fields, 'g' as const]) {
    bufs[f] = be.alloc(n + GUARD);
    be.write(bufs[f]!, new Float32Array(n + GUARD).fill(GUARD_VALUE));
    if (f !== 'g') be.write(bufs[f]!, start[f]!);
  }
  grads.forEach((g, s) => {
    be.write(bufs.g!, g);
    c.opt.step(be, n, bufs, c.hyper(t0 + s, lr));
  });
  const out: Partial<Record<Field, Float32Array | Float64Array>> = {};
  for (const f of fields) {
    const all = be.read(bufs[f]!);
    expect(Array.from(all.subarray(n)), `${f} past n`).toEqual(new Array(GUARD).fill(GUARD_VALUE));
    out[f] = all.subarray(0, n);
  }
  for (const f of [...fields, 'g' as const]) be.free(bufs[f]!);
  return out;
}

/** The initial state a front end creates for case c (PyTorch: zeros, or the given init). */
function initialState(c: Case, n: number, seed: number): Arrays {
  const rng = new Random(seed);
  const s: Arrays = { p: Float32Array.from({ length: n }, () => rng.uniform(-1, 1)) };
  for (const f of c.opt.state(c.hyper(1, c.lr))) s[f] = new Float32Array(n).fill(c.init?.[f] ?? 0);
  return s;
}

/** A state in the middle of a run: random, but consistent (second moments ≥ 0, centered s ≥ ḡ²). */
function midRunState(c: Case, n: number, seed: number): Arrays {
  const rng = new Random(seed);
  const r = (lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  const s: Arrays = { p: r(-1, 1) };
  for (const f of c.opt.state(c.hyper(3, c.lr))) {
    if (f === 'gradAvg') s[f] = s.squareAvg!.map((sq) => Math.sqrt(sq) * rng.uniform(-1, 1));
    else s[f] = f === 'velocity' || f === 'momentumBuf' || f === 'm' ? r(-1, 1) : r(0, 1);
  }
  return s;
}

function randomGrads(steps: number, n: number, seed: number): Float32Array[] {
  const rng = new Random(seed);
  return Array.from({ length: steps }, () => Float32Array.from({ length: n }, () => rng.uniform(-1, 1)));
}

/** Throws with the first mismatches unless |actual − expected| ≤ bound element by element; records the largest error. */
function expectWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, bound: ArrayLike<number>, label: string) {
  const bad: string[] = [];
  let count = 0;
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= bound[i]!)) {
      if (count++ < 5) bad.push(`  [${i}] expected ${expected[i]}, actual ${actual[i]}, abs ${err.toExponential(3)}, bound ${bound[i]!.toExponential(3)}`);
    } else {
      maxAbs = Math.max(maxAbs, err);
      maxRel = Math.max(maxRel, err / Math.max(Math.abs(expected[i]!), 1e-30));
    }
  }
  if (count > 0) throw new Error(`${label}: ${count} of ${expected.length} elements outside the error bound:\n${bad.join('\n')}`);
  const family = label.split(/[\s:(]/)[0]!;
  const seen = largestErrors.get(family) ?? { abs: 0, rel: 0 };
  largestErrors.set(family, { abs: Math.max(seen.abs, maxAbs), rel: Math.max(seen.rel, maxRel) });
}

const sum = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);

// ---- conformance: every backend against the published rule -----------------------------------------------------------

for (const factory of [...BACKENDS, ref64Factory]) {
  describe(`optimizer conformance: ${factory.name}`, () => {
    let be: Backend;
    beforeAll(async () => {
      be = await factory.create();
    });
    const n = 11; // two f32x4 steps and a tail of 3

    for (const c of CASES) {
      for (const lr of [c.lr, 10]) {
        for (const steps of [1, 10]) {
          it(`${c.label}, lr ${lr}, ${steps} step${steps > 1 ? 's' : ''}: follows the published rule`, () => {
            const start = initialState(c, n, 7);
            const grads = randomGrads(steps, n, 11);
            const got = runBackend(be, c, lr, n, start, grads);
            const mine = ruleTrajectory(c, lr, n, start, grads, be.dtype === 'f64' ? F64_ANALYSIS : F32_ANALYSIS);
            const rule = ruleTrajectory(c, lr, n, start, grads, F64_ANALYSIS);
            for (const f of rule.fields) {
              expectWithin(got[f]!, rule.x[f], sum(mine.e[f], rule.e[f]), `${c.opt.name} ${c.label} lr ${lr}: ${f}`);
            }
          });
        }
      }
    }
  });
}

// ---- WASM against the reference ------------------------------------------------------------------------------------

describe('optimizers: WASM against the reference on seeded inputs', () => {
  let ref: Backend;
  let wasm: Backend;
  beforeAll(async () => {
    ref = await refFactory.create();
    wasm = await wasmFactory.create();
  });

  for (const c of CASES) {
    it(`${c.label} over sizes ${SWEEP_SIZES.join(', ')}`, () => {
      for (const n of SWEEP_SIZES) {
        const start = midRunState(c, n, 300 + n);
        const grads = randomGrads(1, n, 500 + n);
        const w = runBackend(wasm, c, c.lr, n, start, grads, 3);
        const r = runBackend(ref, c, c.lr, n, start, grads, 3);
        // WASM is within e32 of the exact rule; the f32 reference is one f32 rounding of a float64 evaluation.
        const e32 = ruleTrajectory(c, c.lr, n, start, grads, F32_ANALYSIS, 3);
        const e64 = ruleTrajectory(c, c.lr, n, start, grads, F64_ANALYSIS, 3);
        for (const f of e32.fields) {
          const refBound = e64.e[f].map((e, i) => e + U32 * (Math.abs(e64.x[f][i]!) + e) + 2 ** -150);
          expectWithin(w[f]!, r[f]!, sum(e32.e[f], refBound), `${c.opt.name} ${c.label} (n=${n}): ${f}`);
        }
      }
    });
  }

  it('gives every element the same bits whether it falls in an f32x4 step or in the tail', () => {
    for (const c of CASES) {
      const start = midRunState(c, 8, 17);
      const grads = randomGrads(2, 8, 19);
      const whole = runBackend(wasm, c, c.lr, 8, start, grads, 3);
      const cut = (a: Arrays, k: number) => Object.fromEntries(Object.entries(a).map(([f, v]) => [f, v.subarray(k)]));
      // Elements 1..7 moved to offsets 0..6: elements 5..7 go through the tail instead of an f32x4 step.
      const shifted = runBackend(wasm, c, c.lr, 7, cut(start, 1), grads.map((g) => g.subarray(1)), 3);
      for (const f of Object.keys(whole) as Field[]) {
        expect(Array.from(shifted[f]!), `${c.label}: ${f}`).toEqual(Array.from(whole[f]!.subarray(1)));
      }
    }
  });
});
