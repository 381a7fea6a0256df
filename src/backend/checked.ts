// The public side of every backend: each method checks its arguments, then calls the backend's kernel with resolved
// buffer handles. Backends implement only the `…Impl` methods, so both report bad input identically, and no kernel
// ever sees a size, buffer or hyper-parameter it cannot handle (no WASM trap reaches the caller).
// Why the WASM kernels' i32 sizes and u32 byte offsets cannot overflow: work whose product of sizes is 0 returns here,
// before any kernel, however large the other sizes; every other size is bounded by the length of a live buffer
// (< 2³⁰ floats in a memory of at most 4 GiB), so n·4, i·n·4 and (rows − 1)·ld·4 + cols·4 all fit. The one size no
// buffer bounds is the leading dimension of a gemm operand with one row or no columns, whose stride is never used
// (test/bad-input.test.ts passes lds beyond 2³² there).
import { checkBoolean, checkFinite, checkLeading, checkRange, checkSize, matrixExtent } from './checks.js';
import {
  ACTIVATIONS,
  DEFAULT_ACTIVATION_ALPHA,
  type Activation,
  type AdagradHyper,
  type AdamHyper,
  type Backend,
  type Buf,
  type DType,
  type MemoryStats,
  type RmspropHyper,
  type SgdHyper,
} from './types.js';

/** What every backend's buffer handle carries. `root` is the allocation a view belongs to (itself for a root). */
export interface Handle extends Buf {
  readonly owner: object;
  readonly root: { freed: boolean };
  /** Element offset from the start of the root. */
  readonly offset: number;
}

export abstract class CheckedBackend<H extends Handle> implements Backend {
  abstract readonly name: 'wasm' | 'ref';
  abstract readonly dtype: DType;
  abstract readonly build: string;
  protected disposed = false;

  // ---- what a backend implements ----
  protected abstract isHandle(buf: unknown): buf is H;
  protected abstract allocImpl(length: number): H;
  protected abstract freeImpl(buf: H): void;
  protected abstract viewImpl(buf: H, offset: number, length: number): H;
  protected abstract writeImpl(buf: H, src: ArrayLike<number>, offset: number): void;
  protected abstract readImpl<T extends Float32Array | Float64Array>(buf: H, dst: T | undefined): T;
  protected abstract fillImpl(n: number, value: number, x: H): void;
  protected abstract copyImpl(n: number, x: H, y: H): void;
  abstract memoryStats(): MemoryStats;
  protected abstract disposeImpl(): void;
  // prettier-ignore
  protected abstract gemmImpl(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: H, lda: number, b: H, ldb: number, beta: number, c: H, ldc: number): void;
  protected abstract axpyImpl(n: number, alpha: number, x: H, y: H): void;
  protected abstract scaleImpl(n: number, alpha: number, x: H, y: H): void;
  protected abstract addImpl(n: number, x: H, y: H, z: H): void;
  protected abstract mulImpl(n: number, x: H, y: H, z: H): void;
  protected abstract addRowVectorImpl(m: number, n: number, x: H, v: H, y: H): void;
  protected abstract sumRowsImpl(m: number, n: number, x: H, beta: number, out: H): void;
  protected abstract actForwardImpl(act: Activation, n: number, x: H, y: H, alpha: number): void;
  protected abstract actBackwardImpl(act: Activation, n: number, x: H, y: H, dy: H, dx: H, alpha: number): void;
  // prettier-ignore
  protected abstract biasActForwardImpl(act: Activation, m: number, n: number, z: H, bias: H | null, y: H,
    alpha: number): void;
  // prettier-ignore
  protected abstract biasActBackwardImpl(act: Activation, m: number, n: number, z: H, y: H, dy: H, dz: H, beta: number,
    db: H | null, alpha: number): void;
  protected abstract softmaxImpl(m: number, n: number, x: H, y: H, log: boolean): void;
  protected abstract mseImpl(m: number, n: number, pred: H, target: H, dPred: H | null): number;
  protected abstract maeImpl(m: number, n: number, pred: H, target: H, dPred: H | null): number;
  protected abstract huberImpl(m: number, n: number, pred: H, target: H, delta: number, dPred: H | null): number;
  protected abstract bceWithLogitsImpl(m: number, n: number, logits: H, target: H, dLogits: H | null): number;
  /** Returns the loss, or −(i + 1) when row i's label is not an integer in 0..n−1 (nothing written then). */
  protected abstract softmaxCrossEntropyImpl(m: number, n: number, logits: H, labels: H, dLogits: H | null): number;
  protected abstract softmaxCrossEntropyDenseImpl(m: number, n: number, logits: H, t: H, dLogits: H | null): number;
  protected abstract sgdStepImpl(n: number, p: H, g: H, velocity: H | null, hp: SgdHyper): void;
  // prettier-ignore
  protected abstract rmspropStepImpl(n: number, p: H, g: H, sq: H, gAvg: H | null, mom: H | null,
    hp: RmspropHyper): void;
  protected abstract adamStepImpl(n: number, p: H, g: H, m: H, v: H, vMax: H | null, hp: AdamHyper): void;
  protected abstract adagradStepImpl(n: number, p: H, g: H, sum: H, hp: AdagradHyper): void;
  protected abstract sumSquaresImpl(n: number, x: H): number;
  protected abstract firstNonFiniteImpl(n: number, x: H): number;
  protected abstract clipByValueImpl(n: number, lo: number, hi: number, x: H): void;

