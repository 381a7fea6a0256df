// The WASM backend: binds the module's exports once and forwards every call; no maths happens in TypeScript.
import { CheckedBackend, type Handle } from '../checked.js';
import {
  ACTIVATIONS,
  type Buf,
  type Activation,
  type AdagradHyper,
  type AdamHyper,
  type MemoryStats,
  type RmspropHyper,
  type SgdHyper,
} from '../types.js';
import type { KernelExports } from './exports.js';
import { Heap } from './heap.js';

class WasmBuf implements Handle {
  freed = false;
  readonly root: WasmBuf;
  constructor(
    readonly owner: WasmBackend,
    /** Byte address in linear memory. */
    readonly ptr: number,
    readonly length: number,
    readonly offset: number,
    root: WasmBuf | null,
  ) {
    this.root = root ?? this;
  }
}

const NULL = 0;
const ptr = (b: WasmBuf | null): number => (b === null ? NULL : b.ptr);
const ACT_CODE = new Map<Activation, number>(ACTIVATIONS.map((act, i) => [act, i]));

export class WasmBackend extends CheckedBackend<WasmBuf> {
  readonly name = 'wasm' as const;
  readonly dtype = 'f32' as const;
  private readonly heap: Heap;
  private readonly live = new Set<WasmBuf>();
  private f32View: Float32Array;
  private readonly gemmWork: WasmBuf;

  constructor(
    private readonly k: KernelExports,
    readonly memory: WebAssembly.Memory,
    maxBytes: number,
    /** 'simd' or 'relaxed-simd'. */
    readonly build: string,
  ) {
    super();
    this.heap = new Heap(memory, k.heap_base(), maxBytes);
    this.f32View = new Float32Array(memory.buffer);
    this.gemmWork = this.allocImpl(k.f32_gemm_workspace_floats());
    this.live.delete(this.gemmWork); // internal: not counted as a user buffer
  }

  /** The module's exports, for kernels outside the Backend interface (such as the fused small-network pass). */
  get kernels(): KernelExports {
    return this.k;
  }

  /** The byte address of a live buffer of this backend in linear memory; stable until the buffer is freed. */
  pointer(buf: Buf): number {
    return this.arg('pointer', 'buf', buf, 0).ptr;
  }

