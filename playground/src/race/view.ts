// The optimizer race on a canvas: the function as a filled contour map, the minima, the start point, and each
// optimizer's path (computed by src/viz/race.ts in the worker) growing a few steps per frame in its own colour, with a
// legend that follows the steps.
import type { OptimizerKey, TestFunction } from '../../../src/viz/functions.js';
import type { RacePath } from '../../../src/viz/race.js';

export const RACER_COLOURS: Readonly<Record<OptimizerKey, string>> = {
  sgd: '#e41a1c',
  momentum: '#ff7f00',
  nesterov: '#a65628',
  rmsprop: '#4daf4a',
  adagrad: '#984ea3',
  adam: '#ffffff',
};

/** Frames over which a whole race is drawn. */
const RACE_FRAMES = 240;
const LEVELS = 18;

// Stops of a perceptually ordered map (viridis, sampled).
const MAP: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

function mapColour(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * (MAP.length - 1);
  const i = Math.min(MAP.length - 2, Math.floor(x));
  const f = x - i;
  const a = MAP[i]!;
  const b = MAP[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export class RaceView {
  private fn: TestFunction | null = null;
  private landscape: ImageData | null = null;
  private paths: RacePath[] = [];
  private start: [number, number] | null = null;
  private shown = 0;
  private frame = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly legend: HTMLElement,
    private readonly stepLabel: HTMLElement,
    onPick: (x: number, y: number) => void,
  ) {
    canvas.addEventListener('click', (event) => {
      if (this.fn === null) return;
      const box = canvas.getBoundingClientRect();
      const px = ((event.clientX - box.left) / box.width) * canvas.width;
      const py = ((event.clientY - box.top) / box.height) * canvas.height;
      onPick(...this.toPlane(px, py));
    });
  }

  /** Shows a function (recomputing its landscape) and clears the paths. */
  setFunction(fn: TestFunction): void {
    if (this.fn !== fn) {
      this.fn = fn;
      this.landscape = this.render(fn);
    }
    this.paths = [];
    this.draw();
  }

  /** Starts drawing the paths of a race from its first step. */
  setPaths(start: [number, number], paths: RacePath[]): void {
    this.start = start;
    this.paths = paths;
    this.shown = 0;
    cancelAnimationFrame(this.frame);
    const longest = Math.max(...paths.map((p) => p.length));
    const perFrame = Math.max(1, Math.ceil(longest / RACE_FRAMES));
    const tick = (): void => {
      this.shown = Math.min(longest, this.shown + perFrame);
      this.draw();
      if (this.shown < longest) this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private toPixel(x: number, y: number): [number, number] {
    const [x0, x1, y0, y1] = this.fn!.window;
    return [((x - x0) / (x1 - x0)) * this.canvas.width, ((y1 - y) / (y1 - y0)) * this.canvas.height];
  }

  private toPlane(px: number, py: number): [number, number] {
    const [x0, x1, y0, y1] = this.fn!.window;
    return [x0 + (px / this.canvas.width) * (x1 - x0), y1 - (py / this.canvas.height) * (y1 - y0)];
  }

  /** The filled contour map: f (or log(1 + f − min) for steep bowls) in LEVELS bands, edges darkened as contour lines. */
  private render(fn: TestFunction): ImageData {
    const { width, height } = this.canvas;
    const values = new Float64Array(width * height);
    let lo = Infinity;
    let hi = -Infinity;
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        const v = fn.f(...this.toPlane(px + 0.5, py + 0.5));
        values[py * width + px] = v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    const level = (v: number): number => (fn.logScale ? Math.log1p(v - lo) / Math.log1p(hi - lo) : (v - lo) / (hi - lo));
    const band = new Int32Array(width * height);
    for (let i = 0; i < values.length; i++) band[i] = Math.min(LEVELS - 1, Math.floor(level(values[i]!) * LEVELS));
    const image = new ImageData(width, height);
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        const i = py * width + px;
        const edge = (px + 1 < width && band[i + 1] !== band[i]) || (py + 1 < height && band[i + width] !== band[i]);
        const [r, g, b] = mapColour(band[i]! / (LEVELS - 1));
        const k = edge ? 0.7 : 1;
        image.data.set([r * k, g * k, b * k, 255], 4 * i);
      }
    }
    return image;
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    const fn = this.fn;
    if (fn === null || this.landscape === null) return;
    ctx.putImageData(this.landscape, 0, 0);
    for (const [x, y] of fn.minima) this.mark(ctx, x, y, '#fff', 'star');
    if (this.start !== null && this.paths.length > 0) this.mark(ctx, this.start[0], this.start[1], '#fff', 'dot');
    this.legend.replaceChildren();
    const visible = (path: RacePath): number => Math.min(this.shown, path.length);
    // A dark halo under every path first, then the paths from last to first, so that the slow ones stay on top.
    for (const pass of ['halo', 'line'] as const) {
      for (const path of pass === 'halo' ? this.paths : [...this.paths].reverse()) {
        ctx.beginPath();
        for (let i = 0; i < visible(path); i++) {
          const [px, py] = this.toPixel(path.points[2 * i]!, path.points[2 * i + 1]!);
          if (i === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        }
        ctx.strokeStyle = pass === 'halo' ? 'rgba(0, 0, 0, 0.55)' : RACER_COLOURS[path.key];
        ctx.lineWidth = pass === 'halo' ? 4.5 : 2;
        ctx.lineJoin = 'round';
        ctx.stroke();
      }
    }
    for (const path of this.paths) {
      const count = visible(path);
      const last = Math.max(0, count - 1);
      const x = path.points[2 * last]!;
      const y = path.points[2 * last + 1]!;
      this.mark(ctx, x, y, RACER_COLOURS[path.key], 'dot');
      const item = document.createElement('li');
      item.dataset.racer = path.key;
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = RACER_COLOURS[path.key];
      const value = fn.f(x, y);
      const status = path.diverged && count === path.length ? ' — diverged' : '';
      item.append(swatch, ` ${path.label} (lr ${path.lr}): f = ${value.toPrecision(4)}${status}`);
      this.legend.append(item);
    }
    const steps = Math.max(0, ...this.paths.map((p) => visible(p) - 1));
    this.stepLabel.textContent = this.paths.length === 0 ? 'computing…' : `step ${steps}`;
  }

  private mark(ctx: CanvasRenderingContext2D, x: number, y: number, colour: string, shape: 'dot' | 'star'): void {
    const [px, py] = this.toPixel(x, y);
    ctx.beginPath();
    if (shape === 'dot') ctx.arc(px, py, 4, 0, 2 * Math.PI);
    else {
      for (let i = 0; i < 10; i++) {
        const r = i % 2 === 0 ? 8 : 3.5;
        const a = (i * Math.PI) / 5 - Math.PI / 2;
        if (i === 0) ctx.moveTo(px + r * Math.cos(a), py + r * Math.sin(a));
        else ctx.lineTo(px + r * Math.cos(a), py + r * Math.sin(a));
      }
      ctx.closePath();
    }
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}
