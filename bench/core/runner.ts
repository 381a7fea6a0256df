// The benchmark runner: times every case of every registered suite on the reference backend and on both WASM builds
// side by side (tinybench, median of per-call samples), prints a table per suite and returns (and can write) the
// report with every sample. The relaxed-SIMD build needs a runtime that validates it; Node 20 does only with
// --experimental-wasm-relaxed-simd, so without it the relaxed variant runs in a child node process with the flag.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { createWasmBackend, hasRelaxedSimd, RefBackend, type Backend } from 'wasmgrad';
import { SUITES } from '../suites/index.js';
import { machineInfo } from './machine.js';
import type { BenchReport, CaseReport, Measured, SuiteReport, VariantResult } from './report.js';
import { formatSuite } from './table.js';
import { VARIANTS, type Prepared, type Suite, type VariantName } from './types.js';

export interface BenchOptions {
  /** Only cases whose `suite/case` matches (a string is a case-insensitive regular expression). */
  filter?: string | RegExp | null;
  /** Fewer cases, smaller arrays, shorter timing. */
  quick?: boolean;
  /** Variants to time (default: all three). */
  variants?: readonly VariantName[];
  /** Minimum time per case and variant in ms (default 500, quick 150); at least 10 calls (quick: 3) are timed. */
  timeMs?: number;
  /**
   * 'wall' (default): elapsed time. 'cpu': this process's CPU time (process.cpuUsage), which leaves out the time the
   * OS gives other processes, for a machine shared with other work; it still counts cache disturbance.
   */
  timer?: Timer;
  /** Where to write the JSON report; null (default) writes nothing. */
  outFile?: string | null;
  /** Where table lines go (default console.log); null prints nothing. */
  log?: ((line: string) => void) | null;
  /** Progress messages (default: stderr); null for none. */
  progress?: ((line: string) => void) | null;
  /** 'auto' (default): the relaxed build in this process if it validates it, else in a child node with the flag. */
  relaxed?: 'auto' | 'in-process' | 'off';
  /** The suites to run (default: the registered list in bench/suites/index.ts). */
  suites?: readonly Suite[];
}

export const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

export type Timer = 'wall' | 'cpu';

/** Milliseconds of CPU time this process has used (microsecond resolution). */
function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function createVariant(variant: VariantName): Promise<Backend> {
  if (variant === 'ref') return new RefBackend();
  return createWasmBackend({ build: variant === 'wasm-simd' ? 'simd' : 'relaxed' });
}

function matcher(filter: BenchOptions['filter']): (id: string) => boolean {
  if (filter === undefined || filter === null || filter === '') return () => true;
  const re = typeof filter === 'string' ? new RegExp(filter, 'i') : filter;
  return (id) => re.test(id);
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const quick = options.quick ?? false;
  const timeMs = options.timeMs ?? (quick ? 150 : 500);
  const timer = options.timer ?? 'wall';
  const log = options.log === undefined ? (line: string) => console.log(line) : options.log;
  const toStderr = (line: string) => void process.stderr.write(`${line}\n`);
  const progress = options.progress === undefined ? toStderr : options.progress;
  const wanted = options.variants ?? VARIANTS;
  const relaxedMode = options.relaxed ?? 'auto';
  const relaxedHere = wanted.includes('wasm-relaxed') && relaxedMode !== 'off' && hasRelaxedSimd();
  const relaxedInChild = wanted.includes('wasm-relaxed') && relaxedMode === 'auto' && !hasRelaxedSimd();
  const here = VARIANTS.filter((v) => wanted.includes(v) && (v !== 'wasm-relaxed' || relaxedHere));
  const include = matcher(options.filter);
  const startedAt = new Date().toISOString();
  const machine = machineInfo();

  const backends = new Map<VariantName, Backend>();
  for (const v of here) backends.set(v, await createVariant(v));

  const suites: SuiteReport[] = [];
  for (const suite of options.suites ?? SUITES) {
    const cases = suite.cases({ quick }).filter((c) => include(`${suite.name}/${c.name}`));
    if (cases.length === 0) continue;
    const { name, title, unit, unitScale } = suite;
    const report: SuiteReport = { name, title, unit, unitScale, cases: [] };
    for (const c of cases) {
      progress?.(`${suite.name}/${c.name}`);
      const variants: CaseReport['variants'] = {};
      for (const v of here) {
        variants[v] = c.skip?.includes(v)
          ? { skipped: 'too slow for this run' }
          : await measure(backends.get(v)!, c.prepare, c.work / suite.unitScale, { timeMs, quick, timer });
      }
      report.cases.push({ name: c.name, work: c.work, variants });
    }
    suites.push(report);
  }
  for (const backend of backends.values()) backend.dispose();

  if (relaxedInChild) {
    const request = { filter: options.filter, quick, timeMs, timer, quiet: progress === null };
    mergeChild(suites, runRelaxedChild(request, progress));
  }

  const variantsShown = VARIANTS.filter((v) => here.includes(v) || (v === 'wasm-relaxed' && relaxedInChild));
  const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  log?.(
    `\n${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ` +
      `${timer === 'cpu' ? 'CPU' : 'elapsed'} time; ` +
      `load average ${load(machine.loadAverage)} at the start, ${load(os.loadavg())} at the end`,
  );
  for (const suite of suites) log?.(`\n${formatSuite(suite, variantsShown)}`);

  const result: BenchReport = {
    machine,
    wasmBuilds: variantsShown.filter((v) => v !== 'ref').map((v) => (v === 'wasm-simd' ? 'simd' : 'relaxed-simd')),
    options: { filter: options.filter ? String(options.filter) : null, quick, timeMs, timer, variants: variantsShown },
    startedAt,
    finishedAt: new Date().toISOString(),
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    suites,
  };
  if (options.outFile) {
    mkdirSync(dirname(options.outFile), { recursive: true });
    // One line: a full run holds about two million samples.
    writeFileSync(options.outFile, `${JSON.stringify(result)}\n`);
    log?.(`\nwrote ${options.outFile}`);
  }
  return result;
}

