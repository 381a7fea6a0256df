// Optimizer updates in parameters per second: one fused call over an arena of 2¹⁷ parameters (about a 784-128-10
// MLP's; 2¹⁶ with --quick), the way a model's optimizer step calls it. "g = 0" keeps the gradient at zero, as for
// dead ReLU units: the moments decay step after step towards the subnormal range, where x86 arithmetic slows down
// unless the kernel flushes them.
import type { AdagradHyper, AdamHyper, Backend, RmspropHyper, SgdHyper } from 'wasmgrad';
import type { BenchCase, Prepared, Suite } from '../core/types.js';
import { freeAll, randomBuffer } from '../core/fill.js';

type Update = (be: Backend, n: number) => Prepared;

const sgd = (hp: Partial<SgdHyper>): Update => (be, n) => {
  const p = randomBuffer(be, n, 1);
  const g = randomBuffer(be, n, 2, -1e-2, 1e-2);
  const v = hp.momentum ? randomBuffer(be, n, 3, -1e-2, 1e-2) : null;
  const defaults = { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: false };
  const full: SgdHyper = { ...defaults, ...hp };
  return { run: () => be.sgdStep(n, p, g, v, full), dispose: () => freeAll(be, [p, g, v]) };
};

const rmsprop = (hp: Partial<RmspropHyper>): Update => (be, n) => {
  const p = randomBuffer(be, n, 1);
  const g = randomBuffer(be, n, 2, -1e-2, 1e-2);
  const sq = randomBuffer(be, n, 3, 0, 1e-4);
  const gAvg = hp.centered ? randomBuffer(be, n, 4, -1e-3, 1e-3) : null;
  const mom = hp.momentum ? randomBuffer(be, n, 5, -1e-3, 1e-3) : null;
  const full: RmspropHyper = { lr: 1e-3, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, weightDecay: 0, ...hp };
  return { run: () => be.rmspropStep(n, p, g, sq, gAvg, mom, full), dispose: () => freeAll(be, [p, g, sq, gAvg, mom]) };
};

const adam = (hp: Partial<AdamHyper>, zeroGrad = false): Update => (be, n) => {
  const p = randomBuffer(be, n, 1);
  const g = zeroGrad ? randomBuffer(be, n, 2, 0, 0) : randomBuffer(be, n, 2, -1e-2, 1e-2);
  const m = randomBuffer(be, n, 3, -1e-3, 1e-3);
  const v = randomBuffer(be, n, 4, 0, 1e-6);
  const vMax = hp.amsgrad ? randomBuffer(be, n, 5, 0, 1e-6) : null;
  // Step 1000 of a run: bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ in float64, as the optimizer computes them.
  const full: AdamHyper = {
    lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, amsgrad: false,
    biasCorrection1: 1 - 0.9 ** 1000, biasCorrection2: 1 - 0.999 ** 1000, ...hp,
  };
  return { run: () => be.adamStep(n, p, g, m, v, vMax, full), dispose: () => freeAll(be, [p, g, m, v, vMax]) };
};

const adagrad = (hp: Partial<AdagradHyper>): Update => (be, n) => {
  const p = randomBuffer(be, n, 1);
  const g = randomBuffer(be, n, 2, -1e-2, 1e-2);
  const sum = randomBuffer(be, n, 3, 0, 1e-2);
  const full: AdagradHyper = { lr: 1e-2, eps: 1e-10, weightDecay: 0, ...hp };
  return { run: () => be.adagradStep(n, p, g, sum, full), dispose: () => freeAll(be, [p, g, sum]) };
};

const UPDATES: Record<string, Update> = {
  'sgd': sgd({}),
  'sgd momentum 0.9': sgd({ momentum: 0.9 }),
  'sgd nesterov, weight decay': sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-4 }),
  'rmsprop': rmsprop({}),
  'rmsprop centered, momentum': rmsprop({ centered: true, momentum: 0.9 }),
  'adam': adam({}),
  'adamw amsgrad': adam({ decoupledWeightDecay: true, weightDecay: 1e-2, amsgrad: true }),
  'adam, g = 0 (moments decay towards subnormals)': adam({}, true),
  'adagrad': adagrad({}),
};
const QUICK = new Set(['sgd momentum 0.9', 'adam', 'adam, g = 0 (moments decay towards subnormals)']);

export const optimizerSuite: Suite = {
  name: 'optimizers',
  title: 'Optimizer updates (one call over the whole arena)',
  unit: 'Mparam/s',
  unitScale: 1e6,
  cases({ quick }) {
    const n = quick ? 1 << 16 : 1 << 17;
    return Object.entries(UPDATES)
      .filter(([name]) => !quick || QUICK.has(name))
      .map(([name, update]): BenchCase => ({ name, work: n, prepare: (be) => update(be, n) }));
  },
};
