/**
 * Rank-constrained multi-task regression (the "λ·rank(W)" model of the shared-low-rank family):
 *
 *   min_{W, b} Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² + ρ‖W‖²_F   subject to rank(W) ≤ r.
 *
 * The ridge ρ (default `'auto'`, a small multiple of the loss's curvature, {@link resolveRidge}) makes
 * a minimiser exist: without it (ρ = 0) the infimum is not attained when the tasks' centred designs are
 * rank-deficient (School with per-task intercepts), and no solver can be certified.
 *
 * Solved by projected gradient (optionally accelerated) where the projection onto {rank(W) ≤ r} is
 * the truncated SVD (Eckart–Young), or (`solver: 'grassmann'`) with W = QᵀB, B exactly optimal for
 * the column space Q, by Riemannian L-BFGS on the reduced function f(Q) = min_B L(QᵀB) over the
 * Grassmann manifold ({@link lowRankGrassmann}). The constraint set is not
 * convex: both stop at a fixed point W = P_r(W − ∇L(W)/L) (the same fixed-point residual) — a local
 * solution, reported as such (`local: true`), not necessarily the global minimiser.
 *
 * References: C. Eckart & G. Young, "The approximation of one matrix by another of lower rank",
 * Psychometrika 1, 1936 (the projection); P. Jain, R. Meka & I. Dhillon, "Guaranteed rank
 * minimization via singular value projection", NIPS 2010 (projected gradient with the truncated SVD);
 * H. Attouch, J. Bolte & B. F. Svaiter, "Convergence of descent methods for semi-algebraic and tame
 * problems", Math. Program. 137, 2013 (convergence of the plain scheme to a fixed point).
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, multiTaskLoss } from '../datafits/quadratic.js';
import { rankConstraintValues, spectralProxGrad, type SolverStatus } from '../solvers/spectralProxGrad.js';
import { makePredict } from './predict.js';
import { checkBoolean, checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';
import { factoredGramState, frobeniusSq, gradientScaleAtZero, numericalRank, singularValues } from '../solvers/spectralTools.js';
import { quadraticDatafit } from '../datafits/state.js';
import { lowRankGrassmann } from '../solvers/lowRankGrassmann.js';
import { checkRidgeOption, resolveRidge } from './autoRidge.js';

/** Options of {@link lowRank}. */
export interface LowRankOptions {
  /** The rank bound r, an integer in [1, min(d, T)]. Required. */
  rank: number;
  /**
   * ρ ≥ 0, the weight of ‖W‖²_F, or `'auto'`: ρ = 1e-6·L with L the loss's curvature scale (the
   * Lipschitz constant of ∇L, max_t 2 s_t σ_max(X̃_t)² in the chosen loss scale), so the default is
   * invariant to the scale of X and Y. The resolved number is reported in `fit.options.ridge`; 0 gives
   * the unregularised model, whose infimum may not be attained (see {@link resolveRidge}). @default 'auto'
   */
  ridge?: number | 'auto';
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * Stop when the fixed-point residual ‖W − P_r(W − ∇F(W)/L)‖_F·L ≤ tol · ‖∇L(0, b₀)‖_F, with
   * ∇F = ∇L + 2ρW.
   * @default 1e-6
   */
  tol?: number;
  /** Maximum iterations. @default 10000 */
  maxIter?: number;
  /** Starting W (d×T); the problem is non-convex, so the fixed point reached may depend on it. @default zeros */
  warmStart?: MatLike | null;
  /**
   * Nesterov momentum with adaptive restart (FISTA applied to the projection). Often faster, but the
   * objective is then not guaranteed to decrease monotonically; the plain scheme (false) decreases
   * it at every step. @default false
   */
  accelerate?: boolean;
  /**
   * How the loss is evaluated: `'residual'`, `'gram'` or `'auto'` (Gram matrices when d ≤ n/2,
   * see {@link createLossBackend}). @default 'auto'
   */
  backend?: 'auto' | 'residual' | 'gram';
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
  /**
   * `'grassmann'`: W = QᵀB with B solved exactly for the column space Q (k×d), and Riemannian L-BFGS
   * on the reduced function f(Q) = min_B F(QᵀB) over the Grassmann manifold ({@link grassmannLbfgs}),
   * started from the column space of P_r(W₀ − ∇F(W₀)/L); `'projected-gradient'`: singular value
   * projection (`accelerate` and `backend` apply to it only). Both stop on the same fixed-point
   * residual. L-BFGS is the default: with the ridge a minimiser exists, and on School (rank 3, the
   * default ridge) it converges in ~170 iterations where projected gradient, whose rate degrades with
   * the conditioning (ρ/L = 1e-6), stops at its 10000-iteration cap (bench/subspaceRidge.ts). With
   * `ridge: 0` on data whose infimum is not attained, L-BFGS follows the minimising sequence to huge
   * weights quickly and reports `stalled`. @default 'grassmann'
   */
  solver?: 'grassmann' | 'projected-gradient';
}

