// The training loop: epochs of shuffled mini-batches, each one step of forward pass, loss, backward pass and
// optimizer update; then validation; with callbacks around every epoch and batch, and a history of the epoch logs.
import { Random } from '../random.js';
import type { Callback, Logs } from './callbacks.js';
import { Batcher, range, toRows, toTargets, type Samples } from './data.js';
import { checkLabels, targetKind, type TargetKind } from './losses.js';
import type { Sequential } from './sequential.js';
import { checkBoolean, checkPositiveInt, checkRange, show } from './validate.js';

export interface FitOptions {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Shuffle the training rows every epoch; default true. */
  shuffle?: boolean;
  /** Seed of the shuffling; default 0. */
  seed?: number;
  /** Hold out this fraction of the samples, taken from the end before shuffling, for validation; in [0, 1). */
  validationSplit?: number;
  /** Validation samples and targets (instead of validationSplit). */
  validationData?: [Samples, Samples];
  callbacks?: Callback[];
}

/** Per-epoch logs: history.loss[e], history.val_loss[e], history.accuracy[e], … */
export interface History {
  epoch: number[];
  history: Record<string, number[]>;
}

type Flat = Float32Array | Float64Array;

interface Split {
  x: Flat;
  y: Flat;
  rows: number;
}

export async function fit(model: Sequential, x: Samples, y: Samples, options: FitOptions = {}): Promise<History> {
  model.requireCompiled('fit');
  if (options === null || typeof options !== 'object') throw new Error(`fit: options must be an object, got ${show(options)}`);
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  const split = options.validationSplit ?? 0;
  const callbacks = options.callbacks ?? [];
  checkPositiveInt('fit', 'epochs', epochs);
  checkPositiveInt('fit', 'batchSize', batchSize);
  checkBoolean('fit', 'shuffle', shuffle);
  if (!Number.isInteger(seed)) throw new Error(`fit: seed must be an integer, got ${show(seed)}`);
  checkRange('fit', 'validationSplit', split, 0, 1, { hiOpen: true });
  if (!Array.isArray(callbacks)) throw new Error(`fit: callbacks must be an array, got ${show(callbacks)}`);
  if (split > 0 && options.validationData !== undefined) {
    throw new Error('fit: give validationSplit or validationData, not both');
  }

  const data = checkedData(model, 'fit', x, y);
  const kind = data.kind;
  let trainRows = data.rows;
  let validation: Split | null = null;
  if (split > 0) {
    const held = Math.floor(data.rows * split);
    if (held === 0 || held === data.rows) {
      throw new Error(`fit: validationSplit ${split} of ${data.rows} samples leaves ${held} for validation and ${data.rows - held} for training; both must be ≥ 1`);
    }
    trainRows -= held;
    const yWidth = kind === 'labels' ? 1 : model.outputSize;
    validation = {
      x: data.x.subarray(trainRows * model.inputSize),
      y: data.y.subarray(trainRows * yWidth),
      rows: held,
    };
  } else if (options.validationData !== undefined) {
    const v = options.validationData;
    if (!Array.isArray(v) || v.length !== 2) throw new Error(`fit: validationData must be [x, y], got ${show(v)}`);
    const checked = checkedData(model, 'fit (validationData)', v[0], v[1]);
    if (checked.kind !== kind) throw new Error(`fit: validationData targets are ${checked.kind}, but the training targets are ${kind}`);
    validation = checked;
  }

  const yWidth = kind === 'labels' ? 1 : model.outputSize;
  const batcher = new Batcher(data.x, data.y, model.inputSize, yWidth, range(0, trainRows), batchSize);
  const rng = new Random(seed);
  const history: History = { epoch: [], history: {} };
  model.stopTraining = false;
  model.reserve(Math.min(batchSize, trainRows));
  for (const cb of callbacks) cb.setModel?.(model);
  await each(callbacks, (cb) => cb.onTrainBegin?.({}));
  let lastYield = now();

  for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
    await each(callbacks, (cb) => cb.onEpochBegin?.(epoch, {}));
    if (shuffle) batcher.shuffle(rng);
    for (const metric of model.metrics) metric.reset();
    let sum = 0;
    for (let b = 0; b < batcher.batches; b++) {
      await each(callbacks, (cb) => cb.onBatchBegin?.(b, {}));
      const m = batcher.gather(b);
      const loss = model.trainRows(batcher.xBatch, batcher.yBatch, m, kind);
      sum += loss * m;
      if (callbacks.length > 0) await each(callbacks, (cb) => cb.onBatchEnd?.(b, { loss, size: m }));
    }
    const logs: Logs = { loss: sum / trainRows };
    for (const metric of model.metrics) logs[metric.name] = metric.result();
    if (validation !== null) {
      const v = model.evaluateRows(validation.x, validation.y, validation.rows, kind, batchSize);
      for (const key in v) logs[`val_${key}`] = v[key]!;
    }
    await each(callbacks, (cb) => cb.onEpochEnd?.(epoch, logs));
    history.epoch.push(epoch);
    for (const key in logs) (history.history[key] ??= []).push(logs[key]!);
    // Give the event loop a turn now and then, so that a page stays responsive during a long fit.
    if (now() - lastYield > 16) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
  await each(callbacks, (cb) => cb.onTrainEnd?.({}));
  return history;
}

function checkedData(model: Sequential, where: string, x: Samples, y: Samples): Split & { kind: TargetKind } {
  const { values, rows } = toRows(where, 'x', x, model.inputSize);
  if (rows === 0) throw new Error(`${where}: the dataset is empty; expected at least one sample`);
  const targets = toTargets(where, y);
  const kind = targetKind(where, model.loss!, rows, model.outputSize, targets.length);
  if (kind === 'labels') checkLabels(where, targets, model.outputSize);
  return { x: values, y: targets, rows, kind };
}

async function each(callbacks: Callback[], call: (cb: Callback) => void | Promise<void>): Promise<void> {
  for (const cb of callbacks) {
    const result = call(cb);
    if (result instanceof Promise) await result;
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
