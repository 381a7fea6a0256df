// Adam (Kingma & Ba, ICLR 2015) and AdamW (Loshchilov & Hutter, ICLR 2019), PyTorch's form, with AMSGrad (Reddi,
// Kale & Kumar, ICLR 2018) as an option. The bias corrections are computed here in float64 and passed to the kernel.
import { checkAdamHyper } from '../../backend/checked.js';
import type { AdamHyper, Backend, Buf } from '../../backend/types.js';
import { Hyper, RuleOptimizer, type OptimizerOptions } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** β₁ in [0, 1), default 0.9. */
  beta1?: number;
  /** β₂ in [0, 1), default 0.999. */
  beta2?: number;
  /** ε > 0, default 1e-8. */
  eps?: number;
  /** λ ≥ 0: an L2 penalty added to the gradient for Adam, decoupled decay for AdamW. Default 0 (AdamW: 0.01). */
  weightDecay?: number;
  /** Keep the running maximum of v (AMSGrad); default false. Fixed at construction. */
  amsgrad?: boolean;
}

/**
 * Adam:  g ← ∇J(θ) + λ·θ
 *        m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²;   (AMSGrad: v̂ ← max(v̂, v))
 *        θ ← θ − η·(m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 */
export class Adam extends RuleOptimizer<AdamHyper> {
  readonly name: string = 'adam';
  readonly amsgrad: boolean;
  protected readonly hp: Hyper<AdamHyper>;
  private m!: Buf;
  private v!: Buf;
  private vMax: Buf | null = null;

  constructor(options: AdamOptions = {}, decoupled = false, defaultWeightDecay = 0) {
    super(options, 0.001);
    this.amsgrad = options.amsgrad ?? false;
    this.hp = new Hyper<AdamHyper>(decoupled ? 'AdamW' : 'Adam', {
      lr: 0,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? defaultWeightDecay,
      decoupledWeightDecay: decoupled,
      amsgrad: this.amsgrad,
      biasCorrection1: 1,
      biasCorrection2: 1,
    }, checkAdamHyper);
  }

  get beta1(): number {
    return this.hp.value.beta1;
  }
  set beta1(v: number) {
    this.hp.set('beta1', v);
  }
  get beta2(): number {
    return this.hp.value.beta2;
  }
  set beta2(v: number) {
    this.hp.set('beta2', v);
  }
  get eps(): number {
    return this.hp.value.eps;
  }
  set eps(v: number) {
    this.hp.set('eps', v);
  }

  protected stateNames(): string[] {
    return this.amsgrad ? ['m', 'v', 'vMax'] : ['m', 'v'];
  }
  protected onAttach(_be: Backend, _n: number, state: Buf[]): void {
    [this.m, this.v] = state as [Buf, Buf];
    this.vMax = state[2] ?? null;
  }
  protected update(be: Backend, n: number, param: Buf, grad: Buf, lr: number, t: number): void {
    const hp = this.hp.value;
    hp.lr = lr;
    hp.biasCorrection1 = 1 - hp.beta1 ** t;
    hp.biasCorrection2 = 1 - hp.beta2 ** t;
    be.adamStep(n, param, grad, this.m, this.v, this.vMax, hp);
  }
  protected hyperConfig(): Record<string, unknown> {
    const { beta1, beta2, eps, weightDecay } = this.hp.value;
    return { beta1, beta2, eps, weightDecay, amsgrad: this.amsgrad };
  }
}

/**
 * AdamW: Adam with decoupled weight decay. Before the Adam update, θ ← θ·(1 − η·λ); the gradient itself carries no
 * penalty. Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019. Default λ = 0.01.
 */
export class AdamW extends Adam {
  override readonly name = 'adamw';
  constructor(options: AdamOptions = {}) {
    super(options, true, 0.01);
  }
}
