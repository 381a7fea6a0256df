// A stack of layers trained by backpropagation: the forward pass runs the layers in order, the loss compares the
// output with the targets and gives ∂J/∂output, the backward pass runs the layers in reverse (each accumulating its
// parameter gradients and handing ∂J/∂input to the layer before it), and the optimizer takes one gradient-descent
// step θ ← θ − η·∇J(θ) over the whole parameter arena.
//
// The staging buffers for inputs, targets and the output gradient, like every layer's workspaces, are allocated for
// the largest batch seen and reused, so a steady-state training step allocates nothing.
import type { Backend, Buf } from '../backend/types.js';
import { getBackend } from '../init.js';
import { Random } from '../random.js';
import { Param, ParamArena } from './arena.js';
import type { Logs } from './callbacks.js';
import { toRows, toTargets, type Samples } from './data.js';
import { fit, type FitOptions, type History } from './fit.js';
import { FusedMlp } from './fused/wasm.js';
import { Dense } from './layers/dense.js';
import { Layer } from './layers/layer.js';
import { checkLabels, resolveLoss, targetKind, type Loss, type LossSpec, type TargetKind } from './losses.js';
import { createMetric, type Metric, type MetricName } from './metrics.js';
import { resolveOptimizer, type OptimizerName } from './optimizers/index.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { loadModel, loadWeightsFrom, saveModel } from './save-node.js';
import { fromArtifacts, loadWeights, toArtifacts, type ModelArtifacts } from './serialize.js';
import { checkBoolean, checkPositiveInt, show } from './validate.js';

export interface SequentialOptions {
  /** Seed of the generator behind the initial weights (and dropout masks); default 0. */
  seed?: number;
  /** Default: the backend of the last `init()`. */
  backend?: Backend;
  /** The width of an input row; needed only when the first layer is not Dense. */
  inputSize?: number;
}

export interface CompileOptions {
  loss: LossSpec;
  optimizer: OptimizerName | Optimizer;
  metrics?: MetricName[];
  /**
   * Run each training step of a small Dense-only network (no L2, no metrics) on the WASM backend as one kernel call
   * for forward, loss and backward (assembly/fused/mlp.ts); default true.
   */
  fuse?: boolean;
}

type Flat = Float32Array | Float64Array;

