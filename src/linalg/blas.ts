/**
 * Dense Float64Array kernels (BLAS-like): the entry points every solver calls.
 *
 * Each function dispatches, once per call, to one of two backends chosen at load:
 * - **wasm** — WebAssembly SIMD (f64x2) kernels (`wasm/kernels.wat`), 4×4 register tiles, k-blocked,
 *   products above a size threshold split by output rows over worker threads (`parallel.ts`);
 * - **js** — the register-blocked JavaScript kernels (`jsKernels.ts`), used where WebAssembly SIMD is
 *   missing, when `MTLEARN_KERNELS=js` is set, or after {@link setKernelBackend}('js').
 *
 * **Operands in WebAssembly memory.** Matrices allocated with `allocF64` / `wasmMat` (`wasm/matrix.ts`)
 * live in the kernels' memory and are used in place; any other Float64Array is copied in (and outputs
 * out) for the call. Level-1/2 kernels (dot, axpy, gemv) use WebAssembly only when all their operands
 * are resident (a copy would cost more than the call), level-3 products always (above a tiny size).
 *
 * **Rounding.** The backends sum in different orders (the JS dot product keeps four partial sums, the
 * WASM gemm sums each entry over k-blocks of `blockLength(n)` in ascending order, except the
 * non-symmetric TN product XᵀY, which streams X and sums each entry in one ascending chain — the
 * textbook loop's order), so their results may
 * differ by rounding (relative ~1e-16·k); each backend is deterministic, and the threaded WASM products
 * are bit-identical to single-threaded ones. Tests compare both backends with each other and with a
 * naive reference (test/blas*.test.ts).
 *
 * **Aliasing.** An output must not overlap an input (as in BLAS); two inputs may be the same array.
 *
 * @packageDocumentation
 */
import * as js from './jsKernels.js';
import { wasm, inWasmMemory } from './wasm/runtime.js';
import { wasmAxpy, wasmDot, wasmGemm, wasmGemv } from './wasm/dispatch.js';
import { jsCentredRowsTN, wasmCentredRowsReady, wasmCentredRowsTN } from './centredRows.js';

/** Kernel backends. */
export type KernelBackend = 'js' | 'wasm';

function envBackend(): KernelBackend | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.['MTLEARN_KERNELS'];
  return v === 'js' || v === 'wasm' ? v : undefined;
}

let useWasm = wasm !== null && envBackend() !== 'js';
/** Level-3 products with m·n·k below this run in JavaScript (the call and copies would dominate). */
const WASM_MIN_MNK = 4096;
/** Level-1/2 kernels shorter than this run in JavaScript even on resident operands. */
const WASM_MIN_LEN = 16;

/**
 * Chooses the kernel backend for every later call.
 * @param backend - `'wasm'` (WebAssembly SIMD) or `'js'` (the JavaScript fallback)
 * @throws RangeError when `backend` is neither, or is `'wasm'` where WebAssembly SIMD is unavailable
 * @example
 * ```ts
 * setKernelBackend('js'); // e.g. to compare results with the fallback
 * ```
 * @see {@link kernelBackend}
 */
export function setKernelBackend(backend: KernelBackend): void {
  if (backend !== 'js' && backend !== 'wasm') throw new RangeError(`backend: expected 'js' or 'wasm', got ${String(backend)}`);
  if (backend === 'wasm' && wasm === null) throw new RangeError("backend: 'wasm' is unavailable here (no WebAssembly SIMD)");
  useWasm = backend === 'wasm';
}

/**
 * The kernel backend in use: chosen at load (`'wasm'` when WebAssembly SIMD works and
 * `MTLEARN_KERNELS` is not `js`), changed by {@link setKernelBackend}.
 * @returns `'wasm'` or `'js'`
 * @example
 * ```ts
 * kernelBackend(); // 'wasm' in Node 20
 * ```
 */
export function kernelBackend(): KernelBackend {
  return useWasm ? 'wasm' : 'js';
}

/**
 * Whether WebAssembly kernels can run here at all, and whether their memory is shared (resident
 * operands and threads need it).
 * @returns `{ available, sharedMemory }`
 * @example
 * ```ts
 * wasmKernelsInfo(); // { available: true, sharedMemory: true } in Node
 * ```
 */
export function wasmKernelsInfo(): { available: boolean; sharedMemory: boolean } {
  return { available: wasm !== null, sharedMemory: wasm?.shared ?? false };
}

