// GEMM: C ← α·op(A)·op(B) + β·C, f32, row-major; op(X) is X or Xᵀ (transA, transB ≠ 0).
// Shapes: op(A) is m×k, op(B) is k×n, C is m×n; lda, ldb, ldc are the row strides in floats of A, B, C as stored.
// Pointers are byte addresses. C must not overlap A or B; A and B may overlap each other. Callers (checked.ts)
// guarantee m, n, k ≥ 0, leading dimensions ≥ the stored row length and buffers large enough.
// β = 0 never reads C (NaN or garbage in C does not leak through); k = 0 gives C ← β·C.
// Structure (BLIS, van Zee & van de Geijn 2015): loops over n, k, m blocks; op(B) and op(A) are packed into panels
// (assembly/gemm/pack.ts) that absorb the transposes; the MR×NR register-blocked f32x4 microkernels
// (assembly/gemm/microkernels.ts, generated) compute each tile. Tails are explicit: the last micro-panel of A has
// fewer rows and takes the kernel of its height; the last panel of B is 4 wide or zero-padded and its tile is
// stored column by column. Small products skip the packing they do not need: A is read in place when few columns
// of B reuse it, an untransposed B when few rows of A do, a few rows times a transposed B are dot products of
// contiguous runs (assembly/gemm/dot.ts), and a single row times an untransposed B streams B once
// (assembly/gemm/row.ts).
// Rounding: each entry is a k-term f32 sum, in an order that depends on the path (tile rows, dot-product lanes); the
// relaxed-SIMD build fuses every multiply-add (f32x4.relaxed_madd). Builds and paths agree to the error bound
// 2·k·ε·max|a|·max|b| that test/gemm.test.ts checks against a float64 reference, not bit for bit.
// `work` is f32_gemm_workspace_floats() floats, 16-byte aligned, owned by the caller; nothing else is kept between
// calls, so separate workspaces make concurrent calls on disjoint C safe.
import { gemmDotNT } from './dot';
import { simdMicrokernel } from './microkernels';
import { packA, packB, packRows } from './pack';
import { gemmRow } from './row';
import {
  DOT_MAX_M, KC, MC, MR, NC, NR, PACK_A_MIN_N, PACK_B_MIN_M, WORK_A, WORK_B, WORK_FLOATS, WORK_SCRATCH,
} from './params';
import { scalarMicrokernel } from './scalar';

/** Floats of packing space f32_gemm needs in its `work` argument. */
export function f32_gemm_workspace_floats(): i32 {
  return WORK_FLOATS;
}

// prettier-ignore
export function f32_gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32,
  b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize): void {
  gemm(transA != 0, transB != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, false);
}

/**
 * For tests only: f32_gemm with the scalar microkernel (assembly/gemm/scalar.ts) in place of the SIMD tiles, so the
 * packing and blocking are checked on their own. Same arguments as f32_gemm. Not part of the kernel interface.
 */
// prettier-ignore
export function f32_gemm_scalar_microkernel(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize,
  lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize): void {
  gemm(transA != 0, transB != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, true);
}

