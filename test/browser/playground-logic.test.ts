// The playground's logic without a browser: the URL form of the state, the network trainer that runs in the worker,
// and the optimizer race on the backends' update kernels.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/types.js';
import { FUNCTIONS, FUNCTION_NAMES } from '../../playground/src/race/functions.js';
import { RACER_NAMES, runRace } from '../../playground/src/race/racers.js';
import { decodeState, DEFAULT_STATE, encodeState, type PlaygroundState } from '../../playground/src/state.js';
import { GRID, Trainer } from '../../playground/src/trainer.js';
import { refFactory, wasmFactory } from '../helpers/backends.js';

describe('playground state in the URL', () => {
  it('round-trips the defaults and a changed state', () => {
    expect(decodeState(encodeState(DEFAULT_STATE))).toEqual({ state: DEFAULT_STATE, problems: [] });
    const changed: PlaygroundState = {
      view: 'race',
      dataset: 'spiral',
      noise: 0.17,
      trainPercent: 80,
      seed: 123456,
      features: ['x1', 'x2sq', 'sinx2'],
      layers: [],
      activation: 'leakyRelu',
      optimizer: 'adamw',
      lr: 0.3,
      batchSize: 1,
      l2: 0.003,
      showTest: true,
      raceFunction: 'himmelblau',
      raceStart: [-1.25, 3.5],
    };
    expect(decodeState(encodeState(changed))).toEqual({ state: changed, problems: [] });
  });

  it('an empty query gives the defaults', () => {
    expect(decodeState('')).toEqual({ state: DEFAULT_STATE, problems: [] });
  });

  it('keeps the defaults for fields it cannot read, and says which and why', () => {
    const { state, problems } = decodeState(
      'dataset=moon&lr=abc&layers=3,9&features=x1,foo&seed=1.5&train=95&batch=0&start=1&noise=&activation=relu',
    );
    expect(state).toEqual({ ...DEFAULT_STATE, activation: 'relu' });
    expect(problems).toEqual([
      'dataset=moon ignored: expected circles|xor|gaussians|spiral|moons',
      'noise= ignored: expected a number in [0, 0.5]',
      'train=95 ignored: expected an integer in [10, 90]',
      'seed=1.5 ignored: expected an integer in [0, 2³¹ − 1]',
      'features=x1,foo ignored: expected a non-empty list of x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2',
      'layers=3,9 ignored: expected 0 to 6 comma-separated layer sizes in 1..8',
      'lr=abc ignored: expected a learning rate in [1e-6, 10]',
      'batch=0 ignored: expected an integer in [1, 100]',
      'start=1 ignored: expected two comma-separated coordinates',
    ]);
  });
});

/** Buffers the backend holds for its users, to check that the playground frees everything it allocates. */
const live = (be: Backend): number => be.memoryStats().liveBuffers;