/**
 * Dot product Σ_i x[xo + i] · y[yo + i].
 * @param n - number of terms
 * @param x - first vector
 * @param xo - offset into x
 * @param y - second vector
 * @param yo - offset into y
 * @returns the dot product
 * @example
 * ```ts
 * dot(3, new Float64Array([1, 2, 3]), 0, new Float64Array([4, 5, 6]), 0); // 32
 * ```
 * @see {@link axpy}
 */
export function dot(n: number, x: Float64Array, xo: number, y: Float64Array, yo: number): number {
  if (useWasm && n >= WASM_MIN_LEN && inWasmMemory(x) && inWasmMemory(y)) return wasmDot(n, x, xo, y, yo);
  return js.dot(n, x, xo, y, yo);
}

/**
 * y[yo + i] += a · x[xo + i] for i in [0, n).
 * @param n - number of entries
 * @param a - scalar
 * @param x - source vector
 * @param xo - offset into x
 * @param y - destination vector (updated in place; must not overlap x unless identical)
 * @param yo - offset into y
 * @example
 * ```ts
 * const y = new Float64Array([1, 1]); axpy(2, 3, new Float64Array([1, 2]), 0, y, 0); // y = [4, 7]
 * ```
 * @see {@link dot}
 */
export function axpy(n: number, a: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  if (useWasm && n >= WASM_MIN_LEN && inWasmMemory(x) && inWasmMemory(y)) wasmAxpy(n, a, x, xo, y, yo);
  else js.axpy(n, a, x, xo, y, yo);
}

/**
 * Euclidean norm of x[xo .. xo + n).
 * @param n - number of entries
 * @param x - vector
 * @param xo - offset
 * @returns ‖x‖₂
 * @example
 * ```ts
 * nrm2(2, new Float64Array([3, 4]), 0); // 5
 * ```
 * @see {@link dot}
 */
export function nrm2(n: number, x: Float64Array, xo: number): number {
  return Math.sqrt(dot(n, x, xo, x, xo));
}

/**
 * Sum of squares of the first n entries of x.
 * @param n - number of entries
 * @param x - vector
 * @returns Σ x_i²
 * @example
 * ```ts
 * sumSquares(2, new Float64Array([3, 4])); // 25
 * ```
 * @see {@link nrm2}
 */
export function sumSquares(n: number, x: Float64Array): number {
  return dot(n, x, 0, x, 0);
}

/**
 * Matrix-vector product y = A x (beta = 0) or y += A x (beta = 1), A m×k row-major.
 * @param m - rows of A
 * @param k - columns of A
 * @param A - matrix, m×k row-major, starting at aOff
 * @param aOff - offset of A in its buffer
 * @param x - vector of length k (from xOff)
 * @param xOff - offset into x
 * @param y - output vector of length m (from yOff)
 * @param yOff - offset into y
 * @param beta - 0 to overwrite y, 1 to accumulate
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * gemv(2, 2, new Float64Array([1, 2, 3, 4]), 0, new Float64Array([1, 1]), 0, y, 0, 0); // y = [3, 7]
 * ```
 * @see {@link gemvT}
 */
export function gemv(
  m: number, k: number, A: Float64Array, aOff: number, x: Float64Array, xOff: number,
  y: Float64Array, yOff: number, beta: 0 | 1,
): void {
  gemvOn(0, m, k, A, aOff, x, xOff, y, yOff, beta);
}

/**
 * Transposed matrix-vector product y = Aᵀ x (beta = 0) or y += Aᵀ x (beta = 1), A m×k row-major.
 * @param m - rows of A
 * @param k - columns of A
 * @param A - matrix, m×k row-major, starting at aOff
 * @param aOff - offset of A in its buffer
 * @param x - vector of length m (from xOff)
 * @param xOff - offset into x
 * @param y - output vector of length k (from yOff)
 * @param yOff - offset into y
 * @param beta - 0 to overwrite y, 1 to accumulate
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * gemvT(2, 2, new Float64Array([1, 2, 3, 4]), 0, new Float64Array([1, 1]), 0, y, 0, 0); // y = [4, 6]
 * ```
 * @see {@link gemv}
 */
export function gemvT(
  m: number, k: number, A: Float64Array, aOff: number, x: Float64Array, xOff: number,
  y: Float64Array, yOff: number, beta: 0 | 1,
): void {
  gemvOn(1, m, k, A, aOff, x, xOff, y, yOff, beta);
}

/**
 * The one dispatch rule of {@link gemv} (trans = 0) and {@link gemvT} (trans = 1): WebAssembly when
 * rows are long enough and every operand is resident in its memory, else the JavaScript kernel.
 */
