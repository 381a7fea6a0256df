// GEMM: a conformance suite run on every backend (hand-checked products, β semantics, k = 0, guard cells), then the
// WASM kernel against the reference on seeded random inputs over the size sweep, all four transposes, padded
// leading dimensions, several α and β.
import { describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../src/backend/types.js';
import { Random } from '../src/random.js';
import { BACKENDS, bufferOf, randomArray, refFactory, wasmFactory } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

const EPS32 = 2 ** -23;
const GUARD = -12345.5;

/** Transposes a rows×cols row-major matrix. */
function transpose(x: ArrayLike<number>, rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}

for (const factory of BACKENDS) {
  describe(`gemm conformance: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
      expect(be.name).toBe(factory.name.startsWith('wasm') ? 'wasm' : 'ref');
    });

    // A = [[1, 2, 3], [4, 5, 6]] (2×3), B = [[1, 0], [0, 1], [1, 1]] (3×2): A·B = [[4, 5], [10, 11]].
    const A = [1, 2, 3, 4, 5, 6];
    const B = [1, 0, 0, 1, 1, 1];
    const AB = [4, 5, 10, 11];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`a hand-checked 2×3·3×2 product, transA=${transA} transB=${transB}`, () => {
          const a = bufferOf(be, transA ? transpose(A, 2, 3) : A);
          const b = bufferOf(be, transB ? transpose(B, 3, 2) : B);
          const c = bufferOf(be, [NaN, NaN, NaN, NaN]);
          be.gemm(transA, transB, 2, 2, 3, 1, a, transA ? 2 : 3, b, transB ? 3 : 2, 0, c, 2);
          expect(Array.from(be.read(c))).toEqual(AB);
          // C ← 2·AB − 0.5·C
          be.gemm(transA, transB, 2, 2, 3, 2, a, transA ? 2 : 3, b, transB ? 3 : 2, -0.5, c, 2);
          expect(Array.from(be.read(c))).toEqual(AB.map((v) => 2 * v - 0.5 * v));
          for (const x of [a, b, c]) be.free(x);
        });
      }
    }

    it('β = 0 ignores NaN and infinities in C; β = 1 accumulates', () => {
      const a = bufferOf(be, A);
      const b = bufferOf(be, B);
      const c = bufferOf(be, [NaN, Infinity, -Infinity, NaN]);
      be.gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2);
      expect(Array.from(be.read(c))).toEqual(AB);
      be.gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 1, c, 2);
      expect(Array.from(be.read(c))).toEqual(AB.map((v) => 2 * v));
      for (const x of [a, b, c]) be.free(x);
    });

    it('k = 0 gives C ← β·C (β = 0: zeros, even over NaN)', () => {
      const a = be.alloc(1);
      const b = be.alloc(1);
      const c = bufferOf(be, [1, 2, 3, 4, 5, 6]);
      be.gemm(false, false, 2, 3, 0, 1, a, 1, b, 3, 0.5, c, 3);
      expect(Array.from(be.read(c))).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
      be.fill(6, NaN, c);
      be.gemm(true, true, 2, 3, 0, 1, a, 2, b, 1, 0, c, 3);
      expect(Array.from(be.read(c))).toEqual([0, 0, 0, 0, 0, 0]);
      for (const x of [a, b, c]) be.free(x);
    });

    it('m = 0 or n = 0 writes nothing', () => {
      const a = bufferOf(be, A);
      const b = bufferOf(be, B);
      const c = bufferOf(be, [GUARD, GUARD, GUARD, GUARD]);
      be.gemm(false, false, 0, 2, 3, 1, a, 3, b, 2, 0, c, 2);
      be.gemm(false, false, 2, 0, 3, 1, a, 3, b, 2, 0, c, 2);
      expect(Array.from(be.read(c))).toEqual([GUARD, GUARD, GUARD, GUARD]);
      for (const x of [a, b, c]) be.free(x);
    });

    it('with ldc > n, the cells between rows and after the end stay untouched', () => {
      // A 9×10 product of small integers (exact in f32), C stored with ldc = 13 and 5 guard cells after it.
      const m = 9;
      const n = 10;
      const k = 6;
      const ldc = 13;
      const av = Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
      const bv = Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
      const expected = new Array<number>(m * n).fill(0);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) expected[i * n + j]! += av[i * k + p]! * bv[p * n + j]!;
      }
      const a = bufferOf(be, av);
      const b = bufferOf(be, bv);
      const c = bufferOf(be, new Array<number>((m - 1) * ldc + n + 5).fill(GUARD));
      be.gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, ldc);
      const out = be.read(c);
      for (let i = 0; i < m; i++) {
        expect(Array.from(out.subarray(i * ldc, i * ldc + n))).toEqual(expected.slice(i * n, (i + 1) * n));
        const guardEnd = i === m - 1 ? out.length : (i + 1) * ldc;
        expect(Array.from(out.subarray(i * ldc + n, guardEnd)).every((v) => v === GUARD)).toBe(true);
      }
      for (const x of [a, b, c]) be.free(x);
    });
  });
}

/** One random case: sizes, flags, scalars, and padding of each leading dimension. */
interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  padA: number;
  padB: number;
  padC: number;
}

const GUARD_TAIL = 3;

/**
 * Runs one case on a backend from seeded inputs. C holds random values (NaN when β = 0, which must not leak through)
 * and GUARD in the padding after every row and in GUARD_TAIL cells after the end.
 */
function runCase(be: Backend, t: Case, seed: number): { c: Float32Array; maxA: number; maxB: number; maxC: number } {
  const [aRows, aCols] = t.transA ? [t.k, t.m] : [t.m, t.k];
  const [bRows, bCols] = t.transB ? [t.n, t.k] : [t.k, t.n];
  const lda = Math.max(1, aCols + t.padA);
  const ldb = Math.max(1, bCols + t.padB);
  const ldc = Math.max(1, t.n + t.padC);
  const av = randomArray(Math.max(1, aRows * lda), seed);
  const bv = randomArray(Math.max(1, bRows * ldb), seed + 1);
  const cv = randomArray(Math.max(1, t.m * ldc) + GUARD_TAIL, seed + 2, -2, 2);
  for (let i = 0; i < cv.length; i++) {
    const inside = i < t.m * ldc && i % ldc < t.n;
    if (!inside) cv[i] = GUARD;
    else if (t.beta === 0) cv[i] = NaN;
  }
  const a = bufferOf(be, av);
  const b = bufferOf(be, bv);
  const c = bufferOf(be, cv);
  be.gemm(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, lda, b, ldb, t.beta, c, ldc);
  const out = be.read(c) as Float32Array;
  for (const x of [a, b, c] as Buf[]) be.free(x);
  const maxAbs = (x: Float32Array) =>
    x.reduce((mx, v) => (Number.isNaN(v) || v === GUARD ? mx : Math.max(mx, Math.abs(v))), 0);
  return { c: out, maxA: maxAbs(av), maxB: maxAbs(bv), maxC: t.beta === 0 ? 0 : maxAbs(cv) };
}

const SIZES = [...Array.from({ length: 21 }, (_, i) => i), 31, 32, 33, 63, 64, 65, 127, 128, 129];
const ALPHAS = [1, -0.75, 2.5];
const BETAS = [0, 1, 0.5];

describe('gemm: WASM against the reference on seeded inputs', () => {
  let ref: Backend;
  let wasm: Backend;
  it('creates both backends', async () => {
    ref = await refFactory.create();
    wasm = await wasmFactory.create();
    expect(wasm.name).toBe('wasm');
  });

  function check(t: Case, seed: number): void {
    const flags = `${t.transA ? 'T' : 'N'}${t.transB ? 'T' : 'N'}`;
    const pads = `${t.padA},${t.padB},${t.padC}`;
    const label = `gemm(${flags} m=${t.m} n=${t.n} k=${t.k} α=${t.alpha} β=${t.beta} pads=${pads})`;
    const got = runCase(wasm, t, seed);
    const want = runCase(ref, t, seed);
    // The k-term dot product accumulated in f32 errs by about k·ε·max|a|·max|b| (ARCHITECTURE.md §5, with a factor 2
    // of margin), scaled by |α|; forming α·AB + β·C adds roundings of at most ε·|β|·max|C| each; ε absolute covers
    // the final rounding of results near 1. The reference accumulates in f64. Guard cells must match exactly.
    const atol =
      2 * t.k * EPS32 * Math.abs(t.alpha) * got.maxA * got.maxB + 2 * EPS32 * Math.abs(t.beta) * got.maxC + EPS32;
    expectClose(got.c, want.c, { atol, rtol: 0 }, label);
    const ldc = Math.max(1, t.n + t.padC);
    for (let i = 0; i < got.c.length; i++) {
      const inside = i < t.m * ldc && i % ldc < t.n;
      if (!inside && got.c[i] !== GUARD) throw new Error(`${label}: guard cell ${i} was overwritten with ${got.c[i]}`);
      if (inside && Number.isNaN(got.c[i]!)) throw new Error(`${label}: NaN at ${i}`);
    }
  }

  const TRANSPOSES: [boolean, boolean][] = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];

  for (const [transA, transB] of TRANSPOSES) {
    const tag = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;

    it(`${tag}: every m, n, k in 0..20`, () => {
      let seed = 1000;
      for (let m = 0; m <= 20; m++) {
        for (let n = 0; n <= 20; n++) {
          for (let k = 0; k <= 20; k++) {
            seed++;
            const pad = seed % 3 === 0 ? 1 + (seed % 5) : 0;
            const [alpha, beta] = [ALPHAS[seed % 3]!, BETAS[(seed >> 2) % 3]!];
            check({ m, n, k, transA, transB, alpha, beta, padA: pad, padB: pad >> 1, padC: pad }, seed);
          }
        }
      }
    });

    it(`${tag}: each of m, n, k over ${SIZES.join(', ')}, the others drawn from the same sizes`, () => {
      const rng = new Random(7 + Number(transA) * 2 + Number(transB));
      const pick = () => SIZES[Math.floor(rng.uniform(0, SIZES.length))]!;
      let seed = 5000;
      for (const dim of ['m', 'n', 'k'] as const) {
        for (const size of SIZES) {
          seed++;
          const shape = { m: pick(), n: pick(), k: pick(), [dim]: size };
          const pads = [0, 0, 0].map(() => (rng.uniform(0, 1) < 0.5 ? 0 : Math.floor(rng.uniform(1, 6))));
          const [alpha, beta] = [ALPHAS[seed % 3]!, BETAS[seed % 3 === 0 ? 0 : (seed >> 1) % 3]!];
          check({ ...shape, transA, transB, alpha, beta, padA: pads[0]!, padB: pads[1]!, padC: pads[2]! }, seed);
        }
      }
    });

    it(`${tag}: large shapes 257×300×129, 64×128×784, thin and deep ones`, () => {
      const shapes: [number, number, number][] = [
        [257, 300, 129],
        [64, 128, 784],
        [1, 300, 600],
        [300, 1, 600],
        [5, 1030, 70],
        [130, 9, 520],
        [7, 20, 4000],
      ];
      let seed = 9000;
      for (const [m, n, k] of shapes) {
        for (const beta of BETAS) {
          seed++;
          const pads = { padA: seed % 2, padB: 3 * (seed % 2), padC: 2 };
          check({ m, n, k, transA, transB, alpha: ALPHAS[seed % 3]!, beta, ...pads }, seed);
        }
      }
    });
  }
});
