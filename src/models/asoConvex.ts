/**
 * Convex alternating structure optimisation (cASO): the convex relaxation of ASO,
 *
 *   min_{W, M, b}  Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² + c · tr( Wᵀ (ηI + M)⁻¹ W ),
 *   c = ρ₁ η (1 + η),   η = ρ₂ / ρ₁,   ρ₁, ρ₂ > 0,
 *   subject to  M ∈ S^d,  0 ⪯ M ⪯ I,  tr(M) = h.
 *
 * The function (W, M) ↦ tr(Wᵀ(ηI + M)⁻¹W) is jointly convex on M ≻ −ηI (a matrix-fractional
 * function), so the problem is convex. M's top-h eigenvectors play the role of ASO's Θ.
 *
 * Solver (`solver: 'alternating'`, default): exact alternation, accelerated (Anderson) —
 * for fixed W the optimal M has a closed form (eigendecomposition of W Wᵀ, its eigenvalues mapped
 * through the KKT conditions of the capped simplex), for fixed M the W-step is one d×d solve per
 * task (H_t + 2c(ηI + M)⁻¹) w_t = b_t ({@link fractionalMM}): by Cholesky, or when d > T by the
 * Woodbury formula around H_t + 2cβI, inverted once ({@link FractionalRowStep}). `'fista'`: accelerated
 * projected gradient on (W, M) jointly ({@link fractionalFista}). Certificate (both): the
 * fixed-point residual of the projected gradient map over (W, M); the fit also reports the duality
 * gap of the problem with M minimised out, an upper bound on the suboptimality
 * ({@link solveFractional}).
 *
 * Reference: J. Chen, L. Tang, J. Liu & J. Ye, "A convex formulation for learning shared structures
 * from multiple tasks", ICML 2009 (and IEEE TPAMI 35(5), 2013); the eigenvalue projection as in
 * J. Zhou, J. Chen & J. Ye, "Clustered multi-task learning via alternating structure optimization",
 * NIPS 2011.
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { symEig } from '../linalg/eig.js';
import { solveFractional } from '../solvers/fractionalSolve.js';
import { makePredict } from './predict.js';
import {
  checkBoolean, checkNumber, checkOneOf, checkOptional, checkOptionKeys, checkOptionsObject,
} from '../util/checks.js';

const checkLossScale = (v: unknown): LossScale => checkOneOf(v, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');

/** Options of {@link asoConvex}. */
export interface AsoConvexOptions {
  /** ρ₁ > 0. Required. */
  rho1: number;
  /** ρ₂ > 0 (η = ρ₂/ρ₁). Required. */
  rho2: number;
  /** Dimension h of the shared subspace, tr(M) = h; an integer in [1, d]. Required. */
  h: number;
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * Stop when the fixed-point residual ‖x − P(x − ∇f(x)/L)‖·L over x = (W, M) is
   * ≤ tol · ‖∇L(0, b₀)‖_F. @default 1e-6
   */
  tol?: number;
  /** Maximum iterations (alternations, or FISTA iterations). @default 10000 */
  maxIter?: number;
  /** `'alternating'` (exact alternation, accelerated) or `'fista'` (joint projected gradient). @default 'alternating' */
  solver?: 'alternating' | 'fista';
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link AsoConvexOptions} with every default filled in. */
export type ResolvedAsoConvexOptions = Required<Omit<AsoConvexOptions, 'onProgress'>>;