function gemvOn(
  trans: 0 | 1, m: number, k: number, A: Float64Array, aOff: number, x: Float64Array, xOff: number,
  y: Float64Array, yOff: number, beta: 0 | 1,
): void {
  if (useWasm && k >= WASM_MIN_LEN && inWasmMemory(A) && inWasmMemory(x) && inWasmMemory(y)) wasmGemv(trans, m, k, A, aOff, x, xOff, y, yOff, beta);
  else if (trans === 0) js.gemv(m, k, A, aOff, x, xOff, y, yOff, beta);
  else js.gemvT(m, k, A, aOff, x, xOff, y, yOff, beta);
}

/**
 * C = A·B (beta = 0) or C += A·B (beta = 1). A is m×k, B is k×n, C is m×n, all row-major and dense
 * (from offset 0). C must not overlap A or B.
 * @param m - rows of A and C
 * @param n - columns of B and C
 * @param k - columns of A, rows of B
 * @param A - m×k
 * @param B - k×n
 * @param C - m×n output
 * @param beta - 0 to overwrite C, 1 to accumulate
 * @example
 * ```ts
 * const C = new Float64Array(4);
 * gemmNN(2, 2, 2, new Float64Array([1, 2, 3, 4]), new Float64Array([1, 0, 0, 1]), C, 0); // C = A
 * ```
 * @see {@link gemmTN}, {@link gemmNT}
 */
export function gemmNN(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): void {
  if (!(useWasm && m * n * k >= WASM_MIN_MNK && wasmGemm('nn', m, n, k, A, B, C, beta))) js.gemmNN(m, n, k, A, B, C, beta);
}

/**
 * C = Aᵀ·B (beta = 0) or C += Aᵀ·B (beta = 1). A is k×m, B is k×n, C is m×n, all row-major.
 * Used for XᵀR and XᵀY with X stored n×d. C must not overlap A or B.
 * @param m - columns of A, rows of C
 * @param n - columns of B and C
 * @param k - rows of A and B
 * @param A - k×m
 * @param B - k×n
 * @param C - m×n output
 * @param beta - 0 to overwrite C, 1 to accumulate
 * @example
 * ```ts
 * const C = new Float64Array(1);
 * gemmTN(1, 1, 2, new Float64Array([1, 2]), new Float64Array([3, 4]), C, 0); // C = [11]
 * ```
 * @see {@link gemmNN}, {@link gemmNT}, {@link syrkTN}
 */
export function gemmTN(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): void {
  if (!(useWasm && m * n * k >= WASM_MIN_MNK && wasmGemm(A === B && m === n && beta === 0 ? 'syrk' : 'tn', m, n, k, A, B, C, beta))) js.gemmTN(m, n, k, A, B, C, beta);
}

/**
 * C = A·Bᵀ (beta = 0) or C += A·Bᵀ (beta = 1). A is m×k, B is n×k, C is m×n, all row-major: every
 * entry is a dot product of two contiguous rows. C must not overlap A or B.
 * @param m - rows of A and C
 * @param n - rows of B, columns of C
 * @param k - columns of A and B
 * @param A - m×k
 * @param B - n×k
 * @param C - m×n output
 * @param beta - 0 to overwrite C, 1 to accumulate
 * @example
 * ```ts
 * const C = new Float64Array(1);
 * gemmNT(1, 1, 2, new Float64Array([1, 2]), new Float64Array([3, 4]), C, 0); // C = [11]
 * ```
 * @see {@link gemmNN}, {@link gemmTN}
 */
export function gemmNT(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array, beta: 0 | 1): void {
  if (!(useWasm && m * n * k >= WASM_MIN_MNK && wasmGemm(A === B && m === n && beta === 0 ? 'syrkNT' : 'nt', m, n, k, A, B, C, beta))) js.gemmNT(m, n, k, A, B, C, beta);
}

/**
 * Symmetric rank-k update G = XᵀX (beta = 0) or G += XᵀX (beta = 1) for X k×m row-major (G m×m):
 * the Gram matrix of X's columns. The WASM backend computes the upper block triangle only (half the
 * flops of {@link gemmTN}) and mirrors it, so G is exactly symmetric; with beta = 1 the lower triangle
 * of the result is the mirror of the upper one (pass a symmetric G). `gemmTN(m, m, k, X, X, G, 0)`
 * dispatches here by itself.
 * @param m - columns of X, order of G
 * @param k - rows of X
 * @param X - k×m
 * @param G - m×m output (must not overlap X)
 * @param beta - 0 to overwrite G, 1 to accumulate
 * @example
 * ```ts
 * const G = new Float64Array(4);
 * syrkTN(2, 2, new Float64Array([1, 2, 3, 4]), G, 0); // G = [10, 14, 14, 20]
 * ```
 * @see {@link gemmTN}
 */
