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
  rule<T extends {}>(A: Arith<T>, hp: H, x: Values<T>): Values<T>;
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
  state: (hp) => [
    'squareAvg',
    ...(hp.centered ? ['gradAvg' as const] : []),
    ...(hp.momentum > 0 ? ['momentumBuf' as const] : []),
  ],
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
  // Every branch of the kernels' option switches has a case: momentum with weight decay and no Nesterov (and
  // dampening), below, and likewise for RMSprop and Adam.
  {
    label: 'sgd momentum dampening weight decay', opt: SGD, lr: 0.1,
    hyper: sgd({ momentum: 0.9, dampening: 0.2, weightDecay: 0.05 }), init: { velocity: NaN },
  },
  {
    label: 'sgd all', opt: SGD, lr: 0.05, hyper: sgd({ momentum: 0.7, nesterov: true, weightDecay: 0.1 }),
    init: { velocity: NaN },
  },
  { label: 'rmsprop plain', opt: RMSPROP, lr: 0.01, hyper: rmsprop() },
  { label: 'rmsprop centered', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ centered: true }) },
  { label: 'rmsprop momentum', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ momentum: 0.9 }) },
  { label: 'rmsprop weight decay', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ weightDecay: 0.1 }) },
  { label: 'rmsprop centered momentum', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ centered: true, momentum: 0.9 }) },
  {
    label: 'rmsprop momentum weight decay', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ momentum: 0.5, weightDecay: 0.1 }),
  },
  {
    label: 'rmsprop centered weight decay', opt: RMSPROP, lr: 0.01, hyper: rmsprop({ centered: true, weightDecay: 0.1 }),
  },
  {
    label: 'rmsprop all', opt: RMSPROP, lr: 0.01,
    hyper: rmsprop({ alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.01 }),
  },
  { label: 'adam plain', opt: ADAM, lr: 1e-3, hyper: adam() },
  { label: 'adam weight decay (L2)', opt: ADAM, lr: 1e-3, hyper: adam({ weightDecay: 0.1 }) },
  { label: 'adamw (decoupled)', opt: ADAM, lr: 1e-3, hyper: adam({ weightDecay: 0.01, decoupledWeightDecay: true }) },
  { label: 'adam amsgrad', opt: ADAM, lr: 1e-3, hyper: adam({ amsgrad: true, beta1: 0.8, beta2: 0.99 }) },
  { label: 'adam amsgrad weight decay (L2)', opt: ADAM, lr: 1e-3, hyper: adam({ amsgrad: true, weightDecay: 0.1 }) },
  {
    label: 'adamw amsgrad', opt: ADAM, lr: 1e-3,
    hyper: adam({ amsgrad: true, weightDecay: 0.05, decoupledWeightDecay: true }),
  },
  { label: 'adagrad plain', opt: ADAGRAD, lr: 0.01, hyper: adagrad() },
  { label: 'adagrad weight decay', opt: ADAGRAD, lr: 0.01, hyper: adagrad({ weightDecay: 0.1 }), init: { sum: 0.1 } },
  { label: 'adagrad lr decay', opt: ADAGRAD, lr: 0.01, hyper: adagrad({}, 0.1) },
] as Case[];

// ---- running the rule and the backends ------------------------------------------------------------------------------

type Arrays = Partial<Record<Field, Float32Array>>;

/** p and the state buffers case c uses at step t. */
const stateFields = (c: Case, t: number, lr: number) => ['p', ...c.opt.state(c.hyper(t, lr))] as Field[];


/**
 * The float64 rule over `grads.length` steps starting at step t0, element by element, in the analysed precision:
 * expected values and error bounds per field.
 */
