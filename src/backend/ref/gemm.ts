// Reference GEMM: C ← α·op(A)·op(B) + β·C, row-major, the textbook triple loop. Contract: src/backend/types.ts.
// β = 0 never reads C. Sums are accumulated in float64.
import type { Storage } from './backend.js';

// prettier-ignore
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Storage, lda: number, b: Storage, ldb: number, beta: number, c: Storage, ldc: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * lda + i]! : a[i * lda + p]!;
        const bpj = transB ? b[j * ldb + p]! : b[p * ldb + j]!;
        dot += aip * bpj;
      }
      const cij = i * ldc + j;
      c[cij] = beta === 0 ? alpha * dot : alpha * dot + beta * c[cij]!;
    }
  }
}