// prettier-ignore
function gemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, b: usize,
  ldb: i32, beta: f32, c: usize, ldc: i32, work: usize, scalar: bool): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    scaleC(m, n, beta, c, ldc);
    return;
  }
  const aPack = work + (<usize>WORK_A << 2);
  const bPack = work + (<usize>WORK_B << 2);
  const scratch = work + (<usize>WORK_SCRATCH << 2);
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  // A few rows times a transposed B: dot products of contiguous runs, with no packing of B (assembly/gemm/dot.ts).
  if (!scalar && transB && m <= DOT_MAX_M && (!transA || m * k <= MC * KC)) {
    if (transA) {
      packRows(a, lda, m, k, aPack);
      gemmDotNT(m, n, k, alpha, aPack, <usize>k << 2, b, ldb4, beta, c, ldc4);
    } else {
      gemmDotNT(m, n, k, alpha, a, lda4, b, ldb4, beta, c, ldc4);
    }
    return;
  }
  // One row of A times an untransposed B: a row vector times a matrix, B read in place (assembly/gemm/row.ts).
  if (!scalar && m == 1 && !transB) {
    gemmRow(n, k, alpha, a, transA ? lda4 : 4, b, ldb4, beta, c);
    return;
  }
  const packingA = n >= PACK_A_MIN_N;
  const packingB = transB || m >= PACK_B_MIN_M;
  // Blocks of equal size (rather than full blocks and a thin last one) keep the last block efficient.
  const ncMax = roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
  const kcMax = ceilDiv(k, ceilDiv(k, KC));
  const mcMax = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);

  // LOOP 5: split n into nc-column blocks of C and op(B).
  for (let jc = 0; jc < n; jc += ncMax) {
    const nc = min(ncMax, n - jc);
    // LOOP 4: split k into kc-deep blocks; the first applies β, the later ones accumulate onto it.
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      const betaBlock: f32 = pc == 0 ? beta : 1;
      const bBlock = transB ? b + <usize>jc * ldb4 + (<usize>pc << 2) : b + <usize>pc * ldb4 + (<usize>jc << 2);
      const tail = nc % NR;
      const tailStart = nc - tail;
      // An unpacked B is read in place, except a last panel narrower than its tile, which is copied zero-padded.
      const unpackedTail = !packingB && tail != 0 && tail != 4;
      if (packingB) packB(transB, bBlock, ldb, kc, nc, bPack);
      else if (unpackedTail) packB(false, bBlock + (<usize>tailStart << 2), ldb, kc, tail, bPack);

      // LOOP 3: split m into mc-row blocks of C and op(A).
      for (let ic = 0; ic < m; ic += mcMax) {
        const mc = min(mcMax, m - ic);
        const aBlock = transA ? a + <usize>pc * lda4 + (<usize>ic << 2) : a + <usize>ic * lda4 + (<usize>pc << 2);
        if (packingA) packA(transA, aBlock, lda, mc, kc, aPack);

        // LOOP 2: split the block's columns into nr-wide panels of op(B).
        for (let jr = 0; jr < nc; jr += NR) {
          const rem = nc - jr;
          const nr = rem > 4 ? NR : 4;
          const nValid = min(rem, nr);
          let bPanel: usize;
          let bStep: usize;
          if (packingB) {
            bPanel = bPack + (<usize>(jr * kc) << 2);
            bStep = <usize>nr << 2;
          } else if (unpackedTail && jr == tailStart) {
            bPanel = bPack;
            bStep = <usize>nr << 2;
          } else {
            bPanel = bBlock + (<usize>jr << 2);
            bStep = ldb4;
          }
          const cPanel = c + <usize>ic * ldc4 + (<usize>(jc + jr) << 2);

          // LOOP 1: split the block's rows into mr-row micro-panels of op(A); one microkernel call per tile.
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            let aPanel: usize;
            let rsA: usize;
            let csA: usize;
            if (packingA) {
              aPanel = aPack + (<usize>(ir * kc) << 2);
              rsA = 4;
              csA = <usize>mr << 2;
            } else if (transA) {
              aPanel = aBlock + (<usize>ir << 2);
              rsA = 4;
              csA = lda4;
            } else {
              aPanel = aBlock + <usize>ir * lda4;
              rsA = lda4;
              csA = 4;
            }
            const cTile = cPanel + <usize>ir * ldc4;
            // prettier-ignore
            if (scalar) {
              scalarMicrokernel(mr, nr, kc, aPanel, rsA, csA, bPanel, bStep, cTile, ldc4, alpha, betaBlock, nValid,
                scratch);
            } else {
              simdMicrokernel(mr, nr, kc, aPanel, rsA, csA, bPanel, bStep, cTile, ldc4, alpha, betaBlock, nValid,
                scratch);
            }
          }
        }
      }
    }
  }
}

/** C ← β·C over m×n (k = 0); β = 0 writes zeros without reading C. */
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  const vbeta = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + (<usize>i * <usize>ldc << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const at = row + (<usize>j << 2);
      v128.store(at, beta == 0 ? f32x4.splat(0) : f32x4.mul(vbeta, v128.load(at)));
    }
    for (; j < n; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, beta == 0 ? 0 : beta * load<f32>(at));
    }
  }
}

// @ts-ignore: decorator
@inline function ceilDiv(x: i32, y: i32): i32 {
  return (x + y - 1) / y;
}

// @ts-ignore: decorator
@inline function roundUp(x: i32, multiple: i32): i32 {
  return ceilDiv(x, multiple) * multiple;
}
