// wasmgrad descent: the optimizer race on a 2-D test function, rendered as an animated GIF.
import { resolve } from 'node:path';
import { init } from '../../init.js';
import { FUNCTION_NAMES, testFunction } from '../../viz/functions.js';
import { runRace } from '../../viz/race.js';
import { createRenderer, palette } from '../../viz/render.js';
import { choice, type FlagSpec, int, parseFlags, str } from '../args.js';
import { encodeGif } from '../descent/gif.js';
import { UsageError } from '../errors.js';
import { count } from '../format.js';
import { writeFileTo } from '../output.js';

const FLAGS: FlagSpec = {
  function: { type: 'string' },
  steps: { type: 'string' },
  every: { type: 'string' },
  size: { type: 'string' },
  out: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
};


export async function runDescent(argv: string[]): Promise<void> {
  const c = 'descent';
  const f = parseFlags(c, argv, FLAGS);
  const name = choice(c, f, 'function', 'rosenbrock', FUNCTION_NAMES);
  const fn = testFunction(name)!;
  const steps = int(c, f, 'steps', fn.steps, 1, 100_000);
  const every = int(c, f, 'every', Math.max(1, Math.round(steps / 100)), 1, 100_000);
  const size = int(c, f, 'size', 440, 200, 2000);
  const out = resolve(str(f, 'out', `${name}.gif`));
  if (!/\.gif$/i.test(out)) throw new UsageError(`${c}: --out writes an animated GIF: give a file ending in .gif, got '${str(f, 'out')}'`);
  const backendName = choice(c, f, 'backend', 'wasm', ['wasm', 'ref'] as const);

  const backend = await init({ backend: backendName });
  const paths = runRace(backend, fn, { steps });
  const renderer = createRenderer(fn, paths, size);
  const frameSteps: number[] = [];
  for (let s = 0; s < steps; s += every) frameSteps.push(s);
  frameSteps.push(steps);
  const bytes = encodeGif(frameSteps.length, (i) => renderer.frame(frameSteps[i]!, steps), {
    width: renderer.width,
    height: renderer.height,
    palette: palette(),
    delay: 40,
    holdLast: 2000,
  });
  await writeFileTo(c, '--out', out, bytes);

  const finals = paths.map((p) => {
    const last = p.length - 1;
    const x = p.points[2 * last]!;
    const y = p.points[2 * last + 1]!;
    return { optimizer: p.label, lr: p.lr, steps: last, x, y, f: fn.f(x, y), diverged: p.diverged };
  });
  if (f.json === true) {
    process.stdout.write(`${JSON.stringify({ function: fn.name, start: fn.start, steps, frames: frameSteps.length, out, bytes: bytes.length, backend: backend.name, build: backend.build, paths: finals })}\n`);
  } else {
    process.stdout.write(`${fn.title} from (${fn.start.join(', ')}), ${steps} steps, backend ${backend.name} (${backend.build}):\n`);
    for (const r of finals) {
      process.stdout.write(
        `  ${r.optimizer.padEnd(9)} lr ${String(r.lr).padEnd(7)} → (${r.x.toFixed(4)}, ${r.y.toFixed(4)})  f = ${r.f.toExponential(3)}` +
          `${r.diverged ? `  (left the map after ${r.steps} steps)` : ''}\n`,
      );
    }
    process.stdout.write(`wrote ${out} (${frameSteps.length} frames, ${renderer.width}×${renderer.height}, ${count(bytes.length / 1024)} KiB)\n`);
  }
  backend.dispose();
}
