/**
 * Core types shared by every part of mtlearn.
 *
 * Layout convention: every {@link Mat} is **row-major**: entry (i, j) is `data[i * cols + j]`.
 * The weight matrix W of a multi-task model is a d×T `Mat`: row j holds feature j's weights for the
 * T tasks (contiguous), column t is task t's weight vector.
 *
 * @packageDocumentation
 */

/**
 * A dense real matrix in row-major layout: entry (i, j) is `data[i * cols + j]`.
 *
 * @example
 * ```ts
 * const A: Mat = { rows: 2, cols: 3, data: new Float64Array([1, 2, 3, 4, 5, 6]) };
 * // A = [[1, 2, 3], [4, 5, 6]]; A(1, 2) = A.data[1 * 3 + 2] = 6
 * ```
 * @see {@link toMat}, {@link toArray}, {@link toMatrix}
 */
export interface Mat {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The `rows * cols` entries, row by row. */
  readonly data: Float64Array;
}

/**
 * Anything mtlearn accepts as a matrix: a `number[][]` (array of rows), an ml-matrix `Matrix`
 * (anything with `rows`, `columns` and `get(i, j)`), or a {@link Mat}. Inputs are always copied;
 * the caller's arrays are never modified.
 */
export type MatLike =
  | readonly (readonly number[])[]
  | Mat
  | { readonly rows: number; readonly columns: number; get(i: number, j: number): number };

/** Anything mtlearn accepts as a vector: a `number[]` or a `Float64Array` (copied). */
export type VecLike = readonly number[] | Float64Array;

/**
 * How the squared loss of each task is scaled (see `docs/objectives.md`, "Loss and its scaling"):
 * L(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² with
 * - `'sum'`: s_t = 1/2 (MALSAR's `Least_*` functions),
 * - `'mean'`: s_t = 1/(2 n_t) (scikit-learn, glmnet, celer, skglm, RMTL),
 * - `'task-mean'`: s_t = 1/(T n_t) (the empirical risk (1/T) Σ_t (1/n_t) Σ_i (y − xᵀw)²).
 */
export type LossScale = 'sum' | 'mean' | 'task-mean';

/** One entry of a fit's convergence history. */
export interface HistoryEntry {
  /** Iteration (proximal gradient) or epoch (coordinate descent) at which this entry was recorded. */
  readonly iteration: number;
  /** Objective value at that point. */
  readonly objective: number;
  /** Certificate at that point (duality gap or fixed-point residual); `NaN` when not computed. */
  readonly certificate: number;
  /** Seconds since the start of the fit. */
  readonly time: number;
}

/**
 * How a fit ended:
 * - `'converged'`: a finite certificate met a finite tolerance (the only case with `converged: true`);
 * - `'max-iterations'`: the iteration budget (backtracking steps included) ran out first;
 * - `'non-finite'`: an objective, gradient or certificate was NaN or ±∞ — the fit stopped at once and
 *   returns its last finite iterate;
 * - `'stalled'`: the method could make no further progress (e.g. a line search found no decrease)
 *   while the certificate was still above the tolerance.
 */
export type FitStatus = 'converged' | 'max-iterations' | 'non-finite' | 'stalled';

/**
 * What a progress callback receives: called at every certificate check of a long synchronous fit
 * (the CLI draws a progress bar from it). The library itself never prints.
 */
export interface ProgressInfo {
  /** Iterations (or epochs) done so far. */
  readonly iteration: number;
  /** The iteration budget. */
  readonly maxIter: number;
  /** The current objective value. */
  readonly objective: number;
  /** The current certificate. */
  readonly certificate: number;
  /** The (absolute) tolerance the certificate must reach. */
  readonly tol: number;
}

/** A progress callback (see {@link ProgressInfo}); its return value is ignored. */
export type ProgressCallback = (info: ProgressInfo) => void;

/**
 * What every fit returns (see the spec, "What every fit returns"). Models add their own fields.
 *
 * The convergence rule: `converged` is true exactly when `status === 'converged'`, i.e. when a finite
 * certificate is ≤ a finite tolerance ({@link certified}). A non-finite objective, gradient or
 * certificate ends a fit at once with `status: 'non-finite'` and `converged: false`.
 */
export interface FitResultBase<O> {
  /** Task weights, d×T, row-major (row j = feature j across tasks). */
  readonly W: Mat;
  /** Per-task intercepts b (length T); all zero when `fitIntercept` is false. */
  readonly intercepts: Float64Array;
  /** The model's objective at (W, intercepts), computed by the model's exported evaluator. */
  readonly objective: number;
  /**
   * The certificate of optimality: the duality gap where the model has a closed-form dual, else the
   * fixed-point residual ‖W − prox(W − ∇/L)‖·L. Absolute (not relative).
   */
  readonly certificate: number;
  /** Which certificate {@link FitResultBase.certificate} holds. */
  readonly certificateKind: 'duality-gap' | 'fixed-point-residual';
  /** Iterations (or epochs) performed. */
  readonly iterations: number;
  /** Whether a finite certificate met the finite tolerance (see {@link certified}). */
  readonly converged: boolean;
  /** How the fit ended (see {@link FitStatus}); `'converged'` exactly when {@link FitResultBase.converged}. */
  readonly status: FitStatus;
  /** Objective and certificate along the way. */
  readonly history: readonly HistoryEntry[];
  /** The options actually used, with every default filled in. */
  readonly options: Readonly<O>;
  /**
   * Predictions of task `task` for the rows of `X` (m×d): X w_t + b_t.
   * @param X - design matrix with d columns
   * @param task - task index in [0, T)
   */
  predict(X: MatLike, task: number): Float64Array;
}