/** Times one case on one backend; a case that throws (e.g. a kernel not written yet) is reported, not fatal. */
async function measure(
  backend: Backend,
  prepare: (backend: Backend) => Prepared,
  scaledWork: number,
  { timeMs, quick, timer }: { timeMs: number; quick: boolean; timer: Timer },
): Promise<VariantResult> {
  let prepared: Prepared;
  try {
    prepared = prepare(backend);
    prepared.run();
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  }
  try {
    const bench = new Bench({
      time: timeMs,
      iterations: quick ? 3 : 10,
      warmupTime: Math.min(100, timeMs / 4),
      warmupIterations: 1,
      retainSamples: true,
      throws: true,
      ...(timer === 'cpu' ? { now: cpuNow } : {}),
    });
    const before = prepared.beforeEach;
    bench.add('case', () => prepared.run(), before ? { beforeEach: () => before() } : {});
    await bench.run();
    const result = bench.tasks[0]!.result;
    if (result.state !== 'completed') {
      return { error: 'error' in result ? result.error.message : `tinybench state ${result.state}` };
    }
    const lat = result.latency;
    const medianMs = lat.p50;
    const measured: Measured = {
      rate: scaledWork / (medianMs / 1000),
      medianMs,
      meanMs: lat.mean,
      minMs: lat.min,
      maxMs: lat.max,
      rmePercent: lat.rme,
      samplesUs: lat.samples ? Array.from(lat.samples, (ms) => Math.round(ms * 1e6) / 1e3) : [],
      process: 'in-process',
    };
    return measured;
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  } finally {
    prepared.dispose();
  }
}

interface ChildRequest {
  filter: BenchOptions['filter'];
  quick: boolean;
  timeMs: number;
  timer: Timer;
  /** No progress lines from the child either. */
  quiet: boolean;
}

/** Runs the relaxed variant in `node --experimental-wasm-relaxed-simd bench/dist/core/child.js`. */
function runRelaxedChild(request: ChildRequest, progress: ((line: string) => void) | null): SuiteReport[] {
  const dir = mkdtempSync(join(os.tmpdir(), 'wasmgrad-bench-'));
  const out = join(dir, 'relaxed.json');
  try {
    progress?.(`(relaxed-SIMD build: in a child node process with ${RELAXED_FLAG})`);
    const child = fileURLToPath(new URL('./child.js', import.meta.url));
    const filter = request.filter instanceof RegExp ? request.filter.source : (request.filter ?? null);
    const args = [RELAXED_FLAG, child, JSON.stringify({ ...request, filter, out })];
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`the relaxed-SIMD bench child exited with ${run.status}`);
    return (JSON.parse(readFileSync(out, 'utf8')) as BenchReport).suites;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mergeChild(suites: SuiteReport[], fromChild: SuiteReport[]): void {
  for (const childSuite of fromChild) {
    const suite = suites.find((s) => s.name === childSuite.name);
    for (const childCase of childSuite.cases) {
      const target = suite?.cases.find((c) => c.name === childCase.name);
      const result = childCase.variants['wasm-relaxed'];
      if (target && result) {
        target.variants['wasm-relaxed'] = 'rate' in result ? { ...result, process: 'child' } : result;
      }
    }
  }
}

/** The repository's bench/results/latest.json, seen from the compiled runner (bench/dist/core/runner.js). */
export const DEFAULT_OUT_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results', 'latest.json');
