// A stack of layers trained by backpropagation: the forward pass runs the layers in order, the loss compares the
// output with the targets and gives ∂J/∂output, the backward pass runs the layers in reverse (each accumulating its
// parameter gradients and handing ∂J/∂input to the layer before it), and the optimizer takes one gradient-descent
// step θ ← θ − η·∇J(θ) over the whole parameter arena.
//
// Assembling the layers lives in assemble.ts, the batch buffers in batch-stage.ts, the training loop in fit.ts and
// saving in serialize.ts / save-node.ts; this file is the model itself: compile, the manual path, one training step,
// inference, weights and dispose.
import type { Backend, Buf } from '../backend/types.js';
import { assemble, type SequentialOptions } from './assemble.js';
import { ParamArena } from './arena.js';
import { BatchStage } from './batch-stage.js';
import type { Logs } from './callbacks.js';
import type { Flat, Samples } from './data.js';
import { fit, type FitOptions, type History } from './fit.js';
import { FusedMlp } from './fused/wasm.js';
import { Dense } from './layers/dense.js';
import type { Layer } from './layers/layer.js';
import { resolveLoss, type Loss, type LossSpec, type TargetKind } from './losses.js';
import { createMetric, type Metric, type MetricName } from './metrics.js';
import { datasetFor, inputRows, targetsFor, type Dataset } from './model-data.js';
import { resolveOptimizer, type OptimizerName } from './optimizers/index.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { loadModel, loadWeightsFrom, saveModel } from './save-node.js';
import { fromArtifacts, loadWeights, toArtifacts, type ModelArtifacts } from './serialize.js';
import { checkBoolean, checkPositiveInt, show } from './validate.js';
import { readWeights, writeWeights } from './weights.js';

