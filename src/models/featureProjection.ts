/**
 * Joint learning of a feature projection and the task models (Li, Tian, Liu & Tao 2015),
 * `docs/objectives.md`, "Joint feature projection":
 *
 *   min_{P, w₀, ΔW} Σ_t s_t ‖y_t − b_t·1 − X_t P (w₀ + Δw_t)‖² + λ ‖ΔW‖²_F + μ ‖w₀‖²,
 *   P ∈ ℝ^{d×h}, PᵀP = I_h (the Stiefel manifold St(d, h)), w₀, Δw_t ∈ ℝ^h,
 *
 * with s_t = 1/(T n_t) by default (`lossScale: 'task-mean'`, the paper's (1/T) Σ_t (1/n_t) Σ_i
 * empirical risk). The task weights in input space are W = P (w₀1ᵀ + ΔW).
 *
 * ## Default algorithm (`solver: 'grassmann'`)
 * For fixed P the (w₀, ΔW) block is a quadratic with a closed form on the projected statistics PᵀG_tP,
 * Pᵀc_t ({@link projectedMeanRegularizedObjective}), and the objective depends on span(P) only. The
 * reduced function f(P) = min_{w₀, ΔW} F is minimised by Riemannian L-BFGS on the Grassmann manifold
 * ({@link grassmannLbfgs}); its gradient is ∇_P F at the exact inner block (envelope theorem). On
 * School (h = 5, λ = 0.1) it converges in ~50 iterations where the block coordinate descent below is
 * still at a certificate 30× the tolerance after 500.
 *
 * ## Alternative algorithm (`solver: 'alternating'`: block coordinate descent; every block step is monotone)
 * - **(w₀, ΔW) step** for fixed P: mean-regularized MTL form B on the projected designs X_t P
 *   (n_t×h), solved exactly by {@link meanRegularized} (`solver: 'exact'`; Evgeniou & Pontil 2004).
 *   The projected designs are computed into preallocated buffers; the data object and the small h×h
 *   factorisations of that solver are rebuilt once per outer iteration.
 * - **P step** for fixed V = w₀1ᵀ + ΔW: Riemannian gradient descent on St(d, h) with the embedded
 *   metric (Edelman, Arias & Smith 1998; Absil, Mahony & Sepulchre 2008, §3.6.1 and §4.1):
 *   Euclidean gradient G = ∇_P L(PV) = −Xᵀ(2s⊙R) Vᵀ, Riemannian gradient ξ = G − P sym(PᵀG),
 *   retraction R_P(−τξ) = qf(P − τξ) (the Q factor with positive diagonal R, computed by modified
 *   Gram–Schmidt applied twice, so PᵀP = I_h to ~1e-15), and Armijo backtracking
 *   f(R_P(−τξ)) ≤ f(P) − 10⁻⁴ τ ‖ξ‖²_F, so the objective never increases (a step that cannot be
 *   accepted after 60 halvings is skipped). The trial step is the Barzilai–Borwein step
 *   |⟨s, s⟩/⟨s, Δξ⟩| from the previous move (Wen & Yin 2013), clamped to [10⁻³, 10³]× the last accepted
 *   step, or twice the last accepted step for the first move after a V step. `innerSteps` such steps
 *   are taken per outer iteration.
 * - **Initialisation**: P = the top-h right singular vectors of the stacked (centred when fitting
 *   intercepts) design [X_1; …; X_T], i.e. the top-h eigenvectors of Σ_t X_tᵀX_t. When the h-th and
 *   (h+1)-th eigenvalues tie (relative gap ≤ 1e-10) the choice inside the tied eigenspace is made by
 *   a seeded Gaussian combination (`seed`), so the start is reproducible; each column's sign is fixed
 *   by making its largest-magnitude entry positive.
 *
 * The problem is non-convex in P: the result is a stationary point (certificate: the Frobenius norm
 * of the Riemannian gradient in P at the returned point, where the (w₀, ΔW) block is exactly optimal).
 *
 * References: Y. Li, X. Tian, T. Liu & D. Tao, "Multi-task model and feature joint learning",
 * IJCAI 2015; T. Evgeniou & M. Pontil, "Regularized multi-task learning", KDD 2004; A. Edelman,
 * T. Arias & S. Smith, "The geometry of algorithms with orthogonality constraints", SIAM J. Matrix
 * Anal. Appl. 20(2), 1998; Z. Wen & W. Yin, "A feasible method for optimization with orthogonality
 * constraints", Math. Program. 142, 2013; P.-A. Absil, R. Mahony & R. Sepulchre, *Optimization Algorithms on Matrix
 * Manifolds*, Princeton 2008.
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN } from '../linalg/blas.js';
import { meanRegularized } from './meanRegularized.js';
import type { SolverStatus } from '../solvers/spectralProxGrad.js';
import { makePredict } from './predict.js';
import { checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';
import { gradientScaleAtZero, scaledNorm } from '../solvers/spectralTools.js';
import { quadraticDatafit } from '../datafits/state.js';
import { taskNormalEquations } from '../datafits/normalEquations.js';
import { grassmannLbfgs } from '../solvers/grassmannLbfgs.js';
import {
  alternateProjection, checkProjectionCommonOptions, startingProjection, type FeatureProjectionHistoryEntry,
  type ProjectionAlternationResult, type ProjectionCommonOptions, type ProjectionVStepResult,
} from '../solvers/projectionAlternation.js';
import { projectedMeanRegularizedObjective } from '../solvers/subspaceObjectives.js';

export {
  alternateProjection, initialProjection, startingProjection, type FeatureProjectionHistoryEntry,
  type ProjectionAlternationResult, type ProjectionVStepResult,
} from '../solvers/projectionAlternation.js';

/** Options of {@link featureProjection}. */
export interface FeatureProjectionOptions extends ProjectionCommonOptions {
  /** λ ≥ 0, the weight of ‖ΔW‖²_F (task-specific parts). Required. */
  lambda: number;
  /** μ ≥ 0, the weight of ‖w₀‖² (shared part). @default 0 */
  mu?: number;
  /**
   * `'grassmann'`: Riemannian L-BFGS on f(P) = min_{w₀, ΔW} F (the (w₀, ΔW) block in closed form inside,
   * {@link projectedMeanRegularizedObjective}; f depends on span(P) only); `'alternating'`: the block
   * coordinate descent with `innerSteps` Armijo steps on P per (w₀, ΔW) step. Both stop on the same
   * certificate. @default 'grassmann'
   */
  solver?: 'grassmann' | 'alternating';
}

