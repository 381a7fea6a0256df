/**
 * The kernel interface: the one seam between wasmgrad's maths and everything above it.
 *
 * Kernels take sizes, scalars and buffer handles, never shapes or objects. Every matrix is row-major and every
 * buffer holds 32-bit floats on the WASM backend (the reference backend may hold 64-bit floats, for gradient checks).
 * A front end that brings its own layers can use a `Backend` directly: `alloc`, `write` its Float32Arrays, call the
 * kernels, `read` the results.
 *
 * Rules that hold for every method:
 * - Sizes (`n`, `m`, `k`, leading dimensions) are non-negative integers. Empty work is a no-op that reads and writes
 *   nothing, however large the other sizes (losses return 0), with two exceptions that scale their output by β:
 *   `sumRows` with m = 0 (out ← β·out) and `gemm` with k = 0 (C ← β·C).
 * - A buffer argument must belong to this backend, must not be freed, and must hold at least the elements the sizes
 *   say; otherwise the method throws an `Error` naming the argument, what was expected and what was given, before
 *   anything is written. Nothing past the elements the sizes say is ever read or written.
 * - Outputs may alias inputs only where the method says so; an overlap the method does not allow throws.
 * - Scalars and hyper-parameters are checked on every call: NaN, infinities and values out of range throw.
 * - Values in the buffers are not checked: NaN propagates through every kernel (an exception is noted where a method
 *   has one), and ±0 and ±∞ follow IEEE arithmetic, the same on every backend.
 * - A disposed backend throws on every method that takes a buffer or allocates.
 */

/** A handle to a run of floats owned by one backend. Opaque: read and write it through the backend. */
export interface Buf {
  /** Number of elements. */
  readonly length: number;
}

/** Element type of a backend's storage. The WASM backend is always 'f32'. */
export type DType = 'f32' | 'f64';

/** Activation functions with a forward kernel and a derivative kernel. */
export type Activation =
  | 'identity'
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'silu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus';

export const ACTIVATIONS: readonly Activation[] = [
  'identity',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'softplus',
];

/** Default for the `alpha` argument of the activations that take one (leakyRelu's slope, elu's scale). */
export const DEFAULT_ACTIVATION_ALPHA: Readonly<Partial<Record<Activation, number>>> = { leakyRelu: 0.01, elu: 1 };

/**
 * SGD with momentum (PyTorch's rule, Sutskever et al. 2013 for the momentum form):
 *   g ← g + λ·p;  v ← g on the first step, else v ← μ·v + (1 − τ)·g;  d ← nesterov ? g + μ·v : v;  p ← p − η·d.
 * With `momentum = 0` the velocity buffer is not used and may be null: p ← p − η·(g + λ·p).
 * The first step does not read the velocity (it may hold anything). Subnormal state is flushed: a velocity of
 * magnitude below 2⁻¹²⁶ (the smallest normal f32) is stored as +0, on every backend, so that the state of a parameter
 * whose gradient stays 0 reaches 0 instead of lingering in the subnormal range, where every x86 operation on it costs a
 * microcode assist (measured: Adam over 2¹⁸ parameters with zero gradients, 0.6 ms per step flushed; unflushed it
 * slowed to 21 ms per step by step 2,500). Parameters are never flushed. The same holds for every optimizer's state.
 */
export interface SgdHyper {
  /** η ≥ 0, finite. */
  lr: number;
  /** μ in [0, 1). */
  momentum: number;
  /** τ in [0, 1]. */
  dampening: number;
  /** Nesterov momentum; needs momentum > 0 and dampening = 0. */
  nesterov: boolean;
  /** λ ≥ 0, L2 penalty added to the gradient. */
  weightDecay: number;
  /** True on the optimizer's first step: the velocity is set to the gradient instead of being blended. */
  firstStep: boolean;
}

