// The output column: the epoch, the training and test loss as numbers and as a curve, and the network's decision over
// the plane as a heat map under the points.
import type { Points } from '../data.js';
import { drawOutput } from '../draw/heatmap.js';
import { drawLossChart, type LossHistory } from '../draw/loss-chart.js';
import { drawPoints } from '../draw/points.js';
import { GRID } from '../data.js';
import type { Snapshot } from '../trainer.js';
import type { PageContext } from './context.js';
import { $ } from './dom.js';

export class OutputPanel {
  private data: { train: Points; test: Points } | null = null;
  private last: Snapshot | null = null;
  private losses: LossHistory = { train: [], test: [] };

  constructor(private readonly page: PageContext) {
    const showTest = $<HTMLInputElement>('show-test');
    showTest.checked = page.state.showTest;
    showTest.addEventListener('change', () => {
      page.state.showTest = showTest.checked;
      page.writeUrl();
      this.drawMap();
    });
  }

  /** A new run: its points and its state before the first epoch. */
  reset(train: Points, test: Points, snapshot: Snapshot): void {
    this.data = { train, test };
    this.losses = { train: [], test: [] };
    this.show(snapshot);
  }

  show(snapshot: Snapshot): void {
    this.last = snapshot;
    this.losses.train.push(snapshot.trainLoss);
    this.losses.test.push(snapshot.testLoss);
    $('epoch').textContent = String(snapshot.epoch).padStart(6, '0').replace(/(\d{3})$/, ',$1');
    $('train-loss').textContent = snapshot.trainLoss.toFixed(3);
    $('test-loss').textContent = snapshot.testLoss.toFixed(3);
    drawLossChart($<HTMLCanvasElement>('loss-chart'), this.losses);
    this.drawMap();
  }

  private drawMap(): void {
    if (this.last === null || this.data === null) return;
    const canvas = $<HTMLCanvasElement>('heatmap');
    drawOutput(canvas, GRID, this.last.output);
    drawPoints(canvas, this.data.train, 'white');
    if (this.page.state.showTest) drawPoints(canvas, this.data.test, 'black');
  }
}