/** {@link FeatureProjectionOptions} with every default filled in. */
export type ResolvedFeatureProjectionOptions = Required<Omit<FeatureProjectionOptions, 'initialP' | 'onProgress'>> & { initialP: Mat | null };


/** The result of {@link featureProjection}. */
export interface FeatureProjectionFit extends FitResultBase<ResolvedFeatureProjectionOptions> {
  /** Why the alternation stopped (`'converged'`: the stationarity certificate met tol). */
  readonly status: SolverStatus;
  /** The projection P (d×h, orthonormal columns). */
  readonly P: Mat;
  /** The shared part w₀ (length h, in the projected space). */
  readonly w0: Float64Array;
  /** The task-specific parts ΔW (h×T, in the projected space). */
  readonly dW: Mat;
  /** V = w₀1ᵀ + ΔW (h×T): the task weights in the projected space (W = P V). */
  readonly V: Mat;
  /** Objective history; the objective never increases. */
  readonly history: readonly FeatureProjectionHistoryEntry[];
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** The variables of the feature-projection objective, for {@link featureProjectionObjective}. */
export interface FeatureProjectionVariables {
  /** P (d×h). */
  P: Mat;
  /** w₀ (length h). */
  w0: Float64Array | readonly number[];
  /** ΔW (h×T). */
  dW: Mat;
}

/** Parameters of {@link featureProjectionObjective}. */
export interface FeatureProjectionParams {
  /** λ ≥ 0. */
  lambda: number;
  /** μ ≥ 0. @default 0 */
  mu?: number;
  /** @default 'task-mean' */
  lossScale?: LossScale;
}

/**
 * Validates and completes the options of {@link featureProjection} (the one options check of this
 * entry point).
 * @param options - user options
 * @param data - the data (for d and the shape of `initialP`)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the option and the expected type or range
 * @example
 * ```ts
 * checkFeatureProjectionOptions({ h: 3, lambda: 0.1 }, data).lossScale; // 'task-mean'
 * ```
 * @see {@link featureProjection}
 */
export function checkFeatureProjectionOptions(options: FeatureProjectionOptions, data: MultiTaskData): ResolvedFeatureProjectionOptions {
  checkOptionsObject(options, 'featureProjection options', ['h', 'lambda']);
  checkOptionKeys(options, ['h', 'lambda', 'mu', 'seed', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'innerSteps', 'initialP', 'solver', 'onProgress'], 'featureProjection');
  const common = checkProjectionCommonOptions(options, data);
  const lambda = checkNumber(options.lambda, 'lambda', { min: 0 });
  const mu = checkNumber(options.mu ?? 0, 'mu', { min: 0 });
  const solver = checkOneOf(options.solver, 'solver', ['grassmann', 'alternating'] as const, 'grassmann');
  return { ...common, lambda, mu, solver };
}

/**
 * The feature-projection objective Σ_t s_t ‖y_t − b_t − X_t P (w₀ + Δw_t)‖² + λ‖ΔW‖²_F + μ‖w₀‖²,
 * evaluated from the raw data by {@link multiTaskLoss} at W = P(w₀1ᵀ + ΔW). P is used as given (its
 * orthonormality is not checked).
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param vars - P (d×h), w₀ (length h), ΔW (h×T)
 * @param params - λ, μ and the loss scale (default `'task-mean'`)
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on a bad parameter or a shape mismatch
 * @example
 * ```ts
 * featureProjectionObjective(data, fit, { lambda: 0.1 }, fit.intercepts); // === fit.objective
 * ```
 * @see {@link featureProjection}; Li, Tian, Liu & Tao, IJCAI 2015.
 */
export function featureProjectionObjective(
  data: MultiTaskData | readonly TaskInput[], vars: FeatureProjectionVariables, params: FeatureProjectionParams,
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  checkOptionsObject(params, 'params', ['lambda']);
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const mu = checkNumber(params.mu ?? 0, 'mu', { min: 0 });
  const lossScale = checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'task-mean');
  if (typeof vars !== 'object' || vars === null) throw new TypeError('vars: expected { P, w0, dW }');
  const { P, w0, dW } = vars;
  if (typeof P !== 'object' || P === null || !(P.data instanceof Float64Array)) throw new TypeError(`P: expected a d×h Mat with d = ${D.d}`);
  const h = P.cols;
  checkW(P, D.d, h, 'P');
  if (!(w0 instanceof Float64Array) && !Array.isArray(w0)) throw new TypeError(`w0: expected a Float64Array or number[] of length h = ${h}`);
  if (w0.length !== h) throw new RangeError(`w0: expected length h = ${h}, got ${w0.length}`);
  checkW(dW, h, D.T, 'dW');
  const V = combine(w0, dW.data, h, D.T);
  const W = new Float64Array(D.d * D.T);
  gemmNN(D.d, D.T, h, P.data, V, W, 0);
  let dev = 0, sh = 0;
  for (let k = 0; k < dW.data.length; k++) dev += dW.data[k]! ** 2;
  for (let i = 0; i < h; i++) {
    if (!Number.isFinite(w0[i]!)) throw new RangeError(`w0: entry ${i} is ${w0[i]}; expected finite`);
    sh += w0[i]! ** 2;
  }
  return multiTaskLoss(D, { rows: D.d, cols: D.T, data: W }, intercepts, lossScale) + lambda * dev + mu * sh;
}

