// Metrics, averaged over every sample seen since the last reset. They read predictions back to the host, so a model
// compiled without metrics never pays for them.
//
//   accuracy        the share of rows whose arg-max prediction is the target class (integer labels or one-hot rows);
//                   for a single output, the binary accuracy below
//   binaryAccuracy  the share of outputs on the same side of the threshold as the target (t ≥ 0.5): the threshold
//                   is 0 for logits (loss binaryCrossEntropy), otherwise 0.5
//   mae             mean |p − t|
import type { TargetKind } from './losses.js';
import { checkOneOf } from './validate.js';

export const METRIC_NAMES = ['accuracy', 'binaryAccuracy', 'mae'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface Metric {
  readonly name: MetricName;
  /** Whether the metric can score targets laid out as `kind` (default: both). */
  accepts?(kind: TargetKind): boolean;
  reset(): void;
  /** Adds a batch of m×n predictions against its targets (labels: m values; dense: m×n). */
  update(pred: ArrayLike<number>, target: ArrayLike<number>, kind: TargetKind, m: number, n: number): void;
  result(): number;
}

abstract class MeanMetric implements Metric {
  abstract readonly name: MetricName;
  protected sum = 0;
  protected count = 0;
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
  result(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }
  abstract update(pred: ArrayLike<number>, target: ArrayLike<number>, kind: TargetKind, m: number, n: number): void;
}

function argmax(x: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (x[start + j]! > x[start + best]!) best = j;
  return best;
}

class BinaryAccuracy extends MeanMetric {
  readonly name: MetricName = 'binaryAccuracy';
  constructor(private readonly threshold: number) {
    super();
  }
  accepts(kind: TargetKind): boolean {
    return kind === 'dense';
  }
  update(pred: ArrayLike<number>, target: ArrayLike<number>, kind: TargetKind, m: number, n: number): void {
    if (kind === 'labels') throw new Error(labelsRefused(this.name));
    for (let i = 0; i < m * n; i++) {
      if (pred[i]! > this.threshold === target[i]! >= 0.5) this.sum++;
    }
    this.count += m * n;
  }
}

class Accuracy extends MeanMetric {
  readonly name: MetricName = 'accuracy';
  private readonly binary: BinaryAccuracy;
  constructor(threshold: number) {
    super();
    this.binary = new BinaryAccuracy(threshold);
  }
  override reset(): void {
    super.reset();
    this.binary.reset();
  }
  override result(): number {
    return this.count === 0 ? this.binary.result() : super.result();
  }
  update(pred: ArrayLike<number>, target: ArrayLike<number>, kind: TargetKind, m: number, n: number): void {
    if (n === 1 && kind === 'dense') {
      this.binary.update(pred, target, kind, m, n);
      return;
    }
    for (let i = 0; i < m; i++) {
      const predicted = argmax(pred, i * n, n);
      const actual = kind === 'labels' ? target[i]! : argmax(target, i * n, n);
      if (predicted === actual) this.sum++;
    }
    this.count += m;
  }
}

class MeanAbsoluteError extends MeanMetric {
  readonly name: MetricName = 'mae';
  accepts(kind: TargetKind): boolean {
    return kind === 'dense';
  }
  update(pred: ArrayLike<number>, target: ArrayLike<number>, kind: TargetKind, m: number, n: number): void {
    if (kind === 'labels') throw new Error(labelsRefused(this.name));
    for (let i = 0; i < m * n; i++) this.sum += Math.abs(pred[i]! - target[i]!);
    this.count += m * n;
  }
}

function labelsRefused(name: string): string {
  return `metric ${name}: needs dense targets (m×n values, e.g. one-hot rows), got integer labels`;
}

/** Throws before any work is done when a metric cannot score targets laid out as `kind`. */
export function checkMetricTargets(where: string, metrics: readonly Metric[], kind: TargetKind): void {
  for (const metric of metrics) {
    if (metric.accepts !== undefined && !metric.accepts(kind)) throw new Error(`${where}: ${labelsRefused(metric.name)}`);
  }
}

/** A fresh metric by name. `logits` says the model outputs logits (binary threshold 0, not 0.5). */
export function createMetric(name: unknown, logits: boolean): Metric {
  const valid = checkOneOf('compile', 'metric', name, METRIC_NAMES);
  const threshold = logits ? 0 : 0.5;
  switch (valid) {
    case 'accuracy':
      return new Accuracy(threshold);
    case 'binaryAccuracy':
      return new BinaryAccuracy(threshold);
    case 'mae':
      return new MeanAbsoluteError();
  }
}
