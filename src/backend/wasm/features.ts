// Feature detection by validating the smallest module that uses the feature.

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
// type section: one function type () → v128; function section: one function of that type.
const signature = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const v128Const = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

function moduleWithBody(body: number[]): Uint8Array<ArrayBuffer> {
  const fn = [0x00, ...body, 0x0b]; // no locals, body, end
  const code = [0x01, fn.length, ...fn];
  return new Uint8Array([...header, ...signature, 0x0a, code.length, ...code]);
}

/** A module whose function returns `v128.const 0`. */
const SIMD_PROBE = moduleWithBody(v128Const);
/** A module whose function returns `f32x4.relaxed_madd(0, 0, 0)` (opcode 0xfd 0x105). */
const RELAXED_PROBE = moduleWithBody([...v128Const, ...v128Const, ...v128Const, 0xfd, 0x85, 0x02]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** True when this runtime compiles 128-bit WASM SIMD. */
export function hasWasmSimd(): boolean {
  return validates(SIMD_PROBE);
}

/** True when this runtime compiles relaxed SIMD (Chrome 114+, Node 22+, Node 20 with --experimental-wasm-relaxed-simd). */
export function hasRelaxedSimd(): boolean {
  return validates(RELAXED_PROBE);
}
