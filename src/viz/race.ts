// The optimizer race: SGD, momentum, Nesterov, RMSprop, Adagrad and Adam each descend the same 2-D test function from
// the same start, through the library's own optimizers (and so the backend's update kernels) on a two-element
// parameter. The gradient is computed on the host in float64 at the float32 point the kernels hold.
// Free of Node APIs (the playground's race view uses it too).
import type { Backend } from '../backend/types.js';
import { Param, ParamArena } from '../nn/arena.js';
import { createOptimizer } from '../cli/optimizers.js';
import { OPTIMIZER_KEYS, type OptimizerKey, type TestFunction } from './functions.js';

export const OPTIMIZER_LABELS: Readonly<Record<OptimizerKey, string>> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adam: 'Adam',
};

export interface RacePath {
  key: OptimizerKey;
  label: string;
  lr: number;
  /** x₀, y₀, x₁, y₁, … for steps 0 … `length` − 1 (the start is step 0). */
  points: Float64Array;
  /** Points computed: steps + 1, or fewer if the path diverged (left the window by far, or overflowed). */
  length: number;
  diverged: boolean;
}

export interface RaceOptions {
  steps?: number;
  /** Learning rates overriding the function's defaults. */
  lr?: Partial<Record<OptimizerKey, number>>;
  start?: readonly [number, number];
  optimizers?: readonly OptimizerKey[];
}

/** Runs every optimizer for `steps` steps; the paths include the start. */
export function runRace(backend: Backend, fn: TestFunction, options: RaceOptions = {}): RacePath[] {
  const steps = options.steps ?? fn.steps;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`runRace: steps must be an integer ≥ 1, got ${String(steps)}`);
  const [x0, y0] = options.start ?? fn.start;
  const [xa, xb, ya, yb] = fn.window;
  const far = 10 * Math.max(xb - xa, yb - ya);
  return (options.optimizers ?? OPTIMIZER_KEYS).map((key) => {
    const lr = options.lr?.[key] ?? fn.lr[key];
    const param = new Param('point', [2], 2, 1);
    const arena = new ParamArena(backend, [param]);
    const optimizer = createOptimizer(key, lr); // momentum and Nesterov: μ = 0.9; the rest: library defaults
    const points = new Float64Array(2 * (steps + 1));
    const xy = new Float32Array(2);
    const g = new Float32Array(2);
    let length = 0;
    let diverged = false;
    try {
      optimizer.attach(arena);
      backend.write(param.value, [x0, y0]);
      for (let t = 0; t <= steps; t++) {
        backend.read(param.value, xy);
        const [x, y] = [xy[0]!, xy[1]!];
        if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x - (xa + xb) / 2) > far || Math.abs(y - (ya + yb) / 2) > far) {
          diverged = true;
          break;
        }
        points[2 * t] = x;
        points[2 * t + 1] = y;
        length = t + 1;
        if (t === steps) break;
        const [gx, gy] = fn.grad(x, y);
        g[0] = gx;
        g[1] = gy;
        if (!Number.isFinite(g[0]!) || !Number.isFinite(g[1]!)) {
          diverged = true;
          break;
        }
        arena.zeroGrad();
        backend.write(arena.grads, g);
        optimizer.step();
      }
    } finally {
      optimizer.dispose();
      arena.dispose();
    }
    return { key, label: OPTIMIZER_LABELS[key], lr, points, length, diverged };
  });
}
