// A grid of values drawn as a smooth colour field filling a canvas.
import { DIVERGING_LEVELS, DIVERGING_TABLE } from './colors.js';

/** One ImageData per canvas, reused frame after frame. */
const images = new WeakMap<HTMLCanvasElement, ImageData>();

/**
 * Fills `canvas` with a grid×grid field: cell (r, c) shows v = values[(r·grid + c)·stride + offset] in the diverging
 * colours at t = scale·v + shift (−1 orange, 0 white, +1 blue; clamped). The field is rendered at grid resolution and,
 * when the canvas is larger, scaled up with smoothing.
 */
export function drawField(
  canvas: HTMLCanvasElement,
  grid: number,
  values: Float32Array,
  stride: number,
  offset: number,
  scale: number,
  shift = 0,
): void {
  let image = images.get(canvas);
  if (image === undefined || image.width !== grid) {
    image = new ImageData(grid, grid);
    images.set(canvas, image);
  }
  const px = image.data;
  const top = DIVERGING_LEVELS - 1;
  for (let i = 0; i < grid * grid; i++) {
    const t = scale * values[i * stride + offset]! + shift;
    const level = t >= 1 ? top : t > -1 ? Math.round(((t + 1) / 2) * top) : 0; // NaN lands on −1's colour's side: 0
    px[4 * i] = DIVERGING_TABLE[3 * level]!;
    px[4 * i + 1] = DIVERGING_TABLE[3 * level + 1]!;
    px[4 * i + 2] = DIVERGING_TABLE[3 * level + 2]!;
    px[4 * i + 3] = 255;
  }
  const ctx = canvas.getContext('2d')!;
  if (canvas.width === grid && canvas.height === grid) {
    ctx.putImageData(image, 0, 0);
    return;
  }
  const small = new OffscreenCanvas(grid, grid);
  small.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

/** Largest |values[i·stride + offset]| over the grid (at least a tiny positive number). */
function peak(grid: number, values: Float32Array, stride: number, offset: number): number {
  let m = 1e-9;
  for (let i = 0; i < grid * grid; i++) m = Math.max(m, Math.abs(values[i * stride + offset]!));
  return m;
}

/** A neuron's (or a feature's) values, scaled by their largest magnitude so that each shows its own pattern. */
export function drawNeuron(canvas: HTMLCanvasElement, grid: number, values: Float32Array, units: number, unit: number): void {
  drawField(canvas, grid, values, units, unit, 1 / peak(grid, values, units, unit));
}

/** The network's output P(class 1) ∈ [0, 1], mapped to [−0.6, 0.6] (pale) so that the points stand out. */
export function drawOutput(canvas: HTMLCanvasElement, grid: number, probabilities: Float32Array): void {
  drawField(canvas, grid, probabilities, 1, 0, 1.2, -0.6);
}
