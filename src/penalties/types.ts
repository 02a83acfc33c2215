/**
 * The interface every row-wise group norm implements. A group-lasso penalty is
 * Ω(W) = λ Σ_j ‖w^j‖_q over the rows w^j ∈ ℝ^T of the d×T weight matrix.
 *
 * @packageDocumentation
 */

/**
 * A norm on ℝ^n applied to one row of W, with its exact proximal operator and dual norm
 * (skglm-style: value, prox, dual norm). Instances own their work buffers, so a `RowNorm` is not
 * re-entrant: use one instance per solver.
 *
 * Vectors are passed as (buffer, offset, length) so solvers can work on rows of W in place.
 */
export interface RowNorm {
  /** The exponent q ∈ [1, ∞] of the norm ‖·‖_q. */
  readonly q: number;
  /** The dual exponent q* with 1/q + 1/q* = 1 (∞ for q = 1, 1 for q = ∞). */
  readonly qStar: number;
  /** ‖x[off .. off+n)‖_q. */
  norm(x: Float64Array, off: number, n: number): number;
  /** The dual norm ‖x[off .. off+n)‖_{q*}. */
  dualNorm(x: Float64Array, off: number, n: number): number;
  /**
   * out[oo .. oo+n) = prox_{τ‖·‖_q}(v[vo .. vo+n)) = argmin_z ½‖z − v‖₂² + τ‖z‖_q, τ ≥ 0.
   * `out` may be the same buffer as `v` with the same offset (in-place).
   */
  prox(v: Float64Array, vo: number, n: number, tau: number, out: Float64Array, oo: number): void;
  /**
   * out[oo .. oo+n) = the Euclidean projection of v[vo .. vo+n) onto the dual-norm ball
   * {z : ‖z‖_{q*} ≤ r}, r ≥ 0. In-place allowed. (Moreau: prox_{τ‖·‖}(v) = v − Proj_{τB*}(v).)
   */
  projectDualBall(v: Float64Array, vo: number, n: number, r: number, out: Float64Array, oo: number): void;
}
