// wasmgrad train / evaluate / predict, run as processes: XOR to a low loss, MNIST on a small subset for one epoch
// above 80 %, the --json document, the --plot SVG, and a saved model that evaluate and predict read back.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf, runCli, tempDir } from './run-cli.js';

interface EpochJson {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  samplesPerSecond: number;
}
interface TrainJson {
  dataset: string;
  backend: string;
  build: string;
  architecture: number[];
  samples: { train: number; validation: number; test: number };
  epochs: EpochJson[];
  test: { loss: number; accuracy: number; confusion: number[][]; classNames: string[] };
  totalSeconds: number;
  modelDir: string;
  plot?: string;
}

const dir = tempDir('cli-train');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wasmgrad train', () => {
  it('trains XOR (2-16-16-2, ReLU, Adam) to a low loss and classifies the test points', () => {
    const out = join(dir, 'xor');
    const r = jsonOf<TrainJson>(runCli(['train', '--dataset', 'xor', '--epochs', '60', '--json', '--out', out]));
    expect(r.dataset).toBe('xor');
    expect(r.architecture).toEqual([2, 16, 16, 2]);
    expect(r.epochs).toHaveLength(60);
    const last = r.epochs[59]!;
    expect(last.loss).toBeLessThan(0.05);
    expect(last.loss).toBeLessThan(r.epochs[0]!.loss / 5);
    expect(r.test.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('--backend ref trains the same network on the TypeScript reference, to the same losses within float32 rounding', () => {
    const args = ['train', '--dataset', 'circles', '--samples', '200', '--epochs', '3', '--seed', '2', '--json'];
    const ref = jsonOf<TrainJson>(runCli([...args, '--backend', 'ref', '--out', join(dir, 'ref')]));
    const wasm = jsonOf<TrainJson>(runCli([...args, '--out', join(dir, 'wasm')]));
    expect([ref.backend, ref.build]).toEqual(['ref', 'typescript']);
    expect(wasm.backend).toBe('wasm');
    // Same seed, same batches: the two backends differ only by float32 rounding (different summation orders and
    // exp/tanh approximations), which three epochs of 3 steps each cannot blow up beyond a relative 1e-3.
    ref.epochs.forEach((e, i) => expect(Math.abs(e.loss - wasm.epochs[i]!.loss)).toBeLessThan(1e-3 * e.loss));
  });

  it('--json is one parseable document with the run, per-epoch logs, test results and the model directory', () => {
    const out = join(dir, 'moons');
    const run = runCli(['train', '--dataset', 'moons', '--samples', '400', '--epochs', '5', '--seed', '3', '--json', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1); // nothing but the document on stdout
    const r = jsonOf<TrainJson>(run);
    expect(r.backend).toBe('wasm');
    expect(['simd', 'relaxed-simd']).toContain(r.build);
    expect(r.samples.train + r.samples.validation + r.samples.test).toBe(400);
    for (const e of r.epochs) {
      for (const v of [e.loss, e.accuracy, e.val_loss!, e.val_accuracy!, e.samplesPerSecond]) expect(Number.isFinite(v)).toBe(true);
    }
    expect(r.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(r.samples.test);
    const diagonal = r.test.confusion.reduce((s, row, i) => s + row[i]!, 0);
    expect(diagonal / r.samples.test).toBeCloseTo(r.test.accuracy, 10);
    expect(existsSync(join(r.modelDir, 'model.json'))).toBe(true);
    expect(existsSync(join(r.modelDir, 'cli.json'))).toBe(true);
  });

  it('beats 80 % on an MNIST subset (3,000 samples) after one epoch, and prints the run for a person', () => {
    const out = join(dir, 'mnist');
    const plot = join(dir, 'mnist.svg');
    const args = ['--samples', '3000', '--epochs', '1', '--batch-size', '16', '--augment', '0', '--schedule', 'constant'];
    const run = runCli(['train', ...args, '--out', out, '--plot', plot]);
    expect(run.code, run.stderr).toBe(0);
    const text = run.stdout;
    const acc = Number(/test accuracy ([\d.]+) %/.exec(text)?.[1]);
    expect(acc).toBeGreaterThan(80);
    expect(text).toMatch(/network 784-128-10 relu, softmaxCrossEntropy, adam/);
    expect(text).toMatch(/epoch 1\/1 {2}loss [\d.]+ {2}acc [\d.]+ % {2}val_loss [\d.]+ {2}val_acc [\d.]+ %/);
    expect(text).toMatch(/confusion matrix/);
    expect(text).toMatch(/total time [\d.]+ s .*backend wasm, WASM build (simd|relaxed-simd)/);
    expect(text).toContain(`model saved to ${out}`);
    const svg = readFileSync(plot, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<polyline');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);

    // evaluate reads the model back and, on the same seeded split, reproduces the test accuracy.
    const ev = jsonOf<{ accuracy: number; rows: number }>(runCli(['evaluate', '--model', out, '--json']));
    expect(ev.rows).toBe(600);
    expect(100 * ev.accuracy).toBeCloseTo(acc, 1);
  });

  it('trains on a CSV file with named labels; predict gives each row a class and probabilities summing to 1', () => {
    const csv = join(dir, 'points.csv');
    const rows = ['x1,x2,kind'];
    for (let i = 0; i < 120; i++) {
      const a = (i * 0.7548776662) % 1;
      const b = (i * 0.5698402910) % 1;
      rows.push(`${(a * 4 - 2).toFixed(3)},${(b * 4 - 2).toFixed(3)},${a + b > 1 ? 'upper' : 'lower'}`);
    }
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const out = join(dir, 'csv-model');
    const r = jsonOf<TrainJson>(runCli(['train', '--dataset', csv, '--label', 'kind', '--epochs', '100', '--json', '--out', out]));
    expect(r.test.classNames).toEqual(['lower', 'upper']);
    expect(r.test.accuracy).toBeGreaterThanOrEqual(0.9);
    const input = join(dir, 'input.csv');
    writeFileSync(input, 'x1,x2\n-1.5,-1.5\n1.5,1.5\n');
    const p = jsonOf<{ predictions: { class: string; probabilities: number[] }[] }>(
      runCli(['predict', '--model', out, '--input', input, '--json']),
    );
    expect(p.predictions.map((x) => x.class)).toEqual(['lower', 'upper']);
    for (const x of p.predictions) expect(x.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
  });
});
