// Data augmentation for images stored as rows of width×height grey levels: every image shifted by a random whole
// number of pixels in x and y (up to `maxShift` each way), the uncovered border filled with 0. Free of Node APIs.
import type { Random } from '../random.js';

/** Writes a shifted copy of each of the n images of `src` into `dst` (same layout). `dst` must not be `src`. */
export function shiftImages(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  width: number,
  height: number,
  maxShift: number,
  rng: Random,
): void {
  const size = width * height;
  if (src.length < n * size || dst.length < n * size) {
    throw new RangeError(`shiftImages: src and dst must hold ${n} images of ${width}×${height}`);
  }
  if (src === dst) throw new RangeError('shiftImages: dst must not be src');
  dst.fill(0, 0, n * size);
  for (let i = 0; i < n; i++) {
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const base = i * size;
    const x0 = Math.max(0, dx);
    const x1 = Math.min(width, width + dx);
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      const from = base + (y - dy) * width - dx;
      dst.set(src.subarray(from + x0, from + x1), base + y * width + x0);
    }
  }
}
