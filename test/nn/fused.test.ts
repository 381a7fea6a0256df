// The fused small-MLP pass (assembly/fused/mlp.ts) against its reference twin (src/nn/fused/reference.ts) on seeded
// random inputs: every activation and loss, with and without bias, batch sizes 1, odd and around the SIMD width, one to
// three layers. Then whole training runs with and without fusion on the WASM backend.
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation, type Backend, type Buf } from '../../src/backend/types.js';
import { describeLayers, lossCode, workspaceFloats } from '../../src/nn/fused/plan.js';
import { mlpForwardBackwardReference } from '../../src/nn/fused/reference.js';
import type { FusedMlp } from '../../src/nn/fused/wasm.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { resolveLoss, type LossSpec, type TargetKind } from '../../src/nn/losses.js';
import { SGD } from '../../src/nn/optimizers/sgd.js';
import { Sequential } from '../../src/nn/sequential.js';
import { refFactory, wasmFactory } from '../helpers/backends.js';
import { expectClose } from '../helpers/close.js';
import { bufferOf, randomRows } from './helpers.js';

interface Case {
  widths: number[];
  acts: Activation[];
  bias: boolean;
  m: number;
  loss: LossSpec;
  kind: TargetKind;
}

function targetsFor(c: Case, seed: number): Float64Array {
  const n = c.widths.at(-1)!;
  if (c.kind === 'labels') return randomRows(c.m, 1, seed, 0, n).map(Math.floor);
  if (c.loss === 'binaryCrossEntropy') return randomRows(c.m, n, seed, 0, 1);
  if (c.loss === 'softmaxCrossEntropy') {
    const t = new Float64Array(c.m * n);
    for (let i = 0; i < c.m; i++) t[i * n + ((i * 7) % n)] = 1;
    return t;
  }
  return randomRows(c.m, n, seed);
}

function modelFor(be: Backend, c: Case, seed: number): Sequential {
  const layers = c.acts.map((act, l) => new Dense(c.widths[l]!, c.widths[l + 1]!, { activation: act, useBias: c.bias }));
  return new Sequential(layers, { backend: be, seed });
}

const CASES: Case[] = [];
ACTIVATIONS.forEach((act, i) =>
  CASES.push({ widths: [3, 5, 2], acts: [act, 'identity'], bias: true, m: [1, 4, 5, 7][i % 4]!, loss: 'mse', kind: 'dense' }),
);
for (const [loss, kind] of [
  ['mse', 'dense'],
  ['mae', 'dense'],
  [{ name: 'huber', delta: 0.3 }, 'dense'],
  ['binaryCrossEntropy', 'dense'],
  ['softmaxCrossEntropy', 'labels'],
  ['softmaxCrossEntropy', 'dense'],
] as [LossSpec, TargetKind][]) {
  CASES.push({ widths: [4, 8, 8, 3], acts: ['tanh', 'relu', 'identity'], bias: true, m: 9, loss, kind });
}
CASES.push({ widths: [2, 8, 1], acts: ['tanh', 'identity'], bias: false, m: 4, loss: 'mse', kind: 'dense' });
CASES.push({ widths: [17, 16, 15], acts: ['sigmoid', 'gelu'], bias: true, m: 33, loss: 'mse', kind: 'dense' });
CASES.push({ widths: [1, 1], acts: ['elu'], bias: true, m: 1, loss: 'mse', kind: 'dense' });

const EPS = 2 ** -23;

