// Saved models: a JSON manifest (format, version, architecture, every weight's name, shape and place) and one binary
// of little-endian float32 weights, in manifest order. Loading checks everything (version, layer types, shapes, byte
// length, finiteness) before writing a single weight, so a bad file leaves the model as it was.
import type { Backend } from '../backend/types.js';
import type { LayerConfig } from './layers/layer.js';
import { layerFromConfig } from './layers/registry.js';
import { Sequential } from './sequential.js';
import { show } from './validate.js';

export const FORMAT = 'wasmgrad-model';
export const FORMAT_VERSION = 1;

export interface WeightEntry {
  name: string;
  shape: number[];
  /** Byte offset in the binary. */
  offset: number;
}

export interface ModelManifest {
  format: typeof FORMAT;
  version: number;
  architecture: { type: 'Sequential'; inputSize: number; seed: number; layers: LayerConfig[] };
  weights: WeightEntry[];
  /** Bytes in the binary: 4 per float. */
  byteLength: number;
  dtype: 'float32';
  endianness: 'little';
}

/** A model as a manifest and its weights. */
export interface ModelArtifacts {
  manifest: ModelManifest;
  weights: ArrayBuffer;
}

export function toArtifacts(model: Sequential): ModelArtifacts {
  const entries: WeightEntry[] = [];
  const arrays = model.getWeights();
  let offset = 0;
  model.params.params.forEach((p) => {
    entries.push({ name: p.name, shape: [...p.shape], offset });
    offset += p.size * 4;
  });
  const weights = new ArrayBuffer(offset);
  const view = new DataView(weights);
  arrays.forEach((array, i) => {
    const at = entries[i]!.offset;
    for (let j = 0; j < array.length; j++) view.setFloat32(at + 4 * j, array[j]!, true);
  });
  return {
    manifest: {
      format: FORMAT,
      version: FORMAT_VERSION,
      architecture: {
        type: 'Sequential',
        inputSize: model.inputSize,
        seed: model.seed,
        layers: model.layers.map((layer) => layer.config()),
      },
      weights: entries,
      byteLength: offset,
      dtype: 'float32',
      endianness: 'little',
    },
    weights,
  };
}

/** Checks a manifest's format and version; returns it typed. */
export function checkManifest(where: string, manifest: unknown): ModelManifest {
  const m = manifest as ModelManifest;
  if (m === null || typeof m !== 'object' || m.format !== FORMAT) {
    throw new Error(`${where}: not a wasmgrad model manifest (format is ${show(m?.format)}, expected "${FORMAT}")`);
  }
  if (m.version !== FORMAT_VERSION) {
    throw new Error(`${where}: model format version ${show(m.version)} is not supported; this wasmgrad reads version ${FORMAT_VERSION}`);
  }
  if (m.dtype !== 'float32' || m.endianness !== 'little') {
    throw new Error(`${where}: weights must be little-endian float32, the manifest says ${show(m.dtype)} ${show(m.endianness)}`);
  }
  if (!Array.isArray(m.weights) || !m.architecture || !Array.isArray(m.architecture.layers)) {
    throw new Error(`${where}: the manifest has no architecture or weight list`);
  }
  return m;
}

/** Builds a new model from artifacts (on `backend`, default the current one). */
export function fromArtifacts(artifacts: ModelArtifacts, backend?: Backend): Sequential {
  const where = 'Sequential.fromArtifacts';
  const manifest = checkManifest(where, artifacts?.manifest);
  const { architecture } = manifest;
  const layers = architecture.layers.map((c) => layerFromConfig(where, c));
  const model = new Sequential(layers, {
    seed: architecture.seed,
    inputSize: architecture.inputSize,
    ...(backend === undefined ? {} : { backend }),
  });
  try {
    loadWeights(model, artifacts);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/**
 * Loads weights saved from a model of the same architecture. Checks the version, the weight names and shapes against
 * this model and the binary's length before changing anything.
 */
export function loadWeights(model: Sequential, artifacts: ModelArtifacts): void {
  const where = 'loadWeights';
  const manifest = checkManifest(where, artifacts?.manifest);
  const bytes = artifacts.weights;
  if (!(bytes instanceof ArrayBuffer)) throw new Error(`${where}: weights must be an ArrayBuffer, got ${show(bytes)}`);
  const params = model.params.params;
  if (manifest.weights.length !== params.length) {
    throw new Error(`${where}: the file has ${manifest.weights.length} weight arrays, this model has ${params.length} (${params.map((p) => p.name).join(', ')})`);
  }
  const view = new DataView(bytes);
  const arrays = params.map((p, i) => {
    const entry = manifest.weights[i]!;
    const shape = Array.isArray(entry?.shape) ? entry.shape : [];
    if (shape.length !== p.shape.length || shape.some((d, k) => d !== p.shape[k])) {
      throw new Error(`${where}: shape mismatch for ${p.name}: the model has [${p.shape.join(', ')}], the file has [${shape.join(', ')}]`);
    }
    const end = entry.offset + p.size * 4;
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || end > bytes.byteLength) {
      throw new Error(
        `${where}: the binary is truncated: ${p.name} needs bytes ${entry.offset}..${end}, the binary has ${bytes.byteLength} bytes` +
          (manifest.byteLength !== bytes.byteLength ? ` (the manifest expects ${manifest.byteLength})` : ''),
      );
    }
    const out = new Float32Array(p.size);
    for (let j = 0; j < p.size; j++) out[j] = view.getFloat32(entry.offset + 4 * j, true);
    return out;
  });
  if (bytes.byteLength !== manifest.byteLength) {
    throw new Error(`${where}: the binary has ${bytes.byteLength} bytes, the manifest expects ${manifest.byteLength}`);
  }
  model.setWeights(arrays);
}
