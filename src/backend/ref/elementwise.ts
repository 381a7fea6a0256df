// Reference elementwise kernels, reductions and clipping. Contracts: src/backend/types.ts.
import type { Storage } from './backend.js';

export function axpy(n: number, alpha: number, x: Storage, y: Storage): void {
  for (let i = 0; i < n; i++) y[i] = alpha * x[i]! + y[i]!;
}

export function scale(n: number, alpha: number, x: Storage, y: Storage): void {
  for (let i = 0; i < n; i++) y[i] = alpha * x[i]!;
}

export function add(n: number, x: Storage, y: Storage, z: Storage): void {
  for (let i = 0; i < n; i++) z[i] = x[i]! + y[i]!;
}

export function mul(n: number, x: Storage, y: Storage, z: Storage): void {
  for (let i = 0; i < n; i++) z[i] = x[i]! * y[i]!;
}

export function addRowVector(m: number, n: number, x: Storage, v: Storage, y: Storage): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) y[i * n + j] = x[i * n + j]! + v[j]!;
  }
}

export function sumRows(m: number, n: number, x: Storage, beta: number, out: Storage): void {
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += x[i * n + j]!;
    out[j] = beta === 0 ? sum : beta * out[j]! + sum;
  }
}

export function sumSquares(n: number, x: Storage): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]! * x[i]!;
  return sum;
}

export function clipByValue(n: number, lo: number, hi: number, x: Storage): void {
  for (let i = 0; i < n; i++) x[i] = Math.min(hi, Math.max(lo, x[i]!));
}
