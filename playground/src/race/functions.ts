// The 2-D test functions of the optimizer race: each with its gradient, the window it is drawn in, a start point
// where the race is interesting, and a learning rate per optimizer that makes each one behave typically there.
import type { RacerName } from './racers.js';

export interface TestFunction {
  readonly name: FunctionName;
  readonly label: string;
  /** The formula, as shown under the plot. */
  readonly formula: string;
  f(x: number, y: number): number;
  grad(x: number, y: number): [number, number];
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  readonly start: readonly [number, number];
  /** Global minima, marked on the plot. */
  readonly minima: readonly (readonly [number, number])[];
  readonly steps: number;
  readonly lr: Readonly<Record<RacerName, number>>;
}

export const FUNCTION_NAMES = ['beale', 'rosenbrock', 'himmelblau', 'saddle', 'rastrigin'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

const beale: TestFunction = {
  name: 'beale',
  label: 'Beale',
  formula: 'f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
  f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
  grad(x, y) {
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y ** 3;
    return [
      2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1),
      2 * a * x + 4 * b * x * y + 6 * c * x * y * y,
    ];
  },
  xRange: [-4.5, 4.5],
  yRange: [-4.5, 4.5],
  start: [1, 1.5],
  minima: [[3, 0.5]],
  steps: 600,
  lr: { sgd: 0.001, momentum: 0.001, nesterov: 0.001, rmsprop: 0.01, adagrad: 0.5, adam: 0.05 },
};

const rosenbrock: TestFunction = {
  name: 'rosenbrock',
  label: 'Rosenbrock',
  formula: 'f = (1 − x)² + 100·(y − x²)²',
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  xRange: [-2, 2],
  yRange: [-1, 3],
  start: [-1.5, 2],
  minima: [[1, 1]],
  steps: 800,
  lr: { sgd: 0.0005, momentum: 0.0002, nesterov: 0.0002, rmsprop: 0.005, adagrad: 0.3, adam: 0.05 },
};

const himmelblau: TestFunction = {
  name: 'himmelblau',
  label: 'Himmelblau',
  formula: 'f = (x² + y − 11)² + (x + y² − 7)²',
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  grad(x, y) {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * a * x + 2 * b, 2 * a + 4 * b * y];
  },
  xRange: [-5, 5],
  yRange: [-5, 5],
  start: [-0.5, -0.5],
  minima: [
    [3, 2],
    [-2.805118, 3.131312],
    [-3.77931, -3.283186],
    [3.584428, -1.848126],
  ],
  steps: 500,
  lr: { sgd: 0.005, momentum: 0.002, nesterov: 0.002, rmsprop: 0.02, adagrad: 0.5, adam: 0.1 },
};

const saddle: TestFunction = {
  name: 'saddle',
  label: 'Saddle',
  formula: 'f = x² − y²',
  f: (x, y) => x * x - y * y,
  grad: (x, y) => [2 * x, -2 * y],
  xRange: [-2, 2],
  yRange: [-2, 2],
  start: [-1.8, 0.001],
  minima: [],
  steps: 300,
  lr: { sgd: 0.02, momentum: 0.01, nesterov: 0.01, rmsprop: 0.01, adagrad: 0.1, adam: 0.02 },
};

const TAU = 2 * Math.PI;
const rastrigin: TestFunction = {
  name: 'rastrigin',
  label: 'Rastrigin',
  formula: 'f = 20 + x² − 10·cos 2πx + y² − 10·cos 2πy',
  f: (x, y) => 20 + x * x - 10 * Math.cos(TAU * x) + y * y - 10 * Math.cos(TAU * y),
  grad: (x, y) => [2 * x + 10 * TAU * Math.sin(TAU * x), 2 * y + 10 * TAU * Math.sin(TAU * y)],
  xRange: [-5.12, 5.12],
  yRange: [-5.12, 5.12],
  start: [-4.4, 4.1],
  minima: [[0, 0]],
  steps: 500,
  lr: { sgd: 0.002, momentum: 0.002, nesterov: 0.002, rmsprop: 0.02, adagrad: 0.5, adam: 0.05 },
};

export const FUNCTIONS: Readonly<Record<FunctionName, TestFunction>> = { beale, rosenbrock, himmelblau, saddle, rastrigin };