// prettier-ignore
function ruleTrajectory(c: Case, lr: number, n: number, start: Arrays, grads: Float32Array[], A: Arith<Bounded>,
  t0 = 1) {
  const fields = stateFields(c, t0, lr);
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

/** Buffers for case c with n elements plus GUARD guard cells, holding `start` (the gradient buffer is left to fill). */
function allocBuffers(be: Backend, fields: Field[], n: number, start: Arrays): Values<Buf> {
  const bufs: Values<Buf> = {};
  for (const f of [...fields, 'g' as const]) {
    bufs[f] = be.alloc(n + GUARD);
    be.write(bufs[f]!, new Float32Array(n + GUARD).fill(GUARD_VALUE));
    if (f !== 'g') be.write(bufs[f]!, start[f]!);
  }
  return bufs;
}

type ReadBack = Partial<Record<Field, Float32Array | Float64Array>>;

/** Reads back the first n elements of each field, checking that the guard cells are untouched. */
function readBack(be: Backend, fields: Field[], n: number, bufs: Values<Buf>): ReadBack {
  const out: ReadBack = {};
  for (const f of fields) {
    const all = be.read(bufs[f]!);
    expect(Array.from(all.subarray(n)), `${f} past n`).toEqual(new Array(GUARD).fill(GUARD_VALUE));
    out[f] = all.subarray(0, n);
  }
  return out;
}

/** Runs the backend's update `grads.length` times from `start` and reads back p and the state (guards checked). */
function runBackend(be: Backend, c: Case, lr: number, n: number, start: Arrays, grads: Float32Array[], t0 = 1) {
  const fields = stateFields(c, t0, lr);
  const bufs = allocBuffers(be, fields, n, start);
  grads.forEach((g, s) => {
    be.write(bufs.g!, g);
    c.opt.step(be, n, bufs, c.hyper(t0 + s, lr));
  });
  const out = readBack(be, fields, n, bufs);
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

/** Throws with the first mismatches unless |actual − expected| ≤ bound elementwise; records the largest error. */
// prettier-ignore
function expectWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, bound: ArrayLike<number>, label: string) {
  const bad: string[] = [];
  let count = 0;
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= bound[i]!)) {
      if (count++ < 5) {
        const [abs, most] = [err.toExponential(3), bound[i]!.toExponential(3)];
        bad.push(`  [${i}] expected ${expected[i]}, actual ${actual[i]}, abs ${abs}, bound ${most}`);
      }
    } else {
      maxAbs = Math.max(maxAbs, err);
      maxRel = Math.max(maxRel, err / Math.max(Math.abs(expected[i]!), 1e-30));
    }
  }
  if (count > 0) {
    throw new Error(`${label}: ${count} of ${expected.length} elements outside the error bound:\n${bad.join('\n')}`);
  }
  const family = label.split(/[\s:(]/)[0]!;
  const seen = largestErrors.get(family) ?? { abs: 0, rel: 0 };
  largestErrors.set(family, { abs: Math.max(seen.abs, maxAbs), rel: Math.max(seen.rel, maxRel) });
}

const sum = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);

/**
 * Checks what backend `be` computed (`got`, after steps 1..grads.length from `start`) against the float64 rule: within
 * the bound for an evaluation in the backend's precision plus the bound for the float64 loop itself.
 */
// prettier-ignore
function expectFollowsRule(be: Backend, got: ReadBack, c: Case, lr: number, start: Arrays, grads: Float32Array[],
  label: string): void {
  const n = start.p!.length;
  const mine = ruleTrajectory(c, lr, n, start, grads, be.dtype === 'f64' ? F64_ANALYSIS : F32_ANALYSIS);
  const rule = ruleTrajectory(c, lr, n, start, grads, F64_ANALYSIS);
  for (const f of rule.fields) expectWithin(got[f]!, rule.x[f], sum(mine.e[f], rule.e[f]), `${label}: ${f}`);
}

