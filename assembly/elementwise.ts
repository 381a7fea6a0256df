// Elementwise kernels, row-vector bias and its gradient, and reductions over f32 arrays.
// Layout: contiguous f32 arrays at byte addresses; matrices row-major and packed (stride n).
// Aliasing: outputs may be the same array as an input (each element is read before it is written); partial overlap
// is undefined. Tails: the main loops take 4 floats per f32x4 step, a scalar loop finishes the last n mod 4.

// @ts-ignore: decorator
@inline const LANES: i32 = 4;

export function f32_fill(n: i32, value: f32, x: usize): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(x + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), value);
}

export function f32_copy(n: i32, x: usize, y: usize): void {
  if (x != y) memory.copy(y, x, <usize>n << 2);
}

/** y ← α·x + y */
export function f32_axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(f32x4.mul(a, v128.load(x + o)), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, alpha * load<f32>(x + o) + load<f32>(y + o));
  }
}

/** y ← α·x */
export function f32_scale(n: i32, alpha: f32, x: usize, y: usize): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.mul(a, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, alpha * load<f32>(x + o));
  }
}

/** z ← x + y */
export function f32_add(n: i32, x: usize, y: usize, z: usize): void {
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const o = <usize>i << 2;
    v128.store(z + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(z + o, load<f32>(x + o) + load<f32>(y + o));
  }
}

/** z ← x ⊙ y */
export function f32_mul(n: i32, x: usize, y: usize, z: usize): void {
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const o = <usize>i << 2;
    v128.store(z + o, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(z + o, load<f32>(x + o) * load<f32>(y + o));
  }
}

/** y[i,j] ← x[i,j] + v[j] */
export function f32_add_row_vector(m: i32, n: i32, x: usize, v: usize, y: usize): void {
  for (let i = 0; i < m; i++) {
    const row = <usize>i * <usize>n << 2;
    f32_add(n, x + row, v, y + row);
  }
}

/** out[j] ← β·out[j] + Σᵢ x[i,j]; β = 0 does not read out. Columns are summed in row order, four at a time. */
export function f32_sum_rows(m: i32, n: i32, x: usize, beta: f32, out: usize): void {
  const rowBytes = <usize>n << 2;
  let j = 0;
  for (; j + LANES <= n; j += LANES) {
    const col = <usize>j << 2;
    let acc = f32x4.splat(0);
    for (let i = 0; i < m; i++) acc = f32x4.add(acc, v128.load(x + <usize>i * rowBytes + col));
    if (beta != 0) acc = f32x4.add(acc, f32x4.mul(f32x4.splat(beta), v128.load(out + col)));
    v128.store(out + col, acc);
  }
  for (; j < n; j++) {
    const col = <usize>j << 2;
    let acc: f32 = 0;
    for (let i = 0; i < m; i++) acc += load<f32>(x + <usize>i * rowBytes + col);
    if (beta != 0) acc += beta * load<f32>(out + col);
    store<f32>(out + col, acc);
  }
}

/** Σ x[i]², accumulated in f64 pairs so that long arenas do not lose precision. */
export function f32_sum_squares(n: i32, x: usize): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const v = v128.load(x + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    sum += v * v;
  }
  return sum;
}

/** x[i] ← min(hi, max(lo, x[i])); NaN stays NaN. */
export function f32_clip_by_value(n: i32, lo: f32, hi: f32, x: usize): void {
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  let i = 0;
  for (; i + LANES <= n; i += LANES) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.min(h, f32x4.max(l, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, min<f32>(hi, max<f32>(lo, load<f32>(x + o))));
  }
}
