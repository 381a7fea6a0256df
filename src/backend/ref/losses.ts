// Reference softmax and losses, in float64 maths whatever the storage. Contracts: src/backend/types.ts.
// Every loss returns the mean of its terms and, when a gradient buffer is given, writes the gradient of that mean.
// Gradients may alias pred/logits: each element (or, for the softmax losses, each row's max and sum) is read before
// anything of it is written.
import { sigmoid } from './activations.js';
import type { Storage } from './backend.js';

/** Largest element of row r of an m×n matrix. */
function rowMax(n: number, x: Storage, r: number): number {
  let top = -Infinity;
  for (let j = 0; j < n; j++) top = Math.max(top, x[r * n + j]!);
  return top;
}

/** Σⱼ e^(x[r,j] − shift). */
function rowExpSum(n: number, x: Storage, r: number, shift: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(x[r * n + j]! - shift);
  return sum;
}

/** Row-wise softmax (or log-softmax) of an m×n matrix, max-subtracted. y may be x. */
export function softmaxRows(m: number, n: number, x: Storage, y: Storage, log: boolean): void {
  for (let r = 0; r < m; r++) {
    const top = rowMax(n, x, r);
    const sum = rowExpSum(n, x, r, top);
    const lse = Math.log(sum);
    for (let j = 0; j < n; j++) {
      const shifted = x[r * n + j]! - top;
      y[r * n + j] = log ? shifted - lse : Math.exp(shifted) / sum;
    }
  }
}

export function mse(n: number, p: Storage, t: Storage, d: Storage | null): number {
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = p[i]! - t[i]!;
    sum += r * r;
    if (d) d[i] = (2 * r) / n;
  }
  return sum / n;
}

export function mae(n: number, p: Storage, t: Storage, d: Storage | null): number {
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = p[i]! - t[i]!;
    sum += Math.abs(r);
    if (d) d[i] = (r > 0 ? 1 : r < 0 ? -1 : 0) / n;
  }
  return sum / n;
}

export function huber(n: number, p: Storage, t: Storage, delta: number, d: Storage | null): number {
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = p[i]! - t[i]!;
    const a = Math.abs(r);
    sum += a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
    if (d) d[i] = Math.min(delta, Math.max(-delta, r)) / n;
  }
  return sum / n;
}

/** max(z, 0) − z·t + ln(1 + e^(−|z|)): the stable form, finite for any finite z and t in [0, 1]. */
export function bceWithLogits(n: number, z: Storage, t: Storage, d: Storage | null): number {
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    const ti = t[i]!;
    sum += Math.max(zi, 0) - zi * ti + Math.log1p(Math.exp(-Math.abs(zi)));
    if (d) d[i] = (sigmoid(zi) - ti) / n;
  }
  return sum / n;
}

/** Index of the first row whose label is not an integer in 0..n−1, or −1. */
function firstBadLabel(m: number, n: number, labels: Storage): number {
  for (let i = 0; i < m; i++) {
    const label = labels[i]!;
    if (!(Number.isInteger(label) && label >= 0 && label < n)) return i;
  }
  return -1;
}

/** Returns the mean loss, or −(i + 1) when row i's label is invalid (checked for every row before any write). */
export function softmaxCrossEntropy(m: number, n: number, z: Storage, labels: Storage, d: Storage | null): number {
  const bad = firstBadLabel(m, n, labels);
  if (bad >= 0) return -(bad + 1);
  if (m === 0) return 0;
  let loss = 0;
  for (let r = 0; r < m; r++) {
    const label = labels[r]!;
    const top = rowMax(n, z, r);
    const sum = rowExpSum(n, z, r, top);
    loss += Math.log(sum) - (z[r * n + label]! - top);
    if (d) {
      for (let j = 0; j < n; j++) {
        const p = Math.exp(z[r * n + j]! - top) / sum;
        d[r * n + j] = (p - (j === label ? 1 : 0)) / m;
      }
    }
  }
  return loss / m;
}

/** −Σⱼ tⱼ·log softmax(z)ⱼ = Σⱼ tⱼ·(lse − (zⱼ − max)) per row; a target of 0 contributes nothing. */
export function softmaxCrossEntropyDense(m: number, n: number, z: Storage, t: Storage, d: Storage | null): number {
  if (m === 0) return 0;
  let loss = 0;
  for (let r = 0; r < m; r++) {
    const top = rowMax(n, z, r);
    const sum = rowExpSum(n, z, r, top);
    const lse = Math.log(sum);
    let targetSum = 0;
    for (let j = 0; j < n; j++) {
      const tj = t[r * n + j]!;
      targetSum += tj;
      if (tj !== 0) loss += tj * (lse - (z[r * n + j]! - top));
    }
    if (d) {
      for (let j = 0; j < n; j++) {
        const p = Math.exp(z[r * n + j]! - top) / sum;
        d[r * n + j] = (p * targetSum - t[r * n + j]!) / m;
      }
    }
  }
  return loss / m;
}
