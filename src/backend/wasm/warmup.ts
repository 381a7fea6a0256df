// Warming the GEMM kernels up at init. A fresh module runs in V8's baseline compiler (Liftoff), several times slower
// than the optimising one (TurboFan); a function is re-compiled in the background once it has run enough, and a call
// already running does not switch to the new code. So a first large product would run entirely at baseline speed.
// This runs small products over every code path (all four transposes, packed and in-place operands, every tile
// height and both tile widths, the dot-product and row paths) until probe products are several times faster than at
// first and stop improving, or a time budget runs out.
import type { Backend } from '../types.js';

/** Shapes (m, n, k) that together reach every microkernel and packing routine. */
const SHAPES: readonly [number, number, number][] = [
  [20, 20, 20], // packed A and B, 4×8 and 4×4 tiles
  [7, 13, 9], // A and B read in place, 3-row tiles, a zero-padded last panel of B
  [18, 12, 5], // packed, 2-row tiles, a partial 8-wide last tile
  [5, 3, 6], // in place, 1-row tiles, a partial 4-wide tile; with Bᵀ: dot products
  [1, 39, 8], // a row times B: 32-, 4- and 1-column passes
];
const PROBE = 32;
const SIDE = 32;
const PROBE_FLOPS = 4 * 2 * PROBE ** 3;
/** 15 GFLOP/s: several times what the baseline compiler reaches here, half of what the optimised kernels do. */
const FAST_FLOPS_PER_MS = 15e6;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the GEMM warm-up on `backend`; resolves after at most about `budgetMs` milliseconds. Allocates three small
 * buffers and frees them, so the heap ends where it started.
 */
export async function warmUpGemm(backend: Backend, budgetMs = 60): Promise<void> {
  const bufs = [backend.alloc(SIDE * SIDE), backend.alloc(SIDE * SIDE), backend.alloc(SIDE * SIDE)] as const;
  const [a, b, c] = bufs;
  for (const x of bufs) backend.fill(SIDE * SIDE, 0.5, x);
  // One product per transpose pair, packed operands: the shape of the calls that are long enough to matter.
  const probe = (): number => {
    const t0 = performance.now();
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        backend.gemm(transA, transB, PROBE, PROBE, PROBE, 1, a, PROBE, b, PROBE, 0, c, PROBE);
      }
    }
    return performance.now() - t0;
  };
  try {
    const start = performance.now();
    const first = probe();
    let last = first;
    for (;;) {
      for (let round = 0; round < 4; round++) {
        for (const [m, n, k] of SHAPES) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const lda = transA ? m : k;
              const ldb = transB ? k : n;
              backend.gemm(transA, transB, m, n, k, 1, a, lda, b, ldb, round % 2 ? 0.5 : 0, c, n);
            }
          }
        }
      }
      // Background compilation needs this thread to yield.
      await sleep(1);
      const now = probe();
      // Done when the probe has stopped improving and is either several times faster than at first or already fast
      // (a module compiled before from the same bytes reuses its optimised code).
      const settled = now > last * 0.8 && (now < first / 3 || PROBE_FLOPS / now > FAST_FLOPS_PER_MS);
      if (settled || performance.now() - start > budgetMs) break;
      last = now;
    }
  } finally {
    for (const x of bufs) backend.free(x);
  }
}
