// The examples of doc/api.md run as written (their `import … from 'wasmgrad'` bound to the package's entry point) and
// print what the text around them says they print.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsExamples, runExample as run } from '../helpers/run-example.js';

const doc = readFileSync(new URL('../../doc/api.md', import.meta.url), 'utf8');
const examples = jsExamples(doc);

describe('doc/api.md examples', () => {
  it('has the two examples', () => {
    expect(examples).toHaveLength(2);
  });

  it('the complete example trains, stops early, saves and loads, and prints about what the doc says', async () => {
    const claim = /It prints about `epochs run: (\d+) last val_accuracy: ([\d.]+)` and `\{ loss: ([\d.]+), accuracy: ([\d.]+) \}`/.exec(doc);
    expect(claim).not.toBeNull();
    const [epochs, valAccuracy, loss, accuracy] = claim!.slice(1).map(Number) as [number, number, number, number];
    const logged = await run(examples[0]!);
    const [first, evaluated, logits, reloaded] = logged as [[string, number, string, number], [Record<string, number>], [Float32Array], [Float32Array]];
    // The run is deterministic, but the WASM kernels' rounding may change with their blocking: allow a few epochs and
    // a few hundredths either way, enough to catch a doc that no longer describes the code.
    expect(first[0]).toBe('epochs run:');
    expect(Math.abs(first[1] - epochs)).toBeLessThanOrEqual(5);
    expect(Math.abs(first[3] - valAccuracy)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(evaluated[0].accuracy! - accuracy)).toBeLessThanOrEqual(0.02);
    expect(evaluated[0].loss).toBeGreaterThan(loss / 2);
    expect(evaluated[0].loss).toBeLessThan(loss * 2);
    expect(logits[0]).toHaveLength(6);
    // The reloaded model predicts the first row as the trained one did (one row alone: the GEMM may round differently).
    Array.from(reloaded[0]).forEach((v, i) => expect(Math.abs(v - logits[0][i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
  });

  it('the textbook loop learns XOR: the loss falls and the predictions round to what the comment says', async () => {
    const stated = /console\.log\(model\.predict\(x\)\);\s*\/\/ ≈ \[([\d, ]+)\]/.exec(examples[1]!);
    expect(stated).not.toBeNull();
    const logged = await run(examples[1]!);
    const losses = logged.slice(0, -1).map((args) => args[1] as number);
    expect(losses).toHaveLength(5);
    expect(losses.at(-1)!).toBeLessThan(1e-3 * losses[0]!);
    const predicted = logged.at(-1)![0] as Float32Array;
    expect(Array.from(predicted, Math.round)).toEqual(stated![1]!.split(',').map(Number));
  });
});
