// GEMM blocking parameters. The tile is MR×NR = 4×8 (NR = two f32x4 columns) in both builds: 8 accumulators, 2
// vectors of B and 4 broadcasts of A fit the ~15 v128 registers V8 allocates. A 6×8 tile would suit FMA on paper, but
// V8 (Node 20) schedules all six broadcasts of A ahead of the multiply-adds, needs 20 registers and spills four
// accumulators every k step: measured 39 GFLOP/s at 256³ against 57 for 4×8 with FMA.
// KC·NR floats of B (8 KiB) stay in L1 while the micro-panels of A stream past; the MC×KC block of A stays in L2.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
/** A multiple of MR. */
export const MC: i32 = 96;
/** A multiple of NR. */
export const NC: i32 = 1024;

/** A is packed only when its panels are reused by enough columns of B to repay the copy. */
export const PACK_A_MIN_N: i32 = 16;
/** Non-transposed B is read in place unless enough rows of A reuse each panel to repay the copy. */
export const PACK_B_MIN_M: i32 = 16;

/** Up to this many rows, A·Bᵀ is computed as dot products without packing (assembly/gemm/dot.ts). */
export const DOT_MAX_M: i32 = 8;

/** Workspace layout, in floats: the packed A block, the packed B block (or B's tail panel), the scratch tile. */
export const WORK_A: i32 = 0;
export const WORK_B: i32 = WORK_A + MC * KC;
export const WORK_SCRATCH: i32 = WORK_B + KC * NC;
export const WORK_FLOATS: i32 = WORK_SCRATCH + MR * NR;