function combine(w0: Float64Array | readonly number[], dW: Float64Array, h: number, T: number): Float64Array {
  const V = new Float64Array(h * T);
  for (let i = 0; i < h; i++) for (let t = 0; t < T; t++) V[i * T + t] = w0[i]! + dW[i * T + t]!;
  return V;
}


/**
 * The default solver of {@link featureProjection}: Riemannian L-BFGS ({@link grassmannLbfgs}) on
 * f(P) = min_{w₀, ΔW} F(P, w₀, ΔW), the inner block in closed form
 * ({@link projectedMeanRegularizedObjective}). Certificate: ‖(I − PPᵀ)∇_P F‖_F, equal to the Stiefel
 * Riemannian gradient of {@link alternateProjection} at the exact inner block (PᵀG is symmetric there),
 * relative to ‖∇L(0)‖_F·‖V‖_F.
 * @param D - the data
 * @param loss - the datafit
 * @param Pt0 - starting Pᵀ (h×d, orthonormal rows)
 * @param opts - λ, μ, tol, maxIter
 * @param start - `performance.now()` at the start of the fit
 * @returns the result in the shape of {@link alternateProjection}'s
 */
function projectionGrassmann(
  D: MultiTaskData, loss: QuadraticLoss, Pt0: Float64Array, opts: ResolvedFeatureProjectionOptions, start: number,
  onProgress: ProgressCallback | undefined,
): ProjectionAlternationResult<ProjectionVStepResult & { readonly w0: Float64Array; readonly dW: Float64Array }> {
  const { h, lambda, mu } = opts;
  const T = D.T;
  const R = new Float64Array(loss.residualSize);
  const reduced = projectedMeanRegularizedObjective(taskNormalEquations(loss), loss.scales, h, lambda, mu, (W) => {
    loss.residual(W, R);
    return loss.valueFromResidual(R);
  });
  const gScale = gradientScaleAtZero(quadraticDatafit(loss, 'residual'));
  const res = grassmannLbfgs({
    k: h, d: D.d, evaluate: (Q, g) => reduced.evaluate(Q, g),
    certificate: (_Q, xiNorm) => xiNorm,
    tolerance: () => opts.tol * gScale * Math.max(scaledNorm(reduced.V.length, reduced.V), 1e-300),
  }, Pt0, { maxIter: opts.maxIter, start, onProgress });
  const V = Float64Array.from(reduced.V), w0 = Float64Array.from(reduced.w0), dW = new Float64Array(h * T);
  let penalty = 0;
  for (let i = 0; i < h; i++) {
    penalty += mu * w0[i]! ** 2;
    for (let t = 0; t < T; t++) {
      dW[i * T + t] = V[i * T + t]! - w0[i]!; // ΔW = V − w₀1ᵀ
      penalty += lambda * dW[i * T + t]! ** 2;
    }
  }
  return {
    Pt: res.Qt, last: { V, penalty, w0, dW }, W: Float64Array.from(reduced.W), history: res.history, iterations: res.iterations,
    converged: res.status === 'converged', status: res.status, gradientNorm: res.certificate,
  };
}

