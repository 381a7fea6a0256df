// Rebuilding layers from their saved configs.
import { ActivationLayer } from './activation.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import type { Layer, LayerConfig } from './layer.js';

const FROM_CONFIG: Record<string, (c: LayerConfig) => Layer> = {
  Dense: Dense.fromConfig,
  Activation: ActivationLayer.fromConfig,
  Dropout: Dropout.fromConfig,
};

export function layerFromConfig(where: string, config: LayerConfig): Layer {
  const make = config !== null && typeof config === 'object' ? FROM_CONFIG[config.type] : undefined;
  if (make === undefined) {
    throw new Error(`${where}: unknown layer type ${JSON.stringify(config?.type)}; expected one of ${Object.keys(FROM_CONFIG).join(', ')}`);
  }
  return make(config);
}
