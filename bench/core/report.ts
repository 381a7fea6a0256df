// The shape of bench/results/latest.json.
import type { MachineInfo } from './machine.js';
import type { VariantName } from './types.js';

export interface Measured {
  /** Work per call / median seconds / the suite's unit scale. */
  rate: number;
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Relative margin of error of the mean, in percent. */
  rmePercent: number;
  /** Every timed call, in microseconds rounded to the nanosecond, sorted (tinybench keeps them sorted). */
  samplesUs: number[];
  /** Where it ran: 'in-process' or 'child' (a node process with the relaxed-SIMD flag). */
  process: 'in-process' | 'child';
}

export type VariantResult = Measured | { error: string } | { skipped: string };

export interface CaseReport {
  name: string;
  work: number;
  variants: Partial<Record<VariantName, VariantResult>>;
}

export interface SuiteReport {
  name: string;
  title: string;
  unit: string;
  unitScale: number;
  cases: CaseReport[];
}

export interface BenchReport {
  machine: MachineInfo;
  /** The WASM builds timed, as the backend reports them ('simd', 'relaxed-simd'). */
  wasmBuilds: string[];
  /** timer: 'wall' (elapsed) or 'cpu' (this process's CPU time). */
  options: { filter: string | null; quick: boolean; timeMs: number; timer: 'wall' | 'cpu'; variants: VariantName[] };
  startedAt: string;
  finishedAt: string;
  /** Load averages when the run finished (the machine's are when it started). */
  loadAverageAtEnd: number[];
  suites: SuiteReport[];
}
