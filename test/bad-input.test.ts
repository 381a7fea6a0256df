// Bad input to the kernel interface: every argument of every method, one at a time, is replaced by a bad value.
// Each call must throw a plain Error that names the method and the argument and says what was expected — never a WASM
// trap — and must leave the heap and the outputs as they were.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../src/backend/ref/backend.js';
import type { Backend, Buf } from '../src/backend/types.js';
import { BACKENDS, bufferOf, randomArray } from './helpers/backends.js';

type Arg =
  | { kind: 'size'; name: string; value: number }
  | { kind: 'finite'; name: string; value: number }
  | { kind: 'buf'; name: string; length: number; nullable?: boolean }
  | { kind: 'value'; value: unknown }
  | { kind: 'hp'; value: Record<string, number | boolean>; ranges: Record<string, number[]> };

const size = (name: string, value: number): Arg => ({ kind: 'size', name, value });
const finite = (name: string, value: number): Arg => ({ kind: 'finite', name, value });
const buf = (name: string, length: number, nullable = false): Arg => ({ kind: 'buf', name, length, nullable });
const value = (v: unknown): Arg => ({ kind: 'value', value: v });

const M = 3;
const N = 5;
const K = 4;
const sgd = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true };
const rms = { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0.5, centered: true, weightDecay: 0 };
const adam = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
  decoupledWeightDecay: true,
  amsgrad: true,
  biasCorrection1: 0.1,
  biasCorrection2: 0.001,
};
const adagrad = { lr: 0.01, eps: 1e-10, weightDecay: 0 };
// Values each hyper-parameter must reject.
const BAD_LR = [NaN, -1, Infinity];
const BAD_UNIT = [NaN, -0.1, 1];
const BAD_EPS = [NaN, 0, -1e-8];

const SPECS: Record<string, Arg[]> = {
  fill: [size('n', N), value(0), buf('x', N)],
  copy: [size('n', N), buf('x', N), buf('y', N)],
  gemm: [
    value(false), value(true), size('m', M), size('n', N), size('k', K), finite('alpha', 1),
    buf('a', M * K), size('lda', K), buf('b', N * K), size('ldb', K), finite('beta', 0), buf('c', M * N), size('ldc', N),
  ],
  axpy: [size('n', N), finite('alpha', 2), buf('x', N), buf('y', N)],
  scale: [size('n', N), finite('alpha', 2), buf('x', N), buf('y', N)],
  add: [size('n', N), buf('x', N), buf('y', N), buf('z', N)],
  mul: [size('n', N), buf('x', N), buf('y', N), buf('z', N)],
  addRowVector: [size('m', M), size('n', N), buf('x', M * N), buf('v', N), buf('y', M * N)],
  sumRows: [size('m', M), size('n', N), buf('x', M * N), finite('beta', 1), buf('out', N)],
  actForward: [value('tanh'), size('n', N), buf('x', N), buf('y', N)],
  actBackward: [value('sigmoid'), size('n', N), buf('x', N), buf('y', N), buf('dy', N), buf('dx', N)],
  softmax: [size('m', M), size('n', N), buf('x', M * N), buf('y', M * N)],
  logSoftmax: [size('m', M), size('n', N), buf('x', M * N), buf('y', M * N)],
  mse: [size('m', M), size('n', N), buf('pred', M * N), buf('target', M * N), buf('dPred', M * N, true)],
  mae: [size('m', M), size('n', N), buf('pred', M * N), buf('target', M * N), buf('dPred', M * N, true)],
  huber: [size('m', M), size('n', N), buf('pred', M * N), buf('target', M * N), value(1), buf('dPred', M * N, true)],
  bceWithLogits: [size('m', M), size('n', N), buf('logits', M * N), buf('target', M * N), buf('dLogits', M * N, true)],
  softmaxCrossEntropy: [size('m', M), size('n', N), buf('logits', M * N), buf('labels', M), buf('dLogits', M * N, true)],
  softmaxCrossEntropyDense: [
    size('m', M), size('n', N), buf('logits', M * N), buf('target', M * N), buf('dLogits', M * N, true),
  ],
  sgdStep: [
    size('n', N), buf('param', N), buf('grad', N), buf('velocity', N),
    { kind: 'hp', value: sgd, ranges: { lr: BAD_LR, momentum: BAD_UNIT, dampening: [NaN, -0.5, 1.5], weightDecay: BAD_LR } },
  ],
  rmspropStep: [
    size('n', N), buf('param', N), buf('grad', N), buf('squareAvg', N), buf('gradAvg', N), buf('momentumBuf', N),
    { kind: 'hp', value: rms, ranges: { lr: BAD_LR, alpha: BAD_UNIT, eps: BAD_EPS, momentum: BAD_UNIT, weightDecay: BAD_LR } },
  ],
  adamStep: [
    size('n', N), buf('param', N), buf('grad', N), buf('m', N), buf('v', N), buf('vMax', N),
    {
      kind: 'hp',
      value: adam,
      ranges: {
        lr: BAD_LR, beta1: BAD_UNIT, beta2: BAD_UNIT, eps: BAD_EPS, weightDecay: BAD_LR,
        biasCorrection1: [NaN, 0, 1.5], biasCorrection2: [NaN, -1, 2],
      },
    },
  ],
  adagradStep: [
    size('n', N), buf('param', N), buf('grad', N), buf('sum', N),
    { kind: 'hp', value: adagrad, ranges: { lr: BAD_LR, eps: BAD_EPS, weightDecay: BAD_LR } },
  ],
  sumSquares: [size('n', N), buf('x', N)],
  clipByValue: [size('n', N), value(-1), value(1), buf('x', N)],
};

