// The WASM export list: every kernel family re-exported, plus two exports for tests only (f32_math_eval, to measure the
// f32x4 approximations, and f32_gemm_scalar_microkernel, the blocked GEMM driven by its scalar microkernel).
// src/backend/wasm/exports.ts is the TypeScript view of the same list. Kernels never allocate: TypeScript owns the memory, which this module imports.
export * from './elementwise';
export * from './gemm/gemm';
export * from './activations';
export * from './losses';
export * from './optimizers';
export * from './fused/mlp';
export * from './finite';
export * from './dense';
export { f32_math_eval } from './math'; // test-only: the f32x4 approximations, for test/math.test.ts

/** First byte after the module's static data: where TypeScript's heap starts. */
export function heap_base(): usize {
  return __heap_base;
}
