// biasActForward and biasActBackward (a dense layer's bias and activation, fused): on every backend, a hand-checked
// case, then bit-for-bit equality with the kernels they are specified to equal (addRowVector then actForward;
// actBackward then sumRows) for every activation over a sweep of shapes, in place and not, guard cells untouched;
// then WASM against the reference on seeded random inputs; then bad input.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation, type Backend } from '../src/backend/types.js';
import { EPS32, expectWithin } from './helpers/approx-bounds.js';
import { BACKENDS, bufferOf, guardedBufferOf, randomArray, refFactory, wasmFactory } from './helpers/backends.js';

const ROWS = [0, 1, 2, 3, 5, 64];
// Around the SIMD width (4) and the column blocks of the WASM sums (32), and a layer width (128).
const COLS = [0, 1, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 64, 65, 128, 130];

interface Case {
  act: Activation;
  m: number;
  n: number;
  bias: boolean;
  beta: number;
  inPlace: boolean;
}

function* cases(acts: readonly Activation[]): Generator<Case> {
  let k = 0;
  for (const act of acts) {
    for (const m of ROWS) {
      for (const n of COLS) {
        // Each shape once with and once without bias; β and aliasing cycle through their values, so that each meets
        // each setting of the other two.
        for (const bias of [true, false]) {
          k++;
          yield { act, m, n, bias, beta: [0, 0.5, 1][k % 3]!, inPlace: Math.floor(k / 2) % 2 === 0 };
        }
      }
    }
  }
}

/** Inputs of a case: z (pre-bias), b, dy, and db's old value (NaN under β = 0: it must not be read). */
function inputs(c: Case, seed: number) {
  const { m, n } = c;
  return {
    z: randomArray(m * n, seed, -3, 3),
    b: randomArray(n, seed + 1),
    dy: randomArray(m * n, seed + 2),
    db: c.beta === 0 ? new Float32Array(n).fill(Number.NaN) : randomArray(n, seed + 3),
  };
}

/** Runs the fused pair, or the composition it must equal, on `be`; returns z, y, dz and db. */
function run(be: Backend, c: Case, seed: number, fused: boolean) {
  const { act, m, n, beta } = c;
  const data = inputs(c, seed);
  const mn = m * n;
  const z = guardedBufferOf(be, data.z);
  // In place: y is z (the forward pass overwrites its input) and dz is dy.
  const y = c.inPlace ? z : guardedBufferOf(be, new Float32Array(mn));
  const b = c.bias ? bufferOf(be, data.b) : null;
  const dy = guardedBufferOf(be, data.dy);
  const dz = c.inPlace ? dy : guardedBufferOf(be, new Float32Array(mn));
  const db = c.bias ? guardedBufferOf(be, data.db) : null;
  if (fused) {
    be.biasActForward(act, m, n, z.buf, b, y.buf);
    be.biasActBackward(act, m, n, z.buf, y.buf, dy.buf, dz.buf, beta, db?.buf ?? null);
  } else {
    if (b !== null) be.addRowVector(m, n, z.buf, b, z.buf);
    be.actForward(act, mn, z.buf, y.buf);
    be.actBackward(act, mn, z.buf, y.buf, dy.buf, dz.buf);
    if (db !== null) be.sumRows(m, n, dz.buf, beta, db.buf);
  }
  const label = `${act} ${m}×${n} bias=${c.bias} β=${beta} inPlace=${c.inPlace}`;
  for (const g of [z, y, dy, dz, db]) g?.checkGuard(label);
  const out = { z: be.read(z.buf), y: be.read(y.buf), dz: be.read(dz.buf), db: db === null ? null : be.read(db.buf) };
  for (const g of new Set([z, y, dy, dz, db])) g?.free();
  if (b !== null) be.free(b);
  return { label, ...out };
}

