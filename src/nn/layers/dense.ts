// A fully connected layer: y = f(x·W + b), with W stored inputs×outputs.
//
//   forward:   z = x·W + b            gemm, then (one pass, biasActForward) the bias row added to every row
//              y = f(z)               and the activation, when there is one
//   backward:  dz = dy ⊙ f′(z)        from the saved z and y, in one pass (biasActBackward) with
//              ∂J/∂b += Σ_rows dz
//              ∂J/∂W += xᵀ·dz (+ λ·W) gemm with transA: no transpose is materialised
//              ∂J/∂x  = dz·Wᵀ         gemm with transB
//
// The L2 penalty ½·λ·‖W‖² (on the kernel, not the bias) is added to the loss by the model and its gradient λ·W here.
import { ACTIVATIONS, type Activation, type Buf } from '../../backend/types.js';
import type { Random } from '../../random.js';
import type { Param } from '../arena.js';
import { F32_MAX } from '../data.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../initializers.js';
import { checkBoolean, checkFinite, checkNonNegative, checkOneOf, checkPositiveInt } from '../validate.js';
import { Layer, type BuildContext, type LayerConfig } from './layer.js';

export interface DenseOptions {
  /** Applied to x·W + b; default none ('identity'). */
  activation?: Activation;
  /** leakyRelu's slope or elu's scale. */
  alpha?: number;
  /** Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerName | Initializer;
  /** Default 'zeros'. */
  biasInitializer?: InitializerName | Initializer;
  /** λ of the L2 penalty ½·λ·‖W‖², default 0. */
  l2?: number;
}

export class Dense extends Layer {
  readonly type = 'Dense';
  readonly activation: Activation;
  readonly alpha: number | undefined;
  readonly useBias: boolean;
  readonly l2: number;
  private readonly kernelInit: Initializer;
  private readonly biasInit: Initializer;
  private readonly initNames: [string, string];
  kernel!: Param;
  bias: Param | null = null;
  private x!: Buf;
  private z!: Buf;
  private y!: Buf;
  private dz!: Buf;
  private dx!: Buf;

  constructor(
    readonly inputs: number,
    readonly units: number,
    options: DenseOptions = {},
  ) {
    super();
    checkPositiveInt('Dense', 'inputs', inputs);
    checkPositiveInt('Dense', 'units', units);
    this.activation = checkOneOf('Dense', 'activation', options.activation ?? 'identity', ACTIVATIONS);
    if (options.alpha !== undefined) checkFinite('Dense', 'alpha', options.alpha);
    this.alpha = options.alpha;
    this.useBias = options.useBias ?? true;
    checkBoolean('Dense', 'useBias', this.useBias);
    this.l2 = options.l2 ?? 0;
    checkNonNegative('Dense', 'l2', this.l2);
    const kernelInit = options.kernelInitializer ?? 'glorotUniform';
    const biasInit = options.biasInitializer ?? 'zeros';
    this.kernelInit = resolveInitializer('Dense', 'kernelInitializer', kernelInit);
    this.biasInit = resolveInitializer('Dense', 'biasInitializer', biasInit);
    this.initNames = [typeof kernelInit === 'string' ? kernelInit : 'custom', typeof biasInit === 'string' ? biasInit : 'custom'];
  }

  protected override signature(): string {
    const act = this.activation === 'identity' ? '' : `, ${this.activation}`;
    return `Dense(${this.inputs}→${this.units}${act})`;
  }

  private get hasActivation(): boolean {
    return this.activation !== 'identity';
  }

  protected buildLayer(ctx: BuildContext, inputSize: number): number {
    if (inputSize !== this.inputs) {
      throw new Error(`${this.describe()}: expects ${this.inputs} inputs, but ${ctx.previous ?? 'the layer before it'} gives ${inputSize}`);
    }
    this.kernel = ctx.addParam(`${this.name}/kernel`, [this.inputs, this.units], this.inputs, this.units);
    if (this.useBias) this.bias = ctx.addParam(`${this.name}/bias`, [this.units], this.inputs, this.units);
    return this.units;
  }

