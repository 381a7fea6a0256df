// WASM memory held by the network API: batch buffers re-allocated once when the batch grows (the old ones freed),
// everything freed by dispose whatever was used, nothing left behind by a model that failed to build, one optimizer
// per model, and a clear error for any use after dispose.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/types.js';
import { ReduceLROnPlateau, EarlyStopping } from '../../src/nn/callbacks.js';
import { ReLU, Tanh } from '../../src/nn/layers/activation.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Adagrad } from '../../src/nn/optimizers/adagrad.js';
import { Adam, AdamW } from '../../src/nn/optimizers/adam.js';
import type { Optimizer } from '../../src/nn/optimizers/optimizer.js';
import { RMSprop } from '../../src/nn/optimizers/rmsprop.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { Sequential } from '../../src/nn/sequential.js';
import { wasmFactory } from '../helpers/backends.js';
import { randomRows } from './helpers.js';

const X = Float32Array.from(randomRows(40, 6, 1));
const Y = Float32Array.from(randomRows(40, 1, 2, 0, 3).map(Math.floor));
const batch = (rows: number) => [X.subarray(0, rows * 6), Y.subarray(0, rows)] as const;

const mlp = (be: Backend) =>
  new Sequential([new Dense(6, 16, { activation: 'relu' }), new Dropout({ rate: 0.2 }), new Tanh(), new Dense(16, 3)], { backend: be, seed: 1 });

describe('batch buffers when the batch size changes', () => {
  for (const fuse of [false, true]) {
    it(`grow once to the largest batch, freeing the old ones, then stay put${fuse ? ' (fused pass)' : ''}`, async () => {
      const be = await wasmFactory.create();
      const model = fuse
        ? new Sequential([new Dense(6, 8, { activation: 'tanh' }), new Dense(8, 3)], { backend: be, seed: 1 })
        : mlp(be);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam(), fuse });
      model.trainOnBatch(...batch(8));
      const small = be.memoryStats();
      model.trainOnBatch(...batch(32));
      const large = be.memoryStats();
      expect(large.liveBuffers).toBe(small.liveBuffers); // re-allocated, not added
      expect(large.liveBytes).toBeGreaterThan(small.liveBytes);
      for (const rows of [8, 1, 32, 5, 32]) {
        model.trainOnBatch(...batch(rows));
        model.predict(X.subarray(0, rows * 6));
        model.evaluate(...batch(rows));
        expect(be.memoryStats()).toEqual(large);
      }
      await model.fit(X, Y, { batchSize: 7, epochs: 2, validationSplit: 0.25 });
      expect(be.memoryStats()).toEqual(large); // batches of 7 and 3, validation of 10: all within 32 rows
      model.dispose();
      expect(be.memoryStats().liveBuffers).toBe(0);
      expect(be.memoryStats().liveBytes).toBe(0);
    });
  }
});

