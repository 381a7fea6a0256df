// One training pass of a small multilayer perceptron in one call: forward, loss, backward. For networks so small that
// the cost of calling a kernel per layer per step dominates (XOR-sized), this replaces ~15 kernel calls by one; the
// optimizer step stays a separate call. Reference twin: src/nn/fused/reference.ts (the same maths as kernel calls).
//
//   forward, per layer l:  z = x·W + b;  y = f(z)                   (x = the input, or y of the layer before)
//   loss:                  J = loss(y_L, target);  dy_L = ∂J/∂y_L   (the loss kernels of assembly/losses.ts)
//   backward, l = L … 1:   dz = dy ⊙ f′(z);  ∂J/∂W ← xᵀ·dz;  ∂J/∂b ← Σ_rows dz;  dy_(l−1) = dz·Wᵀ
//
// Layout: every matrix row-major and packed; W is inputs×units. `desc` holds LAYER_FIELDS f32 per layer: inputs,
// units, activation code (the index in ACTIVATIONS), α, kernel offset, bias offset (−1: no bias), in floats from
// `params` (values) and `grads` (gradients, same layout). Gradients are overwritten, not accumulated.
// Workspace `work` (floats): per layer z (m·units) and, unless the activation is identity, y (m·units); then two
// gradient buffers of m·maxWidth each (maxWidth: the widest inputs or units). Nothing aliases but the in-place
// activation derivative, which its contract allows. Tails: the row loops take f32x4 steps and finish one float at a
// time. Loss codes: 0 mse, 1 mae, 2 huber(δ), 3 bce from logits, 4 softmax CE with labels, 5 softmax CE dense.
import { f32_act_backward, f32_act_forward } from '../activations';
import {
  f32_bce_with_logits,
  f32_huber,
  f32_mae,
  f32_mse,
  f32_softmax_cross_entropy,
  f32_softmax_cross_entropy_dense,
} from '../losses';

// @ts-ignore: decorator
@inline const LAYER_FIELDS: i32 = 8;

// @ts-ignore: decorator
@inline function field(desc: usize, layer: i32, k: i32): i32 {
  return <i32>load<f32>(desc + ((<usize>(layer * LAYER_FIELDS + k)) << 2));
}

/** dst[j] += a·src[j] for j < n. */
// @ts-ignore: decorator
@inline function axpyRow(n: i32, a: f32, src: usize, dst: usize): void {
  const va = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(va, v128.load(src + o))));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(dst + o) + a * load<f32>(src + o));
  }
}

/** Σ a[j]·b[j] for j < n. */
// @ts-ignore: decorator
@inline function dotRow(n: i32, a: usize, b: usize): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; j < n; j++) {
    const o = <usize>j << 2;
    sum += load<f32>(a + o) * load<f32>(b + o);
  }
  return sum;
}

/** z ← x·W + b (b may be 0: no bias). x m×k, W k×n, z m×n. */
function denseForward(m: i32, k: i32, n: i32, x: usize, w: usize, b: usize, z: usize): void {
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const zi = z + <usize>i * rowBytes;
    if (b != 0) memory.copy(zi, b, rowBytes);
    else memory.fill(zi, 0, rowBytes);
    const xi = x + ((<usize>(i * k)) << 2);
    for (let p = 0; p < k; p++) axpyRow(n, load<f32>(xi + (<usize>p << 2)), w + <usize>p * rowBytes, zi);
  }
}

/** dW ← xᵀ·dz (k×n), db ← Σ_rows dz (when b ≠ 0). */
function denseParamGrads(m: i32, k: i32, n: i32, x: usize, dz: usize, dw: usize, db: usize): void {
  const rowBytes = <usize>n << 2;
  memory.fill(dw, 0, <usize>k * rowBytes);
  for (let i = 0; i < m; i++) {
    const xi = x + ((<usize>(i * k)) << 2);
    const dzi = dz + <usize>i * rowBytes;
    for (let p = 0; p < k; p++) axpyRow(n, load<f32>(xi + (<usize>p << 2)), dzi, dw + <usize>p * rowBytes);
  }
  if (db == 0) return;
  memory.fill(db, 0, rowBytes);
  for (let i = 0; i < m; i++) axpyRow(n, 1, dz + <usize>i * rowBytes, db);
}

