// What fit, evaluate and the optimizer facade compute, checked against hand-written float64 arithmetic on the
// reference backend: the partial last batch, where validationSplit takes its rows from, evaluate's weighting of
// unequal batches, the L2 penalty in the reported loss, learning-rate schedule step counting, reduce-on-plateau on top
// of a schedule, and the guards around a running fit.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../../src/backend/ref/backend.js';
import { EarlyStopping, ReduceLROnPlateau, type Logs } from '../../src/nn/callbacks.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Adam } from '../../src/nn/optimizers/adam.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { CosineDecay, StepDecay } from '../../src/nn/schedules.js';
import { Sequential } from '../../src/nn/sequential.js';
import { wasmFactory } from '../helpers/backends.js';
import { expectClose } from '../helpers/close.js';
import { randomRows } from './helpers.js';

const be = new RefBackend({ dtype: 'f64' });
const [N, IN, OUT] = [10, 3, 2];
const X = randomRows(N, IN, 1);
const T = randomRows(N, OUT, 2);

/** A linear model J = mse(x·W + b, t), whose gradients are easy to write by hand. */
const linear = (seed = 3, l2 = 0) => new Sequential([new Dense(IN, OUT, { l2 })], { backend: be, seed });

/** The mse of rows [from, to) under W (IN×OUT) and b, and its gradients, in float64. */
function mseByHand(w: Float64Array, b: Float64Array, from: number, to: number) {
  const m = to - from;
  const dw = new Float64Array(IN * OUT);
  const db = new Float64Array(OUT);
  let loss = 0;
  for (let i = from; i < to; i++) {
    for (let j = 0; j < OUT; j++) {
      let z = b[j]!;
      for (let k = 0; k < IN; k++) z += X[i * IN + k]! * w[k * OUT + j]!;
      const r = z - T[i * OUT + j]!;
      loss += (r * r) / (m * OUT);
      const g = (2 * r) / (m * OUT); // the mean over this batch's own m rows
      for (let k = 0; k < IN; k++) dw[k * OUT + j]! += X[i * IN + k]! * g;
      db[j]! += g;
    }
  }
  return { loss, dw, db };
}

const weights64 = (model: Sequential) => model.params.params.map((p) => be.read(p.value, new Float64Array(p.size)));
// float64 on both sides, the same sums in different orders: a few ulps of O(1) values.
const TOL = { rtol: 1e-12, atol: 1e-14 };

