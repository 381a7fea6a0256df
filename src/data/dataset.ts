// A labelled dataset in the layout every model takes: row-major Float32Array features and one class index per row.
// Free of Node APIs: the browser playground uses it too.
import { Random } from '../random.js';

/** n rows of `features` numbers, each with a class label. */
export interface Dataset {
  /** A short name for messages: 'mnist', 'spiral', 'iris.csv', … */
  readonly name: string;
  /** Row-major n × features. */
  readonly x: Float32Array;
  /** Class index of each row, stored as a float in 0 … classes − 1 (the kernels' label layout). */
  readonly y: Float32Array;
  readonly n: number;
  readonly features: number;
  readonly classes: number;
  /** A name per class, when the source had names (CSV labels); otherwise the indices as strings. */
  readonly classNames: readonly string[];
}

/** An error in the data a user gave (a missing file, a ragged row, a bad value): the CLI reports it as a usage error. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/** Default class names: '0', '1', … */
export function indexNames(classes: number): string[] {
  return Array.from({ length: classes }, (_, i) => String(i));
}

/** The rows of `ds` listed in `rows`, in that order, as a new dataset. */
export function takeRows(ds: Dataset, rows: ArrayLike<number>, name = ds.name): Dataset {
  const d = ds.features;
  const x = new Float32Array(rows.length * d);
  const y = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!Number.isInteger(r) || r < 0 || r >= ds.n) {
      throw new RangeError(`takeRows: row ${String(r)} is outside 0..${ds.n - 1} of dataset '${ds.name}'`);
    }
    x.set(ds.x.subarray(r * d, (r + 1) * d), i * d);
    y[i] = ds.y[r];
  }
  return { name, x, y, n: rows.length, features: d, classes: ds.classes, classNames: ds.classNames };
}

/** A seeded random permutation of 0 … n − 1. */
export function permutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return new Random(seed).shuffle(order);
}

/** The rows in a seeded random order. */
export function shuffleDataset(ds: Dataset, seed: number): Dataset {
  return takeRows(ds, permutation(ds.n, seed));
}

/**
 * A seeded train/test split: the rows are shuffled with `seed`; the last ⌊n·testFraction⌋ (with a tolerance of 1e-9
 * for fractions that binary floating point cannot hold exactly) are the test set, the rest the training set.
 * `testFraction` is in [0, 1).
 */
export function trainTestSplit(ds: Dataset, testFraction: number, seed: number): { train: Dataset; test: Dataset } {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(`trainTestSplit: testFraction must be in [0, 1), got ${String(testFraction)}`);
  }
  const order = permutation(ds.n, seed);
  const nTrain = ds.n - Math.floor(ds.n * testFraction + 1e-9);
  return {
    train: takeRows(ds, order.subarray(0, nTrain), ds.name),
    test: takeRows(ds, order.subarray(nTrain), ds.name),
  };
}

/** The first `n` rows (all of them if the dataset is smaller). */
export function headRows(ds: Dataset, n: number): Dataset {
  const count = Math.min(n, ds.n);
  const rows = new Uint32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return takeRows(ds, rows);
}

/** Per-feature mean and standard deviation (a constant feature gets std 1 so that standardizing leaves it at 0). */
export interface Standardizer {
  readonly mean: number[];
  readonly std: number[];
}

export function fitStandardizer(ds: Dataset): Standardizer {
  const d = ds.features;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (let i = 0; i < ds.n; i++) {
    for (let j = 0; j < d; j++) mean[j] += ds.x[i * d + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= Math.max(ds.n, 1);
  for (let i = 0; i < ds.n; i++) {
    for (let j = 0; j < d; j++) sq[j] += (ds.x[i * d + j] - mean[j]) ** 2;
  }
  const std = sq.map((s) => {
    const sd = Math.sqrt(s / Math.max(ds.n, 1));
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, std };
}

/** (x − mean) / std per feature, into a new Float32Array. */
export function standardize(x: Float32Array, features: number, s: Standardizer): Float32Array {
  if (s.mean.length !== features || s.std.length !== features) {
    throw new DataError(`standardize: the data has ${features} features but the standardizer was fitted on ${s.mean.length}`);
  }
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % features;
    out[i] = (x[i] - s.mean[j]) / s.std[j];
  }
  return out;
}

/** How many rows of each class. */
export function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classes).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.y[i]]++;
  return counts;
}
