// The playground's logic without a browser: the URL form of the state, the network trainer that runs in the worker,
// and the optimizer race as the worker runs it.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/types.js';
import { FUNCTION_NAMES, OPTIMIZER_KEYS, testFunction } from '../../src/viz/functions.js';
import { runRace } from '../../src/viz/race.js';
import { decodeState, DEFAULT_STATE, encodeState, type PlaygroundState } from '../../playground/src/state.js';
import { GRID } from '../../playground/src/data.js';
import { Trainer } from '../../playground/src/trainer.js';
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

describe('optimizer race as the worker runs it (src/viz/race.ts)', () => {
  it('starts every path at a clicked point, covers every optimizer, and frees what it allocated', async () => {
    const be = await wasmFactory.create();
    const before = live(be);
    const fn = testFunction('himmelblau')!;
    const start: [number, number] = [-1.25, 3.5];
    const paths = runRace(be, fn, { start });
    expect(paths.map((p) => p.key)).toEqual([...OPTIMIZER_KEYS]);
    for (const path of paths) {
      expect([path.points[0], path.points[1]]).toEqual([-1.25, 3.5]);
      expect(path.length).toBeGreaterThan(1);
      // Each step went downhill overall: the end is lower than the start.
      const end = 2 * (path.length - 1);
      expect(fn.f(path.points[end]!, path.points[end + 1]!), path.key).toBeLessThan(fn.f(...start));
    }
    expect(live(be)).toBe(before);
    be.dispose();
  });

  it('every function the race tab offers can be chosen in the URL', () => {
    for (const name of FUNCTION_NAMES) {
      expect(decodeState(`fn=${name}`)).toEqual({ state: { ...DEFAULT_STATE, raceFunction: name }, problems: [] });
    }
  });
});