describe('playground trainer (the worker side)', () => {
  it('learns the circle to a test loss under 0.1 on the WASM backend, and frees everything', async () => {
    const be = await wasmFactory.create();
    const before = live(be);
    const trainer = new Trainer(be, { ...DEFAULT_STATE, dataset: 'circles' });
    const first = trainer.snapshot();
    while (trainer.epoch < 300 && trainer.snapshot().testLoss >= 0.1) trainer.trainEpoch();
    const last = trainer.snapshot();
    expect(last.testLoss).toBeLessThan(0.1);
    expect(last.testLoss).toBeLessThan(first.testLoss);
    expect(last.output).toHaveLength(GRID * GRID);
    expect(last.output.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(last.hidden.map((h) => h.length)).toEqual([GRID * GRID * 4, GRID * GRID * 2]);
    trainer.dispose();
    expect(live(be)).toBe(before);
    be.dispose();
  });

  it('the same state gives the same run, epoch for epoch', async () => {
    const be = await wasmFactory.create();
    const state: PlaygroundState = { ...DEFAULT_STATE, dataset: 'xor', layers: [5, 3], optimizer: 'momentum', l2: 0.001 };
    const runs = [new Trainer(be, state), new Trainer(be, state)].map((trainer) => {
      for (let e = 0; e < 5; e++) trainer.trainEpoch();
      const snapshot = trainer.snapshot();
      trainer.dispose();
      return snapshot;
    });
    expect(runs[1]).toEqual(runs[0]);
    be.dispose();
  });

  it('trains without hidden layers (logistic regression on the features)', async () => {
    const be = await refFactory.create();
    const trainer = new Trainer(be, { ...DEFAULT_STATE, layers: [], features: ['x1sq', 'x2sq'], optimizer: 'sgd', lr: 0.1 });
    const first = trainer.snapshot();
    for (let e = 0; e < 20; e++) trainer.trainEpoch();
    const last = trainer.snapshot();
    expect(last.hidden).toEqual([]);
    expect(last.testLoss).toBeLessThan(first.testLoss / 2);
    trainer.dispose();
  });
});

describe('optimizer race (update kernels on a two-element parameter)', () => {
  for (const factory of [refFactory, wasmFactory]) {
    it(`${factory.name}: the first step of each racer is its published rule, computed by hand`, async () => {
      const be = await factory.create();
      const fn = FUNCTIONS.beale;
      const [x, y] = fn.start;
      const g = fn.grad(x, y);
      const once = { ...fn, steps: 1 };
      const paths = runRace(be, once, fn.start);
      expect(paths.map((p) => p.name)).toEqual([...RACER_NAMES]);
      for (const path of paths) {
        const lr = fn.lr[path.name];
        // Step 1 of each rule from zero state: SGD, momentum and Nesterov (v₁ = g) move by η·g, Nesterov by η·(g + μ·g);
        // RMSprop by η·g/(√((1 − α)·g²) + ε); Adagrad by η·g/(|g| + ε); Adam by η·ĝ/(|ĝ| + ε) = η·sign(g).
        const expected = g.map((gi, i) => {
          const p = fn.start[i]!;
          switch (path.name) {
            case 'sgd':
            case 'momentum':
              return p - lr * gi;
            case 'nesterov':
              return p - lr * (gi + 0.9 * gi);
            case 'rmsprop':
              return p - (lr * gi) / (Math.sqrt(0.01 * gi * gi) + 1e-8);
            case 'adagrad':
              return p - (lr * gi) / (Math.abs(gi) + 1e-10);
            case 'adam':
              return p - (lr * gi) / (Math.abs(gi) + 1e-8);
          }
        });
        // Parameters of size ~1 updated once in float32: a few units of 2⁻²³ relative.
        expect(path.points[2]!, path.name).toBeCloseTo(expected[0]!, 5);
        expect(path.points[3]!, path.name).toBeCloseTo(expected[1]!, 5);
      }
      be.dispose();
    });
  }

  it('every racer reaches a minimum of Himmelblau, and nothing stays allocated', async () => {
    const be = await wasmFactory.create();
    const before = live(be);
    const fn = FUNCTIONS.himmelblau;
    for (const path of runRace(be, fn, fn.start)) {
      const n = path.points.length / 2;
      const end = [path.points[2 * n - 2]!, path.points[2 * n - 1]!] as const;
      const nearest = Math.min(...fn.minima.map(([a, b]) => Math.hypot(end[0] - a, end[1] - b)));
      expect(nearest, path.name).toBeLessThan(1e-2);
      expect(path.escaped).toBe(false);
    }
    expect(live(be)).toBe(before);
    be.dispose();
  });

  it('a path that runs off the saddle stops there, marked as escaped', async () => {
    const be = await wasmFactory.create();
    const fn = FUNCTIONS.saddle;
    const sgd = runRace(be, fn, fn.start).find((p) => p.name === 'sgd')!;
    expect(sgd.escaped).toBe(true);
    expect(sgd.points.length / 2).toBeLessThan(fn.steps + 1);
    expect(Math.abs(sgd.points.at(-1)!)).toBeGreaterThan(fn.yRange[1]);
    be.dispose();
  });

  it('every function starts inside its plot, with a learning rate for every racer', () => {
    for (const name of FUNCTION_NAMES) {
      const fn = FUNCTIONS[name];
      expect(fn.start[0]).toBeGreaterThanOrEqual(fn.xRange[0]);
      expect(fn.start[0]).toBeLessThanOrEqual(fn.xRange[1]);
      expect(fn.start[1]).toBeGreaterThanOrEqual(fn.yRange[0]);
      expect(fn.start[1]).toBeLessThanOrEqual(fn.yRange[1]);
      expect(Object.keys(fn.lr).sort()).toEqual([...RACER_NAMES].sort());
      // The gradient is the function's: central differences agree at the start point.
      const h = 1e-6;
      const [x, y] = fn.start;
      const [gx, gy] = fn.grad(x, y);
      expect(gx, name).toBeCloseTo((fn.f(x + h, y) - fn.f(x - h, y)) / (2 * h), 3);
      expect(gy, name).toBeCloseTo((fn.f(x, y + h) - fn.f(x, y - h)) / (2 * h), 3);
    }
  });
});
