// Reference activations and their derivatives, in float64 maths (Math.*) whatever the storage. Contracts:
// src/backend/types.ts. Derivatives use the saved output y where it gives f′ directly (sigmoid, tanh, elu and selu for
// x ≤ 0); branches are on x, and at x = 0 the left derivative is taken (relu 0, leakyRelu α, elu α, selu λα), as
// PyTorch does.
import type { Activation } from '../types.js';
import type { Storage } from './backend.js';

/** SELU's constants (Klambauer et al. 2017). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;
/** gelu's tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;
/**
 * Beyond |x| = 1e4, σ(2u)(1 − σ(2u)) and σ(x)(1 − σ(x)) are 0 (in f32 and f64): clamping x there in the derivatives
 * of gelu and silu changes no finite result and keeps 0·∞ from making NaN at x = ±∞.
 */
const DERIVATIVE_CLAMP = 1e4;
const clampForDerivative = (x: number): number => Math.min(DERIVATIVE_CLAMP, Math.max(-DERIVATIVE_CLAMP, x));
/** x·σ(·) at x = −∞ is −∞·0: x is first raised to −FLT_MAX, so that gelu(−∞) = silu(−∞) = −0, their limit. */
const finiteBelow = (x: number): number => Math.max(x, -3.4028234663852886e38);

/** σ(x) = 1/(1 + e^(−x)), written so that e^(−x) never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** 2u for gelu, with ½(1 + tanh u) = σ(2u): the σ form does not cancel for negative x the way 1 + tanh u does. */
function geluTwoU(x: number): number {
  return 2 * GELU_C * (x + GELU_CUBIC * x * x * x);
}

type Forward = (x: number, alpha: number) => number;
type Derivative = (x: number, y: number, alpha: number) => number;

const FORWARD: Record<Activation, Forward> = {
  identity: (x) => x,
  relu: (x) => Math.max(x, 0), // NaN stays NaN, −0 becomes 0, as f32x4.max does
  leakyRelu: (x, a) => (x > 0 ? x : a * x),
  elu: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu: (x) => finiteBelow(x) * sigmoid(geluTwoU(x)),
  silu: (x) => finiteBelow(x) * sigmoid(x),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => Math.tanh(x),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
};

const DERIVATIVE: Record<Activation, Derivative> = {
  identity: () => 1,
  relu: (x) => (x > 0 ? 1 : 0),
  leakyRelu: (x, _y, a) => (x > 0 ? 1 : a),
  elu: (x, y, a) => (x > 0 ? 1 : y + a),
  selu: (x, y) => (x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
  gelu: (x) => {
    // d/dx x·σ(2u) = s + s(1 − s)·x·(2u)′, (2u)′ = 2√(2/π)(1 + 3·0.044715x²); x clamped (above), so 0·∞ cannot occur.
    const s = sigmoid(geluTwoU(x));
    const xc = clampForDerivative(x);
    return s + s * (1 - s) * xc * (2 * GELU_C * (1 + 3 * GELU_CUBIC * xc * xc));
  },
  silu: (x) => {
    const s = sigmoid(x);
    return s * (1 + clampForDerivative(x) * (1 - s));
  },
  sigmoid: (_x, y) => y * (1 - y),
  tanh: (_x, y) => 1 - y * y,
  softplus: (x) => sigmoid(x),
};

export function actForward(act: Activation, n: number, x: Storage, y: Storage, alpha: number): void {
  const f = FORWARD[act];
  for (let i = 0; i < n; i++) y[i] = f(x[i]!, alpha);
}

export function actBackward(
  act: Activation,
  n: number,
  x: Storage,
  y: Storage,
  dy: Storage,
  dx: Storage,
  alpha: number,
): void {
  const fPrime = DERIVATIVE[act];
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * fPrime(x[i]!, y[i]!, alpha);
}
