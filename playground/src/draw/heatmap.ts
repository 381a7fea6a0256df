// A grid of values drawn as a smooth colour field filling a canvas.
import { diverging } from './colors.js';

/**
 * Fills `canvas` with a GRID×GRID field: cell (r, c) takes colour(values[(r·grid + c)·stride + offset]). The field is
 * rendered at grid resolution and scaled up with smoothing.
 */
export function drawField(
  canvas: HTMLCanvasElement,
  grid: number,
  values: Float32Array,
  stride: number,
  offset: number,
  colour: (v: number) => readonly [number, number, number],
): void {
  const image = new ImageData(grid, grid);
  const px = image.data;
  for (let i = 0; i < grid * grid; i++) {
    const [r, g, b] = colour(values[i * stride + offset]!);
    px[4 * i] = r;
    px[4 * i + 1] = g;
    px[4 * i + 2] = b;
    px[4 * i + 3] = 255;
  }
  const small = new OffscreenCanvas(grid, grid);
  small.getContext('2d')!.putImageData(image, 0, 0);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

/** A neuron's activations, scaled by their largest magnitude over the grid so that every neuron shows its pattern. */
export function drawNeuron(canvas: HTMLCanvasElement, grid: number, values: Float32Array, units: number, unit: number): void {
  let peak = 1e-6;
  for (let i = 0; i < grid * grid; i++) peak = Math.max(peak, Math.abs(values[i * units + unit]!));
  drawField(canvas, grid, values, units, unit, (v) => diverging(v / peak));
}

/** The network's output P(class 1), mapped to [−1, 1] and lightened so that the points stand out. */
export function drawOutput(canvas: HTMLCanvasElement, grid: number, probabilities: Float32Array): void {
  drawField(canvas, grid, probabilities, 1, 0, (p) => diverging(0.6 * (2 * p - 1)));
}
