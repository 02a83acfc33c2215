/**
 * Feature projection with a low-rank (trace-norm) task matrix, `docs/objectives.md`, "Joint feature
 * projection" (the feature-based model I):
 *
 *   min_{P, V} Σ_t s_t ‖y_t − b_t·1 − X_t P v_t‖² + λ ‖V‖_* + ρ ‖V‖²_F,
 *   P ∈ ℝ^{d×h}, PᵀP = I_h, V = [v_1 … v_T] ∈ ℝ^{h×T},
 *
 * the trace norm being the convex surrogate of λ·rank(V) (Fazel 2002; Ji & Ye 2009). Since P has
 * orthonormal columns, ‖PV‖_* = ‖V‖_* and ‖PV‖_F = ‖V‖_F: with h = d the problem is the trace-norm
 * model on the original features.
 *
 * Algorithm: the alternation of {@link alternateProjection} (Armijo-backtracked Riemannian gradient
 * steps on the Stiefel manifold with the QR retraction; Absil, Mahony & Sepulchre 2008) with the V step
 * = the trace-norm model on the projected designs X_t P, solved by {@link traceNorm} (FISTA with
 * singular value thresholding, duality-gap stopping) warm-started at the previous V. A V step whose
 * result has a larger objective than the previous V (possible only at the level of the FISTA
 * tolerance) is rejected, so the objective never increases.
 *
 * References: Y. Li, X. Tian, T. Liu & D. Tao, "Multi-task model and feature joint learning",
 * IJCAI 2015; S. Ji & J. Ye, "An accelerated gradient method for trace norm minimization", ICML 2009;
 * M. Fazel, "Matrix rank minimization with applications", PhD thesis, Stanford 2002.
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN } from '../linalg/blas.js';
import { traceNorm } from './traceNorm.js';
import {
  alternateProjection, checkProjectionCommonOptions, startingProjection, type FeatureProjectionHistoryEntry,
  type ProjectionCommonOptions, type ProjectionVStepResult,
} from '../solvers/projectionAlternation.js';
import type { SolverStatus } from '../solvers/spectralProxGrad.js';
import { makePredict } from './predict.js';
import { checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';
import { frobeniusSq, nuclearNorm, singularValues, numericalRank } from '../solvers/spectralTools.js';

/** Options of {@link featureProjectionLowRank}. */
export interface FeatureProjectionLowRankOptions extends ProjectionCommonOptions {
  /** λ ≥ 0, the weight of ‖V‖_*. Required. */
  lambda: number;
  /** ρ ≥ 0, the weight of ‖V‖²_F. @default 0 */
  ridge?: number;
  /** Relative duality-gap tolerance of each trace-norm V step (see {@link traceNorm}). @default 1e-10 */
  innerTol?: number;
}

/** {@link FeatureProjectionLowRankOptions} with every default filled in. */
export type ResolvedFeatureProjectionLowRankOptions =
  Required<Omit<FeatureProjectionLowRankOptions, 'initialP' | 'onProgress'>> & { initialP: Mat | null };

/** The result of {@link featureProjectionLowRank}. */
export interface FeatureProjectionLowRankFit extends FitResultBase<ResolvedFeatureProjectionLowRankOptions> {
  /** Why the alternation stopped (`'converged'`: the stationarity certificate met tol). */
  readonly status: SolverStatus;
  /** P (d×h, orthonormal columns). */
  readonly P: Mat;
  /** V (h×T): task weights in the projected space (W = P V). */
  readonly V: Mat;
  /** Numerical rank of V (= rank of W). */
  readonly rank: number;
  /** Singular values of V (= those of W), descending. */
  readonly singularValues: Float64Array;
  /** Objective history; never increases; `orthogonalityError` ≤ 1e-10 at every iterate. */
  readonly history: readonly FeatureProjectionHistoryEntry[];
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** Parameters of {@link featureProjectionLowRankObjective}. */
export interface FeatureProjectionLowRankParams {
  /** λ ≥ 0. */
  lambda: number;
  /** ρ ≥ 0. @default 0 */
  ridge?: number;
  /** @default 'task-mean' */
  lossScale?: LossScale;
}

/**
 * Validates and completes the options of {@link featureProjectionLowRank} (its one options check).
 * @param options - user options
 * @param data - the data (for d and the shape of `initialP`)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the option and the expected type or range
 * @example
 * ```ts
 * checkFeatureProjectionLowRankOptions({ h: 3, lambda: 0.1 }, data).ridge; // 0
 * ```
 * @see {@link featureProjectionLowRank}
 */
export function checkFeatureProjectionLowRankOptions(
  options: FeatureProjectionLowRankOptions, data: MultiTaskData,
): ResolvedFeatureProjectionLowRankOptions {
  checkOptionsObject(options, 'featureProjectionLowRank options', ['h', 'lambda']);
  checkOptionKeys(options, ['h', 'lambda', 'ridge', 'seed', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'innerSteps', 'innerTol', 'initialP', 'onProgress'], 'featureProjectionLowRank');
  const common = checkProjectionCommonOptions(options, data);
  const lambda = checkNumber(options.lambda, 'lambda', { min: 0 });
  const ridge = checkNumber(options.ridge ?? 0, 'ridge', { min: 0 });
  const innerTol = checkNumber(options.innerTol ?? 1e-10, 'innerTol', { min: 0 });
  return { ...common, lambda, ridge, innerTol };
}

/**
 * The objective Σ_t s_t‖y_t − b_t − X_t P v_t‖² + λ‖V‖_* + ρ‖V‖²_F, from the raw data
 * ({@link multiTaskLoss} at W = P V; trace norm by a thin SVD). P is used as given.
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param vars - P (d×h) and V (h×T)
 * @param params - λ, ρ and the loss scale (default `'task-mean'`)
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on a bad parameter or a shape mismatch
 * @example
 * ```ts
 * featureProjectionLowRankObjective(data, fit, { lambda: 0.01 }, fit.intercepts); // === fit.objective
 * ```
 * @see {@link featureProjectionLowRank}
 */
export function featureProjectionLowRankObjective(
  data: MultiTaskData | readonly TaskInput[], vars: { P: Mat; V: Mat }, params: FeatureProjectionLowRankParams,
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  checkOptionsObject(params, 'params', ['lambda']);
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const ridge = checkNumber(params.ridge ?? 0, 'ridge', { min: 0 });
  const lossScale = checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'task-mean');
  if (typeof vars !== 'object' || vars === null) throw new TypeError('vars: expected { P, V }');
  const { P, V } = vars;
  if (typeof P !== 'object' || P === null || !(P.data instanceof Float64Array)) throw new TypeError(`P: expected a d×h Mat with d = ${D.d}`);
  const h = P.cols;
  checkW(P, D.d, h, 'P');
  checkW(V, h, D.T, 'V');
  const W = new Float64Array(D.d * D.T);
  gemmNN(D.d, D.T, h, P.data, V.data, W, 0);
  return multiTaskLoss(D, { rows: D.d, cols: D.T, data: W }, intercepts, lossScale) + lambda * nuclearNorm(V) + ridge * frobeniusSq(V.data);
}

