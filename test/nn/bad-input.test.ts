// Bad input to the network API: each a clear Error that names the layer or argument and the expected and given sizes.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../../src/backend/ref/backend.js';
import { ActivationLayer, ReLU } from '../../src/nn/layers/activation.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Adam } from '../../src/nn/optimizers/adam.js';
import { Sequential } from '../../src/nn/sequential.js';
import { constant } from '../../src/nn/initializers.js';
import { wasmFactory } from '../helpers/backends.js';

const be = new RefBackend();

function compiled(loss: 'mse' | 'softmaxCrossEntropy' = 'softmaxCrossEntropy') {
  const model = new Sequential([new Dense(4, 5, { activation: 'relu' }), new Dense(5, 3)], { backend: be, seed: 1 });
  model.compile({ loss, optimizer: new Adam({ lr: 0.01 }) });
  return model;
}

const x = new Float32Array(6 * 4).map((_, i) => (i % 7) / 7);
const labels = new Float32Array([0, 1, 2, 2, 1, 0]);

describe('bad input to models and layers', () => {
  it('input of the wrong width', async () => {
    const model = compiled();
    expect(() => model.predict(new Float32Array(10))).toThrow(
      /predict: x has 10 values, which is not a whole number of rows \(the first layer, dense_0 Dense\(4→5, relu\), takes rows of 4\); expected a multiple of 4/,
    );
    expect(() => model.trainOnBatch([[1, 2, 3, 4], [1, 2, 3]], [0, 1])).toThrow(
      /trainOnBatch: x\[1\] has 3 columns, but the first layer, dense_0 Dense\(4→5, relu\), takes rows of 4/,
    );
    expect(() => model.predict([[1, 2, 3, 4], 5] as never)).toThrow(/predict: x\[1\] has 5, not a row, but the first layer/);
    await expect(model.fit(new Float32Array(9), labels)).rejects.toThrow(/fit: x has 9 values, which is not a whole number of rows \(the first layer, dense_0/);
    const buf = be.alloc(7);
    expect(() => model.forward(buf)).toThrow(
      /forward: x is a buffer of 7 values and the first layer, dense_0 Dense\(4→5, relu\), takes rows of 4; 1.75 rows do not fit: give options.rows/,
    );
    expect(() => model.forward(buf, { rows: 2 })).toThrow(/forward: x is a buffer of 7 values .*; rows 2 do not fit/);
    be.free(buf);
  });

  it('a layer whose width does not match the layer before it', () => {
    expect(() => new Sequential([new Dense(4, 5), new Dense(6, 2)], { backend: be })).toThrow(
      /dense_1 Dense\(6→2\): expects 6 inputs, but dense_0 Dense\(4→5\) gives 5/,
    );
    expect(() => new Sequential([new Dropout({ rate: 0.5 }), new Dense(3, 2)], { backend: be, inputSize: 4 })).toThrow(
      /dense_1 Dense\(3→2\): expects 3 inputs, but dropout_0 Dropout\(0.5, 4\) gives 4/,
    );
    expect(() => new Sequential([new Dense(3, 2)], { backend: be, inputSize: 4 })).toThrow(/dense_0 Dense\(3→2\): expects 3 inputs, but the input gives 4/);
    expect(() => new Sequential([new ReLU()], { backend: be })).toThrow(/first layer is Activation, not Dense; give options.inputSize/);
  });

  it('labels out of range, not integers, or of the wrong count', async () => {
    const model = compiled();
    await expect(model.fit(x, new Float32Array([0, 1, 3, 0, 0, 0]))).rejects.toThrow(
      /fit: y\[2\] must be an integer class label in 0..2, got 3/,
    );
    await expect(model.fit(x, new Float32Array([0, 1, 0.5, 0, 0, 0]))).rejects.toThrow(/y\[2\] must be an integer class label in 0..2, got 0.5/);
    await expect(model.fit(x, new Float32Array([0, 1, 2]))).rejects.toThrow(
      /fit: y has 3 values for 6 samples; expected 6 integer labels or 6×3 = 18 target values for loss softmaxCrossEntropy/,
    );
    expect(() => compiled('mse').trainOnBatch(x, labels)).toThrow(/trainOnBatch: y has 6 values for 6 samples; expected 6×3 = 18 target values for loss mse/);
  });

  it('an empty dataset, batch size 0, a bad validation split', async () => {
    const model = compiled();
    await expect(model.fit(new Float32Array(0), new Float32Array(0))).rejects.toThrow(/fit: the dataset is empty; expected at least one sample/);
    await expect(model.fit(x, labels, { batchSize: 0 })).rejects.toThrow(/fit: batchSize must be an integer ≥ 1, got 0/);
    await expect(model.fit(x, labels, { epochs: 1.5 })).rejects.toThrow(/fit: epochs must be an integer ≥ 1, got 1.5/);
    await expect(model.fit(x, labels, { validationSplit: 1 })).rejects.toThrow(/fit: validationSplit must be in \[0, 1\), got 1/);
    await expect(model.fit(x, labels, { validationSplit: 0.1 })).rejects.toThrow(/leaves 0 for validation/);
    expect(() => model.predict(x, { batchSize: 0 })).toThrow(/predict: batchSize must be an integer ≥ 1, got 0/);
  });

  it('an unknown loss, optimizer, metric, activation or initializer lists the valid names', () => {
    const model = new Sequential([new Dense(4, 3)], { backend: be });
    expect(() => model.compile({ loss: 'crossEntropy' as never, optimizer: 'adam' })).toThrow(
      /compile: unknown loss "crossEntropy"; expected one of mse, mae, huber, binaryCrossEntropy, softmaxCrossEntropy/,
    );
    expect(() => model.compile({ loss: 'mse', optimizer: 'adamax' as never })).toThrow(
      /compile: unknown optimizer "adamax"; expected one of sgd, rmsprop, adam, adamw, adagrad/,
    );
    expect(() => model.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['f1' as never] })).toThrow(
      /compile: unknown metric "f1"; expected one of accuracy, binaryAccuracy, mae/,
    );
    expect(() => new Dense(4, 3, { activation: 'swish' as never })).toThrow(/Dense: unknown activation "swish"; expected one of identity, relu/);
    expect(() => new ActivationLayer('swish' as never)).toThrow(/unknown activation "swish"/);
    expect(() => new Dense(4, 3, { kernelInitializer: 'xavier' as never })).toThrow(
      /Dense: unknown kernelInitializer "xavier"; expected one of glorotUniform, glorotNormal, heUniform/,
    );
    expect(() => new Dense(0, 3)).toThrow(/Dense: inputs must be an integer ≥ 1, got 0/);
    expect(() => new Dense(4, 3, { l2: -1 })).toThrow(/Dense: l2 must be a finite number ≥ 0, got -1/);
    expect(() => new Dropout({ rate: 1 })).toThrow(/Dropout: rate must be in \[0, 1\), got 1/);
  });

  it('a non-finite learning rate', () => {
    expect(() => new Adam({ lr: Infinity })).toThrow(/Adam: lr must be a finite number ≥ 0 or a learning-rate schedule, got Infinity/);
    const adam = new Adam();
    expect(() => (adam.lr = NaN)).toThrow(/Adam: lr must be a finite number ≥ 0 or a learning-rate schedule, got NaN/);
  });

  it('fit, trainOnBatch or evaluate before compile', async () => {
    const model = new Sequential([new Dense(4, 3)], { backend: be });
    await expect(model.fit(x, labels)).rejects.toThrow(/fit: the model is not compiled; call model.compile\(\{ loss, optimizer \}\) first/);
    expect(() => model.trainOnBatch(x, labels)).toThrow(/trainOnBatch: the model is not compiled/);
    expect(() => model.evaluate(x, labels)).toThrow(/evaluate: the model is not compiled/);
  });

  it('setWeights of the wrong count or shape leaves the weights unchanged', () => {
    const model = compiled();
    const before = model.getWeights();
    expect(() => model.setWeights(before.slice(0, 3))).toThrow(/setWeights: expected an array of 4 arrays \(dense_0\/kernel, dense_0\/bias, dense_1\/kernel, dense_1\/bias\)/);
    const wrong = [...before];
    wrong[3] = new Float32Array(2);
    expect(() => model.setWeights(wrong)).toThrow(/setWeights: weights\[3\] \(dense_1\/bias, shape \[3\]\) must have 3 values, got Float32Array\(2\)/);
    const nan = before.map((w) => w.slice());
    nan[0]![0] = NaN;
    expect(() => model.setWeights(nan)).toThrow(/non-finite value NaN/);
    expect(model.getWeights()).toEqual(before);
  });

  it('on the float32 WASM backend, weights beyond the float32 range are refused too', async () => {
    const wasm = await wasmFactory.create();
    const model = new Sequential([new Dense(2, 2)], { backend: wasm });
    const before = model.getWeights();
    expect(() => model.setWeights([new Float64Array([1, 2, 1e39, 0]), new Float64Array(2)])).toThrow(
      /setWeights: weights\[0\] \(dense_0\/kernel\) has a non-finite value 1e\+39 at 2, outside the float32 range/,
    );
    expect(model.getWeights()).toEqual(before);
    expect(() => new Sequential([new Dense(2, 2, { biasInitializer: constant(1e39) })], { backend: wasm })).toThrow(
      /dense_0 Dense\(2→2\): biasInitializer gave 1e\+39 at 0 \(dense_0\/bias\); initial values must be finite in float32/,
    );
    model.dispose();
    expect(wasm.memoryStats().liveBuffers).toBe(0);
  });

  it('the model keeps its own list of layers', () => {
    const layers = [new Dense(2, 3), new Dense(3, 1)];
    const model = new Sequential(layers, { backend: be });
    layers.push(new Dense(1, 1));
    expect(model.layers).toHaveLength(2);
    expect(model.predict([1, 2])).toHaveLength(1);
  });

  it('a layer cannot join two models, and a disposed model refuses work', () => {
    const dense = new Dense(2, 2);
    const model = new Sequential([dense], { backend: be });
    expect(() => new Sequential([dense], { backend: be })).toThrow(/layers\[0\] \(dense_0 Dense\(2→2\)\) already belongs to a model/);
    model.dispose();
    expect(() => model.predict([1, 2])).toThrow(/predict: the model has been disposed/);
  });
});