/**
 * RMSprop (Hinton, Lecture 6e, 2012; PyTorch's rule):
 *   g ← g + λ·p;  s ← α·s + (1 − α)·g²;  centered: ḡ ← α·ḡ + (1 − α)·g, d = √max(s − ḡ², 0) + ε, else d = √s + ε;
 *   momentum μ > 0: b ← μ·b + g/d, p ← p − η·b;  else p ← p − η·g/d.
 * s ≥ ḡ² in exact arithmetic; the max only keeps rounding (and flushing) from giving √(negative) = NaN, where PyTorch
 * would. s, ḡ and b below 2⁻¹²⁶ in magnitude are stored as +0 (see {@link SgdHyper}).
 */
export interface RmspropHyper {
  lr: number;
  /** α in [0, 1). */
  alpha: number;
  /** ε > 0. */
  eps: number;
  /** μ in [0, 1). */
  momentum: number;
  centered: boolean;
  /** λ ≥ 0. */
  weightDecay: number;
}

/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), PyTorch's rule:
 *   decoupled: p ← p·(1 − η·λ), else g ← g + λ·p;
 *   m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  amsgrad: v̂ ← max(v̂, v), else v̂ = v;
 *   p ← p − (η / c₁)·m / (√v̂ / √c₂ + ε)
 * where the bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ are computed by the caller in float64 for step t ≥ 1.
 * m, v and v̂ below 2⁻¹²⁶ in magnitude are stored as +0 (see {@link SgdHyper}): with a zero gradient m reaches 0
 * within several hundred steps (770 from 10⁻³ at β₁ = 0.9) and the parameter stops moving, exactly. A flushed m
 * drops an update below (η/c₁)·2⁻¹²⁶/ε; a flushed v changes the denominator by less than 2⁻⁶³/√c₂, which matters
 * only for ε below ~1e-17.
 */
export interface AdamHyper {
  lr: number;
  /** β₁ in [0, 1). */
  beta1: number;
  /** β₂ in [0, 1). */
  beta2: number;
  /** ε > 0. */
  eps: number;
  /** λ ≥ 0. */
  weightDecay: number;
  /** True for AdamW (decoupled weight decay), false for Adam's L2 penalty. */
  decoupledWeightDecay: boolean;
  /** Keep the running maximum of v (Reddi et al. 2018); needs the `vMax` buffer. */
  amsgrad: boolean;
  /** c₁ = 1 − β₁ᵗ in (0, 1]. */
  biasCorrection1: number;
  /** c₂ = 1 − β₂ᵗ in (0, 1]. */
  biasCorrection2: number;
}

/**
 * Adagrad (Duchi et al. 2011; PyTorch's rule):
 *   g ← g + λ·p;  s ← s + g²;  p ← p − η·g / (√s + ε).
 * The caller folds any learning-rate decay into `lr` (PyTorch: η / (1 + (t − 1)·decay)).
 * A sum below 2⁻¹²⁶ is stored as +0 (see {@link SgdHyper}): squared gradients under 2⁻¹²⁶ do not accumulate.
 */
export interface AdagradHyper {
  lr: number;
  /** ε > 0. */
  eps: number;
  /** λ ≥ 0. */
  weightDecay: number;
}

/** Heap accounting, for leak checks and the steady-state rule. */
export interface MemoryStats {
  /** Bytes in live allocations (rounded up to the 16-byte granule). */
  liveBytes: number;
  /** Number of live allocations (views not counted). */
  liveBuffers: number;
  /** Bytes the heap spans (WASM: linear memory used by the allocator; ref: equal to liveBytes). */
  heapBytes: number;
}

export interface Backend {
  /** 'wasm' or 'ref'. */
  readonly name: 'wasm' | 'ref';
  /** Storage element type. */
  readonly dtype: DType;
  /** Which compiled module is running: 'simd' or 'relaxed-simd' for WASM, 'typescript' for the reference. */
  readonly build: string;

  // ---- Buffers ------------------------------------------------------------------------------------------------

