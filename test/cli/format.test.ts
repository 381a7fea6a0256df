// The CLI's pieces that a process test cannot see well: the progress bar (drawn only on a terminal), the confusion
// matrix, the SVG chart, and flag parsing.
import { describe, expect, it } from 'vitest';
import { int, intList, num, parseFlags } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';
import { confusionMatrix, formatConfusion } from '../../src/cli/format.js';
import { lossChart } from '../../src/cli/plot.js';
import { ProgressBar } from '../../src/cli/progress.js';
import { drawText, textWidth } from '../../src/viz/font.js';

describe('ProgressBar', () => {
  it('draws samples, samples/s, the running loss and the time left in place, and clears its line', async () => {
    const writes: string[] = [];
    const stream = { columns: 200, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar(stream, true);
    bar.begin();
    await new Promise((r) => setTimeout(r, 20));
    bar.update('epoch 1/2', 640, 1000, 0.5); // drawn: the first update
    bar.update('epoch 1/2', 700, 1000, 0.4); // skipped: within 50 ms of the last draw
    bar.update('epoch 1/2', 1000, 1000, 0.25); // drawn: the end is always drawn
    bar.clear();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\repoch 1\/2 █+░+ +640\/1,000 {2}[\d,]+ samples\/s {2}loss 0\.5000 {2}ETA [\d.]+ s\x1b\[K$/);
    expect(writes[1]).toMatch(/1,000\/1,000 .* loss 0\.2500 {2}ETA 0\.00 s/);
    expect(writes[2]).toBe('\r\x1b[K');
  });

  it('fits an 80-column terminal by narrowing the bar, keeping the ETA whole', () => {
    const writes: string[] = [];
    const stream = { columns: 80, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar(stream, true);
    bar.begin();
    bar.update('epoch 10/20', 3_264, 7_200, 1.0433);
    const line = writes[0]!.replace(/^\r/, '').replace(/\x1b\[K$/, '');
    expect(line.length).toBeLessThanOrEqual(79);
    expect(line).toMatch(/^epoch 10\/20( [█░]{1,24})? 3,264\/7,200 {2}[\d,]+ samples\/s {2}loss 1\.0433 {2}ETA ([\d.]+ s|\?)$/);
  });

  it('draws nothing when disabled (not a terminal)', () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, false);
    bar.begin();
    bar.update('epoch 1/1', 10, 10, 1);
    bar.clear();
    expect(writes).toEqual([]);
  });
});

describe('confusion matrix', () => {
  it('counts true class by predicted class and prints recall per class', () => {
    const m = confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], 3);
    expect(m).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
    const text = formatConfusion(m, ['a', 'b', 'c']).split('\n');
    expect(text[0]).toMatch(/^true \\ pred +a +b +c +recall$/);
    expect(text[1]).toMatch(/^a +1 +1 +0 +50\.0%$/);
    expect(text[2]).toMatch(/^b +0 +2 +1 +66\.7%$/);
  });
});

describe('lossChart', () => {
  it('draws a loss and an accuracy panel with one point per epoch per series', () => {
    const svg = lossChart(
      [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, accuracy: 0.5 + epoch / 10, val_loss: 1.1 / epoch, val_accuracy: 0.5 + epoch / 12 })),
      'a <test> & title',
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' ').length);
    expect(polylines).toEqual([3, 3, 3, 3]);
    expect(svg).toContain('a &#60;test&#62; &#38; title');
    expect(svg).not.toMatch(/NaN|undefined/);
    // Two panels, each with its title, the epoch axis label and ticks, and a legend naming both curves.
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const label of ['loss', 'accuracy']) expect(texts.filter((t) => t === label)).toHaveLength(1);
    expect(texts.filter((t) => t === 'epoch')).toHaveLength(2);
    expect(texts.filter((t) => t === 'train')).toHaveLength(2);
    expect(texts.filter((t) => t === 'validation')).toHaveLength(2);
    for (const tick of ['1', '2', '3']) expect(texts.filter((t) => t === tick).length).toBeGreaterThanOrEqual(2);
    expect(texts.some((t) => /^\d+%$/.test(t!))).toBe(true); // accuracy ticks in percent
  });
});

describe('flag parsing', () => {
  const spec = { lr: { type: 'string' }, layers: { type: 'string' }, json: { type: 'boolean' } } as const;
  it('reads a negative number as a value, then the range check names the flag', () => {
    const flags = parseFlags('train', ['--lr', '-0.5', '--json'], spec);
    expect(flags).toEqual({ lr: '-0.5', json: true });
    expect(() => num('train', flags, 'lr', 1, { lo: 0, loOpen: true })).toThrow(new UsageError("train: --lr must be a number > 0, got '-0.5'"));
  });
  it('parses lists and integers strictly', () => {
    expect(intList('train', { layers: '128, 64' }, 'layers', [])).toEqual([128, 64]);
    expect(intList('train', { layers: 'none' }, 'layers', [9])).toEqual([]);
    for (const bad of ['12,x', '1.5', '-3', '12,,4']) expect(() => intList('train', { layers: bad }, 'layers', [])).toThrow(UsageError);
    expect(() => int('train', { epochs: '2.5' }, 'epochs', 1)).toThrow(/--epochs must be an integer ≥ 1, got '2\.5'/);
    expect(() => num('train', { lr: '' }, 'lr', 1)).toThrow(/--lr must be a finite number, got ''/);
  });
});

describe('bitmap font', () => {
  it('draws known glyph pixels at the scale asked and skips pixels outside the image', () => {
    const [w, h] = [20, 10];
    const pixels = new Uint8Array(w * h);
    drawText(pixels, w, h, 'I', 1, 1, 7, 1);
    // 'I' is .###. on its first row and ..#.. in the middle.
    expect(Array.from(pixels.subarray(1 * w + 1, 1 * w + 6))).toEqual([0, 7, 7, 7, 0]);
    expect(Array.from(pixels.subarray(4 * w + 1, 4 * w + 6))).toEqual([0, 0, 7, 0, 0]);
    expect(textWidth('AB', 2)).toBe(22);
    drawText(pixels, w, h, 'WWWWW', 15, 8, 3, 2); // mostly off the image: no throw, only in-bounds pixels written
    expect(pixels.filter((p) => p === 3).length).toBeGreaterThan(0);
  });
});
