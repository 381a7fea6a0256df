// GEMM for few rows with a transposed B: C ← α·A·Bᵀ + β·C where A's m rows and Bᵀ's n columns are both contiguous
// in k, so every entry is a dot product of two contiguous runs and nothing needs packing. This is what a layer's
// backward pass dX = dY·Wᵀ is at batch sizes 1 to 8: the BLIS path would copy all of W to compute a few rows.
//   C[i, j] ← α·Σ_p A[i, p]·B[j, p] + β·C[i, j]   for i < m, j < n; β = 0 does not read C.
// A(i, p) at a + i·lda + 4p, B(j, p) at b + j·ldb + 4p, C[i, j] at c + i·ldc + 4j (leading dimensions in bytes).
// Tiles: 2 rows × 4 columns (8 f32x4 accumulators over k, 4 lanes of partial sums each, reduced at the end); the last
// row and the last n mod 4 columns take a 1×4 or 1×1 tile. k tail: k mod 4 products go through the same vectors one
// lane at a time (zero-filled lanes) through the same multiply-adds.
import { madd } from './tile';

/** Floats p..p+3 of a run. */
// @ts-ignore: decorator
@inline function loadRun(x: usize, p: i32): v128 {
  return v128.load(x + (<usize>p << 2));
}

/** Floats p..k−1 of a run (fewer than 4), the other lanes zero. */
// @ts-ignore: decorator
@inline function loadTail(x: usize, p: i32, k: i32): v128 {
  const at = x + (<usize>p << 2);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (p + 1 < k) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (p + 2 < k) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/** [Σ lanes of x0, Σ x1, Σ x2, Σ x3]. */
// @ts-ignore: decorator
@inline function reduce4(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const t0 = f32x4.add(i32x4.shuffle(x0, x1, 0, 4, 1, 5), i32x4.shuffle(x0, x1, 2, 6, 3, 7));
  const t1 = f32x4.add(i32x4.shuffle(x2, x3, 0, 4, 1, 5), i32x4.shuffle(x2, x3, 2, 6, 3, 7));
  return f32x4.add(i32x4.shuffle(t0, t1, 0, 1, 4, 5), i32x4.shuffle(t0, t1, 2, 3, 6, 7));
}

/** C[0, 0:4] ← α·r + β·C[0, 0:4]. */
// @ts-ignore: decorator
@inline function store4(c: usize, r: v128, alpha: f32, beta: f32): void {
  const v = f32x4.mul(f32x4.splat(alpha), r);
  v128.store(c, beta == 0 ? v : madd(f32x4.splat(beta), v128.load(c), v));
}

// prettier-ignore
export function gemmDotNT(m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: usize, b: usize, ldb: usize,
  beta: f32, c: usize, ldc: usize): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = a + <usize>i * lda;
    const a1 = a0 + lda;
    const c0 = c + <usize>i * ldc;
    let j = 0;
    for (; j + 4 <= n; j += 4) dot2x4(k, a0, a1, b + <usize>j * ldb, ldb, c0 + (<usize>j << 2), ldc, alpha, beta);
    for (; j < n; j++) {
      const bj = b + <usize>j * ldb;
      dot1x1(k, a0, bj, c0 + (<usize>j << 2), alpha, beta);
      dot1x1(k, a1, bj, c0 + ldc + (<usize>j << 2), alpha, beta);
    }
  }
  if (i < m) {
    const a0 = a + <usize>i * lda;
    const c0 = c + <usize>i * ldc;
    let j = 0;
    for (; j + 4 <= n; j += 4) dot1x4(k, a0, b + <usize>j * ldb, ldb, c0 + (<usize>j << 2), alpha, beta);
    for (; j < n; j++) dot1x1(k, a0, b + <usize>j * ldb, c0 + (<usize>j << 2), alpha, beta);
  }
}

