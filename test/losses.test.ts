// Softmax, log-softmax and the losses: conformance on every backend against the maths written out here, gradient
// checks by central differences on the float64 reference, WASM against the reference over the size sweep with bounds
// derived from the approximation errors documented in assembly/math.ts, extremes, and bad labels.
import { describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../src/backend/types.js';
import { EPS32, expectWithin, MAX_REL, MIN_NORMAL32 } from './helpers/approx-bounds.js';
import {
  BACKENDS,
  bufferOf,
  guardedBufferOf,
  randomArray,
  ref64Factory,
  refFactory,
  SWEEP_SIZES,
  wasmFactory,
} from './helpers/backends.js';
import { gradcheck } from './helpers/gradcheck.js';
import { Random } from '../src/random.js';

const E = EPS32;
const TINY = MIN_NORMAL32;
/** f64 unit roundoff. */
const U64 = 2 ** -53;

// ---- the maths, written out independently of src/ -----------------------------------------------------------------

const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
/** Softmax of one row without any stabilisation (used on rows of moderate logits only), or from explicit maths. */
function softmaxOf(row: number[]): number[] {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const rowsOf = (x: ArrayLike<number>, m: number, n: number): number[][] =>
  Array.from({ length: m }, (_, i) => Array.from(x).slice(i * n, (i + 1) * n));

// ---- error bounds (WASM against the f32 reference) ----------------------------------------------------------------

/**
 * Per-element bounds for softmax / log-softmax of one row, from the reference's probabilities p (f64 maths).
 * e_j = e^(x_j − max) carries exp's error plus ½ε·|x_j − max| from rounding its argument to f32; the row sum carries
 * the probability-weighted mean of those (w); then ½ε per f32 rounding. Log-softmax: ln S is off by S's relative
 * error, plus the roundings of x − max, ln S and the final difference.
 */
function softmaxRowBounds(row: ArrayLike<number>, log: boolean): number[] {
  const top = Math.max(...Array.from(row));
  const shifts = Array.from(row, (v) => Math.abs(v - top));
  const e = shifts.map((d) => Math.exp(-d));
  const sum = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / sum);
  const w = p.reduce((acc, pj, j) => acc + pj * shifts[j]!, 0);
  const lse = Math.log(sum);
  return p.map((pj, j) =>
    log
      ? MAX_REL.exp + 0.5 * E * (w + lse + shifts[j]!) + E * Math.abs(-shifts[j]! - lse)
      : pj * (2 * MAX_REL.exp + 0.5 * E * (shifts[j]! + w) + 1.5 * E) + TINY,
  );
}

/** Σ|a_i| with the f64 summation error bound of n terms: (n + 2)·u·Σ|a_i|. */
const f64SumBound = (n: number, absSum: number): number => (n + 2) * U64 * absSum;

// ---- helpers -------------------------------------------------------------------------------------------------------

type Pointwise = 'mse' | 'mae' | 'huber' | 'bceWithLogits';
type Softmaxed = 'softmaxCrossEntropy' | 'softmaxCrossEntropyDense';
type Loss = Pointwise | Softmaxed;
const POINTWISE: Pointwise[] = ['mse', 'mae', 'huber', 'bceWithLogits'];
const HUBER_DELTA = 0.7; // not representable in f32: the kernel's rounded δ is part of the bound
const huberOf = (r: number): number =>
  Math.abs(r) <= HUBER_DELTA ? (r * r) / 2 : HUBER_DELTA * (Math.abs(r) - HUBER_DELTA / 2);

function callLoss(be: Backend, loss: Loss, m: number, n: number, a: Buf, b: Buf, d: Buf | null): number {
  switch (loss) {
    case 'mse':
      return be.mse(m, n, a, b, d);
    case 'mae':
      return be.mae(m, n, a, b, d);
    case 'huber':
      return be.huber(m, n, a, b, HUBER_DELTA, d);
    case 'bceWithLogits':
      return be.bceWithLogits(m, n, a, b, d);
    case 'softmaxCrossEntropy':
      return be.softmaxCrossEntropy(m, n, a, b, d);
    case 'softmaxCrossEntropyDense':
      return be.softmaxCrossEntropyDense(m, n, a, b, d);
  }
}

/** Runs a loss on fresh buffers; returns the value and the gradient (followed by guard cells that must survive). */
function runLoss(be: Backend, loss: Loss, m: number, n: number, a: ArrayLike<number>, b: ArrayLike<number>) {
  const ba = bufferOf(be, a);
  const bb = bufferOf(be, b);
  const bd = guardedBufferOf(be, new Float32Array(m * n));
  const value = callLoss(be, loss, m, n, ba, bb, bd.buf);
  const valueOnly = callLoss(be, loss, m, n, ba, bb, null);
  const grad = be.read(bd.buf);
  bd.checkGuard(`${loss} ${m}×${n}`);
  for (const buf of [ba, bb]) be.free(buf);
  bd.free();
  return { value, valueOnly, grad };
}

/** Softmax or log-softmax on fresh buffers; the output is followed by guard cells that must survive. */
function softmaxOn(be: Backend, m: number, n: number, x: ArrayLike<number>, log: boolean): Float32Array | Float64Array {
  const bx = bufferOf(be, x);
  const by = guardedBufferOf(be, new Float32Array(m * n));
  if (log) be.logSoftmax(m, n, bx, by.buf);
  else be.softmax(m, n, bx, by.buf);
  const y = be.read(by.buf);
  by.checkGuard(`${log ? 'logSoftmax' : 'softmax'} ${m}×${n}`);
  be.free(bx);
  by.free();
  return y;
}

/** Random soft targets: each row a probability distribution, with some exact zeros. */
function softTargets(m: number, n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  const t = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += t[i * n + j] = rng.next() < 0.3 ? 0 : rng.next();
    for (let j = 0; j < n; j++) t[i * n + j] = s > 0 ? t[i * n + j]! / s : 0;
  }
  return t;
}

