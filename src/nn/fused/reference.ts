// The reference twin of the fused small-MLP pass (assembly/fused/mlp.ts): the same contract, the same workspace
// layout, written as calls of the kernel interface, so it runs on any backend (the reference backend included).
//
//   forward, per layer:  z = x·W + b;  y = f(z)
//   loss:                J = loss(y_L, target);  dy_L = ∂J/∂y_L
//   backward:            dz = dy ⊙ f′(z);  ∂J/∂W ← xᵀ·dz;  ∂J/∂b ← Σ_rows dz;  dy_(l−1) = dz·Wᵀ
import { ACTIVATIONS, type Backend, type Buf } from '../../backend/types.js';
import { LAYER_FIELDS, workspaceFloats } from './plan.js';

/** Returns the loss; overwrites the gradients in `grads` (same offsets as `params`). See plan.ts for `desc`. */
export function mlpForwardBackwardReference(
  be: Backend,
  desc: ArrayLike<number>,
  m: number,
  x: Buf,
  target: Buf,
  params: Buf,
  grads: Buf,
  work: Buf,
  loss: number,
  delta: number,
): number {
  const layers = desc.length / LAYER_FIELDS;
  const f = (l: number, k: number) => desc[l * LAYER_FIELDS + k]!;
  const view = (buf: Buf, offset: number, length: number) => be.view(buf, offset, length);
  const zs: Buf[] = [];
  const ys: Buf[] = [];
  let at = 0;
  let input = x;
  for (let l = 0; l < layers; l++) {
    const [k, n, act, alpha, wAt, bAt] = [f(l, 0), f(l, 1), ACTIVATIONS[f(l, 2)]!, f(l, 3), f(l, 4), f(l, 5)];
    const z = view(work, at, m * n);
    at += m * n;
    be.gemm(false, false, m, n, k, 1, input, k, view(params, wAt, k * n), n, 0, z, n);
    if (bAt >= 0) be.addRowVector(m, n, z, view(params, bAt, n), z);
    let y = z;
    if (act !== 'identity') {
      y = view(work, at, m * n);
      at += m * n;
      be.actForward(act, m * n, z, y, alpha);
    }
    zs.push(z);
    ys.push(y);
    input = y;
  }
  const widest = (workspaceFloats(desc, m) - at) / (2 * m);
  let dy = view(work, at, m * widest);
  let spare = view(work, at + m * widest, m * widest);
  const outputs = f(layers - 1, 1);
  const value = lossValue(be, loss, m, outputs, input, target, delta, dy);
  for (let l = layers - 1; l >= 0; l--) {
    const [k, n, act, alpha, wAt, bAt] = [f(l, 0), f(l, 1), ACTIVATIONS[f(l, 2)]!, f(l, 3), f(l, 4), f(l, 5)];
    if (act !== 'identity') be.actBackward(act, m * n, zs[l]!, ys[l]!, dy, dy, alpha);
    const xl = l === 0 ? x : ys[l - 1]!;
    be.gemm(true, false, k, n, m, 1, xl, k, dy, n, 0, view(grads, wAt, k * n), n);
    if (bAt >= 0) be.sumRows(m, n, dy, 0, view(grads, bAt, n));
    if (l > 0) {
      be.gemm(false, true, m, k, n, 1, dy, n, view(params, wAt, k * n), n, 0, spare, k);
      [dy, spare] = [spare, dy];
    }
  }
  return value;
}

function lossValue(be: Backend, code: number, m: number, n: number, y: Buf, t: Buf, delta: number, dy: Buf): number {
  switch (code) {
    case 0:
      return be.mse(m, n, y, t, dy);
    case 1:
      return be.mae(m, n, y, t, dy);
    case 2:
      return be.huber(m, n, y, t, delta, dy);
    case 3:
      return be.bceWithLogits(m, n, y, t, dy);
    case 4:
      return be.softmaxCrossEntropy(m, n, y, t, dy);
    default:
      return be.softmaxCrossEntropyDense(m, n, y, t, dy);
  }
}
