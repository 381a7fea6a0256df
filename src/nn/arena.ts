// Parameters and their gradients, each in one contiguous buffer (an arena). Layers hold views into the arenas, so an
// optimizer updates every parameter of a model with one kernel call, and zeroing or clipping the gradients is one
// call too. Every parameter starts on a multiple of 4 floats (16 bytes, one SIMD vector); the padding between
// parameters is zero in both arenas and stays zero under every update rule.
//
// Zeroing is lazy: zeroGrad() only marks the parameters, and the first backward pass that writes a gradient uses
// β = 0 (overwrite) instead of β = 1 (accumulate), which saves a pass over the whole gradient arena per step.
// Anything that reads the gradient arena goes through `grads`, which first zeroes whatever is still marked.
import type { Backend, Buf } from '../backend/types.js';

/** One named parameter: a view of the value arena and the matching view of the gradient arena. */
export class Param {
  /** Element offset in the arenas. */
  offset = 0;
  value!: Buf;
  grad!: Buf;
  /** Set by zeroGrad; cleared by the first backward write. */
  private stale = false;

  constructor(
    /** Unique within a model, e.g. "dense_0/kernel". */
    readonly name: string,
    /** Row-major shape, e.g. [inputs, outputs] for a Dense kernel. */
    readonly shape: readonly number[],
    readonly fanIn: number,
    readonly fanOut: number,
  ) {}

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** β for the next gradient write: 0 after zeroGrad (overwrite), then 1 (accumulate). */
  takeGradBeta(): 0 | 1 {
    if (!this.stale) return 1;
    this.stale = false;
    return 0;
  }

  /** @internal */
  markStale(): void {
    this.stale = true;
  }

  /** @internal */
  get isStale(): boolean {
    return this.stale;
  }
}

const ALIGN_FLOATS = 4;

export class ParamArena {
  /** Total floats in each arena, padding included. */
  readonly length: number;
  readonly values: Buf;
  private readonly gradArena: Buf;
  private disposed = false;

  constructor(
    readonly backend: Backend,
    readonly params: readonly Param[],
  ) {
    let offset = 0;
    for (const p of params) {
      p.offset = offset;
      offset += Math.ceil(p.size / ALIGN_FLOATS) * ALIGN_FLOATS;
    }
    this.length = offset;
    this.values = backend.alloc(offset);
    try {
      this.gradArena = backend.alloc(offset);
    } catch (error) {
      backend.free(this.values);
      throw error;
    }
    backend.fill(offset, 0, this.values);
    backend.fill(offset, 0, this.gradArena);
    for (const p of params) {
      p.value = backend.view(this.values, p.offset, p.size);
      p.grad = backend.view(this.gradArena, p.offset, p.size);
    }
  }

  /** The gradient arena, with every gradient still marked by zeroGrad set to zero first. */
  get grads(): Buf {
    this.checkAlive('grads');
    for (const p of this.params) {
      if (p.isStale) {
        this.backend.fill(p.size, 0, p.grad);
        p.takeGradBeta();
      }
    }
    return this.gradArena;
  }

  /** The gradient arena for a pass that overwrites every gradient (the fused pass): clears zeroGrad's marks. */
  gradsToOverwrite(): Buf {
    this.checkAlive('gradsToOverwrite');
    for (const p of this.params) p.takeGradBeta();
    return this.gradArena;
  }

  /** Sets every gradient to zero (lazily: see the file comment). */
  zeroGrad(): void {
    for (const p of this.params) p.markStale();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.free(this.values);
    this.backend.free(this.gradArena);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private checkAlive(where: string): void {
    if (this.disposed) throw new Error(`ParamArena.${where}: the parameters have been disposed`);
  }
}
