// wasmgrad bench --peers, cut down by --filter to one peer on the XOR task: the peer machinery runs end to end
// (TensorFlow.js loads, both sides are timed in one run, the ratio is the peer's rate over wasmgrad's). The full
// comparison takes minutes and belongs to `wasmgrad bench --peers`, not to the tests.
import { describe, expect, it } from 'vitest';
import { jsonOf, runCli } from './run-cli.js';

interface PeersJson {
  results: { group: string; task: string; impl: string; unit: string; rate?: number; error?: string }[];
}

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
