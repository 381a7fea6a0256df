// GEMM for one row of A with an untransposed B: C[0, :] ← α·A(0, :)·B + β·C[0, :], a row vector times a matrix —
// a layer's forward pass and its dX at batch size 1. Each B element is used once, so nothing is worth packing: B's
// rows are read in place, 32 columns (two cache lines) per pass down k, into 8 independent f32x4 accumulators.
//   C[0, j] ← α·Σ_p A(0, p)·B[p, j] + β·C[0, j]   for j < n; β = 0 does not read C.
// A(0, p) at a + p·csA (bytes; 4 for a row of A, the row stride for a column of Aᵀ); B[p, j] at b + p·ldb + 4j.
// Tails: the last n mod 32 columns go 4 at a time with one accumulator, then one at a time in scalar code.
import { madd } from './tile';

// prettier-ignore
export function gemmRow(n: i32, k: i32, alpha: f32, a: usize, csA: usize, b: usize, ldb: usize, beta: f32,
  c: usize): void {
  let j = 0;
  for (; j + 32 <= n; j += 32) row32(k, a, csA, b + (<usize>j << 2), ldb, c + (<usize>j << 2), alpha, beta);
  for (; j + 4 <= n; j += 4) row4(k, a, csA, b + (<usize>j << 2), ldb, c + (<usize>j << 2), alpha, beta);
  for (; j < n; j++) {
    let dot: f32 = 0;
    let pa = a;
    let pb = b + (<usize>j << 2);
    for (let p = 0; p < k; p++, pa += csA, pb += ldb) dot += load<f32>(pa) * load<f32>(pb);
    const at = c + (<usize>j << 2);
    store<f32>(at, beta == 0 ? alpha * dot : alpha * dot + beta * load<f32>(at));
  }
}

/** The 4 floats of C at c + offset ← α·acc + β·(those floats); β = 0 does not read them. */
// @ts-ignore: decorator
@inline function store4(c: usize, offset: usize, acc: v128, alpha: f32, beta: f32): void {
  const v = f32x4.mul(f32x4.splat(alpha), acc);
  const at = c + offset;
  v128.store(at, beta == 0 ? v : madd(f32x4.splat(beta), v128.load(at), v));
}

function row32(k: i32, a: usize, csA: usize, b: usize, ldb: usize, c: usize, alpha: f32, beta: f32): void {
  let vacc0 = f32x4.splat(0), vacc1 = f32x4.splat(0), vacc2 = f32x4.splat(0), vacc3 = f32x4.splat(0);
  let vacc4 = f32x4.splat(0), vacc5 = f32x4.splat(0), vacc6 = f32x4.splat(0), vacc7 = f32x4.splat(0);
  for (let p = k; p > 0; p--) {
    const va = v128.load32_splat(a);
    vacc0 = madd(va, v128.load(b), vacc0);
    vacc1 = madd(va, v128.load(b, 16), vacc1);
    vacc2 = madd(va, v128.load(b, 32), vacc2);
    vacc3 = madd(va, v128.load(b, 48), vacc3);
    vacc4 = madd(va, v128.load(b, 64), vacc4);
    vacc5 = madd(va, v128.load(b, 80), vacc5);
    vacc6 = madd(va, v128.load(b, 96), vacc6);
    vacc7 = madd(va, v128.load(b, 112), vacc7);
    a += csA;
    b += ldb;
  }
  store4(c, 0, vacc0, alpha, beta);
  store4(c, 16, vacc1, alpha, beta);
  store4(c, 32, vacc2, alpha, beta);
  store4(c, 48, vacc3, alpha, beta);
  store4(c, 64, vacc4, alpha, beta);
  store4(c, 80, vacc5, alpha, beta);
  store4(c, 96, vacc6, alpha, beta);
  store4(c, 112, vacc7, alpha, beta);
}

function row4(k: i32, a: usize, csA: usize, b: usize, ldb: usize, c: usize, alpha: f32, beta: f32): void {
  let vacc = f32x4.splat(0);
  for (let p = k; p > 0; p--) {
    vacc = madd(v128.load32_splat(a), v128.load(b), vacc);
    a += csA;
    b += ldb;
  }
  store4(c, 0, vacc, alpha, beta);
}
