// The optimizer classes: the stateful facade over the update kernels. Trajectories of 10 steps through the facade
// against hand-written float64 loops of each published rule (step counting, bias corrections, first-step velocity,
// learning-rate decay and schedules are the facade's job), hyper-parameter validation on construction and on change,
// clipping, and schedules.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../../src/backend/ref/backend.js';
import { Param, ParamArena } from '../../src/nn/arena.js';
import { Adagrad } from '../../src/nn/optimizers/adagrad.js';
import { Adam, AdamW } from '../../src/nn/optimizers/adam.js';
import { resolveOptimizer } from '../../src/nn/optimizers/index.js';
import type { Optimizer } from '../../src/nn/optimizers/optimizer.js';
import { RMSprop } from '../../src/nn/optimizers/rmsprop.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { CosineDecay, ExponentialDecay, StepDecay } from '../../src/nn/schedules.js';
import { wasmFactory } from '../helpers/backends.js';
import { expectClose } from '../helpers/close.js';
import { randomRows } from './helpers.js';

const be = new RefBackend({ dtype: 'f64' });
const N = 7;
const STEPS = 10;

/** θ₀ and the gradient of J(θ) = Σ a_i·θ_i² / 2 + b_i·θ_i (a different gradient at every step). */
const theta0 = randomRows(1, N, 1);
const a = randomRows(1, N, 2, 0.5, 2);
const b = randomRows(1, N, 3);
const gradient = (theta: Float64Array) => theta.map((t, i) => a[i]! * t + b[i]!);

/** Runs `opt` for STEPS steps from θ₀ through a two-parameter arena (sizes 3 and 4: padding in between). */
function facadeTrajectory(opt: Optimizer): Float64Array {
  const params = [new Param('p/a', [3], 3, 1), new Param('p/b', [4], 4, 1)];
  const arena = new ParamArena(be, params);
  be.write(params[0]!.value, theta0.subarray(0, 3));
  be.write(params[1]!.value, theta0.subarray(3));
  opt.attach(arena);
  const theta = new Float64Array(N);
  for (let t = 0; t < STEPS; t++) {
    be.read(params[0]!.value, theta.subarray(0, 3));
    be.read(params[1]!.value, theta.subarray(3));
    const g = gradient(theta);
    opt.zeroGrad();
    void arena.grads;
    be.write(params[0]!.grad, g.subarray(0, 3));
    be.write(params[1]!.grad, g.subarray(3));
    opt.step();
  }
  be.read(params[0]!.value, theta.subarray(0, 3));
  be.read(params[1]!.value, theta.subarray(3));
  expect(opt.iterations).toBe(STEPS);
  opt.dispose();
  arena.dispose();
  return theta;
}

/** The same run with a hand-written per-element update rule in float64. */
function loopTrajectory(update: (t: number, i: number, theta: number, g: number, s: number[]) => number, slots: number) {
  const theta = Float64Array.from(theta0);
  const state = Array.from({ length: N }, () => new Array<number>(slots).fill(0));
  for (let t = 1; t <= STEPS; t++) {
    const g = gradient(theta);
    for (let i = 0; i < N; i++) theta[i] = update(t, i, theta[i]!, g[i]!, state[i]!);
  }
  return theta;
}

// float64 on both sides; the facade and the loop differ only in the order of a few operations.
const TOL = { rtol: 1e-12, atol: 1e-14 };