  /** The float view of the whole memory, rebuilt when the memory has grown (growth detaches the old buffer). */
  private get f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }

  protected isHandle(buf: unknown): buf is WasmBuf {
    return buf instanceof WasmBuf;
  }

  protected allocImpl(length: number): WasmBuf {
    const buf = new WasmBuf(this, this.heap.alloc(length * 4), length, 0, null);
    this.live.add(buf);
    return buf;
  }

  protected freeImpl(buf: WasmBuf): void {
    this.heap.free(buf.ptr, buf.length * 4);
    buf.freed = true;
    this.live.delete(buf);
  }

  protected viewImpl(buf: WasmBuf, offset: number, length: number): WasmBuf {
    return new WasmBuf(this, buf.ptr + offset * 4, length, buf.offset + offset, buf.root);
  }

  protected writeImpl(buf: WasmBuf, src: ArrayLike<number>, offset: number): void {
    const at = (buf.ptr >>> 2) + offset;
    if (src instanceof Float32Array || src instanceof Float64Array || Array.isArray(src)) {
      this.f32.set(src, at);
    } else {
      const f32 = this.f32;
      for (let i = 0; i < src.length; i++) f32[at + i] = src[i]!;
    }
  }

  protected readImpl<T extends Float32Array | Float64Array>(buf: WasmBuf, dst: T | undefined): T {
    const start = buf.ptr >>> 2;
    const src = this.f32.subarray(start, start + buf.length);
    if (dst === undefined) return src.slice() as T;
    dst.set(src);
    return dst;
  }

  protected fillImpl(n: number, value: number, x: WasmBuf): void {
    this.k.f32_fill(n, value, x.ptr);
  }

  protected copyImpl(n: number, x: WasmBuf, y: WasmBuf): void {
    this.k.f32_copy(n, x.ptr, y.ptr);
  }

  memoryStats(): MemoryStats {
    const internal = Heap.blockSize(this.gemmWork.length * 4);
    return {
      liveBytes: this.heap.liveBytes - internal,
      liveBuffers: this.heap.liveBuffers - 1,
      heapBytes: this.heap.spanBytes,
    };
  }

  protected disposeImpl(): void {
    for (const buf of this.live) buf.freed = true;
    this.live.clear();
    this.gemmWork.freed = true;
  }

  // prettier-ignore
  protected gemmImpl(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: WasmBuf, lda: number, b: WasmBuf, ldb: number, beta: number, c: WasmBuf, ldc: number): void {
    this.k.f32_gemm(+transA, +transB, m, n, k, alpha, a.ptr, lda, b.ptr, ldb, beta, c.ptr, ldc, this.gemmWork.ptr);
  }

  protected axpyImpl(n: number, alpha: number, x: WasmBuf, y: WasmBuf): void {
    this.k.f32_axpy(n, alpha, x.ptr, y.ptr);
  }
  protected scaleImpl(n: number, alpha: number, x: WasmBuf, y: WasmBuf): void {
    this.k.f32_scale(n, alpha, x.ptr, y.ptr);
  }
  protected addImpl(n: number, x: WasmBuf, y: WasmBuf, z: WasmBuf): void {
    this.k.f32_add(n, x.ptr, y.ptr, z.ptr);
  }
  protected mulImpl(n: number, x: WasmBuf, y: WasmBuf, z: WasmBuf): void {
    this.k.f32_mul(n, x.ptr, y.ptr, z.ptr);
  }
  protected addRowVectorImpl(m: number, n: number, x: WasmBuf, v: WasmBuf, y: WasmBuf): void {
    this.k.f32_add_row_vector(m, n, x.ptr, v.ptr, y.ptr);
  }
  protected sumRowsImpl(m: number, n: number, x: WasmBuf, beta: number, out: WasmBuf): void {
    this.k.f32_sum_rows(m, n, x.ptr, beta, out.ptr);
  }

  protected actForwardImpl(act: Activation, n: number, x: WasmBuf, y: WasmBuf, alpha: number): void {
    this.k.f32_act_forward(ACT_CODE.get(act)!, n, x.ptr, y.ptr, alpha);
  }
  // prettier-ignore
  protected actBackwardImpl(act: Activation, n: number, x: WasmBuf, y: WasmBuf, dy: WasmBuf, dx: WasmBuf,
    alpha: number): void {
    this.k.f32_act_backward(ACT_CODE.get(act)!, n, x.ptr, y.ptr, dy.ptr, dx.ptr, alpha);
  }
  // prettier-ignore
  protected biasActForwardImpl(act: Activation, m: number, n: number, z: WasmBuf, bias: WasmBuf | null, y: WasmBuf,
    alpha: number): void {
    this.k.f32_bias_act_forward(ACT_CODE.get(act)!, m, n, z.ptr, ptr(bias), y.ptr, alpha);
  }
  // prettier-ignore
  protected biasActBackwardImpl(act: Activation, m: number, n: number, z: WasmBuf, y: WasmBuf, dy: WasmBuf,
    dz: WasmBuf, beta: number, db: WasmBuf | null, alpha: number): void {
    this.k.f32_bias_act_backward(ACT_CODE.get(act)!, m, n, z.ptr, y.ptr, dy.ptr, dz.ptr, beta, ptr(db), alpha);
  }
  protected softmaxImpl(m: number, n: number, x: WasmBuf, y: WasmBuf, log: boolean): void {
    this.k.f32_softmax_rows(m, n, x.ptr, y.ptr, +log);
  }

  protected mseImpl(m: number, n: number, p: WasmBuf, t: WasmBuf, d: WasmBuf | null): number {
    return this.k.f32_mse(m * n, p.ptr, t.ptr, ptr(d));
  }
  protected maeImpl(m: number, n: number, p: WasmBuf, t: WasmBuf, d: WasmBuf | null): number {
    return this.k.f32_mae(m * n, p.ptr, t.ptr, ptr(d));
  }
  protected huberImpl(m: number, n: number, p: WasmBuf, t: WasmBuf, delta: number, d: WasmBuf | null): number {
    return this.k.f32_huber(m * n, p.ptr, t.ptr, delta, ptr(d));
  }
  protected bceWithLogitsImpl(m: number, n: number, z: WasmBuf, t: WasmBuf, d: WasmBuf | null): number {
    return this.k.f32_bce_with_logits(m * n, z.ptr, t.ptr, ptr(d));
  }
  protected softmaxCrossEntropyImpl(m: number, n: number, z: WasmBuf, labels: WasmBuf, d: WasmBuf | null): number {
    return this.k.f32_softmax_cross_entropy(m, n, z.ptr, labels.ptr, ptr(d));
  }
  protected softmaxCrossEntropyDenseImpl(m: number, n: number, z: WasmBuf, t: WasmBuf, d: WasmBuf | null): number {
    return this.k.f32_softmax_cross_entropy_dense(m, n, z.ptr, t.ptr, ptr(d));
  }

  protected sgdStepImpl(n: number, p: WasmBuf, g: WasmBuf, v: WasmBuf | null, hp: SgdHyper): void {
    // prettier-ignore
    this.k.f32_sgd_step(n, p.ptr, g.ptr, ptr(v), hp.lr, hp.momentum, hp.dampening, +hp.nesterov, hp.weightDecay,
      +hp.firstStep);
  }
  // prettier-ignore
  protected rmspropStepImpl(n: number, p: WasmBuf, g: WasmBuf, sq: WasmBuf, gAvg: WasmBuf | null,
    mom: WasmBuf | null, hp: RmspropHyper): void {
    this.k.f32_rmsprop_step(n, p.ptr, g.ptr, sq.ptr, ptr(gAvg), ptr(mom), hp.lr, hp.alpha, hp.eps, hp.momentum,
      +hp.centered, hp.weightDecay);
  }
  // prettier-ignore
  protected adamStepImpl(n: number, p: WasmBuf, g: WasmBuf, m: WasmBuf, v: WasmBuf, vMax: WasmBuf | null,
    hp: AdamHyper): void {
    this.k.f32_adam_step(n, p.ptr, g.ptr, m.ptr, v.ptr, ptr(vMax), hp.lr, hp.beta1, hp.beta2, hp.eps,
      hp.weightDecay, +hp.decoupledWeightDecay, +hp.amsgrad, hp.biasCorrection1, hp.biasCorrection2);
  }
  protected adagradStepImpl(n: number, p: WasmBuf, g: WasmBuf, sum: WasmBuf, hp: AdagradHyper): void {
    this.k.f32_adagrad_step(n, p.ptr, g.ptr, sum.ptr, hp.lr, hp.eps, hp.weightDecay);
  }
  protected sumSquaresImpl(n: number, x: WasmBuf): number {
    return this.k.f32_sum_squares(n, x.ptr);
  }
  protected firstNonFiniteImpl(n: number, x: WasmBuf): number {
    return this.k.f32_first_non_finite(n, x.ptr);
  }
  protected clipByValueImpl(n: number, lo: number, hi: number, x: WasmBuf): void {
    this.k.f32_clip_by_value(n, lo, hi, x.ptr);
  }
}
