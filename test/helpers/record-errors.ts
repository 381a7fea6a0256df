// Setup file: after each test file, saves the largest errors its comparisons saw (test/helpers/close.ts) so that the
// global teardown can print one table of the largest error per kernel family for the whole run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { largestErrors } from './close.js';
import { ERRORS_DIR } from './errors-dir.js';

afterAll(() => {
  if (largestErrors.size === 0) return;
  mkdirSync(ERRORS_DIR, { recursive: true });
  const file = join(ERRORS_DIR, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(Object.fromEntries(largestErrors)));
});