describe('fused MLP pass (WASM) = its reference twin', () => {
  for (const [i, c] of CASES.entries()) {
    const label = `${c.widths.join('-')} ${c.acts.join('/')} ${c.bias ? 'bias' : 'no bias'} m=${c.m} ${JSON.stringify(c.loss)} ${c.kind}`;
    it(label, async () => {
      const wasm = await wasmFactory.create();
      const results: { loss: number; grads: Float32Array }[] = [];
      for (const [be, fused] of [
        [wasm, true],
        [await refFactory.create(), false],
        [wasm, false],
      ] as [Backend, boolean][]) {
        const model = modelFor(be, c, 100 + i);
        model.compile({ loss: c.loss, optimizer: new SGD({ lr: 0 }) });
        const x = bufferOf(be, randomRows(c.m, c.widths[0]!, 200 + i));
        const y = bufferOf(be, targetsFor(c, 300 + i));
        const grads = model.params.gradsToOverwrite();
        be.fill(model.params.length, NaN, grads); // every gradient must be overwritten (padding aside)
        let loss: number;
        if (fused) {
          const runner = (model as unknown as { fused: FusedMlp | null }).fused;
          expect(runner).not.toBeNull();
          loss = runner!.run(c.m, c.kind, x, y, model.params.values, grads);
        } else {
          const desc = describeLayers(model.layers)!;
          const work = be.alloc(workspaceFloats(desc, c.m));
          const code = lossCode(resolveLoss(c.loss), c.kind);
          loss = mlpForwardBackwardReference(be, desc, c.m, x, y, model.params.values, grads, work, code, resolveLoss(c.loss).delta ?? 1);
          be.free(work);
        }
        const all = new Float32Array(model.params.length);
        be.read(grads, all);
        const live = model.params.params.flatMap((p) => Array.from(all.subarray(p.offset, p.offset + p.size)));
        results.push({ loss, grads: Float32Array.from(live) });
        model.dispose();
        be.free(x);
        be.free(y);
      }
      // Error analysis: each value is a sum of at most K = max(widths, m) products per layer, rounded in f32 on WASM
      // (≤ K·ε relative to the sum of magnitudes) and passed through L layers forward and back, plus the activation
      // approximations (a few ulps). Bound: 32·L·K·ε relative to the largest gradient.
      const L = c.acts.length;
      const K = Math.max(...c.widths, c.m);
      const [fusedResult, refTwin, wasmTwin] = results as [typeof results[0], typeof results[0], typeof results[0]];
      for (const twin of [refTwin, wasmTwin]) {
        const scale = Math.max(...twin.grads.map(Math.abs), 1e-3);
        expectClose(fusedResult.grads, twin.grads, { atol: 32 * L * K * EPS * scale }, 'nnFusedPass gradients');
        expect(Math.abs(fusedResult.loss - twin.loss)).toBeLessThanOrEqual(32 * L * K * EPS * Math.max(1, Math.abs(twin.loss)));
      }
    });
  }
});

describe('training with and without the fused pass (WASM)', () => {
  it('XOR: 200 SGD steps with momentum follow the same trajectory', async () => {
    const be = await wasmFactory.create();
    const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
    const y = new Float32Array([0, 1, 1, 0]);
    const run = (fuse: boolean) => {
      const model = new Sequential([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1)], { backend: be, seed: 1 });
      model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1, momentum: 0.5 }), fuse });
      expect((model as unknown as { fused: FusedMlp | null }).fused !== null).toBe(fuse);
      const losses = Array.from({ length: 200 }, () => model.trainOnBatch(x, y));
      const weights = model.getWeights();
      model.dispose();
      return { losses, weights };
    };
    const fused = run(true);
    const plain = run(false);
    // Summation order differs (row loops vs the blocked GEMM): ~ε per step, compounding over 200 steps of a
    // contracting iteration; relative 1e-4 leaves a wide margin while any wrong gradient would be off by O(1).
    expectClose(fused.losses, plain.losses, { rtol: 1e-4, atol: 1e-7 }, 'nnFusedTraining losses');
    fused.weights.forEach((w, i) => {
      expectClose(w, plain.weights[i]!, { rtol: 1e-4, atol: 1e-6 }, 'nnFusedTraining weights');
    });
  });

  it('is not used for large layers, L2 penalties, metrics, or the reference backend', async () => {
    const wasm = await wasmFactory.create();
    const ref = await refFactory.create();
    const fusedOf = (m: Sequential) => (m as unknown as { fused: Buf | null }).fused;
    const cases: [Backend, Dense[], string[]][] = [
      [wasm, [new Dense(784, 128), new Dense(128, 10)], []],
      [wasm, [new Dense(2, 8, { l2: 0.1 }), new Dense(8, 1)], []],
      [wasm, [new Dense(2, 8), new Dense(8, 1)], ['mae']],
      [ref, [new Dense(2, 8), new Dense(8, 1)], []],
    ];
    for (const [be, layers, metrics] of cases) {
      const model = new Sequential(layers, { backend: be });
      model.compile({ loss: 'mse', optimizer: 'sgd', metrics: metrics as never });
      expect(fusedOf(model)).toBeNull();
      model.dispose();
    }
  });
});
