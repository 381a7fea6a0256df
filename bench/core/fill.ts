// Seeded inputs for benchmark cases.
import { Random, type Backend, type Buf } from 'wasmgrad';

/** A buffer of n floats uniform in [lo, hi), from `seed`. */
export function randomBuffer(backend: Backend, n: number, seed: number, lo = -1, hi = 1): Buf {
  const rng = new Random(seed);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.uniform(lo, hi);
  const buf = backend.alloc(n);
  backend.write(buf, values);
  return buf;
}

/** Frees every buffer given. */
export function freeAll(backend: Backend, bufs: readonly (Buf | null)[]): void {
  for (const buf of bufs) if (buf !== null) backend.free(buf);
}
