/**
 * The q = ∞ row norm: Σ_j ‖w^j‖_∞, the L1/L∞ group lasso.
 *
 * @packageDocumentation
 */
import { l1BallThreshold, projectL1Ball } from './projections.js';
import type { RowNorm } from './types.js';

/**
 * The max norm ‖x‖_∞ as a {@link RowNorm}. Its dual is ‖·‖₁, and by the Moreau identity
 * prox_{τ‖·‖_∞}(v) = v − Proj_{τB₁}(v) = sign(v) · min(|v|, θ), with θ the threshold of the exact
 * ℓ1-ball projection (Duchi et al. 2008). The instance owns a work buffer of length `maxLength`
 * (allocated once), so prox and projection do not allocate; it is not re-entrant.
 *
 * @example
 * ```ts
 * const nrm = new LinfNorm(3);
 * const z = new Float64Array(3);
 * nrm.prox(new Float64Array([3, -1, 0.5]), 0, 3, 2, z, 0); // z = [1, -1, 0.5]
 * ```
 * @see {@link rowNorm}
 * @see {@link projectL1Ball}
 * @see B. Turlach, W. Venables, S. Wright (2005), "Simultaneous variable selection", Technometrics;
 *   A. Quattoni, X. Carreras, M. Collins, T. Darrell (2009), "An efficient projection for l1,∞
 *   regularization", ICML; Duchi, Shalev-Shwartz, Singer & Chandra (2008), "Efficient projections onto
 *   the ℓ1-ball for learning in high dimensions", ICML
 */
export class LinfNorm implements RowNorm {
  /** q = ∞. */
  readonly q = Infinity;
  /** q* = 1. */
  readonly qStar = 1;
  private readonly work: Float64Array;

  /**
   * @param maxLength - the largest row length n this instance will be called with (work buffer size)
   * @throws RangeError if maxLength is not a non-negative integer
   */
  constructor(maxLength: number) {
    if (!(Number.isInteger(maxLength) && maxLength >= 0)) {
      throw new RangeError(`maxLength: expected a non-negative integer, got ${maxLength}`);
    }
    this.work = new Float64Array(maxLength);
  }

  /**
   * ‖x[off .. off+n)‖_∞.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns max_i |x_i|
   */
  norm(x: Float64Array, off: number, n: number): number {
    // max_i |x_i|
    let m = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(x[off + i]!);
      if (a > m) m = a;
    }
    return m;
  }

  /**
   * The dual norm ‖x[off .. off+n)‖₁.
   * @param x - vector
   * @param off - offset into x
   * @param n - number of entries
   * @returns Σ_i |x_i|
   */
  dualNorm(x: Float64Array, off: number, n: number): number {
    // Σ_i |x_i|
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[off + i]!);
    return s;
  }

  /**
   * prox_{τ‖·‖_∞}(v) = v − Proj_{τB₁}(v), i.e. out_i = sign(v_i) · min(|v_i|, θ) with θ the ℓ1-ball
   * threshold (out = 0 when ‖v‖₁ ≤ τ). In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries (≤ maxLength)
   * @param tau - τ ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   * @throws RangeError if n exceeds maxLength
   */
  prox(v: Float64Array, vo: number, n: number, tau: number, out: Float64Array, oo: number): void {
    if (n > this.work.length) throw new RangeError(`n: expected at most maxLength = ${this.work.length}, got ${n}`);
    const theta = l1BallThreshold(v, vo, n, tau, this.work);
    if (theta === 0) {
      // ‖v‖₁ ≤ τ: the projection is v itself and the prox is 0
      for (let i = 0; i < n; i++) out[oo + i] = 0;
      return;
    }
    // z_i = v_i − sign(v_i) · max(|v_i| − θ, 0) = sign(v_i) · min(|v_i|, θ)
    for (let i = 0; i < n; i++) {
      const x = v[vo + i]!;
      out[oo + i] = x > theta ? theta : x < -theta ? -theta : x;
    }
  }

  /**
   * Exact projection onto the ℓ1 ball of radius r (Duchi et al. 2008). In-place allowed.
   * @param v - input vector
   * @param vo - offset into v
   * @param n - number of entries (≤ maxLength)
   * @param r - radius r ≥ 0
   * @param out - output vector
   * @param oo - offset into out
   * @throws RangeError if n exceeds maxLength
   */
  projectDualBall(v: Float64Array, vo: number, n: number, r: number, out: Float64Array, oo: number): void {
    if (n > this.work.length) throw new RangeError(`n: expected at most maxLength = ${this.work.length}, got ${n}`);
    projectL1Ball(v, vo, n, r, out, oo, this.work);
  }
}
