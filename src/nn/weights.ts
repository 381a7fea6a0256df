// Getting and setting a model's weights as host arrays, one per parameter in layer order (kernel, then bias). Setting
// checks every array (count, sizes, values finite on the model's backend) before writing any, so a rejected call
// leaves the model as it was.
import { maxAbsOf } from './model-data.js';
import type { Sequential } from './sequential.js';
import { show } from './validate.js';

export function readWeights(model: Sequential): Float32Array[] {
  return model.params.params.map((p) => model.backend.read(p.value, new Float32Array(p.size)));
}

export function writeWeights(model: Sequential, weights: ArrayLike<number>[]): void {
  const params = model.params.params;
  if (!Array.isArray(weights) || weights.length !== params.length) {
    throw new Error(`setWeights: expected an array of ${params.length} arrays (${params.map((p) => p.name).join(', ')}), got ${show(weights)}`);
  }
  const maxAbs = maxAbsOf(model);
  params.forEach((p, i) => {
    const w = weights[i];
    if (w === null || typeof w !== 'object' || w.length !== p.size) {
      throw new Error(`setWeights: weights[${i}] (${p.name}, shape [${p.shape.join(', ')}]) must have ${p.size} values, got ${show(w)}`);
    }
    for (let j = 0; j < w.length; j++) {
      if (!(Math.abs(w[j]!) <= maxAbs)) {
        const why = Number.isFinite(w[j]) ? ', outside the float32 range' : '';
        throw new Error(`setWeights: weights[${i}] (${p.name}) has a non-finite value ${w[j]} at ${j}${why}`);
      }
    }
  });
  params.forEach((p, i) => model.backend.write(p.value, weights[i]!));
}
