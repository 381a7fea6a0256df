// The playground's colours: orange for class 0, blue for class 1 (the TensorFlow Playground's), white in between.
export type RGB = readonly [number, number, number];

export const CLASS0: RGB = [245, 147, 34];
export const CLASS1: RGB = [8, 119, 189];
const WHITE: RGB = [255, 255, 255];

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** v in [−1, 1]: −1 is class 0's colour, +1 class 1's, 0 white; values outside are clamped. */
export function diverging(v: number): RGB {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return t < 0 ? mix(WHITE, CLASS0, -t) : mix(WHITE, CLASS1, t);
}

/** LEVELS colours of `diverging` from −1 to 1, as r, g, b bytes: a field of thousands of cells looks them up. */
export const DIVERGING_LEVELS = 256;
export const DIVERGING_TABLE: Uint8ClampedArray = (() => {
  const table = new Uint8ClampedArray(3 * DIVERGING_LEVELS);
  for (let i = 0; i < DIVERGING_LEVELS; i++) table.set(diverging((2 * i) / (DIVERGING_LEVELS - 1) - 1), 3 * i);
  return table;
})();

export function css([r, g, b]: RGB): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}
