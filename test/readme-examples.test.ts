// The README's JavaScript examples run as written (their `import … from 'wasmgrad'` bound to the package's entry
// point) and print what their comments say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsExamples, runExample as run } from './helpers/run-example.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = jsExamples(readme);

describe('README examples', () => {
  it('has the three examples: fit, the textbook loop, the kernel interface', () => {
    expect(examples).toHaveLength(3);
  });

  it('fit learns XOR: the loss ends near 0, accuracy 1, and (1, 0) is class 1', async () => {
    const [[loss], [evaluated], [logits]] = (await run(examples[0]!)) as [[number], [Record<string, number>], [Float32Array]];
    expect(loss).toBeLessThan(0.05);
    expect(evaluated.accuracy).toBe(1);
    expect(logits[1]!).toBeGreaterThan(logits[0]!);
  });

  it('the textbook loop learns XOR: the predictions round to what the comment says', async () => {
    const stated = /console\.log\(model\.predict\(x\)\);\s*\/\/ ≈ \[([\d, ]+)\]/.exec(examples[1]!);
    expect(stated).not.toBeNull();
    const [[predicted]] = (await run(examples[1]!)) as [[Float32Array]];
    expect(Array.from(predicted, Math.round)).toEqual(stated![1]!.split(',').map(Number));
  });

  it('the kernel-interface example prints the product its comment states', async () => {
    const stated = /console\.log\(be\.read\(c\)\);\s*\/\/ Float32Array \[([\d, ]+)\]/.exec(examples[2]!);
    expect(stated).not.toBeNull();
    const [[c]] = (await run(examples[2]!)) as [[Float32Array]];
    expect(Array.from(c)).toEqual(stated![1]!.split(',').map(Number));
  });
});
