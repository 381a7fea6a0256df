// The f32x4 approximations of assembly/math.ts, measured on the compiled module against f64 Math.* over a dense sweep
// of inputs: each must stay within the maximum error assembly/math.ts documents (read by approx-bounds.ts).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelExports } from '../src/backend/wasm/exports.js';
import { hasRelaxedSimd } from '../src/backend/wasm/features.js';
import { type Approx, EPS32, MAX_REL, MIN_NORMAL32 } from './helpers/approx-bounds.js';
import { WASM_BUILD } from './helpers/backends.js';
import { largestErrors } from './helpers/close.js';

// The build under test (test/helpers/backends.ts; the relaxed child run of relaxed-build.test.ts sets it), and the
// relaxed build too whenever this runtime validates it.
const BUILDS = [...new Set(['simd', WASM_BUILD, ...(hasRelaxedSimd() ? ['relaxed'] : [])])];
const CODE: Record<Approx, number> = { exp: 0, expm1: 1, log: 2, log1p: 3, tanh: 4, sigmoid: 5 };
const MIN_SUBNORMAL32 = 2 ** -149;

interface Module {
  evaluate(fn: Approx, x: Float32Array): Float32Array;
}

async function load(build: string): Promise<Module> {
  const bytes = readFileSync(new URL(`../build/wasmgrad.${build}.wasm`, import.meta.url));
  const memory = new WebAssembly.Memory({ initial: 16 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory, abort: () => {} } });
  const k = instance.exports as Pick<KernelExports, 'heap_base' | 'f32_math_eval'>;
  const base = (Number(k.heap_base()) + 15) & ~15;
  return {
    evaluate(fn, x) {
      const bytesNeeded = base + x.length * 8;
      const missing = bytesNeeded - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / 65536));
      new Float32Array(memory.buffer, base, x.length).set(x);
      k.f32_math_eval(CODE[fn], x.length, base, base + x.length * 4);
      return new Float32Array(memory.buffer, base + x.length * 4, x.length).slice();
    },
  };
}

