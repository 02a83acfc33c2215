/**
 * The general row norm Σ_j ‖w^j‖_q for 1 < q < ∞, the L1/Lq group lasso of Liu & Ye (2010).
 *
 * @packageDocumentation
 */
import { lpNorm, projectLpBall, projectLpBallComplement } from './projections.js';
import type { RowNorm } from './types.js';

/**
 * The ℓq norm ‖x‖_q = (Σ_i |x_i|^q)^{1/q}, 1 < q < ∞, as a {@link RowNorm}. The dual norm is ‖·‖_{q*}
 * with q* = q/(q − 1); the prox is computed through the Moreau identity
 * prox_{τ‖·‖_q}(v) = v − Proj_{τ B_{q*}}(v) and the exact (to 1e-14 relative) ℓ_{q*}-ball projection
 * {@link projectLpBall}. Norms are computed with scaling by max|x_i| (no overflow). The projection needs
 * no work buffer, so `maxLength` is only validated; prox and projection do not allocate.
 *
 * This class accepts any q in (1, ∞), including q = 2 (useful to check it against {@link L2Norm});
 * {@link rowNorm} picks the specialised classes for q = 1, 2, ∞.
 *
 * @example
 * ```ts
 * const nrm = new LqNorm(3, 4);
 * const z = new Float64Array(2);
 * nrm.prox(new Float64Array([2, 2]), 0, 2, 1, z, 0); // z = (2 − 2^{1/3−1})·[1, 1]
 * ```
 * @see {@link rowNorm}
 * @see {@link projectLpBall}
 * @see J. Liu, J. Ye (2010), "Efficient L1/Lq norm regularization", arXiv:1009.4766
 */
export class LqNorm implements RowNorm {
  /** The exponent q ∈ (1, ∞). */
  readonly q: number;
  /** The dual exponent q* = q/(q − 1). */
  readonly qStar: number;
  /** The largest row length this instance was created for. */
  readonly maxLength: number;

  /**
   * @param q - exponent, 1 < q < ∞
   * @param maxLength - the largest row length n (kept for symmetry with the other norms; no buffer is needed)
   * @throws RangeError if q is not in (1, ∞) or maxLength is not a non-negative integer
   */
  constructor(q: number, maxLength: number) {
    if (!(q > 1 && q < Infinity)) throw new RangeError(`q: expected a number in (1, ∞), got ${q}`);
    if (!(Number.isInteger(maxLength) && maxLength >= 0)) {
      throw new RangeError(`maxLength: expected a non-negative integer, got ${maxLength}`);
    }
    this.q = q;
    // 1/q + 1/q* = 1
    this.qStar = q / (q - 1);
    this.maxLength = maxLength;
  }

  /**
   * ‖x[off .. off+n)‖_q, computed with scaling.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns (Σ_i |x_i|^q)^{1/q}
   */
  norm(x: Float64Array, off: number, n: number): number {
    return lpNorm(x, off, n, this.q);
  }

  /**
   * The dual norm ‖x[off .. off+n)‖_{q*}, computed with scaling.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns (Σ_i |x_i|^{q*})^{1/q*}
   */
  dualNorm(x: Float64Array, off: number, n: number): number {
    return lpNorm(x, off, n, this.qStar);
  }

  /**
   * prox_{τ‖·‖_q}(v) = v − Proj_{τ B_{q*}}(v). In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries
   * @param tau - τ ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   */
  prox(v: Float64Array, vo: number, n: number, tau: number, out: Float64Array, oo: number): void {
    projectLpBallComplement(v, vo, n, this.qStar, tau, out, oo);
  }

  /**
   * Projection onto the ℓ_{q*} ball of radius r. In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries
   * @param r - radius r ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   */
  projectDualBall(v: Float64Array, vo: number, n: number, r: number, out: Float64Array, oo: number): void {
    projectLpBall(v, vo, n, this.qStar, r, out, oo);
  }
}
