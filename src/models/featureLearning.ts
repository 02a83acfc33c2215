/**
 * Convex multi-task feature learning (Argyriou, Evgeniou & Pontil 2008), `docs/objectives.md`,
 * "Joint feature projection":
 *
 *   min_{W, D} L(W, b) + γ tr(Wᵀ D⁺ W),  D ⪰ 0, tr D ≤ 1, range(W) ⊆ range(D),
 *
 * whose minimum over D is L(W, b) + γ‖W‖²_* (‖·‖_* the trace / nuclear norm).
 *
 * ## Solvers
 * - `'admm'` / `'fista'` (default, `'auto'` picks as for the trace norm, {@link chooseSpectralSolver}):
 *   the objective L(W) + γ‖W‖²_* directly, by ADMM with exact per-task solves or by FISTA, with the
 *   exact prox of γ‖·‖²_* on the singular values (x = (σ − θ)₊, θ = 2·step·γ·Σx; see
 *   {@link squaredTraceNormValues}); they stop on the duality gap below.
 * - `'alternating'`: the paper's Algorithm 1 with the ε-perturbation of §4.2 (W step: per-task
 *   generalised ridge in the eigenbasis of D; D step D = (WWᵀ + εI)^{1/2}/tr(·); ε from `epsilon` down to
 *   `epsilonMin`), see {@link alternateFeatureLearning}. It is monotone in F_ε but slow as ε → 0.
 *
 * ## Certificate
 * The duality gap of the unperturbed problem min L(W) + γ‖W‖²_*: with V = Xᵀ(2s⊙R), the conjugate
 * of γ‖·‖²_* is σ_max(·)²/(4γ) and the dual point U = α·2s⊙R gives
 *   D(α) = αA − α²(B + σ_max(V)²/(4γ)),  α* = A / (2(B + σ_max(V)²/(4γ))),
 * with A = ⟨2s⊙R, Y⟩ and B = L(W) (same construction as the trace-norm gap; Lewis 1995 for the
 * conjugates of spectral functions).
 *
 * References: A. Argyriou, T. Evgeniou & M. Pontil, "Convex multi-task feature learning", Machine
 * Learning 73(3), 243–272, 2008; A. S. Lewis, "The convex analysis of unitarily invariant matrix
 * functions", J. Convex Anal. 2, 1995.
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import { spectralNorm } from '../linalg/svd.js';
import { squaredTraceNormValues, type SolverStatus } from '../solvers/spectralProxGrad.js';
import { chooseSpectralSolver, solveSpectral, type SpectralGap } from '../solvers/spectralModel.js';
import { alternateFeatureLearning, FeatureLearningDStep, WStepSolver } from '../solvers/featureLearningAlternating.js';
import { makePredict } from './predict.js';
import { checkBoolean, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';
import { singularValues } from '../solvers/spectralTools.js';
import { quadraticDatafit } from '../datafits/state.js';
import { taskNormalEquations } from '../datafits/normalEquations.js';

/** Options of {@link featureLearning}. */
export interface FeatureLearningOptions {
  /** γ > 0, the weight of γ‖W‖²_* (= γ min_D tr(WᵀD⁺W)). Required. */
  gamma: number;
  /**
   * `'auto'` (ADMM whenever the per-task d×d systems are affordable — (number of Gram matrices)·d³ ≤ 2e7 —
   * whichever form the loss is evaluated in, else FISTA), `'admm'`, `'fista'` or `'alternating'` (the
   * paper's ε-perturbed alternation). ADMM's exact per-task solves make its iteration count insensitive
   * to the conditioning: on School's inner-CV folds (2/3 of a 75 % split, where the loss prefers
   * residuals) it needs 160–420 iterations where FISTA needs 2300 to more than 5000. @default 'auto'
   */
  solver?: 'auto' | 'admm' | 'fista' | 'alternating';
  /** `'alternating'` only: starting perturbation ε₀ > 0 of the continuation. @default 1e-3 */
  epsilon?: number;
  /** `'alternating'` only: final perturbation ε_min ∈ (0, ε₀]. @default 1e-8 */
  epsilonMin?: number;
  /** `'alternating'` only: factor in (0, 1) applied to ε between stages. @default 0.1 */
  epsilonDecay?: number;
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * Converged when the duality gap ≤ tol·F(0, b₀) (every solver). For `'alternating'` a stage also ends
   * when the relative decrease of the smoothed objective over one alternation is ≤ tol. @default 1e-8
   */
  tol?: number;
  /** Maximum number of iterations (ADMM / FISTA) or alternations (over all stages). @default 5000 */
  maxIter?: number;
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link FeatureLearningOptions} with every default filled in. */
export type ResolvedFeatureLearningOptions = Required<Omit<FeatureLearningOptions, 'onProgress'>>;