describe('dispose frees everything', () => {
  const optimizers: [string, () => Optimizer][] = [
    ['SGD with Nesterov momentum', () => new SGD({ momentum: 0.9, nesterov: true })],
    ['RMSprop, centered, with momentum', () => new RMSprop({ centered: true, momentum: 0.5 })],
    ['Adam with AMSGrad', () => new Adam({ amsgrad: true })],
    ['AdamW', () => new AdamW()],
    ['Adagrad', () => new Adagrad({ clipNorm: 1 })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: after fit, predict, evaluate, the manual path and recompiling, liveBuffers is back to 0`, async () => {
      const be = await wasmFactory.create();
      const model = mlp(be);
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: make(), metrics: ['accuracy'] });
      await model.fit(X, Y, {
        epochs: 3,
        batchSize: 16,
        validationSplit: 0.2,
        callbacks: [new EarlyStopping({ patience: 1, restoreBestWeights: true }), new ReduceLROnPlateau({ patience: 1 })],
      });
      model.predict(X);
      model.evaluate(X, Y, { batchSize: 64 });
      model.zeroGrad();
      model.forward(X.subarray(0, 5 * 6), { training: true });
      model.computeLoss(Y.subarray(0, 5));
      model.backward(undefined, { inputGradient: true });
      model.optimizer!.step();
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: make() }); // the old optimizer's state is freed
      model.trainOnBatch(...batch(4));
      model.dispose();
      model.dispose(); // twice is fine
      expect(be.memoryStats().liveBuffers).toBe(0);
      expect(be.memoryStats().liveBytes).toBe(0);
    });
  }

  it('a model that fails to build (an initializer that throws, a non-finite one) frees what it allocated; its layers can be used again', async () => {
    const be = await wasmFactory.create();
    const first = new Dense(3, 4);
    const failing = [
      new Dense(4, 2, { biasInitializer: () => { throw new Error('initializer failed'); } }),
      new Dense(4, 2, { kernelInitializer: (out) => out.fill(NaN) }),
    ];
    await expect(async () => new Sequential([first, failing[0]!], { backend: be })).rejects.toThrow(/initializer failed/);
    expect(() => new Sequential([first, failing[1]!], { backend: be })).toThrow(
      /dense_1 Dense\(4→2\): kernelInitializer gave NaN at 0 \(dense_1\/kernel\); initial values must be finite/,
    );
    expect(be.memoryStats().liveBuffers).toBe(0);
    const model = new Sequential([first, new ReLU(), new Dense(4, 2)], { backend: be });
    expect(model.predict([1, 2, 3])).toHaveLength(2);
    model.dispose();
    expect(be.memoryStats().liveBuffers).toBe(0);
    const twice = new Dense(2, 2);
    expect(() => new Sequential([twice, twice], { backend: be })).toThrow(/layers\[1\] is the same layer object as layers\[0\]/);
  });
});

describe('one optimizer per model', () => {
  it('compiling a second model with an optimizer in use is refused; after the first model is disposed it is fine', async () => {
    const be = await wasmFactory.create();
    const sgd = new SGD({ lr: 0.1 });
    const a = new Sequential([new Dense(2, 1)], { backend: be });
    const b = new Sequential([new Dense(2, 1)], { backend: be });
    a.compile({ loss: 'mse', optimizer: sgd });
    expect(() => b.compile({ loss: 'mse', optimizer: sgd })).toThrow(/compile: this SGD already updates another model's parameters; give each model its own optimizer/);
    a.trainOnBatch([1, 2], [3]);
    a.dispose();
    b.compile({ loss: 'mse', optimizer: sgd });
    expect(Number.isFinite(b.trainOnBatch([1, 2], [3]))).toBe(true);
    sgd.attach(new Sequential([new Dense(2, 1)], { backend: be }).params); // taken away by hand
    expect(() => b.trainOnBatch([1, 2], [3])).toThrow(/trainOnBatch: the SGD no longer updates this model's parameters \(disposed, or attached elsewhere\); compile the model again/);
  });
});

describe('use after dispose', () => {
  it('every method of a disposed model, its optimizer and its parameter arena throws a clear error', async () => {
    const be = await wasmFactory.create();
    const model = mlp(be);
    const adam = new Adam();
    model.compile({ loss: 'softmaxCrossEntropy', optimizer: adam });
    model.trainOnBatch(...batch(4));
    const arena = model.params;
    model.dispose();
    expect(model.isDisposed).toBe(true);
    const calls: [string, () => unknown][] = [
      ['compile', () => model.compile({ loss: 'mse', optimizer: 'sgd' })],
      ['forward', () => model.forward(X)],
      ['computeLoss', () => model.computeLoss(Y)],
      ['backward', () => model.backward()],
      ['zeroGrad', () => model.zeroGrad()],
      ['outputGradient', () => model.outputGradient],
      ['trainOnBatch', () => model.trainOnBatch(...batch(4))],
      ['predict', () => model.predict(X)],
      ['evaluate', () => model.evaluate(X, Y)],
      ['getWeights', () => model.getWeights()],
      ['setWeights', () => model.setWeights([])],
      ['toArtifacts', () => model.toArtifacts()],
      ['reserve', () => model.reserve(100)],
    ];
    for (const [name, call] of calls) expect(call, name).toThrow(new RegExp(`^${name}: the model has been disposed$`));
    await expect(model.fit(X, Y)).rejects.toThrow(/^fit: the model has been disposed$/);
    await expect(model.save('/tmp/never')).rejects.toThrow(/^save: the model has been disposed$/);
    await expect(model.loadWeights('/tmp/never')).rejects.toThrow(/^loadWeights: the model has been disposed$/);
    expect(() => adam.step()).toThrow(/Adam: the optimizer has been disposed; attach it again \(or compile a model with it\) first/);
    expect(() => adam.attach(arena)).toThrow(/Adam: cannot attach to parameters that have been disposed/);
    expect(() => arena.grads).toThrow(/ParamArena.grads: the parameters have been disposed/);
    expect(be.memoryStats().liveBuffers).toBe(0);
  });
});