describe('fit: batches', () => {
  it('a partial last batch (10 rows, batch 4) steps with the mean gradient of its own 2 rows; the epoch loss weights batches by size', async () => {
    const model = linear();
    const lr = 0.1;
    model.compile({ loss: 'mse', optimizer: new SGD({ lr }) });
    const [w, b] = weights64(model) as [Float64Array, Float64Array];
    const history = await model.fit(X, T, { epochs: 1, batchSize: 4, shuffle: false });
    let epochLoss = 0;
    for (const [from, to] of [[0, 4], [4, 8], [8, 10]] as const) {
      const { loss, dw, db } = mseByHand(w, b, from, to);
      epochLoss += (loss * (to - from)) / N;
      dw.forEach((g, i) => (w[i]! -= lr * g));
      db.forEach((g, i) => (b[i]! -= lr * g));
    }
    const [gotW, gotB] = weights64(model) as [Float64Array, Float64Array];
    expectClose(gotW, w, TOL, 'fitPartialBatch kernel');
    expectClose(gotB, b, TOL, 'fitPartialBatch bias');
    expect(history.history.loss![0]).toBeCloseTo(epochLoss, 12);
    expect(model.optimizer!.iterations).toBe(3);
  });

  it('WASM: the fused small-network pass steps a partial last batch like the layer-by-layer path', async () => {
    const wasm = await wasmFactory.create();
    const run = async (fuse: boolean) => {
      const model = new Sequential([new Dense(IN, 8, { activation: 'tanh' }), new Dense(8, OUT)], { backend: wasm, seed: 2 });
      model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }), fuse });
      const h = await model.fit(Float32Array.from(X), Float32Array.from(T), { epochs: 5, batchSize: 4, seed: 1 });
      const out = { loss: h.history.loss!, weights: model.getWeights() };
      model.dispose();
      return out;
    };
    const [fused, plain] = [await run(true), await run(false)];
    // Different summation orders (row loops vs blocked GEMM) over 15 small contracting steps: a few ulps per step; a
    // partial batch scaled by 1/4 instead of 1/2 would be off by O(1).
    expectClose(fused.loss, plain.loss, { rtol: 1e-5, atol: 1e-7 }, 'nnFusedPartialBatch loss');
    fused.weights.forEach((w, i) => expectClose(w, plain.weights[i]!, { rtol: 1e-5, atol: 1e-6 }, 'nnFusedPartialBatch weights'));
  });

  it('validationSplit holds out the last rows as given, before shuffling: training equals fit on the first rows alone', async () => {
    const tail = Float64Array.from(T);
    tail.fill(1000, 7 * OUT); // any step taken on the held-out rows would show
    const withSplit = linear(4);
    const alone = linear(4);
    for (const m of [withSplit, alone]) m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.05, momentum: 0.5 }) });
    const history = await withSplit.fit(X, tail, { epochs: 3, batchSize: 2, seed: 7, validationSplit: 0.3 });
    await alone.fit(X.subarray(0, 7 * IN), T.subarray(0, 7 * OUT), { epochs: 3, batchSize: 2, seed: 7 });
    expect(weights64(withSplit)).toEqual(weights64(alone));
    const held = withSplit.evaluate(X.subarray(7 * IN), tail.subarray(7 * OUT));
    expect(history.history.val_loss!.at(-1)).toBeCloseTo(held.loss!, 12);
  });

  it('evaluate weights batches of unequal size by their size: the mean over samples, whatever the batch size', () => {
    const model = linear(5);
    model.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mae'] });
    const [w, b] = weights64(model) as [Float64Array, Float64Array];
    const { loss } = mseByHand(w, b, 0, N);
    for (const batchSize of [1, 3, 4, 7, 10, 256]) {
      const logs = model.evaluate(X, T, { batchSize });
      expect(logs.loss).toBeCloseTo(loss, 12);
      expect(logs.mae).toBeCloseTo(model.evaluate(X, T, { batchSize: N }).mae!, 12);
    }
  });

  it('the L2 penalty ½·λ·‖W‖² is part of the reported loss: trainOnBatch, fit and evaluate', async () => {
    const lambda = 0.3;
    const plain = linear(6);
    const penalized = linear(6, lambda);
    for (const m of [plain, penalized]) m.compile({ loss: 'mse', optimizer: new SGD({ lr: 0 }) });
    const [w] = weights64(penalized) as [Float64Array];
    const penalty = 0.5 * lambda * w.reduce((s, v) => s + v * v, 0);
    expect(penalized.evaluate(X, T).loss).toBeCloseTo(plain.evaluate(X, T).loss! + penalty, 12);
    expect(penalized.trainOnBatch(X, T)).toBeCloseTo(plain.trainOnBatch(X, T) + penalty, 12);
    const h = await penalized.fit(X, T, { batchSize: 3, shuffle: false, validationData: [X, T] });
    const hPlain = await plain.fit(X, T, { batchSize: 3, shuffle: false, validationData: [X, T] });
    expect(h.history.loss![0]).toBeCloseTo(hPlain.history.loss![0]! + penalty, 12);
    expect(h.history.val_loss![0]).toBeCloseTo(hPlain.history.val_loss![0]! + penalty, 12);
  });
});

