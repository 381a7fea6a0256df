// How class labels meet each loss: softmax cross-entropy takes the labels and one output per class; binary
// cross-entropy one logit and the 0/1 label; the regression losses (mse, mae, huber) one-hot rows over the classes.
import type { Dataset } from '../data/dataset.js';
import type { LossName } from '../nn/index.js';
import { argmax } from './format.js';
import { UsageError } from './errors.js';

/** Output units of the network for `classes` classes under `loss`. */
export function outputUnits(loss: LossName, classes: number): number {
  if (loss === 'binaryCrossEntropy') {
    if (classes !== 2) throw new UsageError(`--loss binaryCrossEntropy needs 2 classes; this dataset has ${classes}`);
    return 1;
  }
  return classes;
}

/** The targets `fit` takes for this loss. */
export function targetsFor(loss: LossName, ds: Dataset): Float32Array {
  if (loss === 'softmaxCrossEntropy' || loss === 'binaryCrossEntropy') return ds.y;
  const onehot = new Float32Array(ds.n * ds.classes);
  for (let i = 0; i < ds.n; i++) onehot[i * ds.classes + ds.y[i]!] = 1;
  return onehot;
}

/** The predicted class of each row from the network's outputs. */
export function predictClasses(outputs: Float32Array, rows: number, units: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = units === 1 ? (outputs[i]! > 0 ? 1 : 0) : argmax(outputs, i * units, units);
  return out;
}

/** Class probabilities of each row: softmax for softmax cross-entropy, σ for one logit, the outputs clamped otherwise. */
export function probabilities(loss: LossName, outputs: Float32Array, rows: number, units: number): Float32Array {
  if (units === 1) {
    const p = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const s = 1 / (1 + Math.exp(-outputs[i]!));
      p[2 * i] = 1 - s;
      p[2 * i + 1] = s;
    }
    return p;
  }
  const p = new Float32Array(rows * units);
  for (let i = 0; i < rows; i++) {
    const o = i * units;
    if (loss === 'softmaxCrossEntropy') {
      let max = -Infinity;
      for (let j = 0; j < units; j++) max = Math.max(max, outputs[o + j]!);
      let sum = 0;
      for (let j = 0; j < units; j++) sum += (p[o + j] = Math.exp(outputs[o + j]! - max));
      for (let j = 0; j < units; j++) p[o + j]! /= sum;
    } else {
      for (let j = 0; j < units; j++) p[o + j] = Math.min(1, Math.max(0, outputs[o + j]!));
    }
  }
  return p;
}

/** Share of rows whose predicted class is the label. */
export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) right++;
  return labels.length > 0 ? right / labels.length : 0;
}