// prettier-ignore
function dot2x4(k: i32, a0: usize, a1: usize, b0: usize, ldb: usize, c: usize, ldc: usize, alpha: f32,
  beta: f32): void {
  const b1 = b0 + ldb;
  const b2 = b1 + ldb;
  const b3 = b2 + ldb;
  let vacc0x0 = f32x4.splat(0), vacc0x1 = f32x4.splat(0), vacc0x2 = f32x4.splat(0), vacc0x3 = f32x4.splat(0);
  let vacc1x0 = f32x4.splat(0), vacc1x1 = f32x4.splat(0), vacc1x2 = f32x4.splat(0), vacc1x3 = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const va0 = loadRun(a0, p);
    const va1 = loadRun(a1, p);
    const vb0 = loadRun(b0, p);
    vacc0x0 = madd(va0, vb0, vacc0x0);
    vacc1x0 = madd(va1, vb0, vacc1x0);
    const vb1 = loadRun(b1, p);
    vacc0x1 = madd(va0, vb1, vacc0x1);
    vacc1x1 = madd(va1, vb1, vacc1x1);
    const vb2 = loadRun(b2, p);
    vacc0x2 = madd(va0, vb2, vacc0x2);
    vacc1x2 = madd(va1, vb2, vacc1x2);
    const vb3 = loadRun(b3, p);
    vacc0x3 = madd(va0, vb3, vacc0x3);
    vacc1x3 = madd(va1, vb3, vacc1x3);
  }
  if (p < k) {
    const va0 = loadTail(a0, p, k);
    const va1 = loadTail(a1, p, k);
    const vb0 = loadTail(b0, p, k);
    vacc0x0 = madd(va0, vb0, vacc0x0);
    vacc1x0 = madd(va1, vb0, vacc1x0);
    const vb1 = loadTail(b1, p, k);
    vacc0x1 = madd(va0, vb1, vacc0x1);
    vacc1x1 = madd(va1, vb1, vacc1x1);
    const vb2 = loadTail(b2, p, k);
    vacc0x2 = madd(va0, vb2, vacc0x2);
    vacc1x2 = madd(va1, vb2, vacc1x2);
    const vb3 = loadTail(b3, p, k);
    vacc0x3 = madd(va0, vb3, vacc0x3);
    vacc1x3 = madd(va1, vb3, vacc1x3);
  }
  store4(c, reduce4(vacc0x0, vacc0x1, vacc0x2, vacc0x3), alpha, beta);
  store4(c + ldc, reduce4(vacc1x0, vacc1x1, vacc1x2, vacc1x3), alpha, beta);
}

// prettier-ignore
function dot1x4(k: i32, a0: usize, b0: usize, ldb: usize, c: usize, alpha: f32, beta: f32): void {
  const b1 = b0 + ldb;
  const b2 = b1 + ldb;
  const b3 = b2 + ldb;
  let vacc0 = f32x4.splat(0), vacc1 = f32x4.splat(0), vacc2 = f32x4.splat(0), vacc3 = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const va = loadRun(a0, p);
    vacc0 = madd(va, loadRun(b0, p), vacc0);
    vacc1 = madd(va, loadRun(b1, p), vacc1);
    vacc2 = madd(va, loadRun(b2, p), vacc2);
    vacc3 = madd(va, loadRun(b3, p), vacc3);
  }
  if (p < k) {
    const va = loadTail(a0, p, k);
    vacc0 = madd(va, loadTail(b0, p, k), vacc0);
    vacc1 = madd(va, loadTail(b1, p, k), vacc1);
    vacc2 = madd(va, loadTail(b2, p, k), vacc2);
    vacc3 = madd(va, loadTail(b3, p, k), vacc3);
  }
  store4(c, reduce4(vacc0, vacc1, vacc2, vacc3), alpha, beta);
}

function dot1x1(k: i32, a0: usize, b0: usize, c: usize, alpha: f32, beta: f32): void {
  let vacc = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) vacc = madd(loadRun(a0, p), loadRun(b0, p), vacc);
  if (p < k) vacc = madd(loadTail(a0, p, k), loadTail(b0, p, k), vacc);
  const lo = f32x4.extract_lane(vacc, 0) + f32x4.extract_lane(vacc, 1);
  const hi = f32x4.extract_lane(vacc, 2) + f32x4.extract_lane(vacc, 3);
  const sum = lo + hi;
  const v = alpha * sum;
  store<f32>(c, beta == 0 ? v : v + beta * load<f32>(c));
}
