// The optimizer race: the same start point, one path per optimizer, each step taken by the backend's own update
// kernel (sgdStep, rmspropStep, adagradStep, adamStep) on a two-element parameter buffer. The gradient of the test
// function is computed here in float64 and written to the gradient buffer before every step.
import type { Backend, Buf } from '../../../src/backend/types.js';
import type { TestFunction } from './functions.js';

export const RACER_NAMES = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adagrad', 'adam'] as const;
export type RacerName = (typeof RACER_NAMES)[number];

export const RACER_LABELS: Readonly<Record<RacerName, string>> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adam: 'Adam',
};

/** One optimizer's path: points (x₀, y₀, x₁, y₁, …), the start included. */
export interface RacePath {
  name: RacerName;
  lr: number;
  points: Float64Array;
  /** Set when the path left the plot far behind or became non-finite: it stops there. */
  escaped: boolean;
}

const MOMENTUM = 0.9;
const RMSPROP_ALPHA = 0.99;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
const ADAGRAD_EPS = 1e-10;

/** One step of one optimizer on a 2-element parameter, given the gradient already in `g`. */
type Stepper = (t: number) => void;

function makeStepper(be: Backend, name: RacerName, lr: number, p: Buf, g: Buf, state: Buf[]): Stepper {
  const more = (): Buf => {
    const buf = be.alloc(2);
    be.fill(2, 0, buf);
    state.push(buf);
    return buf;
  };
  switch (name) {
    case 'sgd':
    case 'momentum':
    case 'nesterov': {
      const momentum = name === 'sgd' ? 0 : MOMENTUM;
      const velocity = name === 'sgd' ? null : more();
      const nesterov = name === 'nesterov';
      return (t) =>
        be.sgdStep(2, p, g, velocity, { lr, momentum, dampening: 0, nesterov, weightDecay: 0, firstStep: t === 1 });
    }
    case 'rmsprop': {
      const square = more();
      const hp = { lr, alpha: RMSPROP_ALPHA, eps: EPS, momentum: 0, centered: false, weightDecay: 0 };
      return () => be.rmspropStep(2, p, g, square, null, null, hp);
    }
    case 'adagrad': {
      const sum = more();
      return () => be.adagradStep(2, p, g, sum, { lr, eps: ADAGRAD_EPS, weightDecay: 0 });
    }
    case 'adam': {
      const m = more();
      const v = more();
      return (t) =>
        be.adamStep(2, p, g, m, v, null, {
          lr,
          beta1: BETA1,
          beta2: BETA2,
          eps: EPS,
          weightDecay: 0,
          decoupledWeightDecay: false,
          amsgrad: false,
          biasCorrection1: 1 - BETA1 ** t,
          biasCorrection2: 1 - BETA2 ** t,
        });
    }
  }
}

/** Runs every optimizer for `fn.steps` steps from `start`; frees everything it allocated. */
export function runRace(be: Backend, fn: TestFunction, start: readonly [number, number]): RacePath[] {
  const [x0, x1] = fn.xRange;
  const [y0, y1] = fn.yRange;
  // A path that leaves the plot by more than its own size is stopped: it is not coming back in a useful way.
  const far = (x: number, y: number): boolean =>
    !(Math.abs(x - (x0 + x1) / 2) <= 1.5 * (x1 - x0) && Math.abs(y - (y0 + y1) / 2) <= 1.5 * (y1 - y0));
  const paths: RacePath[] = [];
  for (const name of RACER_NAMES) {
    const lr = fn.lr[name];
    const p = be.alloc(2);
    const g = be.alloc(2);
    const state: Buf[] = [];
    try {
      be.write(p, start);
      const step = makeStepper(be, name, lr, p, g, state);
      const points = new Float64Array(2 * (fn.steps + 1));
      points[0] = start[0];
      points[1] = start[1];
      const xy = new Float32Array(2);
      let count = 1;
      let escaped = false;
      for (let t = 1; t <= fn.steps; t++) {
        be.read(p, xy);
        be.write(g, fn.grad(xy[0]!, xy[1]!));
        step(t);
        be.read(p, xy);
        if (!Number.isFinite(xy[0]!) || !Number.isFinite(xy[1]!) || far(xy[0]!, xy[1]!)) {
          escaped = true;
          if (Number.isFinite(xy[0]!) && Number.isFinite(xy[1]!)) {
            points[2 * count] = xy[0]!;
            points[2 * count + 1] = xy[1]!;
            count++;
          }
          break;
        }
        points[2 * count] = xy[0]!;
        points[2 * count + 1] = xy[1]!;
        count++;
      }
      paths.push({ name, lr, points: points.slice(0, 2 * count), escaped });
    } finally {
      for (const buf of [p, g, ...state]) be.free(buf);
    }
  }
  return paths;
}