interface Mutation {
  label: string;
  index: number;
  bad: (be: Backend, live: Buf[]) => unknown;
  message: RegExp;
}

function mutations(method: string, args: Arg[]): Mutation[] {
  const out: Mutation[] = [];
  args.forEach((arg, index) => {
    if (arg.kind === 'size') {
      for (const v of [-1, 2.5, NaN]) {
        out.push({ label: `${arg.name}=${v}`, index, bad: () => v, message: new RegExp(`${arg.name} must be`) });
      }
      out.push({ label: `${arg.name} too large`, index, bad: () => arg.value + 1000, message: /expected at least|must be/ });
    } else if (arg.kind === 'finite') {
      for (const v of [NaN, Infinity]) {
        out.push({ label: `${arg.name}=${v}`, index, bad: () => v, message: new RegExp(`${arg.name} must be a finite`) });
      }
    } else if (arg.kind === 'buf') {
      const named = (what: string) => new RegExp(`${arg.name} ${what}`);
      out.push({
        label: `${arg.name} freed`,
        index,
        bad: (be) => {
          const b = be.alloc(arg.length);
          be.free(b);
          return b;
        },
        message: named('has been freed'),
      });
      out.push({
        label: `${arg.name} too short`,
        index,
        bad: (be, live) => be.view(live[index] as Buf, 0, arg.length - 1),
        message: named(`has ${arg.length - 1} elements, expected at least ${arg.length}`),
      });
      out.push({
        label: `${arg.name} from another backend`,
        index,
        bad: () => new RefBackend().alloc(arg.length),
        message: named('is not a buffer of this'),
      });
      if (!arg.nullable) {
        out.push({ label: `${arg.name} null`, index, bad: () => null, message: named('is not a buffer|is required') });
      }
    } else if (arg.kind === 'hp') {
      for (const [field, values] of Object.entries(arg.ranges)) {
        for (const v of values) {
          out.push({
            label: `hp.${field}=${v}`,
            index,
            bad: () => ({ ...arg.value, [field]: v }),
            message: new RegExp(`${field} must be in .*got ${v}`),
          });
        }
      }
    }
  });
  return out;
}