// ---- conformance: every backend against the published rule ----------------------------------------------------

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
            expectFollowsRule(be, got, c, lr, start, grads, `${c.opt.name} ${c.label} lr ${lr}`);
          });
        }
      }
    }

    it('centered rmsprop where s = ḡ² exactly (variance 0, rounding may make it negative): clamped, no NaN', () => {
      const hyper = rmsprop({ centered: true, eps: 0.01 });
      const c: Case = { label: 'rmsprop centered eps 0.01', opt: RMSPROP, lr: 0.01, hyper };
      // g = k/64: g² is exact in f32, so the state starts exactly on s = ḡ² and a constant gradient keeps it there in
      // exact arithmetic; for these k, f32 rounding (α = 0.99) takes s − ḡ² below 0 in the first three steps.
      const g = Float32Array.from([-33, -29, -28, -14, -7, 7, 14, 28, 29, 33, 1], (k) => k / 64);
      const start: Arrays = { p: new Float32Array(n).fill(0.5), squareAvg: g.map((x) => x * x), gradAvg: g.slice() };
      const grads = [g, g, g];
      const got = runBackend(be, c, c.lr, n, start, grads);
      for (const f of Object.keys(got) as Field[]) expect(got[f]!.every(Number.isFinite), f).toBe(true);
      // On this knife edge the computed variance is rounding noise: its own row in the error table.
      expectFollowsRule(be, got, c, c.lr, start, grads, 'rmspropStep.variance0 centered s = ḡ²');
    });
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

// ---- state flushing below 2⁻¹²⁶ --------------------------------------------------------------------------------

/** The state that decays geometrically while the gradient is 0 (v̂ and Adagrad's sum do not decay). */
const DECAYING: readonly Field[] = ['velocity', 'squareAvg', 'gradAvg', 'momentumBuf', 'm', 'v'];

// One step with gradients from 2 down to 1e-20 (some squares are subnormal at once), then zero gradients long enough
// for every decaying state value to pass below 2⁻¹²⁶ (e.g. Adam's v: 0.2·0.95ᵗ < 2⁻¹²⁶ from t ≈ 1670).
const FIRST_GRAD = Float32Array.of(2, -1, 0.5, 1e-3, -1e-6, 3e-10, 1e-15, 1e-19, -1e-20);
const FLUSH_RUNS: { c: Case; steps: number }[] = [
  { c: { label: 'sgd momentum 0.9', opt: SGD, lr: 0.1, hyper: sgd({ momentum: 0.9 }) }, steps: 1000 },
  {
    c: {
      label: 'rmsprop α 0.9 centered momentum 0.9', opt: RMSPROP, lr: 0.01,
      hyper: rmsprop({ alpha: 0.9, centered: true, momentum: 0.9 }),
    },
    steps: 1000,
  },
  { c: { label: 'adam β 0.9, 0.95', opt: ADAM, lr: 1e-3, hyper: adam({ beta2: 0.95 }) }, steps: 2000 },
  {
    c: {
      label: 'adamw amsgrad β 0.9, 0.95', opt: ADAM, lr: 1e-3,
      hyper: adam({ beta2: 0.95, amsgrad: true, weightDecay: 0.01, decoupledWeightDecay: true }),
    },
    steps: 2000,
  },
] as { c: Case; steps: number }[];

const isStorable = (x: number) => x === 0 || Math.abs(x) >= F32_MIN_NORMAL;

