// Weight initializers. Every one draws from the model's one seeded generator (src/random.ts), in float64, so the same
// seed gives the same initial weights on every backend.
//
//   Glorot / Xavier (Glorot & Bengio 2010): variance 2 / (fanIn + fanOut)   — for tanh and sigmoid
//   He / Kaiming    (He et al. 2015):       variance 2 / fanIn              — for ReLU and its kin
//   LeCun           (LeCun et al. 1998):    variance 1 / fanIn              — for SELU
// The uniform variants draw from [−limit, limit) with limit = √(3·variance); the normal variants from N(0, variance)
// (untruncated, as PyTorch's xavier_normal_ and kaiming_normal_).
import type { Random } from '../random.js';
import { checkFinite, checkOneOf } from './validate.js';

/** Fills `out` with initial values for a parameter with the given fan-in and fan-out. */
export type Initializer = (out: Float64Array, fanIn: number, fanOut: number, rng: Random) => void;

const uniform =
  (variance: (fanIn: number, fanOut: number) => number): Initializer =>
  (out, fanIn, fanOut, rng) => {
    const limit = Math.sqrt(3 * variance(fanIn, fanOut));
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-limit, limit);
  };

const normal =
  (variance: (fanIn: number, fanOut: number) => number): Initializer =>
  (out, fanIn, fanOut, rng) => {
    const std = Math.sqrt(variance(fanIn, fanOut));
    for (let i = 0; i < out.length; i++) out[i] = rng.normal(0, std);
  };

const glorot = (fanIn: number, fanOut: number) => 2 / Math.max(1, fanIn + fanOut);
const he = (fanIn: number) => 2 / Math.max(1, fanIn);
const lecun = (fanIn: number) => 1 / Math.max(1, fanIn);

/** Every value equal to `value`. */
export function constant(value: number): Initializer {
  checkFinite('constant', 'value', value);
  return (out) => out.fill(value);
}

export const initializers = {
  glorotUniform: uniform(glorot),
  glorotNormal: normal(glorot),
  heUniform: uniform(he),
  heNormal: normal(he),
  lecunUniform: uniform(lecun),
  lecunNormal: normal(lecun),
  zeros: constant(0),
  ones: constant(1),
} satisfies Record<string, Initializer>;

export type InitializerName = keyof typeof initializers;
export const INITIALIZER_NAMES = Object.keys(initializers) as InitializerName[];

/** An initializer by name, or the function itself. */
export function resolveInitializer(where: string, name: string, spec: InitializerName | Initializer): Initializer {
  if (typeof spec === 'function') return spec;
  return initializers[checkOneOf(where, name, spec, INITIALIZER_NAMES)];
}
