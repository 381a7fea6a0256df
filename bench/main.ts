// `npm run bench [-- --filter <regex>] [--quick] [--cpu-time] [--out <file>] [--no-relaxed]`: runs the benchmark
// suites, prints a table per suite and writes bench/results/latest.json. On a runtime that validates relaxed SIMD
// only behind --experimental-wasm-relaxed-simd (Node 20), it re-runs itself with the flag so that the reference and
// both WASM builds are timed side by side in one process.
import { spawnSync } from 'node:child_process';
import { hasRelaxedSimd } from 'wasmgrad';
import { DEFAULT_OUT_FILE, RELAXED_FLAG, runBench } from './core/runner.js';

const USAGE = `usage: npm run bench -- [--filter <regex>] [--quick] [--cpu-time] [--out <file>] [--no-relaxed]
  --filter <regex>  only cases whose "suite/case" matches, case-insensitive (e.g. gemm, 'gemm/256', adam)
  --quick           fewer cases, smaller arrays, shorter timing
  --cpu-time        time with this process's CPU time instead of elapsed time (on a machine busy with other work)
  --out <file>      where to write the JSON report (default bench/results/latest.json)
  --no-relaxed      skip the relaxed-SIMD build`;

interface Args {
  filter: string | null;
  quick: boolean;
  cpuTime: boolean;
  out: string;
  relaxed: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { filter: null, quick: false, cpuTime: false, out: DEFAULT_OUT_FILE, relaxed: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--filter') args.filter = value();
    else if (arg.startsWith('--filter=')) args.filter = arg.slice('--filter='.length);
    else if (arg === '--quick') args.quick = true;
    else if (arg === '--cpu-time') args.cpuTime = true;
    else if (arg === '--out') args.out = value();
    else if (arg === '--no-relaxed') args.relaxed = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
if (args.relaxed && !hasRelaxedSimd() && !process.execArgv.includes(RELAXED_FLAG)) {
  const run = spawnSync(process.execPath, [...process.execArgv, RELAXED_FLAG, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}
await runBench({
  filter: args.filter,
  quick: args.quick,
  timer: args.cpuTime ? 'cpu' : 'wall',
  outFile: args.out,
  relaxed: args.relaxed ? 'auto' : 'off',
  variants: args.relaxed ? undefined : ['ref', 'wasm-simd'],
});
