// The datasets the CLI trains and evaluates on: MNIST (from the devDependency `mnist`, imported only here), the
// synthetic 2-D sets, or a CSV file; each split into train and test sets with the seed.
import { type Dataset, DataError, fitStandardizer, type Standardizer, standardize, trainTestSplit } from '../data/dataset.js';
import { isSyntheticName, SYNTHETIC_DATASETS, syntheticDataset } from '../data/synthetic.js';
import { UsageError } from './errors.js';

/** Everything needed to rebuild the same train/test split later (saved with the model). */
export interface DataSpec {
  /** 'mnist', a synthetic name, or a CSV path. */
  dataset: string;
  label?: string;
  samples?: number;
  noise?: number;
  testSplit: number;
  seed: number;
}

export type DataKind = 'mnist' | 'synthetic' | 'csv';

export interface LoadedData {
  kind: DataKind;
  train: Dataset;
  test: Dataset;
  /** Set for CSV data: features are standardized with the training rows' mean and std. */
  standardizer: Standardizer | null;
}

export const DATASET_NAMES = ['mnist', ...SYNTHETIC_DATASETS] as const;

export function dataKind(command: string, dataset: string): DataKind {
  if (dataset === 'mnist') return 'mnist';
  if (isSyntheticName(dataset)) return 'synthetic';
  if (/\.csv$/i.test(dataset)) return 'csv';
  throw new UsageError(`${command}: --dataset must be one of ${DATASET_NAMES.join('|')} or a file ending in .csv, got '${dataset}'`);
}

/** Loads the dataset and splits it; a CSV is standardized with `standardizer` if given, else with its train rows. */
export async function loadData(spec: DataSpec, standardizer?: Standardizer | null, classNames?: readonly string[]): Promise<LoadedData> {
  const kind = dataKind('data', spec.dataset);
  if (kind === 'mnist') {
    const { loadMnist } = await import('../data/mnist.js');
    const { train, test } = loadMnist({ seed: spec.seed, testFraction: spec.testSplit, limit: spec.samples });
    return { kind, train, test, standardizer: null };
  }
  if (kind === 'synthetic') {
    const all = syntheticDataset(spec.dataset as (typeof SYNTHETIC_DATASETS)[number], {
      n: spec.samples ?? 1000,
      noise: spec.noise,
      seed: spec.seed,
    });
    return { kind, ...trainTestSplit(all, spec.testSplit, spec.seed), standardizer: null };
  }
  const { readCsvFile } = await import('../data/csv-file.js');
  const all = readCsvFile(spec.dataset, { label: spec.label, classNames });
  if (all.classes < 2) throw new DataError(`${spec.dataset}: the label column has a single class; nothing to learn`);
  const split = trainTestSplit(all, spec.testSplit, spec.seed);
  const s = standardizer ?? fitStandardizer(split.train);
  return {
    kind,
    train: { ...split.train, x: standardize(split.train.x, all.features, s) },
    test: { ...split.test, x: standardize(split.test.x, all.features, s) },
    standardizer: s,
  };
}
