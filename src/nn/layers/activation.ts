// Activation layers: y = f(x) elementwise, and backward dx = dy ⊙ f′(x), computed from the saved x and y.
// One class per activation of the kernel interface, all thin names for `ActivationLayer`.
import { ACTIVATIONS, DEFAULT_ACTIVATION_ALPHA, type Activation, type Buf } from '../../backend/types.js';
import { checkFinite, checkOneOf } from '../validate.js';
import { Layer, type BuildContext, type LayerConfig } from './layer.js';

export class ActivationLayer extends Layer {
  readonly type: string = 'Activation';
  readonly activation: Activation;
  /** leakyRelu's slope or elu's scale (undefined: the kernel default). */
  readonly alpha: number | undefined;
  private x!: Buf;
  private y!: Buf;
  private dx!: Buf;

  constructor(activation: Activation, options: { alpha?: number } = {}) {
    super();
    this.activation = checkOneOf('ActivationLayer', 'activation', activation, ACTIVATIONS);
    if (options.alpha !== undefined) checkFinite(activation, 'alpha', options.alpha);
    this.alpha = options.alpha;
  }

  protected buildLayer(_ctx: BuildContext, inputSize: number): number {
    return inputSize;
  }

  protected override signature(): string {
    return `${this.activation}(${this.inputSize})`;
  }

  protected workspaceWidths(): number[] {
    return [this.inputSize, this.inputSize];
  }

  protected onReserve(ws: Buf[]): void {
    [this.y, this.dx] = ws as [Buf, Buf];
  }

  forward(x: Buf, m: number): Buf {
    this.x = x;
    this.backend.actForward(this.activation, m * this.inputSize, x, this.y, this.alpha);
    return this.y;
  }

  backward(dy: Buf, m: number, needInputGrad: boolean): Buf | null {
    if (!needInputGrad) return null;
    this.backend.actBackward(this.activation, m * this.inputSize, this.x, this.y, dy, this.dx, this.alpha);
    return this.dx;
  }

  config(): LayerConfig {
    const c: LayerConfig = { type: 'Activation', activation: this.activation };
    if (this.alpha !== undefined) c.alpha = this.alpha;
    return c;
  }

  static fromConfig(c: LayerConfig): ActivationLayer {
    return new ActivationLayer(c.activation as Activation, c.alpha === undefined ? {} : { alpha: c.alpha as number });
  }
}

export class Identity extends ActivationLayer {
  constructor() {
    super('identity');
  }
}
export class ReLU extends ActivationLayer {
  constructor() {
    super('relu');
  }
}
export class LeakyReLU extends ActivationLayer {
  /** `alpha`: the slope for x < 0, default 0.01. */
  constructor(options: { alpha?: number } = {}) {
    super('leakyRelu', { alpha: options.alpha ?? DEFAULT_ACTIVATION_ALPHA.leakyRelu });
  }
}
export class ELU extends ActivationLayer {
  /** `alpha`: the scale of e^x − 1 for x < 0, default 1. */
  constructor(options: { alpha?: number } = {}) {
    super('elu', { alpha: options.alpha ?? DEFAULT_ACTIVATION_ALPHA.elu });
  }
}
export class SELU extends ActivationLayer {
  constructor() {
    super('selu');
  }
}
export class GELU extends ActivationLayer {
  constructor() {
    super('gelu');
  }
}
export class SiLU extends ActivationLayer {
  constructor() {
    super('silu');
  }
}
export class Sigmoid extends ActivationLayer {
  constructor() {
    super('sigmoid');
  }
}
export class Tanh extends ActivationLayer {
  constructor() {
    super('tanh');
  }
}
export class Softplus extends ActivationLayer {
  constructor() {
    super('softplus');
  }
}