export function syrkTN(m: number, k: number, X: Float64Array, G: Float64Array, beta: 0 | 1): void {
  syrk('syrk', m, k, X, G, beta);
}

/**
 * G = XᵀX (`'syrk'`, X k×m) or X·Xᵀ (`'syrkNT'`, X m×k): the WASM symmetric product, or the JS product
 * made exactly symmetric — G[j, i] = G[i, j] for j > i (the JS kernels' remainder loops sum (i, j) and
 * (j, i) differently).
 */
function syrk(kind: 'syrk' | 'syrkNT', m: number, k: number, X: Float64Array, G: Float64Array, beta: 0 | 1): void {
  if (useWasm && m * m * k >= WASM_MIN_MNK && wasmGemm(kind, m, m, k, X, X, G, beta)) return;
  if (kind === 'syrk') js.gemmTN(m, m, k, X, X, G, beta);
  else js.gemmNT(m, m, k, X, X, G, beta);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) G[j * m + i] = G[i * m + j]!;
}

/**
 * Symmetric rank-k update G = X·Xᵀ (beta = 0) or G += X·Xᵀ (beta = 1) for X m×k row-major (G m×m):
 * the Gram matrix of X's rows (the SVD's Gram of the columns of the tall orientation, stored as rows).
 * Upper block triangle only on the WASM backend, then mirrored: G is exactly symmetric; with beta = 1
 * pass a symmetric G. `gemmNT(m, m, k, X, X, G, 0)` dispatches here by itself.
 * @param m - rows of X, order of G
 * @param k - columns of X
 * @param X - m×k
 * @param G - m×m output (must not overlap X)
 * @param beta - 0 to overwrite G, 1 to accumulate
 * @example
 * ```ts
 * const G = new Float64Array(4);
 * syrkNT(2, 2, new Float64Array([1, 2, 3, 4]), G, 0); // G = [5, 11, 11, 25]
 * ```
 * @see {@link syrkTN}, {@link gemmNT}
 */
export function syrkNT(m: number, k: number, X: Float64Array, G: Float64Array, beta: 0 | 1): void {
  syrk('syrkNT', m, k, X, G, beta);
}

/**
 * X̃ᵀR for few tasks on a row-major design (`centredRows.ts`): out (d×T) = Σ_a (x_{row a} − μ) r_aᵀ,
 * x_{row a} = X[rows[a]·d …] (rows null: the first m rows), r_a = (R[ro + a + ldr·t])_t (R task-major).
 * One pass over each row, centred on the fly; both backends equal the naive loop bit for bit;
 * WebAssembly (`xtr_rows`) when X, R and μ are resident.
 * @param m - rows
 * @param d - columns of X
 * @param T - tasks
 * @param X - the stored design (d columns)
 * @param rows - which rows of X, or null
 * @param R - task-major residuals
 * @param ro - offset of R(0, 0)
 * @param ldr - distance between tasks in R
 * @param mu - means to subtract (length d)
 * @param out - d×T output
 * @example
 * ```ts
 * centredRowsTN(2, 2, 1, new Float64Array([1, 2, 3, 4]), null, new Float64Array([1, 1]), 0, 2, new Float64Array([2, 3]), out); // out = [0, 0]
 * ```
 * @see {@link gemmTN}
 */
export function centredRowsTN(
  m: number, d: number, T: number, X: Float64Array, rows: Int32Array | null, R: Float64Array, ro: number, ldr: number,
  mu: Float64Array, out: Float64Array,
): void {
  if (useWasm && m * d * T >= WASM_MIN_MNK && wasmCentredRowsReady(X, R, mu)) wasmCentredRowsTN(m, d, T, X, rows, R, ro, ldr, mu, out);
  else jsCentredRowsTN(m, d, T, X, rows, R, ro, ldr, mu, out);
}

/** σ_max(A)² by power iteration (the JavaScript products): see `linalg/powerIteration`. */
export { spectralNormSquared } from './powerIteration.js';
/** Givens rotations on the rows of a matrix (the eigensolver's QR sweeps): see `linalg/rotateRows`. */
export { rotateRows } from './rotateRows.js';
