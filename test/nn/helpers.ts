// Small helpers for the network tests: random datasets, and the analytic gradients of a model for a linear functional
// J = Σ c ⊙ output (+ the model's loss when compiled), read back in float64.
import type { Backend, Buf } from '../../src/backend/types.js';
import { Random } from '../../src/random.js';
import type { Sequential } from '../../src/nn/sequential.js';

/** rows×width values uniform in [lo, hi), from a seed, as float64 (exact on every backend after rounding). */
export function randomRows(rows: number, width: number, seed: number, lo = -1, hi = 1): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(rows * width);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** A buffer of `be` holding `values`. */
export function bufferOf(be: Backend, values: ArrayLike<number>): Buf {
  const buf = be.alloc(values.length);
  be.write(buf, values);
  return buf;
}

/** Every parameter's gradient, read in float64 (the arena's lazy zeros applied). */
export function readGrads(model: Sequential): Float64Array[] {
  const be = model.backend;
  void model.params.grads;
  return model.params.params.map((p) => be.read(p.grad, new Float64Array(p.size)));
}

/** Σ c ⊙ y over the first n values of y. */
export function dot(be: Backend, y: Buf, c: ArrayLike<number>): number {
  const values = be.read(y, new Float64Array(y.length));
  let sum = 0;
  for (let i = 0; i < c.length; i++) sum += c[i]! * values[i]!;
  return sum;
}

/** The two-spiral set (Lang & Witbrock 1988): `perClass` points per arm, labels 0 and 1, with seeded noise. */
export function twoSpirals(perClass: number, seed: number, noise = 0): { x: Float32Array; y: Float32Array } {
  const rng = new Random(seed);
  const x = new Float32Array(perClass * 2 * 2);
  const y = new Float32Array(perClass * 2);
  for (let i = 0; i < perClass; i++) {
    const t = (i / perClass) * 3 * Math.PI + 0.5;
    const r = t / (3 * Math.PI);
    for (let arm = 0; arm < 2; arm++) {
      const k = i * 2 + arm;
      const sign = arm === 0 ? 1 : -1;
      x[2 * k] = sign * r * Math.cos(t) + noise * rng.normal();
      x[2 * k + 1] = sign * r * Math.sin(t) + noise * rng.normal();
      y[k] = arm;
    }
  }
  return { x, y };
}
