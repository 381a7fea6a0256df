// What every optimizer shares: a stateful facade (`step()`, like PyTorch) over the backend's stateless update kernels
// (like optax). The optimizer is attached to a model's parameter arena; its state (velocities, moment estimates) lives
// in arenas of the same length, so one step is one kernel call however many layers the model has.
//
// One step: zero what zeroGrad marked → clip the gradients if asked → θ ← update(θ, ∇J(θ), state) with the learning
// rate of this step (from the schedule, if one was given).
import type { Backend, Buf } from '../../backend/types.js';
import type { ParamArena } from '../arena.js';
import { clipByGlobalNorm, clipByValue } from '../clipping.js';
import { checkLearningRate, type LearningRateSchedule } from '../schedules.js';
import { checkNonNegativeInt, checkPositive } from '../validate.js';

export type LearningRate = number | LearningRateSchedule;

export interface OptimizerOptions {
  /** η: a number, or a schedule evaluated at every step. */
  lr?: LearningRate;
  /** Rescale the gradients so that their global L2 norm is at most this (before the update). */
  clipNorm?: number;
  /** Clamp every gradient to [−clipValue, clipValue] (before the update). */
  clipValue?: number;
}

export abstract class Optimizer {
  /** 'sgd', 'adam', …: the registry name. */
  abstract readonly name: string;
  private steps = 0;
  private lrSpec: LearningRate;
  private scale = 1;
  private clipNormValue: number | undefined;
  private clipValueValue: number | undefined;
  private arena: ParamArena | null = null;
  private state: Buf[] = [];
  private disposed = false;

  protected constructor(options: OptimizerOptions, defaultLr: number) {
    const where = this.constructor.name;
    if (options === null || typeof options !== 'object') {
      throw new Error(`${where}: options must be an object, got ${String(options)}`);
    }
    const lr = options.lr ?? defaultLr;
    checkLearningRate(where, lr);
    this.lrSpec = lr;
    this.clipNorm = options.clipNorm;
    this.clipValue = options.clipValue;
  }

  /** Steps taken so far (since attach); a schedule is evaluated at this count. */
  get iterations(): number {
    return this.steps;
  }
  set iterations(value: number) {
    checkNonNegativeInt(this.constructor.name, 'iterations', value);
    this.steps = value;
  }

  /** The learning rate of the next step: the number given, or the schedule at `iterations`, times `lrScale`. */
  get lr(): number {
    return (typeof this.lrSpec === 'number' ? this.lrSpec : this.lrSpec.at(this.steps)) * this.scale;
  }
  /** A number or a schedule; validated. Resets `lrScale` to 1. */
  set lr(value: LearningRate) {
    checkLearningRate(this.constructor.name, value);
    this.lrSpec = value;
    this.scale = 1;
  }
  /** The schedule, if `lr` was given one. */
  get schedule(): LearningRateSchedule | null {
    return typeof this.lrSpec === 'number' ? null : this.lrSpec;
  }
  /**
   * A factor on every learning rate the schedule gives, default 1: ReduceLROnPlateau lowers it, so that a schedule
   * keeps its shape (warm-up, decay) at a reduced level. A finite number > 0; setting `lr` resets it to 1.
   */
  get lrScale(): number {
    return this.scale;
  }
  set lrScale(value: number) {
    checkPositive(this.constructor.name, 'lrScale', value);
    this.scale = value;
  }

  get clipNorm(): number | undefined {
    return this.clipNormValue;
  }
  set clipNorm(value: number | undefined) {
    if (value !== undefined) checkPositive(this.constructor.name, 'clipNorm', value);
    this.clipNormValue = value;
  }
  get clipValue(): number | undefined {
    return this.clipValueValue;
  }
  set clipValue(value: number | undefined) {
    if (value !== undefined) checkPositive(this.constructor.name, 'clipValue', value);
    this.clipValueValue = value;
  }

  /** Binds the optimizer to a parameter arena and allocates its state (zeroed); resets the step count. */
  attach(arena: ParamArena): void {
    if (arena.isDisposed) throw new Error(`${this.constructor.name}: cannot attach to parameters that have been disposed`);
    this.releaseState();
    this.arena = arena;
    this.disposed = false;
    this.steps = 0;
    const be = arena.backend;
    this.state = this.stateNames().map(() => be.alloc(arena.length));
    for (const buf of this.state) be.fill(arena.length, 0, buf);
    this.onAttach(be, arena.length, this.state);
  }

