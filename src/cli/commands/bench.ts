// wasmgrad bench: the benchmark suite of the source checkout (bench/, compiled to bench/dist by tsconfig.bench.json;
// compiled here first if it is not there yet). --peers runs bench/suites/peers.ts instead: TensorFlow.js and brain.js
// next to wasmgrad on the same GEMM shapes and training tasks.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type FlagSpec, parseFlags, str } from '../args.js';
import { UsageError } from '../errors.js';

const FLAGS: FlagSpec = {
  filter: { type: 'string' },
  quick: { type: 'boolean' },
  peers: { type: 'boolean' },
  json: { type: 'boolean' },
};

/** The package root, seen from dist/cli/commands/. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'results') newest = Math.max(newest, newestMtime(path));
    } else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles bench/ to bench/dist when it is missing or older than its sources. */
function ensureBenchBuilt(): string {
  const benchDir = join(ROOT, 'bench');
  const config = join(ROOT, 'tsconfig.bench.json');
  const entry = join(benchDir, 'dist', 'index.js');
  if (!existsSync(config) || !existsSync(benchDir)) {
    throw new UsageError('bench: the benchmark suite comes with the source checkout of wasmgrad (bench/ is not in the npm package)');
  }
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(benchDir)) return benchDir;
  let tsc: string;
  try {
    tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    throw new UsageError('bench: compiling the benchmark suite needs the devDependency typescript; run npm install first');
  }
  process.stderr.write('compiling the benchmark suite (tsc -p tsconfig.bench.json)…\n');
  const run = spawnSync(process.execPath, [tsc, '-p', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  // tsc writes the JavaScript even when it reports type errors; only a missing output stops the run.
  if (run.status !== 0) {
    if (!existsSync(entry)) throw new Error(`bench: tsc -p tsconfig.bench.json failed:\n${run.stdout}${run.stderr}`);
    process.stderr.write(`(tsc reported type errors in bench/; running the compiled suite anyway)\n${run.stdout}`);
  }
  return benchDir;
}

export async function runBenchCommand(argv: string[]): Promise<number> {
  const f = parseFlags('bench', argv, FLAGS);
  const filter = str(f, 'filter') ?? null;
  if (filter !== null) {
    try {
      new RegExp(filter, 'i');
    } catch {
      throw new UsageError(`bench: --filter must be a regular expression, got '${filter}'`);
    }
  }
  const quick = f.quick === true;
  const benchDir = ensureBenchBuilt();
  if (f.peers === true) {
    const peers = (await import(pathToFileURL(join(benchDir, 'dist', 'suites', 'peers.js')).href)) as {
      runPeers(o: { filter: string | null; quick: boolean; json: boolean }): Promise<unknown>;
      NoMatchError: new () => Error;
    };
    try {
      await peers.runPeers({ filter, quick, json: f.json === true });
    } catch (error) {
      if (error instanceof peers.NoMatchError) throw new UsageError(`bench: ${error.message}`);
      throw error;
    }
    return 0;
  }
  if (f.json === true) throw new UsageError('bench: --json goes with --peers; the core suite writes bench/results/latest.json');
  const bench = (await import(pathToFileURL(join(benchDir, 'dist', 'index.js')).href)) as {
    runBench(o: { filter: string | null; quick: boolean; outFile: string }): Promise<unknown>;
    DEFAULT_OUT_FILE: string;
    SUITES: readonly { name: string; cases(o: { quick: boolean }): readonly { name: string }[] }[];
  };
  // A filter that matches nothing would write an empty report over the last one.
  if (filter !== null) {
    const re = new RegExp(filter, 'i');
    const ids = bench.SUITES.flatMap((s) => s.cases({ quick }).map((c) => `${s.name}/${c.name}`));
    if (!ids.some((id) => re.test(id))) {
      throw new UsageError(`bench: --filter '${filter}' matches no case (they are named suite/case, e.g. '${ids[0]}')`);
    }
  }
  await bench.runBench({ filter, quick, outFile: bench.DEFAULT_OUT_FILE });
  return 0;
}
