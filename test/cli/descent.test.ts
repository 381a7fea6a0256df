// wasmgrad descent: the GIF's frames decode (with omggif, an independent decoder), each optimizer's colour is on the
// last frame, and Adam's path on Rosenbrock ends near the minimum (1, 1) with the documented settings (1,000 steps,
// lr 0.1, from the classic start (−1.2, 1)).
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/init.js';
import { TEST_FUNCTIONS } from '../../src/viz/functions.js';
import { runRace } from '../../src/viz/race.js';
import { createRenderer, legendLabel, palette, PATH_COLORS } from '../../src/viz/render.js';
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

describe('descent frames (the renderer)', () => {
  const colours = palette();
  const indexOf = (hex: string) => colours.findIndex((c, i) => i > 0 && c.join(',') === [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16)).join(','));

  for (const fn of TEST_FUNCTIONS) {
    it(`${fn.name}: the legend, title and step count cover no minimum, and every path shows on the last frame`, async () => {
      const backend = await init({ backend: 'ref' });
      const paths = runRace(backend, fn);
      backend.dispose();
      const r = createRenderer(fn, paths, 440);
      const first = r.frame(0, fn.steps);
      for (const [mx, my] of fn.minima) {
        const [px, py] = r.toPixel(mx, my);
        expect(first[Math.round(py) * r.width + Math.round(px)], `the minimum (${mx}, ${my}) is drawn`).toBe(colours.findIndex((c) => c.join(',') === '255,255,255'));
      }
      // On the last frame, each optimizer's colour shows along its path, not only in the marker of its current point:
      // at least 30 pixels of it away from every marker (a path drawn first can be covered by a later one running
      // along the same valley floor; the drawing order keeps each one's lead visible).
      const last = r.frame(fn.steps, fn.steps);
      const heads = paths.map((p) => r.toPixel(p.points[2 * (p.length - 1)]!, p.points[2 * (p.length - 1) + 1]!));
      paths.forEach((p, i) => {
        const colour = indexOf(PATH_COLORS[i]!);
        let shown = 0;
        for (let y = 0; y < r.height; y++) {
          for (let x = 0; x < r.mapWidth; x++) {
            if (last[y * r.width + x] === colour && heads.every(([hx, hy]) => Math.hypot(x - hx, y - hy) > 7)) shown++;
          }
        }
        // The same path drawn alone: how many pixels it covers away from the markers. (On Rastrigin, most optimizers
        // stay in the local minimum next to the start, all over the same few pixels: nothing to check there.)
        const single = createRenderer(fn, [p], 440);
        const alone = single.frame(fn.steps, fn.steps);
        let footprint = 0;
        for (let y = 0; y < r.height; y++) {
          for (let x = 0; x < r.mapWidth; x++) {
            if (alone[y * single.width + x] === indexOf(PATH_COLORS[0]!) && heads.every(([hx, hy]) => Math.hypot(x - hx, y - hy) > 7)) footprint++;
          }
        }
        if (footprint >= 60) expect(shown, `${p.label}: pixels of its path on the last frame (${footprint} alone)`).toBeGreaterThanOrEqual(30);
      });
    });
  }

  it('marks an optimizer whose current point is off the map in the legend', async () => {
    const backend = await init({ backend: 'ref' });
    const paths = runRace(backend, TEST_FUNCTIONS.find((f) => f.name === 'saddle')!);
    backend.dispose();
    const adam = paths.find((p) => p.key === 'adam')!;
    expect(Math.abs(adam.points[2 * (adam.length - 1) + 1]!)).toBeGreaterThan(1.5); // it left the window [−1.5, 1.5]²
    expect(legendLabel(adam, adam.length - 1, saddleWindow)).toBe('Adam (out)');
    expect(legendLabel(adam, 0, saddleWindow)).toBe('Adam');
  });
});

const saddleWindow = TEST_FUNCTIONS.find((f) => f.name === 'saddle')!.window;

describe('wasmgrad descent output file', () => {
  it('writes <function>.gif in the working directory by default, not the README animation', () => {
    const cwd = tempDir('cli-descent-default');
    try {
      const r = runCli(['descent', '--function', 'beale', '--steps', '20'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`wrote ${join(cwd, 'beale.gif')} `);
      expect(new GifReader(readFileSync(join(cwd, 'beale.gif'))).numFrames()).toBe(21);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