  override initialize(rng: Random): void {
    for (const [param, init] of [
      [this.kernel, this.kernelInit],
      [this.bias, this.biasInit],
    ] as const) {
      if (param === null) continue;
      const values = new Float64Array(param.size);
      init(values, param.fanIn, param.fanOut, rng);
      const maxAbs = this.backend.dtype === 'f32' ? F32_MAX : Infinity;
      const bad = values.findIndex((v) => !(Math.abs(v) <= maxAbs));
      if (bad >= 0) {
        const which = param === this.kernel ? 'kernelInitializer' : 'biasInitializer';
        const range = maxAbs === F32_MAX ? ' in float32' : '';
        throw new Error(`${this.describe()}: ${which} gave ${values[bad]} at ${bad} (${param.name}); initial values must be finite${range}`);
      }
      this.backend.write(param.value, values);
    }
  }

  override params(): readonly Param[] {
    return this.bias === null ? [this.kernel] : [this.kernel, this.bias];
  }

  protected workspaceWidths(): number[] {
    // z, y (only with an activation), dz (only with an activation), dx
    return this.hasActivation ? [this.units, this.units, this.units, this.inputs] : [this.units, this.inputs];
  }

  protected onReserve(ws: Buf[]): void {
    if (this.hasActivation) [this.z, this.y, this.dz, this.dx] = ws as [Buf, Buf, Buf, Buf];
    else {
      [this.z, this.dx] = ws as [Buf, Buf];
      this.y = this.z;
    }
  }

  forward(x: Buf, m: number): Buf {
    const be = this.backend;
    const { inputs: k, units: n } = this;
    this.x = x;
    be.gemm(false, false, m, n, k, 1, x, k, this.kernel.value, n, 0, this.z, n);
    if (this.bias !== null || this.hasActivation) {
      be.biasActForward(this.activation, m, n, this.z, this.bias?.value ?? null, this.y, this.alpha);
    }
    return this.y;
  }

  backward(dy: Buf, m: number, needInputGrad: boolean): Buf | null {
    const be = this.backend;
    const { inputs: k, units: n } = this;
    const { activation: act, bias, z, y, alpha } = this;
    const dz = this.hasActivation ? this.dz : dy;
    if (bias !== null) be.biasActBackward(act, m, n, z, y, dy, dz, bias.takeGradBeta(), bias.grad, alpha);
    else if (this.hasActivation) be.biasActBackward(act, m, n, z, y, dy, dz, 0, null, alpha);
    const kernel = this.kernel;
    be.gemm(true, false, k, n, m, 1, this.x, k, dz, n, kernel.takeGradBeta(), kernel.grad, n);
    if (this.l2 > 0) be.axpy(k * n, this.l2, kernel.value, kernel.grad);
    if (!needInputGrad) return null;
    be.gemm(false, true, m, k, n, 1, dz, n, kernel.value, n, 0, this.dx, k);
    return this.dx;
  }

  /** ½·λ·‖W‖², the L2 penalty this layer adds to the loss. */
  penalty(): number {
    return this.l2 > 0 ? 0.5 * this.l2 * this.backend.sumSquares(this.kernel.size, this.kernel.value) : 0;
  }

  config(): LayerConfig {
    const c: LayerConfig = { type: this.type, inputs: this.inputs, units: this.units, activation: this.activation };
    if (this.alpha !== undefined) c.alpha = this.alpha;
    c.useBias = this.useBias;
    c.kernelInitializer = this.initNames[0];
    c.biasInitializer = this.initNames[1];
    c.l2 = this.l2;
    return c;
  }

  static fromConfig(c: LayerConfig): Dense {
    const init = (name: unknown) => (name === 'custom' ? 'zeros' : (name as InitializerName));
    return new Dense(c.inputs as number, c.units as number, {
      activation: c.activation as Activation,
      alpha: c.alpha as number | undefined,
      useBias: c.useBias as boolean,
      kernelInitializer: init(c.kernelInitializer),
      biasInitializer: init(c.biasInitializer),
      l2: c.l2 as number,
    });
  }
}
