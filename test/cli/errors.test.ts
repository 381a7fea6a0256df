// Every user mistake: one line saying what is wrong, then the usage, exit code 2, and no stack trace.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportFailure, UsageError } from '../../src/cli/errors.js';
import { DataError } from '../../src/data/dataset.js';
import { ROOT, runCli, tempDir } from './run-cli.js';

const dir = tempDir('cli-errors');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ragged = join(dir, 'ragged.csv');
writeFileSync(ragged, 'a,b,label\n1,2,0\n3,4,1\n5,6\n7,8,0\n');
const badNumber = join(dir, 'bad-number.csv');
writeFileSync(badNumber, 'a,b,label\n1,2,0\n3,oops,1\n');
const floatLabel = join(dir, 'float-label.csv');
writeFileSync(floatLabel, '1,0,0.25\n2,1,0.5\n3,0,0.75\n');
const xorModel = join(dir, 'xor-model');
const xorRun = runCli(['train', '--dataset', 'xor', '--samples', '40', '--epochs', '1', '--out', xorModel]);
if (xorRun.code !== 0) throw new Error(xorRun.stderr);
const labelFirst = join(dir, 'label-first.csv');
writeFileSync(labelFirst, '1,0.5,-0.5\n0,0.5,0.5\n');
const notAModel = join(dir, 'not-a-model');
mkdirSync(notAModel);
writeFileSync(join(notAModel, 'notes.txt'), 'hello');
const brokenModel = join(dir, 'broken-model');
mkdirSync(brokenModel);
writeFileSync(join(brokenModel, 'model.json'), '{"format":"wasmgrad-model","version":1}');

