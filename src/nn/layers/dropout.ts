// Inverted dropout (Srivastava et al. 2014): while training, each input is kept with probability 1 − rate and scaled
// by 1/(1 − rate), so inference needs no rescaling and passes x through unchanged.
//
//   forward (training):  y = x ⊙ mask,   mask[i] = 0 with probability rate, else 1/(1 − rate)
//   backward:            dx = dy ⊙ mask
//
// The mask comes from the layer's own seeded generator (from `seed`, or drawn from the model's generator when the
// model initializes), so a training run is reproducible.
import type { Buf } from '../../backend/types.js';
import { Random } from '../../random.js';
import { checkNonNegativeInt, checkRange } from '../validate.js';
import { Layer, type BuildContext, type LayerConfig } from './layer.js';

export class Dropout extends Layer {
  readonly type = 'Dropout';
  readonly rate: number;
  private rng: Random | null;
  private readonly seed: number | undefined;
  private maskHost: Float32Array | Float64Array = new Float32Array(0);
  private mask!: Buf;
  private y!: Buf;
  private dx!: Buf;
  /** Whether the last forward applied a mask (training) or passed x through. */
  private masked = false;

  constructor(options: { rate: number; seed?: number }) {
    super();
    checkRange('Dropout', 'rate', options?.rate, 0, 1, { hiOpen: true });
    if (options.seed !== undefined) checkNonNegativeInt('Dropout', 'seed', options.seed);
    this.rate = options.rate;
    this.seed = options.seed;
    this.rng = options.seed === undefined ? null : new Random(options.seed);
  }

  protected buildLayer(_ctx: BuildContext, inputSize: number): number {
    return inputSize;
  }

  protected override signature(): string {
    return `Dropout(${this.rate}, ${this.inputSize})`;
  }

  override initialize(rng: Random): void {
    if (this.rng === null) this.rng = new Random(rng.nextUint32());
  }

  protected workspaceWidths(): number[] {
    return [this.inputSize, this.inputSize, this.inputSize];
  }

  protected onReserve(ws: Buf[]): void {
    [this.mask, this.y, this.dx] = ws as [Buf, Buf, Buf];
    this.maskHost = new (this.backend.dtype === 'f64' ? Float64Array : Float32Array)(ws[0]!.length);
  }

  forward(x: Buf, m: number, training: boolean): Buf {
    this.masked = training && this.rate > 0;
    if (!this.masked) return x;
    const n = m * this.inputSize;
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    const rng = this.rng!;
    const host = this.maskHost;
    for (let i = 0; i < n; i++) host[i] = rng.next() < keep ? scale : 0;
    this.backend.write(this.mask, n === host.length ? host : host.subarray(0, n));
    this.backend.mul(n, x, this.mask, this.y);
    return this.y;
  }

  backward(dy: Buf, m: number, needInputGrad: boolean): Buf | null {
    if (!needInputGrad) return null;
    if (!this.masked) return dy;
    this.backend.mul(m * this.inputSize, dy, this.mask, this.dx);
    return this.dx;
  }

  config(): LayerConfig {
    const c: LayerConfig = { type: this.type, rate: this.rate };
    if (this.seed !== undefined) c.seed = this.seed;
    return c;
  }

  static fromConfig(c: LayerConfig): Dropout {
    return new Dropout(c.seed === undefined ? { rate: c.rate as number } : { rate: c.rate as number, seed: c.seed as number });
  }
}
