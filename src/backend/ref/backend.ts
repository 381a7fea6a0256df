// The reference backend: plain TypeScript loops over Float32Array or Float64Array storage. It is the executable
// specification of the kernel interface; every WASM kernel is tested against it. Written for clarity, not speed.
import { CheckedBackend, type Handle } from '../checked.js';
import type {
  Activation,
  AdagradHyper,
  AdamHyper,
  DType,
  MemoryStats,
  RmspropHyper,
  SgdHyper,
} from '../types.js';
import { actBackward, actForward } from './activations.js';
import { add, addRowVector, axpy, clipByValue, mul, scale, sumRows, sumSquares } from './elementwise.js';
import { biasActBackward, biasActForward } from './dense.js';
import { firstNonFinite } from './finite.js';
import { gemm } from './gemm.js';
import { bceWithLogits, huber, mae, mse, softmaxCrossEntropy, softmaxCrossEntropyDense, softmaxRows } from './losses.js';
import { adagradStep, adamStep, rmspropStep, sgdStep } from './optimizers.js';

export type Storage = Float32Array | Float64Array;

class RefBuf implements Handle {
  freed = false;
  readonly root: RefBuf;
  constructor(
    readonly owner: RefBackend,
    readonly data: Storage,
    readonly offset: number,
    root: RefBuf | null,
  ) {
    this.root = root ?? this;
  }
  get length(): number {
    return this.data.length;
  }
}

export interface RefBackendOptions {
  /** Storage element type: 'f32' (default, matches WASM) or 'f64' (for gradient checks). */
  dtype?: DType;
}

export class RefBackend extends CheckedBackend<RefBuf> {
  readonly name = 'ref' as const;
  readonly build = 'typescript';
  readonly dtype: DType;
  private readonly live = new Set<RefBuf>();

  constructor(options: RefBackendOptions = {}) {
    super();
    const dtype = options.dtype ?? 'f32';
    if (dtype !== 'f32' && dtype !== 'f64') throw new Error(`RefBackend: dtype must be 'f32' or 'f64', got ${String(dtype)}`);
    this.dtype = dtype;
  }

  protected isHandle(buf: unknown): buf is RefBuf {
    return buf instanceof RefBuf;
  }

  protected allocImpl(length: number): RefBuf {
    const buf = new RefBuf(this, this.dtype === 'f64' ? new Float64Array(length) : new Float32Array(length), 0, null);
    this.live.add(buf);
    return buf;
  }

  protected freeImpl(buf: RefBuf): void {
    buf.freed = true;
    this.live.delete(buf);
  }

  protected viewImpl(buf: RefBuf, offset: number, length: number): RefBuf {
    return new RefBuf(this, buf.data.subarray(offset, offset + length), buf.offset + offset, buf.root);
  }

  protected writeImpl(buf: RefBuf, src: ArrayLike<number>, offset: number): void {
    for (let i = 0; i < src.length; i++) buf.data[offset + i] = src[i]!;
  }

  protected readImpl<T extends Float32Array | Float64Array>(buf: RefBuf, dst: T | undefined): T {
    const out = dst ?? (this.dtype === 'f64' ? new Float64Array(buf.length) : new Float32Array(buf.length));
    for (let i = 0; i < buf.length; i++) out[i] = buf.data[i]!;
    return out as T;
  }

  protected fillImpl(n: number, value: number, x: RefBuf): void {
    x.data.fill(value, 0, n);
  }

  protected copyImpl(n: number, x: RefBuf, y: RefBuf): void {
    for (let i = 0; i < n; i++) y.data[i] = x.data[i]!;
  }

  memoryStats(): MemoryStats {
    let liveBytes = 0;
    for (const buf of this.live) liveBytes += buf.data.byteLength;
    return { liveBytes, liveBuffers: this.live.size, heapBytes: liveBytes };
  }

  protected disposeImpl(): void {
    for (const buf of this.live) buf.freed = true;
    this.live.clear();
  }

  // prettier-ignore
  protected gemmImpl(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: RefBuf, lda: number, b: RefBuf, ldb: number, beta: number, c: RefBuf, ldc: number): void {
    gemm(transA, transB, m, n, k, alpha, a.data, lda, b.data, ldb, beta, c.data, ldc);
  }

