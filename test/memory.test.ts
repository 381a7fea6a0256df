// The WASM heap: alignment, reuse of freed space, views that survive memory growth, and no leaks.
import { describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../src/backend/types.js';
import { WasmBackend } from '../src/backend/wasm/backend.js';
import { BACKENDS, bufferOf, randomArray, wasmFactory } from './helpers/backends.js';

const addressOf = (buf: Buf): number => (buf as unknown as { ptr: number }).ptr;

describe('WASM heap', () => {
  let be: WasmBackend;
  it('creates the backend', async () => {
    be = (await wasmFactory.create()) as WasmBackend;
    expect(be.memoryStats().liveBuffers).toBe(0);
  });

  it('aligns every buffer to 16 bytes, whatever the lengths', () => {
    const bufs = [1, 3, 5, 7, 0, 13, 1000, 2].map((n) => be.alloc(n));
    for (const b of bufs) expect(addressOf(b) % 16).toBe(0);
    for (const b of bufs) be.free(b);
  });

  it('reuses freed space', () => {
    const a = be.alloc(100);
    const b = be.alloc(100);
    const where = addressOf(a);
    be.free(a);
    const c = be.alloc(60);
    expect(addressOf(c)).toBe(where);
    be.free(b);
    be.free(c);
  });

  it('keeps buffers readable after the memory grows, and writes after growth land', () => {
    const before = be.memory.buffer.byteLength;
    const small = bufferOf(be, randomArray(1000, 5));
    const expected = randomArray(1000, 5);
    const big = be.alloc(before); // 4·before bytes: forces at least one memory.grow
    expect(be.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(be.read(small))).toEqual(Array.from(expected));
    be.fill(4, 3, big);
    expect(Array.from(be.read(be.view(big, 0, 4)))).toEqual([3, 3, 3, 3]);
    be.write(small, [9, 8, 7]);
    expect(Array.from(be.read(small).subarray(0, 4))).toEqual([9, 8, 7, expected[3]]);
    be.scale(1000, 2, small, small);
    expect(be.read(small)[0]).toBe(18);
    be.free(small);
    be.free(big);
  });

  it('returns to where it started after 10,000 alloc/free cycles of mixed sizes', () => {
    const start = be.memoryStats();
    const held: Buf[] = [];
    for (let i = 0; i < 10_000; i++) {
      held.push(be.alloc(1 + ((i * 7919) % 3000)));
      if (held.length > 8) be.free(held.splice((i * 31) % held.length, 1)[0]!);
    }
    for (const b of held) be.free(b);
    const end = be.memoryStats();
    expect(end.liveBytes).toBe(start.liveBytes);
    expect(end.liveBuffers).toBe(start.liveBuffers);
    expect(end.heapBytes).toBe(start.heapBytes);
  });

  it('reports an out-of-memory request as an Error and stays usable', async () => {
    const small = (await (await import('../src/backend/wasm/load.js')).createWasmBackend({
      build: 'simd',
      maxMemoryBytes: 4 * 1024 * 1024,
    })) as WasmBackend;
    const live = small.memoryStats();
    expect(() => small.alloc(2_000_000)).toThrow(/alloc: out of WASM memory.*limit is 4194304 bytes/);
    expect(small.memoryStats()).toEqual(live);
    const ok = bufferOf(small, [1, 2, 3]);
    expect(Array.from(small.read(ok))).toEqual([1, 2, 3]);
  });
});

for (const factory of BACKENDS) {
  describe(`buffers and views: ${factory.name}`, () => {
    let be: Backend;
    it('creates the backend', async () => {
      be = await factory.create();
      expect(be.memoryStats().liveBuffers).toBe(0);
    });

    it('views alias their parent and free with it', () => {
      const parent = bufferOf(be, [0, 1, 2, 3, 4, 5, 6, 7]);
      const v = be.view(parent, 2, 4);
      const vv = be.view(v, 1, 2);
      expect(v.length).toBe(4);
      expect(Array.from(be.read(vv))).toEqual([3, 4]);
      be.fill(2, -1, vv);
      expect(Array.from(be.read(parent))).toEqual([0, 1, 2, -1, -1, 5, 6, 7]);
      expect(() => be.free(v)).toThrow(/free: buf is a view/);
      expect(be.memoryStats().liveBuffers).toBe(1);
      be.free(parent);
      expect(() => be.read(vv)).toThrow(/read: buf has been freed/);
      expect(be.memoryStats().liveBuffers).toBe(0);
    });

    it('read fills a given destination and write honours its offset', () => {
      const b = be.alloc(5);
      be.fill(5, 0, b);
      be.write(b, [7, 8], 3);
      const dst = new Float32Array(6).fill(-1);
      expect(be.read(b, dst)).toBe(dst);
      expect(Array.from(dst)).toEqual([0, 0, 0, 7, 8, -1]);
      be.free(b);
    });

    it('dispose frees everything and later calls say so', async () => {
      const other = await factory.create();
      const b = other.alloc(4);
      other.dispose();
      expect(() => other.read(b)).toThrow(/disposed/);
      expect(() => other.alloc(1)).toThrow(/disposed/);
    });
  });
}
