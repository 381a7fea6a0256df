// Data at the API boundary: every accepted layout of inputs and targets gives the same result, a single row works,
// and values that are not finite numbers are refused with the index, row and column, before any state changes.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../../src/backend/ref/backend.js';
import type { Backend } from '../../src/backend/types.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Adam } from '../../src/nn/optimizers/adam.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { Sequential } from '../../src/nn/sequential.js';
import { BACKENDS, wasmFactory } from '../helpers/backends.js';
import { expectClose } from '../helpers/close.js';
import { randomRows } from './helpers.js';

const [N, IN, OUT] = [6, 4, 3];
const X = Float32Array.from(randomRows(N, IN, 1));
const LABELS = [0, 2, 1, 1, 0, 2];
const ONE_HOT = LABELS.flatMap((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
const nested = (flat: ArrayLike<number>, width: number) =>
  Array.from({ length: flat.length / width }, (_, i) => Array.from(flat).slice(i * width, (i + 1) * width));

const makeModel = (be: Backend, seed = 1) =>
  new Sequential([new Dense(IN, 5, { activation: 'tanh' }), new Dense(5, OUT)], { backend: be, seed });

for (const factory of BACKENDS) {
  describe(`layouts of inputs and targets: ${factory.name}`, () => {
    it('Float32Array, Float64Array, number[] and number[][] inputs give bit-identical predictions and training', async () => {
      const be = await factory.create();
      const layouts = [X, Float64Array.from(X), Array.from(X), nested(X, IN)];
      const results = layouts.map((x) => {
        const model = makeModel(be);
        model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam({ lr: 0.01 }) });
        const before = model.predict(x);
        const loss = model.trainOnBatch(x, LABELS);
        const after = { before, loss, weights: model.getWeights(), evaluated: model.evaluate(x, LABELS, { batchSize: 4 }) };
        model.dispose();
        return after;
      });
      for (const r of results.slice(1)) expect(r).toEqual(results[0]);
    });

    it('a single row, flat or nested, predicts what the same row does inside a batch', async () => {
      const be = await factory.create();
      const model = makeModel(be);
      const all = model.predict(X);
      const row2 = Array.from(X.subarray(2 * IN, 3 * IN));
      // The reference backend sums in one order whatever the batch; the WASM GEMM picks its blocking by the number of
      // rows, so a row alone may round differently: sums of K ≤ 5 products per layer, two layers, ≤ 2·2·K·ε relative
      // to the largest output (ε = 2⁻²³).
      const same = (a: Float32Array, b: Float32Array) => {
        if (be.name === 'ref') expect(a).toEqual(b);
        else expectClose(a, b, { atol: 2 * 2 * 5 * 2 ** -23 * Math.max(...b.map(Math.abs)) }, 'nnSingleRow');
      };
      same(model.predict(row2), all.subarray(2 * OUT, 3 * OUT));
      expect(model.predict([row2])).toEqual(model.predict(row2));
      same(model.predict(X, { batchSize: 1 }), all);
      expect(model.predict([])).toEqual(new Float32Array(0));
      model.dispose();
    });

    it('softmaxCrossEntropy: integer labels, one-hot rows (flat or nested) give the same loss, gradient and step', async () => {
      const be = await factory.create();
      const run = (y: ArrayLike<number> | number[][]) => {
        const model = makeModel(be);
        model.compile({ loss: 'softmaxCrossEntropy', optimizer: new SGD({ lr: 0.5 }), metrics: ['accuracy'] });
        const loss = model.trainOnBatch(X, y as ArrayLike<number>);
        const out = { loss, weights: model.getWeights(), logs: model.evaluate(X, y as ArrayLike<number>) };
        model.dispose();
        return out;
      };
      const sparse = run(LABELS);
      for (const labels of [Uint8Array.from(LABELS), Int32Array.from(LABELS), nested(LABELS, 1)]) {
        expect(run(labels)).toEqual(sparse); // integer typed arrays and one-label rows are labels too
      }
      for (const dense of [run(ONE_HOT), run(nested(ONE_HOT, OUT)), run(Float32Array.from(ONE_HOT))]) {
        // Two kernels (labels vs dense targets) computing the same sums: a few ulps of f32 on O(1) values.
        expect(Math.abs(dense.loss - sparse.loss)).toBeLessThan(1e-6);
        dense.weights.forEach((w, i) => expectClose(w, sparse.weights[i]!, { rtol: 1e-5, atol: 1e-6 }, 'nnTargetLayouts weights'));
        expect(dense.logs.accuracy).toBe(sparse.logs.accuracy);
      }
    });
  });
}

