/**
 * Small layout kernels of block coordinate descent (the products themselves are `linalg/blas.ts`'s,
 * which run WebAssembly SIMD on operands resident in its memory).
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { SharedDesign } from '../datafits/sharedDesign.js';
import { freeF64, isWasmResident, residentOrHeap, residentScratch } from '../linalg/wasm/matrix.js';
import { transposeInto } from '../linalg/mat.js';
import { residentSquares } from '../datafits/designKernels.js';
import { kernelBackend } from '../linalg/blas.js';
import { wasm, type WasmKernels } from '../linalg/wasm/runtime.js';

/** The kernels' `transpose` (B k×m ← Aᵀ, A m×k; byte addresses, leading dimensions in elements). */
type TransposeKernel = { transpose(m: number, k: number, a: number, lda: number, b: number, ldb: number): void };

/**
 * out = X̃ᵀ (d×n, feature j contiguous) of a shared design. By the WebAssembly `transpose` kernel when
 * X and `out` are resident and the design is not a row subset (centring subtracts the means after the
 * transpose: the same single subtraction per entry as the JavaScript path, so the same bits); otherwise
 * the design's tiled JavaScript transpose (a heap X is small: n·d < 2^18, see `residentOrHeap`, and
 * copying it in costs more than the kernel saves). The kernel is 2–6× faster on 2000×500, where the
 * JavaScript transpose was 14–36 % of a residual-form BCD fit (issue #11).
 * @param D - the design
 * @param out - d×n output (length ≥ n·d)
 * @param sq - when given, also the squared column norms ‖x̃_j‖² (length d): by `transpose_sq` in the same pass
 *   over X on the kernel path (each an ascending chain, as `col_sq`), else by {@link SharedDesign.columnSquares}
 * @returns `out`
 * @example
 * ```ts
 * transposeDesign(loss.design!, allocF64(n * d)); // X̃ᵀ, resident
 * ```
 * @see {@link sharedColumns}
 */
export function transposeDesign(D: SharedDesign, out: Float64Array, sq: Float64Array | null = null): Float64Array {
  const { n, d } = D;
  const kernel = wasm !== null && kernelBackend() === 'wasm' && D.rows === null && isWasmResident(out);
  // a small design kept on the heap is copied in for the kernel (one memcpy)
  const src = !kernel ? null : isWasmResident(D.raw) ? D.raw : residentScratch(n * d);
  if (src === null || !isWasmResident(src)) {
    if (sq !== null) D.columnSquares(sq);
    if (!isWasmResident(out)) return D.transposeInto(out);
    // JavaScript stores into the kernels' shared memory run ~3× slower than into the heap (a 200×500
    // design's transpose took 3 ms, half of its fit): transpose on the heap, copy once
    out.set(D.transposeInto(new Float64Array(n * d)));
    return out;
  }
  const k = wasm!.k as WasmKernels & TransposeKernel;
  if (src !== D.raw) src.set(D.raw.subarray(0, n * d));
  // out[j, i] = X[i, j] (and sq_j = Σ_i x̃_ij² in the same pass when asked)
  if (sq !== null && transposeSquares(k, n, d, src, D.means, out, sq)) D.keepSquares(sq);
  else {
    k.transpose(n, d, src.byteOffset, d, out.byteOffset, n);
    if (sq !== null) D.columnSquares(sq);
  }
  if (src !== D.raw) freeF64(src);
  const mu = D.means;
  // X̃ᵀ[j, i] = X[i, j] − x̄_j
  if (mu !== null) {
    // in the kernels: out[j, :] += (−x̄_j)·1, i.e. the same single subtraction per entry
    const neg = residentOrHeap(d, 0), ones = residentOrHeap(n, 0);
    if (isWasmResident(neg) && isWasmResident(ones)) {
      for (let j = 0; j < d; j++) neg[j] = -mu[j]!;
      ones.fill(1);
      k.axpy_rows(d, n, neg.byteOffset, ones.byteOffset, out.byteOffset, n);
    } else {
      for (let j = 0; j < d; j++) { const m = mu[j]!, o = j * n; for (let i = 0; i < n; i++) out[o + i]! -= m; }
    }
    freeF64(neg); freeF64(ones);
  }
  return out;
}

/** out = Xᵀ and sq_j = Σ_i (x_ij − μ_j)² by `transpose_sq`; false (nothing written) when its scratch is not resident. */
function transposeSquares(k: WasmKernels, n: number, d: number, X: Float64Array, mu: Float64Array | null, out: Float64Array, sq: Float64Array): boolean {
  return residentSquares(d, mu, sq, (muAt, accAt) => k.transpose_sq(n, d, X.byteOffset, muAt, accAt, out.byteOffset, n));
}

