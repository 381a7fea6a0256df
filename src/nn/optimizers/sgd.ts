// Stochastic gradient descent, with momentum (Polyak 1964) and Nesterov momentum (Sutskever et al. 2013, the form
// PyTorch uses).
import { checkSgdHyper } from '../../backend/checked.js';
import type { Backend, Buf, SgdHyper } from '../../backend/types.js';
import { Hyper, RuleOptimizer, type OptimizerOptions } from './optimizer.js';

export interface SgdOptions extends OptimizerOptions {
  /** μ in [0, 1), default 0. */
  momentum?: number;
  /** τ in [0, 1], default 0. */
  dampening?: number;
  /** Default false; needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
  /** λ ≥ 0, L2 penalty added to the gradient, default 0. */
  weightDecay?: number;
}

/**
 * SGD:  g ← ∇J(θ) + λ·θ
 *       v ← g on the first step, else v ← μ·v + (1 − τ)·g
 *       d ← nesterov ? g + μ·v : v   (d = g when μ = 0)
 *       θ ← θ − η·d
 * Robbins & Monro 1951; momentum: Polyak 1964; Nesterov: Sutskever, Martens, Dahl & Hinton, ICML 2013.
 */
export class SGD extends RuleOptimizer<SgdHyper> {
  readonly name = 'sgd';
  protected readonly hp: Hyper<SgdHyper>;
  private velocity: Buf | null = null;

  constructor(options: SgdOptions = {}) {
    super(options, 0.01);
    this.hp = new Hyper<SgdHyper>('SGD', {
      lr: 0,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      nesterov: options.nesterov ?? false,
      weightDecay: options.weightDecay ?? 0,
      firstStep: true,
    }, checkSgdHyper);
  }

  get momentum(): number {
    return this.hp.value.momentum;
  }
  set momentum(v: number) {
    this.hp.set('momentum', v);
  }
  get dampening(): number {
    return this.hp.value.dampening;
  }
  set dampening(v: number) {
    this.hp.set('dampening', v);
  }
  get nesterov(): boolean {
    return this.hp.value.nesterov;
  }
  set nesterov(v: boolean) {
    this.hp.set('nesterov', v);
  }

  protected stateNames(): string[] {
    return ['velocity'];
  }
  protected onAttach(_be: Backend, _n: number, state: Buf[]): void {
    this.velocity = state[0]!;
  }
  protected update(be: Backend, n: number, param: Buf, grad: Buf, lr: number, t: number): void {
    const hp = this.hp.value;
    hp.lr = lr;
    hp.firstStep = t === 1;
    be.sgdStep(n, param, grad, this.velocity, hp);
  }
  protected hyperConfig(): Record<string, unknown> {
    const { momentum, dampening, nesterov, weightDecay } = this.hp.value;
    return { momentum, dampening, nesterov, weightDecay };
  }
}
