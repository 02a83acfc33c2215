/**
 * The datafit interfaces of the solver core (see `docs/architecture.md` in the project's shared docs).
 *
 * A {@link Datafit} is the smooth part f(W) of a composite objective f(W) + h(W), evaluated through an
 * *affine state* s = A(W): residuals R = Y − XW (residual backend) or G_t w_t per task (Gram backend).
 * Because the state is affine, FISTA's extrapolated state is the extrapolation of the states, and a
 * solver needs one forward and one backward pass per iteration. A {@link RowwiseDatafit} is what
 * block coordinate descent needs: per-coordinate Lipschitz constants, the negative gradient of one
 * row, and the state update after one row changes.
 *
 * @packageDocumentation
 */

/**
 * The terms of the Fenchel dual of a quadratic datafit at the dual point U = −∇f(W) (for the squared
 * loss U = 2s⊙R, column t scaled by 2s_t): the dual objective at the rescaled point αU is
 * D(α) = α·`innerY` − α²·`quad` − h*(α·Xᵀ U), with h* the penalty's conjugate.
 */
export interface DualTerms {
  /** f(W). */
  readonly value: number;
  /** ⟨U, Ỹ⟩ = Σ_t 2 s_t ⟨r_t, ỹ_t⟩ (the linear term of the dual). */
  readonly innerY: number;
  /** Σ_t ‖u_t‖²/(4 s_t) (the quadratic term of the dual; equals f(W) for the squared loss). */
  readonly quad: number;
}

/**
 * The smooth part f(W) of an objective over W ∈ ℝ^{d×T} (row-major Float64Array of length d·T),
 * evaluated through an affine state. Implementations own work buffers and are not re-entrant: one
 * instance per solver.
 *
 * @example
 * ```ts
 * const f = quadraticDatafit(new QuadraticLoss(data), 'auto');
 * const s = new Float64Array(f.stateSize);
 * f.computeState(W, s);
 * const value = f.value(W, s);
 * ```
 * @see {@link RowwiseDatafit}, {@link quadraticDatafit}
 */
export interface Datafit {
  /** Number of features d (rows of W). */
  readonly d: number;
  /** Number of tasks T (columns of W). */
  readonly T: number;
  /** d·T, the number of variables (so a Datafit is a FISTA `SmoothFunction`). */
  readonly dim: number;
  /** Length of the state vector. */
  readonly stateSize: number;
  /** state ← A(W), affine in W. */
  computeState(W: Float64Array, state: Float64Array): void;
  /** f(W) from W and its state. */
  value(W: Float64Array, state: Float64Array): number;
  /** out ← ∇f(W) (d×T). */
  gradient(W: Float64Array, state: Float64Array, out: Float64Array): void;
  /** An upper bound (estimate; solvers backtrack) of the Lipschitz constant of ∇f. */
  lipschitz(): number;
  /** negGrad ← −∇f(W); returns the terms of the dual objective (see {@link DualTerms}). */
  dualTerms(W: Float64Array, state: Float64Array, negGrad: Float64Array): DualTerms;
  /** f(0) (with optimal intercepts): the scale of relative tolerances. */
  valueAtZero(): number;
  /** The optimal unpenalised intercepts for W (length T; zeros without intercepts). */
  intercepts(W: Float64Array): Float64Array;
}

/**
 * What block coordinate descent over the rows of W needs of a datafit. The row-wise methods work on an
 * *internal* state (residuals, or XᵀY − XᵀXW on the working set), kept in step by `updateRow`. The
 * squared loss implements it in `solvers/bcdDatafit.ts` (`createBcdDatafit`, residual and Gram forms).
 *
 * Per-coordinate Lipschitz constants L_jt = 2 s_t ‖x̃_tj‖² are exposed because a row step must not use
 * max_t L_jt for every task when column scales differ between tasks (issue #11).
 *
 * @example
 * ```ts
 * const f: RowwiseDatafit = createBcdDatafit(loss, 'auto');
 * f.reset(W);
 * f.rowNegGradient(j, v);        // v_t = −∂f/∂W_jt
 * f.updateRow(j, delta, ws, k);  // W[j, :] += delta
 * ```
 * @see {@link Datafit}
 */
export interface RowwiseDatafit {
  /** Number of features d. */
  readonly d: number;
  /** Number of tasks T. */
  readonly T: number;
  /** Which internal representation is kept. */
  readonly kind: 'residual' | 'gram';
  /** (Re)computes the internal state from W (all rows). */
  reset(W: Float64Array): void;
  /** Makes rows ws[0..k) ready for `rowNegGradient` / `updateRow` (e.g. their Gram columns). */
  prepare(ws: Int32Array, k: number): void;
  /** out[t] = −∂f/∂W_jt at the internal state (row j of −∇f). */
  rowNegGradient(j: number, out: Float64Array): void;
  /** Applies W[j, :] += delta to the internal state (keeping rows ws[0..k) exact for the Gram form). */
  updateRow(j: number, delta: Float64Array, ws: Int32Array, k: number): void;
  /** V ← −∇f(W) for all rows from the internal state (which must be that of W). */
  fullNegGradient(W: Float64Array, V: Float64Array): void;
  /** f(W) and the linear dual term ⟨2s⊙R, Ỹ⟩ at the internal state, written into `out`. */
  internalDualTerms(W: Float64Array, out: { value: number; innerY: number }): void;
  /** Per-coordinate Lipschitz constants L_jt = 2 s_t ‖x̃_tj‖² (d×T row-major). */
  coordinateLipschitz(): Float64Array;
  /** Upper bounds of max_t ‖x̃_tj‖ (length d), for gap-safe screening. */
  columnNormMax(): Float64Array;
}
