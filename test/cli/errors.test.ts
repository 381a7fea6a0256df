// Every user mistake: one line saying what is wrong, then the usage, exit code 2, and no stack trace.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

const dir = tempDir('cli-errors');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ragged = join(dir, 'ragged.csv');
writeFileSync(ragged, 'a,b,label\n1,2,0\n3,4,1\n5,6\n7,8,0\n');
const badNumber = join(dir, 'bad-number.csv');
writeFileSync(badNumber, 'a,b,label\n1,2,0\n3,oops,1\n');
const notAModel = join(dir, 'not-a-model');
mkdirSync(notAModel);
writeFileSync(join(notAModel, 'notes.txt'), 'hello');
const brokenModel = join(dir, 'broken-model');
mkdirSync(brokenModel);
writeFileSync(join(brokenModel, 'model.json'), '{"format":"wasmgrad-model","version":1}');

const CASES: [string, string[], RegExp][] = [
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
];

describe('wasmgrad: bad input exits 2 with a one-line message and the usage', () => {
  for (const [what, args, message] of CASES) {
    it(what, () => {
      const r = runCli(args);
      expect(r.code, r.stderr).toBe(2);
      const [first, second, third] = r.stderr.split('\n');
      expect(first).toMatch(/^wasmgrad: /);
      expect(first).toMatch(message);
      expect(second).toBe('');
      expect(third).toMatch(/^Usage: wasmgrad <command> \[flags\]/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    });
  }

  it('help prints the usage on stdout and exits 0', () => {
    const r = runCli(['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: wasmgrad <command>/);
    for (const command of ['train', 'evaluate', 'predict', 'bench', 'descent']) expect(r.stdout).toContain(`wasmgrad ${command}`);
  });
});
