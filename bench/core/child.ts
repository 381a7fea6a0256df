// Child process entry of the runner: times only the relaxed-SIMD build, in a node started with
// --experimental-wasm-relaxed-simd, and writes the report where the parent asked (see runRelaxedChild in runner.ts).
import { runBench, type Timer } from './runner.js';

interface Request {
  filter: string | null;
  quick: boolean;
  timeMs: number;
  timer: Timer;
  quiet: boolean;
  out: string;
}
const request = JSON.parse(process.argv[2] ?? '{}') as Request;
await runBench({
  filter: request.filter,
  quick: request.quick,
  timeMs: request.timeMs,
  timer: request.timer,
  variants: ['wasm-relaxed'],
  relaxed: 'in-process',
  log: null,
  progress: request.quiet ? null : undefined,
  outFile: request.out,
});
