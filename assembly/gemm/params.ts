// GEMM blocking parameters. The tile is MR×NR (NR = 8 floats = two f32x4 columns); V8 keeps about 15 v128 values in
// registers, so 4×8 (8 accumulators) fits the plain build and 6×8 (12 accumulators) the fused multiply-add build.
// KC·NR floats of B (8 KiB) stay in L1 while the micro-panels of A stream past; the MC×KC block of A stays in L2.

export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
export const NR: i32 = 8;
/** The widest tile any build uses (the scratch tile is sized for it). */
export const MR_MAX: i32 = 6;
export const KC: i32 = 256;
/** A multiple of both MRs (4 and 6). */
export const MC: i32 = 96;
/** A multiple of NR. */
export const NC: i32 = 1024;

/** A is packed only when its panels are reused by enough columns of B to repay the copy. */
export const PACK_A_MIN_N: i32 = 16;
/** Non-transposed B is read in place unless enough rows of A reuse each panel to repay the copy. */
export const PACK_B_MIN_M: i32 = 16;

/** Workspace layout, in floats: the packed A block, the packed B block (or B's tail panel), the scratch tile. */
export const WORK_A: i32 = 0;
export const WORK_B: i32 = WORK_A + MC * KC;
export const WORK_SCRATCH: i32 = WORK_B + KC * NC;
export const WORK_FLOATS: i32 = WORK_SCRATCH + MR_MAX * NR;
