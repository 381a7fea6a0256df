// Two-dimensional test functions for watching optimizers: value, gradient, the usual start point, the plotting
// window and the minima. Free of Node APIs (the playground's optimizer race uses them too).

export interface TestFunction {
  readonly name: string;
  readonly title: string;
  f(x: number, y: number): number;
  /** ∇f at (x, y). */
  grad(x: number, y: number): [number, number];
  readonly start: readonly [number, number];
  /** Plotting window: [xMin, xMax, yMin, yMax]. */
  readonly window: readonly [number, number, number, number];
  /** Global minima (none for the saddle). */
  readonly minima: readonly (readonly [number, number])[];
  /** Colour the contour map by log(1 + f − fMin) (steep bowls) or by f itself. */
  readonly logScale: boolean;
  /** Steps in the default animation. */
  readonly steps: number;
  /** Learning rate of each optimizer (by its legend key), chosen so that each makes visible progress. */
  readonly lr: Readonly<Record<OptimizerKey, number>>;
}

export const OPTIMIZER_KEYS = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adagrad', 'adam'] as const;
export type OptimizerKey = (typeof OPTIMIZER_KEYS)[number];

/** Rosenbrock (1960): (1 − x)² + 100(y − x²)², a curved narrow valley; minimum (1, 1); the classic start (−1.2, 1). */
export const rosenbrock: TestFunction = {
  name: 'rosenbrock',
  title: 'Rosenbrock',
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  start: [-1.2, 1],
  window: [-2, 2, -1, 3],
  minima: [[1, 1]],
  logScale: true,
  steps: 1000,
  lr: { sgd: 0.0015, momentum: 0.0005, nesterov: 0.0005, rmsprop: 0.005, adagrad: 1, adam: 0.1 },
};

/** Beale: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²; minimum (3, 0.5); start (1, 1.5). */
export const beale: TestFunction = {
  name: 'beale',
  title: 'Beale',
  f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
  grad: (x, y) => {
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y ** 3;
    return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
  },
  start: [1, 1.5],
  window: [-4.5, 4.5, -4.5, 4.5],
  minima: [[3, 0.5]],
  logScale: true,
  steps: 600,
  lr: { sgd: 0.005, momentum: 0.001, nesterov: 0.001, rmsprop: 0.01, adagrad: 0.5, adam: 0.05 },
};

/** The saddle x² − y²: the start (1, 0.001) sits almost on the ridge; good optimizers leave it, downhill along y. */
export const saddle: TestFunction = {
  name: 'saddle',
  title: 'Saddle x^2 - y^2',
  f: (x, y) => x * x - y * y,
  grad: (x, y) => [2 * x, -2 * y],
  start: [1, 0.001],
  window: [-1.5, 1.5, -1.5, 1.5],
  minima: [],
  logScale: false,
  steps: 300,
  lr: { sgd: 0.01, momentum: 0.01, nesterov: 0.01, rmsprop: 0.01, adagrad: 0.1, adam: 0.01 },
};

/** Himmelblau: (x² + y − 11)² + (x + y² − 7)², four minima; start (0, 0). */
export const himmelblau: TestFunction = {
  name: 'himmelblau',
  title: 'Himmelblau',
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  grad: (x, y) => {
    const a = x * x + y - 11;
    const b = x + y * y - 7;
    return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
  },
  start: [0, 0],
  window: [-5, 5, -5, 5],
  minima: [
    [3, 2],
    [-2.805118, 3.131312],
    [-3.77931, -3.283186],
    [3.584428, -1.848126],
  ],
  logScale: true,
  steps: 300,
  lr: { sgd: 0.005, momentum: 0.001, nesterov: 0.001, rmsprop: 0.02, adagrad: 0.5, adam: 0.05 },
};

/** Rastrigin: 20 + Σ (xᵢ² − 10 cos 2πxᵢ), a grid of local minima around the global one at (0, 0); start (3.2, −2.9), where most optimizers stay trapped. */
export const rastrigin: TestFunction = {
  name: 'rastrigin',
  title: 'Rastrigin',
  f: (x, y) => 20 + x * x - 10 * Math.cos(2 * Math.PI * x) + y * y - 10 * Math.cos(2 * Math.PI * y),
  grad: (x, y) => [2 * x + 20 * Math.PI * Math.sin(2 * Math.PI * x), 2 * y + 20 * Math.PI * Math.sin(2 * Math.PI * y)],
  start: [3.2, -2.9],
  window: [-5.12, 5.12, -5.12, 5.12],
  minima: [[0, 0]],
  logScale: false,
  steps: 300,
  lr: { sgd: 0.004, momentum: 0.002, nesterov: 0.002, rmsprop: 0.1, adagrad: 1, adam: 0.3 },
};

export const TEST_FUNCTIONS: readonly TestFunction[] = [rosenbrock, beale, saddle, himmelblau, rastrigin];
export const FUNCTION_NAMES = TEST_FUNCTIONS.map((t) => t.name);

export function testFunction(name: string): TestFunction | undefined {
  return TEST_FUNCTIONS.find((t) => t.name === name);
}