describe('values that are not finite numbers are refused, naming where they are, and change nothing', () => {
  it('in x: flat or nested, plain or typed, small (host scan) or large (checked on the backend)', async () => {
    for (const factory of BACKENDS) {
      const be = await factory.create();
      const model = makeModel(be);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam() });
      const before = model.getWeights();
      const withNaN = X.slice();
      withNaN[9] = NaN;
      expect(() => model.trainOnBatch(withNaN, LABELS)).toThrow(/trainOnBatch: x\[9\] \(row 2, column 1\) is NaN; expected finite numbers/);
      expect(() => model.trainOnBatch(nested(withNaN, IN), LABELS)).toThrow(/trainOnBatch: x\[2\]\[1\] is NaN; expected a finite number/);
      expect(() => model.trainOnBatch(Array.from(withNaN), LABELS)).toThrow(/trainOnBatch: x\[9\] is NaN; expected a finite number/);
      expect(() => model.trainOnBatch([[0, 1, '2', 3]] as never, [0])).toThrow(/trainOnBatch: x\[0\]\[2\] is "2"; expected a finite number/);
      await expect(model.fit(withNaN, LABELS)).rejects.toThrow(/fit: x\[9\] \(row 2, column 1\) is NaN/);
      // 2,000 rows: more than the host-scan limit, so the staged batch is checked by one firstNonFinite pass first.
      const big = Float32Array.from(randomRows(2000, IN, 5));
      big[1234 * IN + 3] = -Infinity;
      expect(() => model.trainOnBatch(big, new Float32Array(2000))).toThrow(/trainOnBatch: x\[4939\] \(row 1234, column 3\) is -Infinity/);
      expect(() => model.predict(big, { batchSize: 500 })).toThrow(/predict: x\[4939\] \(row 1234, column 3\) is -Infinity/);
      expect(() => model.evaluate(big, new Float32Array(2000))).toThrow(/evaluate: x\[4939\] \(row 1234, column 3\)/);
      expect(() => model.forward(big)).toThrow(/forward: x\[4939\] \(row 1234, column 3\)/);
      expect(model.getWeights()).toEqual(before);
      model.dispose();
    }
  });

  it('in y: dense targets of every layout, and in validation data', async () => {
    const be = new RefBackend();
    const model = new Sequential([new Dense(IN, OUT)], { backend: be });
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const before = model.getWeights();
    const y = new Float32Array(N * OUT);
    y[4] = Infinity;
    expect(() => model.trainOnBatch(X, y)).toThrow(/trainOnBatch: y\[4\] \(row 1, column 1\) is Infinity; expected finite numbers/);
    expect(() => model.evaluate(X, nested(y, OUT))).toThrow(/evaluate: y\[1\]\[1\] is Infinity/);
    await expect(model.fit(X, new Float32Array(N * OUT), { validationData: [X, y] })).rejects.toThrow(/fit \(validationData\): y\[4\] \(row 1, column 1\) is Infinity/);
    model.forward(X);
    expect(() => model.computeLoss(y)).toThrow(/computeLoss: y\[4\] \(row 1, column 1\) is Infinity/);
    expect(model.getWeights()).toEqual(before);
  });

  it('on the float32 WASM backend, float64 values beyond the float32 range too', async () => {
    const be = await wasmFactory.create();
    const model = makeModel(be);
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: 'sgd' });
    const x = Float64Array.from(X);
    x[5] = 1e39;
    expect(() => model.trainOnBatch(x, LABELS)).toThrow(/trainOnBatch: x\[5\] \(row 1, column 1\) is 1e\+39, outside the float32 range/);
    expect(() => model.predict([[1e39, 0, 0, 0]])).toThrow(/predict: x\[0\]\[0\] is 1e\+39, outside the float32 range/);
    model.dispose();
  });
});

describe('targets the metrics cannot score are refused before any work', () => {
  it('binaryAccuracy and mae with integer labels', async () => {
    const be = new RefBackend();
    for (const metric of ['binaryAccuracy', 'mae'] as const) {
      const model = makeModel(be);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: 'sgd', metrics: [metric] });
      const before = model.getWeights();
      const message = new RegExp(`metric ${metric}: needs dense targets \\(m×n values, e\\.g\\. one-hot rows\\), got integer labels`);
      await expect(model.fit(X, LABELS)).rejects.toThrow(message);
      expect(() => model.trainOnBatch(X, LABELS)).toThrow(message);
      expect(() => model.evaluate(X, LABELS)).toThrow(message);
      expect(model.getWeights()).toEqual(before);
      expect(model.evaluate(X, ONE_HOT)[metric]).toBeGreaterThanOrEqual(0);
    }
  });

  it('a target count that fits neither layout names the output layer', () => {
    const model = makeModel(new RefBackend());
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: 'sgd' });
    expect(() => model.trainOnBatch(X, [0, 1])).toThrow(
      /trainOnBatch: y has 2 values for 6 samples; expected 6 integer labels or 6×3 = 18 target values for loss softmaxCrossEntropy \(the output layer dense_1 Dense\(5→3\) gives 3 per sample\)/,
    );
  });
});

describe('dropout', () => {
  it('is seeded from the model seed (the same masks for the same seed), or its own seed; off in predict and evaluate', async () => {
    const be = new RefBackend({ dtype: 'f64' });
    const x = randomRows(50, 20, 3);
    const mask = (modelSeed: number, dropoutSeed?: number) => {
      const dropout = new Dropout(dropoutSeed === undefined ? { rate: 0.5 } : { rate: 0.5, seed: dropoutSeed });
      const model = new Sequential([new Dense(20, 20, { kernelInitializer: 'ones' }), dropout], { backend: be, seed: modelSeed });
      const out = be.read(model.forward(x, { training: true }), new Float64Array(50 * 20));
      const inference = [model.predict(x), model.predict(x)];
      model.dispose();
      return { zeros: Array.from(out, (v) => v === 0), inference };
    };
    expect(mask(1).zeros).toEqual(mask(1).zeros);
    expect(mask(1).zeros).not.toEqual(mask(2).zeros);
    expect(mask(1, 9).zeros).toEqual(mask(2, 9).zeros);
    const { inference } = mask(1);
    expect(inference[0]).toEqual(inference[1]);
    expect(inference[0]!.every((v) => v !== 0)).toBe(true);
  });
});
