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

/**
 * A penalty h(W) over a vector of variables (W row-major, or a stack of blocks) with its proximal
 * operator. Implementations own their work buffers (not re-entrant: one instance per solver).
 *
 * @example
 * ```ts
 * const h: Penalty = new L1Penalty(0.1);
 * h.prox(V, 1 / L, out); // out = argmin_Z ½‖Z − V‖² + (1/L)·h(Z)
 * ```
 * @see {@link NormPenalty}, {@link RowPenalty}
 */
export interface Penalty {
  /** h(W) (Infinity outside the domain of a constraint). */
  value(W: Float64Array): number;
  /**
   * out ← prox_{step·h}(V) = argmin_Z ½‖Z − V‖² + step·h(Z), step ≥ 0. `out` may alias `V` unless the
   * implementation says otherwise.
   */
  prox(V: Float64Array, step: number, out: Float64Array): void;
  /** The Fenchel conjugate h*(V), when known in closed form (used by duality gaps with smooth terms). */
  conjugate?(V: Float64Array): number;
}

/**
 * A penalty that is a weighted norm, h(W) = λ·Ω(W): what a duality gap and λ_max need. The dual point
 * αU is feasible when α·Ω*(XᵀU) ≤ λ, and λ_max = Ω*(∇f(0)).
 *
 * @example
 * ```ts
 * const h = new TraceNormPenalty(0.5);
 * h.dualNorm(G); // spectral norm σ_max(G)
 * ```
 * @see {@link dualityGap}, {@link lambdaMax}
 */
export interface NormPenalty extends Penalty {
  /** λ ≥ 0, the weight of the norm. */
  readonly weight: number;
  /** Ω(W), the unweighted norm. */
  norm(W: Float64Array): number;
  /** Ω*(G), the dual norm of the unweighted norm. */
  dualNorm(G: Float64Array): number;
}

/**
 * A penalty separable over the rows of W (d×T), h(W) = Σ_j h_j(w^j): what block coordinate descent
 * needs. A trace norm is not one, so the compiler refuses it where a `RowPenalty` is required.
 *
 * @example
 * ```ts
 * const h = new GroupNormPenalty(0.1, 2, T);
 * h.proxRow(v, 1 / Lj, j, out); // out = prox of the row penalty h_j
 * ```
 * @see {@link Penalty}
 */
export interface RowPenalty extends Penalty {
  /** T, the length of a row. */
  readonly rowLength: number;
  /**
   * False for a non-convex penalty (block MCP, SCAD): solvers then use only steps that are exact for
   * it (a row prox with one step size) and report stationarity, not optimality. @default true
   */
  readonly convex?: boolean;
  /** h_j(w) for the row w (length T). */
  rowValue(w: Float64Array, j: number): number;
  /** out ← prox_{step·h_j}(v), v and out of length T (may alias). */
  proxRow(v: Float64Array, step: number, j: number, out: Float64Array): void;
  /**
   * dist(negGrad_j, ∂h_j(w^j)): the distance of row j of −∇f to the subdifferential of h_j at row j
   * of W (0 at a stationary point; for non-convex penalties, the Fréchet subdifferential).
   * @param W - the full d×T weights
   * @param j - the row
   * @param negGrad - row j of −∇f (length T)
   */
  subdiffDistance(W: Float64Array, j: number, negGrad: Float64Array): number;
}

/**
 * A smooth (differentiable, convex quadratic) penalty: a gradient and its Lipschitz constant, plus its
 * closed-form prox, so a solver may treat it either as part of the smooth term or proximally.
 *
 * @example
 * ```ts
 * const r = new RidgePenalty(0.5);
 * r.gradient(W, G); // G = 2ρW
 * ```
 * @see {@link Penalty}
 */
export interface SmoothPenalty extends Penalty {
  /** out ← ∇h(W). */
  gradient(W: Float64Array, out: Float64Array): void;
  /** The Lipschitz constant of ∇h. */
  lipschitz(): number;
}
