// The documented maximum errors of the f32x4 approximations, read from assembly/math.ts itself (its `MAX_ERROR name
// K ε` lines), so that the kernel tolerances and the document cannot drift apart.
import { readFileSync } from 'node:fs';
import { largestErrors } from './close.js';

/** Machine epsilon of f32, 2^-23. */
export const EPS32 = 2 ** -23;
/** Smallest normal f32. */
export const MIN_NORMAL32 = 2 ** -126;

export type Approx = 'exp' | 'expm1' | 'log' | 'log1p' | 'tanh' | 'sigmoid';

function readBounds(): Record<Approx, number> {
  const source = readFileSync(new URL('../../assembly/math.ts', import.meta.url), 'utf8');
  const bounds: Partial<Record<Approx, number>> = {};
  for (const match of source.matchAll(/MAX_ERROR (\w+)\s+([\d.]+) ε/g)) {
    bounds[match[1] as Approx] = Number(match[2]) * EPS32;
  }
  for (const name of ['exp', 'expm1', 'log', 'log1p', 'tanh', 'sigmoid'] as const) {
    if (!(bounds[name]! > 0)) throw new Error(`assembly/math.ts documents no MAX_ERROR for ${name}`);
  }
  return bounds as Record<Approx, number>;
}

/** Documented maximum relative error of each approximation (where its result is a normal float). */
export const MAX_REL: Readonly<Record<Approx, number>> = readBounds();

/**
 * Like expectClose, with a bound per element (from an error analysis that depends on the input): element i passes
 * when |actual − expected| ≤ bound[i]; NaN and infinities must match exactly. Throws with the first mismatches, and
 * records the largest abs/rel error under the label's first word (the family table printed after the run).
 */
export function expectWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  bound: ArrayLike<number>,
  label: string,
): { maxAbs: number; maxRel: number } {
  if (actual.length !== expected.length || bound.length !== expected.length) {
    throw new Error(`${label}: lengths ${actual.length}, ${expected.length}, bound ${bound.length}`);
  }
  const bad: string[] = [];
  let badCount = 0;
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let pass: boolean;
    let abs = 0;
    if (!Number.isFinite(a) || !Number.isFinite(e)) pass = Object.is(a, e); // NaN or ±∞ must match exactly
    else {
      abs = Math.abs(a - e);
      pass = abs <= bound[i]!;
      maxAbs = Math.max(maxAbs, abs);
      if (Math.abs(e) >= MIN_NORMAL32) maxRel = Math.max(maxRel, abs / Math.abs(e)); // not for underflowed values
    }
    if (!pass && badCount++ < 5) {
      const limit = Number(bound[i]).toExponential(3);
      bad.push(`  [${i}] expected ${e}, actual ${a}, abs ${abs.toExponential(3)}, bound ${limit}`);
    }
  }
  if (badCount > 0) {
    throw new Error(`${label}: ${badCount} of ${expected.length} elements out of bounds:\n${bad.join('\n')}`);
  }
  const family = label.split(/[\s:(]/)[0]!;
  const seen = largestErrors.get(family) ?? { abs: 0, rel: 0 };
  largestErrors.set(family, { abs: Math.max(seen.abs, maxAbs), rel: Math.max(seen.rel, maxRel) });
  return { maxAbs, maxRel };
}