describe('optimizer trajectories through the facade = the published rules', () => {
  it('SGD', () => {
    const lr = 0.1;
    const got = facadeTrajectory(new SGD({ lr }));
    expectClose(got, loopTrajectory((_t, _i, p, g) => p - lr * g, 0), TOL, 'sgd');
  });

  it('SGD with momentum, dampening and weight decay (velocity = gradient on the first step)', () => {
    const [lr, mu, tau, wd] = [0.05, 0.9, 0.1, 0.01];
    const got = facadeTrajectory(new SGD({ lr, momentum: mu, dampening: tau, weightDecay: wd }));
    const want = loopTrajectory((t, _i, p, g, s) => {
      const d = g + wd * p;
      s[0] = t === 1 ? d : mu * s[0]! + (1 - tau) * d;
      return p - lr * s[0]!;
    }, 1);
    expectClose(got, want, TOL, 'sgd');
  });

  it('SGD with Nesterov momentum', () => {
    const [lr, mu] = [0.05, 0.8];
    const got = facadeTrajectory(new SGD({ lr, momentum: mu, nesterov: true }));
    const want = loopTrajectory((t, _i, p, g, s) => {
      s[0] = t === 1 ? g : mu * s[0]! + g;
      return p - lr * (g + mu * s[0]!);
    }, 1);
    expectClose(got, want, TOL, 'sgd');
  });

  it('RMSprop, centered, with momentum', () => {
    const [lr, alpha, eps, mu] = [0.01, 0.9, 1e-8, 0.5];
    const got = facadeTrajectory(new RMSprop({ lr, alpha, eps, momentum: mu, centered: true }));
    const want = loopTrajectory((_t, _i, p, g, s) => {
      s[0] = alpha * s[0]! + (1 - alpha) * g * g;
      s[1] = alpha * s[1]! + (1 - alpha) * g;
      s[2] = mu * s[2]! + g / (Math.sqrt(s[0]! - s[1]! * s[1]!) + eps);
      return p - lr * s[2]!;
    }, 3);
    expectClose(got, want, TOL, 'rmsprop');
  });

  it('Adam with its bias corrections 1 − βᵗ, at a high learning rate', () => {
    const [lr, b1, b2, eps] = [0.5, 0.9, 0.999, 1e-8];
    const got = facadeTrajectory(new Adam({ lr }));
    const want = loopTrajectory((t, _i, p, g, s) => {
      s[0] = b1 * s[0]! + (1 - b1) * g;
      s[1] = b2 * s[1]! + (1 - b2) * g * g;
      const mHat = s[0]! / (1 - b1 ** t);
      const vHat = s[1]! / (1 - b2 ** t);
      return p - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }, 2);
    expectClose(got, want, { rtol: 1e-10, atol: 1e-12 }, 'adam');
  });

  it('AdamW decays θ by (1 − ηλ) before the Adam update', () => {
    const [lr, b1, b2, eps, wd] = [0.01, 0.8, 0.99, 1e-6, 0.1];
    const got = facadeTrajectory(new AdamW({ lr, beta1: b1, beta2: b2, eps, weightDecay: wd }));
    const want = loopTrajectory((t, _i, p, g, s) => {
      const q = p * (1 - lr * wd);
      s[0] = b1 * s[0]! + (1 - b1) * g;
      s[1] = b2 * s[1]! + (1 - b2) * g * g;
      return q - ((lr / (1 - b1 ** t)) * s[0]!) / (Math.sqrt(s[1]! / (1 - b2 ** t)) + eps);
    }, 2);
    expectClose(got, want, { rtol: 1e-10, atol: 1e-12 }, 'adam');
  });

  it('Adam with AMSGrad keeps the running maximum of v', () => {
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const got = facadeTrajectory(new Adam({ lr, amsgrad: true }));
    const want = loopTrajectory((t, _i, p, g, s) => {
      s[0] = b1 * s[0]! + (1 - b1) * g;
      s[1] = b2 * s[1]! + (1 - b2) * g * g;
      s[2] = Math.max(s[2]!, s[1]!);
      return p - ((lr / (1 - b1 ** t)) * s[0]!) / (Math.sqrt(s[2]!) / Math.sqrt(1 - b2 ** t) + eps);
    }, 3);
    expectClose(got, want, { rtol: 1e-10, atol: 1e-12 }, 'adam');
  });

  it('Adagrad with learning-rate decay and an initial accumulator', () => {
    const [lr, decay, init, eps] = [0.3, 0.1, 0.2, 1e-10];
    const got = facadeTrajectory(new Adagrad({ lr, lrDecay: decay, initialAccumulatorValue: init }));
    const want = loopTrajectory((t, _i, p, g, s) => {
      if (t === 1) s[0] = init;
      s[0] = s[0]! + g * g;
      return p - ((lr / (1 + (t - 1) * decay)) * g) / (Math.sqrt(s[0]!) + eps);
    }, 1);
    expectClose(got, want, TOL, 'adagrad');
  });

  it('a schedule gives the learning rate of each step', () => {
    const schedule = new StepDecay({ lr: 0.2, stepSize: 3, gamma: 0.5 });
    const got = facadeTrajectory(new SGD({ lr: schedule }));
    const want = loopTrajectory((t, _i, p, g) => p - schedule.at(t - 1) * g, 0);
    expectClose(got, want, TOL, 'sgd');
  });

  it('clipNorm rescales the whole gradient to the norm; clipValue clamps each element', () => {
    const clip = 0.05;
    const byNorm = facadeTrajectory(new SGD({ lr: 1, clipNorm: clip }));
    const want = Float64Array.from(theta0);
    for (let t = 0; t < STEPS; t++) {
      const g = gradient(want);
      const norm = Math.hypot(...g);
      for (let i = 0; i < N; i++) want[i]! -= norm > clip ? (g[i]! * clip) / norm : g[i]!;
    }
    expectClose(byNorm, want, TOL, 'clip');
    const byValue = facadeTrajectory(new SGD({ lr: 1, clipValue: clip }));
    expectClose(byValue, loopTrajectory((_t, _i, p, g) => p - Math.min(clip, Math.max(-clip, g)), 0), TOL, 'clip');
  });
});