for (const factory of [...BACKENDS, ref64Factory]) {
  describe(`optimizer state flushing: ${factory.name}`, () => {
    let be: Backend;
    beforeAll(async () => {
      be = await factory.create();
    });

    for (const { c, steps } of FLUSH_RUNS) {
      it(`${c.label}: ${steps} zero-gradient steps take the decaying state to +0, never via a subnormal`, () => {
        const n = FIRST_GRAD.length;
        const start = initialState(c, n, 3);
        const grads = [FIRST_GRAD, ...new Array<Float32Array>(steps - 1).fill(new Float32Array(n))];
        const fields = stateFields(c, 1, c.lr);
        const bufs = allocBuffers(be, fields, n, start);
        grads.forEach((g, s) => {
          be.write(bufs.g!, g);
          c.opt.step(be, n, bufs, c.hyper(s + 1, c.lr));
          const now = readBack(be, fields, n, bufs);
          for (const f of fields.filter((f) => f !== 'p')) {
            const bad = Array.from(now[f]!).find((x) => !isStorable(x));
            if (bad !== undefined) throw new Error(`step ${s + 1}: ${f} holds ${bad}, neither 0 nor normal`);
          }
        });
        const end = readBack(be, fields, n, bufs);
        for (const f of [...fields, 'g' as const]) be.free(bufs[f]!);

        // Without flushing, every decaying value would still be nonzero, below 2⁻¹²⁶ (float64 keeps it).
        const unflushed = ruleTrajectory(c, c.lr, n, start, grads, { ...F64_ANALYSIS, flush: (a) => a });
        const decaying = fields.filter((f) => DECAYING.includes(f));
        expect(decaying.length).toBeGreaterThan(0);
        for (const f of decaying) {
          expect(Array.from(unflushed.x[f]).every((x) => x !== 0 && Math.abs(x) < F32_MIN_NORMAL), f).toBe(true);
          expect(Array.from(end[f]!), f).toEqual(new Array(n).fill(0));
          expect(Array.from(end[f]!).every((x) => Object.is(x, 0)), `${f} is +0`).toBe(true);
        }
        // And the whole run follows the rule, flushing included.
        expectFollowsRule(be, end, c, c.lr, start, grads, `${c.opt.name}.flush ${c.label}`);
      });
    }

    it('adagrad: squared gradients below 2⁻¹²⁶ leave the sum at exactly 0 (it never accumulates subnormals)', () => {
      const c: Case = { label: 'adagrad', opt: ADAGRAD, lr: 0.01, hyper: adagrad() };
      // 3e-23² rounds to the smallest f32 subnormal, 1e-20² and 1e-19² are subnormal; 2e-19² = 4e-38 is normal.
      const g = Float32Array.of(3e-23, -1e-20, 1e-19, 2e-19, -2e-19);
      const n = g.length;
      const start: Arrays = { p: new Float32Array(n).fill(1), sum: new Float32Array(n) };
      const grads = new Array<Float32Array>(100).fill(g);
      const got = runBackend(be, c, c.lr, n, start, grads);
      expect(Array.from(got.sum!.subarray(0, 3))).toEqual([0, 0, 0]);
      expect(Array.from(got.sum!.subarray(3)).every((x) => x >= 100 * 4e-38 * (1 - 1e-6))).toBe(true);
      expectFollowsRule(be, got, c, c.lr, start, grads, 'adagradStep.flush');
    });

    it('never flushes parameters: subnormal parameters with zero gradients stay bit for bit', () => {
      const p = Float32Array.of(1e-40, -3e-39, 2 ** -149, -(2 ** -149), 1.1e-38, 0, -0.5);
      const n = p.length;
      for (const c of CASES.filter((k) => k.hyper(1, k.lr).weightDecay === 0)) {
        const start = { ...initialState(c, n, 5), p };
        const got = runBackend(be, c, c.lr, n, start, [new Float32Array(n), new Float32Array(n), new Float32Array(n)]);
        expect(Array.from(got.p!), c.label).toEqual(Array.from(p));
      }
    });
  });
}

// ---- bad hyper-parameters and missing buffers ---------------------------------------------------------------------

interface BadCall {
  c: Case;
  /** Hyper-parameter changes (any type: the checks are for JavaScript callers too). */
  change?: Record<string, unknown>;
  /** A state buffer passed as null. */
  drop?: StateField;
  /** The argument the error must name. */
  names: string;
}

const byLabel = (label: string) => CASES.find((c) => c.label === label)!;
const SGD_ALL = byLabel('sgd all');
const RMSPROP_ALL = byLabel('rmsprop all');
const ADAMW_AMSGRAD = byLabel('adamw amsgrad');
const ADAGRAD_WD = byLabel('adagrad weight decay');