/** {@link LowRankOptions} with every default filled in. */
export type ResolvedLowRankOptions = Required<Omit<LowRankOptions, 'warmStart' | 'onProgress' | 'ridge'>> & { warmStart: Mat | null; ridge: number };

/** The result of {@link lowRank}. */
export interface LowRankFit extends FitResultBase<ResolvedLowRankOptions> {
  /**
   * Always true: the rank constraint is non-convex and W is a fixed point of projected gradient (a
   * local solution), with no certificate of global optimality.
   */
  readonly local: true;
  /** Why the solver stopped (`'converged'`: a finite fixed-point residual ≤ tol·‖∇L(0, b₀)‖_F). */
  readonly status: SolverStatus;
  /** Numerical rank of W: the number of singular values > 1e-10·σ_max(W) (≤ `options.rank`). */
  readonly rank: number;
  /** Singular values of W, descending (length min(d, T)). */
  readonly singularValues: Float64Array;
  /** ‖∇L(0, b₀)‖_F, the scale of the relative tolerance. */
  readonly gradientScale: number;
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** The parameters of the rank-constrained objective, for {@link lowRankObjective}. */
export interface LowRankParams {
  /** The rank bound r; when given, a W of numerical rank > r has objective +∞. @default no bound */
  rank?: number;
  /** ρ ≥ 0, the weight of ‖W‖²_F (a fit's resolved `options.ridge`). @default 0 */
  ridge?: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/**
 * Validates and completes the options of {@link lowRank} (the one options check of this entry point).
 * @param options - user options
 * @param data - the data (for the range of `rank` and the shape of `warmStart`)
 * @returns the resolved options, `ridge` still `'auto'` when not given (resolved by {@link resolveRidge} in the fit)
 * @throws TypeError / RangeError naming the offending option and the expected type or range
 * @example
 * ```ts
 * checkLowRankOptions({ rank: 2 }, data).accelerate; // false
 * ```
 * @see {@link lowRank}
 */
export function checkLowRankOptions(options: LowRankOptions, data: MultiTaskData): Omit<ResolvedLowRankOptions, 'ridge'> & { ridge: number | 'auto' } {
  checkOptionsObject(options, 'lowRank options', ['rank']);
  checkOptionKeys(options, ['rank', 'ridge', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'accelerate', 'backend', 'onProgress', 'solver'], 'lowRank');
  const rank = checkNumber(options.rank, 'rank', { min: 1, max: Math.min(data.d, data.T), integer: true });
  const lossScale = checkOneOf(options.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(options.fitIntercept, 'fitIntercept', true);
  const accelerate = checkBoolean(options.accelerate, 'accelerate', false);
  const tol = checkNumber(options.tol ?? 1e-6, 'tol', { min: 0 });
  const maxIter = checkNumber(options.maxIter ?? 10000, 'maxIter', { min: 0, integer: true });
  const warmStart = options.warmStart == null ? null
    : checkMat(options.warmStart, 'warmStart', { rows: data.d, cols: data.T, label: `d×T = ${data.d}×${data.T}` });
  const backend = checkOneOf(options.backend, 'backend', ['auto', 'residual', 'gram'] as const, 'auto');
  const solver = checkOneOf(options.solver, 'solver', ['grassmann', 'projected-gradient'] as const, 'grassmann');
  const ridge = checkRidgeOption(options.ridge, 'lowRank');
  return { rank, ridge, lossScale, fitIntercept, tol, maxIter, warmStart, accelerate, backend, solver };
}

/**
 * The rank-constrained objective: L(W, b) + ρ‖W‖²_F when rank(W) ≤ r, +∞ otherwise (numerical rank
 * with relative threshold 1e-10), evaluated from the raw data by {@link multiTaskLoss}.
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param W - weights d×T
 * @param params - the rank bound (optional), the ridge ρ (default 0) and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws RangeError when W / intercepts have the wrong shape or `rank` is not a positive integer
 * @example
 * ```ts
 * lowRankObjective(data, fit.W, { rank: 3, ridge: fit.options.ridge }, fit.intercepts); // === fit.objective
 * ```
 * @see {@link lowRank}
 */
export function lowRankObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: LowRankParams = {}, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  checkOptionsObject(params, 'params');
  const ridge = checkNumber(params.ridge ?? 0, 'ridge', { min: 0 });
  const value = multiTaskLoss(D, W, intercepts, checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'))
    + (ridge > 0 ? ridge * frobeniusSq(W.data) : 0);
  if (params.rank !== undefined) {
    const r = checkNumber(params.rank, 'rank', { min: 1, integer: true });
    if (numericalRank(singularValues(W)) > r) return Infinity;
  }
  return value;
}

/**
 * Fits min L(W, b) + ρ‖W‖²_F subject to rank(W) ≤ r by Riemannian L-BFGS on the column space with the
 * coefficients solved exactly (`solver: 'grassmann'`, the default, {@link lowRankGrassmann}), or by
 * projected gradient with the truncated-SVD projection (singular value projection), momentum only when
 * `accelerate` is set (`solver: 'projected-gradient'`). ρ is `ridge` (default `'auto'`, {@link resolveRidge}).
 *
 * The result is a **local solution** (`local: true`): a fixed point W = P_r(W − ∇F(W)/L) with
 * ∇F = ∇L + 2ρW. The certificate is the fixed-point residual ‖W − P_r(W − ∇F(W)/L)‖_F·L, and the fit stops when it is
 * ≤ tol·‖∇L(0, b₀)‖_F (checked every iteration; every 10 for projected gradient). Non-convergence is reported as `converged: false`.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link LowRankOptions}
 * @returns the fit: W (rank ≤ r), intercepts, objective, fixed-point residual, singular values, …
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, lowRank } from 'mtlearn';
 * const fit = lowRank(MultiTaskData.fromTasks(tasks), { rank: 3 });
 * fit.rank; // ≤ 3
 * fit.certificate; // fixed-point residual
 * ```
 * @see {@link lowRankObjective}, {@link traceNorm} (the convex relaxation)
 */
export function lowRank(data: MultiTaskData | readonly TaskInput[], options: LowRankOptions): LowRankFit {
  const D = asData(data);
  const checked = checkLowRankOptions(options, D);
  const { d, T } = D;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: checked.lossScale, fitIntercept: checked.fitIntercept });
  const gradientScale = gradientScaleAtZero(quadraticDatafit(loss, 'residual'));
  const W0 = checked.warmStart ? Float64Array.from(checked.warmStart.data) : new Float64Array(d * T);
  const r = checked.rank;
  const backend = quadraticDatafit(loss, checked.backend);
  const opts: ResolvedLowRankOptions = { ...checked, ridge: resolveRidge(checked.ridge, () => backend.lipschitz()) };
  // ∇F = ∇L + 2ρW is Lipschitz with constant L + 2ρ
  const lipschitz = backend.lipschitz() + 2 * opts.ridge;
  const res = opts.solver === 'grassmann'
    ? lowRankGrassmann(loss, W0, r, opts.tol * gradientScale, opts.maxIter, lipschitz, start, opts.ridge, options.onProgress)
    : projectedGradient(loss, backend, W0, r, opts, lipschitz, gradientScale, options.onProgress);
  const Wm: Mat = { rows: d, cols: T, data: res.W };
  const intercepts = loss.intercepts(res.W);
  const s = 'singularValues' in res ? res.singularValues : singularValues(Wm);
  const objective = res.status === 'non-finite' ? NaN : lowRankObjective(D, Wm, { rank: r, ridge: opts.ridge, lossScale: opts.lossScale }, intercepts);
  return {
    W: Wm, intercepts, objective, certificate: res.certificate, certificateKind: 'fixed-point-residual',
    iterations: res.iterations, converged: res.status === 'converged', status: res.status, history: res.history, options: opts, local: true,
    rank: numericalRank(s), singularValues: s, gradientScale,
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}

/** Projected gradient (FISTA momentum when `accelerate`) with safeguarded Anderson extrapolation on
 * the smooth part F(W) = L(W) + ρ‖W‖²_F; the warm start is projected first, so every iterate is feasible. */
function projectedGradient(
  loss: QuadraticLoss, backend: ReturnType<typeof quadraticDatafit>, W0: Float64Array, r: number,
  opts: ResolvedLowRankOptions, lipschitz: number, gradientScale: number, onProgress: ProgressCallback | undefined,
): { W: Float64Array; singularValues: Float64Array; certificate: number; iterations: number; status: SolverStatus; history: HistoryEntry[] } {
  const { d, T } = loss;
  const factored = factoredGramState(backend, loss);
  const rho = opts.ridge;
  const res = spectralProxGrad({
    dim: d * T, stateSize: backend.stateSize,
    computeState: (x, s) => backend.computeState(x, s),
    ...(factored ? { computeStateFactored: factored } : {}),
    // F(W) = L(W) + ρ‖W‖²_F
    value: rho > 0 ? (x, s) => backend.value(x, s) + rho * frobeniusSq(x) : (x, s) => backend.value(x, s),
    gradient: rho > 0
      ? (x, s, g) => {
        backend.gradient(x, s, g);
        for (let i = 0; i < g.length; i++) g[i]! += 2 * rho * x[i]!; // ∇F = ∇L + 2ρW
      }
      : (x, s, g) => backend.gradient(x, s, g),
  }, d, T, rankConstraintValues(r), W0, {
    lipschitz, tol: opts.tol * gradientScale, maxIter: opts.maxIter, checkEvery: 10,
    andersonMemory: 5, accelerate: opts.accelerate, ...(onProgress ? { onProgress } : {}),
  });
  return { W: res.x, singularValues: res.singularValues, certificate: res.certificate, iterations: res.iterations, status: res.status, history: [...res.history] };
}
