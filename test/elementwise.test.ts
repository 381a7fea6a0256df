// Elementwise kernels, bias and bias gradient, reductions: conformance on every backend, then WASM against the
// reference on seeded random inputs over the size sweep.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { BACKENDS, bufferOf, randomArray, refFactory, SWEEP_SIZES, wasmFactory } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

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

  type Case = (be: Backend, n: number, seed: number) => Float32Array | number;
  const cases: Record<string, Case> = {
    axpy: (be, n, s) => run(be, n, s, (x, y) => be.axpy(n, -1.75, x, y), 'y'),
    scale: (be, n, s) => run(be, n, s, (x, y) => be.scale(n, 0.3, x, y), 'y'),
    add: (be, n, s) => run(be, n, s, (x, y) => be.add(n, x, y, y), 'y'),
    mul: (be, n, s) => run(be, n, s, (x, y) => be.mul(n, x, y, x), 'x'),
    clipByValue: (be, n, s) => run(be, n, s, (x) => be.clipByValue(n, -0.25, 0.5, x), 'x'),
    sumSquares: (be, n, s) => {
      const x = bufferOf(be, randomArray(n, s));
      const r = be.sumSquares(n, x);
      be.free(x);
      return r;
    },
  };

  function run(be: Backend, n: number, seed: number, op: (x: any, y: any) => void, out: 'x' | 'y'): Float32Array {
    const x = bufferOf(be, randomArray(n, seed));
    const y = bufferOf(be, randomArray(n, seed + 1));
    op(x, y);
    const result = be.read(out === 'x' ? x : y) as Float32Array;
    be.free(x);
    be.free(y);
    return result;
  }

  for (const [name, fn] of Object.entries(cases)) {
    it(`${name} over sizes ${SWEEP_SIZES.join(', ')}`, () => {
      for (const n of SWEEP_SIZES) {
        const a = fn(wasm, n, 100 + n);
        const e = fn(ref, n, 100 + n);
        // One rounding per element (axpy: two, of terms up to |α|·1 + 1, so an absolute bound); a sum of n squares
        // is accurate to n·ε relative.
        const tol =
          typeof e === 'number'
            ? { rtol: Math.max(1, n) * EPS32, atol: 0 }
            : { rtol: 2 * EPS32, atol: name === 'axpy' ? 2 * EPS32 * (1.75 + 1) : 1e-30 };
        expectClose(typeof a === 'number' ? [a] : a, typeof e === 'number' ? [e] : e, tol, `${name}(n=${n})`);
      }
    });
  }

  it('addRowVector and sumRows over m×n shapes', () => {
    for (const m of [0, 1, 3, 64]) {
      for (const n of [0, 1, 3, 4, 5, 10, 33, 128]) {
        const results = [ref, wasm].map((be) => {
          const x = bufferOf(be, randomArray(m * n, 7 + m + n));
          const v = bufferOf(be, randomArray(n, 8));
          const y = be.alloc(m * n);
          const out = bufferOf(be, randomArray(n, 9));
          be.addRowVector(m, n, x, v, y);
          be.sumRows(m, n, x, 0.5, out);
          const r = [be.read(y), be.read(out)];
          for (const b of [x, v, y, out]) be.free(b);
          return r;
        });
        expectClose(results[1]![0]!, results[0]![0]!, { rtol: EPS32, atol: 1e-30 }, `addRowVector(${m}×${n})`);
        // Column sums of m terms in f32 (WASM) against f64 (reference): |error| ≤ m·ε·Σ|x| ≤ m²·ε.
        expectClose(results[1]![1]!, results[0]![1]!, { atol: (m + 1) * (m + 1) * EPS32, rtol: 0 }, `sumRows(${m}×${n})`);
      }
    }
  });
});