export type { SequentialOptions } from './assemble.js';

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
  /** The compiled metrics, as accumulated over the training batches of the current epoch. */
  metrics: Metric[] = [];
  /** Set by a callback to end fit after the current epoch. */
  stopTraining = false;
  /** @internal True while fit runs. */
  fitting = false;
  private readonly stage: BatchStage;
  /** Separate instances for evaluate, so that evaluating in a batch callback leaves the epoch's training metrics be. */
  private evalMetrics: Metric[] = [];
  private fused: FusedMlp | null = null;
  private output: Buf | null = null;
  private rows = 0;
  private disposed = false;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    const assembly = assemble(layers, options);
    this.backend = assembly.backend;
    this.seed = assembly.seed;
    this.inputSize = assembly.inputSize;
    this.outputSize = assembly.outputSize;
    this.params = assembly.params;
    this.layers = [...layers];
    this.stage = new BatchStage(this.backend, this.inputSize, this.outputSize);
  }

  /**
   * Chooses the loss, the optimizer (attached to this model's parameters) and the metrics. Compiling again with the
   * optimizer already in use keeps its state and step count; another optimizer starts fresh (the old one is disposed).
   */
  compile(options: CompileOptions): void {
    this.checkAlive('compile');
    if (this.fitting) throw new Error('compile: the model is training (fit has not finished)');
    if (options === null || typeof options !== 'object') throw new Error(`compile: options must be an object, got ${show(options)}`);
    const loss = resolveLoss(options.loss);
    const optimizer = resolveOptimizer(options.optimizer);
    if (optimizer.isAttached && !optimizer.isAttachedTo(this.params)) {
      throw new Error(`compile: this ${optimizer.constructor.name} already updates another model's parameters; give each model its own optimizer`);
    }
    const names = options.metrics ?? [];
    if (!Array.isArray(names)) throw new Error(`compile: metrics must be an array of names, got ${show(names)}`);
    const logits = loss.name === 'binaryCrossEntropy' || loss.name === 'softmaxCrossEntropy';
    const metrics = names.map((name) => createMetric(name, logits));
    const fuse = options.fuse ?? true;
    checkBoolean('compile', 'fuse', fuse);
    // Everything is checked: from here on nothing throws on bad input.
    this.metrics = metrics;
    this.evalMetrics = names.map((name) => createMetric(name, logits));
    if (this.optimizer !== null && this.optimizer !== optimizer && this.optimizer.isAttachedTo(this.params)) this.optimizer.dispose();
    if (!optimizer.isAttachedTo(this.params)) optimizer.attach(this.params); // the same one again keeps its state
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
      const xs = inputRows(this, 'forward', x);
      if (xs.rows === 0) throw new Error('forward: x is empty; expected at least one row');
      this.reserve(xs.rows);
      this.stage.writeInputs('forward', 'x', xs.values, xs.checked, 0);
      return this.run(this.stage.x, xs.rows, training);
    }
    const rows = options.rows ?? x.length / this.inputSize;
    if (!Number.isInteger(rows) || rows < 1 || rows * this.inputSize > x.length) {
      const asked = options.rows === undefined ? `${x.length / this.inputSize} rows` : `rows ${show(options.rows)}`;
      throw new Error(
        `forward: x is a buffer of ${x.length} values and the first layer, ${this.layers[0]!.describe()}, takes rows of ` +
          `${this.inputSize}; ${asked} do not fit: give ` +
          `options.rows, an integer ≥ 1 with rows × ${this.inputSize} ≤ ${x.length}`,
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
      const targets = targetsFor(this, 'computeLoss', y, m);
      kind = targets.kind;
      this.backend.write(this.stage.y, targets.values);
      target = this.stage.y;
    } else {
      kind = options.labels === true ? 'labels' : 'dense';
      target = y;
    }
    return this.lossOn(loss, kind, m, target, this.stage.dOut);
  }

  /** ∂J/∂output, written by computeLoss. */
  get outputGradient(): Buf {
    this.checkAlive('outputGradient');
    if (this.stage.capacity === 0) throw new Error('outputGradient: no forward pass yet');
    return this.stage.dOut;
  }

  /**
   * Backward pass of the last forward pass from ∂J/∂output (default: the one computeLoss wrote). Accumulates every
   * parameter gradient; returns ∂J/∂input when `inputGradient` is true, else null.
   */
  backward(dOutput?: Buf, options: { inputGradient?: boolean } = {}): Buf | null {
    this.checkAlive('backward');
    if (this.output === null) throw new Error('backward: no forward pass to differentiate; call forward first');
    const m = this.rows;
    let grad: Buf | null = dOutput ?? this.stage.dOut;
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
    const xs = inputRows(this, 'trainOnBatch', x);
    if (xs.rows === 0) throw new Error('trainOnBatch: x is empty; expected at least one row');
    const targets = targetsFor(this, 'trainOnBatch', y, xs.rows);
    return this.step('trainOnBatch', xs.values, targets.values, xs.rows, targets.kind, xs.checked);
  }

  /** @internal One step on the first m rows of host arrays already checked (fit). */
  trainRows(x: Flat, y: Flat, m: number, kind: TargetKind): number {
    return this.step('fit', x, y, m, kind, true);
  }

  /**
   * One step on the first m rows: the mean loss over those m rows (whatever the batch size was elsewhere), so a
   * partial last batch gives the mean gradient of its own rows.
   */
  private step(where: string, x: Flat, y: Flat, m: number, kind: TargetKind, checked: boolean): number {
    this.requireCompiled(where);
    const optimizer = this.optimizer!;
    if (!optimizer.isAttachedTo(this.params)) {
      throw new Error(`${where}: the ${optimizer.constructor.name} no longer updates this model's parameters (disposed, or attached elsewhere); compile the model again`);
    }
    this.reserve(m);
    const be = this.backend;
    const yWidth = kind === 'labels' ? 1 : this.outputSize;
    const xBatch = x.length === m * this.inputSize ? x : x.subarray(0, m * this.inputSize);
    this.stage.writeInputs(where, 'x', xBatch, checked, 0);
    be.write(this.stage.y, y.length === m * yWidth ? y : y.subarray(0, m * yWidth));
    if (this.fused !== null && this.metrics.length === 0 && this.fused.accepts(m)) {
      const grads = this.params.gradsToOverwrite();
      const loss = this.fused.run(m, kind, this.stage.x, this.stage.y, this.params.values, grads);
      this.output = null; // the layers' buffers do not hold this pass
      optimizer.step();
      return loss;
    }
    this.params.zeroGrad();
    const out = this.run(this.stage.x, m, true);
    if (this.metrics.length > 0) this.updateMetrics(this.metrics, out, y, kind, m);
    const loss = this.lossOn(this.loss!, kind, m, this.stage.y, this.stage.dOut);
    this.backward();
    optimizer.step();
    return loss;
  }

  // ---- inference -------------------------------------------------------------------------------------------------

  /** The model's outputs for every row of x, computed in batches (inference mode: no dropout). */
  predict(x: Samples, options: { batchSize?: number } = {}): Float32Array {
    this.checkAlive('predict');
    const batchSize = options.batchSize ?? 256;
    checkPositiveInt('predict', 'batchSize', batchSize);
    const xs = inputRows(this, 'predict', x);
    const result = new Float32Array(xs.rows * this.outputSize);
    const be = this.backend;
    this.reserve(Math.min(batchSize, xs.rows));
    for (let start = 0; start < xs.rows; start += batchSize) {
      const m = Math.min(batchSize, xs.rows - start);
      const out = this.runBatch('predict', xs.values, xs.checked, start, m);
      const n = m * this.outputSize;
      be.read(be.view(out, 0, n), result.subarray(start * this.outputSize, start * this.outputSize + n));
    }
    return result;
  }

  /**
   * The loss and every compiled metric over (x, y), in batches, in inference mode. The loss is the mean over all
   * samples (each batch weighted by its size) plus the L2 penalties, as in training.
   */
  evaluate(x: Samples, y: Samples, options: { batchSize?: number } = {}): Logs {
    this.requireLoss('evaluate');
    const batchSize = options.batchSize ?? 256;
    checkPositiveInt('evaluate', 'batchSize', batchSize);
    const xs = inputRows(this, 'evaluate', x);
    if (xs.rows === 0) throw new Error('evaluate: x is empty; expected at least one sample');
    const targets = targetsFor(this, 'evaluate', y, xs.rows);
    return this.evaluateRows(xs.values, targets.values, xs.rows, targets.kind, batchSize, xs.checked);
  }

  /** @internal evaluate on host arrays whose targets are checked (and inputs too, when `checked`). */
  evaluateRows(x: Flat, y: Flat, rows: number, kind: TargetKind, batchSize: number, checked = true): Logs {
    const where = this.fitting ? 'fit (validation)' : 'evaluate';
    this.requireLoss(where);
    const be = this.backend;
    const yWidth = kind === 'labels' ? 1 : this.outputSize;
    const metrics = this.evalMetrics;
    for (const metric of metrics) metric.reset();
    this.reserve(Math.min(batchSize, rows));
    let sum = 0;
    for (let start = 0; start < rows; start += batchSize) {
      const m = Math.min(batchSize, rows - start);
      const out = this.runBatch(where, x, checked, start, m);
      const yBatch = y.subarray(start * yWidth, (start + m) * yWidth);
      be.write(this.stage.y, yBatch);
      if (metrics.length > 0) this.updateMetrics(metrics, out, yBatch, kind, m);
      sum += m * this.loss!.compute(be, kind, m, this.outputSize, out, this.stage.y, null);
    }
    const logs: Logs = { loss: sum / rows + this.penalty() };
    for (const metric of metrics) logs[metric.name] = metric.result();
    return logs;
  }

  /** @internal A whole dataset checked on the host (fit). */
  checkData(where: string, x: Samples, y: Samples): Dataset {
    this.requireLoss(where);
    return datasetFor(this, where, x, y);
  }

  /** Trains for some epochs; see FitOptions. */
  fit(x: Samples, y: Samples, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  // ---- weights ---------------------------------------------------------------------------------------------------

  /** Every parameter's values, in layer order (kernel then bias), as Float32Arrays. */
  getWeights(): Float32Array[] {
    this.checkAlive('getWeights');
    return readWeights(this);
  }

  /** Sets every parameter from arrays in the order of getWeights; checks them all before writing any. */
  setWeights(weights: ArrayLike<number>[]): void {
    this.checkAlive('setWeights');
    writeWeights(this, weights);
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
  async save(dir: string): Promise<void> {
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
  async loadWeights(source: ModelArtifacts | string): Promise<void> {
    this.checkAlive('loadWeights');
    if (typeof source === 'string') return loadWeightsFrom(this, source);
    loadWeights(this, source);
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

  /**
   * Frees every buffer the model holds (layers, arenas, staging) and its optimizer's state. Any later call on the
   * model throws; calling dispose again does nothing.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.optimizer?.isAttachedTo(this.params)) this.optimizer.dispose();
    this.fused?.dispose();
    for (const layer of this.layers) layer.dispose();
    this.stage.dispose();
    this.output = null;
    this.params.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Makes every batch buffer (staging and each layer's workspaces) hold `rows` rows; grows only. */
  reserve(rows: number): void {
    this.checkAlive('reserve');
    if (!this.stage.reserve(rows)) return;
    this.output = null;
    for (const layer of this.layers) layer.reserve(rows);
  }

  // ---- internals -------------------------------------------------------------------------------------------------

  /** Stages rows [start, start + m) of host inputs and runs them forward in inference mode. */
  private runBatch(where: string, x: Flat, checked: boolean, start: number, m: number): Buf {
    const w = this.inputSize;
    this.stage.writeInputs(where, 'x', x.subarray(start * w, (start + m) * w), checked, start * w);
    return this.run(this.stage.x, m, false);
  }

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

  private updateMetrics(metrics: Metric[], out: Buf, y: Flat, kind: TargetKind, m: number): void {
    this.backend.read(out, this.stage.outHost);
    for (const metric of metrics) metric.update(this.stage.outHost, y, kind, m, this.outputSize);
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