for (const factory of BACKENDS) {
  describe(`bad input to every kernel: ${factory.name}`, () => {
    for (const [method, args] of Object.entries(SPECS)) {
      it(`${method}: each bad argument throws a clear Error and changes nothing`, async () => {
        const be = await factory.create();
        const live = args.map((arg, i) => (arg.kind === 'buf' ? bufferOf(be, randomArray(arg.length, i + 1, 0.1, 0.9)) : null));
        const before = be.memoryStats();
        const snapshot = live.map((b) => (b ? Array.from(be.read(b)) : null));
        const good = args.map((arg, i) => (arg.kind === 'buf' ? live[i] : 'value' in arg ? arg.value : undefined));
        const call = (list: unknown[]) => (be as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...list);
        const cases = mutations(method, args);
        expect(cases.length).toBeGreaterThan(0);
        for (const m of cases) {
          const list = [...good];
          list[m.index] = m.bad(be, live as Buf[]);
          let thrown: unknown = null;
          try {
            call(list);
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `${method} with ${m.label} did not throw`).toBeInstanceOf(Error);
          expect(thrown, `${method} with ${m.label} trapped`).not.toBeInstanceOf(WebAssembly.RuntimeError);
          const message = (thrown as Error).message;
          expect(message, `${method} with ${m.label}`).toMatch(new RegExp(`^${method}: `));
          expect(message, `${method} with ${m.label}`).toMatch(m.message);
          live.forEach((b, i) => {
            if (b) expect(Array.from(be.read(b)), `${method} with ${m.label} wrote ${args[i]!.kind}`).toEqual(snapshot[i]);
          });
        }
        const after = be.memoryStats();
        expect(after.liveBuffers).toBe(before.liveBuffers);
        expect(after.liveBytes).toBe(before.liveBytes);
      });
    }

    it('write rejects non-numbers in src, naming the element, before writing anything', async () => {
      const be = await factory.create();
      const b = bufferOf(be, [1, 2, 3, 4]);
      for (const [src, message] of [
        [[5, 'a'], /write: src\[1\] must be a number, got string a/],
        [[5, 6, undefined], /write: src\[2\] must be a number, got undefined/],
        [[null], /write: src\[0\] must be a number, got null/],
        [[5, 2n], /write: src\[1\] must be a number, got bigint 2/],
        [{ length: 2, 0: 1 }, /write: src\[1\] must be a number, got undefined/],
        [new BigInt64Array(2), /write: src must hold numbers, got a BigInt64Array/],
        ['12', /write: src must be an array or typed array, got string 12/],
      ] as const) {
        expect(() => be.write(b, src as unknown as ArrayLike<number>)).toThrow(message);
        expect(Array.from(be.read(b))).toEqual([1, 2, 3, 4]);
      }
      be.write(b, [NaN, -Infinity, -0, 7]); // numbers, whatever their value, are written
      expect(Array.from(be.read(b))).toEqual([NaN, -Infinity, -0, 7]);
      be.write(b, new Int16Array([9, -9]), 2);
      expect(Array.from(be.read(b))).toEqual([NaN, -Infinity, 9, -9]);
    });

    it('returns at once when a product of sizes is 0, however large the other size (no loop over rows)', async () => {
      const be = await factory.create();
      const x = bufferOf(be, [1, 2, 3, 4]);
      const before = Array.from(be.read(x));
      const huge = 2 ** 31 - 1; // a kernel looping over 2³¹ − 1 empty rows took 27 s (softmax) and 6.5 s (bias)
      const start = performance.now();
      be.softmax(huge, 0, x, x);
      be.logSoftmax(huge, 0, x, x);
      be.addRowVector(huge, 0, x, x, x);
      be.sumRows(huge, 0, x, 0.5, x);
      for (const loss of ['mse', 'mae', 'bceWithLogits', 'softmaxCrossEntropyDense'] as const) {
        expect(be[loss](huge, 0, x, be.view(x, 0, 0), x)).toBe(0);
        expect(be[loss](0, 2 ** 53, x, be.view(x, 0, 0), null)).toBe(0);
      }
      expect(be.huber(huge, 0, x, x, 1, x)).toBe(0);
      expect(be.softmaxCrossEntropy(0, huge, x, x, x)).toBe(0);
      be.gemm(false, false, huge, 0, 0, 1, x, 1, x, 1, 0, x, 1);
      expect(performance.now() - start).toBeLessThan(1000);
      expect(Array.from(be.read(x))).toEqual(before);
    });

    it('rejects bad scalar arguments: huber δ, activation α, clip bounds, fill value; nothing written', async () => {
      const be = await factory.create();
      const x = bufferOf(be, [0.5, -0.5, 2, -2]);
      const y = bufferOf(be, [9, 9, 9, 9]);
      const calls: [() => unknown, RegExp][] = [];
      for (const delta of [NaN, 0, -1, Infinity]) {
        const expected = new RegExp(`^huber: delta must be in \\(0, Infinity\\), got ${delta}`);
        calls.push([() => be.huber(2, 2, x, y, delta, y), expected]);
      }
      for (const act of ['leakyRelu', 'elu'] as const) {
        for (const alpha of [NaN, Infinity, -Infinity]) {
          const expected = new RegExp(`alpha must be a finite number, got ${alpha}`);
          calls.push([() => be.actForward(act, 4, x, y, alpha), new RegExp(`^actForward: ${expected.source}`)]);
          calls.push([() => be.actBackward(act, 4, x, x, x, y, alpha), new RegExp(`^actBackward: ${expected.source}`)]);
        }
      }
      calls.push([() => be.actForward('elu', 4, x, y, -0.5), /^actForward: alpha for elu must be ≥ 0, got -0.5/]);
      for (const [lo, hi] of [[1, -1], [NaN, 1], [-1, NaN]]) {
        calls.push([() => be.clipByValue(4, lo!, hi!, y), /^clipByValue: lo and hi must be numbers with lo ≤ hi/]);
      }
      calls.push([() => be.fill(4, '1' as unknown as number, y), /^fill: value must be a number, got string 1/]);
      for (const [call, message] of calls) {
        expect(call).toThrow(message);
        expect(Array.from(be.read(y))).toEqual([9, 9, 9, 9]);
      }
      be.actForward('leakyRelu', 4, x, y, -0.5); // a negative leakyRelu slope is allowed (PyTorch allows it too)
      expect(Array.from(be.read(y))).toEqual([0.5, 0.25, 2, 1]);
    });

    it('rejects an unknown activation with the valid names', async () => {
      const be = await factory.create();
      const x = be.alloc(4);
      expect(() => be.actForward('swish' as never, 4, x, x)).toThrow(
        /actForward: unknown activation "swish"; expected one of identity, relu, leakyRelu/,
      );
    });

    it('rejects gemm leading dimensions smaller than the row and C overlapping A', async () => {
      const be = await factory.create();
      const a = be.alloc(64);
      const c = be.alloc(64);
      expect(() => be.gemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 0, c, 2)).toThrow(/gemm: lda must be an integer ≥ 3/);
      expect(() => be.gemm(false, true, 2, 2, 3, 1, a, 3, a, 2, 0, c, 2)).toThrow(/gemm: ldb must be an integer ≥ 3/);
      expect(() => be.gemm(false, false, 2, 4, 3, 1, a, 3, a, 4, 0, c, 3)).toThrow(/gemm: ldc must be an integer ≥ 4/);
      expect(() => be.gemm(false, false, 2, 2, 2, 1, a, 2, c, 2, 0, be.view(a, 2, 8), 2)).toThrow(/gemm: c overlaps a/);
    });

    it('gemm: a huge leading dimension (beyond 32 bits) of a single-row or empty matrix changes nothing', async () => {
      // With one row, or no columns, the stride is never used, so the buffer-size check cannot bound it; the WASM ABI
      // passes it as i32 (2³² + 1 arrives as 1). The product must be the one with the tight leading dimension, and
      // nothing traps.
      const be = await factory.create();
      const a = bufferOf(be, randomArray(64, 1));
      const b = bufferOf(be, randomArray(64, 2));
      const c = be.alloc(64);
      const product = (call: (ld: number | null) => void, ld: number | null) => {
        be.fill(64, 0, c);
        call(ld);
        return Array.from(be.read(c));
      };
      const calls: [string, (ld: number | null) => void][] = [
        ['lda, m = 1', (ld) => be.gemm(false, false, 1, 5, 6, 1, a, ld ?? 6, b, 5, 0, c, 5)],
        ['lda, transA, k = 1', (ld) => be.gemm(true, false, 5, 4, 1, 1, a, ld ?? 5, b, 4, 0, c, 4)],
        ['ldb, transB, n = 1', (ld) => be.gemm(false, true, 5, 1, 6, 1, a, 6, b, ld ?? 6, 0, c, 1)],
        ['ldb, k = 1', (ld) => be.gemm(false, false, 5, 4, 1, 1, a, 1, b, ld ?? 4, 0, c, 4)],
        ['ldc, m = 1', (ld) => be.gemm(true, true, 1, 7, 3, 1, a, 1, b, 3, 0.5, c, ld ?? 7)],
        // k = 0: A and B have no columns (or rows), so no buffer bounds their leading dimensions either; C ← β·C.
        ['lda, k = 0', (ld) => be.gemm(false, false, 5, 4, 0, 1, a, ld ?? 1, b, 4, 0.5, c, 4)],
        ['ldb, transB, k = 0', (ld) => be.gemm(true, true, 5, 4, 0, 1, a, 5, b, ld ?? 1, 0.5, c, 4)],
      ];
      for (const [label, call] of calls) {
        const tight = product(call, null);
        for (const ld of [2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 53]) {
          expect(product(call, ld), `${label}, ld ${ld}`).toEqual(tight);
        }
      }
    });

    it('rejects out-of-range and fractional labels, naming the row, writing nothing', async () => {
      const be = await factory.create();
      const logits = bufferOf(be, randomArray(6, 3));
      const d = bufferOf(be, new Float32Array(6).fill(42));
      for (const [labels, row, shown] of [
        [[0, 2, 1], 1, '2'],
        [[0, 1, -1], 2, '-1'],
        [[0.5, 1, 1], 0, '0.5'],
        [[1, NaN, 0], 1, 'NaN'],
      ] as const) {
        const l = bufferOf(be, labels);
        expect(() => be.softmaxCrossEntropy(3, 2, logits, l, d)).toThrow(
          new RegExp(`softmaxCrossEntropy: labels\\[${row}\\] must be an integer class in 0..1, got ${shown}`),
        );
        expect(Array.from(be.read(d))).toEqual([42, 42, 42, 42, 42, 42]);
      }
    });
  });
}