/** dx ← dz·Wᵀ (m×k): dx[i,p] = dz_i · W_p. */
function denseInputGrad(m: i32, k: i32, n: i32, dz: usize, w: usize, dx: usize): void {
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const dzi = dz + <usize>i * rowBytes;
    const dxi = dx + ((<usize>(i * k)) << 2);
    for (let p = 0; p < k; p++) store<f32>(dxi + (<usize>p << 2), dotRow(n, dzi, w + <usize>p * rowBytes));
  }
}

function lossAndGrad(code: i32, m: i32, n: i32, y: usize, target: usize, delta: f32, dy: usize): f64 {
  switch (code) {
    case 0: return f32_mse(m * n, y, target, dy);
    case 1: return f32_mae(m * n, y, target, dy);
    case 2: return f32_huber(m * n, y, target, delta, dy);
    case 3: return f32_bce_with_logits(m * n, y, target, dy);
    case 4: return f32_softmax_cross_entropy(m, n, y, target, dy);
    default: return f32_softmax_cross_entropy_dense(m, n, y, target, dy);
  }
}

/** Floats of workspace f32_mlp_forward_backward needs for m rows. */
export function f32_mlp_workspace_floats(desc: usize, layers: i32, m: i32): i32 {
  let floats = 0;
  let widest = field(desc, 0, 0);
  for (let l = 0; l < layers; l++) {
    const units = field(desc, l, 1);
    floats += m * units * (field(desc, l, 2) == 0 ? 1 : 2);
    widest = max(widest, units);
  }
  return floats + 2 * m * widest;
}

/** Forward, loss and backward of an MLP over m rows; returns the loss (see the file comment). */
export function f32_mlp_forward_backward(
  desc: usize, layers: i32, m: i32, x: usize, target: usize, params: usize, grads: usize, work: usize, loss: i32,
  delta: f32,
): f64 {
  // ---- forward: each layer's z and y live in the workspace, one after the other ----
  let at = work;
  let input = x;
  let widest = field(desc, 0, 0);
  for (let l = 0; l < layers; l++) {
    const k = field(desc, l, 0);
    const n = field(desc, l, 1);
    const act = field(desc, l, 2);
    const biasAt = field(desc, l, 5);
    const z = at;
    at += (<usize>(m * n)) << 2;
    const w = params + ((<usize>field(desc, l, 4)) << 2);
    denseForward(m, k, n, input, w, biasAt < 0 ? 0 : params + ((<usize>biasAt) << 2), z);
    let y = z;
    if (act != 0) {
      y = at;
      at += (<usize>(m * n)) << 2;
      f32_act_forward(act, m * n, z, y, load<f32>(desc + ((<usize>(l * LAYER_FIELDS + 3)) << 2)));
    }
    input = y;
    widest = max(widest, n);
  }
  const gradA = at;
  const gradB = at + ((<usize>(m * widest)) << 2);

  // ---- loss and ∂J/∂y of the last layer ----
  const outputs = field(desc, layers - 1, 1);
  const value = lossAndGrad(loss, m, outputs, input, target, delta, gradA);

  // ---- backward: walk the workspace back down, ping-ponging the gradient between two buffers ----
  let dy = gradA;
  let spare = gradB;
  for (let l = layers - 1; l >= 0; l--) {
    const k = field(desc, l, 0);
    const n = field(desc, l, 1);
    const act = field(desc, l, 2);
    const biasAt = field(desc, l, 5);
    const size = (<usize>(m * n)) << 2;
    let y = at - size;
    let z = y;
    if (act != 0) z = y - size;
    at = z;
    if (act != 0) f32_act_backward(act, m * n, z, y, dy, dy, load<f32>(desc + ((<usize>(l * LAYER_FIELDS + 3)) << 2)));
    // this layer's input: the output of the layer below (which ends where this layer's z starts), or x
    let xl = x;
    if (l > 0) xl = z - ((<usize>(m * k)) << 2);
    const wOffset = <usize>field(desc, l, 4) << 2;
    denseParamGrads(m, k, n, xl, dy, grads + wOffset, biasAt < 0 ? 0 : grads + ((<usize>biasAt) << 2));
    if (l > 0) {
      denseInputGrad(m, k, n, dy, params + wOffset, spare);
      const t = dy;
      dy = spare;
      spare = t;
    }
  }
  return value;
}
