/**
 * Multi-task learning with a shared low-rank subspace through the trace (nuclear) norm.
 *
 *   F(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² + λ ‖W‖_* + ρ ‖W‖²_F
 *
 * Solved by FISTA ({@link fista}) whose proximal step is singular value soft-thresholding
 * ({@link singularValueThreshold}, one thin SVD of the d×T matrix per step), with a duality-gap
 * certificate whose dual norm is the spectral norm. The loss is evaluated from residuals or, when d
 * is small against the number of rows, from per-task Gram matrices ({@link createLossBackend}).
 *
 * References: S. Ji & J. Ye, "An accelerated gradient method for trace norm minimization", ICML 2009;
 * T. K. Pong, P. Tseng, S. Ji & J. Ye, "Trace norm regularization: reformulations, algorithms, and
 * multi-task learning", SIAM J. Optim. 20(6), 2010; J.-F. Cai, E. Candès & Z. Shen, "A singular value
 * thresholding algorithm for matrix completion", SIAM J. Optim. 20(4), 2010 (the prox);
 * A. S. Lewis, "The convex analysis of unitarily invariant matrix functions", J. Convex Anal. 2, 1995
 * (conjugates of spectral functions, used by the dual).
 *
 * ## Dual and duality gap
 * With U = [u_1 … u_T] (one vector per task's residual space) and V = [X_1ᵀu_1 … X_Tᵀu_T] (d×T),
 *   D(U) = Σ_t ⟨u_t, y_t⟩ − Σ_t ‖u_t‖²/(4 s_t) − Φ*(V),   Φ = λ‖·‖_* + ρ‖·‖²_F,
 *   Φ*(V) = indicator{σ_max(V) ≤ λ}                     (ρ = 0),
 *   Φ*(V) = Σ_i (σ_i(V) − λ)₊² / (4ρ) = ‖SVT_λ(V)‖²_F/(4ρ)  (ρ > 0).
 * The dual point is U = α·2s⊙R (R the centred residuals, so the intercept constraints Σ_i u_ti = 0
 * hold); α maximises D along that ray: α = clamp(A/(2B), 0, λ/σ_max(V)) for ρ = 0, the exact
 * maximiser of the concave piecewise quadratic for ρ > 0 (A = ⟨2s⊙R, Y⟩, B = L(W)).
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, multiTaskLoss } from '../datafits/quadratic.js';
import { spectralNorm } from '../linalg/svd.js';
import { fistaTraceNorm, spectralTraceNorm } from '../solvers/traceNormSolver.js';
import { chooseSpectralSolver, type KindedDatafit } from '../solvers/spectralModel.js';
import type { SolverStatus } from '../solvers/spectralProxGrad.js';
export { traceNormGap, type TraceNormGapResult } from '../solvers/traceNormSolver.js';
import { makePredict } from './predict.js';
import { checkBoolean, checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';
import { frobeniusSq, gradientScaleAtZero, nuclearNorm, numericalRank, singularValues } from '../solvers/spectralTools.js';
import { quadraticDatafit } from '../datafits/state.js';

/** Options of {@link traceNorm}. */
export interface TraceNormOptions {
  /** λ ≥ 0, the weight of the trace norm ‖W‖_*. Required. */
  lambda: number;
  /** ρ ≥ 0, the weight of ‖W‖²_F. @default 0 */
  ridge?: number;
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * Stop when the duality gap ≤ tol · F(0, b₀) (relative to the objective at W = 0). With λ = ρ = 0
   * (no dual certificate) the fixed-point residual is used instead, relative to ‖∇L(0, b₀)‖_F.
   * @default 1e-6
   */
  tol?: number;
  /** Maximum FISTA iterations. @default 10000 */
  maxIter?: number;
  /** Starting W (d×T); the problem is convex, so the solution does not depend on it. @default zeros */
  warmStart?: MatLike | null;
  /** O'Donoghue–Candès adaptive restart of the FISTA momentum. @default true */
  restart?: boolean;
  /**
   * How the loss is evaluated: `'residual'` (residuals Y − XW, O(Σ n_t·d) per evaluation), `'gram'`
   * (Gram matrices, O(T·d²) per evaluation) or `'auto'` (Gram when d ≤ n/2, see
   * {@link createLossBackend}). Same solution either way. @default 'auto'
   */
  backend?: 'auto' | 'residual' | 'gram';
  /**
   * `'admm'`: ADMM with exact per-task solves (insensitive to ill-conditioned designs; d³ work per
   * distinct task Gram, which it builds itself on the residual backend); `'fista'`: accelerated proximal
   * gradient with restart, Anderson extrapolation and the prox through the small Gram matrix;
   * `'fista-svd'`: the earlier FISTA with a thin SVD per prox; `'auto'`: `'admm'` when the
   * eigendecompositions cost at most 2e7 operations, whatever the backend (School: 139 tasks × 28³), else `'fista'`. Same
   * certificate (duality gap) for all. See {@link admmTraceNorm}, {@link proxGradTraceNorm}. @default 'auto'
   */
  solver?: 'auto' | 'admm' | 'fista' | 'fista-svd';
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link TraceNormOptions} with every default filled in. */
export type ResolvedTraceNormOptions = Required<Omit<TraceNormOptions, 'warmStart' | 'onProgress'>> & { warmStart: Mat | null };

