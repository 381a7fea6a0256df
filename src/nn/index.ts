// The network API: layers, the Sequential model, losses, metrics, initializers, optimizers, schedules, clipping,
// callbacks and saving.
export { Param, ParamArena } from './arena.js';
export { EarlyStopping, ReduceLROnPlateau, type Callback, type EarlyStoppingOptions, type Logs, type ReduceLROnPlateauOptions } from './callbacks.js';
export { clipByGlobalNorm, clipByValue } from './clipping.js';
export type { Samples } from './data.js';
export type { FitOptions, History } from './fit.js';
export { constant, initializers, INITIALIZER_NAMES, type Initializer, type InitializerName } from './initializers.js';
export {
  ActivationLayer,
  ELU,
  GELU,
  Identity,
  LeakyReLU,
  ReLU,
  SELU,
  Sigmoid,
  SiLU,
  Softplus,
  Tanh,
} from './layers/activation.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export { Layer, type BuildContext, type LayerConfig } from './layers/layer.js';
export { LOSS_NAMES, resolveLoss, type Loss, type LossName, type LossSpec, type TargetKind } from './losses.js';
export { METRIC_NAMES, createMetric, type Metric, type MetricName } from './metrics.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { Adam, AdamW, type AdamOptions } from './optimizers/adam.js';
export { OPTIMIZER_NAMES, resolveOptimizer, type OptimizerName } from './optimizers/index.js';
export { Optimizer, type LearningRate, type OptimizerOptions } from './optimizers/optimizer.js';
export { RMSprop, type RmspropOptions } from './optimizers/rmsprop.js';
export { SGD, type SgdOptions } from './optimizers/sgd.js';
export { CosineDecay, ExponentialDecay, StepDecay, type LearningRateSchedule } from './schedules.js';
export { Sequential, type CompileOptions, type SequentialOptions } from './sequential.js';
export { FORMAT_VERSION, type ModelArtifacts, type ModelManifest } from './serialize.js';
