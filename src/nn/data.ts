// Datasets at the API boundary: row-major float arrays (or arrays of rows), checked against the widths a model
// expects, and gathered batch by batch (in a seeded shuffled order) into reused host buffers.
import type { Random } from '../random.js';
import { show } from './validate.js';

/** A batch of samples: a flat row-major array, or one array per row. */
export type Samples = Float32Array | Float64Array | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

type Flat = Float32Array | Float64Array;

/**
 * A flat Float32Array (Float64Array is kept, for the f64 reference backend) of whole rows of `width` values. Throws
 * naming `name`, the expected width and what was given.
 */
export function toRows(where: string, name: string, data: Samples, width: number): { values: Flat; rows: number } {
  if (data === null || typeof data !== 'object' || typeof (data as ArrayLike<unknown>).length !== 'number') {
    throw new Error(`${where}: ${name} must be a Float32Array or an array of rows, got ${show(data)}`);
  }
  const list = data as ArrayLike<unknown>;
  let values: Flat;
  if (list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
    values = new Float32Array(list.length * width);
    for (let i = 0; i < list.length; i++) {
      const row = list[i] as ArrayLike<number>;
      if (row === null || typeof row !== 'object' || row.length !== width) {
        const got = row !== null && typeof row === 'object' ? `${row.length} values` : show(row);
        throw new Error(`${where}: ${name}[${i}] must have ${width} values (the model's width), got ${got}`);
      }
      for (let j = 0; j < width; j++) values[i * width + j] = row[j]!;
    }
  } else {
    values = list instanceof Float32Array || list instanceof Float64Array ? list : Float32Array.from(list as ArrayLike<number>);
    if (values.length % width !== 0) {
      throw new Error(
        `${where}: ${name} has ${values.length} values, which is not a whole number of rows of ${width} ` +
          `(the model's width); expected a multiple of ${width}`,
      );
    }
  }
  return { values, rows: values.length / width };
}

/** Targets as a flat array: labels (one per row) or rows of values. */
export function toTargets(where: string, data: Samples): Flat {
  if (data === null || typeof data !== 'object' || typeof (data as ArrayLike<unknown>).length !== 'number') {
    throw new Error(`${where}: y must be a Float32Array, an array of labels or an array of rows, got ${show(data)}`);
  }
  const list = data as ArrayLike<unknown>;
  if (list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
    const width = (list[0] as ArrayLike<number>).length;
    return toRows(where, 'y', data, width).values;
  }
  return list instanceof Float32Array || list instanceof Float64Array ? list : Float32Array.from(list as ArrayLike<number>);
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

/** 0, 1, …, n − 1. */
export function range(start: number, end: number): Uint32Array {
  const out = new Uint32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

