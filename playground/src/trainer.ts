// The network the playground trains, free of the DOM so that it runs in the Web Worker (and in Node tests): the
// state's features → hidden Dense layers → one logit, binary cross-entropy against the 0/1 labels, trained an epoch
// at a time in seeded mini-batches with wasmgrad's own layers and optimizers.
import type { Backend, Buf } from '../../src/backend/types.js';
import { createOptimizer } from '../../src/cli/optimizers.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Sequential } from '../../src/nn/sequential.js';
import { Random } from '../../src/random.js';
import { GRID, gridPoints, makePoints, type SplitPoints } from './data.js';
import { featureMatrix } from './features.js';
import type { PlaygroundState } from './state.js';

export interface Snapshot {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** P(class 1) at each grid cell, row-major from the top-left (x₁ = −6, x₂ = +6). */
  output: Float32Array;
  /** Per hidden layer: GRID² × units activations, row-major (cell, unit). */
  hidden: Float32Array[];
  /** Per Dense layer, its weight matrix W (inputs × outputs, row-major), for drawing the links. */
  weights: Float32Array[];
}

export class Trainer {
  readonly data: SplitPoints;
  epoch = 0;
  private readonly model: Sequential;
  private readonly trainX: Float32Array;
  private readonly testX: Float32Array;
  private readonly gridBuf: Buf;
  private readonly batchX: Float32Array;
  private readonly batchY: Float32Array;
  private readonly order: Uint32Array;
  private readonly rng: Random;

  constructor(
    private readonly backend: Backend,
    private readonly state: PlaygroundState,
  ) {
    this.data = makePoints(state.dataset, state.noise, state.trainPercent, state.seed);
    this.trainX = featureMatrix(this.data.train.xy, state.features);
    this.testX = featureMatrix(this.data.test.xy, state.features);
    const widths = [state.features.length, ...state.layers];
    const layers = state.layers.map(
      (units, i) => new Dense(widths[i]!, units, { activation: state.activation, l2: state.l2 }),
    );
    layers.push(new Dense(widths[widths.length - 1]!, 1, { l2: state.l2 }));
    this.model = new Sequential(layers, { seed: state.seed, backend });
    this.model.compile({ loss: 'binaryCrossEntropy', optimizer: createOptimizer(state.optimizer, state.lr) });
    const d = state.features.length;
    this.gridBuf = backend.alloc(GRID * GRID * d);
    backend.write(this.gridBuf, featureMatrix(gridPoints(), state.features));
    this.batchX = new Float32Array(state.batchSize * d);
    this.batchY = new Float32Array(state.batchSize);
    this.order = new Uint32Array(this.data.train.n);
    this.rng = new Random(state.seed ^ 0x0ba7c4);
  }

  /** One epoch: the training points in a seeded random order, in mini-batches of the state's batch size. */
  trainEpoch(): void {
    const { n } = this.data.train;
    const d = this.state.features.length;
    const size = this.state.batchSize;
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.rng.shuffle(this.order);
    for (let start = 0; start < n; start += size) {
      const m = Math.min(size, n - start);
      for (let j = 0; j < m; j++) {
        const row = this.order[start + j]!;
        this.batchX.set(this.trainX.subarray(row * d, (row + 1) * d), j * d);
        this.batchY[j] = this.data.train.label[row]!;
      }
      this.model.trainOnBatch(this.batchX.subarray(0, m * d), this.batchY.subarray(0, m));
    }
    this.epoch++;
  }

  /** Losses on both sets and the output and hidden activations over the grid. */
  snapshot(): Snapshot {
    const trainLoss = this.model.evaluate(this.trainX, this.data.train.label).loss!;
    const testLoss = this.model.evaluate(this.testX, this.data.test.label).loss!;
    const be = this.backend;
    const rows = GRID * GRID;
    this.model.reserve(rows);
    const hidden: Float32Array[] = [];
    let h = this.gridBuf;
    let output = new Float32Array(0);
    this.model.layers.forEach((layer, i) => {
      h = layer.forward(h, rows, false);
      const values = be.read(be.view(h, 0, rows * layer.outputSize), new Float32Array(rows * layer.outputSize));
      if (i < this.model.layers.length - 1) hidden.push(values);
      else output = values.map((z) => 1 / (1 + Math.exp(-z)));
    });
    const weights = this.model.layers.map((layer) => {
      const kernel = (layer as Dense).kernel;
      return be.read(kernel.value, new Float32Array(kernel.size));
    });
    return { epoch: this.epoch, trainLoss, testLoss, output, hidden, weights };
  }

  dispose(): void {
    this.model.dispose();
    this.backend.free(this.gridBuf);
  }
}