  /**
   * A new buffer of `length` elements, 16-byte aligned, contents unspecified. A length of 0 is valid. Throws for a
   * length that is not a non-negative integer, and when the memory limit (or the engine) refuses the space.
   */
  alloc(length: number): Buf;
  /**
   * Returns the buffer's memory to the heap. The handle, and every view of it, is unusable afterwards. Throws for a
   * view (free the buffer it was made from), a buffer already freed, or one of another backend.
   */
  free(buf: Buf): void;
  /**
   * A buffer that aliases `length` elements of `buf` starting at element `offset`. A view owns no memory: it is not
   * freed on its own and becomes unusable when its parent is freed. Views of views resolve to the root buffer.
   * A view of length 0 is valid anywhere up to `buf.length`; `offset + length > buf.length` throws.
   */
  view(buf: Buf, offset: number, length: number): Buf;
  /**
   * Copies `src` (an array or typed array of numbers) into `buf` starting at element `offset` (default 0), rounding
   * to the storage type. Throws, before writing anything, when `offset + src.length > buf.length` or when an element
   * of a plain array is not a number (a string, undefined, a BigInt…), naming it.
   */
  write(buf: Buf, src: ArrayLike<number>, offset?: number): void;
  /**
   * Copies the buffer out. With `dst`, fills `dst` (which must be a Float32Array or Float64Array of at least
   * `buf.length` elements, else it throws) and returns it; otherwise returns a new Float32Array (a Float64Array on an
   * f64 reference backend).
   */
  read<T extends Float32Array | Float64Array>(buf: Buf, dst?: T): T;
  /** x[i] ← value for i < n. `value` must be a number (NaN and ±∞ are allowed). */
  fill(n: number, value: number, x: Buf): void;
  /** y[i] ← x[i] for i < n. x and y must not overlap unless they are the same buffer. */
  copy(n: number, x: Buf, y: Buf): void;
  /** Heap accounting. */
  memoryStats(): MemoryStats;

  // ---- Matrix product ------------------------------------------------------------------------------------------

  /**
   * C ← α·op(A)·op(B) + β·C, row-major, where op(X) is X or Xᵀ.
   *
   * op(A) is m×k and op(B) is k×n; C is m×n with row stride `ldc ≥ n`. A is stored m×k with `lda ≥ k` when
   * `transA` is false and k×m with `lda ≥ m` when it is true; likewise B is k×n (`ldb ≥ n`) or n×k (`ldb ≥ k`).
   * With β = 0, C is not read (NaN in C does not propagate). With k = 0, C ← β·C. Only the m×n window of C
   * (row i at element i·ldc) is written. C must not overlap A or B. Throws for non-boolean flags, a leading
   * dimension below its row length (or below 1), non-finite α or β, a buffer too small for its matrix, or C
   * overlapping A or B.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Buf,
    lda: number,
    b: Buf,
    ldb: number,
    beta: number,
    c: Buf,
    ldc: number,
  ): void;

  // ---- Elementwise ---------------------------------------------------------------------------------------------

  /** y ← α·x + y over n elements, α finite. x and y may be the same buffer. */
  axpy(n: number, alpha: number, x: Buf, y: Buf): void;
  /** y ← α·x over n elements, α finite. x and y may be the same buffer. */
  scale(n: number, alpha: number, x: Buf, y: Buf): void;
  /** z ← x + y over n elements. z may be x or y. */
  add(n: number, x: Buf, y: Buf, z: Buf): void;
  /** z ← x ⊙ y (elementwise product) over n elements. z may be x or y. */
  mul(n: number, x: Buf, y: Buf, z: Buf): void;
  /**
   * Bias: y[i,j] ← x[i,j] + v[j] for an m×n matrix x (packed, stride n) and a row vector v of n. y may be x; v must
   * not overlap y.
   */
  addRowVector(m: number, n: number, x: Buf, v: Buf, y: Buf): void;
  /**
   * Bias gradient: out[j] ← β·out[j] + Σᵢ x[i,j] for an m×n matrix x (packed), β finite. β = 0 does not read out
   * (NaN there does not propagate); m = 0 gives out ← β·out. out must not overlap x. The order of the sum is
   * unspecified (the reference sums in float64, WASM in f32 lanes).
   */
  sumRows(m: number, n: number, x: Buf, beta: number, out: Buf): void;

