// Packing for GEMM: copies a block of op(A) or op(B) into the panel layout the microkernels stream through, which
// absorbs the transposes (NN, TN, NT and TT all reach the microkernel in the same layout).
//   A block (mc×kc of op(A)) → micro-panels of mr ≤ MR rows: element (i, p) of the panel at row r0 is at
//     dst + r0·kc + p·mr + i  (floats). The last panel is mr = mc mod MR rows wide, with no padding.
//   B block (kc×nc of op(B)) → panels of nr columns (8, or 4 for a last remainder ≤ 4): element (p, j) of the panel
//     at column j0 is at dst + j0·kc + p·nr + j. Columns past nc in the last panel are zero.
// Sources: `a` or `b` addresses element (0, 0) of the block; op(X)(r, s) is x[r·ld + s], or x[s·ld + r] if transposed.
// Strides and sizes are in floats, addresses in bytes. Source and destination must not overlap.
import { MR } from './params';

/** Stores the transpose of the 4×4 block with rows r0..r3: column q goes to dst + q·stride (bytes). */
// @ts-ignore: decorator
@inline function storeTransposed4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // r0[2] r1[2] r0[3] r1[3]
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/** Transposes the 4×4 block whose rows start at src, src + ld, src + 2·ld, src + 3·ld (bytes) into dst. */
// @ts-ignore: decorator
@inline function transpose4x4(src: usize, ld: usize, dst: usize, stride: usize): void {
  const r2 = src + 2 * ld;
  storeTransposed4x4(v128.load(src), v128.load(src + ld), v128.load(r2), v128.load(r2 + ld), dst, stride);
}

/** Packs the mc×kc block of op(A) at `a` (leading dimension lda) into MR-row micro-panels at dst. */
export function packA(trans: bool, a: usize, lda: i32, mc: i32, kc: i32, dst: usize): void {
  const ld = <usize>lda << 2;
  for (let r0 = 0; r0 < mc; r0 += MR) {
    const mr = min(MR, mc - r0);
    const panel = dst + (<usize>(r0 * kc) << 2);
    if (trans) {
      // op(A)(i, p) = a[p·lda + i]: each k step of the panel is mr consecutive floats of the source.
      let src = a + (<usize>r0 << 2);
      if (mr == 4) {
        for (let p = 0; p < kc; p++, src += ld) v128.store(panel + (<usize>p << 4), v128.load(src));
      } else {
        for (let p = 0; p < kc; p++, src += ld) {
          for (let i = 0; i < mr; i++) store<f32>(panel + <usize>(p * mr + i) * 4, load<f32>(src + (<usize>i << 2)));
        }
      }
    } else {
      // op(A)(i, p) = a[i·lda + p]: rows of the source become columns of the panel, four k steps at a time.
      const row = a + <usize>r0 * ld;
      let p = 0;
      if (mr == 4) {
        for (; p + 4 <= kc; p += 4) {
          const src = row + (<usize>p << 2);
          transpose4x4(src, ld, panel + (<usize>p << 4), 16);
        }
      }
      for (; p < kc; p++) {
        for (let i = 0; i < mr; i++) {
          store<f32>(panel + <usize>(p * mr + i) * 4, load<f32>(row + <usize>i * ld + (<usize>p << 2)));
        }
      }
    }
  }
}

/** Packs the kc×nc block of op(B) at `b` (leading dimension ldb) into 8-column panels (a last one of 4) at dst. */
export function packB(trans: bool, b: usize, ldb: i32, kc: i32, nc: i32, dst: usize): void {
  const ld = <usize>ldb << 2;
  for (let j0 = 0; j0 < nc; j0 += 8) {
    const rem = nc - j0;
    const nr = rem > 4 ? 8 : 4;
    const valid = min(rem, nr);
    const panel = dst + (<usize>(j0 * kc) << 2);
    const step = <usize>nr << 2;
    if (valid < nr) {
      packPartialPanel(trans, b, ld, j0, kc, valid, nr, panel);
    } else if (!trans) {
      // op(B)(p, j) = b[p·ldb + j]: each k step is nr consecutive floats of the source.
      let src = b + (<usize>j0 << 2);
      for (let p = 0; p < kc; p++, src += ld) {
        const to = panel + <usize>p * step;
        v128.store(to, v128.load(src));
        if (nr == 8) v128.store(to, v128.load(src, 16), 16);
      }
    } else {
      // op(B)(p, j) = b[j·ldb + p]: rows of the source become k steps of the panel, four at a time.
      const col = b + <usize>j0 * ld;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = col + (<usize>p << 2);
        const to = panel + <usize>p * step;
        transpose4x4(src, ld, to, step);
        if (nr == 8) transpose4x4(src + 4 * ld, ld, to + 16, step);
      }
      for (; p < kc; p++) {
        for (let j = 0; j < nr; j++) {
          store<f32>(panel + <usize>(p * nr + j) * 4, load<f32>(col + <usize>j * ld + (<usize>p << 2)));
        }
      }
    }
  }
}

/** The last panel of B when it has fewer than nr valid columns: copies `valid` columns and zeroes the rest. */
function packPartialPanel(trans: bool, b: usize, ld: usize, j0: i32, kc: i32, valid: i32, nr: i32, panel: usize): void {
  for (let p = 0; p < kc; p++) {
    const to = panel + (<usize>(p * nr) << 2);
    v128.store(to, v128.splat<f32>(0));
    if (nr == 8) v128.store(to, v128.splat<f32>(0), 16);
    for (let j = 0; j < valid; j++) {
      const jj = <usize>(j0 + j);
      const src = trans ? b + jj * ld + (<usize>p << 2) : b + <usize>p * ld + (jj << 2);
      store<f32>(to + (<usize>j << 2), load<f32>(src));
    }
  }
}

/** Copies op(A) = Aᵀ's m rows of k (A stored k×m, leading dimension lda) into m contiguous rows of k at dst. */
export function packRows(a: usize, lda: i32, m: i32, k: i32, dst: usize): void {
  const ld = <usize>lda << 2;
  for (let p = 0; p < k; p++) {
    const src = a + <usize>p * ld;
    for (let i = 0; i < m; i++) store<f32>(dst + (<usize>(i * k + p) << 2), load<f32>(src + (<usize>i << 2)));
  }
}