/**
 * Feature-major copies X̃ᵀ (d×n) of shared designs, one per loss, allocated in the WebAssembly kernels'
 * memory (`allocF64`) so that gemv / axpy / gemm use them in place.
 */
const colMajorCache = new WeakMap<QuadraticLoss, Float64Array>();
/**
 * X̃ᵀ (d×n, feature j contiguous) of a shared design, made once per loss, resident whatever its size
 * (the row steps of residual BCD call the WebAssembly level-1/2 kernels on it directly). The squared column
 * norms come from the same pass over X when the design does not have them yet (kept in the design).
 */
export function sharedColumns(loss: QuadraticLoss): Float64Array {
  let c = colMajorCache.get(loss);
  if (!c) {
    const D = loss.design!, sq = D.hasSquares() ? null : new Float64Array(loss.d);
    colMajorCache.set(loss, (c = transposeDesign(D, residentScratch(loss.n * loss.d), sq)));
  }
  return c;
}

/**
 * ‖x̃_j‖² (length d, a new array) of a shared design, made with its {@link sharedColumns} copy when that
 * copy is still to be made (in the same pass over X on the kernel path), else from the design's cache.
 * @param loss - a shared-design loss
 * @returns the squared column norms
 * @example
 * ```ts
 * const X = sharedColumns(loss), sq = sharedColumnSquares(loss); // sq[j] = ‖X[j·n …]‖², one pass over the design
 * ```
 * @see {@link sharedColumns}, {@link transposeDesign}, {@link SharedDesign.columnSquares}
 */
export function sharedColumnSquares(loss: QuadraticLoss): Float64Array {
  sharedColumns(loss);
  const sq = new Float64Array(loss.d);
  loss.design!.columnSquares(sq);
  return sq;
}

/** Ỹᵀ (T×n, task-major) of a shared design, resident like {@link sharedColumns}. */
export function taskMajor(Y: Float64Array, n: number, T: number): Float64Array {
  const out = residentScratch(n * T);
  // on the heap first when the copy is resident (JavaScript stores there run slower), then one memcpy
  if (isWasmResident(out)) out.set(transposeInto(Y, n, T, new Float64Array(n * T)));
  else transposeInto(Y, n, T, out);
  return out;
}

/** κ = min_t 1/(2 s_t). */
export function kappaOf(loss: QuadraticLoss): number {
  let smax = 0;
  for (let t = 0; t < loss.T; t++) smax = Math.max(smax, loss.scales[t]!);
  return 1 / (2 * smax);
}

/** L_jt = 2 s_t ‖x̃_tj‖² and max_t ‖x̃_tj‖ from the squared column norms sq(j, t). */
export function lipschitzFrom(loss: QuadraticLoss, sq: (j: number, t: number) => number): { L: Float64Array; cmax: Float64Array } {
  const { d, T } = loss;
  const L = new Float64Array(d * T), cmax = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      const s = sq(j, t);
      L[j * T + t] = 2 * loss.scales[t]! * s;
      if (s > cmax[j]! ** 2) cmax[j] = Math.sqrt(s);
    }
  }
  return { L, cmax };
}

/**
 * R += Σ_a α_a x_{c_a}ᵀ for a = 0 .. p−1 in that order, in JavaScript: the twin of the kernels'
 * `axpy_rows_cols` (R task-major T×n, X feature-major with column c at X[c·n ..), α_a = α[a·T ..)), each
 * entry r + α_at·x rounded as by `axpy_rows` (zero α_at skipped), so the same bits.
 * @param p - columns
 * @param T - tasks
 * @param n - rows of the design
 * @param cols - the column indices c_a
 * @param alpha - p×T coefficients
 * @param X - the feature-major design
 * @param R - T×n task-major residuals, updated in place
 * @returns nothing
 * @example
 * ```ts
 * axpyRowsColsJs(1, T, n, Int32Array.of(j), minusDelta, Xc, R); // R −= δ x_jᵀ, as updateRow
 * ```
 * @see {@link sharedColumns}
 */
export function axpyRowsColsJs(p: number, T: number, n: number, cols: Int32Array, alpha: Float64Array, X: Float64Array, R: Float64Array): void {
  for (let a = 0; a < p; a++) {
    const xo = cols[a]! * n;
    // r_t += α_at x_c
    for (let t = 0; t < T; t++) {
      const al = alpha[a * T + t]!, ro = t * n;
      if (al !== 0) for (let i = 0; i < n; i++) R[ro + i] = R[ro + i]! + al * X[xo + i]!;
    }
  }
}