/** n evenly spaced f32 values in [lo, hi]. */
function linear(lo: number, hi: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/** Every `stride`-th f32 bit pattern from `lo` to `hi` (positive values): the same density in every binade. */
function bitStride(lo: number, hi: number, stride: number, sign = 1): Float32Array {
  const bits = new Uint32Array(new Float32Array([lo, hi]).buffer);
  const out = new Float32Array(Math.floor((bits[1]! - bits[0]!) / stride) + 1);
  const view = new Uint32Array(out.buffer);
  for (let i = 0; i < out.length; i++) view[i] = bits[0]! + i * stride;
  if (sign < 0) for (let i = 0; i < out.length; i++) out[i] = -out[i]!;
  return out;
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const sigmoid64 = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const TRUE: Record<Approx, (x: number) => number> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  sigmoid: sigmoid64,
};

// Every binade of both signs at a stride of 2^11 bit patterns (4096 values per binade), plus dense even grids.
const REALS = concat(
  bitStride(1e-30, 3.4e38, 2048),
  bitStride(1e-30, 3.4e38, 2048, -1),
  linear(-110, 95, 400_001),
  linear(-1, 1, 200_001),
  bitStride(88.6, 88.8, 1), // every float around e^x's overflow threshold ln(FLT_MAX) = 88.7228
  bitStride(87, 104, 16, -1), // and through its gradual underflow
  new Float32Array([0, -0, 1e4, -1e4, 100, -100, 3.4028234e38, -3.4028234e38, MIN_SUBNORMAL32, -MIN_SUBNORMAL32]),
);
const POSITIVE_NORMALS = concat(bitStride(MIN_NORMAL32, 3.4028234e38, 1024), linear(0.25, 4, 400_001));
const LOG1P_DOMAIN = concat(linear(-0.4999, 1, 400_001), bitStride(1e-38, 3.4e38, 2048));
const DOMAIN: Record<Approx, Float32Array> = {
  exp: REALS,
  expm1: REALS,
  log: POSITIVE_NORMALS,
  log1p: LOG1P_DOMAIN,
  tanh: REALS,
  sigmoid: REALS,
};
/** Below this true value the bound is absolute (the result is subnormal or underflows). */
const ABS_BELOW: Record<Approx, { under: number; abs: number }> = {
  exp: { under: MIN_NORMAL32, abs: MIN_SUBNORMAL32 },
  expm1: { under: 0, abs: 0 },
  log: { under: 0, abs: 0 },
  log1p: { under: 0, abs: 0 },
  tanh: { under: 0, abs: 0 },
  sigmoid: { under: MIN_NORMAL32, abs: MIN_NORMAL32 },
};

const measured = new Map<string, { rel: number; abs: number; at: number }>();

for (const build of BUILDS) {
  describe(`f32x4 approximations (${build} build)`, () => {
    let mod: Module;
    it('loads the module', async () => {
      mod = await load(build);
      expect(mod.evaluate('exp', new Float32Array([0]))[0]).toBe(1);
    });

    for (const fn of Object.keys(CODE) as Approx[]) {
      const documented = `${(MAX_REL[fn] / EPS32).toFixed(1)} ε`;
      it(`${fn} stays within its documented ${documented} over ${DOMAIN[fn].length} inputs`, () => {
        const x = DOMAIN[fn];
        const y = mod.evaluate(fn, x);
        const { under, abs: absBound } = ABS_BELOW[fn];
        let maxRel = 0;
        let maxAbs = 0;
        let at = NaN;
        const bad: string[] = [];
        for (let i = 0; i < x.length; i++) {
          const truth = TRUE[fn](x[i]!);
          const rounded = Math.fround(truth);
          const got = y[i]!;
          if (!Number.isFinite(rounded)) {
            // f32 overflows: the approximation must overflow the same way (or stay within a rounding of FLT_MAX).
            if (got !== rounded && Math.abs(got) < 3.4e38) bad.push(`${fn}(${x[i]}) = ${got}, expected ${rounded}`);
            continue;
          }
          if (!Number.isFinite(got)) {
            bad.push(`${fn}(${x[i]}) = ${got}, expected ${truth}`);
            continue;
          }
          const err = Math.abs(got - truth);
          if (Math.abs(truth) < under) {
            maxAbs = Math.max(maxAbs, err);
            if (err > absBound) bad.push(`${fn}(${x[i]}) = ${got}, expected ${truth}, abs error ${err} > ${absBound}`);
            continue;
          }
          const rel = truth === 0 ? err : err / Math.abs(truth);
          if (rel > maxRel) {
            maxRel = rel;
            at = x[i]!;
          }
          if (rel > MAX_REL[fn]) bad.push(`${fn}(${x[i]}) = ${got}, expected ${truth}, rel error ${rel}`);
        }
        const key = `math.${fn}`;
        const seen = measured.get(key);
        if (!seen || seen.rel < maxRel) measured.set(key, { rel: maxRel, abs: maxAbs, at });
        largestErrors.set(key, {
          abs: Math.max(largestErrors.get(key)?.abs ?? 0, maxAbs),
          rel: Math.max(largestErrors.get(key)?.rel ?? 0, maxRel),
        });
        expect(bad.slice(0, 5), `${bad.length} inputs out of bounds`).toEqual([]);
        expect(maxRel).toBeGreaterThan(0); // the sweep really measured something
      });
    }

    it('exp underflows to exactly 0 and overflows to +∞ where f32 does, with no NaN', () => {
      const y = mod.evaluate('exp', new Float32Array([-104, -1e4, -3.4e38, -Infinity, 88.73, 100, 1e4, Infinity]));
      expect(Array.from(y)).toEqual([0, 0, 0, 0, Infinity, Infinity, Infinity, Infinity]);
      expect(Number.isNaN(mod.evaluate('exp', new Float32Array([NaN]))[0])).toBe(true);
    });

    it('tanh and sigmoid saturate to exactly ±1 / 0 / 1 without NaN, expm1 to −1', () => {
      const big = new Float32Array([-1e4, -100, 100, 1e4, -Infinity, Infinity]);
      expect(Array.from(mod.evaluate('tanh', big))).toEqual([-1, -1, 1, 1, -1, 1]);
      // σ(−100) ≈ 3.7e-44 < 2^-126: 0 is within the documented absolute bound.
      expect(Array.from(mod.evaluate('sigmoid', big))).toEqual([0, 0, 1, 1, 0, 1]);
      expect(Array.from(mod.evaluate('expm1', new Float32Array([-100, -1e4, -Infinity])))).toEqual([-1, -1, -1]);
    });

    it('keep the sign of zero: expm1, tanh and log1p give ±0 for ±0; exp and σ give 1 and ½', () => {
      const show = (y: Float32Array) => Array.from(y, (v) => (Object.is(v, -0) ? '-0' : String(v)));
      const zeros = new Float32Array([0, -0]);
      for (const fn of ['expm1', 'tanh', 'log1p'] as const) {
        expect(show(mod.evaluate(fn, zeros)), fn).toEqual(['0', '-0']);
      }
      expect(show(mod.evaluate('exp', zeros))).toEqual(['1', '1']);
      expect(show(mod.evaluate('sigmoid', zeros))).toEqual(['0.5', '0.5']);
    });

    it('tiny arguments keep full relative precision (no cancellation)', () => {
      const tiny = new Float32Array([1e-5, -1e-5, 1e-12, -1e-30, 1e-38]);
      for (const fn of ['expm1', 'tanh', 'log1p'] as const) {
        const y = mod.evaluate(fn, fn === 'log1p' ? tiny.map(Math.abs) : tiny);
        y.forEach((v, i) => {
          const x = fn === 'log1p' ? Math.abs(tiny[i]!) : tiny[i]!;
          expect(Math.abs(v - TRUE[fn](x)) / Math.abs(TRUE[fn](x))).toBeLessThanOrEqual(MAX_REL[fn]);
        });
      }
    });
  });
}

afterAll(() => {
  const lines = [...measured].map(
    ([k, e]) => `${k.padEnd(14)} max rel ${(e.rel / EPS32).toFixed(2)} ε (${e.rel.toExponential(2)}) at x = ${e.at}`,
  );
  console.log(`f32x4 approximation errors measured:\n${lines.join('\n')}`);
});
