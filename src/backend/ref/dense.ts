// The reference twin of assembly/dense.ts: a dense layer's bias and activation, and their backward pass, written as
// the compositions of reference kernels they are specified to equal.
import type { Activation } from '../types.js';
import { actBackward, actForward } from './activations.js';
import type { Storage } from './backend.js';
import { addRowVector, sumRows } from './elementwise.js';

/** z ← z + b (rows; none when bias is null), y ← f(z). */
// prettier-ignore
export function biasActForward(act: Activation, m: number, n: number, z: Storage, bias: Storage | null, y: Storage,
  alpha: number): void {
  if (bias !== null) addRowVector(m, n, z, bias, z);
  actForward(act, m * n, z, y, alpha);
}

/** dz ← dy ⊙ f′(z) with the saved y; db ← β·db + Σ_rows dz unless db is null. */
// prettier-ignore
export function biasActBackward(act: Activation, m: number, n: number, z: Storage, y: Storage, dy: Storage,
  dz: Storage, beta: number, db: Storage | null, alpha: number): void {
  actBackward(act, m * n, z, y, dy, dz, alpha);
  if (db !== null) sumRows(m, n, dz, beta, db);
}
