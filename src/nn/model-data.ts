// Host data handed to a model, checked against it before anything runs: inputs as whole rows of the first layer's
// width, targets laid out for the loss (labels in range), values finite, and targets the compiled metrics can score.
// Errors name the argument, the layer and the sizes expected and given.
import { checkFiniteValues, F32_MAX, toRows, toTargets, type Flat, type Rows, type Samples } from './data.js';
import { checkLabels, targetKind, type TargetKind } from './losses.js';
import { checkMetricTargets } from './metrics.js';
import type { Sequential } from './sequential.js';

/** Host targets, checked and laid out for the loss. */
export interface Targets {
  values: Flat;
  kind: TargetKind;
}

/** A dataset checked in full (every value finite). */
export interface Dataset {
  x: Flat;
  y: Flat;
  rows: number;
  kind: TargetKind;
}

/** The largest magnitude a value can have on the model's backend. */
export function maxAbsOf(model: Sequential): number {
  return model.backend.dtype === 'f32' ? F32_MAX : Infinity;
}

/** Inputs as rows of the model's input width; the values of a typed array are still to be checked (Rows.checked). */
export function inputRows(model: Sequential, where: string, x: Samples): Rows {
  return toRows(where, 'x', x, model.inputSize, () => `the first layer, ${model.layers[0]!.describe()}, takes rows of ${model.inputSize}`);
}

/** Targets for `samples` rows, checked: their count, labels in range, finite values, what the metrics take. */
export function targetsFor(model: Sequential, where: string, y: Samples, samples: number): Targets {
  const loss = model.loss!;
  const rows = toTargets(where, y);
  const outputLayer = () => model.layers[model.layers.length - 1]!.describe();
  const kind = targetKind(where, loss, samples, model.outputSize, rows.values.length, outputLayer);
  if (kind === 'labels') checkLabels(where, rows.values, model.outputSize);
  else if (!rows.checked) checkFiniteValues(where, 'y', rows.values, model.outputSize, maxAbsOf(model));
  checkMetricTargets(where, model.metrics, kind);
  return { values: rows.values, kind };
}

/** A whole dataset checked on the host (fit): widths, counts, labels, every value finite. Refuses an empty one. */
export function datasetFor(model: Sequential, where: string, x: Samples, y: Samples): Dataset {
  const xs = inputRows(model, where, x);
  if (xs.rows === 0) throw new Error(`${where}: the dataset is empty; expected at least one sample`);
  const targets = targetsFor(model, where, y, xs.rows);
  if (!xs.checked) checkFiniteValues(where, 'x', xs.values, model.inputSize, maxAbsOf(model));
  return { x: xs.values, y: targets.values, rows: xs.rows, kind: targets.kind };
}