  // ---- Activations ---------------------------------------------------------------------------------------------

  /**
   * y ← f(x) over n elements. y may be x. `alpha` is leakyRelu's negative slope (default 0.01, any finite value) or
   * elu's scale (default 1, finite and ≥ 0); other activations ignore it. selu uses λ = 1.0507009873554805,
   * α = 1.6732632423543772 (Klambauer et al. 2017); gelu is the tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
   * Those with f(0) = 0, relu aside, keep the sign of zero (f(−0) = −0), and at ±∞ each gives its limit (gelu(−∞) =
   * silu(−∞) = −0). The WASM backend evaluates exp and tanh with f32x4 approximations whose maximum error is stated
   * in assembly/math.ts.
   */
  actForward(act: Activation, n: number, x: Buf, y: Buf, alpha?: number): void;
  /**
   * dx ← dy ⊙ f′(x) over n elements, where y = f(x) is the saved forward output. Activations whose derivative is a
   * function of the output (sigmoid, tanh, elu and selu for x ≤ 0) use y; the others use x. At x = 0 the left
   * derivative is taken (relu 0, leakyRelu α, elu α, selu λα), as PyTorch does; at ±∞ the derivative's limit; for
   * x = NaN the derivative of relu and leakyRelu is their x ≤ 0 branch (dx = 0·dy, α·dy), of identity 1, of the
   * others NaN. dx may be dy; x and y must not overlap dx.
   */
  actBackward(act: Activation, n: number, x: Buf, y: Buf, dy: Buf, dx: Buf, alpha?: number): void;
  /**
   * A dense layer's bias and activation in one call: z[i,j] ← z[i,j] + b[j] (in place; none when `bias` is null), then
   * y ← f(z), for an m×n matrix z (packed, stride n). The same results as addRowVector then actForward. y may be z;
   * bias must not overlap z or y.
   */
  biasActForward(act: Activation, m: number, n: number, z: Buf, bias: Buf | null, y: Buf, alpha?: number): void;
  /**
   * The backward pass of biasActForward in one call: dz ← dy ⊙ f′(z) (as actBackward, with the saved y), then, unless
   * `db` is null, db[j] ← β·db[j] + Σᵢ dz[i,j] (as sumRows: β finite, β = 0 does not read db, m = 0 gives db ← β·db).
   * dz may be dy; z and y must not overlap dz; db overlaps none of the others.
   */
  // prettier-ignore
  biasActBackward(act: Activation, m: number, n: number, z: Buf, y: Buf, dy: Buf, dz: Buf, beta: number,
    db: Buf | null, alpha?: number): void;
  /**
   * Row-wise softmax of an m×n matrix (packed), max-subtracted: yᵢⱼ = e^(xᵢⱼ − maxᵢ) / Σₖ e^(xᵢₖ − maxᵢ). y may be x.
   * An entry of −∞ (a masked class) gets 0; a row holding NaN or +∞, or only −∞, gives NaN.
   */
  softmax(m: number, n: number, x: Buf, y: Buf): void;
  /** Row-wise log-softmax of an m×n matrix, max-subtracted: (xᵢⱼ − maxᵢ) − ln Σₖ e^(xᵢₖ − maxᵢ). As softmax. */
  logSoftmax(m: number, n: number, x: Buf, y: Buf): void;

  // ---- Losses: value, and with a gradient buffer the gradient of that value, in one call --------------------------
  // The value is returned as a float64 number; the gradient buffer may be null. The target (or labels) must not
  // overlap the gradient; the gradient may be the prediction / logits buffer itself, not part of it.