/**
 * Fits the multi-task model and feature joint learning model (Li, Tian, Liu & Tao 2015):
 * min over P (d×h, PᵀP = I_h), w₀, ΔW of Σ_t s_t‖y_t − X_tP(w₀ + Δw_t)‖² + λ‖ΔW‖²_F + μ‖w₀‖²
 * (s_t = 1/(T n_t) by default).
 *
 * Default: Riemannian L-BFGS on the Grassmann manifold for P with the (w₀, ΔW) block in closed form
 * inside. `solver: 'alternating'`: block coordinate descent — the (w₀, ΔW) step is mean-regularized
 * MTL form B on the projected data, solved exactly by {@link meanRegularized}; the P step is
 * Armijo-backtracked Riemannian gradient descent on the Stiefel manifold with the QR retraction.
 * The objective never increases (by more than 1e-10 relative per step for L-BFGS) and PᵀP = I_h
 * holds to ~1e-15 at every iterate (`history[k].orthogonalityError`). Non-convex: the result is a
 * stationary point; the certificate is ‖Riemannian gradient in P‖_F. With h = d and μ = 0 the optimum
 * is the mean-regularized form-B optimum.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link FeatureProjectionOptions}
 * @returns P, w₀, ΔW, V, W = P(w₀1ᵀ + ΔW), intercepts, objective, history, predict
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, featureProjection } from 'mtlearn';
 * const fit = featureProjection(data, { h: 3, lambda: 0.01 });
 * fit.P;             // d×3, orthonormal columns
 * fit.predict(Xnew, 0);
 * ```
 * @see {@link featureProjectionObjective}, {@link initialProjection}, {@link meanRegularized};
 *   Y. Li, X. Tian, T. Liu & D. Tao, "Multi-task model and feature joint learning", IJCAI 2015.
 */
export function featureProjection(data: MultiTaskData | readonly TaskInput[], options: FeatureProjectionOptions): FeatureProjectionFit {
  const D = asData(data);
  const opts = checkFeatureProjectionOptions(options, D);
  const { d, T } = D;
  const { h, lambda, mu } = opts;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const Pt0 = startingProjection(D, h, opts);
  interface Step extends ProjectionVStepResult { readonly w0: Float64Array; readonly dW: Float64Array }
  const vStep = (proj: MultiTaskData): Step => {
    const fit = meanRegularized(proj, { form: 'B', lambda, mu, lossScale: opts.lossScale, fitIntercept: opts.fitIntercept, solver: 'exact' });
    let dev = 0, sh = 0;
    for (let k = 0; k < fit.dW.data.length; k++) dev += fit.dW.data[k]! ** 2;
    for (let i = 0; i < h; i++) sh += fit.w0[i]! ** 2;
    return { V: fit.W.data, penalty: lambda * dev + mu * sh, w0: fit.w0, dW: fit.dW.data };
  };
  const res = opts.solver === 'grassmann'
    ? projectionGrassmann(D, loss, Pt0, opts, start, options.onProgress)
    : alternateProjection(D, loss, Pt0, vStep, { ...opts, onProgress: options.onProgress }, start);
  const P = new Float64Array(d * h);
  for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) P[j * h + i] = res.Pt[i * d + j]!;
  const Wm: Mat = { rows: d, cols: T, data: res.W };
  const intercepts = loss.intercepts(res.W);
  const Pm: Mat = { rows: d, cols: h, data: P };
  const dWm: Mat = { rows: h, cols: T, data: Float64Array.from(res.last.dW) };
  const w0 = Float64Array.from(res.last.w0);
  const objective = res.status === 'non-finite' ? NaN
    : featureProjectionObjective(D, { P: Pm, w0, dW: dWm }, { lambda, mu, lossScale: opts.lossScale }, intercepts);
  return {
    W: Wm, intercepts, objective, certificate: res.gradientNorm, certificateKind: 'fixed-point-residual',
    iterations: res.iterations, converged: res.converged, status: res.status, history: res.history, options: opts,
    P: Pm, w0, dW: dWm, V: { rows: h, cols: T, data: Float64Array.from(res.last.V) },
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
