// The data column: a thumbnail button per dataset, and the ratio, noise and batch-size sliders.
import { makePoints } from '../data.js';
import { drawPoints } from '../draw/points.js';
import { DATASETS, type DatasetName } from '../state.js';
import type { PageContext } from './context.js';
import { $ } from './dom.js';

const LABELS: Record<DatasetName, string> = {
  circles: 'Circle',
  xor: 'XOR',
  gaussians: 'Gaussians',
  spiral: 'Spiral',
  moons: 'Moons',
};

export class DataPanel {
  private readonly thumbnails = new Map<DatasetName, HTMLCanvasElement>();

  constructor(private readonly page: PageContext) {
    const { state } = page;
    const box = $('datasets');
    for (const name of DATASETS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.dataset = name;
      button.title = LABELS[name];
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 108;
      this.thumbnails.set(name, canvas);
      button.append(canvas, LABELS[name]);
      button.addEventListener('click', () => {
        state.dataset = name;
        this.markDataset();
        page.restart();
      });
      box.append(button);
    }
    this.bindRange('ratio', 'trainPercent', (v) => String(v));
    this.bindRange('noise', 'noise', (v) => v.toFixed(2));
    this.bindRange('batch', 'batchSize', (v) => String(v));
    this.markDataset();
    this.drawThumbnails();
  }

  /** Redraws the thumbnails (after a change of the noise or the seed). */
  drawThumbnails(): void {
    for (const [name, canvas] of this.thumbnails) {
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      const { train, test } = makePoints(name, this.page.state.noise, 50, this.page.state.seed);
      drawPoints(canvas, train, null, 1);
      drawPoints(canvas, test, null, 1);
    }
  }

  private markDataset(): void {
    for (const button of $('datasets').querySelectorAll<HTMLButtonElement>('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.dataset === this.page.state.dataset));
    }
  }

  private bindRange(id: string, key: 'noise' | 'trainPercent' | 'batchSize', show: (v: number) => string): void {
    const { state } = this.page;
    const input = $<HTMLInputElement>(id);
    const out = $(`${id}-value`);
    input.value = String(state[key]);
    out.textContent = show(state[key]);
    input.addEventListener('input', () => (out.textContent = show(Number(input.value))));
    input.addEventListener('change', () => {
      state[key] = Number(input.value);
      if (key === 'noise') this.drawThumbnails();
      this.page.restart();
    });
  }
}
