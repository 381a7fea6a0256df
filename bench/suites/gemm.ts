// GEMM throughput in GFLOP/s (2·m·n·k per call) over the shapes issue 3 sets targets for: squares, the three
// products of a 784→128 Dense layer's training step on a batch of 64 (each operand in its natural storage, no copy
// to transpose), a 128→10 output layer, small batches, and 256³ in every transpose pair.
import type { BenchCase, Suite } from '../core/types.js';
import { freeAll, randomBuffer } from '../core/fill.js';

interface Shape {
  name: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  /** 0 unless the case accumulates into C (a gradient summed over calls). */
  beta?: number;
}

const nn = (name: string, m: number, n: number, k: number): Shape => ({ name, transA: false, transB: false, m, n, k });

const FULL: Shape[] = [
  nn('128³', 128, 128, 128),
  nn('256³', 256, 256, 256),
  nn('512³', 512, 512, 512),
  nn('1024³', 1024, 1024, 1024),
  nn('fwd X·W [64×784]·[784×128]', 64, 128, 784),
  { name: 'dW = Xᵀ·dY, X 64×784, dY 64×128', transA: true, transB: false, m: 784, n: 128, k: 64 },
  { name: 'dW += Xᵀ·dY (β = 1)', transA: true, transB: false, m: 784, n: 128, k: 64, beta: 1 },
  { name: 'dX = dY·Wᵀ, dY 64×128, W 784×128', transA: false, transB: true, m: 64, n: 784, k: 128 },
  nn('out [64×128]·[128×10]', 64, 10, 128),
  nn('batch 1 [1×784]·[784×128]', 1, 128, 784),
  nn('batch 8 [8×784]·[784×128]', 8, 128, 784),
  { name: 'TN 256³', transA: true, transB: false, m: 256, n: 256, k: 256 },
  { name: 'NT 256³', transA: false, transB: true, m: 256, n: 256, k: 256 },
  { name: 'TT 256³', transA: true, transB: true, m: 256, n: 256, k: 256 },
];
const QUICK = new Set(['128³', '256³', 'fwd X·W [64×784]·[784×128]', 'dW = Xᵀ·dY, X 64×784, dY 64×128',
  'dX = dY·Wᵀ, dY 64×128, W 784×128', 'out [64×128]·[128×10]']);

/**
 * The reference backend's triple loop runs at well under 1 GFLOP/s: above 512³ a call takes tens of seconds, so it
 * is not timed there (and above 256³ only in a full run).
 */
const REF_MAX_FLOPS = 2 * 512 ** 3;
const REF_QUICK_MAX_FLOPS = 2 * 256 ** 3;

export const gemmSuite: Suite = {
  name: 'gemm',
  title: 'GEMM, C ← op(A)·op(B) + β·C (row-major, α = 1, β = 0 unless stated)',
  unit: 'GFLOP/s',
  unitScale: 1e9,
  cases({ quick }) {
    return FULL.filter((s) => !quick || QUICK.has(s.name)).map((s): BenchCase => {
      const flops = 2 * s.m * s.n * s.k;
      return {
        name: s.name,
        work: flops,
        skip: flops > (quick ? REF_QUICK_MAX_FLOPS : REF_MAX_FLOPS) ? ['ref'] : [],
        prepare(be) {
          const { transA, transB, m, n, k } = s;
          const beta = s.beta ?? 0;
          const a = randomBuffer(be, m * k, 1);
          const b = randomBuffer(be, k * n, 2);
          const c = randomBuffer(be, m * n, 3);
          const lda = transA ? m : k;
          const ldb = transB ? k : n;
          return {
            run: () => be.gemm(transA, transB, m, n, k, 1, a, lda, b, ldb, beta, c, n),
            dispose: () => freeAll(be, [a, b, c]),
          };
        },
      };
    });
  },
};
