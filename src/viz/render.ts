// Frames of the optimizer race as indexed-colour images: a filled contour map of the function (levels of log(1 + f −
// f_min) for the steep bowls), each optimizer's path up to the current step in its own colour with its current point
// marked, the start and the minima; beside the map, a panel with the function's name, the legend and the step count,
// so that nothing covers the map. Free of Node APIs.
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
  /** The whole image: the map, then the panel to its right. */
  readonly width: number;
  readonly height: number;
  /** The map's width; the panel takes the rest. */
  readonly mapWidth: number;
  /** Where the point (x, y) of the function's plane falls in the image, in (fractional) pixels. */
  toPixel(x: number, y: number): [number, number];
  /** The frame after `step` steps (0 = only the start), as palette indices. */
  frame(step: number, totalSteps: number): Uint8Array;
}

/** The optimizer's name in the legend, with '(out)' while its current point is off the map (or it diverged). */
export function legendLabel(path: RacePath, step: number, window: TestFunction['window']): string {
  const last = Math.min(step, path.length - 1);
  const x = path.points[2 * last]!;
  const y = path.points[2 * last + 1]!;
  const [xa, xb, ya, yb] = window;
  const off = x < xa || x > xb || y < ya || y > yb || (path.diverged && step >= path.length - 1);
  return off ? `${path.label} (out)` : path.label;
}

const TEXT_SCALE = 2;
const SWATCH = 22;
const MARGIN = 12;

export function createRenderer(fn: TestFunction, paths: readonly RacePath[], size = 440): FrameRenderer {
  const [xa, xb, ya, yb] = fn.window;
  const mapWidth = size;
  const height = Math.round((size * (yb - ya)) / (xb - xa));
  const toPx = (x: number) => ((x - xa) / (xb - xa)) * (mapWidth - 1);
  const toPy = (y: number) => ((yb - y) / (yb - ya)) * (height - 1);

  // The panel: wide enough for the title, the longest legend entry and the step count.
  const lineHeight = GLYPH_HEIGHT * TEXT_SCALE + 6;
  const stepLabel = (step: number, total: number) => `STEP ${step}/${total}`;
  const panelWidth =
    2 * MARGIN +
    Math.max(
      textWidth(fn.title, TEXT_SCALE),
      SWATCH + 8 + Math.max(...paths.map((p) => textWidth(`${p.label} (out)`, TEXT_SCALE))),
      textWidth(stepLabel(100_000, 100_000), TEXT_SCALE),
    );
  const width = mapWidth + panelWidth;

  // The contour map and the empty panel, computed once.
  const values = new Float64Array(mapWidth * height);
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < mapWidth; i++) {
      const v = fn.f(xa + ((xb - xa) * i) / (mapWidth - 1), yb - ((yb - ya) * j) / (height - 1));
      values[j * mapWidth + i] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const scale = (v: number) => (fn.logScale ? Math.log1p(v - lo) : v - lo);
  const top = scale(hi) || 1;
  const level = new Uint8Array(mapWidth * height);
  for (let k = 0; k < values.length; k++) level[k] = Math.min(LEVELS - 1, Math.floor((scale(values[k]!) / top) * LEVELS));
  const background = new Uint8Array(width * height).fill(WHITE);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < mapWidth; i++) {
      const k = j * mapWidth + i;
      const edge = (i + 1 < mapWidth && level[k + 1] !== level[k]) || (j + 1 < height && level[k + mapWidth] !== level[k]);
      background[j * width + i] = (edge ? LINE0 : LEVEL0) + level[k]!;
    }
    background[j * width + mapWidth] = GREY;
  }

  // Each path's length in pixels up to each step: at every frame the longest path is drawn first, so that a shorter
  // one running along the same valley stays on top of it instead of being covered.
  const travelled = paths.map((p) => {
    const d = new Float64Array(p.length);
    for (let t = 1; t < p.length; t++) {
      d[t] = d[t - 1]! + Math.hypot(toPx(p.points[2 * t]!) - toPx(p.points[2 * t - 2]!), toPy(p.points[2 * t + 1]!) - toPy(p.points[2 * t - 1]!));
    }
    return d;
  });

  const pixels = new Uint8Array(width * height);
  // Drawing on the map is clipped to the map.
  const put = (x: number, y: number, c: number) => {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px >= 0 && px < mapWidth && py >= 0 && py < height) pixels[py * width + px] = c;
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
  const text = (label: string, x: number, y: number) => drawText(pixels, width, height, label, x, y, BLACK, TEXT_SCALE);

  return {
    width,
    height,
    mapWidth,
    toPixel: (x, y) => [toPx(x), toPy(y)],
    frame(step: number, totalSteps: number): Uint8Array {
      pixels.set(background);
      for (const [mx, my] of fn.minima) cross(toPx(mx), toPy(my), 5, WHITE);
      disc(toPx(fn.start[0]), toPy(fn.start[1]), 4, BLACK);
      const lastOf = (p: RacePath) => Math.min(step, p.length - 1);
      const order = paths.map((_, i) => i).sort((a, b) => travelled[b]![lastOf(paths[b]!)]! - travelled[a]![lastOf(paths[a]!)]! || a - b);
      for (const i of order) {
        const p = paths[i]!;
        const color = PATH0 + (i % PATH_COLORS.length);
        for (let t = 1; t <= lastOf(p); t++) {
          line(toPx(p.points[2 * t - 2]!), toPy(p.points[2 * t - 1]!), toPx(p.points[2 * t]!), toPy(p.points[2 * t + 1]!), color);
        }
      }
      // Current points on top of every path, so that none hides another's head.
      for (const i of order) {
        const p = paths[i]!;
        const x = toPx(p.points[2 * lastOf(p)]!);
        const y = toPy(p.points[2 * lastOf(p) + 1]!);
        disc(x, y, 5, BLACK);
        disc(x, y, 4, PATH0 + (i % PATH_COLORS.length));
      }
      // The panel: title, legend, and the step count at the bottom.
      const x0 = mapWidth + MARGIN;
      text(fn.title, x0, MARGIN);
      paths.forEach((p, i) => {
        const y = MARGIN + 2 * lineHeight + i * lineHeight;
        const color = PATH0 + (i % PATH_COLORS.length);
        for (let d = 0; d < 4; d++) pixels.fill(color, (y + 5 + d) * width + x0, (y + 5 + d) * width + x0 + SWATCH);
        text(legendLabel(p, step, fn.window), x0 + SWATCH + 8, y);
      });
      text(stepLabel(step, totalSteps), x0, height - MARGIN - GLYPH_HEIGHT * TEXT_SCALE);
      return pixels;
    },
  };
}
