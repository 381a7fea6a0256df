// GEMM blocking parameters. The tile is MR×NR = 4×8 (NR = two f32x4 columns) in both builds: 8 accumulators, 2
// vectors of B and 4 broadcasts of A fit the ~15 v128 registers V8 allocates. A 6×8 tile would suit FMA on paper, but
// V8 (Node 20) schedules all six broadcasts of A ahead of the multiply-adds, needs 20 registers and spills four
// accumulators every k step: measured 39 GFLOP/s at 256³ against 57 for 4×8 with FMA.
// Caches (a 48 KiB L1 and 2 MiB L2 per core here): the KC×NR panel of B (16 KiB) stays in L1 while the MR×KC
// micro-panels of A stream past it from the MC×KC block of A (192 KiB), which stays in L2 with the KC×NC block of B
// (1 MiB). Measured against KC = 256 and NC = 1024: 1024³ 35 → 37 GFLOP/s plain, 46 → 49 with FMA; other shapes
// unchanged within the noise of a shared machine.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 512;
/** A multiple of MR. */
export const MC: i32 = 96;
/** A multiple of NR. */
export const NC: i32 = 512;

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