const BAD_CALLS: BadCall[] = [
  // NaN in every numeric hyper-parameter of every optimizer.
  ...[SGD_ALL, RMSPROP_ALL, ADAMW_AMSGRAD, ADAGRAD_WD].flatMap((c) =>
    Object.entries(c.hyper(2, c.lr))
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => ({ c, change: { [k]: NaN }, names: k })),
  ),
  { c: SGD_ALL, change: { lr: -0.1 }, names: 'lr' },
  { c: SGD_ALL, change: { lr: Infinity }, names: 'lr' },
  { c: SGD_ALL, change: { momentum: 1 }, names: 'momentum' },
  { c: SGD_ALL, change: { dampening: 1.5 }, names: 'dampening' },
  { c: SGD_ALL, change: { weightDecay: -1 }, names: 'weightDecay' },
  { c: SGD_ALL, change: { momentum: 0 }, names: 'nesterov' },
  { c: SGD_ALL, change: { dampening: 0.5 }, names: 'nesterov' },
  { c: SGD_ALL, change: { nesterov: 1 }, names: 'nesterov' },
  { c: SGD_ALL, drop: 'velocity', names: 'velocity' },
  { c: RMSPROP_ALL, change: { lr: -1 }, names: 'lr' },
  { c: RMSPROP_ALL, change: { alpha: 1 }, names: 'alpha' },
  { c: RMSPROP_ALL, change: { eps: 0 }, names: 'eps' },
  { c: RMSPROP_ALL, change: { eps: -1e-8 }, names: 'eps' },
  { c: RMSPROP_ALL, change: { momentum: -0.5 }, names: 'momentum' },
  { c: RMSPROP_ALL, drop: 'squareAvg', names: 'squareAvg' },
  { c: RMSPROP_ALL, drop: 'gradAvg', names: 'gradAvg' },
  { c: RMSPROP_ALL, drop: 'momentumBuf', names: 'momentumBuf' },
  { c: ADAMW_AMSGRAD, change: { lr: -1e-3 }, names: 'lr' },
  { c: ADAMW_AMSGRAD, change: { beta1: 1 }, names: 'beta1' },
  { c: ADAMW_AMSGRAD, change: { beta2: 1 }, names: 'beta2' },
  { c: ADAMW_AMSGRAD, change: { beta1: -0.1 }, names: 'beta1' },
  { c: ADAMW_AMSGRAD, change: { eps: 0 }, names: 'eps' },
  { c: ADAMW_AMSGRAD, change: { weightDecay: -0.01 }, names: 'weightDecay' },
  { c: ADAMW_AMSGRAD, change: { biasCorrection1: 0 }, names: 'biasCorrection1' },
  { c: ADAMW_AMSGRAD, change: { biasCorrection2: 1.5 }, names: 'biasCorrection2' },
  { c: ADAMW_AMSGRAD, change: { amsgrad: 'yes' }, names: 'amsgrad' },
  { c: ADAMW_AMSGRAD, drop: 'm', names: 'm' },
  { c: ADAMW_AMSGRAD, drop: 'v', names: 'v' },
  { c: ADAMW_AMSGRAD, drop: 'vMax', names: 'vMax' },
  { c: ADAGRAD_WD, change: { lr: -0.01 }, names: 'lr' },
  { c: ADAGRAD_WD, change: { eps: 0 }, names: 'eps' },
  { c: ADAGRAD_WD, change: { weightDecay: -Infinity }, names: 'weightDecay' },
  { c: ADAGRAD_WD, drop: 'sum', names: 'sum' },
];

