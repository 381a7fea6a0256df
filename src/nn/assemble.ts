// Assembling a model from its layers: check the list, build each layer on the width the one before it gives, lay out
// every parameter in one arena, and write the initial weights from the model's one seeded generator. If any step
// fails (a width mismatch, an initializer that throws or gives a non-finite value), whatever was allocated is freed
// and the layers are released, so that they can join another model.
import type { Backend } from '../backend/types.js';
import { getBackend } from '../init.js';
import { Random } from '../random.js';
import { Param, ParamArena } from './arena.js';
import { Dense } from './layers/dense.js';
import { Layer, type BuildContext } from './layers/layer.js';
import { checkPositiveInt, show } from './validate.js';

export interface SequentialOptions {
  /** Seed of the generator behind the initial weights (and dropout masks); default 0. */
  seed?: number;
  /** Default: the backend of the last `init()`. */
  backend?: Backend;
  /** The width of an input row; needed only when the first layer is not Dense. */
  inputSize?: number;
}

export interface Assembly {
  backend: Backend;
  seed: number;
  inputSize: number;
  outputSize: number;
  params: ParamArena;
}

export function assemble(layers: Layer[], options: SequentialOptions): Assembly {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new Error(`Sequential: layers must be a non-empty array of layers, got ${show(layers)}`);
  }
  if (options === null || typeof options !== 'object') throw new Error(`Sequential: options must be an object, got ${show(options)}`);
  layers.forEach((layer, i) => {
    if (!(layer instanceof Layer)) throw new Error(`Sequential: layers[${i}] must be a layer, got ${show(layer)}`);
    if (layer.outputSize !== 0) throw new Error(`Sequential: layers[${i}] (${layer.describe()}) already belongs to a model`);
    if (layers.indexOf(layer) !== i) throw new Error(`Sequential: layers[${i}] is the same layer object as layers[${layers.indexOf(layer)}]`);
  });
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new Error(`Sequential: seed must be an integer, got ${show(seed)}`);
  const backend = options.backend ?? getBackend();
  const first = layers[0]!;
  const inputSize = options.inputSize ?? (first instanceof Dense ? first.inputs : undefined);
  if (inputSize === undefined) {
    throw new Error(`Sequential: the first layer is ${first.type}, not Dense; give options.inputSize (the width of an input row)`);
  }
  checkPositiveInt('Sequential', 'inputSize', inputSize);

  const declared: Param[] = [];
  let params: ParamArena | null = null;
  try {
    let width = inputSize;
    let previous = 'the input';
    layers.forEach((layer, i) => {
      layer.name = `${layer.type.toLowerCase()}_${i}`;
      const ctx: BuildContext = {
        backend,
        previous,
        addParam(name: string, shape: number[], fanIn: number, fanOut: number): Param {
          const p = new Param(name, shape, fanIn, fanOut);
          declared.push(p);
          return p;
        },
      };
      width = layer.build(ctx, width);
      previous = layer.describe();
    });
    params = new ParamArena(backend, declared);
    const rng = new Random(seed);
    for (const layer of layers) layer.initialize(rng);
    return { backend, seed, inputSize, outputSize: width, params };
  } catch (error) {
    params?.dispose();
    for (const layer of layers) layer.unbuild();
    throw error;
  }
}
