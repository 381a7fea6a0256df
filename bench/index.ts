// The benchmark suite as a library: `runBench({ filter, quick, ... })` for the CLI and scripts, the suite types for
// anyone adding a suite (bench/suites/index.ts lists them).
export { DEFAULT_OUT_FILE, RELAXED_FLAG, runBench, type BenchOptions, type Timer } from './core/runner.js';
export type { BenchReport, CaseReport, Measured, SuiteReport, VariantResult } from './core/report.js';
export { VARIANTS, type BenchCase, type Prepared, type Suite, type VariantName } from './core/types.js';
export { SUITES } from './suites/index.js';
