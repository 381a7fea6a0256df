// Adagrad (Duchi, Hazan & Singer, JMLR 2011), PyTorch's form with learning-rate decay.
import { checkAdagradHyper } from '../../backend/checked.js';
import type { AdagradHyper, Backend, Buf } from '../../backend/types.js';
import { checkNonNegative } from '../validate.js';
import { Hyper, RuleOptimizer, type OptimizerOptions } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions {
  /** ε > 0, default 1e-10. */
  eps?: number;
  /** λ ≥ 0, default 0. */
  weightDecay?: number;
  /** Learning-rate decay ≥ 0, default 0. */
  lrDecay?: number;
  /** The accumulator's starting value ≥ 0, default 0. Fixed at construction. */
  initialAccumulatorValue?: number;
}

/**
 * Adagrad:  g ← ∇J(θ) + λ·θ;   s ← s + g²;   θ ← θ − η_t·g / (√s + ε),   η_t = η / (1 + (t − 1)·decay)
 */
export class Adagrad extends RuleOptimizer<AdagradHyper> {
  readonly name = 'adagrad';
  readonly initialAccumulatorValue: number;
  protected readonly hp: Hyper<AdagradHyper>;
  private decay: number;
  private sum!: Buf;

  constructor(options: AdagradOptions = {}) {
    super(options, 0.01);
    this.hp = new Hyper<AdagradHyper>('Adagrad', {
      lr: 0,
      eps: options.eps ?? 1e-10,
      weightDecay: options.weightDecay ?? 0,
    }, checkAdagradHyper);
    this.decay = options.lrDecay ?? 0;
    checkNonNegative('Adagrad', 'lrDecay', this.decay);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0;
    checkNonNegative('Adagrad', 'initialAccumulatorValue', this.initialAccumulatorValue);
  }

  get eps(): number {
    return this.hp.value.eps;
  }
  set eps(v: number) {
    this.hp.set('eps', v);
  }
  get lrDecay(): number {
    return this.decay;
  }
  set lrDecay(v: number) {
    checkNonNegative('Adagrad', 'lrDecay', v);
    this.decay = v;
  }

  protected stateNames(): string[] {
    return ['sum'];
  }
  protected onAttach(be: Backend, n: number, state: Buf[]): void {
    this.sum = state[0]!;
    be.fill(n, this.initialAccumulatorValue, this.sum);
  }
  protected update(be: Backend, n: number, param: Buf, grad: Buf, lr: number, t: number): void {
    const hp = this.hp.value;
    hp.lr = lr / (1 + (t - 1) * this.decay);
    be.adagradStep(n, param, grad, this.sum, hp);
  }
  protected hyperConfig(): Record<string, unknown> {
    const { eps, weightDecay } = this.hp.value;
    return { eps, weightDecay, lrDecay: this.decay, initialAccumulatorValue: this.initialAccumulatorValue };
  }
}
