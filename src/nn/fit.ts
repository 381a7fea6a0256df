// The training loop: epochs of shuffled mini-batches, each one step of forward pass, loss, backward pass and
// optimizer update; then validation; with callbacks around every epoch and batch, and a history of the epoch logs.
import { Random } from '../random.js';
import { EarlyStopping, ReduceLROnPlateau, type Callback, type Logs } from './callbacks.js';
import { Batcher, range, type Flat, type Samples } from './data.js';
import type { TargetKind } from './losses.js';
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
  /**
   * Hold out this fraction of the samples for validation, in [0, 1): the last ⌊n·split⌋ rows as given, taken before
   * any shuffling (as Keras does), so shuffle the data first if it is ordered (e.g. sorted by class).
   */
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

interface Split {
  x: Flat;
  y: Flat;
  rows: number;
  kind: TargetKind;
}

export async function fit(model: Sequential, x: Samples, y: Samples, options: FitOptions = {}): Promise<History> {
  model.requireCompiled('fit');
  if (model.fitting) throw new Error('fit: the model is already training; await the first fit before starting another');
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
  callbacks.forEach((cb, i) => {
    if (cb === null || typeof cb !== 'object') throw new Error(`fit: callbacks[${i}] must be an object with hooks, got ${show(cb)}`);
  });
  if (split > 0 && options.validationData !== undefined) {
    throw new Error('fit: give validationSplit or validationData, not both');
  }

  const data = model.checkData('fit', x, y);
  const kind = data.kind;
  const yWidth = kind === 'labels' ? 1 : model.outputSize;
  let trainRows = data.rows;
  let validation: Split | null = null;
  if (split > 0) {
    const held = Math.floor(data.rows * split);
    if (held === 0 || held === data.rows) {
      throw new Error(`fit: validationSplit ${split} of ${data.rows} samples leaves ${held} for validation and ${data.rows - held} for training; both must be ≥ 1`);
    }
    trainRows -= held;
    validation = {
      x: data.x.subarray(trainRows * model.inputSize),
      y: data.y.subarray(trainRows * yWidth),
      rows: held,
      kind,
    };
  } else if (options.validationData !== undefined) {
    const v = options.validationData;
    if (!Array.isArray(v) || v.length !== 2) throw new Error(`fit: validationData must be [x, y], got ${show(v)}`);
    validation = model.checkData('fit (validationData)', v[0], v[1]);
  }
  checkMonitors(callbacks, model, validation !== null);

  const batcher = new Batcher(data.x, data.y, model.inputSize, yWidth, range(0, trainRows), batchSize);
  const rng = new Random(seed);
  const history: History = { epoch: [], history: {} };
  model.stopTraining = false;
  model.fitting = true;
  try {
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
        if (callbacks.length > 0) await each(callbacks, (cb) => cb.onBatchBegin?.(b, {}));
        const m = batcher.gather(b);
        const loss = model.trainRows(batcher.xBatch, batcher.yBatch, m, kind);
        sum += loss * m;
        if (callbacks.length > 0) await each(callbacks, (cb) => cb.onBatchEnd?.(b, { loss, size: m }));
      }
      // The mean of the batch losses weighted by batch size: the mean over the epoch's samples (each measured with
      // the weights of its own step), as Keras reports it.
      const logs: Logs = { loss: sum / trainRows };
      for (const metric of model.metrics) logs[metric.name] = metric.result();
      if (validation !== null) {
        const v = model.evaluateRows(validation.x, validation.y, validation.rows, validation.kind, batchSize);
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
    model.requireCompiled('fit');
    await each(callbacks, (cb) => cb.onTrainEnd?.({}));
  } finally {
    model.fitting = false;
  }
  return history;
}

/** The built-in callbacks' monitored entries must be among the logs this fit will write; checked before training. */
function checkMonitors(callbacks: Callback[], model: Sequential, validation: boolean): void {
  const keys = ['loss', ...model.metrics.map((m) => m.name)];
  if (validation) keys.push(...keys.map((k) => `val_${k}`));
  if (callbacks.some((cb) => cb instanceof ReduceLROnPlateau)) keys.push('lr');
  for (const cb of callbacks) {
    if (!(cb instanceof EarlyStopping || cb instanceof ReduceLROnPlateau)) continue;
    if (!keys.includes(cb.monitor)) {
      const hint = cb.monitor.startsWith('val_') && !validation ? ' (give validationSplit or validationData)' : '';
      throw new Error(`fit: ${cb.constructor.name} monitors ${JSON.stringify(cb.monitor)}, which this fit does not log${hint}; it logs ${keys.join(', ')}`);
    }
  }
}

async function each(callbacks: Callback[], call: (cb: Callback) => void | Promise<void>): Promise<void> {
  for (const cb of callbacks) {
    const result = call(cb);
    if (result instanceof Promise) await result;
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
