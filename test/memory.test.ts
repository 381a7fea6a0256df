// The WASM heap: alignment, reuse of freed space, views that survive memory growth, and no leaks.
import { describe, expect, it, vi } from 'vitest';
import { ACTIVATIONS, type Backend, type Buf } from '../src/backend/types.js';
import { WasmBackend } from '../src/backend/wasm/backend.js';
import { ALIGN, Heap } from '../src/backend/wasm/heap.js';
import { Random } from '../src/random.js';
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

  it('turns a refused memory.grow below the limit into an Error, tries for less first, and stays usable', async () => {
    const grow = vi.spyOn(be.memory, 'grow');
    const stats = be.memoryStats();
    // A request ending at 1.2× the memory: a growth by half again would cover it, and so would a smaller one.
    const have = be.memory.buffer.byteLength;
    const top = Math.ceil(be.kernels.heap_base() / 16) * 16 + stats.heapBytes;
    const request = Math.floor((1.2 * have - top) / 4);
    // The engine refuses every growth (the process is out of memory although the limit is not reached).
    grow.mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    expect(() => be.alloc(request)).toThrow(/^alloc: out of WASM memory: growing the memory to \d+ bytes failed/);
    expect(grow).toHaveBeenCalledTimes(2); // half as much again, then just what the request needs
    expect(be.memoryStats()).toEqual(stats);
    // It refuses only the generous growth: the allocation gets the memory it needs.
    grow.mockReset();
    const real = WebAssembly.Memory.prototype.grow;
    grow.mockImplementationOnce(() => {
      throw new RangeError('refused');
    });
    grow.mockImplementation(function (this: WebAssembly.Memory, pages: number) {
      return real.call(this, pages);
    });
    const big = be.alloc(request);
    be.fill(request, 2, big);
    expect(be.read(big)[request - 1]).toBe(2);
    be.free(big);
    grow.mockRestore();
    expect(be.memoryStats().liveBytes).toBe(stats.liveBytes);
  });

  it('no kernel reads past its inputs: every input may end at the last byte of linear memory', async () => {
    // A fresh backend whose last buffer ends exactly where the memory ends: a kernel that loads a whole f32x4 over a
    // tail, or reads one element too far, traps with "memory access out of bounds" instead of passing unnoticed.
    const own = (await wasmFactory.create()) as WasmBackend;
    // Every other buffer is a view of `scratch`, allocated first, so that nothing is allocated after `tail`.
    const scratch = bufferOf(own, randomArray(1 << 14, 5, 0.1, 0.9));
    const top = Math.ceil(own.kernels.heap_base() / 16) * 16 + own.memoryStats().heapBytes;
    const tail = own.alloc((own.memory.buffer.byteLength - top) / 4);
    const endsAtTheEnd = () => own.pointer(tail) + tail.length * 4 === own.memory.buffer.byteLength;
    expect(endsAtTheEnd()).toBe(true);
    const atEnd = (len: number) => own.view(tail, tail.length - len, len);
    // The setup is tight: reading a single element more than a buffer at the end holds traps.
    expect(() => own.kernels.f32_sum_squares(4, own.pointer(atEnd(3)))).toThrow(WebAssembly.RuntimeError);
    let cursor = 0;
    const fresh = (len: number) => {
      cursor += len;
      return own.view(scratch, cursor - len, len);
    };
    const sgd = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.1, firstStep: false };
    const rms = { lr: 0.1, alpha: 0.9, eps: 1e-8, momentum: 0.5, centered: true, weightDecay: 0.1 };
    const adam = { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, decoupledWeightDecay: false,
      amsgrad: true, biasCorrection1: 0.5, biasCorrection2: 0.5 };
    // Each kernel with its inputs as [length, position]; `input(i, len)` gives the buffer for input i.
    type Input = (i: number, len: number) => Buf;
    const kernels: Record<string, (m: number, n: number, input: Input) => unknown> = {
      axpy: (m, n, b) => own.axpy(n, 2, b(0, n), fresh(n)),
      scale: (m, n, b) => own.scale(n, 2, b(0, n), fresh(n)),
      add: (m, n, b) => own.add(n, b(0, n), b(1, n), fresh(n)),
      mul: (m, n, b) => own.mul(n, b(0, n), b(1, n), fresh(n)),
      copy: (m, n, b) => own.copy(n, b(0, n), fresh(n)),
      sumSquares: (m, n, b) => own.sumSquares(n, b(0, n)),
      addRowVector: (m, n, b) => own.addRowVector(m, n, b(0, m * n), b(1, n), fresh(m * n)),
      sumRows: (m, n, b) => own.sumRows(m, n, b(0, m * n), 0.5, b(1, n)),
      actForward: (m, n, b) => ACTIVATIONS.forEach((act) => own.actForward(act, n, b(0, n), fresh(n))),
      actBackward: (m, n, b) =>
        ACTIVATIONS.forEach((act) => own.actBackward(act, n, b(0, n), b(1, n), b(2, n), fresh(n))),
      softmax: (m, n, b) => own.softmax(m, n, b(0, m * n), fresh(m * n)),
      logSoftmax: (m, n, b) => own.logSoftmax(m, n, b(0, m * n), fresh(m * n)),
      mse: (m, n, b) => own.mse(m, n, b(0, m * n), b(1, m * n), fresh(m * n)),
      huber: (m, n, b) => own.huber(m, n, b(0, m * n), b(1, m * n), 0.5, fresh(m * n)),
      bceWithLogits: (m, n, b) => own.bceWithLogits(m, n, b(0, m * n), b(1, m * n), fresh(m * n)),
      softmaxCrossEntropy: (m, n, b) => {
        const labels = b(1, m);
        own.fill(m, n - 1, labels);
        return own.softmaxCrossEntropy(m, n, b(0, m * n), labels, fresh(m * n));
      },
      softmaxCrossEntropyDense: (m, n, b) => own.softmaxCrossEntropyDense(m, n, b(0, m * n), b(1, m * n), fresh(m * n)),
      sgdStep: (m, n, b) => own.sgdStep(n, b(0, n), b(1, n), b(2, n), sgd),
      rmspropStep: (m, n, b) => own.rmspropStep(n, b(0, n), b(1, n), b(2, n), b(3, n), b(4, n), rms),
      adamStep: (m, n, b) => own.adamStep(n, b(0, n), b(1, n), b(2, n), b(3, n), b(4, n), adam),
      adagradStep: (m, n, b) => own.adagradStep(n, b(0, n), b(1, n), b(2, n), { lr: 0.1, eps: 1e-8, weightDecay: 0 }),
      clipByValue: (m, n, b) => own.clipByValue(n, 0.2, 0.8, b(0, n)),
      gemm: (m, n, b) => {
        const k = (m + n) % 7 + 1;
        for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const [aRows, aCols] = tA ? [k, m] : [m, k];
          const [bRows, bCols] = tB ? [n, k] : [k, n];
          const [lda, ldb] = [aCols + 3, bCols + 1]; // padded rows: the last row ends at the end
          own.gemm(tA, tB, m, n, k, 1, b(0, (aRows - 1) * lda + aCols), lda, b(1, (bRows - 1) * ldb + bCols), ldb, 0,
            fresh(m * n), n);
        }
      },
    };
    for (const [name, run] of Object.entries(kernels)) {
      for (const [m, n] of [[1, 1], [1, 3], [2, 5], [3, 4], [1, 7], [2, 9], [5, 17], [1, 33]]) {
        for (let last = 0; last < 5; last++) {
          cursor = 0;
          const input: Input = (i, len) => (i === last ? atEnd(len) : fresh(len));
          own.fill(tail.length, 0.5, tail);
          expect(() => run(m!, n!, input), `${name} ${m}×${n} with input ${last} at the end`).not.toThrow();
        }
      }
    }
    expect(endsAtTheEnd()).toBe(true);
    own.dispose();
  });

  it('a limit that is not a whole number of 64 KiB pages: a request past the last whole page is an Error', async () => {
    // The memory's maximum is the whole pages below the limit; the heap must not promise the part page above them.
    const limit = 4 * 1024 * 1024 + 1000;
    const odd = (await (await import('../src/backend/wasm/load.js')).createWasmBackend({
      build: 'simd',
      maxMemoryBytes: limit,
    })) as WasmBackend;
    const top = Math.ceil(odd.kernels.heap_base() / 16) * 16 + odd.memoryStats().heapBytes;
    const floats = Math.floor((limit - top) / 4) - 4; // ends within the last part page
    let thrown: unknown = null;
    try {
      odd.alloc(floats);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toMatch(/^alloc: out of WASM memory/);
    const ok = bufferOf(odd, [1, 2, 3]);
    expect(Array.from(odd.read(ok))).toEqual([1, 2, 3]);
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

describe('heap allocator invariants', () => {
  it('10,000 random allocs and frees: blocks disjoint and aligned, free list sorted, merged and below the top', () => {
    const base = 1000; // not aligned: the heap rounds it up
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
    const heap = new Heap(memory, base, 1024 * 65536);
    const rng = new Random(3);
    const live = new Map<number, number>(); // address → bytes requested
    const check = (step: number) => {
      const blocks = [...live].map(([start, bytes]) => ({ start, size: Heap.blockSize(bytes), free: false }));
      const free = heap.freeBlocks().map((b) => ({ ...b, free: true }));
      const all = [...blocks, ...free].sort((a, b) => a.start - b.start);
      const top = 1008 + heap.spanBytes;
      let end = 1008;
      for (let i = 0; i < all.length; i++) {
        const b = all[i]!;
        if (b.start % ALIGN !== 0 || b.start < end) {
          throw new Error(`step ${step}: block at ${b.start} overlaps or is misaligned`);
        }
        if (b.free && i > 0 && all[i - 1]!.free && all[i - 1]!.start + all[i - 1]!.size === b.start) {
          throw new Error(`step ${step}: adjacent free blocks at ${b.start} were not merged`);
        }
        end = b.start + b.size;
      }
      // Live and free blocks tile [base, top) exactly, and the last block is live (a free one would lower the top).
      expect(all.reduce((s, b) => s + b.size, 0), `step ${step}`).toBe(heap.spanBytes);
      expect(end).toBe(top);
      if (all.length > 0) expect(all[all.length - 1]!.free, `step ${step}: free block at the top`).toBe(false);
      expect(heap.liveBytes).toBe(blocks.reduce((s, b) => s + b.size, 0));
    };
    for (let step = 0; step < 10_000; step++) {
      if (live.size > 0 && rng.next() < 0.5) {
        const keys = [...live.keys()];
        const address = keys[rng.int(keys.length)]!;
        heap.free(address, live.get(address)!);
        live.delete(address);
      } else {
        const bytes = rng.int(3) === 0 ? rng.int(20) : rng.int(5000);
        live.set(heap.alloc(bytes), bytes);
      }
      if (step % 97 === 0) check(step);
    }
    check(10_000);
    for (const [address, bytes] of live) heap.free(address, bytes);
    expect([heap.spanBytes, heap.liveBytes, heap.liveBuffers, heap.freeBlocks().length]).toEqual([0, 0, 0, 0]);
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
      const v = other.view(b, 1, 2);
      other.dispose();
      expect(() => other.read(b)).toThrow(/disposed/);
      expect(() => other.alloc(1)).toThrow(/^alloc: this \w+ backend has been disposed/);
      expect(() => other.free(b)).toThrow(/^free: this \w+ backend has been disposed/);
      expect(() => other.scale(2, 2, v, v)).toThrow(/^scale: this \w+ backend has been disposed/);
      expect(() => other.view(b, 0, 1)).toThrow(/^view: this \w+ backend has been disposed/);
      expect(() => other.write(b, [1])).toThrow(/^write: this \w+ backend has been disposed/);
      other.dispose(); // a second dispose is harmless
    });

    it('read rejects a destination that is too small or not a float array, writing nothing into it', () => {
      const b = bufferOf(be, [1, 2, 3, 4, 5]);
      const small = new Float32Array(4).fill(7);
      expect(() => be.read(b, small)).toThrow(/^read: dst has 4 elements, expected at least 5/);
      expect(Array.from(small)).toEqual([7, 7, 7, 7]);
      for (const dst of [new Int32Array(5), [0, 0, 0, 0, 0], new Uint8Array(20)]) {
        expect(() => be.read(b, dst as unknown as Float32Array)).toThrow(
          /^read: dst must be a Float32Array or Float64Array, got (Int32Array|Array|Uint8Array)/,
        );
      }
      const wide = new Float64Array(6).fill(-1); // larger is fine: the rest is left alone
      expect(Array.from(be.read(b, wide))).toEqual([1, 2, 3, 4, 5, -1]);
      be.free(b);
    });

    it('refuses to free a buffer twice, and the heap is unchanged by the attempt', () => {
      const a = be.alloc(10);
      const stats = be.memoryStats();
      be.free(a);
      const freed = be.memoryStats();
      expect(() => be.free(a)).toThrow(/^free: buf has been freed/);
      expect(be.memoryStats()).toEqual(freed);
      // Its space is handed out once: two new buffers never share it.
      const b = be.alloc(10);
      const c = be.alloc(10);
      be.fill(10, 1, b);
      be.fill(10, 2, c);
      expect(Array.from(be.read(b))).toEqual(new Array(10).fill(1));
      be.free(b);
      be.free(c);
      expect(be.memoryStats().liveBuffers).toBe(stats.liveBuffers - 1);
    });

    it('zero-length buffers and views are valid: empty kernels on them write nothing', () => {
      const parent = bufferOf(be, [1, 2, 3, 4, 5]);
      const empty = be.alloc(0);
      for (const v of [be.view(parent, 5, 0), be.view(parent, 0, 0), be.view(parent, 2, 0), empty]) {
        expect(v.length).toBe(0);
        expect(be.read(v).length).toBe(0);
        be.write(v, []);
        be.fill(0, 9, v);
        be.scale(0, 2, v, v);
        be.actForward('tanh', 0, v, v);
        expect(be.mse(0, 0, v, v, v)).toBe(0);
        expect(be.sumSquares(0, v)).toBe(0);
      }
      expect(() => be.view(parent, 5, 1)).toThrow(/^view: buf has 5 elements, expected at least 6/);
      expect(() => be.view(parent, 6, 0)).toThrow(/^view: buf has 5 elements, expected at least 6/);
      expect(Array.from(be.read(parent))).toEqual([1, 2, 3, 4, 5]);
      be.free(empty);
      be.free(parent);
      expect(() => be.free(empty)).toThrow(/has been freed/);
    });
  });
}
