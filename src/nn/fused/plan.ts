// Which models the fused small-MLP pass (assembly/fused/mlp.ts) can run, and its descriptor: LAYER_FIELDS numbers per
// layer (inputs, units, activation code, α, kernel offset, bias offset or −1, two unused), all small integers or α,
// stored as floats so that any backend can hold them.
import { ACTIVATIONS, DEFAULT_ACTIVATION_ALPHA } from '../../backend/types.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import type { Loss, TargetKind } from '../losses.js';

export const LAYER_FIELDS = 8;

/** The loss code of the fused pass: 0 mse, 1 mae, 2 huber, 3 bce from logits, 4/5 softmax CE labels/dense. */
export function lossCode(loss: Loss, kind: TargetKind): number {
  switch (loss.name) {
    case 'mse':
      return 0;
    case 'mae':
      return 1;
    case 'huber':
      return 2;
    case 'binaryCrossEntropy':
      return 3;
    case 'softmaxCrossEntropy':
      return kind === 'labels' ? 4 : 5;
  }
}

/** The descriptor of a stack of Dense layers without L2 penalty, or null if the stack has anything else. */
export function describeLayers(layers: readonly Layer[]): Float32Array | null {
  if (!layers.every((l) => l instanceof Dense && l.l2 === 0)) return null;
  const desc = new Float32Array(layers.length * LAYER_FIELDS);
  (layers as Dense[]).forEach((layer, l) => {
    const alpha = layer.alpha ?? DEFAULT_ACTIVATION_ALPHA[layer.activation] ?? 0;
    desc.set(
      [
        layer.inputs,
        layer.units,
        ACTIVATIONS.indexOf(layer.activation),
        alpha,
        layer.kernel.offset,
        layer.bias === null ? -1 : layer.bias.offset,
        0,
        0,
      ],
      l * LAYER_FIELDS,
    );
  });
  return desc;
}

/** Floats of workspace the fused pass needs for m rows: per layer z (and y unless identity), two gradient buffers. */
export function workspaceFloats(desc: ArrayLike<number>, m: number): number {
  const layers = desc.length / LAYER_FIELDS;
  let floats = 0;
  let widest = desc[0]!;
  for (let l = 0; l < layers; l++) {
    const units = desc[l * LAYER_FIELDS + 1]!;
    floats += m * units * (desc[l * LAYER_FIELDS + 2] === 0 ? 1 : 2);
    widest = Math.max(widest, units);
  }
  return floats + 2 * m * widest;
}
