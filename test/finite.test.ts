// firstNonFinite: conformance on every backend (hand-placed NaN and ±∞ at every position of small arrays, finite
// extremes that must pass), then WASM against the reference on seeded random arrays over the size sweep.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/types.js';
import { BACKENDS, bufferOf, randomArray, refFactory, SWEEP_SIZES, wasmFactory } from './helpers/backends.js';

const F32_MAX = 3.4028234663852886e38;
const NON_FINITE = [Number.NaN, Infinity, -Infinity];

for (const factory of BACKENDS) {
  describe(`firstNonFinite conformance: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
    });

    it('is −1 for n = 0 and for finite extremes: ±0, subnormals, ±FLT_MAX', () => {
      const x = bufferOf(be, [0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, F32_MAX, -F32_MAX, 1, -1]);
      expect(be.firstNonFinite(0, x)).toBe(-1);
      expect(be.firstNonFinite(9, x)).toBe(-1);
      be.free(x);
    });

    it('finds a NaN, +∞ or −∞ at every position of arrays up to 70 long (blocks of 32 and their tails)', () => {
      for (let n = 1; n <= 70; n++) {
        const values = randomArray(n, n, -F32_MAX, F32_MAX);
        const x = bufferOf(be, values);
        for (let at = 0; at < n; at++) {
          for (const bad of NON_FINITE) {
            be.write(x, [bad], at);
            expect(be.firstNonFinite(n, x), `n=${n}, ${bad} at ${at}`).toBe(at);
            // Only the first n count: with the bad value just past n, the array is finite.
            expect(be.firstNonFinite(at, x), `n=${at}, ${bad} at ${at}`).toBe(-1);
          }
          be.write(x, [values[at]!], at);
        }
        be.free(x);
      }
    });

    it('gives the first of several', () => {
      const values = new Float32Array(100).fill(1);
      for (const at of [77, 40, 99, 41]) values[at] = Number.NaN;
      values[45] = -Infinity;
      const x = bufferOf(be, values);
      expect(be.firstNonFinite(100, x)).toBe(40);
      expect(be.firstNonFinite(40, x)).toBe(-1);
      be.free(x);
    });

    it('refuses a size beyond the buffer and a negative size, by name', () => {
      const x = bufferOf(be, [1, 2, 3]);
      expect(() => be.firstNonFinite(4, x)).toThrow(/firstNonFinite: x has 3 elements, expected at least 4/);
      expect(() => be.firstNonFinite(-1, x)).toThrow(/firstNonFinite: n/);
      be.free(x);
    });
  });
}

describe('firstNonFinite: wasm against the reference', () => {
  let wasm: Backend;
  let ref: Backend;
  it('creates the backends', async () => {
    [wasm, ref] = await Promise.all([wasmFactory.create(), refFactory.create()]);
  });

  const SIZES = [...SWEEP_SIZES, 50_176, 100_003];
  it(`agrees over sizes ${SIZES.join(', ')}, all finite and with non-finite values sprinkled`, () => {
    for (const n of SIZES) {
      const values = randomArray(n, 500 + n, -1e30, 1e30);
      const cases: [string, Float32Array][] = [['finite', values]];
      if (n > 0) {
        // One bad value at a seeded position, then a second one before it.
        const one = values.slice();
        const at = Math.floor(randomArray(1, 900 + n, 0, 1)[0]! * n);
        one[at] = NON_FINITE[n % 3]!;
        cases.push([`one at ${at}`, one]);
        const two = one.slice();
        two[Math.floor(at / 2)] = NON_FINITE[(n + 1) % 3]!;
        cases.push([`two, first at ${Math.floor(at / 2)}`, two]);
      }
      for (const [label, data] of cases) {
        const [a, e] = [wasm, ref].map((be) => {
          const x = bufferOf(be, data);
          const r = be.firstNonFinite(n, x);
          be.free(x);
          return r;
        });
        expect(a, `n=${n}, ${label}`).toBe(e);
      }
    }
  });
});
