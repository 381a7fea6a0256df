// The smaller parts: initializers (seeded, with the stated variances), dropout (seeded mask, scaled by 1/(1 − rate),
// off at inference), metrics, and reduce-on-plateau.
import { describe, expect, it } from 'vitest';
import { RefBackend } from '../../src/backend/ref/backend.js';
import { ReduceLROnPlateau } from '../../src/nn/callbacks.js';
import { constant, initializers, type InitializerName } from '../../src/nn/initializers.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { createMetric } from '../../src/nn/metrics.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { Sequential } from '../../src/nn/sequential.js';
import { Random } from '../../src/random.js';

const be = new RefBackend({ dtype: 'f64' });

describe('initializers', () => {
  const [fanIn, fanOut, n] = [300, 100, 60000];
  const expected: Record<InitializerName, [mean: number, variance: number]> = {
    glorotUniform: [0, 2 / (fanIn + fanOut)],
    glorotNormal: [0, 2 / (fanIn + fanOut)],
    heUniform: [0, 2 / fanIn],
    heNormal: [0, 2 / fanIn],
    lecunUniform: [0, 1 / fanIn],
    lecunNormal: [0, 1 / fanIn],
    zeros: [0, 0],
    ones: [1, 0],
  };
  for (const [name, [mean, variance]] of Object.entries(expected) as [InitializerName, [number, number]][]) {
    it(`${name}: mean ${mean}, variance as stated, the same values for the same seed`, () => {
      const a = new Float64Array(n);
      initializers[name](a, fanIn, fanOut, new Random(5));
      const b = new Float64Array(n);
      initializers[name](b, fanIn, fanOut, new Random(5));
      expect(b).toEqual(a);
      const m = a.reduce((s, v) => s + v, 0) / n;
      const v = a.reduce((s, x) => s + (x - m) ** 2, 0) / n;
      // Sample statistics of n draws: the mean within 5 standard errors √(σ²/n), the variance within 5% (its
      // relative standard error is about √(2/n) ≈ 0.6% for the normal, less for the uniform).
      expect(Math.abs(m - mean)).toBeLessThanOrEqual(5 * Math.sqrt(variance / n) + 1e-15);
      expect(Math.abs(v - variance)).toBeLessThanOrEqual(0.05 * variance + 1e-15);
      if (name.endsWith('Uniform')) expect(Math.max(...a.map(Math.abs))).toBeLessThan(Math.sqrt(3 * variance));
    });
  }

  it('constant, and a model built twice with the same seed', () => {
    const a = new Float64Array(3);
    constant(2.5)(a, 1, 1, new Random(0));
    expect(Array.from(a)).toEqual([2.5, 2.5, 2.5]);
    const make = (seed: number) => new Sequential([new Dense(3, 4, { kernelInitializer: 'heNormal', biasInitializer: 'ones' })], { backend: be, seed });
    expect(make(7).getWeights()).toEqual(make(7).getWeights());
    expect(make(7).getWeights()[0]).not.toEqual(make(8).getWeights()[0]);
    expect(Array.from(make(7).getWeights()[1]!)).toEqual([1, 1, 1, 1]);
  });
});

describe('dropout', () => {
  it('while training zeroes about rate of the inputs and scales the rest by 1/(1 − rate); backward uses the same mask', () => {
    const rate = 0.25;
    const model = new Sequential([new Dropout({ rate, seed: 3 })], { backend: be, inputSize: 400 });
    const x = new Float64Array(800).fill(2);
    const y = be.read(model.forward(x, { training: true }), new Float64Array(800));
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([2 / (1 - rate)]));
    // 800 Bernoulli(0.75) draws: kept count within 4 standard deviations √(800·0.75·0.25) ≈ 12.2 of 600.
    expect(Math.abs(kept.length - 600)).toBeLessThan(4 * 12.3);
    const dy = be.alloc(800);
    be.fill(800, 1, dy);
    const dx = be.read(model.backward(dy, { inputGradient: true })!, new Float64Array(800));
    dx.forEach((g, i) => expect(g).toBe(y[i]! / 2));
    const inference = be.read(model.forward(x), new Float64Array(800));
    expect(Array.from(inference)).toEqual(Array.from(x));
    model.dispose();
  });
});

describe('metrics', () => {
  it('accuracy against labels and one-hot rows; binary accuracy with a threshold; mae', () => {
    const pred = [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.0, 0.1, 0.9];
    const acc = createMetric('accuracy', true);
    acc.update(pred, [1, 1, 2], 'labels', 3, 3);
    expect(acc.result()).toBeCloseTo(2 / 3, 15);
    acc.update(pred, [0, 1, 0, 1, 0, 0, 0, 0, 1], 'dense', 3, 3);
    expect(acc.result()).toBeCloseTo(5 / 6, 15);
    acc.reset();
    acc.update([0.3, -0.2], [1, 1], 'dense', 2, 1); // one output: binary, threshold 0 for logits
    expect(acc.result()).toBe(0.5);
    const bin = createMetric('binaryAccuracy', false);
    bin.update([0.6, 0.4, 0.2, 0.9], [1, 1, 0, 0], 'dense', 4, 1);
    expect(bin.result()).toBe(0.5);
    const mae = createMetric('mae', false);
    mae.update([1, 2, 3, 4], [1, 1, 1, 1], 'dense', 2, 2);
    expect(mae.result()).toBe(1.5);
    expect(() => mae.update([1], [0], 'labels', 1, 1)).toThrow(/metric mae: needs dense targets/);
  });
});

describe('reduce on plateau', () => {
  it('multiplies the learning rate by factor after patience epochs without improvement, down to minLr', () => {
    const model = new Sequential([new Dense(1, 1)], { backend: be });
    const sgd = new SGD({ lr: 1 });
    model.compile({ loss: 'mse', optimizer: sgd });
    const plateau = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, minLr: 0.2 });
    plateau.setModel(model);
    plateau.onTrainBegin();
    const lrs = [5, 4, 4, 4, 4, 4, 4, 4, 4].map((loss, epoch) => {
      plateau.onEpochEnd(epoch, { loss });
      return sgd.lr;
    });
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2]);
  });
});