/** The result of {@link asoConvex}. */
export interface AsoConvexFit extends FitResultBase<ResolvedAsoConvexOptions> {
  /** M (d×d, symmetric, 0 ⪯ M ⪯ I, tr M = h). */
  readonly M: Mat;
  /** The top-h eigenvectors of M as rows (h×d, orthonormal): the learned shared subspace. */
  readonly Theta: Mat;
  /** Eigenvalues of M, descending (length d). */
  readonly eigenvalues: Float64Array;
  /** η = ρ₂/ρ₁. */
  readonly eta: number;
  /** c = ρ₁η(1 + η). */
  readonly c: number;
  /** ‖∇L(0, b₀)‖_F, the scale of the relative tolerance. */
  readonly gradientScale: number;
  /** The duality gap with M minimised out: an upper bound on objective − optimum. */
  readonly gap: number;
  /** L(0, b₀), the scale of a relative gap. */
  readonly objectiveAtZero: number;
  /** How the fit ended. */
  readonly status: 'converged' | 'max-iterations' | 'non-finite';
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** The parameters of the convex ASO objective, for {@link asoConvexObjective}. */
export interface AsoConvexParams {
  /** ρ₁ > 0. */
  rho1: number;
  /** ρ₂ > 0. */
  rho2: number;
  /** When given, tr(M) = h is part of the feasibility check. @default not checked */
  h?: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

const checkRho = (v: unknown, name: string): number => checkNumber(v, name, { min: 0, minExclusive: true });

/**
 * Validates and completes the options of {@link asoConvex} (the one options check of this entry point).
 * @param options - user options
 * @param data - the data (for the range of h)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected type or range
 * @example
 * ```ts
 * checkAsoConvexOptions({ rho1: 1, rho2: 0.5, h: 2 }, data).tol; // 1e-6
 * ```
 * @see {@link asoConvex}
 */
export function checkAsoConvexOptions(options: AsoConvexOptions, data: MultiTaskData): ResolvedAsoConvexOptions {
  const o = checkOptionsObject(options, 'asoConvex options', ['rho1', 'rho2', 'h']);
  checkOptionKeys(o, ['rho1', 'rho2', 'h', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'solver', 'onProgress'], 'asoConvex options');
  const rho1 = checkRho(o.rho1, 'rho1');
  const rho2 = checkRho(o.rho2, 'rho2');
  const h = checkNumber(o.h, 'h', { min: 1, max: data.d, integer: true });
  const lossScale = checkLossScale(o.lossScale);
  const fitIntercept = checkBoolean(o.fitIntercept, 'fitIntercept', true);
  const tol = checkOptional(o.tol, 1e-6, (v) => checkNumber(v, 'tol', { min: 0 }));
  const maxIter = checkOptional(o.maxIter, 10000, (v) => checkNumber(v, 'maxIter', { min: 0, integer: true }));
  const solver = checkOneOf(o.solver, 'solver', ['alternating', 'fista'] as const, 'alternating');
  return { rho1, rho2, h, lossScale, fitIntercept, tol, maxIter, solver };
}

/**
 * The convex ASO objective L(W, b) + c·tr(Wᵀ(ηI + M)⁻¹W), c = ρ₁η(1 + η), η = ρ₂/ρ₁, evaluated
 * from the raw data (loss by {@link multiTaskLoss}; (ηI + M)⁻¹ from the eigendecomposition of M).
 * The constraints are part of the model: the value is +∞ when M is not symmetric (to 1e-8 relative),
 * has an eigenvalue outside [−1e-8, 1 + 1e-8], or (when `params.h` is given) |tr M − h| > 1e-8·max(1, h).
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param W - weights d×T
 * @param M - d×d
 * @param params - ρ₁, ρ₂, optionally h, and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError when a matrix has the wrong type or shape or ρ₁, ρ₂ ≤ 0
 * @example
 * ```ts
 * asoConvexObjective(data, fit.W, fit.M, { rho1: 1, rho2: 0.5, h: 2 }, fit.intercepts); // === fit.objective
 * ```
 * @see {@link asoConvex}
 */
export function asoConvexObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, M: Mat, params: AsoConvexParams,
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  checkOptionsObject(params, 'asoConvexObjective params', ['rho1', 'rho2']);
  const rho1 = checkRho(params.rho1, 'rho1');
  const rho2 = checkRho(params.rho2, 'rho2');
  const h = params.h === undefined ? null : checkNumber(params.h, 'h', { min: 0, max: d });
  checkW(W, d, T, 'W');
  if (typeof M !== 'object' || M === null || !(M.data instanceof Float64Array)) {
    throw new TypeError(`M: expected a d×d Mat { rows: ${d}, cols: ${d}, data: Float64Array }`);
  }
  if (M.rows !== d || M.cols !== d || M.data.length !== d * d) throw new RangeError(`M: has ${M.rows}×${M.cols}, expected d×d = ${d}×${d}`);
  const m = M.data;
  let amax = 0, asym = 0;
  for (let i = 0; i < d * d; i++) {
    if (!Number.isFinite(m[i]!)) throw new RangeError(`M: entry (${Math.floor(i / d)}, ${i % d}) is ${m[i]}; expected finite`);
    amax = Math.max(amax, Math.abs(m[i]!));
  }
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) asym = Math.max(asym, Math.abs(m[i * d + j]! - m[j * d + i]!));
  if (asym > 1e-8 * Math.max(amax, 1e-300)) return Infinity;
  const eta = rho2 / rho1;
  const c = rho1 * eta * (1 + eta);
  const { values, vectors } = symEig(M);
  let tr = 0;
  for (let i = 0; i < d; i++) {
    const mu = values[i]!;
    if (mu < -1e-8 || mu > 1 + 1e-8) return Infinity;
    tr += m[i * d + i]!;
  }
  if (h !== null && Math.abs(tr - h) > 1e-8 * Math.max(1, h)) return Infinity;
  // tr(Wᵀ(ηI + M)⁻¹W) = Σ_i ‖q_iᵀW‖² / (η + μ_i), q_i the eigenvectors (columns of `vectors`)
  let pen = 0;
  const q = vectors.data, w = W.data;
  for (let i = 0; i < d; i++) {
    const inv = 1 / (eta + values[i]!);
    for (let t = 0; t < T; t++) {
      let p = 0;
      for (let j = 0; j < d; j++) p += q[j * d + i]! * w[j * T + t]!;
      pen += inv * p * p;
    }
  }
  return multiTaskLoss(D, W, intercepts, checkLossScale(params.lossScale)) + c * pen;
}

