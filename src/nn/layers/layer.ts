// What every layer is: a forward pass and a backward pass side by side.
//
//   forward(x)  → y      computes the layer's output for a batch of m rows and keeps what backward needs;
//   backward(dy) → dx    given ∂J/∂y, accumulates ∂J/∂θ into the layer's parameter gradients and returns ∂J/∂x.
//
// Matrices are row-major, one sample per row: x is m×inputSize, y is m×outputSize. The buffers a layer returns are
// its own workspaces, valid until its next forward (or backward) call; they are allocated for the largest batch seen
// and reused, so a steady-state training step allocates nothing.
import type { Backend, Buf } from '../../backend/types.js';
import type { Random } from '../../random.js';
import type { Param } from '../arena.js';

/** What a layer needs while a model is being assembled. */
export interface BuildContext {
  readonly backend: Backend;
  /** Declares a parameter; its buffers exist once the model has built its arenas. */
  addParam(name: string, shape: number[], fanIn: number, fanOut: number): Param;
  /** What feeds the layer being built ("the input", "dense_0 Dense(4→5)"), for messages. */
  readonly previous?: string;
}

/** A JSON description of a layer, enough to rebuild it (weights travel separately). */
export interface LayerConfig {
  type: string;
  [option: string]: unknown;
}

export abstract class Layer {
  /** 'Dense', 'ReLU', …: the name used in saved models. */
  abstract readonly type: string;
  /** Set by build. */
  inputSize = 0;
  outputSize = 0;
  /** Set by the model: "dense_0", "relu_1", … */
  name = '';
  protected backend!: Backend;
  private workspaces: Buf[] = [];
  private capacity = 0;

  /** "dense_0 Dense(4→5)": the layer's name and what it maps, for messages. */
  describe(): string {
    return this.name === '' ? this.signature() : `${this.name} ${this.signature()}`;
  }

  /** "Dense(4→5)", "relu(5)", …: the type and sizes without the name. */
  protected signature(): string {
    return `${this.type}(${this.inputSize}→${this.outputSize})`;
  }

  /** Declares parameters and returns the output width for a given input width. */
  build(ctx: BuildContext, inputSize: number): number {
    this.backend = ctx.backend;
    this.inputSize = inputSize;
    this.outputSize = this.buildLayer(ctx, inputSize);
    return this.outputSize;
  }

  protected abstract buildLayer(ctx: BuildContext, inputSize: number): number;

  /** Writes initial parameter values (called once, in layer order, with the model's generator). */
  initialize(_rng: Random): void {}

  /** The layer's parameters, in a fixed order. */
  params(): readonly Param[] {
    return [];
  }

  /** Forward pass over m rows. `training` switches dropout and the like on. */
  abstract forward(x: Buf, m: number, training: boolean): Buf;

  /**
   * Backward pass over the m rows of the last forward call: accumulates parameter gradients and returns ∂J/∂x, or
   * null when `needInputGrad` is false (the first layer of a model skips that product).
   */
  abstract backward(dy: Buf, m: number, needInputGrad: boolean): Buf | null;

  abstract config(): LayerConfig;

  /** Ensures the workspaces hold `rows` rows. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.releaseWorkspaces();
    this.workspaces = this.workspaceWidths().map((width) => this.backend.alloc(rows * width));
    this.capacity = rows;
    this.onReserve(this.workspaces);
  }

  /** Row widths of the batch workspaces this layer needs, in the order onReserve receives them. */
  protected abstract workspaceWidths(): number[];

  protected abstract onReserve(workspaces: Buf[]): void;

  /** @internal Undoes build, after a model failed to assemble, so the layer can join another model. */
  unbuild(): void {
    this.releaseWorkspaces();
    this.inputSize = 0;
    this.outputSize = 0;
    this.name = '';
  }

  /** Frees the batch workspaces (parameters belong to the model's arenas). */
  dispose(): void {
    this.releaseWorkspaces();
  }

  private releaseWorkspaces(): void {
    for (const buf of this.workspaces) this.backend.free(buf);
    this.workspaces = [];
    this.capacity = 0;
  }
}