for (const factory of BACKENDS) {
  describe(`optimizer bad input: ${factory.name}`, () => {
    let be: Backend;
    beforeAll(async () => {
      be = await factory.create();
    });

    for (const bad of BAD_CALLS) {
      const what = bad.drop ? `${bad.drop} = null` : JSON.stringify(bad.change).replace(/null/g, 'NaN');
      it(`${bad.c.opt.name} (${bad.c.label}) with ${what}: an Error naming ${bad.names}, nothing written`, () => {
        const n = 9;
        const c = bad.c;
        const fields = stateFields(c, 2, c.lr);
        const bufs = allocBuffers(be, fields, n, midRunState(c, n, 23));
        be.write(bufs.g!, randomGrads(1, n, 29)[0]!);
        const before = readBack(be, [...fields, 'g'], n, bufs);
        let error: unknown;
        try {
          const hp = { ...c.hyper(2, c.lr), ...bad.change } as Hyper;
          c.opt.step(be, n, bad.drop ? { ...bufs, [bad.drop]: undefined } : bufs, hp);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(WebAssembly.RuntimeError);
        expect((error as Error).message).toMatch(new RegExp(`^${c.opt.name}: ${bad.names}\\b`));
        const after = readBack(be, [...fields, 'g'], n, bufs);
        for (const f of [...fields, 'g' as const]) expect(Array.from(after[f]!), f).toEqual(Array.from(before[f]!));
        for (const f of [...fields, 'g' as const]) be.free(bufs[f]!);
      });
    }
  });
}

// ---- convergence ---------------------------------------------------------------------------------------------------

/** Runs `steps` updates from `start`, the gradient computed here in float64 from the parameters read back each step. */
// prettier-ignore
function descend(be: Backend, c: Case, lr: number, start: ArrayLike<number>, grad: (x: Float64Array) => number[],
  steps: number) {
  const n = start.length;
  const fields = stateFields(c, 1, lr);
  const bufs = allocBuffers(be, fields, n, { ...initialState(c, n, 1), p: Float32Array.from(start) });
  let x = Float64Array.from(start);
  for (let t = 1; t <= steps; t++) {
    be.write(bufs.g!, grad(x));
    c.opt.step(be, n, bufs, c.hyper(t, lr));
    x = Float64Array.from(be.read(bufs.p!).subarray(0, n));
  }
  for (const f of [...fields, 'g' as const]) be.free(bufs[f]!);
  return x;
}

// f(x) = ½ Σ aᵢ(xᵢ − cᵢ)², minimum at c; nine coordinates (two f32x4 steps and a tail).
const PARABOLA_A = [0.5, 1, 2, 0.7, 1.5, 0.9, 1.2, 1.8, 0.6];
const PARABOLA_C = [1, -2, 0.5, 3, -1, 0.25, 2, -0.75, 1.5];
const parabolaGrad = (x: Float64Array) => Array.from(x, (v, i) => PARABOLA_A[i]! * (v - PARABOLA_C[i]!));
// Rosenbrock f(x, y) = (1 − x)² + 100(y − x²)², minimum at (1, 1), from (−1.5, 2).
const rosenbrockGrad = ([x, y]: Float64Array) => [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)];

const CONVERGENCE: { c: Case; parabola: [lr: number, steps: number]; rosenbrock: [lr: number, steps: number] }[] = [
  { c: byLabel('sgd nesterov'), parabola: [0.1, 1000], rosenbrock: [1e-3, 5000] },
  {
    c: { ...RMSPROP_ALL, label: 'rmsprop centered momentum', hyper: rmsprop({ centered: true, momentum: 0.9 }) },
    parabola: [0.01, 1000],
    rosenbrock: [1e-3, 5000],
  },
  { c: byLabel('adam plain'), parabola: [0.05, 1000], rosenbrock: [0.01, 5000] },
  { c: byLabel('adagrad plain'), parabola: [0.5, 1000], rosenbrock: [0.5, 20000] },
];

for (const factory of BACKENDS) {
  describe(`optimizer convergence: ${factory.name}`, () => {
    let be: Backend;
    beforeAll(async () => {
      be = await factory.create();
    });

    for (const { c, parabola, rosenbrock } of CONVERGENCE) {
      it(`${c.label} reaches the minimum of a parabola to 1e-5 in ${parabola[1]} steps (lr ${parabola[0]})`, () => {
        const x = descend(be, c, parabola[0], new Float64Array(9), parabolaGrad, parabola[1]);
        const worst = Math.max(...Array.from(x, (v, i) => Math.abs(v - PARABOLA_C[i]!)));
        expect(worst).toBeLessThan(1e-5);
      });
      it(`${c.label} reaches (1, 1) on Rosenbrock to 1e-3 in ${rosenbrock[1]} steps (lr ${rosenbrock[0]})`, () => {
        const [x, y] = descend(be, c, rosenbrock[0], [-1.5, 2], rosenbrockGrad, rosenbrock[1]);
        expect(Math.hypot(x! - 1, y! - 1)).toBeLessThan(1e-3);
      });
    }
  });
}
