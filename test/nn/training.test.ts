// Training end to end: parity between backends, determinism, convergence with fixed seeds, the steady-state memory
// rule, fit's validation, callbacks and history.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/types.js';
import { EarlyStopping, type Logs } from '../../src/nn/callbacks.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Adam } from '../../src/nn/optimizers/adam.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { Sequential } from '../../src/nn/sequential.js';
import { refFactory, wasmFactory } from '../helpers/backends.js';
import { expectClose } from '../helpers/close.js';
import { randomRows, twoSpirals } from './helpers.js';

const mlp = (be: Backend, seed: number) =>
  new Sequential([new Dense(12, 16, { activation: 'relu' }), new Dense(16, 16, { activation: 'tanh' }), new Dense(16, 5)], {
    backend: be,
    seed,
  });

const X = Float32Array.from(randomRows(64, 12, 7));
const Y = Float32Array.from(randomRows(64, 1, 8, 0, 5).map(Math.floor));

describe('parity between the WASM and reference backends', () => {
  it('the same seed gives the same initial weights; after 20 Adam steps they agree within relative 1e-4', async () => {
    const [ref, wasm] = [await refFactory.create(), await wasmFactory.create()];
    const a = mlp(ref, 42);
    const b = mlp(wasm, 42);
    expect(b.getWeights()).toEqual(a.getWeights());
    for (const model of [a, b]) model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam({ lr: 1e-3 }) });
    for (let step = 0; step < 20; step++) {
      const rows = 16;
      const from = (step % 4) * rows;
      const x = X.subarray(from * 12, (from + rows) * 12);
      const y = Y.subarray(from, from + rows);
      a.trainOnBatch(x, y);
      b.trainOnBatch(x, y);
    }
    // Adam's step is ≈ η·sign(g) whatever |g|, so the weights move by ≈ 20·η = 2e-2 each. Differences between the
    // backends come from f32 rounding in the GEMM sums and transcendental approximations (relative ~1e-6 per step);
    // relative 1e-4 with an absolute floor of 1e-6 for the weights that pass near zero.
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((w, i) => {
      expectClose(wb[i]!, w, { rtol: 1e-4, atol: 1e-6 }, `nnParity weights[${i}]`);
    });
    a.dispose();
    b.dispose();
  });
});

describe('determinism', () => {
  for (const factory of [refFactory, wasmFactory]) {
    it(`${factory.name}: the same seeds twice give bit-identical weights after fit with shuffling and dropout`, async () => {
      const be = await factory.create();
      const run = async () => {
        const model = new Sequential(
          [new Dense(12, 16, { activation: 'relu' }), new Dropout({ rate: 0.2 }), new Dense(16, 5)],
          { backend: be, seed: 3 },
        );
        model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam({ lr: 1e-2 }), metrics: ['accuracy'] });
        const history = await model.fit(X, Y, { epochs: 3, batchSize: 10, seed: 9, validationSplit: 0.25 });
        const weights = model.getWeights();
        model.dispose();
        return { weights, history };
      };
      const first = await run();
      const second = await run();
      expect(second.weights).toEqual(first.weights);
      expect(second.history).toEqual(first.history);
      expect(Object.keys(first.history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    });
  }
});

describe('convergence with fixed seeds', () => {
  for (const factory of [refFactory, wasmFactory]) {
    it(`${factory.name}: XOR, 2-8-1 tanh, mse, SGD, to mse < 0.01`, async () => {
      const be = await factory.create();
      const model = new Sequential([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1)], { backend: be, seed: 1 });
      model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
      const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
      const y = new Float32Array([0, 1, 1, 0]);
      for (let step = 0; step < 2000; step++) model.trainOnBatch(x, y);
      const { loss } = model.evaluate(x, y);
      expect(loss).toBeLessThan(0.01);
      const p = model.predict(x);
      expect(Array.from(p, (v) => Math.round(v))).toEqual([0, 1, 1, 0]);
      model.dispose();
    });
  }

  it('wasm: a two-spiral set to ≥ 95 % accuracy', async () => {
    const be = await wasmFactory.create();
    const { x, y } = twoSpirals(200, 5, 0.01);
    const model = new Sequential(
      [new Dense(2, 64, { activation: 'relu' }), new Dense(64, 64, { activation: 'relu' }), new Dense(64, 2)],
      { backend: be, seed: 2 },
    );
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam({ lr: 0.01 }), metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 100, batchSize: 32, seed: 4 });
    const { accuracy } = model.evaluate(x, y);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(history.history.loss!.at(-1)).toBeLessThan(history.history.loss![0]!);
    model.dispose();
  });
});

