// The scalar GEMM microkernel on its own: the test export f32_gemm_scalar_microkernel runs the blocked driver and
// the packing with the scalar microkernel (assembly/gemm/scalar.ts) in place of the SIMD tiles. It is not part of
// the kernel interface, so this test instantiates the module directly and lays out the buffers itself.
import { instantiate } from '@assemblyscript/loader';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../src/backend/ref/backend.js';
import { RELAXED_WASM_URL, SIMD_WASM_URL } from '../src/wasm-files.js';
import { bufferOf, randomArray, WASM_BUILD } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

const EPS32 = 2 ** -23;
const GUARD = -12345.5;

type GemmExport = (
  transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
  b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
) => void;

interface RawKernels {
  heap_base(): number;
  f32_gemm_workspace_floats(): number;
  f32_gemm_scalar_microkernel: GemmExport;
}

describe(`gemm scalar microkernel (${WASM_BUILD} build) against the reference`, () => {
  let raw: RawKernels;
  let memory: WebAssembly.Memory;
  it('instantiates the module', async () => {
    memory = new WebAssembly.Memory({ initial: 16 });
    const bytes = await readFile(WASM_BUILD === 'relaxed' ? RELAXED_WASM_URL : SIMD_WASM_URL);
    raw = (await instantiate<RawKernels & Record<string, unknown>>(bytes, { env: { memory } })).exports;
    expect(raw.f32_gemm_workspace_floats()).toBeGreaterThan(0);
  });

  /** Places the arrays one after another from the heap base (16-byte aligned), growing the memory as needed. */
  function place(arrays: Float32Array[]): number[] {
    let at = Math.ceil(raw.heap_base() / 16) * 16;
    const addresses = arrays.map((x) => {
      const here = at;
      at += Math.ceil((x.length * 4) / 16) * 16;
      return here;
    });
    if (at > memory.buffer.byteLength) memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
    arrays.forEach((x, i) => new Float32Array(memory.buffer, addresses[i], x.length).set(x));
    return addresses;
  }

  const ref = new RefBackend();
  const shapes: [number, number, number][] = [
    [0, 3, 2], [3, 0, 2], [2, 3, 0], [1, 1, 1], [1, 7, 3], [3, 4, 5], [4, 8, 4], [5, 9, 17], [6, 12, 8], [7, 5, 3],
    [13, 3, 33], [17, 20, 1], [33, 65, 31], [64, 10, 128], [97, 129, 257], [257, 300, 129], [40, 1030, 300],
    [9, 20, 1100], [100, 17, 1030],
  ];
  for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    it(`transA=${transA} transB=${transB} over ${shapes.length} shapes, padded leading dimensions`, () => {
      let seed = 300;
      for (const [m, n, k] of shapes) {
        seed++;
        const alpha = seed % 2 ? 1 : -1.5;
        const beta = [0, 1, 0.5][seed % 3]!;
        const [aRows, aCols] = transA ? [k, m] : [m, k];
        const [bRows, bCols] = transB ? [n, k] : [k, n];
        const lda = Math.max(1, aCols + (seed % 3));
        const ldb = Math.max(1, bCols + (seed % 2));
        const ldc = Math.max(1, n + 2);
        const av = randomArray(Math.max(1, aRows * lda), seed);
        const bv = randomArray(Math.max(1, bRows * ldb), seed + 1);
        const inside = (i: number) => i < m * ldc && i % ldc < n;
        const cv = randomArray(m * ldc + 4, seed + 2).map((v, i) => (inside(i) ? (beta === 0 ? NaN : v) : GUARD));

        const work = new Float32Array(raw.f32_gemm_workspace_floats());
        const [pw, pa, pb, pc] = place([work, av, bv, cv]);
        raw.f32_gemm_scalar_microkernel(transA, transB, m, n, k, alpha, pa!, lda, pb!, ldb, beta, pc!, ldc, pw!);
        const got = new Float32Array(memory.buffer, pc!, cv.length).slice();

        const [ra, rb, rc] = [av, bv, cv].map((x) => bufferOf(ref, x));
        ref.gemm(!!transA, !!transB, m, n, k, alpha, ra!, lda, rb!, ldb, beta, rc!, ldc);
        const want = ref.read(rc!);
        // Same bound as the SIMD kernel (test/gemm.test.ts): a k-term f32 dot product scaled by |α|, plus the
        // roundings of β·C; inputs are in [-1, 1). Guard cells pass only if left exactly as they were.
        const atol = 2 * k * EPS32 * Math.abs(alpha) + 2 * EPS32 * Math.abs(beta) + EPS32;
        expectClose(got, want, { atol, rtol: 0 }, `gemm-scalar(${transA}${transB} ${m}×${n}×${k} β=${beta})`);
      }
    });
  }
});
