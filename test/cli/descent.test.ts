// wasmgrad descent: the GIF's frames decode (with omggif, an independent decoder), each optimizer's colour is on the
// last frame, and Adam's path on Rosenbrock ends near the minimum (1, 1) with the documented settings (1,000 steps,
// lr 0.1, from the classic start (−1.2, 1)).
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PATH_COLORS } from '../../src/viz/render.js';
import { jsonOf, runCli, tempDir } from './run-cli.js';

interface GifReaderType {
  width: number;
  height: number;
  numFrames(): number;
  frameInfo(i: number): { delay: number; disposal: number; transparent_index: number | null };
  decodeAndBlitFrameRGBA(i: number, pixels: Uint8Array): void;
}
const { GifReader } = createRequire(import.meta.url)('omggif') as { GifReader: new (bytes: Uint8Array) => GifReaderType };

interface DescentJson {
  function: string;
  start: [number, number];
  steps: number;
  frames: number;
  out: string;
  paths: { optimizer: string; lr: number; steps: number; x: number; y: number; f: number; diverged: boolean }[];
}

const dir = tempDir('cli-descent');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wasmgrad descent', () => {
  it('draws the six optimizers on Rosenbrock into a GIF whose frames decode; Adam ends near (1, 1)', () => {
    const out = join(dir, 'rosenbrock.gif');
    const r = jsonOf<DescentJson>(runCli(['descent', '--function', 'rosenbrock', '--out', out, '--json']));
    expect(r.start).toEqual([-1.2, 1]);
    expect(r.steps).toBe(1000);
    expect(r.paths.map((p) => p.optimizer)).toEqual(['SGD', 'Momentum', 'Nesterov', 'RMSprop', 'Adagrad', 'Adam']);
    const adam = r.paths.find((p) => p.optimizer === 'Adam')!;
    expect(adam.lr).toBe(0.1);
    expect(adam.diverged).toBe(false);
    expect(Math.hypot(adam.x - 1, adam.y - 1)).toBeLessThan(0.02);
    // Every optimizer made progress from f(−1.2, 1) = 24.2.
    for (const p of r.paths) expect(p.f).toBeLessThan(1);

    const gif = new GifReader(readFileSync(out));
    expect(gif.numFrames()).toBe(r.frames);
    expect(r.frames).toBe(101);
    const rgba = new Uint8Array(gif.width * gif.height * 4);
    for (let i = 0; i < gif.numFrames(); i++) gif.decodeAndBlitFrameRGBA(i, rgba); // composes every frame in turn
    const colours = new Set<string>();
    for (let k = 0; k < rgba.length; k += 4) colours.add(`${rgba[k]},${rgba[k + 1]},${rgba[k + 2]}`);
    for (const hex of PATH_COLORS) {
      const rgb = [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16)).join(',');
      expect(colours.has(rgb), `path colour ${hex} on the last frame`).toBe(true);
    }
    expect(gif.frameInfo(r.frames - 1).delay).toBeGreaterThan(gif.frameInfo(1).delay); // the last frame is held
  });

  it('renders the other functions; on the saddle the optimizers leave the ridge (y grows from 0.001)', () => {
    const r = jsonOf<DescentJson>(runCli(['descent', '--function', 'saddle', '--out', join(dir, 's.gif'), '--json']));
    expect(r.frames).toBe(101);
    for (const p of r.paths) expect(Math.abs(p.y)).toBeGreaterThan(0.01);
    const h = jsonOf<DescentJson>(runCli(['descent', '--function', 'himmelblau', '--out', join(dir, 'h.gif'), '--json']));
    for (const p of h.paths) expect(p.f).toBeLessThan(1e-3);
  });
});