export class Sequential {
  readonly backend: Backend;
  readonly layers: readonly Layer[];
  readonly inputSize: number;
  readonly outputSize: number;
  readonly seed: number;
  /** Every parameter and gradient of the model, in two contiguous buffers. */
  readonly params: ParamArena;
  loss: Loss | null = null;
  optimizer: Optimizer | null = null;
  metrics: Metric[] = [];
  /** Set by a callback to end fit after the current epoch. */
  stopTraining = false;
  private capacity = 0;
  private xStage!: Buf;
  private yStage!: Buf;
  private dOut!: Buf;
  private outHost: Float32Array = new Float32Array(0);
  private fused: FusedMlp | null = null;
  private output: Buf | null = null;
  private rows = 0;
  private disposed = false;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new Error(`Sequential: layers must be a non-empty array of layers, got ${show(layers)}`);
    }
    layers.forEach((layer, i) => {
      if (!(layer instanceof Layer)) throw new Error(`Sequential: layers[${i}] must be a layer, got ${show(layer)}`);
      if (layer.outputSize !== 0) throw new Error(`Sequential: layers[${i}] (${layer.name}) already belongs to a model`);
    });
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed)) throw new Error(`Sequential: seed must be an integer, got ${show(seed)}`);
    this.seed = seed;
    this.backend = options.backend ?? getBackend();
    const first = layers[0]!;
    const inputSize = options.inputSize ?? (first instanceof Dense ? first.inputs : undefined);
    if (inputSize === undefined) {
      throw new Error(`Sequential: the first layer is ${first.type}, not Dense; give options.inputSize (the width of an input row)`);
    }
    checkPositiveInt('Sequential', 'inputSize', inputSize);
    this.inputSize = inputSize;
    this.layers = layers;

    const params: Param[] = [];
    const ctx = {
      backend: this.backend,
      addParam(name: string, shape: number[], fanIn: number, fanOut: number): Param {
        const p = new Param(name, shape, fanIn, fanOut);
        params.push(p);
        return p;
      },
    };
    let width = inputSize;
    layers.forEach((layer, i) => {
      layer.name = `${layer.type.toLowerCase()}_${i}`;
      width = layer.build(ctx, width);
    });
    this.outputSize = width;
    this.params = new ParamArena(this.backend, params);
    const rng = new Random(seed);
    for (const layer of layers) layer.initialize(rng);
  }

  /** Chooses the loss, the optimizer (attached to this model's parameters) and the metrics. */
  compile(options: CompileOptions): void {
    this.checkAlive('compile');
    if (options === null || typeof options !== 'object') throw new Error(`compile: options must be an object, got ${show(options)}`);
    const loss = resolveLoss(options.loss);
    const optimizer = resolveOptimizer(options.optimizer);
    const names = options.metrics ?? [];
    if (!Array.isArray(names)) throw new Error(`compile: metrics must be an array of names, got ${show(names)}`);
    const logits = loss.name === 'binaryCrossEntropy' || loss.name === 'softmaxCrossEntropy';
    const metrics = names.map((name) => createMetric(name, logits));
    const fuse = options.fuse ?? true;
    checkBoolean('compile', 'fuse', fuse);
    // Everything is checked: from here on nothing throws on bad input.
    this.metrics = metrics;
    if (this.optimizer !== null && this.optimizer !== optimizer) this.optimizer.dispose();
    optimizer.attach(this.params);
    this.loss = loss;
    this.optimizer = optimizer;
    this.fused?.dispose();
    this.fused = fuse && this.metrics.length === 0 ? FusedMlp.create(this, loss) : null;
  }

  // ---- the manual path: forward, loss, backward, step ----------------------------------------------------------

  /**
   * Forward pass over a batch: host rows (copied in) or a buffer of this backend holding `rows` rows. Returns the
   * model's output buffer (rows×outputSize), valid until the next forward call.
   */
  forward(x: Samples | Buf, options: { training?: boolean; rows?: number } = {}): Buf {
    this.checkAlive('forward');
    const training = options.training ?? false;
    checkBoolean('forward', 'training', training);
    if (isHostData(x)) {
      const { values, rows } = toRows('forward', 'x', x, this.inputSize);
      if (rows === 0) throw new Error('forward: x is empty; expected at least one row');
      this.reserve(rows);
      this.backend.write(this.xStage, values);
      return this.run(this.xStage, rows, training);
    }
    const rows = options.rows ?? x.length / this.inputSize;
    if (!Number.isInteger(rows) || rows < 1 || rows * this.inputSize > x.length) {
      throw new Error(
        `forward: x is a buffer of ${x.length} values; expected rows (${String(options.rows)}) of ${this.inputSize} values each`,
      );
    }
    this.reserve(rows);
    return this.run(x, rows, training);
  }

  /**
   * The loss of the last forward pass against `y` (host targets, or a buffer of targets with `labels` saying how it is
   * laid out), including the L2 penalties; writes ∂J/∂output into `outputGradient` for backward.
   */
  computeLoss(y: Samples | Buf, options: { labels?: boolean } = {}): number {
    const loss = this.requireLoss('computeLoss');
    if (this.output === null) throw new Error('computeLoss: no forward pass to compare with; call forward first');
    const m = this.rows;
    let kind: TargetKind;
    let target: Buf;
    if (isHostData(y)) {
      const values = toTargets('computeLoss', y);
      kind = targetKind('computeLoss', loss, m, this.outputSize, values.length);
      if (kind === 'labels') checkLabels('computeLoss', values, this.outputSize);
      this.backend.write(this.yStage, values);
      target = this.yStage;
    } else {
      kind = options.labels === true ? 'labels' : 'dense';
      target = y;
    }
    return this.lossOn(loss, kind, m, target, this.dOut);
  }

  /** ∂J/∂output, written by computeLoss. */
  get outputGradient(): Buf {
    this.checkAlive('outputGradient');
    if (this.capacity === 0) throw new Error('outputGradient: no forward pass yet');
    return this.dOut;
  }

  /**
   * Backward pass of the last forward pass from ∂J/∂output (default: the one computeLoss wrote). Accumulates every
   * parameter gradient; returns ∂J/∂input when `inputGradient` is true, else null.
   */
  backward(dOutput?: Buf, options: { inputGradient?: boolean } = {}): Buf | null {
    this.checkAlive('backward');
    if (this.output === null) throw new Error('backward: no forward pass to differentiate; call forward first');
    const m = this.rows;
    let grad: Buf | null = dOutput ?? this.dOut;
    if (grad.length < m * this.outputSize) {
      throw new Error(`backward: dOutput has ${grad.length} values, expected ${m}×${this.outputSize} = ${m * this.outputSize}`);
    }
    const inputGradient = options.inputGradient ?? false;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      grad = this.layers[i]!.backward(grad!, m, i > 0 || inputGradient);
    }
    return grad;
  }

  /** Marks every parameter gradient zero (the next backward overwrites instead of accumulating). */
  zeroGrad(): void {
    this.checkAlive('zeroGrad');
    this.params.zeroGrad();
  }

  /** One training step on one batch: zeroGrad, forward, loss, backward, optimizer step. Returns the loss. */
  trainOnBatch(x: Samples, y: Samples): number {
    this.requireCompiled('trainOnBatch');
    const { values, rows } = toRows('trainOnBatch', 'x', x, this.inputSize);
    if (rows === 0) throw new Error('trainOnBatch: x is empty; expected at least one row');
    const targets = toTargets('trainOnBatch', y);
    const kind = targetKind('trainOnBatch', this.loss!, rows, this.outputSize, targets.length);
    if (kind === 'labels') checkLabels('trainOnBatch', targets, this.outputSize);
    return this.trainRows(values, targets, rows, kind);
  }

  /** @internal One step on the first m rows of host arrays already checked. */
  trainRows(x: Flat, y: Flat, m: number, kind: TargetKind): number {
    this.reserve(m);
    const be = this.backend;
    const yWidth = kind === 'labels' ? 1 : this.outputSize;
    be.write(this.xStage, x.length === m * this.inputSize ? x : x.subarray(0, m * this.inputSize));
    be.write(this.yStage, y.length === m * yWidth ? y : y.subarray(0, m * yWidth));
    if (this.fused !== null && this.metrics.length === 0 && this.fused.accepts(m)) {
      const grads = this.params.gradsToOverwrite();
      const loss = this.fused.run(m, kind, this.xStage, this.yStage, this.params.values, grads);
      this.output = null; // the layers' buffers do not hold this pass
      this.optimizer!.step();
      return loss;
    }
    this.params.zeroGrad();
    const out = this.run(this.xStage, m, true);
    if (this.metrics.length > 0) this.updateMetrics(out, y, kind, m);
    const loss = this.lossOn(this.loss!, kind, m, this.yStage, this.dOut);
    this.backward();
    this.optimizer!.step();
    return loss;
  }

  // ---- inference -------------------------------------------------------------------------------------------------

  /** The model's outputs for every row of x, computed in batches (inference mode: no dropout). */
  predict(x: Samples, options: { batchSize?: number } = {}): Float32Array {
    this.checkAlive('predict');
    const batchSize = options.batchSize ?? 256;
    checkPositiveInt('predict', 'batchSize', batchSize);
    const { values, rows } = toRows('predict', 'x', x, this.inputSize);
    const result = new Float32Array(rows * this.outputSize);
    const be = this.backend;
    this.reserve(Math.min(batchSize, rows));
    for (let start = 0; start < rows; start += batchSize) {
      const m = Math.min(batchSize, rows - start);
      be.write(this.xStage, values.subarray(start * this.inputSize, (start + m) * this.inputSize));
      const out = this.run(this.xStage, m, false);
      const n = m * this.outputSize;
      be.read(be.view(out, 0, n), result.subarray(start * this.outputSize, start * this.outputSize + n));
    }
    return result;
  }

  /** The loss (with L2 penalties) and every compiled metric over (x, y), in batches, in inference mode. */
  evaluate(x: Samples, y: Samples, options: { batchSize?: number } = {}): Logs {
    const loss = this.requireLoss('evaluate');
    const batchSize = options.batchSize ?? 256;
    checkPositiveInt('evaluate', 'batchSize', batchSize);
    const { values, rows } = toRows('evaluate', 'x', x, this.inputSize);
    if (rows === 0) throw new Error('evaluate: x is empty; expected at least one sample');
    const targets = toTargets('evaluate', y);
    const kind = targetKind('evaluate', loss, rows, this.outputSize, targets.length);
    if (kind === 'labels') checkLabels('evaluate', targets, this.outputSize);
    return this.evaluateRows(values, targets, rows, kind, batchSize);
  }

  /** @internal evaluate on host arrays already checked. */
  evaluateRows(x: Flat, y: Flat, rows: number, kind: TargetKind, batchSize: number): Logs {
    const be = this.backend;
    const yWidth = kind === 'labels' ? 1 : this.outputSize;
    for (const metric of this.metrics) metric.reset();
    this.reserve(Math.min(batchSize, rows));
    let sum = 0;
    for (let start = 0; start < rows; start += batchSize) {
      const m = Math.min(batchSize, rows - start);
      be.write(this.xStage, x.subarray(start * this.inputSize, (start + m) * this.inputSize));
      const yBatch = y.subarray(start * yWidth, (start + m) * yWidth);
      be.write(this.yStage, yBatch);
      const out = this.run(this.xStage, m, false);
      if (this.metrics.length > 0) this.updateMetrics(out, yBatch, kind, m);
      sum += m * this.loss!.compute(be, kind, m, this.outputSize, out, this.yStage, null);
    }
    const logs: Logs = { loss: sum / rows + this.penalty() };
    for (const metric of this.metrics) logs[metric.name] = metric.result();
    return logs;
  }

  /** Trains for some epochs; see FitOptions. */
  fit(x: Samples, y: Samples, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  // ---- weights ---------------------------------------------------------------------------------------------------

  /** Every parameter's values, in layer order (kernel then bias), as Float32Arrays. */
  getWeights(): Float32Array[] {
    this.checkAlive('getWeights');
    return this.params.params.map((p) => this.backend.read(p.value, new Float32Array(p.size)));
  }

  /** Sets every parameter from arrays in the order of getWeights; checks them all before writing any. */
  setWeights(weights: ArrayLike<number>[]): void {
    this.checkAlive('setWeights');
    const params = this.params.params;
    if (!Array.isArray(weights) || weights.length !== params.length) {
      throw new Error(`setWeights: expected an array of ${params.length} arrays (${params.map((p) => p.name).join(', ')}), got ${show(weights)}`);
    }
    params.forEach((p, i) => {
      const w = weights[i];
      if (w === null || typeof w !== 'object' || w.length !== p.size) {
        throw new Error(`setWeights: weights[${i}] (${p.name}, shape [${p.shape.join(', ')}]) must have ${p.size} values, got ${show(w)}`);
      }
      for (let j = 0; j < w.length; j++) {
        if (!Number.isFinite(w[j])) throw new Error(`setWeights: weights[${i}] (${p.name}) has a non-finite value ${w[j]} at ${j}`);
      }
    });
    params.forEach((p, i) => this.backend.write(p.value, weights[i]!));
  }

  // ---- saving and loading ----------------------------------------------------------------------------------------

  /** The model as a JSON manifest and an ArrayBuffer of little-endian float32 weights (for browsers, or any store). */
  toArtifacts(): ModelArtifacts {
    this.checkAlive('toArtifacts');
    return toArtifacts(this);
  }

  /** A new model from toArtifacts() output. */
  static fromArtifacts(artifacts: ModelArtifacts, options: { backend?: Backend } = {}): Sequential {
    return fromArtifacts(artifacts, options.backend);
  }

  /** Node: writes model.json and weights.bin into `dir` (via a temporary directory renamed into place). */
  save(dir: string): Promise<void> {
    this.checkAlive('save');
    return saveModel(this, dir);
  }

  /** Node: a new model from a directory written by save(). */
  static load(dir: string, options: { backend?: Backend } = {}): Promise<Sequential> {
    return loadModel(dir, options.backend);
  }

  /**
   * Replaces this model's weights with saved ones (artifacts, or in Node a directory) of the same architecture. A
   * wrong version, a truncated binary or a shape mismatch throws and leaves the weights as they were.
   */
  loadWeights(source: ModelArtifacts | string): Promise<void> {
    this.checkAlive('loadWeights');
    if (typeof source === 'string') return loadWeightsFrom(this, source);
    try {
      loadWeights(this, source);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A table of the layers, their output widths and parameter counts. */
  summary(): string {
    const lines = ['layer               output   params'];
    let total = 0;
    for (const layer of this.layers) {
      const count = layer.params().reduce((s, p) => s + p.size, 0);
      total += count;
      lines.push(`${layer.name.padEnd(20)}${String(layer.outputSize).padStart(6)}${String(count).padStart(9)}`);
    }
    lines.push(`total parameters: ${total}`);
    return lines.join('\n');
  }

  /** Frees every buffer the model holds (layers, arenas, staging) and its optimizer's state. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer?.dispose();
    this.fused?.dispose();
    for (const layer of this.layers) layer.dispose();
    this.releaseStage();
    this.params.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  private run(x: Buf, m: number, training: boolean): Buf {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h, m, training);
    this.output = h;
    this.rows = m;
    return h;
  }

  private lossOn(loss: Loss, kind: TargetKind, m: number, target: Buf, grad: Buf | null): number {
    return loss.compute(this.backend, kind, m, this.outputSize, this.output!, target, grad) + this.penalty();
  }

  private penalty(): number {
    let sum = 0;
    for (const layer of this.layers) if (layer instanceof Dense && layer.l2 > 0) sum += layer.penalty();
    return sum;
  }

  private updateMetrics(out: Buf, y: Flat, kind: TargetKind, m: number): void {
    this.backend.read(out, this.outHost);
    for (const metric of this.metrics) metric.update(this.outHost, y, kind, m, this.outputSize);
  }

  /** Makes every batch buffer hold `rows` rows (grows only). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.releaseStage();
    const be = this.backend;
    this.xStage = be.alloc(rows * this.inputSize);
    this.yStage = be.alloc(rows * this.outputSize);
    this.dOut = be.alloc(rows * this.outputSize);
    this.outHost = new Float32Array(rows * this.outputSize);
    this.capacity = rows;
    for (const layer of this.layers) layer.reserve(rows);
  }

  private releaseStage(): void {
    if (this.capacity === 0) return;
    for (const buf of [this.xStage, this.yStage, this.dOut]) this.backend.free(buf);
    this.capacity = 0;
    this.output = null;
  }

  private checkAlive(where: string): void {
    if (this.disposed) throw new Error(`${where}: the model has been disposed`);
  }

  private requireLoss(where: string): Loss {
    this.checkAlive(where);
    if (this.loss === null) throw new Error(`${where}: the model is not compiled; call model.compile({ loss, optimizer }) first`);
    return this.loss;
  }

  /** @internal */
  requireCompiled(where: string): void {
    this.requireLoss(where);
  }
}

function isHostData(x: Samples | Buf): x is Samples {
  return ArrayBuffer.isView(x) || Array.isArray(x);
}
