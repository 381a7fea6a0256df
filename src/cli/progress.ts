// The per-epoch progress bar: samples done, samples/s, the running loss and the time left, redrawn in place on a
// terminal (stderr) at most every 50 ms. Nothing is drawn when stderr is not a terminal.
import { count, duration } from './format.js';

const WIDTH = 24;

export class ProgressBar {
  private start = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled: boolean = Boolean(process.stderr.isTTY),
  ) {}

  begin(): void {
    this.start = performance.now();
    this.lastDraw = 0;
  }

  /** Redraws (throttled) with `done` of `total` samples and the mean loss so far. */
  update(label: string, done: number, total: number, loss: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < total && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const seconds = (now - this.start) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const numbers =
      `${count(done).padStart(count(total).length)}/${count(total)}  ` +
      `${count(rate)} samples/s  loss ${loss.toFixed(4)}  ETA ${duration(eta)}`;
    // The bar narrows (to nothing) before the numbers are cut on a narrow terminal.
    const columns = this.stream.columns ?? 120;
    const width = Math.max(0, Math.min(WIDTH, columns - 1 - label.length - numbers.length - 2));
    const filled = Math.round((width * done) / Math.max(total, 1));
    const bar = width > 0 ? ` ${'█'.repeat(filled)}${'░'.repeat(width - filled)}` : '';
    const line = `${label}${bar} ${numbers}`;
    this.stream.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar's line so that a normal line can be printed there. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
