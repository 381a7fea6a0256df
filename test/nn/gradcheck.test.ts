// Gradient checks through whole small models by central differences, on the reference backend in float64 (PyTorch's
// gradcheck defaults: eps 1e-6, atol 1e-5, rtol 1e-3): every activation (as a layer and inside Dense), Dense with and
// without bias, the L2 penalty, a three-layer stack, and every loss.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../../src/backend/ref/backend.js';
import { ACTIVATIONS, type Activation } from '../../src/backend/types.js';
import { ActivationLayer } from '../../src/nn/layers/activation.js';
import { Dense, type DenseOptions } from '../../src/nn/layers/dense.js';
import type { Layer } from '../../src/nn/layers/layer.js';
import type { LossSpec } from '../../src/nn/losses.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { Sequential } from '../../src/nn/sequential.js';
import { refFactory, wasmFactory } from '../helpers/backends.js';
import { expectClose } from '../helpers/close.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { bufferOf, dot, randomRows, readGrads } from './helpers.js';

const be = new RefBackend({ dtype: 'f64' });
const ROWS = 5;

/**
 * Checks ∂J/∂θ for every parameter and ∂J/∂x for J = Σ c ⊙ model(x) with a random c, so that backprop is checked
 * without any loss kernel in the way.
 */
function checkLinearFunctional(layers: Layer[], inputSize: number, seed: number): number {
  const model = new Sequential(layers, { backend: be, seed, inputSize });
  const x = bufferOf(be, randomRows(ROWS, inputSize, seed + 1));
  const c = randomRows(ROWS, model.outputSize, seed + 2);
  const dOut = bufferOf(be, c);
  model.zeroGrad();
  model.forward(x, { rows: ROWS });
  const dx = model.backward(dOut, { inputGradient: true })!;
  const analytic = [...readGrads(model), be.read(dx, new Float64Array(ROWS * inputSize))];
  const inputs = [...model.params.params.map((p) => p.value), x];
  const f = () => dot(be, model.forward(x, { rows: ROWS }), c) + penalty(model);
  const result = gradcheck(be, f, inputs, analytic);
  model.dispose();
  be.free(x);
  be.free(dOut);
  return result.checked;
}

function penalty(model: Sequential): number {
  return model.layers.reduce((sum, layer) => sum + (layer instanceof Dense ? layer.penalty() : 0), 0);
}

describe('gradient checks through whole models (ref backend, float64)', () => {
  for (const act of ACTIVATIONS) {
    it(`activation layer ${act}`, () => {
      const n = checkLinearFunctional([new Dense(3, 4), new ActivationLayer(act), new Dense(4, 2)], 3, 11);
      expect(n).toBe(3 * 4 + 4 + 4 * 2 + 2 + ROWS * 3);
    });
    it(`Dense with activation ${act}`, () => {
      const n = checkLinearFunctional([new Dense(3, 4, { activation: act as Activation }), new Dense(4, 2)], 3, 12);
      expect(n).toBeGreaterThan(0);
    });
  }

  it('leakyRelu and elu with a non-default alpha', () => {
    for (const act of ['leakyRelu', 'elu'] as const) {
      expect(checkLinearFunctional([new Dense(3, 4, { activation: act, alpha: 0.3 }), new Dense(4, 2)], 3, 13)).toBeGreaterThan(0);
    }
  });

  it('Dense without bias', () => {
    const n = checkLinearFunctional([new Dense(4, 3, { useBias: false, activation: 'tanh' }), new Dense(3, 2, { useBias: false })], 4, 14);
    expect(n).toBe(4 * 3 + 3 * 2 + ROWS * 4);
  });

  it('Dense with an L2 penalty', () => {
    const options: DenseOptions = { l2: 0.3, activation: 'sigmoid' };
    const n = checkLinearFunctional([new Dense(4, 3, options), new Dense(3, 2, { l2: 0.05 })], 4, 15);
    expect(n).toBeGreaterThan(0);
  });

  it('a three-layer stack', () => {
    const layers = [
      new Dense(6, 5, { activation: 'gelu' }),
      new Dense(5, 4, { activation: 'softplus' }),
      new Dense(4, 3),
    ];
    expect(checkLinearFunctional(layers, 6, 16)).toBe(6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3 + ROWS * 6);
  });

  it('gradients accumulate across two backward passes until zeroGrad', () => {
    const model = new Sequential([new Dense(3, 2, { activation: 'tanh' })], { backend: be, seed: 3 });
    const x = bufferOf(be, randomRows(ROWS, 3, 4));
    const dOut = bufferOf(be, randomRows(ROWS, 2, 5));
    model.zeroGrad();
    model.forward(x, { rows: ROWS });
    model.backward(dOut);
    const once = readGrads(model);
    model.forward(x, { rows: ROWS });
    model.backward(dOut);
    const twice = readGrads(model);
    once.forEach((g, i) => g.forEach((v, k) => expect(twice[i]![k]).toBeCloseTo(2 * v, 12)));
    model.zeroGrad();
    model.forward(x, { rows: ROWS });
    model.backward(dOut);
    expect(readGrads(model)).toEqual(once);
    model.dispose();
    be.free(x);
    be.free(dOut);
  });
});