/** The result of {@link traceNorm}. */
export interface TraceNormFit extends FitResultBase<ResolvedTraceNormOptions> {
  /** Why the solver stopped: `'converged'` only when a finite gap ≤ a finite tolerance. */
  readonly status: SolverStatus;
  /** The duality gap at the returned W (absolute); equals `certificate` when `certificateKind` is `'duality-gap'`. */
  readonly gap: number;
  /** Objective at W = 0 with optimal intercepts, the scale of the relative tolerance. */
  readonly objectiveAtZero: number;
  /** λ_max = σ_max(∇L(0, b₀)): the smallest λ with W = 0 optimal (when ρ = 0). */
  readonly lambdaMax: number;
  /** Numerical rank of W: the number of singular values > 1e-10·σ_max(W). */
  readonly rank: number;
  /** Singular values of W, descending (length min(d, T)). */
  readonly singularValues: Float64Array;
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** The parameters of the trace-norm objective, for {@link traceNormObjective}. */
export interface TraceNormParams {
  /** λ ≥ 0. */
  lambda: number;
  /** ρ ≥ 0. @default 0 */
  ridge?: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/**
 * Validates and completes the options of {@link traceNorm} (the one options check of this entry point).
 * @param options - user options
 * @param data - the data (for the shape of `warmStart`)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected type or range
 * @example
 * ```ts
 * checkTraceNormOptions({ lambda: 0.1 }, data).tol; // 1e-6
 * ```
 * @see {@link traceNorm}
 */
export function checkTraceNormOptions(options: TraceNormOptions, data: MultiTaskData): ResolvedTraceNormOptions {
  checkOptionsObject(options, 'traceNorm options', ['lambda']);
  checkOptionKeys(options, ['lambda', 'ridge', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'restart', 'backend', 'solver', 'onProgress'], 'traceNorm');
  const lambda = checkNumber(options.lambda, 'lambda', { min: 0 });
  const ridge = checkNumber(options.ridge ?? 0, 'ridge', { min: 0 });
  const lossScale = checkOneOf(options.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(options.fitIntercept, 'fitIntercept', true);
  const tol = checkNumber(options.tol ?? 1e-6, 'tol', { min: 0 });
  const maxIter = checkNumber(options.maxIter ?? 10000, 'maxIter', { min: 0, integer: true });
  const warmStart = options.warmStart == null ? null
    : checkMat(options.warmStart, 'warmStart', { rows: data.d, cols: data.T, label: `d×T = ${data.d}×${data.T}` });
  const restart = checkBoolean(options.restart, 'restart', true);
  const backend = checkOneOf(options.backend, 'backend', ['auto', 'residual', 'gram'] as const, 'auto');
  const solver = checkOneOf(options.solver, 'solver', ['auto', 'admm', 'fista', 'fista-svd'] as const, 'auto');
  return { lambda, ridge, lossScale, fitIntercept, tol, maxIter, warmStart, restart, backend, solver };
}

/**
 * The trace-norm objective L(W, b) + λ‖W‖_* + ρ‖W‖²_F, evaluated from the raw data (loss by
 * {@link multiTaskLoss}, nuclear norm by a thin SVD).
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param W - weights d×T
 * @param params - λ, ρ and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws RangeError when a parameter is out of range or W / intercepts have the wrong shape
 * @example
 * ```ts
 * traceNormObjective(data, fit.W, { lambda: 0.1 }, fit.intercepts); // === fit.objective
 * ```
 * @see {@link traceNorm}
 */
export function traceNormObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: TraceNormParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  checkOptionsObject(params, 'params', ['lambda']);
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const ridge = checkNumber(params.ridge ?? 0, 'ridge', { min: 0 });
  const loss = multiTaskLoss(D, W, intercepts, checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'));
  return loss + lambda * nuclearNorm(W) + ridge * frobeniusSq(W.data);
}

/**
 * λ_max = σ_max(∇L(0, b₀)), the spectral norm of the loss gradient at W = 0 with the optimal
 * intercepts: the smallest λ for which W = 0 minimises L(W) + λ‖W‖_* (ρ = 0).
 *
 * @param data - the data
 * @param params - loss scale and intercepts
 * @returns λ_max
 * @example
 * ```ts
 * const lmax = traceNormLambdaMax(data);
 * traceNorm(data, { lambda: lmax }).rank; // 0
 * ```
 * @see {@link traceNorm}
 */
export function traceNormLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { lossScale?: LossScale; fitIntercept?: boolean } = {},
): number {
  const D = asData(data);
  const loss = new QuadraticLoss(D, {
    lossScale: checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'), fitIntercept: checkBoolean(params.fitIntercept, 'fitIntercept', true),
  });
  return lambdaMaxOf(loss);
}

/** σ_max(∇L(0, b₀)); with a Gram backend from its XᵀỸ (no pass over the design). */
function lambdaMaxOf(loss: QuadraticLoss, backend?: KindedDatafit): number {
  const V = new Float64Array(loss.d * loss.T);
  if (backend?.kind === 'gram') {
    const zero = new Float64Array(loss.d * loss.T);
    backend.dualTerms(zero, zero, V); // W = 0 with state G·0 = 0: V = 2s ⊙ XᵀỸ
  } else {
    const R = new Float64Array(loss.residualSize);
    loss.residual(V, R); // W = 0
    loss.correlation(R, V); // V = Xᵀ(2s⊙R)
  }
  return spectralNorm({ rows: loss.d, cols: loss.T, data: V });
}

/**
 * Fits the trace-norm regularised multi-task model
 * F(W, b) = L(W, b) + λ‖W‖_* + ρ‖W‖²_F (Ji & Ye 2009; Pong et al. 2010).
 *
 * Solver: FISTA with backtracking and (optionally) adaptive restart; the proximal step is singular
 * value soft-thresholding, one thin SVD of the d×T matrix per step, with a preallocated workspace;
 * the loss through residuals or Gram matrices (`backend`).
 * Stopping: duality gap (spectral norm as the dual norm, see the module documentation) ≤
 * tol · F(0, b₀), checked every 10 iterations. Non-convergence is reported as `converged: false`.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link TraceNormOptions}
 * @returns the fit: W, intercepts, objective, gap, rank, singular values, history, …
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, traceNorm, traceNormLambdaMax } from 'mtlearn';
 * const data = MultiTaskData.fromTasks(tasks);
 * const fit = traceNorm(data, { lambda: 0.2 * traceNormLambdaMax(data) });
 * fit.rank; fit.gap; fit.predict(Xnew, 0);
 * ```
 * @see {@link traceNormObjective}, {@link traceNormLambdaMax}, {@link traceNormGap}
 */
export function traceNorm(data: MultiTaskData | readonly TaskInput[], options: TraceNormOptions): TraceNormFit {
  const D = asData(data);
  const opts = checkTraceNormOptions(options, D);
  const { d, T } = D;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const P0 = loss.valueAtZero();
  const backend = quadraticDatafit(loss, opts.backend);
  const lambdaMax = lambdaMaxOf(loss, backend);
  const W0 = opts.warmStart ? Float64Array.from(opts.warmStart.data) : new Float64Array(d * T);
  const useGap = !(opts.lambda === 0 && opts.ridge === 0);
  const tolAbs = useGap ? opts.tol * P0 : opts.tol * gradientScaleAtZero(quadraticDatafit(loss, 'residual'));
  const solver = opts.solver === 'auto' ? chooseSpectralSolver(loss) : opts.solver;
  const res = solver === 'fista-svd'
    ? fistaTraceNorm(loss, backend, W0, opts.lambda, opts.ridge, tolAbs, opts.maxIter, opts.restart, useGap, options.onProgress)
    : spectralTraceNorm(loss, backend, W0, opts.lambda, opts.ridge, tolAbs, opts.maxIter, useGap, solver, options.onProgress);
  const Wm: Mat = { rows: d, cols: T, data: res.x };
  const intercepts = loss.intercepts(res.x);
  const objective = traceNormObjective(D, Wm, opts, intercepts);
  const s = res.singularValues ?? singularValues(Wm);
  return {
    W: Wm, intercepts, objective, certificate: res.certificate,
    certificateKind: useGap ? 'duality-gap' : 'fixed-point-residual',
    gap: useGap ? res.certificate : NaN, iterations: res.iterations, converged: res.status === 'converged', status: res.status, history: res.history,
    options: opts, objectiveAtZero: P0, lambdaMax, rank: numericalRank(s), singularValues: s,
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}

