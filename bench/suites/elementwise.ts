// Elementwise, activation and softmax kernels in elements per second, on arrays of 2¹⁷ floats (512 KiB each, so the
// two to four arrays of a call stay in a 2 MiB L2) or 2¹⁶ with --quick. Outputs go to separate buffers, so every
// call sees the same inputs.
import { ACTIVATIONS, type Activation, type Backend, type Buf } from 'wasmgrad';
import type { BenchCase, Prepared, Suite } from '../core/types.js';
import { freeAll, randomBuffer } from '../core/fill.js';

/** Columns of the matrices in the row-wise cases (a 128-unit layer; 10 classes for softmax). */
const COLS = 128;
const CLASSES = 10;
const QUICK_ACTIVATIONS: readonly Activation[] = ['relu', 'sigmoid', 'tanh', 'gelu'];

type Kernel = (be: Backend, n: number) => Prepared;

function unary(call: (be: Backend, n: number, x: Buf, y: Buf) => void): Kernel {
  return (be, n) => {
    const x = randomBuffer(be, n, 1);
    const y = randomBuffer(be, n, 2);
    return { run: () => call(be, n, x, y), dispose: () => freeAll(be, [x, y]) };
  };
}

function binary(call: (be: Backend, n: number, x: Buf, y: Buf, z: Buf) => void): Kernel {
  return (be, n) => {
    const x = randomBuffer(be, n, 1);
    const y = randomBuffer(be, n, 2);
    const z = be.alloc(n);
    return { run: () => call(be, n, x, y, z), dispose: () => freeAll(be, [x, y, z]) };
  };
}

const ELEMENTWISE: Record<string, Kernel> = {
  axpy: unary((be, n, x, y) => be.axpy(n, 0.5, x, y)),
  scale: unary((be, n, x, y) => be.scale(n, 0.5, x, y)),
  add: binary((be, n, x, y, z) => be.add(n, x, y, z)),
  mul: binary((be, n, x, y, z) => be.mul(n, x, y, z)),
  sumSquares: unary((be, n, x) => void be.sumSquares(n, x)),
  clipByValue: unary((be, n, _x, y) => be.clipByValue(n, -2, 2, y)),
  [`addRowVector (×${COLS})`]: (be, n) => {
    const x = randomBuffer(be, n, 1);
    const v = randomBuffer(be, COLS, 2);
    const y = be.alloc(n);
    return { run: () => be.addRowVector(n / COLS, COLS, x, v, y), dispose: () => freeAll(be, [x, v, y]) };
  },
  [`sumRows (×${COLS})`]: (be, n) => {
    const x = randomBuffer(be, n, 1);
    const out = be.alloc(COLS);
    return { run: () => be.sumRows(n / COLS, COLS, x, 0, out), dispose: () => freeAll(be, [x, out]) };
  },
};

function activationKernels(quick: boolean): Record<string, Kernel> {
  const kernels: Record<string, Kernel> = {};
  for (const act of ACTIVATIONS.filter((a) => !quick || QUICK_ACTIVATIONS.includes(a))) {
    kernels[`${act} forward`] = unary((be, n, x, y) => be.actForward(act, n, x, y));
    kernels[`${act} backward`] = (be, n) => {
      const x = randomBuffer(be, n, 1, -4, 4);
      const y = be.alloc(n);
      be.actForward(act, n, x, y);
      const dy = randomBuffer(be, n, 3);
      const dx = be.alloc(n);
      return { run: () => be.actBackward(act, n, x, y, dy, dx), dispose: () => freeAll(be, [x, y, dy, dx]) };
    };
  }
  kernels[`softmax (rows of ${CLASSES})`] = (be, n) => {
    const rows = Math.floor(n / CLASSES);
    const x = randomBuffer(be, rows * CLASSES, 1, -4, 4);
    const y = be.alloc(rows * CLASSES);
    return { run: () => be.softmax(rows, CLASSES, x, y), dispose: () => freeAll(be, [x, y]) };
  };
  kernels[`logSoftmax (rows of ${CLASSES})`] = (be, n) => {
    const rows = Math.floor(n / CLASSES);
    const x = randomBuffer(be, rows * CLASSES, 1, -4, 4);
    const y = be.alloc(rows * CLASSES);
    return { run: () => be.logSoftmax(rows, CLASSES, x, y), dispose: () => freeAll(be, [x, y]) };
  };
  return kernels;
}

function suiteOf(name: string, title: string, kernels: (quick: boolean) => Record<string, Kernel>): Suite {
  return {
    name,
    title,
    unit: 'Melem/s',
    unitScale: 1e6,
    cases({ quick }) {
      const n = quick ? 1 << 16 : 1 << 17;
      return Object.entries(kernels(quick)).map(
        ([caseName, kernel]): BenchCase => ({
          name: caseName,
          // Row-wise cases work on whole rows: count the elements they touch.
          work: /^(log)?[sS]oftmax/.test(caseName) ? Math.floor(n / CLASSES) * CLASSES : n,
          prepare: (be) => kernel(be, n),
        }),
      );
    },
  };
}

export const elementwiseSuite = suiteOf('elementwise', 'Elementwise kernels', () => ELEMENTWISE);
export const activationSuite = suiteOf(
  'activations',
  'Activations (forward, derivative) and softmax',
  activationKernels,
);