  // ---- argument resolution ----

  /** Resolves a buffer argument: ours, alive, and holding at least `need` elements. */
  protected arg(where: string, name: string, buf: Buf, need: number, detail = ''): H {
    if (this.disposed) throw new Error(`${where}: this ${this.name} backend has been disposed`);
    if (!this.isHandle(buf) || buf.owner !== this) {
      throw new Error(`${where}: ${name} is not a buffer of this ${this.name} backend (got ${describe(buf)})`);
    }
    if (buf.root.freed) throw new Error(`${where}: ${name} has been freed`);
    if (buf.length < need) {
      const why = detail ? ` (${detail})` : '';
      throw new Error(`${where}: ${name} has ${buf.length} elements, expected at least ${need}${why}`);
    }
    return buf;
  }

  private optArg(where: string, name: string, buf: Buf | null, need: number, detail = ''): H | null {
    return buf === null ? null : this.arg(where, name, buf, need, detail);
  }

  /**
   * Buffers that must not partially overlap. With `allowSame`, two that start at the same element (the documented
   * in-place case) pass; without it, any shared element is an error.
   */
  private disjoint(where: string, allowSame: boolean, ...entries: [string, H | null, number][]): void {
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const [nameA, a, lenA] = entries[i]!;
        const [nameB, b, lenB] = entries[j]!;
        if (a === null || b === null || a.root !== b.root || !overlaps(a.offset, lenA, b.offset, lenB)) continue;
        if (allowSame && a.offset === b.offset) continue;
        const rule = allowSame ? 'they may only be the same buffer' : 'they must be separate buffers';
        throw new Error(`${where}: ${nameA} and ${nameB} overlap; ${rule}`);
      }
    }
  }

  /** disjoint(where, false, [nameA, a, lenA], [nameB, b, lenB]) for one pair, without allocating (per-call checks). */
  private apart(where: string, nameA: string, a: H | null, lenA: number, nameB: string, b: H, lenB: number): void {
    if (a !== null && a.root === b.root && overlaps(a.offset, lenA, b.offset, lenB)) {
      throw new Error(`${where}: ${nameA} and ${nameB} overlap; they must be separate buffers`);
    }
  }

  private sizes(where: string, sizes: Record<string, number>): void {
    for (const key in sizes) checkSize(where, key, sizes[key]!);
  }

  // ---- buffers ----

  alloc(length: number): Buf {
    if (this.disposed) throw new Error(`alloc: this ${this.name} backend has been disposed`);
    checkSize('alloc', 'length', length);
    return this.allocImpl(length);
  }

  free(buf: Buf): void {
    const h = this.arg('free', 'buf', buf, 0);
    if (h.root !== (h as unknown)) throw new Error('free: buf is a view; free the buffer it was made from');
    this.freeImpl(h);
  }

  view(buf: Buf, offset: number, length: number): Buf {
    this.sizes('view', { offset, length });
    const h = this.arg('view', 'buf', buf, offset + length, `offset ${offset} + length ${length}`);
    return this.viewImpl(h, offset, length);
  }

  write(buf: Buf, src: ArrayLike<number>, offset = 0): void {
    checkSize('write', 'offset', offset);
    if (src === null || typeof src !== 'object' || typeof src.length !== 'number') {
      throw new Error(`write: src must be an array or typed array, got ${describe(src)}`);
    }
    checkNumbers(src);
    const h = this.arg('write', 'buf', buf, offset + src.length, `offset ${offset} + src.length ${src.length}`);
    this.writeImpl(h, src, offset);
  }

  read<T extends Float32Array | Float64Array>(buf: Buf, dst?: T): T {
    const h = this.arg('read', 'buf', buf, 0);
    if (dst !== undefined) {
      if (!(dst instanceof Float32Array || dst instanceof Float64Array)) {
        throw new Error(`read: dst must be a Float32Array or Float64Array, got ${describe(dst)}`);
      }
      if (dst.length < h.length) {
        throw new Error(`read: dst has ${dst.length} elements, expected at least ${h.length}`);
      }
    }
    return this.readImpl(h, dst);
  }

  fill(n: number, value: number, x: Buf): void {
    checkSize('fill', 'n', n);
    if (typeof value !== 'number') throw new Error(`fill: value must be a number, got ${describe(value)}`);
    this.fillImpl(n, value, this.arg('fill', 'x', x, n));
  }

  copy(n: number, x: Buf, y: Buf): void {
    checkSize('copy', 'n', n);
    const hx = this.arg('copy', 'x', x, n);
    const hy = this.arg('copy', 'y', y, n);
    this.disjoint('copy', true, ['x', hx, n], ['y', hy, n]);
    this.copyImpl(n, hx, hy);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposeImpl();
    this.disposed = true;
  }

  // ---- gemm ----

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Buf,
    lda: number,
    b: Buf,
    ldb: number,
    beta: number,
    c: Buf,
    ldc: number,
  ): void {
    const w = 'gemm';
    checkBoolean(w, 'transA', transA);
    checkBoolean(w, 'transB', transB);
    this.sizes(w, { m, n, k });
    checkFinite(w, 'alpha', alpha);
    checkFinite(w, 'beta', beta);
    const [aRows, aCols] = transA ? [k, m] : [m, k];
    const [bRows, bCols] = transB ? [n, k] : [k, n];
    checkLeading(w, 'lda', lda, aCols, `A is ${aRows}×${aCols} with transA=${transA}`);
    checkLeading(w, 'ldb', ldb, bCols, `B is ${bRows}×${bCols} with transB=${transB}`);
    checkLeading(w, 'ldc', ldc, n, `C is ${m}×${n}`);
    const ha = this.arg(w, 'a', a, matrixExtent(aRows, aCols, lda), `A is ${aRows}×${aCols}, lda=${lda}`);
    const hb = this.arg(w, 'b', b, matrixExtent(bRows, bCols, ldb), `B is ${bRows}×${bCols}, ldb=${ldb}`);
    const cExtent = matrixExtent(m, n, ldc);
    const hc = this.arg(w, 'c', c, cExtent, `C is ${m}×${n}, ldc=${ldc}`);
    if (cExtent > 0) {
      for (const [name, h, extent] of [
        ['a', ha, matrixExtent(aRows, aCols, lda)],
        ['b', hb, matrixExtent(bRows, bCols, ldb)],
      ] as const) {
        if (h.root === hc.root && extent > 0 && overlaps(h.offset, extent, hc.offset, cExtent)) {
          throw new Error(`gemm: c overlaps ${name}; C must not alias A or B`);
        }
      }
    }
    if (m === 0 || n === 0) return;
    this.gemmImpl(transA, transB, m, n, k, alpha, ha, lda, hb, ldb, beta, hc, ldc);
  }

  // ---- elementwise ----

  axpy(n: number, alpha: number, x: Buf, y: Buf): void {
    checkSize('axpy', 'n', n);
    checkFinite('axpy', 'alpha', alpha);
    const [hx, hy] = [this.arg('axpy', 'x', x, n), this.arg('axpy', 'y', y, n)];
    this.disjoint('axpy', true, ['x', hx, n], ['y', hy, n]);
    this.axpyImpl(n, alpha, hx, hy);
  }

  scale(n: number, alpha: number, x: Buf, y: Buf): void {
    checkSize('scale', 'n', n);
    checkFinite('scale', 'alpha', alpha);
    const [hx, hy] = [this.arg('scale', 'x', x, n), this.arg('scale', 'y', y, n)];
    this.disjoint('scale', true, ['x', hx, n], ['y', hy, n]);
    this.scaleImpl(n, alpha, hx, hy);
  }

  add(n: number, x: Buf, y: Buf, z: Buf): void {
    checkSize('add', 'n', n);
    const [hx, hy, hz] = [this.arg('add', 'x', x, n), this.arg('add', 'y', y, n), this.arg('add', 'z', z, n)];
    this.disjoint('add', true, ['x', hx, n], ['z', hz, n]);
    this.disjoint('add', true, ['y', hy, n], ['z', hz, n]);
    this.addImpl(n, hx, hy, hz);
  }

  mul(n: number, x: Buf, y: Buf, z: Buf): void {
    checkSize('mul', 'n', n);
    const [hx, hy, hz] = [this.arg('mul', 'x', x, n), this.arg('mul', 'y', y, n), this.arg('mul', 'z', z, n)];
    this.disjoint('mul', true, ['x', hx, n], ['z', hz, n]);
    this.disjoint('mul', true, ['y', hy, n], ['z', hz, n]);
    this.mulImpl(n, hx, hy, hz);
  }

  addRowVector(m: number, n: number, x: Buf, v: Buf, y: Buf): void {
    const w = 'addRowVector';
    this.sizes(w, { m, n });
    const mn = m * n;
    const hx = this.arg(w, 'x', x, mn, `${m}×${n}`);
    const hv = this.arg(w, 'v', v, n);
    const hy = this.arg(w, 'y', y, mn, `${m}×${n}`);
    this.disjoint(w, true, ['x', hx, mn], ['y', hy, mn]);
    this.disjoint(w, false, ['v', hv, n], ['y', hy, mn]);
    if (mn === 0) return; // empty: m rows of nothing need no loop, however large m is
    this.addRowVectorImpl(m, n, hx, hv, hy);
  }

  sumRows(m: number, n: number, x: Buf, beta: number, out: Buf): void {
    const w = 'sumRows';
    this.sizes(w, { m, n });
    checkFinite(w, 'beta', beta);
    const [hx, ho] = [this.arg(w, 'x', x, m * n, `${m}×${n}`), this.arg(w, 'out', out, n)];
    this.disjoint(w, false, ['x', hx, m * n], ['out', ho, n]);
    if (n === 0) return; // (m = 0 still writes out ← β·out)
    this.sumRowsImpl(m, n, hx, beta, ho);
  }

  // ---- activations ----

  private activation(where: string, act: Activation, alpha: number | undefined): number {
    if (!ACTIVATIONS.includes(act)) {
      throw new Error(`${where}: unknown activation ${JSON.stringify(act)}; expected one of ${ACTIVATIONS.join(', ')}`);
    }
    const value = alpha ?? DEFAULT_ACTIVATION_ALPHA[act] ?? 0;
    checkFinite(where, 'alpha', value);
    if (act === 'elu' && value < 0) throw new Error(`${where}: alpha for elu must be ≥ 0, got ${value}`);
    return value;
  }

  actForward(act: Activation, n: number, x: Buf, y: Buf, alpha?: number): void {
    const w = 'actForward';
    const a = this.activation(w, act, alpha);
    checkSize(w, 'n', n);
    const [hx, hy] = [this.arg(w, 'x', x, n), this.arg(w, 'y', y, n)];
    this.disjoint(w, true, ['x', hx, n], ['y', hy, n]);
    this.actForwardImpl(act, n, hx, hy, a);
  }

  actBackward(act: Activation, n: number, x: Buf, y: Buf, dy: Buf, dx: Buf, alpha?: number): void {
    const w = 'actBackward';
    const a = this.activation(w, act, alpha);
    checkSize(w, 'n', n);
    const hx = this.arg(w, 'x', x, n);
    const hy = this.arg(w, 'y', y, n);
    const [hdy, hdx] = [this.arg(w, 'dy', dy, n), this.arg(w, 'dx', dx, n)];
    this.disjoint(w, true, ['dy', hdy, n], ['dx', hdx, n]);
    this.disjoint(w, false, ['x', hx, n], ['dx', hdx, n]);
    this.disjoint(w, false, ['y', hy, n], ['dx', hdx, n]);
    this.actBackwardImpl(act, n, hx, hy, hdy, hdx, a);
  }

  biasActForward(act: Activation, m: number, n: number, z: Buf, bias: Buf | null, y: Buf, alpha?: number): void {
    const w = 'biasActForward';
    const a = this.activation(w, act, alpha);
    this.sizes(w, { m, n });
    const mn = m * n;
    const hz = this.arg(w, 'z', z, mn, `${m}×${n}`);
    const hb = this.optArg(w, 'bias', bias, n);
    const hy = this.arg(w, 'y', y, mn, `${m}×${n}`);
    this.disjoint(w, true, ['z', hz, mn], ['y', hy, mn]);
    this.apart(w, 'bias', hb, n, 'z', hz, mn);
    this.apart(w, 'bias', hb, n, 'y', hy, mn);
    if (mn === 0) return;
    this.biasActForwardImpl(act, m, n, hz, hb, hy, a);
  }

  // prettier-ignore
  biasActBackward(act: Activation, m: number, n: number, z: Buf, y: Buf, dy: Buf, dz: Buf, beta: number,
    db: Buf | null, alpha?: number): void {
    const w = 'biasActBackward';
    const a = this.activation(w, act, alpha);
    this.sizes(w, { m, n });
    checkFinite(w, 'beta', beta);
    const mn = m * n;
    const shape = `${m}×${n}`;
    const [hz, hy] = [this.arg(w, 'z', z, mn, shape), this.arg(w, 'y', y, mn, shape)];
    const [hdy, hdz] = [this.arg(w, 'dy', dy, mn, shape), this.arg(w, 'dz', dz, mn, shape)];
    const hdb = this.optArg(w, 'db', db, n);
    this.disjoint(w, true, ['dy', hdy, mn], ['dz', hdz, mn]);
    this.apart(w, 'z', hz, mn, 'dz', hdz, mn);
    this.apart(w, 'y', hy, mn, 'dz', hdz, mn);
    this.apart(w, 'db', hdb, n, 'z', hz, mn);
    this.apart(w, 'db', hdb, n, 'y', hy, mn);
    this.apart(w, 'db', hdb, n, 'dy', hdy, mn);
    this.apart(w, 'db', hdb, n, 'dz', hdz, mn);
    if (n === 0) return; // (m = 0 still writes db ← β·db)
    this.biasActBackwardImpl(act, m, n, hz, hy, hdy, hdz, beta, hdb, a);
  }

  softmax(m: number, n: number, x: Buf, y: Buf): void {
    this.rows('softmax', m, n, x, y, false);
  }

  logSoftmax(m: number, n: number, x: Buf, y: Buf): void {
    this.rows('logSoftmax', m, n, x, y, true);
  }

  private rows(w: string, m: number, n: number, x: Buf, y: Buf, log: boolean): void {
    this.sizes(w, { m, n });
    const hx = this.arg(w, 'x', x, m * n, `${m}×${n}`);
    const hy = this.arg(w, 'y', y, m * n, `${m}×${n}`);
    this.disjoint(w, true, ['x', hx, m * n], ['y', hy, m * n]);
    if (m * n === 0) return;
    this.softmaxImpl(m, n, hx, hy, log);
  }

  // ---- losses ----

  private lossArgs(w: string, m: number, n: number, pred: Buf, target: Buf, d: Buf | null, names: [string, string]) {
    this.sizes(w, { m, n });
    const shape = `${m}×${n}`;
    const args = [
      this.arg(w, names[0], pred, m * n, shape),
      this.arg(w, 'target', target, m * n, shape),
      this.optArg(w, names[1], d, m * n, shape),
    ] as const;
    this.disjoint(w, true, [names[0], args[0], m * n], [names[1], args[2], m * n]);
    this.disjoint(w, false, ['target', args[1], m * n], [names[1], args[2], m * n]);
    return args;
  }

  mse(m: number, n: number, pred: Buf, target: Buf, dPred: Buf | null): number {
    const args = this.lossArgs('mse', m, n, pred, target, dPred, ['pred', 'dPred']);
    return m * n === 0 ? 0 : this.mseImpl(m, n, ...args);
  }

  mae(m: number, n: number, pred: Buf, target: Buf, dPred: Buf | null): number {
    const args = this.lossArgs('mae', m, n, pred, target, dPred, ['pred', 'dPred']);
    return m * n === 0 ? 0 : this.maeImpl(m, n, ...args);
  }

  huber(m: number, n: number, pred: Buf, target: Buf, delta: number, dPred: Buf | null): number {
    checkRange('huber', 'delta', delta, 0, Infinity, { loOpen: true, hiOpen: true });
    const [p, t, d] = this.lossArgs('huber', m, n, pred, target, dPred, ['pred', 'dPred']);
    return m * n === 0 ? 0 : this.huberImpl(m, n, p, t, delta, d);
  }

  bceWithLogits(m: number, n: number, logits: Buf, target: Buf, dLogits: Buf | null): number {
    const args = this.lossArgs('bceWithLogits', m, n, logits, target, dLogits, ['logits', 'dLogits']);
    return m * n === 0 ? 0 : this.bceWithLogitsImpl(m, n, ...args);
  }

  softmaxCrossEntropy(m: number, n: number, logits: Buf, labels: Buf, dLogits: Buf | null): number {
    const w = 'softmaxCrossEntropy';
    this.sizes(w, { m, n });
    const shape = `${m}×${n}`;
    const hz = this.arg(w, 'logits', logits, m * n, shape);
    const hl = this.arg(w, 'labels', labels, m, `one label per row, m=${m}`);
    const hd = this.optArg(w, 'dLogits', dLogits, m * n, shape);
    this.disjoint(w, true, ['logits', hz, m * n], ['dLogits', hd, m * n]);
    this.disjoint(w, false, ['labels', hl, m], ['dLogits', hd, m * n]);
    if (m > 0 && n === 0) throw new Error(`${w}: n must be ≥ 1 when there are rows to label, got 0`);
    if (m === 0) return 0;
    const loss = this.softmaxCrossEntropyImpl(m, n, hz, hl, hd);
    if (loss < 0) {
      const row = -loss - 1;
      const label = this.readImpl(this.viewImpl(hl, row, 1), undefined)[0];
      throw new Error(`${w}: labels[${row}] must be an integer class in 0..${n - 1}, got ${label}`);
    }
    return loss;
  }

  softmaxCrossEntropyDense(m: number, n: number, logits: Buf, target: Buf, dLogits: Buf | null): number {
    const w = 'softmaxCrossEntropyDense';
    const args = this.lossArgs(w, m, n, logits, target, dLogits, ['logits', 'dLogits']);
    return m * n === 0 ? 0 : this.softmaxCrossEntropyDenseImpl(m, n, ...args);
  }

  // ---- optimizers ----

  sgdStep(n: number, param: Buf, grad: Buf, velocity: Buf | null, hp: SgdHyper): void {
    const w = 'sgdStep';
    checkSize(w, 'n', n);
    checkSgdHyper(w, hp);
    const p = this.arg(w, 'param', param, n);
    const g = this.arg(w, 'grad', grad, n);
    if (hp.momentum > 0 && velocity === null) throw new Error(`${w}: velocity is required when momentum > 0`);
    const v = hp.momentum > 0 ? this.optArg(w, 'velocity', velocity, n) : null;
    this.disjoint(w, false, ['param', p, n], ['grad', g, n], ['velocity', v, n]);
    this.sgdStepImpl(n, p, g, v, hp);
  }

  rmspropStep(
    n: number,
    param: Buf,
    grad: Buf,
    squareAvg: Buf,
    gradAvg: Buf | null,
    momentumBuf: Buf | null,
    hp: RmspropHyper,
  ): void {
    const w = 'rmspropStep';
    checkSize(w, 'n', n);
    checkRmspropHyper(w, hp);
    const p = this.arg(w, 'param', param, n);
    const g = this.arg(w, 'grad', grad, n);
    const sq = this.arg(w, 'squareAvg', squareAvg, n);
    if (hp.centered && gradAvg === null) throw new Error(`${w}: gradAvg is required when centered`);
    if (hp.momentum > 0 && momentumBuf === null) throw new Error(`${w}: momentumBuf is required when momentum > 0`);
    const ga = hp.centered ? this.optArg(w, 'gradAvg', gradAvg, n) : null;
    const mb = hp.momentum > 0 ? this.optArg(w, 'momentumBuf', momentumBuf, n) : null;
    this.disjoint(w, false, ['param', p, n], ['grad', g, n], ['squareAvg', sq, n], ['gradAvg', ga, n], ['momentumBuf', mb, n]);
    this.rmspropStepImpl(n, p, g, sq, ga, mb, hp);
  }

  adamStep(n: number, param: Buf, grad: Buf, m: Buf, v: Buf, vMax: Buf | null, hp: AdamHyper): void {
    const w = 'adamStep';
    checkSize(w, 'n', n);
    checkAdamHyper(w, hp);
    const p = this.arg(w, 'param', param, n);
    const g = this.arg(w, 'grad', grad, n);
    const hm = this.arg(w, 'm', m, n);
    const hv = this.arg(w, 'v', v, n);
    if (hp.amsgrad && vMax === null) throw new Error(`${w}: vMax is required when amsgrad`);
    const hvMax = hp.amsgrad ? this.optArg(w, 'vMax', vMax, n) : null;
    this.disjoint(w, false, ['param', p, n], ['grad', g, n], ['m', hm, n], ['v', hv, n], ['vMax', hvMax, n]);
    this.adamStepImpl(n, p, g, hm, hv, hvMax, hp);
  }

  adagradStep(n: number, param: Buf, grad: Buf, sum: Buf, hp: AdagradHyper): void {
    const w = 'adagradStep';
    checkSize(w, 'n', n);
    checkAdagradHyper(w, hp);
    const [p, g, hs] = [this.arg(w, 'param', param, n), this.arg(w, 'grad', grad, n), this.arg(w, 'sum', sum, n)];
    this.disjoint(w, false, ['param', p, n], ['grad', g, n], ['sum', hs, n]);
    this.adagradStepImpl(n, p, g, hs, hp);
  }

  sumSquares(n: number, x: Buf): number {
    checkSize('sumSquares', 'n', n);
    return this.sumSquaresImpl(n, this.arg('sumSquares', 'x', x, n));
  }

  firstNonFinite(n: number, x: Buf): number {
    checkSize('firstNonFinite', 'n', n);
    const h = this.arg('firstNonFinite', 'x', x, n);
    return n === 0 ? -1 : this.firstNonFiniteImpl(n, h);
  }

  clipByValue(n: number, lo: number, hi: number, x: Buf): void {
    const w = 'clipByValue';
    checkSize(w, 'n', n);
    if (Number.isNaN(lo) || Number.isNaN(hi) || !(lo <= hi)) {
      throw new Error(`${w}: lo and hi must be numbers with lo ≤ hi, got lo=${lo}, hi=${hi}`);
    }
    this.clipByValueImpl(n, lo, hi, this.arg(w, 'x', x, n));
  }
}