describe('steady state', () => {
  for (const fuse of [false, true]) {
    it(`wasm${fuse ? ', fused pass' : ''}: after a warm-up step, 1,000 training steps neither grow the heap nor allocate buffers`, async () => {
      const be = await wasmFactory.create();
      const model = mlp(be, 1);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam(), metrics: fuse ? [] : ['accuracy'], fuse });
      const x = X.subarray(0, 32 * 12);
      const y = Y.subarray(0, 32);
      model.trainOnBatch(x, y);
      const before = be.memoryStats();
      const memoryBefore = (be as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength;
      for (let step = 0; step < 1000; step++) model.trainOnBatch(x, y);
      expect(be.memoryStats()).toEqual(before);
      expect((be as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength).toBe(memoryBefore);
      model.dispose();
      expect(be.memoryStats().liveBuffers).toBe(0);
      expect(be.memoryStats().liveBytes).toBe(0);
    });
  }

  it('wasm: fit with a smaller last batch and validation reuses its buffers epoch after epoch; dispose frees all', async () => {
    const be = await wasmFactory.create();
    const empty = be.memoryStats();
    const model = mlp(be, 1);
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam(), metrics: ['accuracy'] });
    await model.fit(X, Y, { epochs: 1, batchSize: 20, validationSplit: 0.2 });
    const before = be.memoryStats();
    await model.fit(X, Y, { epochs: 5, batchSize: 20, validationSplit: 0.2, callbacks: [new EarlyStopping({ patience: 10, restoreBestWeights: true })] });
    expect(be.memoryStats()).toEqual(before);
    model.dispose();
    expect(be.memoryStats()).toEqual(empty);
  });
});

describe('fit: callbacks, early stopping, history', () => {
  it('calls every hook in order; early stopping restores the best weights', async () => {
    const be = await refFactory.create();
    const model = mlp(be, 5);
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam({ lr: 0.05 }) });
    const events: string[] = [];
    const seen: Logs[] = [];
    const stopper = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    let bestWeights: Float32Array[] = [];
    let bestLoss = Infinity;
    const history = await model.fit(X, Y, {
      epochs: 60,
      batchSize: 16,
      validationData: [X.subarray(0, 16 * 12), Y.subarray(0, 16).map((v) => (v + 1) % 5)],
      callbacks: [
        {
          onTrainBegin: () => void events.push('train'),
          onEpochBegin: (e) => void events.push(`epoch ${e}`),
          onBatchEnd: (b, logs) => void events.push(`batch ${b} ${logs.size}`),
          onEpochEnd: async (_e, logs) => {
            seen.push({ ...logs });
            if (logs.val_loss! < bestLoss) {
              bestLoss = logs.val_loss!;
              bestWeights = model.getWeights();
            }
          },
          onTrainEnd: () => void events.push('end'),
        },
        stopper,
      ],
    });
    expect(events.slice(0, 6)).toEqual(['train', 'epoch 0', 'batch 0 16', 'batch 1 16', 'batch 2 16', 'batch 3 16']);
    expect(events.at(-1)).toBe('end');
    // The validation labels are shifted, so the validation loss rises while the training loss falls: it stops early.
    expect(stopper.stoppedEpoch).toBeGreaterThan(0);
    expect(history.epoch.length).toBe(stopper.stoppedEpoch + 1);
    expect(history.history.val_loss).toEqual(seen.map((l) => l.val_loss));
    expect(model.getWeights()).toEqual(bestWeights);
    model.dispose();
  });
});