describe('learning-rate schedules in fit', () => {
  it('are evaluated at the optimizer step count, 0 for the first step, and count every batch (partial ones too)', async () => {
    const model = linear();
    const schedule = new StepDecay({ lr: 1, stepSize: 2, gamma: 0.5 });
    const sgd = new SGD({ lr: schedule });
    model.compile({ loss: 'mse', optimizer: sgd });
    const seen: number[] = [];
    await model.fit(X, T, { epochs: 2, batchSize: 4, callbacks: [{ onBatchBegin: () => void seen.push(sgd.lr) }] });
    expect(seen).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(sgd.iterations).toBe(6);
    const cosine = new CosineDecay({ lr: 1, decaySteps: 10, warmupSteps: 4 });
    expect([0, 1, 2, 3].map((t) => cosine.at(t))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(cosine.at(4 + 10)).toBe(0);
  });

  it('reduce-on-plateau scales a schedule, keeping its shape, instead of replacing it with a constant', () => {
    const model = linear();
    const schedule = new CosineDecay({ lr: 1, decaySteps: 100, warmupSteps: 10 });
    const adam = new Adam({ lr: schedule });
    model.compile({ loss: 'mse', optimizer: adam });
    const plateau = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1 });
    plateau.setModel(model);
    plateau.onTrainBegin();
    adam.iterations = 4; // in the warm-up
    plateau.onEpochEnd(0, { loss: 1 });
    plateau.onEpochEnd(1, { loss: 1 }); // no improvement for 1 epoch: halve
    expect(adam.lrScale).toBe(0.5);
    for (const t of [4, 9, 10, 50, 110]) {
      adam.iterations = t;
      expect(adam.lr).toBeCloseTo(0.5 * schedule.at(t), 15);
    }
    adam.lr = 0.01; // a new rate starts unscaled
    expect(adam.lrScale).toBe(1);
    expect(adam.lr).toBe(0.01);
    expect(() => (adam.lrScale = 0)).toThrow(/Adam: lrScale must be a finite number > 0, got 0/);
  });

  it('reduce-on-plateau never takes a schedule below minLr at the step it reduces', () => {
    const model = linear();
    const sgd = new SGD({ lr: new StepDecay({ lr: 1, stepSize: 1000, gamma: 0.5 }) });
    model.compile({ loss: 'mse', optimizer: sgd });
    const plateau = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.1, patience: 1, minLr: 0.4 });
    plateau.setModel(model);
    plateau.onTrainBegin();
    const lrs = [3, 3, 3, 3].map((loss, e) => {
      plateau.onEpochEnd(e, { loss });
      return sgd.lr;
    });
    expect(lrs).toEqual([1, 0.4, 0.4, 0.4]);
  });
});

