// The backends every conformance suite runs against, and seeded random inputs.
import { RefBackend } from '../../src/backend/ref/backend.js';
import type { Backend, Buf } from '../../src/backend/types.js';
import { createWasmBackend } from '../../src/backend/wasm/load.js';
import { Random } from '../../src/random.js';

/**
 * The WASM build under test: 'simd' by default; WASMGRAD_TEST_BUILD=relaxed (with node's
 * --experimental-wasm-relaxed-simd on Node 20) runs the same suites against the relaxed-SIMD build.
 */
export const WASM_BUILD = (process.env.WASMGRAD_TEST_BUILD ?? 'simd') as 'simd' | 'relaxed';

export interface BackendFactory {
  name: string;
  create(): Promise<Backend>;
}

export const refFactory: BackendFactory = { name: 'ref', create: async () => new RefBackend() };
export const ref64Factory: BackendFactory = { name: 'ref-f64', create: async () => new RefBackend({ dtype: 'f64' }) };
export const wasmFactory: BackendFactory = {
  name: `wasm-${WASM_BUILD}`,
  create: () => createWasmBackend({ build: WASM_BUILD }),
};

/** The backends a conformance suite runs against. */
export const BACKENDS: BackendFactory[] = [refFactory, wasmFactory];

/** n floats uniform in [lo, hi) from a seeded generator. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** Allocates a buffer holding `values`. */
export function bufferOf(backend: Backend, values: ArrayLike<number>) {
  const buf = backend.alloc(values.length);
  backend.write(buf, values);
  return buf;
}

/** Sizes every kernel is swept over: 0 and 1, odd sizes, around the SIMD width (4) and tiles, and large ones. */
export const SWEEP_SIZES = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4099];

/** Cells after every output of the cross-checks that a kernel must leave as they were. */
export const GUARD_CELLS = 4;
export const GUARD_VALUE = -12345.5;

export interface Guarded {
  /** A view of exactly the values' length: what the kernel is given. */
  buf: Buf;
  /** Throws unless the GUARD_CELLS cells after the view still hold GUARD_VALUE. */
  checkGuard(label: string): void;
  /** Frees the allocation the view lies in. */
  free(): void;
}

/** A buffer holding `values`, followed in memory by GUARD_CELLS guard cells (the kernel sees only the values). */
export function guardedBufferOf(backend: Backend, values: ArrayLike<number>): Guarded {
  const n = values.length;
  const whole = backend.alloc(n + GUARD_CELLS);
  backend.write(whole, new Float32Array(GUARD_CELLS).fill(GUARD_VALUE), n);
  backend.write(whole, values);
  const tail = backend.view(whole, n, GUARD_CELLS);
  return {
    buf: backend.view(whole, 0, n),
    checkGuard(label) {
      const cells = Array.from(backend.read(tail));
      if (cells.some((v) => v !== GUARD_VALUE)) throw new Error(`${label}: wrote past the end: guard cells ${cells}`);
    },
    free: () => backend.free(whole),
  };
}
