// Activations, forward and derivative: conformance on every backend against the maths written out here, gradient
// checks by central differences on the float64 reference, then WASM against the reference over the size sweep with
// per-element bounds derived from the approximation errors documented in assembly/math.ts, and extremes.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation, type Backend } from '../src/backend/types.js';
import { EPS32, expectWithin, MAX_REL, MIN_NORMAL32 } from './helpers/approx-bounds.js';
import {
  BACKENDS,
  bufferOf,
  guardedBufferOf,
  randomArray,
  ref64Factory,
  refFactory,
  SWEEP_SIZES,
  wasmFactory,
} from './helpers/backends.js';
import { gradcheck } from './helpers/gradcheck.js';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const GELU_C = Math.sqrt(2 / Math.PI);

const sigma = (x: number): number => 1 / (1 + Math.exp(-x));
const geluU = (x: number): number => GELU_C * (x + 0.044715 * x ** 3);

/** The textbook definitions, written independently of src/ (fine for the moderate inputs they are used on). */
const MATHS: Record<Activation, { f: (x: number, a: number) => number; df: (x: number, a: number) => number }> = {
  identity: { f: (x) => x, df: () => 1 },
  relu: { f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0) },
  leakyRelu: { f: (x, a) => (x > 0 ? x : a * x), df: (x, a) => (x > 0 ? 1 : a) },
  elu: { f: (x, a) => (x > 0 ? x : a * (Math.exp(x) - 1)), df: (x, a) => (x > 0 ? 1 : a * Math.exp(x)) },
  selu: {
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
    df: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  },
  gelu: {
    f: (x) => 0.5 * x * (1 + Math.tanh(geluU(x))),
    df: (x) => {
      const t = Math.tanh(geluU(x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
    },
  },
  silu: { f: (x) => x * sigma(x), df: (x) => sigma(x) + x * sigma(x) * (1 - sigma(x)) },
  sigmoid: { f: sigma, df: (x) => sigma(x) * (1 - sigma(x)) },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  softplus: { f: (x) => Math.log(1 + Math.exp(x)), df: sigma },
};

/** Each activation with its default alpha, and leakyRelu and elu with another one. */
const CASES: { act: Activation; alpha: number | undefined }[] = [
  ...ACTIVATIONS.map((act) => ({ act, alpha: undefined })),
  { act: 'leakyRelu', alpha: 0.2 },
  { act: 'elu', alpha: 0.7 },
];
const alphaOf = (act: Activation, alpha: number | undefined): number =>
  alpha ?? (act === 'leakyRelu' ? 0.01 : act === 'elu' ? 1 : 0);
const caseName = (act: Activation, alpha: number | undefined): string =>
  alpha === undefined ? act : `${act}(α=${alpha})`;

/** y = f(x) on fresh buffers; the output is followed by guard cells that must stay untouched. */
function forward(be: Backend, act: Activation, x: ArrayLike<number>, alpha?: number): Float32Array | Float64Array {
  const bx = bufferOf(be, x);
  const by = guardedBufferOf(be, new Float32Array(x.length));
  be.actForward(act, x.length, bx, by.buf, alpha);
  const y = be.read(by.buf);
  by.checkGuard(`actForward ${act} (n=${x.length})`);
  be.free(bx);
  by.free();
  return y;
}

/** dx = dy ⊙ f′(x) on fresh buffers; the output is followed by guard cells that must stay untouched. */
// prettier-ignore
function backward(be: Backend, act: Activation, x: ArrayLike<number>, y: ArrayLike<number>, dy: ArrayLike<number>,
  alpha?: number): Float32Array | Float64Array {
  const [bx, by, bdy] = [x, y, dy].map((v) => bufferOf(be, v));
  const bdx = guardedBufferOf(be, new Float32Array(x.length));
  be.actBackward(act, x.length, bx!, by!, bdy!, bdx.buf, alpha);
  const dx = be.read(bdx.buf);
  bdx.checkGuard(`actBackward ${act} (n=${x.length})`);
  for (const b of [bx!, by!, bdy!]) be.free(b);
  bdx.free();
  return dx;
}

// ---- error bounds --------------------------------------------------------------------------------------------

const E = EPS32;
const TINY = MIN_NORMAL32;
const K0 = 2 * GELU_C;
const K1 = 2 * GELU_C * 0.044715;

/**
 * Largest |WASM − reference| for y = f(x), where `y` is the reference value. The WASM kernel is f32 arithmetic plus
 * the approximations of assembly/math.ts (MAX_REL); the f32 reference rounds an f64 result once (½ε). Each line is
 * a first-order error count: approximation error + ½ε per f32 rounding + ½ε per f32-rounded constant, with an
 * argument error amplified by the function's condition number where the argument is itself computed (gelu's 2u).
 * TINY terms cover results that underflow (σ below 2^-126).
 */
function forwardBound(act: Activation, x: number, y: number, alpha: number): number {
  const ay = Math.abs(y);
  switch (act) {
    case 'identity':
    case 'relu':
      return 0;
    case 'leakyRelu':
      return x > 0 ? 0 : 1.5 * E * ay;
    case 'elu':
      return x > 0 ? 0 : (MAX_REL.expm1 + 2 * E) * ay;
    case 'selu':
      return x > 0 ? 1.5 * E * ay : (MAX_REL.expm1 + 3 * E) * ay;
    case 'gelu': {
      // 2u = x(K0 + K1x²) carries ≤ 3ε relative error; σ′(z)·z/σ(z) = (1 − σ)z turns it into (1 − s)|2u|·3ε.
      const twoU = x * (K0 + K1 * x * x);
      const s = sigma(twoU);
      return (MAX_REL.sigmoid + 2 * E + 3 * E * Math.abs(twoU) * (1 - s)) * ay + TINY * Math.abs(x);
    }
    case 'silu':
      return (MAX_REL.sigmoid + 1.5 * E) * ay + TINY * Math.abs(x);
    case 'sigmoid':
      return (MAX_REL.sigmoid + 0.5 * E) * ay + TINY;
    case 'tanh':
      return (MAX_REL.tanh + 0.5 * E) * ay;
    case 'softplus': {
      // max(x, 0) + t, t = ln(1 + e^(−|x|)) ≤ ln 2: e^(−|x|)'s error reaches t at most 1:1, plus log1p's own.
      const t = Math.log1p(Math.exp(-Math.abs(x)));
      return (MAX_REL.exp + MAX_REL.log1p) * t + 1.5 * E * ay + TINY;
    }
  }
}

/** Largest |WASM − reference| for dx = dy·f′(x, y), given the same x, y and dy to both; `dx` the reference value. */
function backwardBound(act: Activation, x: number, y: number, dy: number, dx: number, alpha: number): number {
  const adx = Math.abs(dx);
  const ady = Math.abs(dy);
  switch (act) {
    case 'identity':
    case 'relu':
      return 0;
    case 'leakyRelu':
      return x > 0 ? 0 : 1.5 * E * adx;
    case 'elu':
      // y + α: α rounded to f32 (½ε·α), one addition, one product; y + α cancels as y → −α, hence the α term.
      return x > 0 ? 0 : ady * E * (Math.abs(alpha) + 2 * Math.abs(y + alpha));
    case 'selu':
      if (x > 0) return 1.5 * E * adx;
      return ady * E * (2 * SELU_SCALE * SELU_ALPHA + 2 * Math.abs(y + SELU_SCALE * SELU_ALPHA));
    case 'gelu': {
      // f′ = s + s(1 − s)·x·(K0 + 3K1x²): s carries σ's error and 2u's (as in forwardBound); 1 − s carries s's
      // absolute error; both reach f′ scaled by at most s·(1 + T), T = |x|·(K0 + 3K1x²) (x clamped at 1e4 as in the
      // kernel, where s(1 − s) is 0 anyway).
      const xc = Math.min(1e4, Math.max(-1e4, x));
      const twoU = x * (K0 + K1 * x * x);
      const s = sigma(twoU);
      const T = Math.abs(xc) * (K0 + 3 * K1 * xc * xc);
      const fPrime = E * (MAX_REL.sigmoid / E + 4 + 3 * Math.abs(twoU) * (1 - s)) * s * (1 + T);
      return ady * (fPrime + TINY * (1 + T)) + E * adx;
    }
    case 'silu': {
      const s = sigma(x);
      return ady * (E * (MAX_REL.sigmoid / E + 3) * s * (1 + Math.abs(x)) + TINY * (1 + Math.abs(x))) + E * adx;
    }
    case 'sigmoid':
      return 2 * E * adx;
    case 'tanh':
      return ady * E * (y * y + 2 * Math.abs(1 - y * y));
    case 'softplus':
      return (MAX_REL.sigmoid + 1.5 * E) * adx + TINY * ady;
  }
}

for (const factory of BACKENDS) {
  describe(`activations conformance: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
    });

    // Moderate inputs, away from the kinks at 0 except 0 itself (whose derivative is the left one, see types.ts).
    const xs = [-4, -2.5, -1, -0.5, -1e-3, 0, 1e-3, 0.3, 1, 2, 3.5];
    const dys = [0.5, -2, 1, 3, -0.25, 1.5, 2, -1, 0.75, -3, 1.25];
    for (const { act, alpha } of CASES) {
      it(`${caseName(act, alpha)}: forward and derivative on a hand-checked case`, () => {
        const a = alphaOf(act, alpha);
        const y = forward(be, act, xs, alpha);
        const dx = backward(be, act, xs, y, dys, alpha);
        xs.forEach((x, i) => {
          // The bounds of the WASM cross-check (below) plus ε·|value| for the f32 reference's own rounding; for the
          // derivative also the forward error reaching f′ through the saved y (|∂f′/∂y| ≤ 2 for sigmoid, tanh, elu).
          const want = MATHS[act].f(x, a);
          const tolY = forwardBound(act, x, want, a) + E * Math.abs(want);
          expect(Math.abs(y[i]! - want), `f(${x}) = ${y[i]}, expected ${want}`).toBeLessThanOrEqual(tolY);
          const leftAt0: Record<string, number> = { elu: a, selu: SELU_SCALE * SELU_ALPHA, leakyRelu: a, relu: 0 };
          const at0 = x === 0 ? leftAt0[act] : undefined;
          const wantD = dys[i]! * (at0 ?? MATHS[act].df(x, a));
          const tolD =
            backwardBound(act, x, want, dys[i]!, wantD, a) + E * Math.abs(wantD) + 2 * Math.abs(dys[i]!) * tolY;
          const message = `f′(${x})·${dys[i]} = ${dx[i]}, expected ${wantD}`;
          expect(Math.abs(dx[i]! - wantD), message).toBeLessThanOrEqual(tolD);
        });
      });
    }

    it('runs in place: y may be x, dx may be dy', () => {
      for (const { act, alpha } of CASES) {
        const x = randomArray(13, 5, -4, 4);
        const dy = randomArray(13, 6);
        const y = forward(be, act, x, alpha);
        const dx = backward(be, act, x, y, dy, alpha);
        const bx = bufferOf(be, x);
        be.actForward(act, 13, bx, bx, alpha);
        expect(Array.from(be.read(bx)), `${act} forward in place`).toEqual(Array.from(y));
        const [by, bdy, bx2] = [y, dy, x].map((v) => bufferOf(be, v));
        be.actBackward(act, 13, bx2!, by!, bdy!, bdy!, alpha);
        expect(Array.from(be.read(bdy!)), `${act} backward in place`).toEqual(Array.from(dx));
        for (const b of [bx, by!, bdy!, bx2!]) be.free(b);
      }
    });

    it('leaves elements past n untouched', () => {
      const n = 7;
      const guard = -12345;
      for (const { act, alpha } of CASES) {
        const x = bufferOf(be, randomArray(n + 5, 9, -3, 3));
        const y = bufferOf(be, new Array(n + 5).fill(guard));
        const dx = bufferOf(be, new Array(n + 5).fill(guard));
        be.actForward(act, n, x, y, alpha);
        be.actBackward(act, n, x, y, x, dx, alpha);
        expect(Array.from(be.read(y).subarray(n)), act).toEqual(new Array(5).fill(guard));
        expect(Array.from(be.read(dx).subarray(n)), act).toEqual(new Array(5).fill(guard));
        for (const b of [x, y, dx]) be.free(b);
      }
    });

    it('keeps the sign of zero: f(±0) and f′(±0) as the definitions give them', () => {
      const show = (v: number) => (Object.is(v, -0) ? '-0' : String(Math.fround(v)));
      // f(+0), f(−0): odd functions through the origin keep the sign; relu, σ and softplus do not (max(±0, 0) = +0).
      const want: Record<Activation, [number, number]> = {
        identity: [0, -0], relu: [0, 0], leakyRelu: [0, -0], elu: [0, -0], selu: [0, -0], gelu: [0, -0], silu: [0, -0],
        sigmoid: [0.5, 0.5], tanh: [0, -0], softplus: [Math.LN2, Math.LN2],
      };
      for (const { act, alpha } of CASES) {
        const y = forward(be, act, [0, -0], alpha);
        expect([show(y[0]!), show(y[1]!)], `${act}(±0)`).toEqual(want[act].map(show));
      }
    });

    it('gives the limit at ±∞, and the derivative\'s limit there', () => {
      const show = (v: number) => (Object.is(v, -0) ? '-0' : String(Math.fround(v)));
      const l = SELU_SCALE * SELU_ALPHA;
      // f(+∞), f(−∞) with the default α (leakyRelu 0.01, elu 1); then the derivative with dy = 1 at +∞, −∞ (silu′ is
      // −0 there: σ = 0 times 1 + x(1 − σ) < 0).
      const want: Record<Activation, [number, number, number, number]> = {
        identity: [Infinity, -Infinity, 1, 1], relu: [Infinity, 0, 1, 0], leakyRelu: [Infinity, -Infinity, 1, 0.01],
        elu: [Infinity, -1, 1, 0], selu: [Infinity, -l, SELU_SCALE, 0], gelu: [Infinity, -0, 1, 0],
        silu: [Infinity, -0, 1, -0], sigmoid: [1, 0, 0, 0], tanh: [1, -1, 0, 0], softplus: [Infinity, 0, 1, 0],
      };
      for (const act of ACTIVATIONS) {
        const y = forward(be, act, [Infinity, -Infinity]);
        const dx = backward(be, act, [Infinity, -Infinity], y, [1, 1]);
        if (act === 'selu') {
          // selu′ = y + λα from the saved y = −λα rounded to f32: 0 up to that rounding.
          expect(Math.abs(dx[1]!), 'selu′(−∞)').toBeLessThanOrEqual(E * l);
          dx[1] = 0;
        }
        expect([...y, ...dx].map(show), act).toEqual(want[act].map(show));
      }
    });

    it('derivatives at NaN: NaN, except relu and leakyRelu, which take their x ≤ 0 branch, and identity', () => {
      for (const { act, alpha } of CASES) {
        const dx = backward(be, act, [NaN, NaN], [NaN, NaN], [2, -3], alpha);
        const a = alphaOf(act, alpha);
        const want =
          act === 'relu' ? [0, -0] : act === 'leakyRelu' ? [2 * a, -3 * a] : act === 'identity' ? [2, -3] : [NaN, NaN];
        expect(Array.from(dx), act).toEqual(want.map(Math.fround));
      }
    });

    it('propagates NaN: NaN in gives NaN out for every activation', () => {
      for (const { act, alpha } of CASES) {
        const y = forward(be, act, [NaN, 1, NaN, -1, NaN], alpha);
        expect([y[0], y[2], y[4]].every(Number.isNaN), act).toBe(true);
      }
    });

    it('stays finite and saturates correctly at extreme inputs (±100, ±1e4, ±FLT_MAX)', () => {
      const big = [100, -100, 1e4, -1e4, 3.4028234e38, -3.4028234e38, 88.8, -88.8, 20, -20, 0, -0];
      for (const { act, alpha } of CASES) {
        const a = alphaOf(act, alpha);
        const y = forward(be, act, big, alpha);
        const dx = backward(be, act, big, y, big.map(() => 1), alpha);
        for (let i = 0; i < big.length; i++) {
          // selu(FLT_MAX) = 1.05·FLT_MAX is beyond f32: +∞ is the correctly rounded value.
          if (act === 'selu' && big[i] === 3.4028234e38) expect(y[i]).toBe(Infinity);
          else expect(Number.isFinite(y[i]), `${act}(${big[i]}) = ${y[i]}`).toBe(true);
          expect(Number.isFinite(dx[i]), `${act}′(${big[i]}) = ${dx[i]}`).toBe(true);
        }
        const at = (v: number): number => y[big.indexOf(v)]!;
        const dAt = (v: number): number => dx[big.indexOf(v)]!;
        switch (act) {
          case 'sigmoid':
            expect([at(1e4), at(-1e4), dAt(1e4), dAt(-1e4)]).toEqual([1, 0, 0, 0]);
            break;
          case 'tanh':
            expect([at(1e4), at(-1e4), dAt(1e4), dAt(-1e4)]).toEqual([1, -1, 0, 0]);
            break;
          case 'softplus':
            expect([at(1e4), at(-1e4), dAt(1e4), dAt(-1e4)]).toEqual([1e4, 0, 1, 0]);
            expect(at(3.4028234e38)).toBe(Math.fround(3.4028234e38));
            break;
          case 'gelu':
          case 'silu':
            expect([at(1e4), Math.abs(at(-1e4)), dAt(1e4), Math.abs(dAt(-1e4))]).toEqual([1e4, 0, 1, 0]);
            break;
          case 'elu':
          case 'selu': {
            const neg = act === 'elu' ? -a : -SELU_SCALE * SELU_ALPHA;
            expect(at(-1e4)).toBeCloseTo(neg, 6);
            expect(Math.abs(dAt(-1e4))).toBeLessThan(1e-6);
            break;
          }
          default:
            break;
        }
      }
    });
  });
}

describe('activation derivatives: central differences on the float64 reference', () => {
  let be: Backend;
  it('creates the float64 reference backend', async () => {
    be = await ref64Factory.create();
    expect(be.dtype).toBe('f64');
  });

  for (const { act, alpha } of CASES) {
    it(`${caseName(act, alpha)}: dx = dy ⊙ f′(x) matches ∂(Σ dy·f(x))/∂x`, () => {
      // Inputs over [−6, 6] kept 1e-3 away from the kink at 0 (relu, leakyRelu, elu and selu are not differentiable
      // there, and eps = 1e-6 must not straddle it).
      const n = 37;
      const x = Array.from(randomArray(n, 40, -6, 6), (v) => (Math.abs(v) < 1e-3 ? v + Math.sign(v || 1) * 2e-3 : v));
      const w = Array.from(randomArray(n, 41, -1, 1));
      const bx = bufferOf(be, x);
      const by = be.alloc(n);
      const bw = bufferOf(be, w);
      const bdx = be.alloc(n);
      be.actForward(act, n, bx, by, alpha);
      be.actBackward(act, n, bx, by, bw, bdx, alpha);
      const analytic = be.read(bdx);
      const f = (): number => {
        be.actForward(act, n, bx, by, alpha);
        const y = be.read(by, new Float64Array(n));
        return y.reduce((s, v, i) => s + v * w[i]!, 0);
      };
      const result = gradcheck(be, f, [bx], [analytic]);
      expect(result.checked).toBe(n);
      for (const b of [bx, by, bw, bdx]) be.free(b);
    });
  }
});

describe('activations: WASM against the reference on seeded inputs', () => {
  let ref: Backend;
  let wasm: Backend;
  it('creates both backends', async () => {
    ref = await refFactory.create();
    wasm = await wasmFactory.create();
    expect(wasm.name).toBe('wasm');
  });

  for (const { act, alpha } of CASES) {
    it(`${caseName(act, alpha)} forward and backward over sizes ${SWEEP_SIZES.join(', ')}`, () => {
      const a = alphaOf(act, alpha);
      for (const n of SWEEP_SIZES) {
        // Half the sizes over [−10, 10] (σ, tanh and e^x saturate), the other half over [−2, 2].
        const scale = n % 2 === 0 ? 10 : 2;
        const x = randomArray(n, 1000 + n, -scale, scale);
        const dy = randomArray(n, 2000 + n);
        const yRef = forward(ref, act, x, alpha);
        const yWasm = forward(wasm, act, x, alpha);
        const fb = Float64Array.from(x, (v, i) => forwardBound(act, v, yRef[i]!, a));
        expectWithin(yWasm, yRef, fb, `actForward: ${caseName(act, alpha)} (n=${n})`);
        // The same saved output for both, so that only the derivative kernels are compared.
        const dxRef = backward(ref, act, x, yRef, dy, alpha);
        const dxWasm = backward(wasm, act, x, yRef, dy, alpha);
        const bb = Float64Array.from(x, (v, i) => backwardBound(act, v, yRef[i]!, dy[i]!, dxRef[i]!, a));
        expectWithin(dxWasm, dxRef, bb, `actBackward: ${caseName(act, alpha)} (n=${n})`);
      }
    });
  }

  it('agrees at the extremes too', () => {
    const x = new Float32Array([
      100, -100, 1e4, -1e4, 3.4028234e38, -3.4028234e38, 88.5, -88.5, 87, -87, 30, -30, 17, -17, 9, -9, 1e-30, -1e-30,
      1e-6, -1e-6, 0, -0,
    ]);
    const dy = x.map((_, i) => (i % 3) - 1.25);
    for (const { act, alpha } of CASES) {
      const a = alphaOf(act, alpha);
      const yRef = forward(ref, act, x, alpha);
      const fb = Float64Array.from(x, (v, i) => forwardBound(act, v, yRef[i]!, a));
      expectWithin(forward(wasm, act, x, alpha), yRef, fb, `extremes.actForward: ${caseName(act, alpha)}`);
      const dxRef = backward(ref, act, x, yRef, dy, alpha);
      const bb = Float64Array.from(x, (v, i) => backwardBound(act, v, yRef[i]!, dy[i]!, dxRef[i]!, a));
      expectWithin(backward(wasm, act, x, yRef, dy, alpha), dxRef, bb, `extremes.actBackward: ${caseName(act, alpha)}`);
    }
  });
});
