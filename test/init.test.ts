// Choosing and loading a backend: init(), the WASM sources it accepts, feature detection and its errors.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBackend, hasWasmSimd, init } from '../src/index.js';
import { SIMD_WASM_URL } from '../src/wasm-files.js';

describe('init', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the WASM backend by default and makes it the default backend', async () => {
    const be = await init();
    expect(be.name).toBe('wasm');
    expect(['simd', 'relaxed-simd']).toContain(be.build);
    expect(getBackend()).toBe(be);
  });

  it("gives the reference backend with { backend: 'ref' }, in f32 or f64", async () => {
    const be = await init({ backend: 'ref' });
    expect([be.name, be.dtype, be.build]).toEqual(['ref', 'f32', 'typescript']);
    expect((await init({ backend: 'ref', dtype: 'f64' })).dtype).toBe('f64');
  });

  it('loads the module from bytes, a compiled Module, a path and a file URL', async () => {
    const bytes = await readFile(SIMD_WASM_URL);
    const module = await WebAssembly.compile(bytes);
    for (const wasm of [bytes, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), module,
      SIMD_WASM_URL, SIMD_WASM_URL.pathname]) {
      const be = await init({ wasm, build: 'simd' });
      const x = be.alloc(3);
      be.write(x, [1, 2, 3]);
      be.scale(3, 2, x, x);
      expect(Array.from(be.read(x))).toEqual([2, 4, 6]);
      be.dispose();
    }
  });

  it('names the path when the module cannot be read', async () => {
    await expect(init({ wasm: '/nonexistent/wasmgrad.wasm' })).rejects.toThrow(
      /init: could not read the WASM module at \/nonexistent\/wasmgrad\.wasm: ENOENT/,
    );
  });

  it('says plainly when the runtime has no WASM SIMD', async () => {
    expect(hasWasmSimd()).toBe(true);
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    await expect(init()).rejects.toThrow(/does not support WebAssembly SIMD/);
  });

  it('rejects bad options by name', async () => {
    await expect(init({ backend: 'gpu' as never })).rejects.toThrow(/init: backend must be 'wasm' or 'ref', got "gpu"/);
    await expect(init({ build: 'fast' as never })).rejects.toThrow(/init: build must be 'auto', 'simd' or 'relaxed'/);
    await expect(init({ dtype: 'f64' })).rejects.toThrow(/the wasm backend computes in f32/);
    await expect(init({ maxMemoryBytes: 1000 })).rejects.toThrow(/init: maxMemoryBytes must be an integer/);
  });

  it('refuses the relaxed build where the runtime does not validate it', async () => {
    vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes) => (bytes as Uint8Array).length < 60);
    await expect(init({ build: 'relaxed' })).rejects.toThrow(/build 'relaxed' needs relaxed SIMD/);
  });
});
