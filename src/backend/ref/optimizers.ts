// Reference optimizer updates: the specification of assembly/optimizers.ts. The rules are PyTorch's, stated in
// src/backend/types.ts (SgdHyper, RmspropHyper, AdamHyper, AdagradHyper). Each element is updated on its own: read
// the old values, compute in float64, store the new ones (rounded to the storage type by the typed array).
// Two deliberate choices, shared with the WASM kernels:
// - Every state value stored (velocity, m, v, v̂, square and gradient averages, momentum buffer, Adagrad sum) whose
//   magnitude is below the smallest normal f32, 2⁻¹²⁶, is stored as +0 (see flushState). Parameters never are.
// - Centered RMSprop takes √max(s − ḡ², 0): s ≥ ḡ² holds in exact arithmetic, so the clamp only removes rounding
//   (and flushing) artefacts that would otherwise give √(negative) = NaN.
import type { AdagradHyper, AdamHyper, RmspropHyper, SgdHyper } from '../types.js';
import type { Storage } from './backend.js';

/** The smallest normal f32, 2⁻¹²⁶. */
export const F32_MIN_NORMAL = 2 ** -126;

/**
 * A state value as stored: +0 when |x| < 2⁻¹²⁶, else x (NaN stays NaN). Subnormal optimizer state (Adam's moments of
 * a parameter whose gradient stays 0 decay into that range) costs a microcode assist per operation on x86; the update
 * a flushed value would have made is at most (η/c₁)·2⁻¹²⁶/ε (Adam's m), far under the resolution of the parameters.
 */
export function flushState(x: number): number {
  return Math.abs(x) < F32_MIN_NORMAL ? 0 : x;
}

export function sgdStep(n: number, p: Storage, g: Storage, velocity: Storage | null, hp: SgdHyper): void {
  const { lr, momentum, dampening, nesterov, weightDecay, firstStep } = hp;
  for (let i = 0; i < n; i++) {
    let d = g[i]!;
    if (weightDecay !== 0) d += weightDecay * p[i]!;
    if (momentum !== 0) {
      const v = flushState(firstStep ? d : momentum * velocity![i]! + (1 - dampening) * d);
      velocity![i] = v;
      d = nesterov ? d + momentum * v : v;
    }
    p[i] = p[i]! - lr * d;
  }
}

export function rmspropStep(
  n: number,
  p: Storage,
  g: Storage,
  squareAvg: Storage,
  gradAvg: Storage | null,
  momentumBuf: Storage | null,
  hp: RmspropHyper,
): void {
  const { lr, alpha, eps, momentum, centered, weightDecay } = hp;
  for (let i = 0; i < n; i++) {
    let gi = g[i]!;
    if (weightDecay !== 0) gi += weightDecay * p[i]!;
    const s = flushState(alpha * squareAvg[i]! + (1 - alpha) * gi * gi);
    squareAvg[i] = s;
    let variance = s;
    if (centered) {
      const mean = flushState(alpha * gradAvg![i]! + (1 - alpha) * gi);
      gradAvg![i] = mean;
      variance = Math.max(s - mean * mean, 0);
    }
    const denom = Math.sqrt(variance) + eps;
    if (momentum !== 0) {
      const b = flushState(momentum * momentumBuf![i]! + gi / denom);
      momentumBuf![i] = b;
      p[i] = p[i]! - lr * b;
    } else {
      p[i] = p[i]! - lr * (gi / denom);
    }
  }
}

export function adamStep(
  n: number,
  p: Storage,
  g: Storage,
  m: Storage,
  v: Storage,
  vMax: Storage | null,
  hp: AdamHyper,
): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, amsgrad, biasCorrection1, biasCorrection2 } = hp;
  const stepSize = lr / biasCorrection1;
  const sqrtC2 = Math.sqrt(biasCorrection2);
  for (let i = 0; i < n; i++) {
    let pi = p[i]!;
    let gi = g[i]!;
    if (weightDecay !== 0) {
      if (decoupledWeightDecay) pi *= 1 - lr * weightDecay;
      else gi += weightDecay * pi;
    }
    const mi = flushState(beta1 * m[i]! + (1 - beta1) * gi);
    const vi = flushState(beta2 * v[i]! + (1 - beta2) * gi * gi);
    m[i] = mi;
    v[i] = vi;
    let vHat = vi;
    if (amsgrad) {
      vHat = flushState(Math.max(vMax![i]!, vi));
      vMax![i] = vHat;
    }
    p[i] = pi - stepSize * (mi / (Math.sqrt(vHat) / sqrtC2 + eps));
  }
}

export function adagradStep(n: number, p: Storage, g: Storage, sum: Storage, hp: AdagradHyper): void {
  const { lr, eps, weightDecay } = hp;
  for (let i = 0; i < n; i++) {
    let gi = g[i]!;
    if (weightDecay !== 0) gi += weightDecay * p[i]!;
    const s = flushState(sum[i]! + gi * gi);
    sum[i] = s;
    p[i] = p[i]! - lr * (gi / (Math.sqrt(s) + eps));
  }
}
