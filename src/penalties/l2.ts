/**
 * The q = 2 row norm: Σ_j ‖w^j‖₂, the L1/L2 group lasso (joint feature selection).
 *
 * @packageDocumentation
 */
import { lpNorm } from './projections.js';
import type { RowNorm } from './types.js';

/**
 * The Euclidean norm ‖x‖₂ as a {@link RowNorm}: prox is block soft-thresholding
 * z = max(1 − τ/‖v‖₂, 0) · v, the norm is self-dual, and the projection onto the dual ball is radial
 * scaling. Norms are computed with scaling (no overflow). Needs no work buffer.
 *
 * @example
 * ```ts
 * const nrm = new L2Norm();
 * const z = new Float64Array(2);
 * nrm.prox(new Float64Array([3, 4]), 0, 2, 1, z, 0); // z = [2.4, 3.2]
 * ```
 * @see {@link rowNorm}
 * @see G. Obozinski, M. Wainwright, M. Jordan (2010), "Support union recovery in high-dimensional
 *   multivariate regression"; A. Argyriou, T. Evgeniou, M. Pontil (2008), "Convex multi-task feature
 *   learning"; Liu & Ye (2010), "Efficient L1/Lq norm regularization", at q = 2
 */
export class L2Norm implements RowNorm {
  /** q = 2. */
  readonly q = 2;
  /** q* = 2. */
  readonly qStar = 2;

  /**
   * ‖x[off .. off+n)‖₂, computed with scaling.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns sqrt(Σ_i x_i²)
   */
  norm(x: Float64Array, off: number, n: number): number {
    return lpNorm(x, off, n, 2);
  }

  /**
   * The dual norm, again ‖x[off .. off+n)‖₂.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns sqrt(Σ_i x_i²)
   */
  dualNorm(x: Float64Array, off: number, n: number): number {
    return lpNorm(x, off, n, 2);
  }

  /**
   * Block soft-thresholding out = max(1 − τ/‖v‖₂, 0) · v. In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries
   * @param tau - threshold τ ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   */
  prox(v: Float64Array, vo: number, n: number, tau: number, out: Float64Array, oo: number): void {
    const nv = lpNorm(v, vo, n, 2);
    // z = (1 − τ/‖v‖₂)₊ · v
    if (!(nv > tau)) {
      for (let i = 0; i < n; i++) out[oo + i] = 0;
      return;
    }
    const c = 1 - tau / nv;
    for (let i = 0; i < n; i++) out[oo + i] = c * v[vo + i]!;
  }

  /**
   * Projection onto the ℓ2 ball of radius r: out = v · min(1, r/‖v‖₂). In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries
   * @param r - radius r ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   */
  projectDualBall(v: Float64Array, vo: number, n: number, r: number, out: Float64Array, oo: number): void {
    const nv = lpNorm(v, vo, n, 2);
    // x = v · min(1, r/‖v‖₂)
    const c = nv > r ? r / nv : 1;
    for (let i = 0; i < n; i++) out[oo + i] = c * v[vo + i]!;
  }
}
