// RMSprop (Hinton, Neural Networks for Machine Learning, lecture 6e, 2012), PyTorch's form with optional centering
// (Graves 2013) and momentum.
import { checkRmspropHyper } from '../../backend/checked.js';
import type { Backend, Buf, RmspropHyper } from '../../backend/types.js';
import { Hyper, RuleOptimizer, type OptimizerOptions } from './optimizer.js';

export interface RmspropOptions extends OptimizerOptions {
  /** Smoothing α in [0, 1), default 0.99. */
  alpha?: number;
  /** ε > 0, default 1e-8. */
  eps?: number;
  /** μ in [0, 1), default 0. */
  momentum?: number;
  /** Divide by the variance instead of the raw second moment; default false. */
  centered?: boolean;
  /** λ ≥ 0, default 0. */
  weightDecay?: number;
}

/**
 * RMSprop:  g ← ∇J(θ) + λ·θ
 *           s ← α·s + (1 − α)·g²
 *           centered: ḡ ← α·ḡ + (1 − α)·g,  d = √(s − ḡ²) + ε;  else d = √s + ε
 *           μ > 0: b ← μ·b + g/d,  θ ← θ − η·b;   else θ ← θ − η·g/d
 */
export class RMSprop extends RuleOptimizer<RmspropHyper> {
  readonly name = 'rmsprop';
  protected readonly hp: Hyper<RmspropHyper>;
  private squareAvg!: Buf;
  private gradAvg!: Buf;
  private momentumBuf!: Buf;

  constructor(options: RmspropOptions = {}) {
    super(options, 0.01);
    this.hp = new Hyper<RmspropHyper>('RMSprop', {
      lr: 0,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      weightDecay: options.weightDecay ?? 0,
    }, checkRmspropHyper);
  }

  get alpha(): number {
    return this.hp.value.alpha;
  }
  set alpha(v: number) {
    this.hp.set('alpha', v);
  }
  get eps(): number {
    return this.hp.value.eps;
  }
  set eps(v: number) {
    this.hp.set('eps', v);
  }
  get momentum(): number {
    return this.hp.value.momentum;
  }
  set momentum(v: number) {
    this.hp.set('momentum', v);
  }
  get centered(): boolean {
    return this.hp.value.centered;
  }
  set centered(v: boolean) {
    this.hp.set('centered', v);
  }

  protected stateNames(): string[] {
    return ['squareAvg', 'gradAvg', 'momentumBuf'];
  }
  protected onAttach(_be: Backend, _n: number, state: Buf[]): void {
    [this.squareAvg, this.gradAvg, this.momentumBuf] = state as [Buf, Buf, Buf];
  }
  protected update(be: Backend, n: number, param: Buf, grad: Buf, lr: number): void {
    const hp = this.hp.value;
    hp.lr = lr;
    const gradAvg = hp.centered ? this.gradAvg : null;
    const momentumBuf = hp.momentum > 0 ? this.momentumBuf : null;
    be.rmspropStep(n, param, grad, this.squareAvg, gradAvg, momentumBuf, hp);
  }
  protected hyperConfig(): Record<string, unknown> {
    const { alpha, eps, momentum, centered, weightDecay } = this.hp.value;
    return { alpha, eps, momentum, centered, weightDecay };
  }
}
