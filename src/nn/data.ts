// Datasets at the API boundary: row-major float arrays (or arrays of rows), checked against the widths a model
// expects and for values that are not finite numbers, and gathered batch by batch (in a seeded shuffled order) into
// reused host buffers.
import type { Random } from '../random.js';
import { show } from './validate.js';

/** A batch of samples: a flat row-major array, or one array per row. */
export type Samples = Float32Array | Float64Array | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

export type Flat = Float32Array | Float64Array;

/** The largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;

/** Host data as a flat array of whole rows. */
export interface Rows {
  values: Flat;
  rows: number;
  /**
   * True when every value was checked finite while converting (plain arrays and arrays of rows); false when a typed
   * array was passed through as is and its values are still to be checked (see checkFiniteValues).
   */
  checked: boolean;
}

/**
 * A flat Float32Array (Float64Array is kept, for the f64 reference backend) of whole rows of `width` values. Throws
 * naming `name`, what was given and what was expected (`expected()`, only called for the message, e.g. "the first
 * layer, dense_0 Dense(4→5), takes rows of 4"); values of plain arrays that are not finite numbers are refused here.
 */
export function toRows(where: string, name: string, data: Samples, width: number, expected?: () => string): Rows {
  const expectation = (): string => expected?.() ?? `rows have ${width} values`;
  if (data === null || typeof data !== 'object' || typeof (data as ArrayLike<unknown>).length !== 'number') {
    throw new Error(`${where}: ${name} must be a Float32Array or an array of rows, got ${show(data)}`);
  }
  const list = data as ArrayLike<unknown>;
  if (list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
    const values = new Float32Array(list.length * width);
    for (let i = 0; i < list.length; i++) {
      const row = list[i] as ArrayLike<unknown>;
      if (row === null || typeof row !== 'object' || row.length !== width) {
        const got = row !== null && typeof row === 'object' ? `${row.length} columns` : `${show(row)}, not a row`;
        throw new Error(`${where}: ${name}[${i}] has ${got}, but ${expectation()}`);
      }
      for (let j = 0; j < width; j++) values[i * width + j] = finiteNumber(where, name, row[j], i, j);
    }
    return { values, rows: list.length, checked: true };
  }
  let values: Flat;
  let checked = false;
  if (list instanceof Float32Array || list instanceof Float64Array) values = list;
  else {
    values = new Float32Array(list.length);
    for (let i = 0; i < list.length; i++) values[i] = finiteNumber(where, name, list[i], i);
    checked = true;
  }
  if (values.length % width !== 0) {
    throw new Error(
      `${where}: ${name} has ${values.length} values, which is not a whole number of rows (${expectation()}); expected a ` +
        `multiple of ${width}`,
    );
  }
  return { values, rows: values.length / width, checked };
}

/** Targets as a flat array: labels (one per row) or rows of values, all of the same width. */
export function toTargets(where: string, data: Samples): Rows {
  if (data === null || typeof data !== 'object' || typeof (data as ArrayLike<unknown>).length !== 'number') {
    throw new Error(`${where}: y must be a Float32Array, an array of labels or an array of rows, got ${show(data)}`);
  }
  const list = data as ArrayLike<unknown>;
  if (list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
    const width = (list[0] as ArrayLike<number>).length;
    return toRows(where, 'y', data, width, () => `y[0] has ${width}`);
  }
  return toRows(where, 'y', data, 1);
}

/** `value` if it is a number that is finite in float32, else throws naming it as name[i] or name[i][j]. */
function finiteNumber(where: string, name: string, value: unknown, i: number, j?: number): number {
  if (typeof value === 'number' && Math.abs(value) <= F32_MAX) return value;
  const at = j === undefined ? `${name}[${i}]` : `${name}[${i}][${j}]`;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${where}: ${at} is ${show(value)}; expected a finite number`);
  throw new Error(`${where}: ${at} is ${value}, outside the float32 range (±${F32_MAX})`);
}

/**
 * Throws naming the first value of `values` (rows of `width`; element 0 is element `offset` of the caller's array
 * `name`) that is not finite or, with maxAbs = F32_MAX, not finite once stored as float32.
 */
export function checkFiniteValues(where: string, name: string, values: ArrayLike<number>, width: number, maxAbs: number, offset = 0): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Math.abs(v) <= maxAbs) continue; // false for NaN too
    const k = offset + i;
    const at = width > 1 ? `${name}[${k}] (row ${Math.floor(k / width)}, column ${k % width})` : `${name}[${k}]`;
    const why = Number.isFinite(v) ? `, outside the float32 range (±${F32_MAX})` : '; expected finite numbers';
    throw new Error(`${where}: ${at} is ${v}${why}`);
  }
}

/** Gathers rows of (x, y) into reused host buffers, in order or in a seeded shuffled order. */
export class Batcher {
  readonly order: Uint32Array;
  readonly xBatch: Flat;
  readonly yBatch: Flat;

  constructor(
    private readonly x: Flat,
    private readonly y: Flat,
    readonly xWidth: number,
    readonly yWidth: number,
    /** The rows this batcher draws from. */
    rows: Uint32Array,
    readonly batchSize: number,
  ) {
    this.order = rows.slice();
    const rowsPerBatch = Math.min(batchSize, rows.length);
    this.xBatch = new (x instanceof Float64Array ? Float64Array : Float32Array)(rowsPerBatch * xWidth);
    this.yBatch = new (y instanceof Float64Array ? Float64Array : Float32Array)(rowsPerBatch * yWidth);
  }

  get batches(): number {
    return Math.ceil(this.order.length / this.batchSize);
  }

  shuffle(rng: Random): void {
    rng.shuffle(this.order);
  }

  /** Fills xBatch and yBatch with batch b and returns its row count. */
  gather(b: number): number {
    const start = b * this.batchSize;
    const m = Math.min(this.batchSize, this.order.length - start);
    copyRows(this.x, this.xBatch, this.order, start, m, this.xWidth);
    copyRows(this.y, this.yBatch, this.order, start, m, this.yWidth);
    return m;
  }
}

function copyRows(src: Flat, dst: Flat, order: Uint32Array, start: number, m: number, width: number): void {
  for (let i = 0; i < m; i++) {
    const from = order[start + i]! * width;
    if (width >= 32) dst.set(src.subarray(from, from + width), i * width);
    else for (let j = 0; j < width; j++) dst[i * width + j] = src[from + j]!;
  }
}

/** start, start + 1, …, end − 1. */
export function range(start: number, end: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