// The optional fourth element: the mistake shows only once the run has started, after its header on stdout.
const CASES: [string, string[], RegExp, 'started'?][] = [
  ['no command', [], /missing command/],
  ['an unknown command', ['fly'], /unknown command 'fly'/],
  ['an unknown flag', ['train', '--speed', '3'], /train: unknown flag '--speed'/],
  ['a flag without its value', ['train', '--epochs'], /train: flag --epochs needs a value/],
  ['a stray argument', ['train', 'mnist'], /train: unexpected argument 'mnist'/],
  ['a negative learning rate', ['train', '--lr', '-1'], /train: --lr must be a number > 0, got '-1'/],
  ['a learning rate that is not a number', ['train', '--lr', 'fast'], /--lr must be a number > 0, got 'fast'/],
  ['a bad layer list', ['train', '--layers', '12,x'], /--layers must be comma-separated positive integers.*'x' is not one/],
  ['zero epochs', ['train', '--epochs', '0'], /--epochs must be an integer in 1\.\.100000, got '0'/],
  ['a validation split of 1', ['train', '--validation-split', '1'], /--validation-split must be a number ≥ 0 and < 1/],
  ['an unknown optimizer', ['train', '--optimizer', 'lbfgs'], /--optimizer must be one of sgd\|momentum\|nesterov\|rmsprop\|adam\|adamw\|adagrad/],
  ['an unknown activation', ['train', '--activation', 'swish'], /--activation must be one of/],
  ['an unknown dataset', ['train', '--dataset', 'iris'], /--dataset must be one of mnist\|xor\|spiral\|moons\|circles\|gaussians or a file ending in \.csv/],
  ['a missing CSV file', ['train', '--dataset', join(dir, 'nope.csv')], /cannot read CSV file '.*nope\.csv': no such file/],
  ['a ragged CSV row', ['train', '--dataset', ragged], /ragged\.csv line 4: expected 3 fields like line 1, found 2/],
  ['a non-numeric CSV feature', ['train', '--dataset', badNumber], /bad-number\.csv line 3, column 'b': expected a number, found 'oops'/],
  ['an unknown CSV label column', ['train', '--dataset', badNumber, '--label', 'species'], /no column named 'species'/],
  ['binary cross-entropy on 10 classes', ['train', '--loss', 'binaryCrossEntropy', '--samples', '100'], /binaryCrossEntropy needs 2 classes/],
  ['a test split that leaves no test rows', ['train', '--dataset', 'xor', '--samples', '4'], /--test-split 0\.2 of 4 rows leaves no test rows/],
  ['evaluate without --model', ['evaluate'], /evaluate: --model DIR is required/],
  ['a model directory that does not exist', ['evaluate', '--model', join(dir, 'nowhere')], /--model '.*nowhere' is not a directory/],
  ['a directory that is not a model', ['evaluate', '--model', notAModel], /--model '.*not-a-model' is not a model directory \(no model\.json/],
  ['a model directory without the CLI metadata', ['predict', '--model', brokenModel, '--input', ragged], /was not written by wasmgrad train \(no cli\.json\)/],
  ['predict without --input', ['predict', '--model', notAModel], /predict: --input FILE\.csv is required/],
  ['a model directory that cannot be written', ['train', '--dataset', 'xor', '--epochs', '1', '--out', join(ragged, 'model')], /train: cannot write --out '.*ragged\.csv\/model': .*(ENOTDIR|EEXIST)/],
  ['a GIF path that cannot be written', ['descent', '--steps', '10', '--out', join(ragged, 'a.gif')], /descent: cannot write --out '.*ragged\.csv\/a\.gif': .*(ENOTDIR|EEXIST)/],
  ['an unknown test function', ['descent', '--function', 'sphere'], /descent: --function must be one of rosenbrock\|beale\|saddle\|himmelblau\|rastrigin/],
  ['a bad bench filter', ['bench', '--filter', '(('], /bench: --filter must be a regular expression/],
  ['a label column of fractional numbers', ['train', '--dataset', floatLabel], /float-label\.csv line 1: label 0\.25 of column 2 is not a whole number: .*--label/],
  ['--samples on a CSV file', ['train', '--dataset', floatLabel, '--samples', '10'], /train: --samples applies to mnist and the 2-D datasets/],
  ['--plot to a file that is not .svg', ['train', '--dataset', 'xor', '--plot', join(dir, 'loss.png')], /train: --plot writes an SVG image: give a file ending in \.svg, got '.*loss\.png'/],
  ['descent --out to a file that is not .gif', ['descent', '--out', join(dir, 'a.png')], /descent: --out writes an animated GIF: give a file ending in \.gif, got '.*a\.png'/],
  ['predict input with a column too many for a model not trained on a CSV file', ['predict', '--model', xorModel, '--input', labelFirst], /predict: .*label-first\.csv has 3 feature columns but the model takes 2; name the label column to ignore with --label/],
  ['a zero batch size', ['train', '--batch-size', '0'], /train: --batch-size must be an integer in 1\.\.1000000, got '0'/],
  ['a validation split above 1', ['train', '--validation-split', '1.5'], /train: --validation-split must be a number ≥ 0 and < 1, got '1\.5'/],
  ['a seed that is not a number', ['train', '--seed', 'x'], /train: --seed must be an integer in 0\.\.2147483647, got 'x'/],
  ['a hexadecimal learning rate', ['train', '--lr', '0x10'], /train: --lr must be a number > 0, got '0x10'/],
  ['a learning rate of Infinity', ['train', '--lr', 'Infinity'], /train: --lr must be a number > 0, got 'Infinity'/],
  ['a CSV error names the command', ['train', '--dataset', join(dir, 'nope.csv')], /^wasmgrad: train: cannot read CSV file/],
  ['a network too large for the WASM memory', ['train', '--dataset', 'xor', '--layers', '30000,30000', '--epochs', '1'], /^wasmgrad: train: the network 2-30000-30000-2 at batch 64 does not fit in memory .*out of WASM memory.*; use smaller --layers or --batch-size/, 'started'],
  ['a network too large for the reference backend', ['train', '--dataset', 'xor', '--layers', '99999999999', '--backend', 'ref'], /train: the network 2-99999999999-2 at batch 64 does not fit in memory/, 'started'],
  ['help on an unknown command', ['help', 'fly'], /^wasmgrad: help: unknown command 'fly'/],
];

describe('wasmgrad: bad input exits 2 with a one-line message and the usage', () => {
  for (const [what, args, message, started] of CASES) {
    it(what, () => {
      const r = runCli(args);
      expect(r.code, r.stderr).toBe(2);
      const [first, second, third] = r.stderr.split('\n');
      expect(first).toMatch(/^wasmgrad: /);
      expect(first).toMatch(message);
      expect(second).toBe('');
      expect(third).toMatch(/^Usage: wasmgrad <command> \[flags\]/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      if (started) expect(r.stdout).toMatch(/^wasmgrad train: /);
      else expect(r.stdout).toBe('');
    });
  }

  for (const [command, flag] of [['train', '--help'], ['train', '-h'], ['evaluate', '--help'], ['predict', '-h'], ['bench', '--help'], ['descent', '--help']]) {
    it(`${command} ${flag} prints that command's usage on stdout and exits 0`, () => {
      const r = runCli([command!, flag!, '--epochs', '0']); // the flags around --help are not checked
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`wasmgrad ${command} `);
      for (const other of ['train', 'evaluate', 'predict', 'bench', 'descent'].filter((c) => c !== command)) {
        expect(r.stdout).not.toContain(`wasmgrad ${other} `);
      }
    });
  }

  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout).toBe(`wasmgrad ${version}\n`);
  });

  it('help prints the usage on stdout and exits 0', () => {
    const r = runCli(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasmgrad <command>/);
    for (const command of ['train', 'evaluate', 'predict', 'bench', 'descent']) expect(r.stdout).toContain(`wasmgrad ${command}`);
  });
});

describe('reportFailure: user mistakes and bugs stay apart', () => {
  it('a bug keeps its stack trace and exits 1; a data error gets the command prefix and exits 2', () => {
    let text = '';
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(reportFailure(bug, 'train', 'USAGE\n', (t) => (text += t))).toBe(1);
    expect(text).toMatch(/^wasmgrad: internal error \(please report it\): TypeError: Cannot read properties/);
    expect(text).toMatch(/\n\s+at /);
    expect(text).not.toContain('USAGE');
    text = '';
    expect(reportFailure(new DataError('t.csv line 3: expected 2 fields'), 'evaluate', 'USAGE\n', (t) => (text += t))).toBe(2);
    expect(text).toBe('wasmgrad: evaluate: t.csv line 3: expected 2 fields\n\nUSAGE\n');
    text = '';
    expect(reportFailure(new UsageError('train: --lr must be a number > 0'), 'train', 'USAGE\n', (t) => (text += t))).toBe(2);
    expect(text).toBe('wasmgrad: train: --lr must be a number > 0\n\nUSAGE\n');
  });
});
