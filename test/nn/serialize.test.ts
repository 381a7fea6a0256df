// Saving and loading: artifacts (manifest + little-endian float32 binary) round-trip on every backend and across
// backends; a Node directory is written through a temporary name; a wrong version, a truncated binary or a shape
// mismatch is refused with a clear error and leaves the model as it was.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/types.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Sequential } from '../../src/nn/sequential.js';
import { FORMAT_VERSION, type ModelArtifacts } from '../../src/nn/serialize.js';
import { BACKENDS, refFactory } from '../helpers/backends.js';
import { randomRows } from './helpers.js';

const makeModel = (be: Backend, seed: number) =>
  new Sequential([new Dense(5, 6, { activation: 'tanh' }), new Dropout({ rate: 0.3 }), new ReLU(), new Dense(6, 3, { useBias: false })], {
    backend: be,
    seed,
  });

const x = randomRows(7, 5, 99);
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

for (const factory of BACKENDS) {
  describe(`save and load: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
      expect(be.name).toBeTruthy();
    });

    it('artifacts round-trip: same architecture, bit-identical weights and predictions', () => {
      const model = makeModel(be, 1);
      const artifacts = model.toArtifacts();
      expect(artifacts.manifest.version).toBe(FORMAT_VERSION);
      expect(artifacts.weights.byteLength).toBe(4 * (5 * 6 + 6 + 6 * 3));
      const json = JSON.parse(JSON.stringify(artifacts.manifest));
      const copy = Sequential.fromArtifacts({ manifest: json, weights: artifacts.weights }, { backend: be });
      expect(copy.layers.map((l) => l.config())).toEqual(model.layers.map((l) => l.config()));
      expect(copy.getWeights()).toEqual(model.getWeights());
      expect(copy.predict(x)).toEqual(model.predict(x));
      // little-endian float32, in manifest order
      const first = new DataView(artifacts.weights).getFloat32(0, true);
      expect(first).toBe(model.getWeights()[0]![0]);
      copy.dispose();
      model.dispose();
    });

    it('saves to a directory (renamed into place, replacing an old save) and loads it back', async () => {
      const root = await mkdtemp(join(tmpdir(), 'wasmgrad-save-'));
      dirs.push(root);
      const dir = join(root, 'model');
      const a = makeModel(be, 2);
      const b = makeModel(be, 3);
      await b.save(dir);
      await a.save(dir);
      expect((await readdir(root)).sort()).toEqual(['model']);
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
      expect(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).format).toBe('wasmgrad-model');
      const loaded = await Sequential.load(dir, { backend: be });
      expect(loaded.getWeights()).toEqual(a.getWeights());
      await b.loadWeights(dir);
      expect(b.getWeights()).toEqual(a.getWeights());
      for (const m of [a, b, loaded]) m.dispose();
    });

    it('refuses a wrong version, a truncated binary and a shape mismatch, leaving the model unchanged', async () => {
      const source = makeModel(be, 4);
      const artifacts = source.toArtifacts();
      const target = makeModel(be, 5);
      const before = target.getWeights();
      const bad: [ModelArtifacts, RegExp][] = [
        [{ ...artifacts, manifest: { ...artifacts.manifest, version: 99 } }, /model format version 99 is not supported; this wasmgrad reads version 1/],
        [{ ...artifacts, weights: artifacts.weights.slice(0, artifacts.weights.byteLength - 4) }, /binary is truncated: dense_3\/kernel needs bytes/],
        [{ ...artifacts, weights: artifacts.weights.slice(0, 8) }, /binary is truncated: dense_0\/kernel needs bytes 0\.\.120, the binary has 8 bytes/],
        [{ ...artifacts, manifest: { ...artifacts.manifest, format: 'other' as never } }, /not a wasmgrad model manifest/],
      ];
      for (const [a, message] of bad) {
        await expect(target.loadWeights(a)).rejects.toThrow(message);
        expect(() => Sequential.fromArtifacts(a, { backend: be })).toThrow(message);
        expect(target.getWeights()).toEqual(before);
      }
      const other = new Sequential([new Dense(5, 4), new Dense(4, 3, { useBias: false })], { backend: be });
      const mismatch = other.toArtifacts();
      await expect(target.loadWeights(mismatch)).rejects.toThrow(
        /shape mismatch for dense_0\/kernel: the model has \[5, 6\], the file has \[5, 4\]/,
      );
      expect(target.getWeights()).toEqual(before);
      for (const m of [source, target, other]) m.dispose();
    });

    it('loads a model saved on another backend to the same predictions', async () => {
      const ref = await refFactory.create();
      const model = makeModel(ref, 6);
      const moved = Sequential.fromArtifacts(model.toArtifacts(), { backend: be });
      expect(moved.getWeights()).toEqual(model.getWeights());
      const p = moved.predict(x);
      const q = model.predict(x);
      // Same f32 weights and inputs; tanh and the GEMM sums may round differently on WASM: |Δ| ≤ a few ulps of O(1).
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - q[i]!)).toBeLessThan(1e-5);
      moved.dispose();
      model.dispose();
    });
  });
}
