// Comparing arrays of floats: reports the first mismatches with index, expected, actual, abs and rel error.

export interface Tolerance {
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Relative tolerance (default 0). */
  rtol?: number;
}

export interface Comparison {
  ok: boolean;
  /** Largest |actual − expected| seen. */
  maxAbs: number;
  /** Largest |actual − expected| / max(|expected|, tiny) seen. */
  maxRel: number;
  report: string;
}

/** Element i passes when |a − e| ≤ atol + rtol·|e| (NaN only matches NaN; infinities must be equal). */
export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}): Comparison {
  const atol = tol.atol ?? 0;
  const rtol = tol.rtol ?? 0;
  const bad: string[] = [];
  let badCount = 0;
  let maxAbs = 0;
  let maxRel = 0;
  if (actual.length !== expected.length) {
    return { ok: false, maxAbs: NaN, maxRel: NaN, report: `length ${actual.length}, expected ${expected.length}` };
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let pass: boolean;
    let abs = 0;
    if (Number.isNaN(e) || Number.isNaN(a)) pass = Number.isNaN(e) && Number.isNaN(a);
    else if (!Number.isFinite(e) || !Number.isFinite(a)) pass = a === e;
    else {
      abs = Math.abs(a - e);
      pass = abs <= atol + rtol * Math.abs(e);
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, abs / Math.max(Math.abs(e), 1e-30));
    }
    if (!pass) {
      badCount++;
      if (bad.length < 5) {
        const rel = abs / Math.max(Math.abs(e), 1e-30);
        bad.push(`  [${i}] expected ${e}, actual ${a}, abs ${abs.toExponential(3)}, rel ${rel.toExponential(3)}`);
      }
    }
  }
  const report =
    badCount === 0
      ? `all ${expected.length} within atol ${atol}, rtol ${rtol}`
      : `${badCount} of ${expected.length} elements differ (atol ${atol}, rtol ${rtol}):\n${bad.join('\n')}`;
  return { ok: badCount === 0, maxAbs, maxRel, report };
}

/** Throws with the first mismatches unless every element is close. Returns the comparison for error tracking. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  label = 'values',
): Comparison {
  const result = compare(actual, expected, tol);
  if (!result.ok) throw new Error(`${label}: ${result.report}`);
  recordError(label, result.maxAbs, result.maxRel);
  return result;
}

/** Largest errors seen per family (the first word of the label); test/helpers/global-setup.ts prints them after the run. */
export const largestErrors = new Map<string, { abs: number; rel: number }>();

function recordError(label: string, abs: number, rel: number): void {
  const family = label.split(/[\s:(]/)[0]!;
  const seen = largestErrors.get(family) ?? { abs: 0, rel: 0 };
  largestErrors.set(family, { abs: Math.max(seen.abs, abs), rel: Math.max(seen.rel, rel) });
}
