// wasmgrad bench --peers, cut down by --filter to one peer on the XOR task: the peer machinery runs end to end
// (TensorFlow.js loads, both sides are timed in one run, the ratio is the peer's rate over wasmgrad's). The full
// comparison takes minutes and belongs to `wasmgrad bench --peers`, not to the tests.
import { describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jsonOf, ROOT, runCli } from './run-cli.js';

interface PeersJson {
  results: { group: string; task: string; impl: string; unit: string; rate?: number; error?: string }[];
}

// The bench commands live in this one file: the first of them compiles bench/ to bench/dist, and two test files doing
// it at once would write the same files together.
describe('wasmgrad bench --filter that matches nothing', () => {
  for (const [what, args, message] of [
    ['the core suite', ['bench', '--quick', '--filter', 'zzz-no-such-case'], /^wasmgrad: bench: --filter 'zzz-no-such-case' matches no case \(they are named suite\/case, e\.g\. '/],
    ['the peers', ['bench', '--peers', '--quick', '--filter', 'zzz-no-such-case'], /^wasmgrad: bench: --filter 'zzz-no-such-case' matches no peer case/],
  ] as const) {
    it(`${what}: a usage error (exit 2), and the last report is not overwritten`, () => {
      const reports = ['latest.json', 'peers.json'].map((f) => join(ROOT, 'bench', 'results', f));
      const before = reports.map((f) => (existsSync(f) ? statSync(f).mtimeMs : null));
      const r = runCli([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.replace(/^compiling the benchmark suite [^\n]*\n/, '')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(reports.map((f) => (existsSync(f) ? statSync(f).mtimeMs : null))).toEqual(before);
    }, 120_000);
  }
});

describe('wasmgrad bench --peers', () => {
  it('times wasmgrad and TensorFlow.js (cpu, manual loop) on XOR 2-8-1 in one run', () => {
    const r = jsonOf<PeersJson>(runCli(['bench', '--peers', '--quick', '--filter', 'xor.*tfjs-cpu manual', '--json'], { timeoutMs: 120_000 }));
    expect(r.results.map((x) => x.impl)).toEqual([expect.stringMatching(/^wasmgrad \((simd|relaxed-simd)\)$/), 'tfjs-cpu manual']);
    for (const x of r.results) {
      expect(x.error).toBeUndefined();
      expect(x.unit).toBe('samples/s');
      expect(x.rate).toBeGreaterThan(0);
    }
  }, 120_000);
});
