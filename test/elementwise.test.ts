// Elementwise kernels, bias and bias gradient, reductions: conformance on every backend, then WASM against the
// reference on seeded random inputs over the size sweep.
import { describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../src/backend/types.js';
import { expectWithin } from './helpers/approx-bounds.js';
import {
  BACKENDS,
  bufferOf,
  guardedBufferOf,
  randomArray,
  refFactory,
  SWEEP_SIZES,
  wasmFactory,
} from './helpers/backends.js';
import { expectClose, type Tolerance } from './helpers/close.js';

const EPS32 = 2 ** -23;

for (const factory of BACKENDS) {
  describe(`elementwise conformance: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
      expect(be.name).toBe(factory.name.startsWith('wasm') ? 'wasm' : 'ref');
    });

    it('axpy, scale, add, mul on a small hand-checked case', () => {
      const x = bufferOf(be, [1, 2, 3, 4, 5]);
      const y = bufferOf(be, [10, 20, 30, 40, 50]);
      be.axpy(5, 2, x, y);
      expect(Array.from(be.read(y))).toEqual([12, 24, 36, 48, 60]);
      be.scale(5, -1, x, x);
      expect(Array.from(be.read(x))).toEqual([-1, -2, -3, -4, -5]);
      const z = be.alloc(5);
      be.add(5, x, y, z);
      expect(Array.from(be.read(z))).toEqual([11, 22, 33, 44, 55]);
      be.mul(5, x, y, z);
      expect(Array.from(be.read(z))).toEqual([-12, -48, -108, -192, -300]);
      for (const b of [x, y, z]) be.free(b);
    });

    it('addRowVector adds the bias to each row, sumRows sums columns with beta', () => {
      const x = bufferOf(be, [1, 2, 3, 4, 5, 6]);
      const v = bufferOf(be, [10, 20, 30]);
      const y = be.alloc(6);
      be.addRowVector(2, 3, x, v, y);
      expect(Array.from(be.read(y))).toEqual([11, 22, 33, 14, 25, 36]);
      const out = bufferOf(be, [100, 100, 100]);
      be.sumRows(2, 3, x, 0.5, out);
      expect(Array.from(be.read(out))).toEqual([55, 57, 59]);
      be.fill(3, Number.NaN, out);
      be.sumRows(2, 3, x, 0, out);
      expect(Array.from(be.read(out))).toEqual([5, 7, 9]);
      be.sumRows(0, 3, x, 0.5, out); // no rows: out ← β·out
      expect(Array.from(be.read(out))).toEqual([2.5, 3.5, 4.5]);
      be.fill(3, Number.NaN, out);
      be.sumRows(0, 3, x, 0, out); // β = 0 does not read out even then
      expect(Array.from(be.read(out))).toEqual([0, 0, 0]);
      for (const b of [x, v, y, out]) be.free(b);
    });

    it('fill, copy, sumSquares, clipByValue', () => {
      const x = bufferOf(be, [-3, -1, 0, 2, 5, 7, 9]);
      expect(be.sumSquares(7, x)).toBe(9 + 1 + 0 + 4 + 25 + 49 + 81);
      be.clipByValue(7, -2, 6, x);
      expect(Array.from(be.read(x))).toEqual([-2, -1, 0, 2, 5, 6, 6]);
      const y = be.alloc(7);
      be.copy(7, x, y);
      expect(Array.from(be.read(y))).toEqual([-2, -1, 0, 2, 5, 6, 6]);
      be.fill(5, 1.5, y);
      expect(Array.from(be.read(y))).toEqual([1.5, 1.5, 1.5, 1.5, 1.5, 6, 6]);
      be.free(x);
      be.free(y);
    });

    it('leaves elements past n untouched', () => {
      const n = 9;
      const guard = 12345;
      const x = bufferOf(be, randomArray(n + 4, 1));
      const y = bufferOf(be, new Float32Array(n + 4).fill(guard));
      be.scale(n, 3, x, y);
      be.axpy(n, 2, x, y);
      be.add(n, x, y, y);
      be.mul(n, x, y, y);
      be.clipByValue(n, -0.5, 0.5, y);
      be.fill(n, 7, y);
      const out = be.read(y);
      expect(Array.from(out.subarray(n))).toEqual([guard, guard, guard, guard]);
      be.free(x);
      be.free(y);
    });
  });
}

describe('elementwise: WASM against the reference on seeded inputs', () => {
  let ref: Backend;
  let wasm: Backend;
  it('creates both backends', async () => {
    ref = await refFactory.create();
    wasm = await wasmFactory.create();
    expect(wasm.name).toBe('wasm');
  });

  /** Tolerance per kernel, from the roundings each side makes (u = ε/2 = 2⁻²⁴ per f32 rounding). */
  // add, mul, clipByValue, fill, copy: the reference's f64 result of two f32 operands is exact (a sum, when the
  // exponents differ by less than 29, which uniform inputs in [−1, 1) satisfy; a product always), so both sides store
  // the correctly rounded f32: equal. scale: WASM rounds α to f32 and the product (2u), the reference the product
  // (u): 3u·|y| ≤ 2ε·|y|. axpy: WASM rounds α, α·x and the sum, the reference the result: an absolute bound on terms
  // up to |α|·1 + 1.
  const TOLERANCE: Record<string, Tolerance> = {
    axpy: { atol: 2 * EPS32 * (1.75 + 1) },
    scale: { rtol: 2 * EPS32 },
    add: {},
    mul: {},
    clipByValue: {},
    fill: {},
    copy: {},
  };

  type Op = (be: Backend, n: number, x: Buf, y: Buf) => void;
  const ops: Record<string, { op: Op; out: 'x' | 'y' }> = {
    axpy: { op: (be, n, x, y) => be.axpy(n, -1.75, x, y), out: 'y' },
    scale: { op: (be, n, x, y) => be.scale(n, 0.3, x, y), out: 'y' },
    add: { op: (be, n, x, y) => be.add(n, x, y, y), out: 'y' },
    mul: { op: (be, n, x, y) => be.mul(n, x, y, x), out: 'x' },
    clipByValue: { op: (be, n, x) => be.clipByValue(n, -0.25, 0.5, x), out: 'x' },
    fill: { op: (be, n, _x, y) => be.fill(n, -0.1, y), out: 'y' },
    copy: { op: (be, n, x, y) => be.copy(n, x, y), out: 'y' },
  };

  /** Runs one kernel on guarded buffers (guard cells after x and y must survive) and returns its output. */
  function run(be: Backend, name: string, n: number, seed: number): Float32Array {
    const x = guardedBufferOf(be, randomArray(n, seed));
    const y = guardedBufferOf(be, randomArray(n, seed + 1));
    ops[name]!.op(be, n, x.buf, y.buf);
    const result = be.read((ops[name]!.out === 'x' ? x : y).buf) as Float32Array;
    x.checkGuard(`${name}(n=${n}) x`);
    y.checkGuard(`${name}(n=${n}) y`);
    x.free();
    y.free();
    return result;
  }

  for (const name of Object.keys(ops)) {
    it(`${name} over sizes ${SWEEP_SIZES.join(', ')}, guard cells untouched`, () => {
      for (const n of SWEEP_SIZES) {
        expectClose(run(wasm, name, n, 100 + n), run(ref, name, n, 100 + n), TOLERANCE[name]!, `${name}(n=${n})`);
      }
    });
  }

  it(`sumSquares over sizes ${SWEEP_SIZES.join(', ')}`, () => {
    for (const n of SWEEP_SIZES) {
      const [a, e] = [wasm, ref].map((be) => {
        const x = bufferOf(be, randomArray(n, 100 + n));
        const r = be.sumSquares(n, x);
        be.free(x);
        return r;
      });
      // Both accumulate exact f64 squares of f32 values; two f64 summation orders differ by at most 2·n·2⁻⁵³·Σx².
      expectClose([a!], [e!], { rtol: 2 * Math.max(1, n) * 2 ** -53 }, `sumSquares(n=${n})`);
    }
  });

  const ROWS = [0, 1, 2, 3, 5, 64, 257];
  const COLS = [0, 1, 3, 4, 5, 7, 8, 9, 17, 33, 128, 1000];
  it(`addRowVector and sumRows (β = 0 over NaN, 0.5, 1) over m in ${ROWS.join(', ')} × n in ${COLS.join(', ')}`, () => {
    for (const m of ROWS) {
      for (const n of COLS) {
        for (const beta of [0, 0.5, 1]) {
          const x = randomArray(m * n, 7 + m + n);
          const v = randomArray(n, 8);
          // β = 0 must not read out: NaN there must not reach the result.
          const out0 = beta === 0 ? new Float32Array(n).fill(NaN) : randomArray(n, 9);
          const results = [ref, wasm].map((be) => {
            const [bx, bv] = [x, v].map((a) => bufferOf(be, a));
            const [y, out] = [new Float32Array(m * n), out0].map((a) => guardedBufferOf(be, a));
            be.addRowVector(m, n, bx!, bv!, y!.buf);
            be.sumRows(m, n, bx!, beta, out!.buf);
            y!.checkGuard(`addRowVector(${m}×${n})`);
            out!.checkGuard(`sumRows(${m}×${n})`);
            const r = [be.read(y!.buf), be.read(out!.buf)] as const;
            for (const b of [bx!, bv!]) be.free(b);
            y!.free();
            out!.free();
            return r;
          });
          // f32 + f32 is exact in f64 (exponents within 29 of each other here): both sides round the same sum.
          expectClose(results[1]![0], results[0]![0], {}, `addRowVector(${m}×${n})`);
          // WASM sums the m terms and then β·out in f32 (recursive summation of m + 1 terms: γₘ·Σ|terms|, plus the
          // rounding of β·out); the reference sums in f64 and rounds the result once (u·|result|).
          const u = EPS32 / 2;
          const bound = Array.from({ length: n }, (_, j) => {
            let abs = beta === 0 ? 0 : Math.abs(beta * out0[j]!);
            for (let i = 0; i < m; i++) abs += Math.abs(x[i * n + j]!);
            const gamma = (m * u) / (1 - m * u);
            return gamma * abs + u * (beta === 0 ? 0 : Math.abs(beta * out0[j]!)) + u * Math.abs(results[0]![1][j]!);
          });
          expectWithin(results[1]![1], results[0]![1], bound, `sumRows(${m}×${n}, β=${beta})`);
        }
      }
    }
  });
});