  protected axpyImpl(n: number, alpha: number, x: RefBuf, y: RefBuf): void {
    axpy(n, alpha, x.data, y.data);
  }
  protected scaleImpl(n: number, alpha: number, x: RefBuf, y: RefBuf): void {
    scale(n, alpha, x.data, y.data);
  }
  protected addImpl(n: number, x: RefBuf, y: RefBuf, z: RefBuf): void {
    add(n, x.data, y.data, z.data);
  }
  protected mulImpl(n: number, x: RefBuf, y: RefBuf, z: RefBuf): void {
    mul(n, x.data, y.data, z.data);
  }
  protected addRowVectorImpl(m: number, n: number, x: RefBuf, v: RefBuf, y: RefBuf): void {
    addRowVector(m, n, x.data, v.data, y.data);
  }
  protected sumRowsImpl(m: number, n: number, x: RefBuf, beta: number, out: RefBuf): void {
    sumRows(m, n, x.data, beta, out.data);
  }

  protected actForwardImpl(act: Activation, n: number, x: RefBuf, y: RefBuf, alpha: number): void {
    actForward(act, n, x.data, y.data, alpha);
  }
  // prettier-ignore
  protected actBackwardImpl(act: Activation, n: number, x: RefBuf, y: RefBuf, dy: RefBuf, dx: RefBuf,
    alpha: number): void {
    actBackward(act, n, x.data, y.data, dy.data, dx.data, alpha);
  }
  // prettier-ignore
  protected biasActForwardImpl(act: Activation, m: number, n: number, z: RefBuf, bias: RefBuf | null, y: RefBuf,
    alpha: number): void {
    biasActForward(act, m, n, z.data, bias?.data ?? null, y.data, alpha);
  }
  // prettier-ignore
  protected biasActBackwardImpl(act: Activation, m: number, n: number, z: RefBuf, y: RefBuf, dy: RefBuf, dz: RefBuf,
    beta: number, db: RefBuf | null, alpha: number): void {
    biasActBackward(act, m, n, z.data, y.data, dy.data, dz.data, beta, db?.data ?? null, alpha);
  }
  protected softmaxImpl(m: number, n: number, x: RefBuf, y: RefBuf, log: boolean): void {
    softmaxRows(m, n, x.data, y.data, log);
  }

  protected mseImpl(m: number, n: number, p: RefBuf, t: RefBuf, d: RefBuf | null): number {
    return mse(m * n, p.data, t.data, d?.data ?? null);
  }
  protected maeImpl(m: number, n: number, p: RefBuf, t: RefBuf, d: RefBuf | null): number {
    return mae(m * n, p.data, t.data, d?.data ?? null);
  }
  protected huberImpl(m: number, n: number, p: RefBuf, t: RefBuf, delta: number, d: RefBuf | null): number {
    return huber(m * n, p.data, t.data, delta, d?.data ?? null);
  }
  protected bceWithLogitsImpl(m: number, n: number, z: RefBuf, t: RefBuf, d: RefBuf | null): number {
    return bceWithLogits(m * n, z.data, t.data, d?.data ?? null);
  }
  protected softmaxCrossEntropyImpl(m: number, n: number, z: RefBuf, labels: RefBuf, d: RefBuf | null): number {
    return softmaxCrossEntropy(m, n, z.data, labels.data, d?.data ?? null);
  }
  protected softmaxCrossEntropyDenseImpl(m: number, n: number, z: RefBuf, t: RefBuf, d: RefBuf | null): number {
    return softmaxCrossEntropyDense(m, n, z.data, t.data, d?.data ?? null);
  }

  protected sgdStepImpl(n: number, p: RefBuf, g: RefBuf, v: RefBuf | null, hp: SgdHyper): void {
    sgdStep(n, p.data, g.data, v?.data ?? null, hp);
  }
  // prettier-ignore
  protected rmspropStepImpl(n: number, p: RefBuf, g: RefBuf, sq: RefBuf, gAvg: RefBuf | null, mom: RefBuf | null,
    hp: RmspropHyper): void {
    rmspropStep(n, p.data, g.data, sq.data, gAvg?.data ?? null, mom?.data ?? null, hp);
  }
  // prettier-ignore
  protected adamStepImpl(n: number, p: RefBuf, g: RefBuf, m: RefBuf, v: RefBuf, vMax: RefBuf | null,
    hp: AdamHyper): void {
    adamStep(n, p.data, g.data, m.data, v.data, vMax?.data ?? null, hp);
  }
  protected adagradStepImpl(n: number, p: RefBuf, g: RefBuf, sum: RefBuf, hp: AdagradHyper): void {
    adagradStep(n, p.data, g.data, sum.data, hp);
  }
  protected sumSquaresImpl(n: number, x: RefBuf): number {
    return sumSquares(n, x.data);
  }
  protected firstNonFiniteImpl(n: number, x: RefBuf): number {
    return firstNonFinite(n, x.data);
  }
  protected clipByValueImpl(n: number, lo: number, hi: number, x: RefBuf): void {
    clipByValue(n, lo, hi, x.data);
  }
}
