// The playground's whole state, and its text form in the URL's query string, so that a link reproduces a run:
// the same data (dataset, noise, ratio, seed), the same network and the same hyper-parameters give the same epochs.
import { FUNCTION_NAMES } from '../../src/viz/functions.js';

export const DATASETS = ['circles', 'xor', 'gaussians', 'spiral', 'moons'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof FEATURES)[number];

export const ACTIVATION_CHOICES = ['tanh', 'relu', 'sigmoid', 'leakyRelu', 'elu', 'silu', 'gelu', 'identity'] as const;
export type ActivationChoice = (typeof ACTIVATION_CHOICES)[number];

export const OPTIMIZER_CHOICES = ['sgd', 'momentum', 'rmsprop', 'adam', 'adamw'] as const;
export type OptimizerChoice = (typeof OPTIMIZER_CHOICES)[number];

export const VIEWS = ['network', 'race'] as const;
export type View = (typeof VIEWS)[number];

export const MAX_LAYERS = 6;
export const MAX_NEURONS = 8;
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const L2_RATES = [0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1] as const;

export interface PlaygroundState {
  view: View;
  dataset: DatasetName;
  /** Standard deviation of the Gaussian noise added to each coordinate, in the dataset's units. */
  noise: number;
  /** Percentage of the points used for training (the rest is the test set). */
  trainPercent: number;
  /** Seeds the data, the split, the initial weights and the shuffling. */
  seed: number;
  features: FeatureName[];
  /** Neurons per hidden layer. */
  layers: number[];
  activation: ActivationChoice;
  optimizer: OptimizerChoice;
  lr: number;
  batchSize: number;
  l2: number;
  /** Draw the test points on the output too. */
  showTest: boolean;
  /** The optimizer race: one of src/viz/functions.ts's test functions, by name. */
  raceFunction: string;
  /** Start point of the race; null means the function's default start. */
  raceStart: [number, number] | null;
}

export const DEFAULT_STATE: Readonly<PlaygroundState> = {
  view: 'network',
  dataset: 'circles',
  noise: 0.05,
  trainPercent: 50,
  seed: 1,
  features: ['x1', 'x2'],
  layers: [4, 2],
  activation: 'tanh',
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 10,
  l2: 0,
  showTest: false,
  raceFunction: 'beale',
  raceStart: null,
};

const KEYS: Record<keyof PlaygroundState, string> = {
  view: 'view',
  dataset: 'dataset',
  noise: 'noise',
  trainPercent: 'train',
  seed: 'seed',
  features: 'features',
  layers: 'layers',
  activation: 'activation',
  optimizer: 'optimizer',
  lr: 'lr',
  batchSize: 'batch',
  l2: 'l2',
  showTest: 'test',
  raceFunction: 'fn',
  raceStart: 'start',
};

/** The query string for a state (every field, so a link survives changes of the defaults). */
export function encodeState(s: PlaygroundState): string {
  const q = new URLSearchParams();
  q.set(KEYS.view, s.view);
  q.set(KEYS.dataset, s.dataset);
  q.set(KEYS.noise, String(s.noise));
  q.set(KEYS.trainPercent, String(s.trainPercent));
  q.set(KEYS.seed, String(s.seed));
  q.set(KEYS.features, s.features.join(','));
  q.set(KEYS.layers, s.layers.join(','));
  q.set(KEYS.activation, s.activation);
  q.set(KEYS.optimizer, s.optimizer);
  q.set(KEYS.lr, String(s.lr));
  q.set(KEYS.batchSize, String(s.batchSize));
  q.set(KEYS.l2, String(s.l2));
  q.set(KEYS.showTest, s.showTest ? '1' : '0');
  q.set(KEYS.raceFunction, s.raceFunction);
  if (s.raceStart !== null) q.set(KEYS.raceStart, s.raceStart.map((v) => +v.toFixed(4)).join(','));
  return q.toString();
}

/**
 * Reads a state from a query string. Missing fields take their defaults; a present but invalid field also does, and
 * is reported in `problems` (shown on the page) rather than silently dropped.
 */
export function decodeState(query: string): { state: PlaygroundState; problems: string[] } {
  const q = new URLSearchParams(query);
  const problems: string[] = [];
  const state: PlaygroundState = { ...DEFAULT_STATE, features: [...DEFAULT_STATE.features], layers: [...DEFAULT_STATE.layers] };
  const field = <K extends keyof PlaygroundState>(key: K, parse: (raw: string) => PlaygroundState[K] | undefined, expected: string) => {
    const raw = q.get(KEYS[key]);
    if (raw === null) return;
    const value = parse(raw);
    if (value === undefined) problems.push(`${KEYS[key]}=${raw} ignored: expected ${expected}`);
    else state[key] = value;
  };
  const oneOf = <T extends string>(options: readonly T[]) => (raw: string) => (options as readonly string[]).includes(raw) ? (raw as T) : undefined;
  const number = (lo: number, hi: number) => (raw: string) => {
    const v = Number(raw);
    return raw.trim() !== '' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined;
  };
  const integer = (lo: number, hi: number) => (raw: string) => {
    const v = number(lo, hi)(raw);
    return v !== undefined && Number.isInteger(v) ? v : undefined;
  };

  field('view', oneOf(VIEWS), VIEWS.join('|'));
  field('dataset', oneOf(DATASETS), DATASETS.join('|'));
  field('noise', number(0, 0.5), 'a number in [0, 0.5]');
  field('trainPercent', integer(10, 90), 'an integer in [10, 90]');
  field('seed', integer(0, 2 ** 31 - 1), 'an integer in [0, 2³¹ − 1]');
  field(
    'features',
    (raw) => {
      const list = raw === '' ? [] : raw.split(',');
      if (list.length === 0 || !list.every((f) => (FEATURES as readonly string[]).includes(f))) return undefined;
      return FEATURES.filter((f) => list.includes(f));
    },
    `a non-empty list of ${FEATURES.join(',')}`,
  );
  field(
    'layers',
    (raw) => {
      const list = raw === '' ? [] : raw.split(',').map(Number);
      const ok = list.length <= MAX_LAYERS && list.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_NEURONS);
      return ok ? list : undefined;
    },
    `0 to ${MAX_LAYERS} comma-separated layer sizes in 1..${MAX_NEURONS}`,
  );
  field('activation', oneOf(ACTIVATION_CHOICES), ACTIVATION_CHOICES.join('|'));
  field('optimizer', oneOf(OPTIMIZER_CHOICES), OPTIMIZER_CHOICES.join('|'));
  field('lr', number(1e-6, 10), 'a learning rate in [1e-6, 10]');
  field('batchSize', integer(1, 100), 'an integer in [1, 100]');
  field('l2', number(0, 1), 'a number in [0, 1]');
  field('showTest', (raw) => (raw === '1' ? true : raw === '0' ? false : undefined), '0 or 1');
  field('raceFunction', oneOf(FUNCTION_NAMES), FUNCTION_NAMES.join('|'));
  field(
    'raceStart',
    (raw) => {
      const v = raw.split(',').map(Number);
      return v.length === 2 && v.every((c) => raw.trim() !== '' && Number.isFinite(c) && Math.abs(c) <= 100)
        ? [v[0]!, v[1]!]
        : undefined;
    },
    'two comma-separated coordinates',
  );
  return { state, problems };
}
