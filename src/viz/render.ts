// Frames of the optimizer race as indexed-colour images: a filled contour map of the function (levels of log(1 + f −
// f_min) for the steep bowls), each optimizer's path up to the current step in its own colour with its current point
// marked, the start and the minima, a legend, the function's name and the step count. Free of Node APIs.
import { drawText, GLYPH_HEIGHT, textWidth } from './font.js';
import type { TestFunction } from './functions.js';
import type { RacePath } from './race.js';

/** Palette layout: fixed colours first, then the path colours, then the contour levels and their darker lines. */
export const TRANSPARENT = 0;
const WHITE = 1;
const BLACK = 2;
const GREY = 3;
const PATH0 = 4;
export const PATH_COLORS: readonly string[] = ['#e41a1c', '#ff7f00', '#a65628', '#984ea3', '#377eb8', '#111111'];
const LEVELS = 24;
const LEVEL0 = PATH0 + PATH_COLORS.length;
const LINE0 = LEVEL0 + LEVELS;
const PALETTE_SIZE = 64;

type RGB = [number, number, number];

const hex = (h: string): RGB => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** Viridis at a few stops, blended toward white so that the paths stand out on it. */
const MAP_STOPS: RGB[] = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'].map(hex);

function mapColor(t: number): RGB {
  const s = Math.min(1, Math.max(0, t)) * (MAP_STOPS.length - 1);
  const i = Math.min(MAP_STOPS.length - 2, Math.floor(s));
  const f = s - i;
  const a = MAP_STOPS[i]!;
  const b = MAP_STOPS[i + 1]!;
  const c = [0, 1, 2].map((k) => a[k]! + (b[k]! - a[k]!) * f);
  return c.map((v) => Math.round(v * 0.45 + 255 * 0.55)) as RGB;
}

/** The palette as [r, g, b] triples, PALETTE_SIZE long (a power of two, as GIF needs). */
export function palette(): RGB[] {
  const p: RGB[] = new Array(PALETTE_SIZE).fill(null).map(() => [0, 0, 0] as RGB);
  p[TRANSPARENT] = [255, 0, 255];
  p[WHITE] = [255, 255, 255];
  p[BLACK] = [0, 0, 0];
  p[GREY] = [120, 120, 120];
  PATH_COLORS.forEach((c, i) => (p[PATH0 + i] = hex(c)));
  for (let l = 0; l < LEVELS; l++) {
    const c = mapColor(l / (LEVELS - 1));
    p[LEVEL0 + l] = c;
    p[LINE0 + l] = c.map((v) => Math.round(v * 0.8)) as RGB;
  }
  return p;
}

export interface FrameRenderer {
  readonly width: number;
  readonly height: number;
  /** The frame after `step` steps (0 = only the start), as palette indices. */
  frame(step: number, totalSteps: number): Uint8Array;
}

