// Gradient checking by central differences, for any scalar function of any set of buffers on a float64 backend
// (PyTorch's torch.autograd.gradcheck, with its defaults: eps 1e-6, atol 1e-5, rtol 1e-3).
import type { Backend, Buf } from '../../src/backend/types.js';

export interface GradcheckOptions {
  /** Perturbation (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, against the numerical gradient (default 1e-3). */
  rtol?: number;
}

export interface GradcheckResult {
  /** Largest |analytic − numerical| over every element checked. */
  maxAbs: number;
  /** Number of elements checked. */
  checked: number;
}

/**
 * Checks `analytic[b][k]` = ∂f/∂inputs[b][k] for every element of every input: the numerical derivative is
 * (f(x + eps·e_k) − f(x − eps·e_k)) / 2eps, and each element must satisfy
 * |analytic − numerical| ≤ atol + rtol·|numerical| (torch.allclose's rule). `f` reads the inputs' current contents
 * and returns a number; it may use any backend calls (workspaces included) but must not change the inputs. Every
 * input is restored exactly afterwards. Throws an Error listing the first mismatches (input, index, analytic,
 * numerical).
 */
export function gradcheck(
  be: Backend,
  f: () => number,
  inputs: Buf[],
  analytic: ArrayLike<number>[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (be.dtype !== 'f64') throw new Error(`gradcheck: needs a float64 backend, got ${be.name} with dtype ${be.dtype}`);
  if (analytic.length !== inputs.length) {
    throw new Error(`gradcheck: ${inputs.length} inputs but ${analytic.length} analytic gradients`);
  }
  const bad: string[] = [];
  let badCount = 0;
  let maxAbs = 0;
  let checked = 0;
  inputs.forEach((input, b) => {
    const grad = analytic[b]!;
    if (grad.length !== input.length) {
      throw new Error(`gradcheck: input ${b} has ${input.length} elements, its analytic gradient ${grad.length}`);
    }
    const values = be.read(input, new Float64Array(input.length));
    for (let k = 0; k < input.length; k++) {
      const x = values[k]!;
      be.write(input, [x + eps], k);
      const plus = f();
      be.write(input, [x - eps], k);
      const minus = f();
      be.write(input, [x], k);
      const numerical = (plus - minus) / (2 * eps);
      const a = grad[k]!;
      const abs = Math.abs(a - numerical);
      checked++;
      if (Number.isFinite(abs)) maxAbs = Math.max(maxAbs, abs);
      if (!(abs <= atol + rtol * Math.abs(numerical))) {
        badCount++;
        if (bad.length < 5) bad.push(`  input ${b} [${k}] at ${x}: analytic ${a}, numerical ${numerical}, abs ${abs}`);
      }
    }
  });
  if (badCount > 0) {
    throw new Error(
      `gradcheck: ${badCount} of ${checked} derivatives differ (eps ${eps}, atol ${atol}, rtol ${rtol}):\n` +
        bad.join('\n'),
    );
  }
  return { maxAbs, checked };
}
