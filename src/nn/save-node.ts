// Saving to and loading from a directory in Node: model.json (the manifest) and weights.bin. A save writes into a
// temporary sibling directory and renames it into place, so a crash never leaves a half-written model behind.
import type { Backend } from '../backend/types.js';
import { fromArtifacts, loadWeights, toArtifacts, type ModelArtifacts } from './serialize.js';
import type { Sequential } from './sequential.js';

const NODE_FS = 'node:fs/promises';
const NODE_PATH = 'node:path';

export const MANIFEST_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

async function nodeModules() {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error('save/load to a directory needs Node; in a browser use toArtifacts() / fromArtifacts() with ArrayBuffers');
  }
  // Specifiers in variables, so that bundlers leave these Node-only imports alone (as src/backend/wasm/load.ts does).
  const [fs, path] = (await Promise.all([
    import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_FS),
    import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_PATH),
  ])) as [typeof import('node:fs/promises'), typeof import('node:path')];
  return { fs, path };
}

/** Writes the model to `dir` (replacing what was there), atomically with respect to crashes. */
export async function saveModel(model: Sequential, dir: string): Promise<void> {
  const { fs, path } = await nodeModules();
  const { manifest, weights } = toArtifacts(model);
  const target = path.resolve(dir);
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const temp = `${target}.tmp-${suffix}`;
  await fs.mkdir(temp, { recursive: true });
  try {
    await fs.writeFile(path.join(temp, WEIGHTS_FILE), new Uint8Array(weights));
    await fs.writeFile(path.join(temp, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    const old = `${target}.old-${suffix}`;
    const existed = await fs.rename(target, old).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    await fs.rename(temp, target);
    if (existed) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Reads the manifest and binary from `dir`. */
export async function readArtifacts(dir: string): Promise<ModelArtifacts> {
  const { fs, path } = await nodeModules();
  let text: string;
  let bytes: Uint8Array;
  try {
    [text, bytes] = await Promise.all([
      fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'),
      fs.readFile(path.join(dir, WEIGHTS_FILE)),
    ]);
  } catch (error) {
    throw new Error(`load: cannot read a model from ${dir}: ${(error as Error).message}`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new Error(`load: ${path.join(dir, MANIFEST_FILE)} is not valid JSON: ${(error as Error).message}`);
  }
  const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { manifest: manifest as ModelArtifacts['manifest'], weights };
}

/** A new model from a directory written by saveModel. */
export async function loadModel(dir: string, backend?: Backend): Promise<Sequential> {
  return fromArtifacts(await readArtifacts(dir), backend);
}

/** Loads weights from a directory into an existing model of the same architecture. */
export async function loadWeightsFrom(model: Sequential, dir: string): Promise<void> {
  loadWeights(model, await readArtifacts(dir));
}