for (const factory of BACKENDS) {
  describe(`biasActForward and biasActBackward: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
    });

    it('a hand-checked relu layer of 2×3: bias, activation, its derivative and the bias gradient', () => {
      const z = bufferOf(be, [1, -2, 0.5, -1, 3, 0]);
      const b = bufferOf(be, [0.5, 1, -0.5]);
      const y = be.alloc(6);
      be.biasActForward('relu', 2, 3, z, b, y);
      expect(Array.from(be.read(z))).toEqual([1.5, -1, 0, -0.5, 4, -0.5]);
      expect(Array.from(be.read(y))).toEqual([1.5, 0, 0, 0, 4, 0]);
      const dy = bufferOf(be, [1, 2, 3, 4, 5, 6]);
      const dz = be.alloc(6);
      const db = bufferOf(be, [10, 20, 30]);
      be.biasActBackward('relu', 2, 3, z, y, dy, dz, 0.5, db);
      // relu′ is 1 where z > 0 only (z = 0 takes the left derivative, 0).
      expect(Array.from(be.read(dz))).toEqual([1, 0, 0, 0, 5, 0]);
      expect(Array.from(be.read(db))).toEqual([1 + 0 + 5, 0 + 5 + 10, 0 + 0 + 15]);
      be.fill(3, Number.NaN, db);
      be.biasActBackward('relu', 0, 3, z, y, dy, dz, 0, db); // no rows, β = 0: db ← 0 without reading the NaN
      expect(Array.from(be.read(db))).toEqual([0, 0, 0]);
      for (const buf of [z, b, y, dy, dz, db]) be.free(buf);
    });

    it('equals addRowVector + actForward and actBackward + sumRows bit for bit: every activation, shapes, β, aliasing', () => {
      let seed = 1;
      for (const c of cases(ACTIVATIONS)) {
        seed += 4;
        const fused = run(be, c, seed, true);
        const plain = run(be, c, seed, false);
        for (const key of ['z', 'y', 'dz', 'db'] as const) {
          expect(fused[key] && Array.from(fused[key]!), `${key}: ${fused.label}`).toEqual(plain[key] && Array.from(plain[key]!));
        }
      }
    });

    it('refuses bad arguments by name', () => {
      const buf = be.alloc(16);
      const at = (offset: number, length = 6) => be.view(buf, offset, length);
      expect(() => be.biasActForward('relu', 2, 3, at(0, 5), null, at(8))).toThrow(/biasActForward: z has 5 elements, expected at least 6 \(2×3\)/);
      expect(() => be.biasActForward('relu', 2, 3, at(0), at(4, 3), at(8))).toThrow(/biasActForward: bias and z overlap/);
      expect(() => be.biasActForward('nope' as Activation, 2, 3, at(0), null, at(8))).toThrow(/biasActForward: unknown activation "nope"/);
      expect(() => be.biasActBackward('relu', 2, 3, at(0), at(0), at(8), at(8), Number.NaN, null)).toThrow(/biasActBackward: beta/);
      expect(() => be.biasActBackward('relu', 2, 3, at(0), at(0), at(4), at(4), 0, null)).toThrow(/biasActBackward: z and dz overlap/);
      expect(() => be.biasActBackward('relu', 2, 3, at(0), at(0), at(6), at(6), 0, at(10, 3))).toThrow(/biasActBackward: db and dy overlap/);
      expect(() => be.biasActBackward('relu', 2, 3, at(0), at(0), at(6), at(6), 0, at(12, 2))).toThrow(/biasActBackward: db has 2 elements, expected at least 3/);
      be.free(buf);
    });
  });
}

describe('biasActForward and biasActBackward: wasm against the reference', () => {
  let wasm: Backend;
  let ref: Backend;
  it('creates the backends', async () => {
    [wasm, ref] = await Promise.all([wasmFactory.create(), refFactory.create()]);
  });

  // The activations computed exactly on both (no constant rounded differently, no approximation of exp or tanh): z, y
  // and dz must agree exactly (f32 + f32 is exact in f64, so both round the same sum); db within the bound of sumRows.
  // The others are covered by the bit-for-bit equality above and the activation tests (test/activations.test.ts).
  it('agree on identity and relu layers over the shape sweep', () => {
    let seed = 1000;
    for (const c of cases(['identity', 'relu'])) {
      seed += 4;
      const [w, r] = [run(wasm, c, seed, true), run(ref, c, seed, true)];
      for (const key of ['z', 'y', 'dz'] as const) expect(Array.from(w[key]), `${key}: ${w.label}`).toEqual(Array.from(r[key]));
      const db = r.db;
      if (db === null) continue;
      // WASM sums the m terms and then β·db in f32 (recursive summation: γₘ·Σ|terms|, plus the rounding of β·db); the
      // reference sums in f64 and rounds once (u·|result|).
      const u = EPS32 / 2;
      const gamma = (c.m * u) / (1 - c.m * u);
      const old = inputs(c, seed).db;
      const bound = Array.from({ length: c.n }, (_, j) => {
        const tail = c.beta === 0 ? 0 : Math.abs(c.beta * old[j]!);
        let abs = tail;
        for (let i = 0; i < c.m; i++) abs += Math.abs(r.dz[i * c.n + j]!);
        return gamma * abs + u * tail + u * Math.abs(db[j]!);
      });
      expectWithin(w.db!, db, bound, `db: ${w.label}`);
    }
  });
});
