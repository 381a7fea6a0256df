// wasmgrad evaluate: a saved model on a dataset (by default the test split of the data it was trained on).
import { resolve } from 'node:path';
import { init } from '../../init.js';
import { Sequential } from '../../nn/index.js';
import { choice, type FlagSpec, parseFlags, str } from '../args.js';
import { dataKind, loadData } from '../datasets.js';
import { UsageError } from '../errors.js';
import { confusionMatrix, count, formatConfusion, percent } from '../format.js';
import { readMeta } from '../model-files.js';
import { accuracy, predictClasses, targetsFor } from '../targets.js';
import { loadSavedModel } from './load-model.js';

const FLAGS: FlagSpec = {
  model: { type: 'string' },
  dataset: { type: 'string' },
  label: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
};

export async function runEvaluate(argv: string[]): Promise<void> {
  const c = 'evaluate';
  const f = parseFlags(c, argv, FLAGS);
  const dir = str(f, 'model');
  if (dir === undefined) throw new UsageError(`${c}: --model DIR is required`);
  const meta = readMeta(c, dir);
  const backendName = choice(c, f, 'backend', 'wasm', ['wasm', 'ref'] as const);
  const dataset = str(f, 'dataset', meta.data.dataset);
  const kind = dataKind(c, dataset);
  if (kind !== 'csv' && f.label !== undefined) throw new UsageError(`${c}: --label applies to CSV files only`);
  const backend = await init({ backend: backendName });
  // Another CSV file is evaluated whole, its label column by default the one the model was trained with; the model's
  // own dataset (or a named one) by its test split.
  const label = str(f, 'label') ?? meta.data.label;
  const spec = kind === 'csv' && resolve(dataset) !== resolve(meta.data.dataset)
    ? { dataset, ...(label !== undefined ? { label } : {}), testSplit: 0, seed: meta.data.seed }
    : { ...meta.data, dataset, ...(label !== undefined ? { label } : {}) };
  const loaded = await loadData(spec, meta.standardizer, kind === 'csv' ? meta.classNames : undefined);
  const ds = spec.testSplit === 0 ? loaded.train : loaded.test;
  if (ds.n === 0) throw new UsageError(`${c}: ${dataset} gives no rows to evaluate`);
  if (ds.features !== meta.features) {
    throw new UsageError(`${c}: ${dataset} has ${ds.features} features per row but the model takes ${meta.features}`);
  }
  const model: Sequential = await loadSavedModel(c, dir, backend);
  if (ds.classes > meta.classNames.length) {
    throw new UsageError(`${c}: ${dataset} has ${ds.classes} classes but the model knows ${meta.classNames.length}`);
  }
  model.compile({ loss: meta.loss, optimizer: 'sgd' });
  const outputs = model.predict(ds.x, { batchSize: 512 });
  const predicted = predictClasses(outputs, ds.n, model.outputSize);
  const loss = model.evaluate(ds.x, targetsFor(meta.loss, { ...ds, classes: meta.classNames.length }), { batchSize: 512 }).loss;
  const acc = accuracy(ds.y, predicted);
  const confusion = confusionMatrix(ds.y, predicted, meta.classNames.length);
  if (f.json === true) {
    process.stdout.write(`${JSON.stringify({ dataset, rows: ds.n, loss, accuracy: acc, confusion, classNames: meta.classNames, backend: backend.name, build: backend.build })}\n`);
  } else {
    process.stdout.write(
      `${dataset}: ${count(ds.n)} rows, accuracy ${percent(acc)}, loss ${loss.toFixed(4)} (backend ${backend.name}, build ${backend.build})\n` +
        `confusion matrix (rows: true class, columns: predicted):\n${formatConfusion(confusion, meta.classNames)}\n`,
    );
  }
  model.dispose();
  backend.dispose();
}