// ---- hyper-parameter checks, shared with the optimizer classes ----

function checkHyperObject(where: string, hp: unknown): void {
  if (hp === null || typeof hp !== 'object') throw new Error(`${where}: hp must be an object, got ${describe(hp)}`);
}

const nonNegative = (w: string, name: string, v: number) => checkRange(w, name, v, 0, Infinity, { hiOpen: true });
const unitOpen = (w: string, name: string, v: number) => checkRange(w, name, v, 0, 1, { hiOpen: true });
const positive = (w: string, name: string, v: number) =>
  checkRange(w, name, v, 0, Infinity, { loOpen: true, hiOpen: true });

export function checkSgdHyper(w: string, hp: SgdHyper): void {
  checkHyperObject(w, hp);
  nonNegative(w, 'lr', hp.lr);
  unitOpen(w, 'momentum', hp.momentum);
  checkRange(w, 'dampening', hp.dampening, 0, 1);
  nonNegative(w, 'weightDecay', hp.weightDecay);
  checkBoolean(w, 'nesterov', hp.nesterov);
  checkBoolean(w, 'firstStep', hp.firstStep);
  if (hp.nesterov && (hp.momentum <= 0 || hp.dampening !== 0)) {
    throw new Error(
      `${w}: nesterov needs momentum > 0 and dampening = 0, got momentum=${hp.momentum}, dampening=${hp.dampening}`,
    );
  }
}