/**
 * Fits convex ASO (Chen, Tang, Liu & Ye 2009) by accelerated projected gradient on (W, M) jointly:
 * see the module documentation for the problem, the gradients and the projection.
 * Starts from W = 0, M = (h/d)·I. Certificate: the fixed-point residual ‖x − P(x − ∇f(x)/L)‖·L
 * over x = (W, M) (there is no closed-form dual), checked every 10 iterations; stops when it is
 * ≤ tol·‖∇L(0, b₀)‖_F. Non-convergence is reported as `converged: false`.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link AsoConvexOptions}
 * @returns the fit: W, M, Θ (top-h eigenvectors of M), intercepts, objective, certificate, history, …
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, asoConvex } from 'mtlearn';
 * const fit = asoConvex(MultiTaskData.fromTasks(tasks), { rho1: 0.1, rho2: 0.1, h: 3 });
 * fit.M; // 0 ⪯ M ⪯ I, tr M = 3
 * fit.Theta; // 3×d shared subspace
 * ```
 * @see {@link asoConvexObjective}, {@link aso} (the non-convex original)
 */
export function asoConvex(data: MultiTaskData | readonly TaskInput[], options: AsoConvexOptions): AsoConvexFit {
  const D = asData(data);
  const opts = checkAsoConvexOptions(options, D);
  const { d, T } = D;
  const { h } = opts;
  const start = performance.now();
  const eta = opts.rho2 / opts.rho1;
  const c = opts.rho1 * eta * (1 + eta);
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const sol = solveFractional(loss, { side: 'rows', k: h, eta, c, tol: opts.tol, maxIter: opts.maxIter, solver: opts.solver, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const Wm: Mat = { rows: d, cols: T, data: sol.W };
  const Mm: Mat = { rows: d, cols: d, data: sol.M };
  const intercepts = loss.intercepts(Wm.data);
  const objective = asoConvexObjective(D, Wm, Mm, { rho1: opts.rho1, rho2: opts.rho2, h, lossScale: opts.lossScale }, intercepts);
  const eig = symEig(Mm);
  const theta = new Float64Array(h * d);
  for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) theta[i * d + j] = eig.vectors.data[j * d + i]!;
  return {
    W: Wm, M: Mm, Theta: { rows: h, cols: d, data: theta }, eigenvalues: eig.values, eta, c, intercepts, objective,
    certificate: sol.certificate, certificateKind: 'fixed-point-residual', iterations: sol.iterations,
    converged: sol.status === 'converged', status: sol.status, history: sol.history, options: opts, gradientScale: sol.gradientScale,
    gap: sol.gap, objectiveAtZero: sol.valueAtZero, time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
