// Training steps (issue 4): whole steps of forward pass, loss, backward pass and optimizer update through the public
// API (model.trainOnBatch), next to what the same step's matrix products alone take.
//
// MLP: 784-128-10, ReLU, softmax cross-entropy with integer labels, Adam, batch 64, cycling over 8 seeded batches.
//   "its GEMMs alone" times the four products the step runs (x·W₁, h·W₂, hᵀ·dz₂ and dz₂·W₂ᵀ, xᵀ·dz₁; the first
//   layer's input gradient is never formed), in samples/s too: step time ÷ GEMM time = GEMM rate ÷ step rate.
//   "its Adam update alone" times the step's optimizer.step() (one kernel call over the 101,770 parameters), the
//   largest part of the step that is not a product.
//   Each MLP case runs for WARM_UP_MS before it is timed: a step's kernels and JavaScript reach their optimized code
//   over its first ~200 calls (measured in a fresh process: the first 200 steps 4–6 % slower than the later ones),
//   more than the runner's 100 ms warm-up covers.
// XOR: 2-8-1, tanh, mse, SGD(lr 0.1), batch 4, with the fused small-network pass (one WASM call for forward, loss and
//   backward) and without it.
import { Adam, Dense, Random, SGD, Sequential, type Backend, type Buf } from 'wasmgrad';
import { freeAll, randomBuffer } from '../core/fill.js';
import type { BenchCase, Prepared, Suite } from '../core/types.js';

const BATCH = 64;
const BATCHES = 8;
const [IN, HIDDEN, OUT] = [784, 128, 10];
const WARM_UP_MS = 300;

/** `prepared`, after running it for WARM_UP_MS. */
function warmedUp(prepared: Prepared): Prepared {
  const end = performance.now() + WARM_UP_MS;
  while (performance.now() < end) prepared.run();
  return prepared;
}

/** The MLP, compiled with Adam, and its BATCHES seeded batches. */
function mlp(be: Backend) {
  const rng = new Random(7);
  const x = Float32Array.from({ length: BATCHES * BATCH * IN }, () => rng.next());
  const y = Float32Array.from({ length: BATCHES * BATCH }, () => rng.int(OUT));
  const model = new Sequential([new Dense(IN, HIDDEN, { activation: 'relu' }), new Dense(HIDDEN, OUT)], { backend: be, seed: 42 });
  const optimizer = new Adam({ lr: 1e-3 });
  model.compile({ loss: 'softmaxCrossEntropy', optimizer });
  const xs = Array.from({ length: BATCHES }, (_, b) => x.subarray(b * BATCH * IN, (b + 1) * BATCH * IN));
  const ys = Array.from({ length: BATCHES }, (_, b) => y.subarray(b * BATCH, (b + 1) * BATCH));
  return { model, optimizer, xs, ys };
}

function mlpStep(be: Backend): Prepared {
  const { model, xs, ys } = mlp(be);
  let b = 0;
  return warmedUp({
    run: () => {
      model.trainOnBatch(xs[b]!, ys[b]!);
      b = (b + 1) % BATCHES;
    },
    dispose: () => model.dispose(),
  });
}

function mlpAdam(be: Backend): Prepared {
  const { model, optimizer, xs, ys } = mlp(be);
  model.trainOnBatch(xs[0]!, ys[0]!); // gradients and moments as a training step leaves them
  return warmedUp({ run: () => optimizer.step(), dispose: () => model.dispose() });
}

function mlpGemms(be: Backend): Prepared {
  const bufs: Buf[] = [
    randomBuffer(be, BATCH * IN, 1, 0, 1), // x
    randomBuffer(be, IN * HIDDEN, 2, -0.05, 0.05), // W₁
    randomBuffer(be, BATCH * HIDDEN, 3), // h
    randomBuffer(be, HIDDEN * OUT, 4, -0.1, 0.1), // W₂
    randomBuffer(be, BATCH * OUT, 5), // z₂ / dz₂
    randomBuffer(be, HIDDEN * OUT, 6), // dW₂
    randomBuffer(be, BATCH * HIDDEN, 7), // dz₁
    randomBuffer(be, IN * HIDDEN, 8), // dW₁
  ];
  const [x, w1, h, w2, z2, dw2, dz1, dw1] = bufs as [Buf, Buf, Buf, Buf, Buf, Buf, Buf, Buf];
  return warmedUp({
    run: () => {
      be.gemm(false, false, BATCH, HIDDEN, IN, 1, x, IN, w1, HIDDEN, 0, h, HIDDEN);
      be.gemm(false, false, BATCH, OUT, HIDDEN, 1, h, HIDDEN, w2, OUT, 0, z2, OUT);
      be.gemm(true, false, HIDDEN, OUT, BATCH, 1, h, HIDDEN, z2, OUT, 0, dw2, OUT);
      be.gemm(false, true, BATCH, HIDDEN, OUT, 1, z2, OUT, w2, OUT, 0, dz1, HIDDEN);
      be.gemm(true, false, IN, HIDDEN, BATCH, 1, x, IN, dz1, HIDDEN, 0, dw1, HIDDEN);
    },
    dispose: () => freeAll(be, bufs),
  });
}

function xorStep(fuse: boolean) {
  return (be: Backend): Prepared => {
    const model = new Sequential([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1)], { backend: be, seed: 1 });
    model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }), fuse });
    const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
    const y = new Float32Array([0, 1, 1, 0]);
    return { run: () => void model.trainOnBatch(x, y), dispose: () => model.dispose() };
  };
}

export const trainingMlpSuite: Suite = {
  name: 'training-mlp',
  title: 'Training step: MLP 784-128-10, ReLU, softmax cross-entropy, Adam, batch 64',
  unit: 'samples/s',
  unitScale: 1,
  cases: (): BenchCase[] => [
    { name: 'train step (trainOnBatch)', work: BATCH, prepare: mlpStep },
    { name: 'its GEMMs alone', work: BATCH, prepare: mlpGemms },
    { name: 'its Adam update alone', work: BATCH, prepare: mlpAdam },
  ],
};

export const trainingXorSuite: Suite = {
  name: 'training-xor',
  title: 'Training step: XOR 2-8-1, tanh, mse, SGD, batch 4',
  unit: 'steps/s',
  unitScale: 1,
  cases: (): BenchCase[] => [
    { name: 'train step (fused pass)', work: 1, prepare: xorStep(true) },
    { name: 'train step (layer by layer)', work: 1, prepare: xorStep(false) },
  ],
};