  /** Mean squared error over all m·n elements: Σ(p − t)² / (m·n). dPred ← 2(p − t)/(m·n). dPred may be pred. */
  mse(m: number, n: number, pred: Buf, target: Buf, dPred: Buf | null): number;
  /**
   * Mean absolute error: Σ|p − t| / (m·n). dPred ← sign(p − t)/(m·n), 0 where p = t (and where p − t is NaN, though
   * the value is then NaN). dPred may be pred.
   */
  mae(m: number, n: number, pred: Buf, target: Buf, dPred: Buf | null): number;
  /**
   * Huber loss with threshold δ > 0, mean over m·n: ½r² for |r| ≤ δ, else δ(|r| − ½δ), r = p − t.
   * dPred ← clamp(r, −δ, δ)/(m·n). dPred may be pred.
   */
  huber(m: number, n: number, pred: Buf, target: Buf, delta: number, dPred: Buf | null): number;
  /**
   * Binary cross-entropy from logits z against targets t in [0, 1], mean over m·n, in the stable form
   * max(z, 0) − z·t + log(1 + e^(−|z|)). dLogits ← (σ(z) − t)/(m·n). dLogits may be logits.
   */
  bceWithLogits(m: number, n: number, logits: Buf, target: Buf, dLogits: Buf | null): number;
  /**
   * Softmax cross-entropy from an m×n matrix of logits and m integer class labels (stored as floats in 0..n−1),
   * mean over rows: −Σᵢ log softmax(zᵢ)[yᵢ] / m. dLogits ← (softmax(zᵢ) − onehot(yᵢ))/m. A label that is not an
   * integer in range throws (naming the row) before anything is written. dLogits may be logits.
   */
  softmaxCrossEntropy(m: number, n: number, logits: Buf, labels: Buf, dLogits: Buf | null): number;
  /**
   * Softmax cross-entropy against an m×n matrix of target distributions (one-hot or soft; rows should sum to 1),
   * mean over rows: −Σᵢ Σⱼ tᵢⱼ log softmax(zᵢ)ⱼ / m. dLogits ← (softmax(zᵢ)·Σⱼtᵢⱼ − tᵢ)/m. dLogits may be logits.
   * A target of exactly 0 contributes nothing, whatever its logit (−∞ included: a masked class).
   */
  softmaxCrossEntropyDense(m: number, n: number, logits: Buf, target: Buf, dLogits: Buf | null): number;

  // ---- Optimizer updates: in place over flat arenas, one call for any number of parameters ------------------------
  // The parameters, the gradients and each state buffer must be separate, non-overlapping buffers.

  /** See {@link SgdHyper}. `velocity` may be null when momentum is 0. */
  sgdStep(n: number, param: Buf, grad: Buf, velocity: Buf | null, hp: SgdHyper): void;
  /** See {@link RmspropHyper}. `gradAvg` is needed when centered, `momentumBuf` when momentum > 0; else null. */
  rmspropStep(
    n: number,
    param: Buf,
    grad: Buf,
    squareAvg: Buf,
    gradAvg: Buf | null,
    momentumBuf: Buf | null,
    hp: RmspropHyper,
  ): void;
  /** See {@link AdamHyper}. `vMax` is needed when amsgrad, else null. */
  adamStep(n: number, param: Buf, grad: Buf, m: Buf, v: Buf, vMax: Buf | null, hp: AdamHyper): void;
  /** See {@link AdagradHyper}. */
  adagradStep(n: number, param: Buf, grad: Buf, sum: Buf, hp: AdagradHyper): void;
  /** Σ x[i]² over n elements, accumulated in float64 (the global gradient norm is √ of the sum over arenas). */
  sumSquares(n: number, x: Buf): number;
  /**
   * The index of the first element of x[0..n) that is NaN, +∞ or −∞, or −1 when every one is finite (n = 0 gives −1).
   * One read-only pass: what checks a staged batch of inputs.
   */
  firstNonFinite(n: number, x: Buf): number;
  /** x[i] ← clamp(x[i], lo, hi) in place; lo ≤ hi, neither NaN (±∞ are allowed). NaN in x stays NaN. */
  clipByValue(n: number, lo: number, hi: number, x: Buf): void;

  /** Frees everything this backend allocated. The backend is unusable afterwards. */
  dispose(): void;
}
