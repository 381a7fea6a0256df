// What a benchmark suite is: a list of cases, each timed on every backend variant and reported as a rate.
import type { Backend } from 'wasmgrad';

/** The backends a case is timed on: the reference, and the two WASM builds. */
export type VariantName = 'ref' | 'wasm-simd' | 'wasm-relaxed';
export const VARIANTS: readonly VariantName[] = ['ref', 'wasm-simd', 'wasm-relaxed'];

/** A case made ready on one backend: buffers allocated and filled, the call to time bound. */
export interface Prepared {
  /** The timed call. */
  run(): void;
  /** Untimed, before every timed call (for cases whose state a call changes). */
  beforeEach?(): void;
  /** Frees what prepare allocated. */
  dispose(): void;
}

export interface BenchCase {
  /** Unique within its suite; `--filter` matches `suite/case`. */
  name: string;
  /** Work per call in the suite's unit before scaling: flops for GEMM, elements for elementwise kernels. */
  work: number;
  /** Allocates and fills the inputs on `backend` and returns the call to time. */
  prepare(backend: Backend): Prepared;
  /** Variants to skip (e.g. the reference on a product that would take minutes). */
  skip?: readonly VariantName[];
}

export interface Suite {
  /** Short id, e.g. 'gemm'. */
  name: string;
  /** Table heading. */
  title: string;
  /** Rate unit printed in the table, e.g. 'GFLOP/s'; the rate is work / seconds / unitScale. */
  unit: string;
  unitScale: number;
  /** The cases; `quick` asks for a short list. */
  cases(options: { quick: boolean }): BenchCase[];
}
