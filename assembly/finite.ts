// First non-finite value: the index of the first element of x[0..n) that is NaN, +∞ or −∞, or −1 when all are finite.
// Layout: a contiguous f32 array at a byte address; read only. Used to check a staged batch of inputs in one pass.
// Method: x − x is +0 for every finite x (−0 included) and NaN for NaN and ±∞, so OR-ing the bits of x − x over a
// block is all zero exactly when the block is finite: two instructions per f32x4, no constant, no carried FP latency.
// Blocks of BLOCK floats are tested as a whole; the first block that is not all finite is rescanned one float at a
// time to find the index. Tails: the last n mod BLOCK floats are scanned one at a time.

// @ts-ignore: decorator
@inline const BLOCK: i32 = 32;

/** Whether x is NaN or ±∞. */
// @ts-ignore: decorator
@inline function nonFinite(x: f32): bool {
  return x - x != 0;
}

/** x − x per lane: +0 where x is finite, NaN where it is not. */
// @ts-ignore: decorator
@inline function selfDiff(x: v128): v128 {
  return f32x4.sub(x, x);
}

export function f32_first_non_finite(n: i32, x: usize): i32 {
  let i = 0;
  for (; i + BLOCK <= n; i += BLOCK) {
    const at = x + (<usize>i << 2);
    // Two accumulators of four vectors each, so that the loads, not the chain of ORs, set the pace.
    let a = selfDiff(v128.load(at));
    let b = selfDiff(v128.load(at, 16));
    a = v128.or(a, selfDiff(v128.load(at, 32)));
    b = v128.or(b, selfDiff(v128.load(at, 48)));
    a = v128.or(a, selfDiff(v128.load(at, 64)));
    b = v128.or(b, selfDiff(v128.load(at, 80)));
    a = v128.or(a, selfDiff(v128.load(at, 96)));
    b = v128.or(b, selfDiff(v128.load(at, 112)));
    if (v128.any_true(v128.or(a, b))) break;
  }
  for (; i < n; i++) {
    if (nonFinite(load<f32>(x + (<usize>i << 2)))) return i;
  }
  return -1;
}