  /** Whether this optimizer updates `arena` (it is attached to it, and neither is disposed). */
  isAttachedTo(arena: ParamArena): boolean {
    return this.arena === arena && !arena.isDisposed;
  }

  /** Whether it updates any live parameters. */
  get isAttached(): boolean {
    return this.arena !== null && !this.arena.isDisposed;
  }

  /** The arena this optimizer updates. */
  get params(): ParamArena {
    const where = this.constructor.name;
    if (this.disposed) throw new Error(`${where}: the optimizer has been disposed; attach it again (or compile a model with it) first`);
    if (this.arena === null) {
      throw new Error(`${where}: not attached to any parameters; compile a model with it or call attach(model.params)`);
    }
    if (this.arena.isDisposed) throw new Error(`${where}: the parameters it was attached to have been disposed`);
    return this.arena;
  }

  /** θ ← θ − η·(update rule): one kernel call over the whole arena. */
  step(): void {
    const arena = this.params;
    const be = arena.backend;
    const n = arena.length;
    const grads = arena.grads;
    if (this.clipValueValue !== undefined) clipByValue(be, n, grads, this.clipValueValue);
    if (this.clipNormValue !== undefined) clipByGlobalNorm(be, n, grads, this.clipNormValue);
    const lr = this.lr;
    if (!Number.isFinite(lr) || lr < 0) {
      throw new Error(`${this.constructor.name}: the schedule gave lr ${lr} at step ${this.steps}; expected a finite number ≥ 0`);
    }
    this.steps++;
    this.update(be, n, arena.values, grads, lr, this.steps);
  }

  /** Marks every gradient of the attached parameters zero. */
  zeroGrad(): void {
    this.params.zeroGrad();
  }

  /** Frees the optimizer state; `attach` (or compiling a model with it) makes it usable again. */
  dispose(): void {
    this.releaseState();
    this.arena = null;
    this.disposed = true;
  }

  /** A JSON description of the hyper-parameters. */
  config(): Record<string, unknown> {
    const c: Record<string, unknown> = { name: this.name, lr: this.schedule?.config() ?? this.lrSpec };
    if (this.scale !== 1) c.lrScale = this.scale;
    if (this.clipNormValue !== undefined) c.clipNorm = this.clipNormValue;
    if (this.clipValueValue !== undefined) c.clipValue = this.clipValueValue;
    return { ...c, ...this.hyperConfig() };
  }

  /** Names of the state arenas this rule keeps (allocated at attach, in this order). */
  protected abstract stateNames(): string[];
  protected abstract onAttach(be: Backend, n: number, state: Buf[]): void;
  /** Applies the update rule for step t (t ≥ 1) with learning rate lr. */
  protected abstract update(be: Backend, n: number, param: Buf, grad: Buf, lr: number, t: number): void;
  protected abstract hyperConfig(): Record<string, unknown>;

  private releaseState(): void {
    if (this.arena !== null) for (const buf of this.state) this.arena.backend.free(buf);
    this.state = [];
  }
}

/**
 * A validated set of hyper-parameters: `set` checks the whole candidate set with `check` before committing, so a
 * rejected value leaves the optimizer as it was.
 */
export class Hyper<H extends object> {
  constructor(
    private readonly where: string,
    readonly value: H,
    private readonly check: (where: string, hp: H) => void,
  ) {
    check(where, value);
  }
  set<K extends keyof H>(key: K, v: H[K]): void {
    const candidate = { ...this.value, [key]: v };
    this.check(this.where, candidate);
    this.value[key] = v;
  }
}

/** An optimizer whose update rule takes a validated hyper-parameter set with an L2 weight decay λ. */
export abstract class RuleOptimizer<H extends { lr: number; weightDecay: number }> extends Optimizer {
  protected abstract readonly hp: Hyper<H>;

  /** λ ≥ 0. */
  get weightDecay(): number {
    return this.hp.value.weightDecay;
  }
  set weightDecay(v: number) {
    this.hp.set('weightDecay', v as H['weightDecay']);
  }
}