// ---- losses: J = loss(model(x), y) + penalties, through computeLoss ----

interface LossCase {
  loss: LossSpec;
  outputs: number;
  targets: (seed: number) => Float64Array;
}

const labels = (classes: number) => (seed: number) => randomRows(ROWS, 1, seed, 0, classes).map(Math.floor);
const oneHotSoft = (classes: number) => (seed: number) => {
  const t = randomRows(ROWS, classes, seed, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    let s = 0;
    for (let j = 0; j < classes; j++) s += t[i * classes + j]!;
    for (let j = 0; j < classes; j++) t[i * classes + j]! /= s;
  }
  return t;
};

const LOSS_CASES: Record<string, LossCase> = {
  mse: { loss: 'mse', outputs: 3, targets: (s) => randomRows(ROWS, 3, s) },
  mae: { loss: 'mae', outputs: 3, targets: (s) => randomRows(ROWS, 3, s, 2, 3) },
  huber: { loss: { name: 'huber', delta: 0.5 }, outputs: 3, targets: (s) => randomRows(ROWS, 3, s, -2, 2) },
  binaryCrossEntropy: { loss: 'binaryCrossEntropy', outputs: 2, targets: (s) => randomRows(ROWS, 2, s, 0, 1) },
  'softmaxCrossEntropy (labels)': { loss: 'softmaxCrossEntropy', outputs: 4, targets: labels(4) },
  'softmaxCrossEntropy (soft targets)': { loss: 'softmaxCrossEntropy', outputs: 4, targets: oneHotSoft(4) },
};

describe('gradient checks of every loss through a model (ref backend, float64)', () => {
  for (const [name, c] of Object.entries(LOSS_CASES)) {
    it(name, () => {
      const model = new Sequential(
        [new Dense(3, 5, { activation: 'tanh', l2: 0.1 }), new Dense(5, c.outputs)],
        { backend: be, seed: 21 },
      );
      model.compile({ loss: c.loss, optimizer: new SGD() });
      const x = bufferOf(be, randomRows(ROWS, 3, 22));
      const y = c.targets(23);
      model.zeroGrad();
      model.forward(x, { rows: ROWS });
      model.computeLoss(y);
      model.backward();
      const analytic = readGrads(model);
      const f = () => {
        model.forward(x, { rows: ROWS });
        return model.computeLoss(y);
      };
      const result = gradcheck(be, f, model.params.params.map((p) => p.value), analytic);
      expect(result.checked).toBe(3 * 5 + 5 + 5 * c.outputs + c.outputs);
      model.dispose();
      be.free(x);
    });
  }
});

// ---- then the WASM backend's gradients against the reference backend's, through the same models ----

describe('WASM model gradients = reference model gradients (f32, seeded inputs)', () => {
  const cases: [string, Activation, LossSpec, number, (s: number) => Float64Array][] = [
    ...ACTIVATIONS.map((act): [string, Activation, LossSpec, number, (s: number) => Float64Array] => [act, act, 'mse', 3, (s) => randomRows(ROWS, 3, s)]),
    ...Object.entries(LOSS_CASES).map(([name, c]): [string, Activation, LossSpec, number, (s: number) => Float64Array] => [name, 'tanh', c.loss, c.outputs, c.targets]),
  ];
  for (const [name, act, loss, outputs, targets] of cases) {
    it(name, async () => {
      const grads: { loss: number; g: Float64Array[]; dx: Float64Array }[] = [];
      for (const factory of [refFactory, wasmFactory]) {
        const b = await factory.create();
        const model = new Sequential([new Dense(6, 9, { activation: act }), new Dense(9, 7, { activation: 'sigmoid' }), new Dense(7, outputs)], { backend: b, seed: 31 });
        model.compile({ loss, optimizer: new SGD() });
        model.zeroGrad();
        model.forward(Float32Array.from(randomRows(ROWS, 6, 32)));
        const value = model.computeLoss(Float32Array.from(targets(33)));
        const dx = model.backward(undefined, { inputGradient: true })!;
        grads.push({ loss: value, g: readGrads(model), dx: b.read(dx, new Float64Array(dx.length)).subarray(0, ROWS * 6) });
        model.dispose();
      }
      // Error analysis: sums of at most K = 9 products per layer in f32 (≤ K·ε of the sum of magnitudes), three layers
      // forward and back, and the WASM transcendental approximations (a few ulps): 32·3·K·ε relative to the largest
      // gradient of each array.
      const [ref, wasm] = grads as [typeof grads[0], typeof grads[0]];
      const bound = 32 * 3 * 9 * 2 ** -23;
      [...ref.g, ref.dx].forEach((expected, i) => {
        const actual = i < ref.g.length ? wasm.g[i]! : wasm.dx;
        const scale = Math.max(...expected.map(Math.abs), 1e-6);
        expectClose(actual, expected, { atol: bound * scale }, `nnModelGradients ${name}`);
      });
      expect(Math.abs(wasm.loss - ref.loss)).toBeLessThanOrEqual(bound * Math.max(1, ref.loss));
    });
  }
});
