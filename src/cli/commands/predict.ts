// wasmgrad predict: the class of every row of a CSV file under a saved model, as CSV (row, class, one probability
// per class) or JSON. The file holds the model's feature columns, and may hold its label column too (ignored).
import { type Dataset, DataError, standardize } from '../../data/dataset.js';
import { readCsvFile } from '../../data/csv-file.js';
import { init } from '../../init.js';
import { choice, type FlagSpec, parseFlags, str } from '../args.js';
import { dataKind } from '../datasets.js';
import { UsageError } from '../errors.js';
import { type CliMeta, readMeta } from '../model-files.js';
import { predictClasses, probabilities } from '../targets.js';
import { loadSavedModel } from './load-model.js';

const FLAGS: FlagSpec = {
  model: { type: 'string' },
  input: { type: 'string' },
  label: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
};

/**
 * The rows to predict: without --label, the file holds the model's feature columns, or, for a model trained on a CSV
 * file, one column more, taken as the label column it was trained with (by name or index) and ignored. Label values
 * are not checked.
 */
function readInput(input: string, label: string | undefined, meta: CliMeta): Dataset {
  if (label !== undefined) return readCsvFile(input, { label });
  let plain: Dataset | DataError;
  try {
    plain = readCsvFile(input, { label: null });
    if (plain.features === meta.features) return plain;
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    plain = error;
  }
  // Only a model trained on a CSV file has a label column to recognise (MNIST's or a 2-D set's has none: a file with
  // one column too many, say a label first, must not lose its last column silently).
  if (dataKind('predict', meta.data.dataset) === 'csv') {
    try {
      const withLabel = readCsvFile(input, { label: meta.data.label ?? -1 });
      if (withLabel.features === meta.features) return withLabel;
    } catch {
      // not that layout either: report what the plain reading found
    }
  }
  if (plain instanceof DataError) throw plain;
  return plain;
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function runPredict(argv: string[]): Promise<void> {
  const c = 'predict';
  const f = parseFlags(c, argv, FLAGS);
  const dir = str(f, 'model');
  const input = str(f, 'input');
  if (dir === undefined) throw new UsageError(`${c}: --model DIR is required`);
  if (input === undefined) throw new UsageError(`${c}: --input FILE.csv is required`);
  const meta = readMeta(c, dir);
  const backendName = choice(c, f, 'backend', 'wasm', ['wasm', 'ref'] as const);
  const ds = readInput(input, str(f, 'label'), meta);
  if (ds.features !== meta.features) {
    throw new UsageError(
      `${c}: ${input} has ${ds.features} feature columns but the model takes ${meta.features}` +
        (ds.features === meta.features + 1 && f.label === undefined ? '; name the label column to ignore with --label' : ''),
    );
  }
  const x = meta.standardizer ? standardize(ds.x, ds.features, meta.standardizer) : ds.x;
  const backend = await init({ backend: backendName });
  const model = await loadSavedModel(c, dir, backend);
  const outputs = model.predict(x, { batchSize: 512 });
  const units = model.outputSize;
  const classes = predictClasses(outputs, ds.n, units);
  const probs = probabilities(meta.loss, outputs, ds.n, units);
  const k = probs.length / Math.max(ds.n, 1);
  const names = meta.classNames;
  if (f.json === true) {
    const rows = Array.from({ length: ds.n }, (_, i) => ({
      class: names[classes[i]!] ?? String(classes[i]),
      probabilities: Array.from(probs.subarray(i * k, (i + 1) * k), (p) => Number(p.toFixed(6))),
    }));
    process.stdout.write(`${JSON.stringify({ classNames: names, predictions: rows })}\n`);
  } else {
    const lines = [['row', 'class', ...names.map((n) => `p_${n}`)].map(csvField).join(',')];
    for (let i = 0; i < ds.n; i++) {
      const p = Array.from(probs.subarray(i * k, (i + 1) * k), (v) => v.toFixed(4));
      lines.push([String(i + 1), csvField(names[classes[i]!] ?? String(classes[i])), ...p].join(','));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  model.dispose();
  backend.dispose();
}