/**
 * Fits feature projection with a trace-norm penalty on the projected task matrix:
 * min over P (PᵀP = I_h) and V of Σ_t s_t‖y_t − X_tPv_t‖² + λ‖V‖_* + ρ‖V‖²_F.
 *
 * Block coordinate descent: V step = {@link traceNorm} on the projected designs (warm-started, rejected
 * if it does not decrease the objective), P step = Armijo-backtracked Riemannian gradient descent on
 * the Stiefel manifold (see {@link alternateProjection}). Non-convex in P: a stationary point is
 * returned; the certificate is ‖Riemannian gradient in P‖_F. Non-convergence within `maxIter` is
 * reported as `converged: false`.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link FeatureProjectionLowRankOptions}
 * @returns P, V, W = P V, intercepts, rank, objective, history, predict
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { featureProjectionLowRank } from 'mtlearn';
 * const fit = featureProjectionLowRank(data, { h: 5, lambda: 0.01 });
 * fit.rank; fit.P; fit.predict(Xnew, 0);
 * ```
 * @see {@link featureProjectionLowRankObjective}, {@link featureProjection}, {@link traceNorm};
 *   Li, Tian, Liu & Tao, IJCAI 2015.
 */
export function featureProjectionLowRank(
  data: MultiTaskData | readonly TaskInput[], options: FeatureProjectionLowRankOptions,
): FeatureProjectionLowRankFit {
  const D = asData(data);
  const opts = checkFeatureProjectionLowRankOptions(options, D);
  const { d, T } = D;
  const { h, lambda, ridge } = opts;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const Pt0 = startingProjection(D, h, opts);
  const vObjective = (pl: QuadraticLoss, V: Float64Array, R: Float64Array): number => {
    pl.residual(V, R);
    return pl.valueFromResidual(R) + lambda * nuclearNorm({ rows: h, cols: T, data: V }) + ridge * frobeniusSq(V);
  };
  const vStep = (proj: MultiTaskData, Vprev: Float64Array | null): ProjectionVStepResult => {
    const fit = traceNorm(proj, {
      lambda, ridge, lossScale: opts.lossScale, fitIntercept: opts.fitIntercept, tol: opts.innerTol, maxIter: 20000,
      warmStart: Vprev ? { rows: h, cols: T, data: Vprev } : null,
    });
    let V = fit.W.data;
    if (Vprev) {
      const pl = new QuadraticLoss(proj, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
      const R = new Float64Array(pl.residualSize);
      if (vObjective(pl, Vprev, R) < vObjective(pl, V, R)) V = Float64Array.from(Vprev);
    }
    return { V, penalty: lambda * nuclearNorm({ rows: h, cols: T, data: V }) + ridge * frobeniusSq(V) };
  };
  const res = alternateProjection(D, loss, Pt0, vStep, { ...opts, onProgress: options.onProgress }, start);
  const P = new Float64Array(d * h);
  for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) P[j * h + i] = res.Pt[i * d + j]!;
  const Pm: Mat = { rows: d, cols: h, data: P };
  const Vm: Mat = { rows: h, cols: T, data: Float64Array.from(res.last.V) };
  const Wm: Mat = { rows: d, cols: T, data: res.W };
  const intercepts = loss.intercepts(res.W);
  const objective = featureProjectionLowRankObjective(D, { P: Pm, V: Vm }, { lambda, ridge, lossScale: opts.lossScale }, intercepts);
  const s = singularValues(Vm);
  return {
    W: Wm, intercepts, objective, certificate: res.gradientNorm, certificateKind: 'fixed-point-residual',
    iterations: res.iterations, converged: res.converged, status: res.status, history: res.history, options: opts,
    P: Pm, V: Vm, rank: numericalRank(s), singularValues: s, time: (performance.now() - start) / 1000,
    predict: makePredict(Wm, intercepts),
  };
}
