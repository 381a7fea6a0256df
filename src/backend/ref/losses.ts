// STUB: replaced by the loss work.
import type { Storage } from './backend.js';
const todo = (): never => { throw new Error('not implemented'); };
export function softmaxRows(m: number, n: number, x: Storage, y: Storage, log: boolean): void { todo(); }
export function mse(n: number, p: Storage, t: Storage, d: Storage | null): number { return todo(); }
export function mae(n: number, p: Storage, t: Storage, d: Storage | null): number { return todo(); }
export function huber(n: number, p: Storage, t: Storage, delta: number, d: Storage | null): number { return todo(); }
export function bceWithLogits(n: number, z: Storage, t: Storage, d: Storage | null): number { return todo(); }
export function softmaxCrossEntropy(m: number, n: number, z: Storage, labels: Storage, d: Storage | null): number { return todo(); }
export function softmaxCrossEntropyDense(m: number, n: number, z: Storage, t: Storage, d: Storage | null): number { return todo(); }
