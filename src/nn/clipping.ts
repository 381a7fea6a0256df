// Gradient clipping over a whole gradient arena, one kernel call each way.
//
//   by global norm (Pascanu et al. 2013):  ‖g‖ = √Σg²;  if ‖g‖ > c then g ← g·c/‖g‖
//   by value:                              g ← clamp(g, −c, c)
import type { Backend, Buf } from '../backend/types.js';
import { checkPositive } from './validate.js';

/** Scales the n gradients in `grads` so that their global L2 norm is at most `maxNorm`; returns the norm before. */
export function clipByGlobalNorm(be: Backend, n: number, grads: Buf, maxNorm: number): number {
  checkPositive('clipByGlobalNorm', 'maxNorm', maxNorm);
  const norm = Math.sqrt(be.sumSquares(n, grads));
  if (norm > maxNorm) be.scale(n, maxNorm / norm, grads, grads);
  return norm;
}

/** Clamps each of the n gradients in `grads` to [−clipValue, clipValue]. */
export function clipByValue(be: Backend, n: number, grads: Buf, clipValue: number): void {
  checkPositive('clipByValue', 'clipValue', clipValue);
  be.clipByValue(n, -clipValue, clipValue, grads);
}