function labelsFor(m: number, n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: m }, () => rng.int(n));
}

// ---- conformance ----------------------------------------------------------------------------------------------------

for (const factory of BACKENDS) {
  describe(`softmax and losses conformance: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
    });

    const X = [1, 2, 3, -1, 0, 1e-3, 0.5, -0.25, 4];
    it('softmax and logSoftmax of a 3×3 matrix match exp(x)/Σexp(x) and its log', () => {
      const p = rowsOf(X, 3, 3).flatMap(softmaxOf);
      const y = softmaxOn(be, 3, 3, X, false);
      const ly = softmaxOn(be, 3, 3, X, true);
      const bounds = rowsOf(X, 3, 3).flatMap((r) => softmaxRowBounds(r, false));
      const logBounds = rowsOf(X, 3, 3).flatMap((r) => softmaxRowBounds(r, true));
      // The reference's rounding to f32 (½ε) on top of the WASM bound.
      expectWithin(y, p, bounds.map((b, i) => b + E * p[i]!), `softmax: 3×3 hand-checked on ${factory.name}`);
      const lp = p.map(Math.log);
      expectWithin(ly, lp, logBounds.map((b, i) => b + E * Math.abs(lp[i]!)), `logSoftmax: 3×3 hand-checked`);
      for (let i = 0; i < 3; i++) expect(y[3 * i]! + y[3 * i + 1]! + y[3 * i + 2]!).toBeCloseTo(1, 6);
    });

    it('softmax is shift-invariant and stays finite for logits of magnitude 1e4', () => {
      const x = [1e4, 1e4 - 1, -1e4, -1e4, -1e4 + 2, 1e4];
      const y = softmaxOn(be, 2, 3, x, false);
      const ly = softmaxOn(be, 2, 3, x, true);
      const a = 1 / (1 + Math.exp(-1));
      const want = [a, 1 - a, 0, 0, 0, 1];
      // The cross-check's bounds (½ε per unit of |x − max| from f32 arguments) plus the reference's rounding.
      const bounds = rowsOf(x, 2, 3).flatMap((r) => softmaxRowBounds(r, false));
      expectWithin(y, want, bounds.map((b, i) => b + E * want[i]!), `softmax: 1e4 logits`);
      const l = Math.log1p(Math.exp(-1));
      const wantLog = [-l, -1 - l, -2e4 - l, -2e4, -2e4 + 2, 0];
      const logBounds = rowsOf(x, 2, 3).flatMap((r) => softmaxRowBounds(r, true));
      expectWithin(ly, wantLog, logBounds.map((b, i) => b + E * Math.abs(wantLog[i]!)), `logSoftmax: 1e4 logits`);
    });

    it('softmax and logSoftmax run in place and leave elements past m·n untouched', () => {
      const x = randomArray(15, 3, -5, 5);
      const y = softmaxOn(be, 3, 5, x, false);
      const ly = softmaxOn(be, 3, 5, x, true);
      for (const log of [false, true]) {
        const b = bufferOf(be, [...x, 777, 777]);
        if (log) be.logSoftmax(3, 5, b, b);
        else be.softmax(3, 5, b, b);
        expect(Array.from(be.read(b))).toEqual([...Array.from(log ? ly : y), 777, 777]);
        be.free(b);
      }
    });

    it('softmax gives a −∞ entry 0 and a row with NaN, +∞ or only −∞ NaN, row by row', () => {
      const x = [1, -Infinity, 0, 2, NaN, 0, 1, Infinity, 0, -Infinity, -Infinity, -Infinity, 0, 0, 0];
      const y = softmaxOn(be, 5, 3, x, false);
      const ly = softmaxOn(be, 5, 3, x, true);
      const first = softmaxOf([1, 0]);
      expect(Math.abs(y[0]! - first[0]!)).toBeLessThanOrEqual(2 * MAX_REL.exp + 2 * E);
      expect([y[1], ly[1]]).toEqual([0, -Infinity]);
      expect(Array.from(y.subarray(3, 12)).every(Number.isNaN)).toBe(true);
      expect(Array.from(ly.subarray(3, 12)).every(Number.isNaN)).toBe(true);
      expect(Array.from(y.subarray(12))).toEqual([1, 1, 1].map((v) => Math.fround(v / 3)));
    });

    const P = [0.5, -1.25, 2, 0.1, 3, -0.7];
    const T = [0.25, -1.25, 0.5, 1.1, -1, -0.2];
    const N = P.length;
    it('mse, mae and huber on a hand-checked case, value and gradient', () => {
      const r = P.map((p, i) => p - T[i]!);
      const want: Record<string, { value: number; grad: number[] }> = {
        mse: { value: r.reduce((s, v) => s + v * v, 0) / N, grad: r.map((v) => (2 * v) / N) },
        mae: { value: r.reduce((s, v) => s + Math.abs(v), 0) / N, grad: r.map((v) => Math.sign(v) / N) },
        huber: {
          value: r.reduce((s, v) => s + huberOf(v), 0) / N,
          grad: r.map((v) => Math.max(-HUBER_DELTA, Math.min(HUBER_DELTA, v)) / N),
        },
      };
      for (const loss of ['mse', 'mae', 'huber'] as const) {
        const got = runLoss(be, loss, 2, 3, P, T);
        // The value is computed in f64 from f32 inputs (exact differences); huber's δ is rounded to f32 (½ε).
        expect(Math.abs(got.value - want[loss]!.value), loss).toBeLessThanOrEqual(2 * E * want[loss]!.value);
        expect(got.valueOnly).toBe(got.value);
        // Gradient: at most 2.5 roundings of ½ε (difference, 1/N, δ, product) plus the reference's own.
        const gradBound = want[loss]!.grad.map((g) => 3 * E * Math.abs(g));
        expectWithin(got.grad, want[loss]!.grad, gradBound, `${loss}.grad: hand-checked`);
      }
    });

    it('bceWithLogits on a hand-checked case: −[t·ln σ(z) + (1 − t)·ln(1 − σ(z))], gradient (σ(z) − t)/n', () => {
      const z = [0.5, -2, 3, 0, -0.1, 1.5];
      const t = [1, 0, 0.3, 0.5, 0, 1];
      const terms = z.map((zi, i) => -(t[i]! * Math.log(sigma(zi)) + (1 - t[i]!) * Math.log(1 - sigma(zi))));
      const value = terms.reduce((s, v) => s + v, 0) / 6;
      const grad = z.map((zi, i) => (sigma(zi) - t[i]!) / 6);
      const got = runLoss(be, 'bceWithLogits', 1, 6, z, t);
      // Each term's ln(1 + e^(−|z|)) ≤ ln 2 carries exp's and log1p's errors; σ carries its own.
      expect(Math.abs(got.value - value)).toBeLessThanOrEqual((MAX_REL.exp + MAX_REL.log1p) * Math.LN2 + 1e-15);
      const gradBound = grad.map((g, i) => (MAX_REL.sigmoid * sigma(z[i]!) + 3 * E * Math.abs(g * 6)) / 6);
      expectWithin(got.grad, grad, gradBound, `bceWithLogits.grad: hand-checked`);
    });

    it('softmaxCrossEntropy (labels) and its dense form on a hand-checked case', () => {
      const z = [2, 1, 0.1, -1, 0.5, 3, 0, 0, 0];
      const labels = [0, 2, 1];
      const p = rowsOf(z, 3, 3).map(softmaxOf);
      const value = -p.reduce((s, row, i) => s + Math.log(row[labels[i]!]!), 0) / 3;
      const grad = p.flatMap((row, i) => row.map((pj, j) => (pj - (j === labels[i] ? 1 : 0)) / 3));
      const bounds = rowsOf(z, 3, 3).flatMap((r) => softmaxRowBounds(r, false).map((b) => b / 3 + 2 * E / 3));
      const got = runLoss(be, 'softmaxCrossEntropy', 3, 3, z, labels);
      // Per row: ln S is off by S's relative error (exp's, plus ½ε per unit of |z − max| from f32 arguments).
      expect(Math.abs(got.value - value)).toBeLessThanOrEqual(MAX_REL.exp + 0.5 * E * 4 + 1e-15);
      expect(got.valueOnly).toBe(got.value);
      expectWithin(got.grad, grad, bounds, `softmaxCrossEntropy.grad: hand-checked`);
      // Dense with one-hot targets gives the same loss and gradient; with soft targets −Σ t·log p.
      const onehot = labels.flatMap((l) => [0, 1, 2].map((j) => (j === l ? 1 : 0)));
      const dense = runLoss(be, 'softmaxCrossEntropyDense', 3, 3, z, onehot);
      expect(Math.abs(dense.value - value)).toBeLessThanOrEqual(MAX_REL.exp + 0.5 * E * 4 + 1e-15);
      expectWithin(dense.grad, grad, bounds, `softmaxCrossEntropyDense.grad: one-hot hand-checked`);
      const soft = [0.2, 0.3, 0.5, 0, 0, 1, 0.6, 0.4, 0];
      const crossEntropy = (row: number[], i: number): number =>
        -row.reduce((a, pj, j) => a + soft[3 * i + j]! * Math.log(pj), 0);
      const softValue = p.reduce((s, row, i) => s + crossEntropy(row, i), 0) / 3;
      const softGrad = p.flatMap((row, i) => row.map((pj, j) => (pj - soft[3 * i + j]!) / 3));
      const gotSoft = runLoss(be, 'softmaxCrossEntropyDense', 3, 3, z, soft);
      expect(Math.abs(gotSoft.value - softValue)).toBeLessThanOrEqual(MAX_REL.exp + 0.5 * E * 4 + 1e-15);
      const softBounds = bounds.map((b, i) => b + (2 * E * soft[i]!) / 3);
      expectWithin(gotSoft.grad, softGrad, softBounds, `softmaxCrossEntropyDense.grad: soft hand-checked`);
    });

    it('no NaN or Infinity for logits of magnitude 1e4 and targets of exactly 0 or 1', () => {
      const z = [1e4, -1e4, 1e4, -1e4];
      const t = [1, 0, 0, 1];
      const bce = runLoss(be, 'bceWithLogits', 1, 4, z, t);
      expect(bce.value).toBe(2e4 / 4); // two exact terms of 0, two of 1e4
      expect(Array.from(bce.grad)).toEqual([0, 0, 0.25, -0.25]);
      // Rows [1e4, −1e4] twice: row 0 labels the max (loss 0), row 1 the min (loss 2e4).
      const sce = runLoss(be, 'softmaxCrossEntropy', 2, 2, z, [0, 1]);
      expect(sce.value).toBe(2e4 / 2);
      expect(Array.from(sce.grad)).toEqual([0, 0, 0.5, -0.5]);
      const dense = runLoss(be, 'softmaxCrossEntropyDense', 2, 2, z, [1, 0, 0, 1]);
      expect(dense.value).toBe(2e4 / 2);
      expect(Array.from(dense.grad)).toEqual([0, 0, 0.5, -0.5]);
      // Probabilities of exactly 0 and 1 from saturated logits: a target of 0 on a logit of −1e4 costs nothing.
      const zeroTarget = runLoss(be, 'softmaxCrossEntropyDense', 1, 3, [1e4, -1e4, 0], [1, 0, 0]);
      expect(zeroTarget.value).toBe(0);
      expect(Array.from(zeroTarget.grad)).toEqual([0, 0, 0]);
    });

    it('NaN in a prediction makes the value NaN; its gradient is NaN except mae\'s sign, which is 0', () => {
      for (const loss of POINTWISE) {
        const got = runLoss(be, loss, 1, 5, [0.5, NaN, -1, 2, 0.25], [0, 1, 0, 1, 0]);
        expect(Number.isNaN(got.value) && Number.isNaN(got.valueOnly), loss).toBe(true);
        expect(loss === 'mae' ? got.grad[1] === 0 : Number.isNaN(got.grad[1]), `${loss} gradient at NaN`).toBe(true);
        expect([0, 2, 3, 4].every((i) => Number.isFinite(got.grad[i])), loss).toBe(true);
      }
    });

    it('a class masked with a logit of −∞ costs nothing under a target of 0, in both softmax losses', () => {
      // Row [1, −∞, 2, 0.5, −∞] (size 5: one f32x4 step and a tail) is row [1, 2, 0.5] with two masked classes. The
      // float64 sums of these few f32 terms are exact in any order, so the two rows agree bit for bit.
      const z = [1, -Infinity, 2, 0.5, -Infinity];
      const t = [0.5, 0, 0.25, 0.25, 0];
      const masked = runLoss(be, 'softmaxCrossEntropyDense', 1, 5, z, t);
      const plain = runLoss(be, 'softmaxCrossEntropyDense', 1, 3, [1, 2, 0.5], [0.5, 0.25, 0.25]);
      expect(masked.value).toBe(plain.value);
      expect(Array.from(masked.grad)).toEqual([plain.grad[0], 0, plain.grad[1], plain.grad[2], 0]);
      const labelled = runLoss(be, 'softmaxCrossEntropy', 1, 5, z, [2]);
      const plainLabelled = runLoss(be, 'softmaxCrossEntropy', 1, 3, [1, 2, 0.5], [1]);
      expect(labelled.value).toBe(plainLabelled.value);
      const [g0, g1, g2] = plainLabelled.grad;
      expect(Array.from(labelled.grad)).toEqual([g0, 0, g1, g2, 0]);
    });

    it('rejects a label that is not an integer class in range, naming the row, with nothing written', () => {
      const z = randomArray(12, 4);
      for (const [labels, row, shown] of [
        [[0, 1, 3], 2, '3'],
        [[0, -1, 1], 1, '-1'],
        [[0.5, 1, 2], 0, '0.5'],
        [[1, 2, NaN], 2, 'NaN'],
        [[2, 1, 2.0001], 2, '2.000'],
      ] as const) {
        const bz = bufferOf(be, z);
        const bl = bufferOf(be, labels);
        const bd = bufferOf(be, new Array(12).fill(42));
        expect(() => be.softmaxCrossEntropy(3, 3, bz, bl, bd)).toThrow(
          new RegExp(`softmaxCrossEntropy: labels\\[${row}\\] must be an integer class in 0\\.\\.2, got ${shown}`),
        );
        expect(Array.from(be.read(bd))).toEqual(new Array(12).fill(42));
        // In place too: the logits stay as they were.
        expect(() => be.softmaxCrossEntropy(3, 3, bz, bl, bz)).toThrow(/labels\[/);
        expect(Array.from(be.read(bz))).toEqual(Array.from(z));
        for (const b of [bz, bl, bd]) be.free(b);
      }
    });

    it('gradients may alias the prediction / logits buffer', () => {
      for (const loss of [...POINTWISE, 'softmaxCrossEntropy', 'softmaxCrossEntropyDense'] as Loss[]) {
        const [m, n] = [3, 7];
        const a = randomArray(m * n, 11, -3, 3);
        const b =
          loss === 'softmaxCrossEntropy'
            ? labelsFor(m, n, 12)
            : loss === 'softmaxCrossEntropyDense'
              ? softTargets(m, n, 12)
              : randomArray(m * n, 12, 0, 1);
        const separate = runLoss(be, loss, m, n, a, b);
        const ba = bufferOf(be, a);
        const bb = bufferOf(be, b);
        const value = callLoss(be, loss, m, n, ba, bb, ba);
        expect(value, loss).toBe(separate.value);
        expect(Array.from(be.read(ba)), loss).toEqual(Array.from(separate.grad));
        be.free(ba);
        be.free(bb);
      }
    });

    it('sizes of 0 give a loss of 0 and write nothing', () => {
      const a = bufferOf(be, [5]);
      const b = bufferOf(be, [0]);
      const d = bufferOf(be, [9]);
      for (const loss of [...POINTWISE, 'softmaxCrossEntropyDense'] as Loss[]) {
        expect(callLoss(be, loss, 0, 1, a, b, d)).toBe(0);
        expect(callLoss(be, loss, 1, 0, a, b, d)).toBe(0);
      }
      expect(be.softmaxCrossEntropy(0, 1, a, b, d)).toBe(0);
      expect(be.read(d)[0]).toBe(9);
      for (const buf of [a, b, d]) be.free(buf);
    });
  });
}

// ---- gradient checks -----------------------------------------------------------------------------------------------

describe('loss gradients: central differences on the float64 reference', () => {
  let be: Backend;
  it('creates the float64 reference backend', async () => {
    be = await ref64Factory.create();
  });

  for (const loss of [...POINTWISE, 'softmaxCrossEntropy', 'softmaxCrossEntropyDense'] as Loss[]) {
    it(`${loss}: the gradient buffer is ∂loss/∂(first argument)`, () => {
      const [m, n] = [4, 5];
      // Residuals kept 1e-3 away from mae's kink at 0 (pred and target drawn apart) and from huber's at ±δ is not
      // needed (huber is continuously differentiable).
      const a = Array.from(randomArray(m * n, 50, -3, 3));
      let b: ArrayLike<number>;
      if (loss === 'softmaxCrossEntropy') b = labelsFor(m, n, 51);
      else if (loss === 'softmaxCrossEntropyDense') b = softTargets(m, n, 51);
      else if (loss === 'bceWithLogits') b = randomArray(m * n, 51, 0, 1);
      else b = a.map((v, i) => v + (i % 2 ? 1 : -1) * (0.01 + Math.abs(randomArray(1, 52 + i)[0]!)));
      const ba = bufferOf(be, a);
      const bb = bufferOf(be, b);
      const bd = be.alloc(m * n);
      callLoss(be, loss, m, n, ba, bb, bd);
      const result = gradcheck(be, () => callLoss(be, loss, m, n, ba, bb, null), [ba], [be.read(bd)]);
      expect(result.checked).toBe(m * n);
      for (const buf of [ba, bb, bd]) be.free(buf);
    });
  }
});

// ---- WASM against the reference ------------------------------------------------------------------------------------

describe('softmax and losses: WASM against the reference on seeded inputs', () => {
  let ref: Backend;
  let wasm: Backend;
  it('creates both backends', async () => {
    ref = await refFactory.create();
    wasm = await wasmFactory.create();
  });

  const ROWS = [1, 3, 8];

  for (const log of [false, true]) {
    const name = log ? 'logSoftmax' : 'softmax';
    it(`${name} over m in ${ROWS.join(', ')} × n in the size sweep`, () => {
      for (const m of ROWS) {
        for (const n of SWEEP_SIZES) {
          const x = randomArray(m * n, 300 + m * 7 + n, -8, 8);
          const want = softmaxOn(ref, m, n, x, log);
          const got = softmaxOn(wasm, m, n, x, log);
          const bounds = rowsOf(x, m, n).flatMap((r) => softmaxRowBounds(r, log));
          expectWithin(got, want, bounds, `${name}: ${m}×${n}`);
        }
      }
    });
  }

  /** |WASM − reference| bound for a pointwise loss's value and gradient, from the inputs. */
  function pointwiseBounds(loss: Pointwise, a: Float32Array, b: Float32Array, grad: ArrayLike<number>) {
    const N = a.length;
    if (N === 0) return { value: 0, grad: new Float64Array(0) };
    let valueBound = 0;
    let absSum = 0;
    const gradBound = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const r = a[i]! - b[i]!;
      const g = Math.abs(grad[i]!);
      switch (loss) {
        case 'mse':
          absSum += r * r;
          gradBound[i] = 2 * E * g; // p − t, 2/N, product: ½ε each, plus the reference's rounding
          break;
        case 'mae':
          absSum += Math.abs(r);
          gradBound[i] = E * g; // ±1/N rounded on both sides
          break;
        case 'huber':
          absSum += Math.abs(r);
          valueBound += E * Math.abs(r) * HUBER_DELTA; // δ rounded to f32 in the kernel: ½ε·δ·|r| per term, twice
          gradBound[i] = 2.5 * E * g;
          break;
        case 'bceWithLogits': {
          const soft = Math.log1p(Math.exp(-Math.abs(a[i]!)));
          absSum += Math.abs(Math.max(a[i]!, 0)) + Math.abs(a[i]! * b[i]!) + soft;
          valueBound += (MAX_REL.exp + MAX_REL.log1p) * soft + TINY;
          const s = sigma(a[i]!);
          gradBound[i] = (MAX_REL.sigmoid * s + 2 * E * Math.abs(s - b[i]!) + TINY) / N;
          break;
        }
      }
    }
    return { value: valueBound / N + f64SumBound(N, absSum) / N, grad: gradBound };
  }

  for (const loss of POINTWISE) {
    it(`${loss} value and gradient over the size sweep`, () => {
      for (const n of SWEEP_SIZES) {
        const m = n % 3 === 0 ? 3 : 1;
        const size = m * n;
        const a = randomArray(size, 500 + n, -4, 4);
        const b = loss === 'bceWithLogits' ? randomArray(size, 600 + n, 0, 1) : randomArray(size, 600 + n, -4, 4);
        const want = runLoss(ref, loss, m, n, a, b);
        const got = runLoss(wasm, loss, m, n, a, b);
        const bounds = pointwiseBounds(loss, a, b, want.grad);
        const values = [want.value, want.value];
        expectWithin([got.value, got.valueOnly], values, [bounds.value, bounds.value], `${loss}: ${m}×${n}`);
        expectWithin(got.grad, want.grad, bounds.grad, `${loss}.grad: ${m}×${n}`);
      }
    });
  }

  /**
   * |WASM − reference| bound for a softmax cross-entropy's value and gradient. Value: per row, T·ln S is off by
   * T·(S's relative error), T = Σt; gradient: the softmax bound scaled by T/m, plus the t/m product and the final
   * difference (½ε each, and the reference's rounding).
   */
  // prettier-ignore
  function softmaxLossBounds(m: number, n: number, z: Float32Array, targets: Float32Array, dense: boolean,
    grad: ArrayLike<number>): { value: number; grad: number[] } {
    if (m === 0 || n === 0) return { value: 0, grad: [] };
    let value = 0;
    const gradBound: number[] = [];
    rowsOf(z, m, n).forEach((row, i) => {
      const top = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - top), 0);
      const w = row.reduce((s, v) => s + (Math.exp(v - top) / sum) * Math.abs(v - top), 0);
      const t = dense
        ? Array.from(targets.subarray(i * n, (i + 1) * n))
        : row.map((_, j) => (j === targets[i] ? 1 : 0));
      const T = t.reduce((s, v) => s + v, 0);
      const absTerms = t.reduce((s, tj, j) => s + Math.abs(tj * (row[j]! - top)), 0) + Math.abs(T * Math.log(sum));
      value += Math.abs(T) * (MAX_REL.exp + 0.5 * E * w) + f64SumBound(n, absTerms);
      softmaxRowBounds(row, false).forEach((b, j) => {
        gradBound.push((b * Math.abs(T) + E * Math.abs(t[j]!)) / m + E * Math.abs(grad[i * n + j]!) + TINY);
      });
    });
    return { value: value / m, grad: gradBound };
  }

  for (const loss of ['softmaxCrossEntropy', 'softmaxCrossEntropyDense'] as const) {
    it(`${loss} value and gradient over m in ${ROWS.join(', ')} × n in the size sweep`, () => {
      for (const m of ROWS) {
        for (const n of SWEEP_SIZES) {
          if (n === 0 && loss === 'softmaxCrossEntropy') continue; // no class to label: rejected by the checks
          const z = randomArray(m * n, 700 + 7 * m + n, -8, 8);
          const dense = loss === 'softmaxCrossEntropyDense';
          const targets = dense ? softTargets(m, n, 800 + n) : labelsFor(m, n, 800 + n);
          const want = runLoss(ref, loss, m, n, z, targets);
          const got = runLoss(wasm, loss, m, n, z, targets);
          const { value: valueBound, grad: gradBound } = softmaxLossBounds(m, n, z, targets, dense, want.grad);
          const values = [want.value, want.value];
          expectWithin([got.value, got.valueOnly], values, [valueBound, valueBound], `${loss}: ${m}×${n}`);
          expectWithin(got.grad, want.grad, gradBound, `${loss}.grad: ${m}×${n}`);
        }
      }
    });
  }

  it('agree at the extremes: logits of ±1e4, targets of exactly 0 and 1', () => {
    const z = new Float32Array([1e4, -1e4, 100, -100, 88.7, -88.7, 20, -20, 0, 1e-6, -1e4, 1e4]);
    const t = new Float32Array([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0]);
    for (const loss of ['bceWithLogits', 'softmaxCrossEntropyDense', 'softmaxCrossEntropy'] as const) {
      const [m, n] = loss === 'bceWithLogits' ? [1, 12] : [3, 4];
      const targets = loss === 'softmaxCrossEntropy' ? new Float32Array([0, 3, 2]) : t;
      const want = runLoss(ref, loss, m, n, z, targets);
      const got = runLoss(wasm, loss, m, n, z, targets);
      for (const v of [got.value, ...got.grad]) expect(Number.isFinite(v), `${loss}: ${v}`).toBe(true);
      const bounds =
        loss === 'bceWithLogits'
          ? pointwiseBounds(loss, z, targets, want.grad)
          : softmaxLossBounds(m, n, z, targets, loss === 'softmaxCrossEntropyDense', want.grad);
      expectWithin([got.value], [want.value], [bounds.value], `extremes.${loss}: ${m}×${n}`);
      expectWithin(got.grad, want.grad, bounds.grad, `extremes.${loss}.grad: ${m}×${n}`);
    }
  });
});
