// Optimizers by name.
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { checkOneOf } from '../validate.js';

const FACTORIES = {
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  adagrad: () => new Adagrad(),
} satisfies Record<string, () => Optimizer>;

export type OptimizerName = keyof typeof FACTORIES;
export const OPTIMIZER_NAMES = Object.keys(FACTORIES) as OptimizerName[];

/** An optimizer instance as is, or a new one with default hyper-parameters by name. */
export function resolveOptimizer(spec: OptimizerName | Optimizer): Optimizer {
  if (typeof spec === 'object' && spec !== null && typeof (spec as Optimizer).step === 'function') return spec as Optimizer;
  return FACTORIES[checkOneOf('compile', 'optimizer', spec, OPTIMIZER_NAMES)]();
}
