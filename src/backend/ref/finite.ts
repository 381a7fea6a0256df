// The reference twin of assembly/finite.ts: the index of the first element of x[0..n) that is NaN or ±∞, or −1.
import type { Storage } from './backend.js';

export function firstNonFinite(n: number, x: Storage): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) return i;
  return -1;
}