export function checkRmspropHyper(w: string, hp: RmspropHyper): void {
  checkHyperObject(w, hp);
  nonNegative(w, 'lr', hp.lr);
  unitOpen(w, 'alpha', hp.alpha);
  positive(w, 'eps', hp.eps);
  unitOpen(w, 'momentum', hp.momentum);
  checkBoolean(w, 'centered', hp.centered);
  nonNegative(w, 'weightDecay', hp.weightDecay);
}

export function checkAdamHyper(w: string, hp: AdamHyper): void {
  checkHyperObject(w, hp);
  nonNegative(w, 'lr', hp.lr);
  unitOpen(w, 'beta1', hp.beta1);
  unitOpen(w, 'beta2', hp.beta2);
  positive(w, 'eps', hp.eps);
  nonNegative(w, 'weightDecay', hp.weightDecay);
  checkBoolean(w, 'decoupledWeightDecay', hp.decoupledWeightDecay);
  checkBoolean(w, 'amsgrad', hp.amsgrad);
  checkRange(w, 'biasCorrection1', hp.biasCorrection1, 0, 1, { loOpen: true });
  checkRange(w, 'biasCorrection2', hp.biasCorrection2, 0, 1, { loOpen: true });
}

export function checkAdagradHyper(w: string, hp: AdagradHyper): void {
  checkHyperObject(w, hp);
  nonNegative(w, 'lr', hp.lr);
  positive(w, 'eps', hp.eps);
  nonNegative(w, 'weightDecay', hp.weightDecay);
}

/**
 * Every element of `src` is a number (NaN and ±∞ included), checked before anything is written: a plain array holding
 * a string, undefined or a BigInt would otherwise become NaN (or throw halfway through the copy).
 */
function checkNumbers(src: ArrayLike<unknown>): void {
  if (ArrayBuffer.isView(src)) {
    if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
      throw new Error(`write: src must hold numbers, got a ${src.constructor.name}`);
    }
    return; // every other typed array holds numbers
  }
  for (let i = 0; i < src.length; i++) {
    if (typeof src[i] !== 'number') throw new Error(`write: src[${i}] must be a number, got ${describe(src[i])}`);
  }
}

function overlaps(a: number, aLen: number, b: number, bLen: number): boolean {
  return a < b + bLen && b < a + aLen;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}
