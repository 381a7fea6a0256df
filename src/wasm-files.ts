// Where the compiled kernels live. This file sits one folder below the package root in src/ and, compiled, in dist/,
// so the same relative URL finds build/ from both (scripts/build-wasm.mjs writes it).

/** The plain WASM SIMD build. */
export const SIMD_WASM_URL = new URL('../build/wasmgrad.simd.wasm', import.meta.url);
/** The relaxed-SIMD build (fused multiply-add), compiled from the same source. */
export const RELAXED_WASM_URL = new URL('../build/wasmgrad.relaxed.wasm', import.meta.url);
