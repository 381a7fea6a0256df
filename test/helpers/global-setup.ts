// Global setup and teardown: clears the error records before the run and prints the largest error seen per kernel
// family (WASM against the reference, or against the published rule) after it.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS_DIR } from './errors-dir.js';

// The relaxed-SIMD child run (test/relaxed-build.test.ts) adds its records to the parent's table: it neither clears
// nor prints them.
const isChildRun = process.env.WASMGRAD_CHILD_RUN === '1';

export function setup(): void {
  if (isChildRun) return;
  rmSync(ERRORS_DIR, { recursive: true, force: true });
}

export function teardown(): void {
  if (isChildRun || !existsSync(ERRORS_DIR)) return;
  const table = new Map<string, { abs: number; rel: number }>();
  for (const file of readdirSync(ERRORS_DIR)) {
    const record = JSON.parse(readFileSync(join(ERRORS_DIR, file), 'utf8')) as Record<string, { abs: number; rel: number }>;
    for (const [family, e] of Object.entries(record)) {
      const seen = table.get(family) ?? { abs: 0, rel: 0 };
      table.set(family, { abs: Math.max(seen.abs, e.abs), rel: Math.max(seen.rel, e.rel) });
    }
  }
  if (table.size === 0) return;
  const rows = [...table.entries()].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rows.map(([f]) => f.length), 'family'.length);
  const lines = rows.map(([f, e]) => `${f.padEnd(width)}  ${e.abs.toExponential(2).padStart(9)}  ${e.rel.toExponential(2).padStart(9)}`);
  console.log(`\nLargest error seen per comparison family\n${'family'.padEnd(width)}  ${'abs'.padStart(9)}  ${'rel'.padStart(9)}\n${lines.join('\n')}\n`);
}