describe('optimizer hyper-parameters are validated on construction and on change', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['SGD lr NaN', () => new SGD({ lr: NaN }), /SGD: lr must be a finite number ≥ 0.*NaN/],
    ['SGD lr Infinity', () => new SGD({ lr: Infinity }), /SGD: lr .*Infinity/],
    ['SGD momentum 1', () => new SGD({ momentum: 1 }), /SGD: momentum must be in \[0, 1\), got 1/],
    ['SGD nesterov without momentum', () => new SGD({ nesterov: true }), /SGD: nesterov needs momentum > 0/],
    ['Adam beta1 -0.1', () => new Adam({ beta1: -0.1 }), /Adam: beta1 must be in \[0, 1\), got -0.1/],
    ['Adam eps 0', () => new Adam({ eps: 0 }), /Adam: eps must be in \(0, Infinity\), got 0/],
    ['AdamW weightDecay -1', () => new AdamW({ weightDecay: -1 }), /AdamW: weightDecay .*-1/],
    ['RMSprop alpha 1', () => new RMSprop({ alpha: 1 }), /RMSprop: alpha must be in \[0, 1\), got 1/],
    ['Adagrad lrDecay -1', () => new Adagrad({ lrDecay: -1 }), /Adagrad: lrDecay must be a finite number ≥ 0, got -1/],
    ['clipNorm 0', () => new Adam({ clipNorm: 0 }), /Adam: clipNorm must be a finite number > 0, got 0/],
    ['unknown name', () => resolveOptimizer('adamax' as never), /unknown optimizer "adamax"; expected one of sgd, rmsprop, adam, adamw, adagrad/],
    ['StepDecay gamma 2', () => new StepDecay({ lr: 1, stepSize: 1, gamma: 2 }), /StepDecay: gamma must be in \[0, 1\], got 2/],
  ];
  for (const [name, make, message] of cases) {
    it(name, () => expect(make).toThrow(message));
  }

  it('a rejected setter leaves the optimizer as it was', () => {
    const adam = new Adam({ lr: 0.01, beta1: 0.8 });
    expect(() => (adam.beta1 = 1)).toThrow(/Adam: beta1 must be in \[0, 1\), got 1/);
    expect(adam.beta1).toBe(0.8);
    expect(() => (adam.lr = -1)).toThrow(/Adam: lr must be a finite number ≥ 0/);
    expect(() => (adam.lr = NaN)).toThrow(/Adam: lr .*NaN/);
    expect(adam.lr).toBe(0.01);
    const sgd = new SGD({ momentum: 0.9, nesterov: true });
    expect(() => (sgd.momentum = 0)).toThrow(/SGD: nesterov needs momentum > 0/);
    expect(sgd.momentum).toBe(0.9);
    adam.beta2 = 0.9;
    expect(adam.beta2).toBe(0.9);
  });

  it('the step count is validated when set by hand', () => {
    const adam = new Adam();
    for (const bad of [-1, 1.5, NaN]) expect(() => (adam.iterations = bad)).toThrow(/Adam: iterations must be an integer ≥ 0/);
    adam.iterations = 7;
    expect(adam.iterations).toBe(7);
  });

  it('step before attach says how to attach', () => {
    expect(() => new SGD().step()).toThrow(/SGD: not attached to any parameters; compile a model with it or call attach/);
  });
});

