// The optimizers the CLI offers by name, with the learning-rate schedules, over the library's Optimizer classes.
import { Adagrad, Adam, AdamW, CosineDecay, ExponentialDecay, type LearningRate, type Optimizer, RMSprop, SGD, StepDecay } from '../nn/index.js';

export const CLI_OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw', 'adagrad'] as const;
export type CliOptimizer = (typeof CLI_OPTIMIZERS)[number];

export const SCHEDULES = ['constant', 'cosine', 'step', 'exponential', 'plateau'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** A sensible learning rate for each optimizer when none is given. */
export function defaultLr(optimizer: CliOptimizer): number {
  return optimizer === 'sgd' || optimizer === 'momentum' || optimizer === 'nesterov' ? 0.1 : 0.01;
}

/**
 * The learning rate for `stepsPerEpoch × epochs` steps: constant; cosine (to 0 over the run); step (× 0.1 after each
 * third of the run); exponential (× 0.9 per epoch). 'plateau' is a callback, so its rate starts constant.
 */
export function learningRate(schedule: ScheduleName, lr: number, stepsPerEpoch: number, epochs: number): LearningRate {
  const total = Math.max(1, stepsPerEpoch * epochs);
  switch (schedule) {
    case 'cosine':
      return new CosineDecay({ lr, decaySteps: total });
    case 'step':
      return new StepDecay({ lr, stepSize: Math.max(1, Math.ceil(total / 3)), gamma: 0.1 });
    case 'exponential':
      return new ExponentialDecay({ lr, decaySteps: Math.max(1, stepsPerEpoch), decayRate: 0.9 });
    default:
      return lr;
  }
}

/** A new optimizer by CLI name: momentum and Nesterov are SGD with μ = 0.9. */
export function createOptimizer(name: CliOptimizer, lr: LearningRate): Optimizer {
  switch (name) {
    case 'sgd':
      return new SGD({ lr });
    case 'momentum':
      return new SGD({ lr, momentum: 0.9 });
    case 'nesterov':
      return new SGD({ lr, momentum: 0.9, nesterov: true });
    case 'rmsprop':
      return new RMSprop({ lr });
    case 'adam':
      return new Adam({ lr });
    case 'adamw':
      return new AdamW({ lr });
    case 'adagrad':
      return new Adagrad({ lr });
  }
}
