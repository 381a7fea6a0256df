// Runs every conformance test file that uses the WASM backend once more against the relaxed-SIMD build, in a child
// vitest with node's --experimental-wasm-relaxed-simd (Node 20 validates relaxed SIMD only behind that flag) and
// WASMGRAD_TEST_BUILD=relaxed, which test/helpers/backends.ts honours. So `npm test` covers both builds.
// Which files: every test file outside test/browser/ that imports test/helpers/backends (the factories that honour
// the variable), found by reading the sources, so suites added later are included without editing this file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasRelaxedSimd } from '../src/backend/wasm/features.js';
import { WASM_BUILD, wasmFactory } from './helpers/backends.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const THIS_FILE = 'test/relaxed-build.test.ts';
const USES_BACKENDS = /from\s+['"](?:\.{1,2}\/)+(?:test\/)?helpers\/backends(?:\.js)?['"]/;
const FLAG = '--experimental-wasm-relaxed-simd';

/** Test files (relative to the root) that import the backend factories, this one and browser tests excepted. */
function conformanceFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split('\\').join('/');
      if (entry.isDirectory()) {
        if (rel !== 'test/browser' && entry.name !== 'node_modules') walk(path);
      } else if (rel.endsWith('.test.ts') && rel !== THIS_FILE && USES_BACKENDS.test(readFileSync(path, 'utf8'))) {
        found.push(rel);
      }
    }
  };
  walk(join(root, 'test'));
  return found.sort();
}

interface JsonReport {
  success: boolean;
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; assertionResults: { fullName: string; status: string }[] }[];
}

if (WASM_BUILD === 'relaxed') {
  // This process is the child run (or someone ran the suite with the variable set): do not recurse.
  describe('relaxed-SIMD build (this run)', () => {
    it('the WASM backend under test is the relaxed build', async () => {
      const backend = await wasmFactory.create();
      expect(backend.build).toBe('relaxed-simd');
      backend.dispose();
    });
  });
} else {
  describe('relaxed-SIMD build: the conformance suites in a child process', () => {
    it('every WASM conformance file passes against the relaxed build', () => {
      const files = conformanceFiles();
      expect(files).toContain('test/gemm.test.ts');
      const out = mkdtempSync(join(tmpdir(), 'wasmgrad-relaxed-'));
      const reportFile = join(out, 'report.json');
      try {
        const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
        // Runtimes that validate relaxed SIMD without the flag (Node 22+) may not know the flag at all.
        const execArgv = hasRelaxedSimd() ? [] : [`--execArgv=${FLAG}`];
        const child = spawnSync(
          process.execPath,
          [vitest, 'run', ...execArgv, '--reporter=json', `--outputFile=${reportFile}`, ...files],
          {
            cwd: root,
            env: { ...process.env, WASMGRAD_TEST_BUILD: 'relaxed', WASMGRAD_CHILD_RUN: '1' },
            encoding: 'utf8',
            timeout: 600_000,
          },
        );
        let report: JsonReport;
        try {
          report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
        } catch {
          throw new Error(`the child vitest wrote no report (exit ${child.status}):\n${child.stderr.slice(-4000)}`);
        }
        const failed = report.testResults.flatMap((f) =>
          f.assertionResults
            .filter((t) => t.status !== 'passed')
            .map((t) => `${relative(root, f.name)}: ${t.fullName} (${t.status})`),
        );
        const brokenFiles = report.testResults.filter((f) => f.status !== 'passed').map((f) => relative(root, f.name));
        if (failed.length > 0 || brokenFiles.length > 0 || child.status !== 0) {
          throw new Error(
            `relaxed build: ${failed.length} of ${report.numTotalTests} tests did not pass, files not passing: ` +
              `${brokenFiles.join(', ') || 'none'} (exit ${child.status})\n${failed.slice(0, 30).join('\n')}`,
          );
        }
        expect(report.numTotalTests).toBeGreaterThan(0);
        // The child really ran the relaxed build: its WASM suites are named after it.
        const names = report.testResults.flatMap((f) => f.assertionResults.map((t) => t.fullName));
        expect(names.some((name) => name.includes('wasm-relaxed'))).toBe(true);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 600_000);
  });
}
