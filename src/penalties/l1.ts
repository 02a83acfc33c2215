/**
 * The q = 1 row norm: Σ_j ‖w^j‖₁ = Σ_{j,t} |W_jt|, the independent (single-task) lasso baseline.
 *
 * @packageDocumentation
 */
import type { RowNorm } from './types.js';

/**
 * The ℓ1 norm ‖x‖₁ = Σ_i |x_i| as a {@link RowNorm}: prox is entrywise soft-thresholding, the dual norm
 * is ‖·‖_∞ and the projection onto the dual ball is clipping to [−r, r]. Needs no work buffer.
 *
 * @example
 * ```ts
 * const nrm = new L1Norm();
 * const z = new Float64Array(3);
 * nrm.prox(new Float64Array([3, -0.5, -2]), 0, 3, 1, z, 0); // z = [2, 0, -1]
 * ```
 * @see {@link rowNorm} (the factory that picks the implementation for a given q)
 * @see R. Tibshirani (1996), "Regression shrinkage and selection via the lasso"; the group-lasso family
 *   of Liu & Ye (2010), "Efficient L1/Lq norm regularization", at q = 1
 */
export class L1Norm implements RowNorm {
  /** q = 1. */
  readonly q = 1;
  /** q* = ∞. */
  readonly qStar = Infinity;

  /**
   * ‖x[off .. off+n)‖₁.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns Σ_i |x_i|
   */
  norm(x: Float64Array, off: number, n: number): number {
    // Σ_i |x_i|
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[off + i]!);
    return s;
  }

  /**
   * The dual norm ‖x[off .. off+n)‖_∞.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns max_i |x_i|
   */
  dualNorm(x: Float64Array, off: number, n: number): number {
    // max_i |x_i|
    let m = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(x[off + i]!);
      if (a > m) m = a;
    }
    return m;
  }

  /**
   * Entrywise soft-thresholding out_i = sign(v_i) · max(|v_i| − τ, 0). In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries
   * @param tau - threshold τ ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   */
  prox(v: Float64Array, vo: number, n: number, tau: number, out: Float64Array, oo: number): void {
    // z_i = sign(v_i) · max(|v_i| − τ, 0)
    for (let i = 0; i < n; i++) {
      const x = v[vo + i]!;
      out[oo + i] = x > tau ? x - tau : x < -tau ? x + tau : 0;
    }
  }

  /**
   * Projection onto the ℓ∞ ball of radius r: clipping out_i = min(max(v_i, −r), r). In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries
   * @param r - radius r ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   */
  projectDualBall(v: Float64Array, vo: number, n: number, r: number, out: Float64Array, oo: number): void {
    // x_i = min(max(v_i, −r), r)
    for (let i = 0; i < n; i++) {
      const x = v[vo + i]!;
      out[oo + i] = x > r ? r : x < -r ? -r : x;
    }
  }
}