for (const factory of BACKENDS) {
  describe(`aliasing rules: ${factory.name}`, () => {
    it('accepts the documented in-place calls and rejects partial overlaps and aliased optimizer state', async () => {
      const be = await factory.create();
      const arena = bufferOf(be, randomArray(64, 11, 0.1, 0.9));
      const at = (offset: number, length = 8) => be.view(arena, offset, length);
      be.scale(8, 2, at(0), at(0));
      be.actForward('tanh', 8, at(0), at(0));
      be.mse(2, 4, at(0), at(8), at(0));
      expect(() => be.scale(8, 2, at(0), at(4))).toThrow(/scale: x and y overlap; they may only be the same buffer/);
      expect(() => be.add(8, at(0), at(16), at(3))).toThrow(/add: x and z overlap/);
      expect(() => be.copy(8, at(0), at(7))).toThrow(/copy: x and y overlap/);
      expect(() => be.actBackward('tanh', 8, at(0), at(8), at(16), at(8))).toThrow(/actBackward: y and dx overlap/);
      expect(() => be.mse(2, 4, at(0), at(8), at(8))).toThrow(/mse: target and dPred overlap/);
      expect(() => be.sumRows(2, 4, at(0), 0, at(4, 4))).toThrow(/sumRows: x and out overlap/);
      const sgd = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true };
      expect(() => be.sgdStep(8, at(0), at(0), at(16), sgd)).toThrow(/sgdStep: param and grad overlap; they must be separate/);
      const adam = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false,
        amsgrad: false, biasCorrection1: 0.1, biasCorrection2: 0.001 };
      expect(() => be.adamStep(8, at(0), at(8), at(16), at(20), null, adam)).toThrow(/adamStep: m and v overlap/);
      const snapshot = Array.from(be.read(arena));
      expect(() => be.adagradStep(8, at(0), at(8), at(1), { lr: 0.1, eps: 1e-10, weightDecay: 0 })).toThrow(
        /adagradStep: param and sum overlap/,
      );
      expect(Array.from(be.read(arena))).toEqual(snapshot);
    });
  });
}
