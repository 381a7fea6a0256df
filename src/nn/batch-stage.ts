// Where a batch crosses from the host to the backend: buffers for the inputs, the targets and ∂J/∂output, sized for
// the largest batch seen. They grow (the old ones freed, once per new largest size) and are then reused, so a
// steady-state training step allocates nothing.
//
// Inputs given as typed arrays are checked finite here rather than on the host: a batch of more than HOST_CHECK_MAX
// values is checked by one firstNonFinite pass over the staged copy (a value too large for float32 is ∞ there), and
// only when that finds one is the host copy scanned, to name the first bad value as the caller gave it.
import type { Backend, Buf } from '../backend/types.js';
import { checkFiniteValues, F32_MAX, type Flat } from './data.js';

/** Below this many values a host scan is cheaper than a kernel call. */
const HOST_CHECK_MAX = 256;

export class BatchStage {
  /** Rows the buffers hold; 0 before the first batch. */
  capacity = 0;
  x!: Buf;
  y!: Buf;
  dOut!: Buf;
  /** Host copy of an output batch, for the metrics. */
  outHost: Float32Array = new Float32Array(0);

  constructor(
    private readonly backend: Backend,
    private readonly inputSize: number,
    private readonly outputSize: number,
  ) {}

  /** Makes every buffer hold `rows` rows; true when they had to grow. */
  reserve(rows: number): boolean {
    if (rows <= this.capacity) return false;
    this.dispose();
    const be = this.backend;
    this.x = be.alloc(rows * this.inputSize);
    this.y = be.alloc(rows * this.outputSize);
    this.dOut = be.alloc(rows * this.outputSize);
    this.outHost = new Float32Array(rows * this.outputSize);
    this.capacity = rows;
    return true;
  }

  /**
   * Writes `values` (rows of the input width, starting at element `offset` of the caller's array `name`) into x;
   * unless `checked`, throws naming the first value that is not finite (in float32, on an f32 backend).
   */
  writeInputs(where: string, name: string, values: Flat, checked: boolean, offset: number): void {
    const be = this.backend;
    be.write(this.x, values);
    if (checked) return;
    if (values.length > HOST_CHECK_MAX && be.firstNonFinite(values.length, this.x) < 0) return;
    const maxAbs = be.dtype === 'f32' ? F32_MAX : Infinity;
    checkFiniteValues(where, name, values, this.inputSize, maxAbs, offset);
  }

  dispose(): void {
    if (this.capacity === 0) return;
    for (const buf of [this.x, this.y, this.dOut]) this.backend.free(buf);
    this.capacity = 0;
  }
}
