// The elementwise passes of a fully connected layer (src/nn/layers/dense.ts), fused around its matrix products:
//   forward:   z[i,j] ← z[i,j] + b[j];  y ← f(z)                      f32_bias_act_forward
//   backward:  dz ← dy ⊙ f′(z, y);  db[j] ← β·db[j] + Σᵢ dz[i,j]       f32_bias_act_backward
// Results: bit for bit those of f32_add_row_vector then f32_act_forward, and of f32_act_backward then f32_sum_rows
// (each column summed in row order from 0, then β·db added; β = 0 does not read db).
// Layout: m×n matrices row-major and packed (stride n), b and db rows of n; b = 0 or db = 0: no bias. `act` is the
// index in ACTIVATIONS (src/backend/types.ts). Aliasing: y may be z; dz may be dy; nothing else overlaps.
// relu, the common case, takes one pass each way, with the same f32x4 operations as assembly/activations.ts
// (max(x, 0); dy · (x > 0 ? 1 : 0)). Every other activation runs the bias pass, then f32_act_forward over the whole
// matrix (z is still in cache); backward runs f32_act_backward, then the column sums.
// Column sums run over blocks of SUM_VECTORS f32x4 columns with one accumulator each, so that rows stream and the
// additions of different columns overlap (f32_sum_rows sums one column group at a time down the rows).
// Tails: rows of n mod 4 floats finish one float at a time through the same f32x4 operations on lane 0.
import { f32_act_backward, f32_act_forward } from './activations';
import { f32_add } from './elementwise';

// @ts-ignore: decorator
@inline const IDENTITY: i32 = 0;
// @ts-ignore: decorator
@inline const RELU: i32 = 1;
/** Column vectors summed together in one sweep down the rows. */
// @ts-ignore: decorator
@inline const SUM_VECTORS: i32 = 8;

// @ts-ignore: decorator
@inline function relu4(x: v128): v128 {
  return f32x4.max(x, f32x4.splat(0));
}

/** dy ⊙ relu′(x): relu′ is 1 where x > 0, else 0 (NaN included). */
// @ts-ignore: decorator
@inline function reluBackward4(x: v128, dy: v128): v128 {
  return f32x4.mul(dy, v128.and(f32x4.gt(x, f32x4.splat(0)), f32x4.splat(1)));
}

export function f32_bias_act_forward(act: i32, m: i32, n: i32, z: usize, b: usize, y: usize, alpha: f32): void {
  const rowBytes = <usize>n << 2;
  if (act != RELU) {
    if (b != 0) for (let i = 0; i < m; i++) f32_add(n, z + <usize>i * rowBytes, b, z + <usize>i * rowBytes);
    if (act != IDENTITY || y != z) f32_act_forward(act, m * n, z, y, alpha);
    return;
  }
  for (let i = 0; i < m; i++) {
    const zi = z + <usize>i * rowBytes;
    const yi = y + <usize>i * rowBytes;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      let v = v128.load(zi + o);
      if (b != 0) {
        v = f32x4.add(v, v128.load(b + o));
        v128.store(zi + o, v);
      }
      v128.store(yi + o, relu4(v));
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      let s = load<f32>(zi + o);
      if (b != 0) {
        s += load<f32>(b + o);
        store<f32>(zi + o, s);
      }
      store<f32>(yi + o, f32x4.extract_lane(relu4(f32x4.splat(s)), 0));
    }
  }
}

export function f32_bias_act_backward(act: i32, m: i32, n: i32, z: usize, y: usize, dy: usize, dz: usize, beta: f32,
  db: usize, alpha: f32): void {
  const relu = act == RELU;
  if (!relu) f32_act_backward(act, m * n, z, y, dy, dz, alpha);
  if (!relu && db == 0) return;
  // With relu, dz is computed here, column block by column block, as the sums go down the rows.
  const rowBytes = <usize>n << 2;
  let j = 0;
  for (; j + 4 * SUM_VECTORS <= n; j += 4 * SUM_VECTORS) {
    sumColumns(SUM_VECTORS, relu, m, rowBytes, <usize>j << 2, z, dy, dz, beta, db);
  }
  for (; j + 4 <= n; j += 4) sumColumns(1, relu, m, rowBytes, <usize>j << 2, z, dy, dz, beta, db);
  for (; j < n; j++) {
    const col = <usize>j << 2;
    let acc: f32 = 0;
    for (let i = 0; i < m; i++) {
      const at = <usize>i * rowBytes + col;
      let d = load<f32>(dy + at);
      if (relu) {
        d = f32x4.extract_lane(reluBackward4(f32x4.splat(load<f32>(z + at)), f32x4.splat(d)), 0);
        store<f32>(dz + at, d);
      } else {
        d = load<f32>(dz + at);
      }
      acc += d;
    }
    if (db != 0) {
      if (beta != 0) acc += beta * load<f32>(db + col);
      store<f32>(db + col, acc);
    }
  }
}

/**
 * `vectors` f32x4 columns starting at byte `col` of each row: dz = dy ⊙ relu′(z) first when `relu` (else dz is read),
 * summed down the m rows into db (when db ≠ 0) as db ← Σᵢ dz + β·db.
 */
// @ts-ignore: decorator
@inline function sumColumns(vectors: i32, relu: bool, m: i32, rowBytes: usize, col: usize, z: usize, dy: usize,
  dz: usize, beta: f32, db: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let a4 = a0;
  let a5 = a0;
  let a6 = a0;
  let a7 = a0;
  for (let i = 0; i < m; i++) {
    const at = <usize>i * rowBytes + col;
    a0 = f32x4.add(a0, columnTerm(relu, z + at, dy + at, dz + at));
    if (vectors > 1) {
      a1 = f32x4.add(a1, columnTerm(relu, z + at + 16, dy + at + 16, dz + at + 16));
      a2 = f32x4.add(a2, columnTerm(relu, z + at + 32, dy + at + 32, dz + at + 32));
      a3 = f32x4.add(a3, columnTerm(relu, z + at + 48, dy + at + 48, dz + at + 48));
      a4 = f32x4.add(a4, columnTerm(relu, z + at + 64, dy + at + 64, dz + at + 64));
      a5 = f32x4.add(a5, columnTerm(relu, z + at + 80, dy + at + 80, dz + at + 80));
      a6 = f32x4.add(a6, columnTerm(relu, z + at + 96, dy + at + 96, dz + at + 96));
      a7 = f32x4.add(a7, columnTerm(relu, z + at + 112, dy + at + 112, dz + at + 112));
    }
  }
  if (db == 0) return;
  storeSum(db + col, a0, beta);
  if (vectors > 1) {
    storeSum(db + col + 16, a1, beta);
    storeSum(db + col + 32, a2, beta);
    storeSum(db + col + 48, a3, beta);
    storeSum(db + col + 64, a4, beta);
    storeSum(db + col + 80, a5, beta);
    storeSum(db + col + 96, a6, beta);
    storeSum(db + col + 112, a7, beta);
  }
}

/** One row's four columns of dz: computed and stored (relu), or read. */
// @ts-ignore: decorator
@inline function columnTerm(relu: bool, z: usize, dy: usize, dz: usize): v128 {
  if (!relu) return v128.load(dz);
  const d = reluBackward4(v128.load(z), v128.load(dy));
  v128.store(dz, d);
  return d;
}

/** db ← sum + β·db (β = 0: db is not read). */
// @ts-ignore: decorator
@inline function storeSum(db: usize, sum: v128, beta: f32): void {
  v128.store(db, beta == 0 ? sum : f32x4.add(sum, f32x4.mul(f32x4.splat(beta), v128.load(db))));
}
