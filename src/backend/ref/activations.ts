// STUB: replaced by the activation work.
import type { Activation } from '../types.js';
import type { Storage } from './backend.js';
// prettier-ignore
export function actForward(act: Activation, n: number, x: Storage, y: Storage, alpha: number): void { throw new Error('not implemented'); }
// prettier-ignore
export function actBackward(act: Activation, n: number, x: Storage, y: Storage, dy: Storage, dx: Storage, alpha: number): void { throw new Error('not implemented'); }
