// Running the fused small-MLP pass on the WASM backend: one call for forward, loss and backward of a whole Dense
// stack, used by training steps of networks so small that per-kernel call overhead would dominate (XOR-sized).
import type { Backend, Buf } from '../../backend/types.js';
import { WasmBackend } from '../../backend/wasm/backend.js';
import type { KernelExports } from '../../backend/wasm/exports.js';
import type { Loss, TargetKind } from '../losses.js';
import type { Sequential } from '../sequential.js';
import { describeLayers, LAYER_FIELDS, lossCode } from './plan.js';

/** Above this many multiply-adds per layer per row, the blocked GEMM beats the fused pass's plain row loops. */
const MAX_LAYER_MACS = 1024;
/** Largest batch the fused pass is used for. */
const MAX_ROWS = 256;

/** The exports and buffer addresses of a WASM backend; null for any other backend. */
function wasmInternals(be: Backend): { exports: KernelExports; ptr: (buf: Buf) => number } | null {
  if (!(be instanceof WasmBackend)) return null;
  return { exports: be.kernels, ptr: (buf) => be.pointer(buf) };
}

export class FusedMlp {
  private work: Buf | null = null;
  private workRows = 0;

  private constructor(
    private readonly be: Backend,
    private readonly k: KernelExports,
    private readonly ptr: (buf: Buf) => number,
    private readonly desc: Buf,
    private readonly layers: number,
    private readonly loss: Loss,
  ) {}

  /** A fused runner for `model`, or null when its backend or layers do not allow one. */
  static create(model: Sequential, loss: Loss): FusedMlp | null {
    const internals = wasmInternals(model.backend);
    const values = describeLayers(model.layers);
    if (internals === null || values === null) return null;
    for (let l = 0; l < model.layers.length; l++) {
      if (values[l * LAYER_FIELDS]! * values[l * LAYER_FIELDS + 1]! > MAX_LAYER_MACS) return null;
    }
    const desc = model.backend.alloc(values.length);
    model.backend.write(desc, values);
    return new FusedMlp(model.backend, internals.exports, internals.ptr, desc, model.layers.length, loss);
  }

  /** Whether a batch of m rows goes through the fused pass. */
  accepts(m: number): boolean {
    return m <= MAX_ROWS;
  }

  /** Forward, loss and backward over m rows of x and target (buffers of the model); overwrites the gradients. */
  run(m: number, kind: TargetKind, x: Buf, target: Buf, params: Buf, grads: Buf): number {
    if (m > this.workRows) this.reserve(m);
    const { k, ptr } = this;
    return k.f32_mlp_forward_backward(ptr(this.desc), this.layers, m, ptr(x), ptr(target), ptr(params), ptr(grads),
      ptr(this.work!), lossCode(this.loss, kind), this.loss.delta ?? 1);
  }

  private reserve(m: number): void {
    if (this.work !== null) this.be.free(this.work);
    this.work = this.be.alloc(this.k.f32_mlp_workspace_floats(this.ptr(this.desc), this.layers, m));
    this.workRows = m;
  }

  dispose(): void {
    if (this.work !== null) this.be.free(this.work);
    this.be.free(this.desc);
    this.work = null;
  }
}