/** One history entry of {@link featureLearning}. */
export interface FeatureLearningHistoryEntry extends HistoryEntry {
  /** The ε of the stage; `objective` is the smoothed F_ε(W) = L(W) + γ (tr (WWᵀ + εI)^{1/2})². */
  readonly epsilon: number;
}

/** The learned features: the eigen-decomposition of D. */
export interface LearnedFeatures {
  /** Orthonormal features as columns (d×d): column k is the k-th eigenvector of D. */
  readonly vectors: Mat;
  /** The eigenvalues of D (descending, non-negative, summing to 1): each feature's share. */
  readonly values: Float64Array;
}

/** The result of {@link featureLearning}. */
export interface FeatureLearningFit extends FitResultBase<ResolvedFeatureLearningOptions> {
  /** Why the solver stopped (`'converged'`: a finite gap ≤ tol·F(0, b₀)). */
  readonly status: SolverStatus;
  /** D = (WWᵀ + εI)^{1/2} / tr(·) at the returned W with the final ε (0 except for `'alternating'`; d×d, tr D = 1). */
  readonly D: Mat;
  /** The eigenvectors (columns) and eigenvalues of D: the learned orthonormal features. */
  readonly features: LearnedFeatures;
  /** The final ε. */
  readonly epsilon: number;
  /** Duality gap of min L + γ‖W‖²_* at W (absolute); equals `certificate`. */
  readonly gap: number;
  /** Singular values of W, descending. */
  readonly singularValues: Float64Array;
  /** Objective history; the objectives of entries with the same ε never increase. */
  readonly history: readonly FeatureLearningHistoryEntry[];
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** Parameters of {@link featureLearningObjective}. */
export interface FeatureLearningParams {
  /** γ ≥ 0. */
  gamma: number;
  /** @default 'mean' */
  lossScale?: LossScale;
  /** ε ≥ 0: evaluate the smoothed F_ε = L + γ (tr (WWᵀ + εI)^{1/2})² instead. @default 0 */
  epsilon?: number;
}

/**
 * Validates and completes the options of {@link featureLearning} (the one options check of this entry
 * point).
 * @param options - user options
 * @returns the resolved options
 * @throws TypeError / RangeError naming the option and the expected type or range
 * @example
 * ```ts
 * checkFeatureLearningOptions({ gamma: 0.1 }).epsilonMin; // 1e-8
 * ```
 * @see {@link featureLearning}
 */
export function checkFeatureLearningOptions(options: FeatureLearningOptions): ResolvedFeatureLearningOptions {
  checkOptionsObject(options, 'featureLearning options', ['gamma']);
  checkOptionKeys(options, ['gamma', 'solver', 'epsilon', 'epsilonMin', 'epsilonDecay', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'onProgress'], 'featureLearning');
  const gamma = checkNumber(options.gamma, 'gamma', { min: 0 });
  if (!(gamma > 0)) throw new RangeError(`gamma: expected a finite number in (0, ∞), got ${gamma}`);
  const epsilon = checkNumber(options.epsilon ?? 1e-3, 'epsilon', { min: 0 });
  if (!(epsilon > 0)) throw new RangeError(`epsilon: expected a finite number in (0, ∞), got ${epsilon}`);
  const epsilonMin = checkNumber(options.epsilonMin ?? Math.min(1e-8, epsilon), 'epsilonMin', { min: 0, max: epsilon });
  if (!(epsilonMin > 0)) throw new RangeError(`epsilonMin: expected a number in (0, ${epsilon}], got ${epsilonMin}`);
  const epsilonDecay = checkNumber(options.epsilonDecay ?? 0.1, 'epsilonDecay', { min: 0, max: 1 });
  if (!(epsilonDecay > 0 && epsilonDecay < 1)) throw new RangeError(`epsilonDecay: expected a number in (0, 1), got ${epsilonDecay}`);
  const solver = options.solver ?? 'auto';
  if (solver !== 'auto' && solver !== 'admm' && solver !== 'fista' && solver !== 'alternating') {
    throw new RangeError(`solver: expected 'auto', 'admm', 'fista' or 'alternating', got ${String(solver)}`);
  }
  const lossScale = checkOneOf(options.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(options.fitIntercept, 'fitIntercept', true);
  const tol = checkNumber(options.tol ?? 1e-8, 'tol', { min: 0 });
  const maxIter = checkNumber(options.maxIter ?? 5000, 'maxIter', { min: 1, integer: true });
  return { gamma, solver, epsilon, epsilonMin, epsilonDecay, lossScale, fitIntercept, tol, maxIter };
}

/**
 * The objective of convex multi-task feature learning, L(W, b) + γ‖W‖²_*, evaluated from the raw data
 * (loss by {@link multiTaskLoss}, nuclear norm by a thin SVD). With `epsilon` > 0 it evaluates the
 * smoothed F_ε = L + γ (tr (WWᵀ + εI)^{1/2})² = L + γ (Σ_i √(σ_i² + ε) + (d − k)√ε)², k = min(d, T).
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param W - weights d×T
 * @param params - γ, the loss scale and ε
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on a bad parameter or a shape mismatch
 * @example
 * ```ts
 * featureLearningObjective(data, fit.W, { gamma: 0.1 }, fit.intercepts); // ≈ fit.objective
 * ```
 * @see {@link featureLearning}; Argyriou, Evgeniou & Pontil, Machine Learning 73(3), 2008, Theorem 1.
 */
export function featureLearningObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: FeatureLearningParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  checkOptionsObject(params, 'params', ['gamma']);
  const gamma = checkNumber(params.gamma, 'gamma', { min: 0 });
  const eps = checkNumber(params.epsilon ?? 0, 'epsilon', { min: 0 });
  checkW(W, D.d, D.T, 'W');
  const loss = multiTaskLoss(D, W, intercepts, checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'));
  return loss + gamma * smoothedTrace(singularValues(W), W.rows, eps) ** 2;
}

/** Σ_i √(σ_i² + ε) + (d − k)√ε  (= ‖W‖_* for ε = 0). */
function smoothedTrace(s: Float64Array, d: number, eps: number): number {
  let tr = 0;
  for (let i = 0; i < s.length; i++) tr += eps > 0 ? Math.sqrt(s[i]! * s[i]! + eps) : s[i]!;
  return tr + (d - s.length) * Math.sqrt(eps);
}

/**
 * One W step of {@link featureLearning} for a given D ≻ 0: per task, the minimiser of
 * s_t‖ỹ_t − X̃_t w_t‖² + γ w_tᵀ D⁻¹ w_t, i.e. the solution of (s_t G_t + γ D⁻¹) w_t = s_t c_t
 * (centred data when fitting intercepts). Exposed for tests and for users who fix D.
 *
 * @param data - the data
 * @param Dmat - symmetric positive definite d×d matrix D
 * @param params - γ > 0, loss scale (default `'mean'`) and `fitIntercept` (default true)
 * @returns W (d×T) and the matching optimal intercepts
 * @throws TypeError / RangeError on bad parameters, a D of the wrong shape or not positive definite
 * @example
 * ```ts
 * const { W } = featureLearningWStep(data, identityOverD, { gamma: 0.1 });
 * ```
 * @see {@link featureLearning}
 */
export function featureLearningWStep(
  data: MultiTaskData | readonly TaskInput[], Dmat: Mat,
  params: { gamma: number; lossScale?: LossScale; fitIntercept?: boolean },
): { W: Mat; intercepts: Float64Array } {
  const Dt = asData(data);
  const { d, T } = Dt;
  checkOptionsObject(params, 'params', ['gamma']);
  const gamma = checkNumber(params.gamma, 'gamma', { min: 0 });
  if (!(gamma > 0)) throw new RangeError(`gamma: expected a finite number in (0, ∞), got ${gamma}`);
  if (typeof Dmat !== 'object' || Dmat === null || !(Dmat.data instanceof Float64Array)) throw new TypeError(`D: expected a ${d}×${d} Mat`);
  if (Dmat.rows !== d || Dmat.cols !== d) throw new RangeError(`D: has ${Dmat.rows}×${Dmat.cols}, expected d×d = ${d}×${d}`);
  const loss = new QuadraticLoss(Dt, { lossScale: checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'), fitIntercept: checkBoolean(params.fitIntercept, 'fitIntercept', true) });
  const vals = new Float64Array(d), vecT = new Float64Array(d * d);
  symEigInto(Dmat, vals, vecT, createSymEigWorkspace(d));
  if (!(vals[d - 1]! > 0)) throw new RangeError(`D: expected a positive definite matrix, smallest eigenvalue is ${vals[d - 1]}`);
  const W = new Float64Array(d * T);
  if (!new WStepSolver(d, T, taskNormalEquations(loss), loss.scales, gamma).solve(vecT, vals, W)) {
    throw new RangeError('D: the W-step system is not positive definite (non-finite data, or γ too small for the data scale)');
  }
  return { W: { rows: d, cols: T, data: W }, intercepts: loss.intercepts(W) };
}

/**
 * Fits convex multi-task feature learning (Argyriou, Evgeniou & Pontil 2008):
 * min_{W, D} L(W, b) + γ tr(WᵀD⁺W), D ⪰ 0, tr D ≤ 1 — equivalently min L(W, b) + γ‖W‖²_*.
 *
 * Solvers (`solver`): ADMM with exact per-task solves or FISTA ({@link solveSpectral}) on
 * L(W) + γ‖W‖²_* with the exact prox of the squared trace norm on the singular values, stopping when
 * the duality gap ≤ tol·F(0, b₀); or the paper's ε-perturbed alternation (`'alternating'`). Every
 * solver reports the duality gap of the unperturbed problem (see the module documentation), and
 * `converged` is true only when that gap is finite and ≤ tol·F(0, b₀). D = (WWᵀ)^{1/2}/‖W‖_* at the
 * returned W (with the final ε for `'alternating'`).
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link FeatureLearningOptions}
 * @returns W, intercepts, D, the learned features (eigenvectors of D with eigenvalues), objective
 *   L + γ‖W‖²_*, duality gap, status, history
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, featureLearning } from 'mtlearn';
 * const fit = featureLearning(data, { gamma: 0.05 });
 * fit.features.values; // share of each learned feature (sums to 1)
 * fit.predict(Xnew, 0);
 * ```
 * @see {@link featureLearningObjective}, {@link featureLearningWStep}; A. Argyriou, T. Evgeniou &
 *   M. Pontil, "Convex multi-task feature learning", Machine Learning 73(3), 243–272, 2008.
 */
export function featureLearning(data: MultiTaskData | readonly TaskInput[], options: FeatureLearningOptions): FeatureLearningFit {
  const Dt = asData(data);
  const opts = checkFeatureLearningOptions(options);
  const { d, T } = Dt;
  const { gamma } = opts;
  const start = performance.now();
  const loss = new QuadraticLoss(Dt, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const P0 = loss.valueAtZero();
  const tolAbs = opts.tol * P0;
  let W: Float64Array;
  let iterations: number;
  let history: FeatureLearningHistoryEntry[];
  let epsilon = 0;
  let ds: FeatureLearningDStep;
  let status: SolverStatus;
  let gap: number;
  if (opts.solver === 'alternating') {
    const res = alternateFeatureLearning(loss, taskNormalEquations(loss), gamma, { ...opts, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }, start);
    W = res.W;
    iterations = res.iterations;
    history = res.history;
    epsilon = res.epsilon;
    ds = res.dStep;
    gap = res.finite ? featureLearningGapOf(loss, W, gamma, singularValues({ rows: d, cols: T, data: W })) : NaN;
    status = !Number.isFinite(gap) ? 'non-finite' : gap <= tolAbs ? 'converged' : 'max-iterations';
  } else {
    const backend = quadraticDatafit(loss, 'auto');
    const solver = opts.solver === 'auto' ? chooseSpectralSolver(loss) : opts.solver;
    const res = solveSpectral(loss, backend, new Float64Array(d * T), squaredTraceNormValues(gamma), 0, squaredTraceGap(gamma), false,
      tolAbs, opts.maxIter, solver, options.onProgress);
    W = res.x;
    iterations = res.iterations;
    history = res.history.map((h) => ({ ...h, epsilon: 0 }));
    status = res.status;
    gap = res.certificate;
    ds = new FeatureLearningDStep(d, T);
    if (status !== 'non-finite') ds.compute(W, 0);
  }
  const Wm: Mat = { rows: d, cols: T, data: W };
  const intercepts = loss.intercepts(W);
  const sW = status === 'non-finite' ? new Float64Array(Math.min(d, T)).fill(NaN) : singularValues(Wm);
  const objective = status === 'non-finite' ? NaN : featureLearningObjective(Dt, Wm, { gamma, lossScale: opts.lossScale }, intercepts);
  if (history.length > 0) {
    const h = history[history.length - 1]!;
    history[history.length - 1] = { ...h, certificate: gap };
  }
  const { D, vectors } = ds.matrices();
  return {
    W: Wm, intercepts, objective, certificate: gap, certificateKind: 'duality-gap', iterations, converged: status === 'converged',
    status, history, options: opts, D, features: { vectors, values: Float64Array.from(ds.delta) },
    epsilon, gap, singularValues: sW, time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}

/**
 * The duality gap of min L + γ‖W‖²_* from the shared spectral terms: the conjugate of γ‖·‖²_* is
 * σ_max(·)²/(4γ), so along U = α·2s⊙R, D(α) = αA − α²(B + σ_max(V)²/(4γ)), maximised at
 * α* = A/(2(B + σ_max²/(4γ))) (clamped at 0).
 * @param gamma - γ
 * @returns the gap function for {@link solveSpectral} (`penaltyValue` = γ‖W‖²_*)
 */
function squaredTraceGap(gamma: number): SpectralGap {
  return (B, A, sV, hx) => {
    const smax = sV.length > 0 ? sV[0]! : 0;
    const primal = B + hx;
    const den = 2 * (B + (smax * smax) / (4 * gamma));
    const alpha = den > 0 ? Math.max(0, A / den) : 0;
    const dual = alpha * A - (alpha * alpha * den) / 2;
    return { gap: Math.max(0, primal - dual), primal };
  };
}

/** Duality gap of min L + γ‖W‖²_* at W. */
function featureLearningGapOf(loss: QuadraticLoss, W: Float64Array, gamma: number, sW: Float64Array): number {
  const { d, T } = loss;
  const R = new Float64Array(loss.residualSize);
  loss.residual(W, R);
  const B = loss.valueFromResidual(R);
  const A = loss.innerWithY(R, true);
  const V = new Float64Array(d * T);
  loss.correlation(R, V);
  if (!V.every(Number.isFinite)) return NaN;
  const smax = spectralNorm({ rows: d, cols: T, data: V });
  let nuc = 0;
  for (let i = 0; i < sW.length; i++) nuc += sW[i]!;
  return squaredTraceGap(gamma)(B, A, new Float64Array([smax]), gamma * nuc * nuc, 0).gap;
}
