/**
 * The matrix norms the decomposition models' evaluators ({@link decompositionObjective}) compute from
 * first principles: the sum of the row ℓq norms, the sum of the column ℓ2 norms and the elementwise ℓ1
 * norm of a d×T matrix (row-major). The trace norm is `nuclearNorm` in `solvers/spectralTools.ts`.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';

/**
 * Σ_j ‖m^j‖_q, the sum of the row ℓq norms of a d×T matrix (row-major).
 * @param m - the matrix
 * @param q - the row norm, q ∈ [1, ∞]
 * @returns the sum of its row norms
 * @example
 * ```ts
 * rowNormSum({ rows: 1, cols: 2, data: new Float64Array([3, -4]) }, 2); // 5
 * ```
 * @see {@link columnNormSum}
 */
export function rowNormSum(m: Mat, q: number): number {
  let rows = 0;
  for (let j = 0; j < m.rows; j++) {
    // ‖m^j‖_q = (Σ_t |m_jt|^q)^{1/q}, max_t |m_jt| for q = ∞
    let s = 0;
    for (let t = 0; t < m.cols; t++) {
      const a = Math.abs(m.data[j * m.cols + t]!);
      s = q === Infinity ? Math.max(s, a) : s + a ** q;
    }
    rows += q === Infinity ? s : s ** (1 / q);
  }
  return rows;
}

/**
 * Σ_t ‖m_t‖₂, the sum of the column norms of a d×T matrix (row-major).
 * @param m - the matrix
 * @returns the sum of its column norms
 * @example
 * ```ts
 * columnNormSum({ rows: 2, cols: 1, data: new Float64Array([3, 4]) }); // 5
 * ```
 * @see {@link rowNormSum}
 */
export function columnNormSum(m: Mat): number {
  let cols = 0;
  for (let t = 0; t < m.cols; t++) {
    let s = 0;
    for (let j = 0; j < m.rows; j++) s += m.data[j * m.cols + t]! ** 2; // ‖m_t‖²
    cols += Math.sqrt(s);
  }
  return cols;
}

/**
 * Σ |m_i|, the elementwise ℓ1 norm.
 * @param m - the matrix
 * @returns ‖m‖₁
 * @example
 * ```ts
 * l1Norm({ rows: 1, cols: 2, data: new Float64Array([1, -2]) }); // 3
 * ```
 * @see {@link rowNormSum}
 */
export function l1Norm(m: Mat): number {
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += Math.abs(m.data[i]!);
  return s;
}
