/**
 * The loops over a centred or row-subset shared design that {@link SharedDesign} runs where the kernels
 * do not (moved out of sharedDesign.ts to keep it under 400 lines): its transpose, its row-major copy and
 * its squared column norms.
 *
 * @packageDocumentation
 */
import { allocF64 } from '../linalg/wasm/matrix.js';

/**
 * out[j·n + i] = X[row_i, j] − x̄_j (X̃ᵀ, d×n row-major), row_i = rows[i] or i, in 32×32 tiles.
 * @param n - rows of the design
 * @param d - columns
 * @param X - the stored design (row-major, d columns)
 * @param rows - row i of the design is row rows[i] of X, or null
 * @param mu - column means to subtract, or null
 * @param out - length n·d output (overwritten)
 * @returns out
 * @example
 * ```ts
 * centredTransposeInto(n, d, X, null, means, out);
 * ```
 * @see SharedDesign.transposeInto
 */
export function centredTransposeInto(
  n: number, d: number, X: Float64Array, rows: Int32Array | null, mu: Float64Array | null, out: Float64Array,
): Float64Array {
  const m = mu ?? new Float64Array(d);
  // out[j, i] = X[rows[i], j] − x̄_j, in 32×32 tiles (as linalg/mat transposeInto, centring on the way)
  const B = 32;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = 0; j0 < d; j0 += B) {
      const j1 = Math.min(d, j0 + B);
      for (let i = i0; i < i1; i++) {
        const o = (rows === null ? i : rows[i]!) * d;
        for (let j = j0; j < j1; j++) out[j * n + i] = X[o + j]! - m[j]!;
      }
    }
  }
  return out;
}

/**
 * X̃ as a new n×d row-major array in the kernels' memory: C[i, :] = X[row_i, :] − x̄ᵀ.
 * @param n - rows of the design
 * @param d - columns
 * @param X - the stored design (row-major, d columns)
 * @param rows - row i of the design is row rows[i] of X, or null
 * @param mu - column means to subtract, or null
 * @returns the copy
 * @example
 * ```ts
 * const Xc = centredCopy(n, d, X, null, means);
 * ```
 * @see SharedDesign.materialise
 */
export function centredCopy(n: number, d: number, X: Float64Array, rows: Int32Array | null, mu: Float64Array | null): Float64Array {
  const C = allocF64(n * d);
  const m = mu ?? new Float64Array(d);
  // C[i, :] = X[rows[i], :] − x̄ᵀ
  for (let i = 0; i < n; i++) {
    const o = (rows === null ? i : rows[i]!) * d;
    for (let j = 0; j < d; j++) C[i * d + j] = X[o + j]! - m[j]!;
  }
  return C;
}

/**
 * out_j += Σ_i (X[row_i, j] − x̄_j)², rows in order, read in place (no block copy): each out_j one ascending
 * chain over the rows, as the kernels' `col_sq`.
 * @param n - rows of the design
 * @param d - columns
 * @param X - the stored design (row-major, d columns)
 * @param rows - row i of the design is row rows[i] of X, or null
 * @param mu - column means to subtract, or null
 * @param out - length d accumulators (zero them first for the norms)
 * @returns nothing
 * @example
 * ```ts
 * out.fill(0); centredColumnSquares(n, d, X, null, means, out);
 * ```
 * @see SharedDesign.columnSquares
 */
export function centredColumnSquares(n: number, d: number, X: Float64Array, rows: Int32Array | null, mu: Float64Array | null, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const o = (rows === null ? i : rows[i]!) * d;
    if (mu === null) for (let j = 0; j < d; j++) { const v = X[o + j]!; out[j]! += v * v; }
    else for (let j = 0; j < d; j++) { const v = X[o + j]! - mu[j]!; out[j]! += v * v; }
  }
}