describe('Adam bias corrections', () => {
  it('are 1 − βᵗ computed in float64 for every step t, with the β of that step', () => {
    const seen: [number, number][] = [];
    const spy = new RefBackend({ dtype: 'f64' });
    const adamStep = spy.adamStep.bind(spy);
    spy.adamStep = (n, p, g, m, v, vMax, hp) => {
      seen.push([hp.biasCorrection1, hp.biasCorrection2]);
      adamStep(n, p, g, m, v, vMax, hp);
    };
    const arena = new ParamArena(spy, [new Param('p', [3], 3, 1)]);
    const adam = new Adam({ beta1: 0.9, beta2: 0.999 });
    adam.attach(arena);
    for (let t = 1; t <= 5; t++) {
      if (t === 4) adam.beta1 = 0.5;
      adam.step();
    }
    const b1 = (t: number) => (t < 4 ? 0.9 : 0.5);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((t) => [1 - b1(t) ** t, 1 - 0.999 ** t]));
    adam.dispose();
    arena.dispose();
  });

  it('WASM: with β₂ = 0.9999999 (1 − β₂ not representable in float32) the first step still moves each weight by η', async () => {
    // Step 1: m̂ = g and v̂ = g², so θ moves by η·g/(|g| + ε), ≈ η·sign(g). A bias correction rounded to float32
    // (1 − f32(β₂) = 1.19e-7 instead of 1e-7) would move it by η·0.917. The kernel works in float32 from float64
    // hyper-parameters: a few ulps of each factor, so relative 1e-6.
    const be = await wasmFactory.create();
    const arena = new ParamArena(be, [new Param('p', [5], 5, 1)]);
    const g = [0.3, -2, 1e-3, 40, -0.07];
    be.write(arena.params[0]!.grad, g);
    const lr = 0.01;
    const adam = new Adam({ lr, beta2: 0.9999999 });
    adam.attach(arena);
    adam.step();
    const moved = be.read(arena.params[0]!.value, new Float32Array(5));
    expectClose(moved, g.map((v) => (-lr * v) / (Math.abs(v) + 1e-8)), { rtol: 1e-6, atol: 0 }, 'adamBiasCorrection');
    adam.dispose();
    arena.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('step, exponential and cosine with warm-up give the stated formulas', () => {
    const step = new StepDecay({ lr: 1, stepSize: 2, gamma: 0.5 });
    expect([0, 1, 2, 3, 4].map((t) => step.at(t))).toEqual([1, 1, 0.5, 0.5, 0.25]);
    const exp = new ExponentialDecay({ lr: 2, decaySteps: 10, decayRate: 0.5 });
    expect(exp.at(10)).toBeCloseTo(1, 15);
    expect(exp.at(5)).toBeCloseTo(2 * Math.SQRT1_2, 15);
    expect(new ExponentialDecay({ lr: 2, decaySteps: 10, decayRate: 0.5, staircase: true }).at(19)).toBe(1);
    const cos = new CosineDecay({ lr: 1, warmupSteps: 4, decaySteps: 10, minLr: 0.1 });
    expect([0, 1, 2, 3].map((t) => cos.at(t))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(cos.at(4)).toBeCloseTo(1, 15);
    expect(cos.at(9)).toBeCloseTo(0.1 + 0.45 * (1 + Math.cos(Math.PI / 2)), 15);
    expect(cos.at(14)).toBeCloseTo(0.1, 15);
    expect(cos.at(100)).toBeCloseTo(0.1, 15);
  });
});
