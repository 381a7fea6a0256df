// Instantiating the kernels: from a URL, a path, bytes, a Response or a compiled WebAssembly.Module, in Node and in
// browsers. TypeScript creates the memory and the module imports it (ARCHITECTURE.md §4, §7).
import { instantiate } from '@assemblyscript/loader';
import { RELAXED_WASM_URL, SIMD_WASM_URL } from '../../wasm-files.js';
import { WasmBackend } from './backend.js';
import type { KernelExports } from './exports.js';
import { hasRelaxedSimd, hasWasmSimd } from './features.js';
import { warmUpGemm } from './warmup.js';

/** Where a compiled module comes from. A string is a URL, or in Node also a file path. */
export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | Response | WebAssembly.Module;

export interface WasmOptions {
  /** 'auto' (default) takes the relaxed-SIMD build where the runtime validates it, else the plain SIMD build. */
  build?: 'auto' | 'simd' | 'relaxed';
  /** The module(s) to load instead of the ones next to the package (for CDNs, bundlers, strict CSP). */
  wasm?: WasmSource | { simd: WasmSource; relaxed?: WasmSource };
  /** Upper bound of the linear memory in bytes (default 2 GiB). */
  maxMemoryBytes?: number;
}

const PAGE = 65536;
const INITIAL_PAGES = 16;
const DEFAULT_MAX_BYTES = 2 ** 31;

export async function createWasmBackend(options: WasmOptions = {}): Promise<WasmBackend> {
  if (!hasWasmSimd()) {
    throw new Error(
      'init: this JavaScript runtime does not support WebAssembly SIMD (128-bit), which the wasm backend needs; ' +
        "use a current browser or Node 20+, or init({ backend: 'ref' }) for the plain TypeScript backend",
    );
  }
  const build = options.build ?? 'auto';
  if (!['auto', 'simd', 'relaxed'].includes(build)) {
    throw new Error(`init: build must be 'auto', 'simd' or 'relaxed', got ${String(build)}`);
  }
  const relaxedAvailable = hasRelaxedSimd();
  if (build === 'relaxed' && !relaxedAvailable) {
    throw new Error(
      "init: build 'relaxed' needs relaxed SIMD, which this runtime does not validate " +
        '(Node 20 needs --experimental-wasm-relaxed-simd; Chrome 114+ and Node 22+ have it)',
    );
  }
  const useRelaxed = build === 'relaxed' || (build === 'auto' && relaxedAvailable);
  const maxBytes = options.maxMemoryBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < INITIAL_PAGES * PAGE || maxBytes > 2 ** 32) {
    throw new Error(`init: maxMemoryBytes must be an integer in [${INITIAL_PAGES * PAGE}, 2^32], got ${maxBytes}`);
  }

  const sources = normaliseSources(options.wasm);
  const source = useRelaxed ? (sources.relaxed ?? sources.simd) : sources.simd;
  const chosen = useRelaxed && (sources.relaxed !== undefined || options.wasm === undefined) ? 'relaxed-simd' : 'simd';

  const maxPages = Math.floor(maxBytes / PAGE); // the memory grows in whole pages: the limit is the last whole one
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
  const imports = { env: { memory } };
  const { exports } = await instantiate<KernelExports & Record<string, unknown>>(await resolveSource(source), imports);
  const backend = new WasmBackend(exports, memory, maxPages * PAGE, chosen);
  await warmUpGemm(backend);
  return backend;
}

function normaliseSources(wasm: WasmOptions['wasm']): { simd: WasmSource; relaxed?: WasmSource } {
  if (wasm === undefined) return { simd: SIMD_WASM_URL, relaxed: RELAXED_WASM_URL };
  if (typeof wasm === 'object' && wasm !== null && 'simd' in wasm) return wasm;
  return { simd: wasm as WasmSource };
}

type Instantiable = ArrayBuffer | ArrayBufferView | Response | WebAssembly.Module;

async function resolveSource(source: WasmSource): Promise<Instantiable> {
  if (typeof source !== 'string' && !(source instanceof URL)) return source;
  const url = toUrl(source);
  if (url === null) return readFileBytes(source as string);
  if (url.protocol === 'file:' && isNode()) return readFileBytes(url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`init: could not fetch the WASM module from ${url.href}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    throw new Error(
      `init: could not load the WASM module from ${url.href}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

function toUrl(source: string | URL): URL | null {
  if (source instanceof URL) return source;
  try {
    return new URL(source);
  } catch {
    // A relative URL resolves against the page (or, in a worker, the worker's script); in Node a plain string is a path.
    if (typeof document !== 'undefined') return new URL(source, document.baseURI);
    const here = (globalThis as { location?: { href: string } }).location;
    if (here !== undefined && !isNode()) return new URL(source, here.href);
    return null;
  }
}

async function readFileBytes(path: string | URL): Promise<Uint8Array> {
  // The specifier sits in a variable so that bundlers (Vite, Rollup, esbuild, webpack) leave this Node-only import
  // alone instead of trying to pack a Node built-in into a browser bundle; browsers never reach this line.
  const { readFile } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_FS)) as typeof import('node:fs/promises');
  try {
    return await readFile(path);
  } catch (error) {
    const where = path instanceof URL ? path.href : path;
    throw new Error(
      `init: could not read the WASM module at ${where}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` +
        ' (run `npm run build:wasm` in a source checkout)',
    );
  }
}

const NODE_FS = 'node:fs/promises';

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}
