// Callbacks: hooks the training loop calls at the start and end of training, of each epoch and of each batch. A hook
// may return a promise; fit awaits it. Setting `model.stopTraining = true` ends fit after the current epoch.
import type { Optimizer } from './optimizers/optimizer.js';
import type { Sequential } from './sequential.js';
import { checkBoolean, checkNonNegative, checkNonNegativeInt, checkOneOf, checkRange, show } from './validate.js';

/** Values at an epoch's end: 'loss', each metric, and with validation 'val_loss', 'val_<metric>'. */
export type Logs = Record<string, number>;

type Hook<A extends unknown[]> = ((...args: A) => void | Promise<void>) | undefined;

export interface Callback {
  /** Called by fit before anything else. */
  setModel?(model: Sequential): void;
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  /** logs: { loss, size } of this batch. */
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
}

type Mode = 'min' | 'max';

/** Tracks the best value of a monitored log entry and how many epochs have passed without improving on it. */
class Monitor {
  best: number;
  wait = 0;
  readonly direction: Mode;
  constructor(
    readonly key: string,
    mode: 'auto' | Mode,
    readonly minDelta: number,
  ) {
    this.direction = mode === 'auto' ? (/acc/i.test(key) ? 'max' : 'min') : mode;
    this.best = this.direction === 'min' ? Infinity : -Infinity;
  }
  read(where: string, logs: Logs): number {
    const value = logs[this.key];
    if (value === undefined) {
      throw new Error(`${where}: monitor ${JSON.stringify(this.key)} is not in the logs; available: ${Object.keys(logs).join(', ')}`);
    }
    return value;
  }
  /** Records `value`; true when it improves on the best by more than minDelta. */
  improved(value: number): boolean {
    const better = this.direction === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (better) {
      this.best = value;
      this.wait = 0;
    } else this.wait++;
    return better;
  }
}

/** What EarlyStopping and ReduceLROnPlateau share: a model, a monitored log entry and its tracker. */
abstract class MonitoringCallback<O extends { monitor: string; mode: 'auto' | Mode; minDelta: number }> implements Callback {
  protected tracker!: Monitor;
  protected model!: Sequential;

  protected constructor(protected readonly options: O) {}

  /** The log entry watched. */
  get monitor(): string {
    return this.options.monitor;
  }

  setModel(model: Sequential): void {
    this.model = model;
  }

  /** A fresh tracker, at the start of each fit. */
  protected startTracking(): void {
    this.tracker = new Monitor(this.options.monitor, this.options.mode, this.options.minDelta);
  }
}

export interface EarlyStoppingOptions {
  /** The log entry to watch, default 'val_loss'. */
  monitor?: string;
  /** Epochs without improvement before stopping, default 0. */
  patience?: number;
  /** The smallest change that counts as an improvement, default 0. */
  minDelta?: number;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracies, else 'min'). */
  mode?: 'auto' | Mode;
  /** When training ends (stopped early or not), put back the weights of the best epoch; default false. */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when the monitored value has not improved for `patience` epochs. With restoreBestWeights it keeps a
 * host copy of the weights of the best epoch (no WASM memory, so nothing to dispose) and puts it back when training
 * ends, whether it stopped early or ran every epoch.
 */
export class EarlyStopping extends MonitoringCallback<Required<EarlyStoppingOptions>> {
  /** The epoch that stopped training, or −1. */
  stoppedEpoch = -1;
  bestEpoch = -1;
  private best: Float32Array | Float64Array | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    const o = { monitor: 'val_loss', patience: 0, minDelta: 0, mode: 'auto' as const, restoreBestWeights: false, ...options };
    checkMonitor('EarlyStopping', o.monitor);
    checkNonNegativeInt('EarlyStopping', 'patience', o.patience);
    checkNonNegative('EarlyStopping', 'minDelta', o.minDelta);
    checkOneOf('EarlyStopping', 'mode', o.mode, ['auto', 'min', 'max']);
    checkBoolean('EarlyStopping', 'restoreBestWeights', o.restoreBestWeights);
    super(o);
  }

  onTrainBegin(): void {
    this.startTracking();
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.best = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const value = this.tracker.read('EarlyStopping', logs);
    if (this.tracker.improved(value)) {
      this.bestEpoch = epoch;
      if (this.options.restoreBestWeights) this.snapshot();
    } else if (this.tracker.wait >= Math.max(1, this.options.patience)) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.best === null) return;
    const params = this.model.params;
    params.backend.write(params.values, this.best);
    this.best = null;
  }

  private snapshot(): void {
    const { backend, values, length } = this.model.params;
    if (this.best === null || this.best.length !== length) {
      this.best = backend.dtype === 'f64' ? new Float64Array(length) : new Float32Array(length);
    }
    backend.read(values, this.best as Float32Array);
  }
}

export interface ReduceLROnPlateauOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** New η = η·factor, factor in (0, 1); default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing, default 10. */
  patience?: number;
  /** Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction, default 0. */
  cooldown?: number;
  /** Lower bound of η, default 0. */
  minLr?: number;
  mode?: 'auto' | Mode;
}

/**
 * Reduce-on-plateau: multiplies the optimizer's learning rate by `factor` (never below `minLr`) when the monitored
 * value has not improved for `patience` epochs. A constant rate is replaced by the lower one; a schedule keeps its
 * shape and is scaled (`optimizer.lrScale`), so a warm-up or a decay goes on at the reduced level.
 */
export class ReduceLROnPlateau extends MonitoringCallback<Required<ReduceLROnPlateauOptions>> {
  private cooldownLeft = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const o = { monitor: 'val_loss', factor: 0.1, patience: 10, minDelta: 1e-4, cooldown: 0, minLr: 0, mode: 'auto' as const, ...options };
    checkMonitor('ReduceLROnPlateau', o.monitor);
    checkRange('ReduceLROnPlateau', 'factor', o.factor, 0, 1, { loOpen: true, hiOpen: true });
    checkNonNegativeInt('ReduceLROnPlateau', 'patience', o.patience);
    checkNonNegative('ReduceLROnPlateau', 'minDelta', o.minDelta);
    checkNonNegativeInt('ReduceLROnPlateau', 'cooldown', o.cooldown);
    checkNonNegative('ReduceLROnPlateau', 'minLr', o.minLr);
    checkOneOf('ReduceLROnPlateau', 'mode', o.mode, ['auto', 'min', 'max']);
    super(o);
  }

  onTrainBegin(): void {
    this.startTracking();
    this.cooldownLeft = 0;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const optimizer = this.model?.optimizer;
    if (!optimizer) throw new Error('ReduceLROnPlateau: no compiled model; call setModel(model) with a compiled model first');
    logs.lr = optimizer.lr;
    const value = this.tracker.read('ReduceLROnPlateau', logs);
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.tracker.wait = 0;
    }
    if (!this.tracker.improved(value) && this.tracker.wait >= Math.max(1, this.options.patience) && this.cooldownLeft === 0) {
      this.reduce(optimizer);
      this.cooldownLeft = this.options.cooldown;
      this.tracker.wait = 0;
    }
  }

  private reduce(optimizer: Optimizer): void {
    const current = optimizer.lr;
    const lower = Math.max(this.options.minLr, current * this.options.factor);
    if (!(lower < current)) return; // already at minLr
    if (optimizer.schedule === null) optimizer.lr = lower;
    else optimizer.lrScale *= lower / current;
  }
}

function checkMonitor(where: string, monitor: unknown): void {
  if (typeof monitor !== 'string' || monitor === '') {
    throw new Error(`${where}: monitor must be the name of a log entry such as "val_loss", got ${show(monitor)}`);
  }
}
