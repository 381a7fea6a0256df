// Helpers shared by the GEMM microkernels: the multiply-add of the build, and the store of a tile's last columns.

/** a·b + c per lane: one fused multiply-add in the relaxed-SIMD build, a multiply then an add in the plain build. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Writes the first nValid columns of an mr×nr tile of α·AB held in scratch (row-major, nr floats a row) into C:
 * C[i, j] ← scratch[i, j] + β·C[i, j]; β = 0 does not read C. ldc is in bytes.
 */
export function storePartialTile(mr: i32, nr: i32, nValid: i32, scratch: usize, c: usize, ldc: usize, beta: f32): void {
  for (let i = 0; i < mr; i++) {
    const src = scratch + (<usize>(i * nr) << 2);
    const dst = c + <usize>i * ldc;
    for (let j = 0; j < nValid; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(src + o);
      store<f32>(dst + o, beta == 0 ? v : v + beta * load<f32>(dst + o));
    }
  }
}
