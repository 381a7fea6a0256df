// Learning-rate schedules: η as a function of the optimizer's step count t = 0, 1, 2, … (the step about to be taken).
// Pass one as an optimizer's `lr`. Reduce-on-plateau depends on a monitored value, not on t, so it is a callback
// (src/nn/callbacks.ts).
import { checkNonNegative, checkNonNegativeInt, checkPositiveInt, checkRange } from './validate.js';

export interface LearningRateSchedule {
  /** η for step t (t ≥ 0). */
  at(step: number): number;
  /** A JSON description. */
  config(): Record<string, unknown>;
}

/** Step decay: η = η₀·γ^⌊t / stepSize⌋. */
export class StepDecay implements LearningRateSchedule {
  constructor(readonly options: { lr: number; stepSize: number; gamma: number }) {
    checkNonNegative('StepDecay', 'lr', options?.lr);
    checkPositiveInt('StepDecay', 'stepSize', options.stepSize);
    checkRange('StepDecay', 'gamma', options.gamma, 0, 1);
  }
  at(step: number): number {
    const { lr, stepSize, gamma } = this.options;
    return lr * gamma ** Math.floor(step / stepSize);
  }
  config() {
    return { type: 'StepDecay', ...this.options };
  }
}

/** Exponential decay: η = η₀·rate^(t / decaySteps), or rate^⌊t / decaySteps⌋ with `staircase`. */
export class ExponentialDecay implements LearningRateSchedule {
  constructor(readonly options: { lr: number; decaySteps: number; decayRate: number; staircase?: boolean }) {
    checkNonNegative('ExponentialDecay', 'lr', options?.lr);
    checkPositiveInt('ExponentialDecay', 'decaySteps', options.decaySteps);
    checkRange('ExponentialDecay', 'decayRate', options.decayRate, 0, 1);
  }
  at(step: number): number {
    const { lr, decaySteps, decayRate, staircase } = this.options;
    const p = step / decaySteps;
    return lr * decayRate ** (staircase ? Math.floor(p) : p);
  }
  config() {
    return { type: 'ExponentialDecay', ...this.options };
  }
}

/**
 * Cosine decay with linear warm-up (Loshchilov & Hutter 2017; Goyal et al. 2017 for the warm-up):
 *   t < w:  η = η₀·(t + 1)/w
 *   else:   η = η_min + ½(η₀ − η_min)(1 + cos(π·min(1, (t − w)/decaySteps)))
 */
export class CosineDecay implements LearningRateSchedule {
  readonly warmupSteps: number;
  readonly minLr: number;
  constructor(readonly options: { lr: number; decaySteps: number; warmupSteps?: number; minLr?: number }) {
    checkNonNegative('CosineDecay', 'lr', options?.lr);
    checkPositiveInt('CosineDecay', 'decaySteps', options.decaySteps);
    this.warmupSteps = options.warmupSteps ?? 0;
    checkNonNegativeInt('CosineDecay', 'warmupSteps', this.warmupSteps);
    this.minLr = options.minLr ?? 0;
    checkRange('CosineDecay', 'minLr', this.minLr, 0, options.lr);
  }
  at(step: number): number {
    const { lr, decaySteps } = this.options;
    const w = this.warmupSteps;
    if (step < w) return (lr * (step + 1)) / w;
    const progress = Math.min(1, (step - w) / decaySteps);
    return this.minLr + 0.5 * (lr - this.minLr) * (1 + Math.cos(Math.PI * progress));
  }
  config() {
    return { type: 'CosineDecay', ...this.options };
  }
}

/** A number or a schedule, checked. */
export function checkLearningRate(where: string, lr: unknown): asserts lr is number | LearningRateSchedule {
  if (typeof lr === 'object' && lr !== null && typeof (lr as LearningRateSchedule).at === 'function') return;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new Error(`${where}: lr must be a finite number ≥ 0 or a learning-rate schedule, got ${String(lr)}`);
  }
}