export function createRenderer(fn: TestFunction, paths: readonly RacePath[], size = 440): FrameRenderer {
  const [xa, xb, ya, yb] = fn.window;
  const width = size;
  const height = Math.round((size * (yb - ya)) / (xb - xa));
  const toPx = (x: number) => ((x - xa) / (xb - xa)) * (width - 1);
  const toPy = (y: number) => ((yb - y) / (yb - ya)) * (height - 1);

  // The contour map, computed once.
  const values = new Float64Array(width * height);
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const v = fn.f(xa + ((xb - xa) * i) / (width - 1), yb - ((yb - ya) * j) / (height - 1));
      values[j * width + i] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const scale = (v: number) => (fn.logScale ? Math.log1p(v - lo) : v - lo);
  const top = scale(hi) || 1;
  const level = new Uint8Array(width * height);
  for (let k = 0; k < values.length; k++) level[k] = Math.min(LEVELS - 1, Math.floor((scale(values[k]!) / top) * LEVELS));
  const background = new Uint8Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = j * width + i;
      const edge = (i + 1 < width && level[k + 1] !== level[k]) || (j + 1 < height && level[k + width] !== level[k]);
      background[k] = (edge ? LINE0 : LEVEL0) + level[k]!;
    }
  }

  const pixels = new Uint8Array(width * height);
  const put = (x: number, y: number, c: number) => {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px >= 0 && px < width && py >= 0 && py < height) pixels[py * width + px] = c;
  };
  const disc = (x: number, y: number, r: number, c: number) => {
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r + r) put(x + dx, y + dy, c);
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: number) => {
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let s = 0; s <= n; s++) {
      const x = x0 + ((x1 - x0) * s) / n;
      const y = y0 + ((y1 - y0) * s) / n;
      put(x, y, c);
      put(x + 1, y, c);
      put(x, y + 1, c);
      put(x + 1, y + 1, c);
    }
  };
  const cross = (x: number, y: number, r: number, c: number) => {
    for (let d = -r; d <= r; d++) {
      put(x + d, y + d, c);
      put(x + d, y - d, c);
      put(x + d + 1, y + d, c);
      put(x + d + 1, y - d, c);
    }
  };
  const box = (x: number, y: number, w: number, h: number, fill: number, border: number) => {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) put(i, j, j === y || j === y + h - 1 || i === x || i === x + w - 1 ? border : fill);
  };

  const textScale = 2;
  const lineHeight = GLYPH_HEIGHT * textScale + 6;
  const legendWidth = 12 + 22 + Math.max(...paths.map((p) => textWidth(p.diverged ? `${p.label} (out)` : p.label, textScale))) + 10;

  return {
    width,
    height,
    frame(step: number, totalSteps: number): Uint8Array {
      pixels.set(background);
      for (const [mx, my] of fn.minima) cross(toPx(mx), toPy(my), 5, WHITE);
      disc(toPx(fn.start[0]), toPy(fn.start[1]), 4, BLACK);
      paths.forEach((p, i) => {
        const color = PATH0 + (i % PATH_COLORS.length);
        const last = Math.min(step, p.length - 1);
        for (let t = 1; t <= last; t++) {
          line(toPx(p.points[2 * t - 2]!), toPy(p.points[2 * t - 1]!), toPx(p.points[2 * t]!), toPy(p.points[2 * t + 1]!), color);
        }
      });
      // Current points on top of every path, so that none hides another's head.
      paths.forEach((p, i) => {
        const last = Math.min(step, p.length - 1);
        const x = toPx(p.points[2 * last]!);
        const y = toPy(p.points[2 * last + 1]!);
        disc(x, y, 5, BLACK);
        disc(x, y, 4, PATH0 + (i % PATH_COLORS.length));
      });
      // Legend (top left), title (top right), step count (bottom left).
      box(6, 6, legendWidth, 8 + lineHeight * paths.length, WHITE, GREY);
      paths.forEach((p, i) => {
        const y = 12 + i * lineHeight;
        const color = PATH0 + (i % PATH_COLORS.length);
        for (let d = 0; d < 4; d++) for (let k = 0; k < 22; k++) put(14 + k, y + 5 + d, color);
        drawText(pixels, width, height, p.diverged && step >= p.length - 1 ? `${p.label} (out)` : p.label, 42, y, BLACK, textScale);
      });
      const title = fn.title;
      const tw = textWidth(title, textScale);
      box(width - tw - 20, 6, tw + 14, GLYPH_HEIGHT * textScale + 12, WHITE, GREY);
      drawText(pixels, width, height, title, width - tw - 13, 12, BLACK, textScale);
      const label = `STEP ${step}/${totalSteps}`;
      const lw = textWidth(label, textScale);
      box(6, height - GLYPH_HEIGHT * textScale - 18, lw + 14, GLYPH_HEIGHT * textScale + 12, WHITE, GREY);
      drawText(pixels, width, height, label, 13, height - GLYPH_HEIGHT * textScale - 12, BLACK, textScale);
      return pixels;
    },
  };
}
