// wasmgrad's public entry point.
export type {
  Activation,
  AdagradHyper,
  AdamHyper,
  Backend,
  Buf,
  DType,
  MemoryStats,
  RmspropHyper,
  SgdHyper,
} from './backend/types.js';
export { ACTIVATIONS, DEFAULT_ACTIVATION_ALPHA } from './backend/types.js';
export { RefBackend, type RefBackendOptions } from './backend/ref/backend.js';
export { WasmBackend } from './backend/wasm/backend.js';
export { createWasmBackend, type WasmOptions, type WasmSource } from './backend/wasm/load.js';
export { hasRelaxedSimd, hasWasmSimd } from './backend/wasm/features.js';
export { getBackend, init, setBackend, type InitOptions } from './init.js';
export { Random } from './random.js';
export * from './nn/index.js';