describe('fit: callbacks and guards', () => {
  it('a monitored entry that this fit does not log is refused before training, naming what it logs', async () => {
    const model = linear();
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const before = model.getWeights();
    await expect(model.fit(X, T, { callbacks: [new EarlyStopping()] })).rejects.toThrow(
      /fit: EarlyStopping monitors "val_loss", which this fit does not log \(give validationSplit or validationData\); it logs loss/,
    );
    await expect(model.fit(X, T, { callbacks: [new ReduceLROnPlateau({ monitor: 'accuracy' })] })).rejects.toThrow(
      /fit: ReduceLROnPlateau monitors "accuracy", which this fit does not log; it logs loss, lr/,
    );
    expect(model.getWeights()).toEqual(before);
    expect(() => new EarlyStopping({ monitor: 3 as never })).toThrow(/EarlyStopping: monitor must be the name of a log entry/);
    expect(() => new EarlyStopping({ restoreBestWeights: 'yes' as never })).toThrow(/EarlyStopping: restoreBestWeights must be/);
  });

  it('early stopping keeps its best weights on the host: a fit that throws midway leaks no WASM buffer', async () => {
    const wasm = await wasmFactory.create();
    const model = new Sequential([new Dense(IN, 8, { activation: 'tanh' }), new Dense(8, OUT)], { backend: wasm, seed: 1 });
    model.compile({ loss: 'mse', optimizer: new Adam({ lr: 0.01 }) });
    await model.fit(X, T, { batchSize: 4, validationSplit: 0.2 });
    const before = wasm.memoryStats();
    const failing = { onEpochEnd: (epoch: number) => { if (epoch === 2) throw new Error('callback failed'); } };
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    await expect(model.fit(X, T, { epochs: 5, batchSize: 4, validationSplit: 0.2, callbacks: [stopper, failing] })).rejects.toThrow(/callback failed/);
    expect(wasm.memoryStats()).toEqual(before);
    // and the model is usable afterwards
    await model.fit(X, T, { epochs: 2, batchSize: 4, validationSplit: 0.2, callbacks: [stopper] });
    model.dispose();
    expect(wasm.memoryStats().liveBuffers).toBe(0);
  });

  it('validation targets may be one-hot rows while training on integer labels (and give the same val_loss)', async () => {
    const labels = Float64Array.from({ length: N }, (_, i) => i % 2);
    const oneHot = new Float64Array(N * OUT);
    labels.forEach((c, i) => (oneHot[i * OUT + c] = 1));
    const run = async (validationTargets: Float64Array) => {
      const model = linear(8);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: new SGD({ lr: 0.1 }), metrics: ['accuracy'] });
      const h = await model.fit(X, labels, { epochs: 2, batchSize: 4, validationData: [X, validationTargets] });
      return h.history;
    };
    const sparse = await run(labels);
    const dense = await run(oneHot);
    expectClose(dense.val_loss!, sparse.val_loss!, TOL, 'fitValidationKinds');
    expect(dense.val_accuracy).toEqual(sparse.val_accuracy);
  });

  it('a second fit while one runs is refused, as is compile; a model disposed by a callback stops fit with a clear error', async () => {
    const model = linear();
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    let compileError = '';
    const slow = model.fit(X, T, {
      epochs: 3,
      callbacks: [{ onEpochEnd: async () => {
        try {
          model.compile({ loss: 'mae', optimizer: 'sgd' });
        } catch (error) {
          compileError = (error as Error).message;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      } }],
    });
    await expect(model.fit(X, T)).rejects.toThrow(/fit: the model is already training; await the first fit before starting another/);
    await slow;
    expect(compileError).toMatch(/compile: the model is training \(fit has not finished\)/);
    await model.fit(X, T); // fine once the first has finished
    await expect(model.fit(X, T, { batchSize: 2, callbacks: [{ onBatchEnd: (b: number) => { if (b === 1) model.dispose(); } }] })).rejects.toThrow(
      /fit: the model has been disposed/,
    );
  });

  it('evaluating other data in a batch callback leaves the epoch\'s training metrics as they were', async () => {
    const labels = Float64Array.from({ length: N }, (_, i) => (i * 7) % 2);
    const run = async (evaluateEachBatch: boolean) => {
      const model = linear(9);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: new SGD({ lr: 0.5 }), metrics: ['accuracy'] });
      const other = [X.subarray(0, 3 * IN), [1, 1, 1]] as const;
      const onBatchEnd = () => void model.evaluate(...other);
      const h = await model.fit(X, labels, { epochs: 3, batchSize: 3, callbacks: evaluateEachBatch ? [{ onBatchEnd }] : [] });
      return h.history;
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('compiling again with the same optimizer keeps its moments and step count; a new optimizer starts fresh', () => {
    const steps = (model: Sequential, n: number) => {
      for (let i = 0; i < n; i++) model.trainOnBatch(X, T);
    };
    const straight = linear(10);
    straight.compile({ loss: 'mse', optimizer: new Adam({ lr: 0.05 }) });
    steps(straight, 6);
    const recompiled = linear(10);
    const adam = new Adam({ lr: 0.05 });
    recompiled.compile({ loss: 'mse', optimizer: adam });
    steps(recompiled, 3);
    recompiled.compile({ loss: 'mse', optimizer: adam, metrics: ['mae'] });
    expect(adam.iterations).toBe(3);
    steps(recompiled, 3);
    expect(weights64(recompiled)).toEqual(weights64(straight));
    recompiled.compile({ loss: 'mse', optimizer: new Adam({ lr: 0.05 }) });
    expect(recompiled.optimizer!.iterations).toBe(0);
    expect(() => adam.step()).toThrow(/Adam: the optimizer has been disposed/);
  });

  it('history has one entry per epoch run, and logs carry lr when reduce-on-plateau runs', async () => {
    const model = linear();
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.01 }) });
    const seen: Logs[] = [];
    const h = await model.fit(X, T, {
      epochs: 4,
      callbacks: [new ReduceLROnPlateau({ monitor: 'loss', patience: 1 }), { onEpochEnd: (_e, logs) => void seen.push({ ...logs }) }],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(h.history.lr).toEqual(seen.map((l) => l.lr));
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'lr']);
  });
});
