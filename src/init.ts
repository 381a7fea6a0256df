// Choosing a backend. `await init()` gives the WASM backend and makes it the default for layers and models;
// `init({ backend: 'ref' })` gives the reference backend.
import { RefBackend } from './backend/ref/backend.js';
import type { Backend, DType } from './backend/types.js';
import { createWasmBackend, type WasmOptions } from './backend/wasm/load.js';

export interface InitOptions extends WasmOptions {
  /** 'wasm' (default) or 'ref'. */
  backend?: 'wasm' | 'ref';
  /** Storage of the reference backend: 'f32' (default) or 'f64'. The WASM backend is always f32. */
  dtype?: DType;
}

let current: Backend | null = null;

/** Creates a backend, makes it the default for new layers and models, and returns it. */
export async function init(options: InitOptions = {}): Promise<Backend> {
  const kind = options.backend ?? 'wasm';
  let backend: Backend;
  if (kind === 'ref') {
    backend = new RefBackend({ dtype: options.dtype ?? 'f32' });
  } else if (kind === 'wasm') {
    if (options.dtype !== undefined && options.dtype !== 'f32') {
      throw new Error(`init: the wasm backend computes in f32, got dtype ${String(options.dtype)}`);
    }
    backend = await createWasmBackend(options);
  } else {
    throw new Error(`init: backend must be 'wasm' or 'ref', got ${JSON.stringify(kind)}`);
  }
  current = backend;
  return backend;
}

/** The backend `init()` made last. Throws if `init()` has not been awaited. */
export function getBackend(): Backend {
  if (current === null || (current as { disposed?: boolean }).disposed) {
    throw new Error('wasmgrad: no backend; call `await init()` first');
  }
  return current;
}

/** Makes `backend` the default for new layers and models. */
export function setBackend(backend: Backend): void {
  current = backend;
}
