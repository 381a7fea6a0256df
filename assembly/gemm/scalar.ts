// The scalar GEMM microkernel: the same contract as the generated SIMD ones (assembly/gemm/microkernels.ts), written
// as plain loops. It is the readable statement of what a microkernel does; the test export f32_gemm_scalar_microkernel
// runs the whole blocked driver on it, so packing and blocking are checked independently of the SIMD tiles.
//   C[i, j] ← α·Σ_p A(i, p)·B(p, j) + β·C[i, j]  for i < mr, j < nValid;  β = 0 does not read C.
// A(i, p) at a + i·rsA + p·csA; B(p, j) at b + p·bStep + 4j; C[i, j] at c + i·ldc + 4j (all in bytes). nr is the
// panel width of B (nValid ≤ nr columns are used), kept for the same signature as the SIMD kernels.

// prettier-ignore
export function scalarMicrokernel(mr: i32, nr: i32, k: i32, a: usize, rsA: usize, csA: usize, b: usize,
  bStep: usize, c: usize, ldc: usize, alpha: f32, beta: f32, nValid: i32, scratch: usize): void {
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nValid; j++) {
      let dot: f32 = 0;
      for (let p = 0; p < k; p++) {
        dot += load<f32>(a + <usize>i * rsA + <usize>p * csA) * load<f32>(b + <usize>p * bStep + (<usize>j << 2));
      }
      const cij = c + <usize>i * ldc + (<usize>j << 2);
      store<f32>(cij, beta == 0 ? alpha * dot : alpha * dot + beta * load<f32>(cij));
    }
  }
}
