// Seeded synthetic 2-D classification sets, the ones the TensorFlow Playground and scikit-learn made familiar.
// Each returns a Dataset with features (x₁, x₂) roughly in [−1.5, 1.5]², classes balanced, rows in a seeded random
// order (so that a validation split taken from the end holds every class). Free of Node APIs: the playground uses it.
import { type Dataset, indexNames, shuffleDataset } from './dataset.js';
import { Random } from '../random.js';

export interface SyntheticOptions {
  /** Number of rows (default 1000). */
  n?: number;
  /** Gaussian noise added to each coordinate, as a standard deviation (default: per dataset, small). */
  noise?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
}

export interface GaussiansOptions extends SyntheticOptions {
  /** Number of blobs, one class each, centred on a circle of radius 1 (default 2). */
  classes?: number;
}

export interface CirclesOptions extends SyntheticOptions {
  /** Radius of the inner circle relative to the outer one, in (0, 1) (default 0.5). */
  factor?: number;
}

/** The names `syntheticDataset` accepts. */
export const SYNTHETIC_DATASETS = ['xor', 'spiral', 'moons', 'circles', 'gaussians'] as const;
export type SyntheticName = (typeof SYNTHETIC_DATASETS)[number];

interface Resolved {
  n: number;
  noise: number;
  rng: Random;
  seed: number;
}

function resolve(where: string, o: SyntheticOptions, defaultNoise: number, minN: number): Resolved {
  const n = o.n ?? 1000;
  const noise = o.noise ?? defaultNoise;
  const seed = o.seed ?? 1;
  if (!Number.isInteger(n) || n < minN) throw new RangeError(`${where}: n must be an integer ≥ ${minN}, got ${String(n)}`);
  if (!(noise >= 0 && Number.isFinite(noise))) throw new RangeError(`${where}: noise must be a finite number ≥ 0, got ${String(noise)}`);
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer, got ${String(seed)}`);
  return { n, noise, seed, rng: new Random(seed) };
}

/** Builds the dataset from a point generator called once per row with its class, then shuffles the rows. */
function build(
  name: string,
  r: Resolved,
  classes: number,
  point: (cls: number, indexInClass: number, perClass: number) => [number, number],
): Dataset {
  const x = new Float32Array(r.n * 2);
  const y = new Float32Array(r.n);
  const base = Math.floor(r.n / classes);
  let row = 0;
  for (let c = 0; c < classes; c++) {
    const count = base + (c < r.n % classes ? 1 : 0);
    for (let i = 0; i < count; i++, row++) {
      const [a, b] = point(c, i, count);
      x[2 * row] = a + r.noise * r.rng.normal();
      x[2 * row + 1] = b + r.noise * r.rng.normal();
      y[row] = c;
    }
  }
  return shuffleDataset({ name, x, y, n: r.n, features: 2, classes, classNames: indexNames(classes) }, r.seed ^ 0x5eed);
}

/**
 * XOR: points uniform in [−1, 1]², kept 0.05 away from the axes; class 1 where x₁ and x₂ have opposite signs.
 * Default noise 0.
 */
export function xor(options: SyntheticOptions = {}): Dataset {
  const r = resolve('xor', options, 0, 2);
  const margin = 0.05;
  const coord = (positive: boolean): number => {
    const v = r.rng.uniform(margin, 1);
    return positive ? v : -v;
  };
  return build('xor', r, 2, (cls) => {
    const s = r.rng.next() < 0.5;
    // class 0: same signs; class 1: opposite signs
    return [coord(s), coord(cls === 0 ? s : !s)];
  });
}

/** The four rows of the XOR truth table: (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0. */
export function xorTruthTable(): Dataset {
  return {
    name: 'xor-truth-table',
    x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]),
    y: new Float32Array([0, 1, 1, 0]),
    n: 4,
    features: 2,
    classes: 2,
    classNames: indexNames(2),
  };
}

/**
 * Two interleaved spirals of 1.75 turns, radius growing from 0 to 1 (the TensorFlow Playground's spiral): class c at
 * t ∈ [0, 1) is r = t, θ = 1.75·2π·t + c·π. Default noise 0.02.
 */
export function spiral(options: SyntheticOptions = {}): Dataset {
  const r = resolve('spiral', options, 0.02, 2);
  return build('spiral', r, 2, (cls, i, count) => {
    const t = i / count;
    const theta = 1.75 * 2 * Math.PI * t + cls * Math.PI;
    return [t * Math.sin(theta), t * Math.cos(theta)];
  });
}

/**
 * Two interleaving half circles (scikit-learn's make_moons), centred: class 0 is (cos θ, sin θ), class 1 is
 * (1 − cos θ, 0.5 − sin θ), θ uniform in [0, π], both shifted by (−0.5, −0.25). Default noise 0.1.
 */
export function moons(options: SyntheticOptions = {}): Dataset {
  const r = resolve('moons', options, 0.1, 2);
  return build('moons', r, 2, (cls) => {
    const theta = r.rng.uniform(0, Math.PI);
    return cls === 0
      ? [Math.cos(theta) - 0.5, Math.sin(theta) - 0.25]
      : [1 - Math.cos(theta) - 0.5, 0.5 - Math.sin(theta) - 0.25];
  });
}

/** A circle of radius 1 (class 0) around a circle of radius `factor` (class 1), angles uniform. Default noise 0.05. */
export function circles(options: CirclesOptions = {}): Dataset {
  const r = resolve('circles', options, 0.05, 2);
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${String(factor)}`);
  return build('circles', r, 2, (cls) => {
    const theta = r.rng.uniform(0, 2 * Math.PI);
    const radius = cls === 0 ? 1 : factor;
    return [radius * Math.cos(theta), radius * Math.sin(theta)];
  });
}

/**
 * `classes` Gaussian blobs (default 2) with centres evenly spaced on a circle of radius 1, starting at angle π/4;
 * the noise is each blob's standard deviation (default 0.3).
 */
export function gaussians(options: GaussiansOptions = {}): Dataset {
  const classes = options.classes ?? 2;
  if (!Number.isInteger(classes) || classes < 2) {
    throw new RangeError(`gaussians: classes must be an integer ≥ 2, got ${String(classes)}`);
  }
  const r = resolve('gaussians', options, 0.3, classes);
  return build('gaussians', r, classes, (cls) => {
    const angle = Math.PI / 4 + (2 * Math.PI * cls) / classes;
    return [Math.cos(angle), Math.sin(angle)];
  });
}

/** One of the synthetic sets by name. */
export function syntheticDataset(name: SyntheticName, options: SyntheticOptions = {}): Dataset {
  switch (name) {
    case 'xor':
      return xor(options);
    case 'spiral':
      return spiral(options);
    case 'moons':
      return moons(options);
    case 'circles':
      return circles(options);
    case 'gaussians':
      return gaussians(options);
    default:
      throw new RangeError(
        `syntheticDataset: unknown dataset ${JSON.stringify(name)}; expected one of ${SYNTHETIC_DATASETS.join(', ')}`,
      );
  }
}

export function isSyntheticName(name: string): name is SyntheticName {
  return (SYNTHETIC_DATASETS as readonly string[]).includes(name);
}
