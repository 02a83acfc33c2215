/**
 * Mean-regularized multi-task learning (Evgeniou & Pontil 2004), in the two parameterisations of
 * `docs/objectives.md` ("Task relations"):
 *
 * - form A (penalty on W):  F(W) = L(W) + ρ ( ‖w̄‖² + (λ/T) Σ_t ‖w_t − w̄‖² ),  w̄ = (1/T) Σ_t w_t;
 * - form B (shared plus specific part, w_t = w₀ + Δw_t):
 *   F(w₀, ΔW) = L(w₀1ᵀ + ΔW) + λ ‖ΔW‖²_F + μ ‖w₀‖².
 *
 * Minimising B over w₀ for fixed W (Σ_t ‖w_t − w₀‖² = Σ_t ‖w_t − w̄‖² + T‖w̄ − w₀‖²) gives
 * w₀ = λT w̄ / (λT + μ) and the penalty λ Σ_t ‖w_t − w̄‖² + κ ‖w̄‖² with κ = λTμ / (λT + μ). So both
 * forms are "p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖²": A has (p_mean, p_dev) = (ρ, ρλ/T), B has (κ, λ).
 * B with μ > 0 equals A with ρ = κ and λ_A = λ_B T / κ = (λ_B T + μ)/μ (> 1); A with λ_A > 1 equals B
 * with λ_B = ρλ_A/T and μ = ρλ_A/(λ_A − 1); A with λ_A ≤ 1 has no B counterpart (λ_A = 1 is the
 * plain ridge (ρ/T)‖W‖², i.e. B's μ → ∞), and B with μ = 0 (the textbook form, w̄ unpenalised) has no
 * A counterpart with finite parameters (it is the limit ρ → 0, ρλ_A/T = λ_B fixed).
 *
 * Solvers. The penalty is a quadratic form whose Hessian is (a I_T + b 11ᵀ) ⊗ I_d and the loss is
 * quadratic with block-diagonal Hessian diag(H_t), H_t = 2 s_t X_tᵀX_t (centred designs), so the
 * optimum solves the linear system (H_t + 2αI) w_t + γ w̄ = g_t (t = 1..T) with α = p_dev,
 * γ = 2p_mean/T − 2p_dev and g_t = 2 s_t X_tᵀ y_t. `'exact'` eliminates the tasks (Schur complement):
 * with A_t = H_t + 2αI and u_t = A_t⁻¹ g_t,
 *   Σ_t A_t⁻¹ (H_t + δI) w̄ = Σ_t u_t,   δ = 2α + γ = 2 p_mean / T,   w_t = u_t − γ A_t⁻¹ w̄,
 * a d×d symmetric positive (semi-)definite system whose terms are all positive semi-definite (no
 * cancellation). For a shared design without missing responses every H_t is 2 s_t G, G = XᵀX, and one
 * eigendecomposition of G diagonalises the whole system (O(nd² + d³ + d²T)). Otherwise each A_t is
 * factored by Cholesky (O(T d³)). The solution is refined by iterative refinement on the gradient
 * computed through the (independent) residual path. `'fista'` runs the generic FISTA on the smooth
 * objective (no non-smooth part) and stops on the relative fixed-point residual ‖∇F‖.
 *
 * References: T. Evgeniou & M. Pontil, "Regularized multi-task learning", KDD 2004; T. Evgeniou,
 * C. Micchelli & M. Pontil, "Learning multiple tasks with kernel methods", JMLR 6, 2005.
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmTN, gemv, gemvT } from '../linalg/blas.js';
import { symEig } from '../linalg/eig.js';
import { fista, type ProxFunction, type SmoothFunction } from '../solvers/fista.js';
import { makePredict } from './predict.js';

// ---------------------------------------------------------------------------------------------
// Options, parameters, results
// ---------------------------------------------------------------------------------------------

/** Options common to both forms of {@link meanRegularized}. */
export interface MeanRegularizedCommonOptions {
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * `'exact'`: structured direct solve of the optimality system (plus iterative refinement);
   * `'fista'`: generic accelerated gradient. @default 'exact'
   */
  solver?: 'exact' | 'fista';
  /**
   * Stop when ‖∇F(W)‖_F ≤ tol · ‖∇F(0)‖_F (relative fixed-point residual). For `'exact'` it decides
   * whether iterative refinement continues and whether the fit is reported `converged`. @default 1e-10
   */
  tol?: number;
  /** Maximum iterations (FISTA) or refinement steps (exact). @default 10000 (FISTA), 5 (exact) */
  maxIter?: number;
  /** FISTA only: starting W (d×T). @default zeros */
  warmStart?: Mat | null;
}

/** Form A: F(W) = L(W) + ρ ( ‖w̄‖² + (λ/T) Σ_t ‖w_t − w̄‖² ). */
export interface MeanRegularizedFormAOptions extends MeanRegularizedCommonOptions {
  /** Selects form A. */
  form: 'A';
  /** ρ ≥ 0, the overall penalty weight. Required. */
  rho: number;
  /** λ ≥ 0, the relative weight of the deviations from the mean. Required. */
  lambda: number;
}

/** Form B: F(w₀, ΔW) = L(w₀1ᵀ + ΔW) + λ ‖ΔW‖²_F + μ ‖w₀‖². */
export interface MeanRegularizedFormBOptions extends MeanRegularizedCommonOptions {
  /** Selects form B. */
  form: 'B';
  /** λ ≥ 0, the weight of ‖ΔW‖²_F. Required. */
  lambda: number;
  /** μ ≥ 0, the weight of ‖w₀‖² (0 in the textbook form). @default 0 */
  mu?: number;
}

/** Options of {@link meanRegularized}: form A or form B plus the common options. */
export type MeanRegularizedOptions = MeanRegularizedFormAOptions | MeanRegularizedFormBOptions;

/** {@link MeanRegularizedOptions} with every default filled in. */
export interface ResolvedMeanRegularizedOptions {
  /** `'A'` or `'B'`. */
  form: 'A' | 'B';
  /** Form A's ρ (NaN for form B). */
  rho: number;
  /** λ of the chosen form. */
  lambda: number;
  /** Form B's μ (NaN for form A). */
  mu: number;
  /** Loss scaling. */
  lossScale: LossScale;
  /** Whether intercepts are fitted. */
  fitIntercept: boolean;
  /** The solver requested. */
  solver: 'exact' | 'fista';
  /** Relative tolerance. */
  tol: number;
  /** Iteration cap. */
  maxIter: number;
  /** Warm start (FISTA). */
  warmStart: Mat | null;
  /** The solver that ran (`'exact'` falls back to `'fista'` when a task block is singular with α = 0). */
  solverUsed: 'exact' | 'fista';
  /** The equivalent penalty p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖²: p_mean. */
  pMean: number;
  /** … and p_dev. */
  pDev: number;
}

/** The parameters of the mean-regularized objective, for {@link meanRegularizedObjective}. */
export type MeanRegularizedParams =
  | { form: 'A'; rho: number; lambda: number; lossScale?: LossScale }
  | { form: 'B'; lambda: number; mu?: number; lossScale?: LossScale };

/** Form B's variables (w₀, ΔW), accepted by {@link meanRegularizedObjective}. */
export interface SharedPlusSpecific {
  /** The shared part w₀ (length d). */
  w0: Float64Array | readonly number[];
  /** The task-specific parts ΔW (d×T). */
  dW: Mat;
}

/** The result of {@link meanRegularized}. */
export interface MeanRegularizedFit extends FitResultBase<ResolvedMeanRegularizedOptions> {
  /** The form fitted. */
  readonly form: 'A' | 'B';
  /** The mean task vector w̄ = (1/T) Σ_t w_t (length d). */
  readonly wbar: Float64Array;
  /** Form B: the shared part w₀ = λT w̄ / (λT + μ); form A: w̄. */
  readonly w0: Float64Array;
  /** W − w₀1ᵀ: form B's task-specific parts ΔW; form A's deviations from the mean. */
  readonly dW: Mat;
  /** ‖∇F(0)‖_F, the scale of the relative tolerance. */
  readonly certificateScale: number;
  /** Seconds spent in the fit. */
  readonly time: number;
}

function checkNumber(v: unknown, name: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || Number.isNaN(v) || !Number.isFinite(v) || v < lo || v > hi) {
    throw new RangeError(`${name}: expected a finite number in [${lo}, ${hi === Infinity ? '∞' : hi}], got ${String(v)}`);
  }
  return v;
}

function checkLossScale(v: unknown): LossScale {
  const s = v ?? 'mean';
  if (s !== 'sum' && s !== 'mean' && s !== 'task-mean') throw new RangeError(`lossScale: expected 'sum', 'mean' or 'task-mean', got ${String(s)}`);
  return s;
}

/**
 * The equivalent penalty weights (p_mean, p_dev) of either form: the penalty (profiled over w₀ for
 * form B) is p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖².
 * @param params - the form's parameters
 * @param T - number of tasks (of the group the penalty applies to)
 * @returns `{ pMean, pDev }`
 * @throws RangeError when a parameter is negative or not finite, or `form` is neither 'A' nor 'B'
 * @example
 * ```ts
 * meanRegularizedWeights({ form: 'B', lambda: 0.1, mu: 1 }, 10); // { pMean: 0.5, pDev: 0.1 }
 * ```
 * @see {@link meanRegularizedObjective}
 */
export function meanRegularizedWeights(params: MeanRegularizedParams, T: number): { pMean: number; pDev: number } {
  if (typeof params !== 'object' || params === null) throw new TypeError("params: expected { form: 'A', rho, lambda } or { form: 'B', lambda, mu }");
  if (params.form === 'A') {
    const rho = checkNumber(params.rho, 'rho', 0, Infinity);
    const lambda = checkNumber(params.lambda, 'lambda', 0, Infinity);
    return { pMean: rho, pDev: (rho * lambda) / T };
  }
  if (params.form === 'B') {
    const lambda = checkNumber(params.lambda, 'lambda', 0, Infinity);
    const mu = checkNumber(params.mu ?? 0, 'mu', 0, Infinity);
    const lt = lambda * T;
    return { pMean: lt + mu > 0 ? (lt * mu) / (lt + mu) : 0, pDev: lambda };
  }
  throw new RangeError(`form: expected 'A' or 'B', got ${String((params as { form?: unknown }).form)}`);
}

/**
 * Validates and completes the options of {@link meanRegularized} (the one `checkOptions` of this entry
 * point).
 * @param options - user options
 * @param data - the data (for T and the shape of `warmStart`)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkMeanRegularizedOptions({ form: 'B', lambda: 0.1 }, data).mu; // 0
 * ```
 * @see {@link meanRegularized}
 */
export function checkMeanRegularizedOptions(options: MeanRegularizedOptions, data: MultiTaskData): ResolvedMeanRegularizedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError("options: expected { form: 'A', rho, lambda } or { form: 'B', lambda, mu? }");
  }
  const form = options.form;
  if (form !== 'A' && form !== 'B') throw new RangeError(`form: expected 'A' or 'B', got ${String(form)}`);
  const lambda = checkNumber(options.lambda, 'lambda', 0, Infinity);
  const rho = form === 'A' ? checkNumber((options as MeanRegularizedFormAOptions).rho, 'rho', 0, Infinity) : NaN;
  const mu = form === 'B' ? checkNumber((options as MeanRegularizedFormBOptions).mu ?? 0, 'mu', 0, Infinity) : NaN;
  const lossScale = checkLossScale(options.lossScale);
  const fitIntercept = options.fitIntercept ?? true;
  if (typeof fitIntercept !== 'boolean') throw new TypeError(`fitIntercept: expected a boolean, got ${typeof fitIntercept}`);
  const solver = options.solver ?? 'exact';
  if (solver !== 'exact' && solver !== 'fista') throw new RangeError(`solver: expected 'exact' or 'fista', got ${String(solver)}`);
  const tol = checkNumber(options.tol ?? 1e-10, 'tol', 0, Infinity);
  const maxIter = checkNumber(options.maxIter ?? (solver === 'exact' ? 5 : 10000), 'maxIter', 0, Infinity);
  if (!Number.isInteger(maxIter)) throw new RangeError(`maxIter: expected a non-negative integer, got ${maxIter}`);
  const warmStart = options.warmStart ?? null;
  if (warmStart !== null) checkW(warmStart, data.d, data.T, 'warmStart');
  const { pMean, pDev } = meanRegularizedWeights(
    form === 'A' ? { form, rho, lambda } : { form, lambda, mu }, data.T,
  );
  return { form, rho, lambda, mu, lossScale, fitIntercept, solver, tol, maxIter, warmStart, solverUsed: solver, pMean, pDev };
}

// ---------------------------------------------------------------------------------------------
// Objective and gradient
// ---------------------------------------------------------------------------------------------

function meanDeviationPenalty(W: Float64Array, d: number, T: number, pMean: number, pDev: number, wbar: Float64Array): number {
  let mean2 = 0, dev2 = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += W[j * T + t]!;
    const m = s / T;
    wbar[j] = m;
    mean2 += m * m;
    for (let t = 0; t < T; t++) {
      const e = W[j * T + t]! - m;
      dev2 += e * e;
    }
  }
  return pMean * mean2 + pDev * dev2;
}

/** g += ∇ of p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖² at W (w̄ given). */
function addPenaltyGradient(W: Float64Array, wbar: Float64Array, d: number, T: number, pMean: number, pDev: number, g: Float64Array): void {
  const cm = (2 * pMean) / T, cd = 2 * pDev;
  for (let j = 0; j < d; j++) {
    const m = wbar[j]!;
    for (let t = 0; t < T; t++) g[j * T + t]! += cd * (W[j * T + t]! - m) + cm * m;
  }
}

function isShared(x: unknown): x is SharedPlusSpecific {
  return typeof x === 'object' && x !== null && 'w0' in x && 'dW' in x;
}

/**
 * The mean-regularized objective, evaluated from the raw data.
 *
 * - `params.form === 'A'`, `W` a d×T Mat: L(W, b) + ρ ( ‖w̄‖² + (λ/T) Σ_t ‖w_t − w̄‖² ).
 * - `params.form === 'B'`, `W` = `{ w0, dW }`: L(w₀1ᵀ + ΔW, b) + λ ‖ΔW‖²_F + μ ‖w₀‖².
 * - `params.form === 'B'`, `W` a Mat: form B at the best w₀ for this W (w₀ = λT w̄/(λT + μ),
 *   ΔW = W − w₀1ᵀ), i.e. L + λ Σ_t ‖w_t − w̄‖² + (λTμ/(λT + μ)) ‖w̄‖².
 * - `params.form === 'A'`, `W` = `{ w0, dW }`: form A at W = w₀1ᵀ + ΔW.
 *
 * @param data - the data (a {@link MultiTaskData} or per-task `{ X, y }` array)
 * @param W - weights d×T, or form B's `{ w0, dW }`
 * @param params - the form and its parameters, and the loss scale (default `'mean'`)
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on malformed arguments (shapes, negative parameters)
 * @example
 * ```ts
 * meanRegularizedObjective(data, fit.W, { form: 'A', rho: 1, lambda: 5 }, fit.intercepts);
 * meanRegularizedObjective(data, { w0: fit.w0, dW: fit.dW }, { form: 'B', lambda: 0.1 }, fit.intercepts);
 * ```
 * @see {@link meanRegularized}
 */
export function meanRegularizedObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat | SharedPlusSpecific, params: MeanRegularizedParams,
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  const weights = meanRegularizedWeights(params, T); // validates params
  const lossScale = checkLossScale(params.lossScale);
  if (isShared(W)) {
    const w0 = W.w0;
    if (!(w0 instanceof Float64Array) && !Array.isArray(w0)) throw new TypeError(`w0: expected a Float64Array or number[] of length d = ${d}`);
    if (w0.length !== d) throw new RangeError(`w0: expected length d = ${d}, got ${w0.length}`);
    checkW(W.dW, d, T, 'dW');
    const full = new Float64Array(d * T);
    let dev2 = 0, w02 = 0;
    for (let j = 0; j < d; j++) {
      const a = w0[j]!;
      if (!Number.isFinite(a)) throw new RangeError(`w0: entry ${j} is ${a}; expected finite`);
      w02 += a * a;
      for (let t = 0; t < T; t++) {
        const e = W.dW.data[j * T + t]!;
        dev2 += e * e;
        full[j * T + t] = a + e;
      }
    }
    const Wm: Mat = { rows: d, cols: T, data: full };
    if (params.form === 'A') {
      return multiTaskLoss(D, Wm, intercepts, lossScale) + meanDeviationPenalty(full, d, T, weights.pMean, weights.pDev, new Float64Array(d));
    }
    return multiTaskLoss(D, Wm, intercepts, lossScale) + params.lambda * dev2 + (params.mu ?? 0) * w02;
  }
  checkW(W, d, T, 'W');
  return multiTaskLoss(D, W, intercepts, lossScale) + meanDeviationPenalty(W.data, d, T, weights.pMean, weights.pDev, new Float64Array(d));
}

/**
 * The gradient of the mean-regularized objective in W with the intercepts profiled out (b = the
 * optimal intercepts of W when `fitIntercept`): ∇L(W) + ∇penalty, through the solvers' residual path.
 * By the envelope theorem it is also ∂F/∂W at (W, b*(W)).
 *
 * @param data - the data
 * @param W - weights d×T
 * @param params - the form, its parameters and the loss scale; `fitIntercept` (default true)
 * @returns ∇F(W), d×T
 * @throws TypeError / RangeError on malformed arguments
 * @example
 * ```ts
 * const G = meanRegularizedGradient(data, fit.W, { form: 'A', rho: 1, lambda: 5 });
 * // ‖G‖ ≈ 0 at the optimum
 * ```
 * @see {@link meanRegularizedObjective}
 */
export function meanRegularizedGradient(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: MeanRegularizedParams & { fitIntercept?: boolean },
): Mat {
  const D = asData(data);
  const { d, T } = D;
  checkW(W, d, T, 'W');
  const { pMean, pDev } = meanRegularizedWeights(params, T);
  const loss = new QuadraticLoss(D, { lossScale: checkLossScale(params.lossScale), fitIntercept: params.fitIntercept ?? true });
  const R = new Float64Array(loss.residualSize);
  const G = new Float64Array(d * T);
  const wbar = new Float64Array(d);
  loss.residual(W.data, R);
  loss.gradient(R, G);
  meanDeviationPenalty(W.data, d, T, pMean, pDev, wbar);
  addPenaltyGradient(W.data, wbar, d, T, pMean, pDev, G);
  return { rows: d, cols: T, data: G };
}

// ---------------------------------------------------------------------------------------------
// Small dense kernels (off the hot path)
// ---------------------------------------------------------------------------------------------

/**
 * Cholesky factorisation A = L Lᵀ of a symmetric n×n matrix (row-major; the lower factor is written
 * to L, its strict upper triangle zeroed). Allocation-free; O(n³/3).
 * @param n - order
 * @param A - symmetric n×n (only the lower triangle is read)
 * @param L - output n×n
 * @param tolRel - a pivot ≤ tolRel · max_i |A_ii| counts as a failure
 * @returns false when A is not numerically positive definite
 * @example
 * ```ts
 * const L = new Float64Array(4);
 * choleskyLower(2, new Float64Array([4, 2, 2, 5]), L); // L = [2, 0, 1, 2]
 * ```
 * @see {@link choleskyInverse}; Golub & Van Loan, *Matrix Computations* (4th ed.), Alg. 4.2.2.
 */
export function choleskyLower(n: number, A: Float64Array, L: Float64Array, tolRel = 1e-13): boolean {
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(A[i * n + i]!));
  const floor = tolRel * (dmax > 0 ? dmax : 1);
  L.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let s = A[jo + j]!;
    for (let k = 0; k < j; k++) s -= L[jo + k]! * L[jo + k]!;
    if (!(s > floor)) return false;
    const ljj = Math.sqrt(s);
    L[jo + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let v = A[io + j]!;
      for (let k = 0; k < j; k++) v -= L[io + k]! * L[jo + k]!;
      L[io + j] = v / ljj;
    }
  }
  return true;
}

/**
 * (L Lᵀ)⁻¹ from a lower Cholesky factor, as L⁻ᵀ L⁻¹ (exactly symmetric). Allocation-free; O(n³).
 * @param n - order
 * @param L - lower factor from {@link choleskyLower}
 * @param out - output n×n
 * @param work - work buffer n×n (receives L⁻¹)
 * @example
 * ```ts
 * choleskyInverse(2, L, Ainv, new Float64Array(4));
 * ```
 * @see {@link choleskyLower}
 */
export function choleskyInverse(n: number, L: Float64Array, out: Float64Array, work: Float64Array): void {
  // work = L⁻¹ (lower triangular), row by row: (L⁻¹)_ij = (δ_ij − Σ_{k=j}^{i−1} L_ik (L⁻¹)_kj) / L_ii
  work.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const io = i * n;
    const lii = L[io + i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += L[io + k]! * work[k * n + j]!;
      work[io + j] = -s / lii;
    }
    work[io + i] = 1 / lii;
  }
  gemmTN(n, n, n, work, work, out, 0); // A⁻¹ = L⁻ᵀ L⁻¹
  symmetrize(n, out);
}

function symmetrize(n: number, A: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (A[i * n + j]! + A[j * n + i]!);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The structured linear system
// ---------------------------------------------------------------------------------------------

/**
 * A factored solver of the coupled system (H_t + 2αI) w_t + γ w̄_S = r_t for the tasks t of a subset
 * S, w̄_S their mean; built by {@link TaskCouplingSystem.prepare}. Allocation-free.
 */
export interface CoupledSolve {
  /** The tasks of the subset, in increasing order. */
  readonly tasks: Int32Array;
  /**
   * Solves for the right-hand sides r_t = column t of `rhs` (d×T) for t in `tasks`; writes the
   * columns t of `W` (d×T; the other columns are untouched) and the subset mean into `wbar` (length d).
   * @param rhs - right-hand sides, d×T
   * @param W - output, d×T
   * @param wbar - output, length d
   */
  solve(rhs: Float64Array, W: Float64Array, wbar: Float64Array): void;
}

/**
 * The optimality system of quadratic task-coupling penalties on top of the squared loss:
 * per-task Gram blocks H_t = 2 s_t X_tᵀX_t (centred when fitting intercepts) and right-hand sides
 * g_t = 2 s_t X_tᵀ y_t, and a structured solver for (H_t + 2αI) w_t + γ w̄_S = r_t over any subset S
 * of tasks (Schur complement on w̄_S; see the module documentation). Shared designs without missing
 * responses use one eigendecomposition of XᵀX; otherwise every block is factored by Cholesky
 * (memory 3·T·d² numbers). Used by {@link meanRegularized} and `clusteredMeanRegularized`.
 *
 * @example
 * ```ts
 * const sys = new TaskCouplingSystem(new QuadraticLoss(data));
 * const all = Int32Array.from({ length: data.T }, (_, t) => t);
 * const solver = sys.prepare(all, 0.1, -0.18); // α, γ
 * solver?.solve(sys.rhs, W, wbar);
 * ```
 * @see {@link meanRegularized}
 */
export class TaskCouplingSystem {
  /** Features d. */
  readonly d: number;
  /** Tasks T. */
  readonly T: number;
  /** The loss the system was built from. */
  readonly loss: QuadraticLoss;
  /** g = Xᵀ(2 s ⊙ Y) (centred responses), d×T: the right-hand side of the optimality system. */
  readonly rhs: Float64Array;
  /** `'shared'` (one eigendecomposition of XᵀX) or `'tasks'` (per-task Cholesky). */
  readonly kind: 'shared' | 'tasks';
  private readonly H: Float64Array[];
  private readonly U: Float64Array; // shared: eigenvectors of G as columns (d×d)
  private readonly e: Float64Array; // shared: eigenvalues of G (≥ 0)
  private factoredAlpha = NaN;
  private factorOk = false;
  private readonly Ainv: Float64Array[] = [];
  private readonly N: Float64Array[] = [];

  /**
   * @param loss - the squared-loss datafit (its centring and scales are used)
   */
  constructor(loss: QuadraticLoss) {
    const { d, T } = loss;
    this.loss = loss;
    this.d = d;
    this.T = T;
    const R = new Float64Array(loss.residualSize);
    this.rhs = new Float64Array(d * T);
    loss.residual(new Float64Array(d * T), R);
    loss.correlation(R, this.rhs);
    if (loss.X !== null && loss.mask === null) {
      this.kind = 'shared';
      const G = new Float64Array(d * d);
      gemmTN(d, d, loss.n, loss.X, loss.X, G, 0);
      symmetrize(d, G);
      const { values, vectors } = symEig({ rows: d, cols: d, data: G });
      this.U = vectors.data;
      this.e = values.map((v) => Math.max(v, 0));
      this.H = [];
    } else {
      this.kind = 'tasks';
      this.U = new Float64Array(0);
      this.e = new Float64Array(0);
      this.H = [];
      const data = loss.data;
      for (let t = 0; t < T; t++) {
        let Xt: Float64Array, nt: number;
        if (loss.X === null) {
          Xt = loss.Xs[t]!;
          nt = loss.offsets[t + 1]! - loss.offsets[t]!;
        } else {
          const task = data.task(t);
          Xt = task.X.data;
          nt = task.X.rows;
          if (loss.fitIntercept) {
            for (let i = 0; i < nt; i++) for (let j = 0; j < d; j++) Xt[i * d + j]! -= loss.xMeans[t * d + j]!;
          }
        }
        const Ht = new Float64Array(d * d);
        gemmTN(d, d, nt, Xt, Xt, Ht, 0);
        const c = 2 * loss.scales[t]!;
        for (let k = 0; k < d * d; k++) Ht[k]! *= c;
        symmetrize(d, Ht);
        this.H.push(Ht);
      }
    }
  }

  /** Factors A_t = H_t + 2αI for every task (per-task backend); false when one is singular. */
  private factor(alpha: number): boolean {
    if (this.kind === 'shared') return true;
    if (alpha === this.factoredAlpha) return this.factorOk;
    const { d, T } = this;
    const A = new Float64Array(d * d), L = new Float64Array(d * d), work = new Float64Array(d * d);
    this.factoredAlpha = alpha;
    this.factorOk = false;
    for (let t = 0; t < T; t++) {
      const Ht = this.H[t]!;
      A.set(Ht);
      for (let i = 0; i < d; i++) A[i * d + i]! += 2 * alpha;
      if (!choleskyLower(d, A, L)) return false;
      const Ainv = this.Ainv[t] ?? new Float64Array(d * d);
      const N = this.N[t] ?? new Float64Array(d * d);
      choleskyInverse(d, L, Ainv, work);
      gemmNN(d, d, d, Ht, Ainv, N, 0); // N_t = H_t A_t⁻¹ (= A_t⁻¹ H_t)
      symmetrize(d, N);
      this.Ainv[t] = Ainv;
      this.N[t] = N;
    }
    this.factorOk = true;
    return true;
  }

  /**
   * Factors the coupled system for a subset of tasks.
   * @param tasks - the subset S (distinct task indices in [0, T), any order; copied and sorted)
   * @param alpha - α ≥ 0: the diagonal shift 2α of each block
   * @param gamma - γ: the coupling through the subset mean (δ = 2α + γ must be ≥ 0)
   * @returns the solver, or `null` when α = 0 and a task block H_t is singular (per-task backend)
   */
  prepare(tasks: Int32Array, alpha: number, gamma: number): CoupledSolve | null {
    const S = Int32Array.from(tasks).sort();
    const { d, T } = this;
    const m = S.length;
    const delta = 2 * alpha + gamma;
    const cols = new Float64Array(d * Math.max(m, 1));
    const tmp = new Float64Array(d);
    if (this.kind === 'shared') {
      // everything diagonal in the eigenbasis of G: a_tk = 2 s_t e_k + 2α
      const U = this.U, e = this.e, s = this.loss.scales;
      let amax = 0;
      for (let k = 0; k < d; k++) for (let i = 0; i < m; i++) amax = Math.max(amax, 2 * s[S[i]!]! * e[k]! + 2 * alpha);
      const aFloor = 1e-13 * amax;
      const schurInv = new Float64Array(d);
      let smax = 0;
      const schur = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        let sk = 0;
        for (let i = 0; i < m; i++) {
          const a = 2 * s[S[i]!]! * e[k]! + 2 * alpha;
          if (a > aFloor) sk += (a - 2 * alpha + delta) / a;
        }
        schur[k] = sk;
        smax = Math.max(smax, sk);
      }
      for (let k = 0; k < d; k++) schurInv[k] = schur[k]! > 1e-12 * smax ? 1 / schur[k]! : 0;
      const h = new Float64Array(d * Math.max(m, 1));
      return {
        tasks: S,
        solve(rhs: Float64Array, W: Float64Array, wbar: Float64Array): void {
          // gather the subset's right-hand sides (d×m), h = Uᵀ r
          for (let j = 0; j < d; j++) for (let i = 0; i < m; i++) cols[j * m + i] = rhs[j * T + S[i]!]!;
          gemmTN(d, m, d, U, cols, h, 0);
          for (let k = 0; k < d; k++) {
            let num = 0;
            const ko = k * m;
            for (let i = 0; i < m; i++) {
              const a = 2 * s[S[i]!]! * e[k]! + 2 * alpha;
              if (a > aFloor) num += h[ko + i]! / a;
            }
            const zbar = num * schurInv[k]!;
            tmp[k] = zbar;
            for (let i = 0; i < m; i++) {
              const a = 2 * s[S[i]!]! * e[k]! + 2 * alpha;
              h[ko + i] = a > aFloor ? (h[ko + i]! - gamma * zbar) / a : 0;
            }
          }
          gemmNN(d, m, d, U, h, cols, 0);
          for (let j = 0; j < d; j++) for (let i = 0; i < m; i++) W[j * T + S[i]!] = cols[j * m + i]!;
          gemv(d, d, U, 0, tmp, 0, wbar, 0, 0);
        },
      };
    }
    if (!this.factor(alpha)) return null;
    // Schur complement Σ_t (N_t + δ A_t⁻¹), symmetric PSD; pseudo-inverse by eigendecomposition
    const Sm = new Float64Array(d * d);
    for (let i = 0; i < m; i++) {
      const N = this.N[S[i]!]!, Ai = this.Ainv[S[i]!]!;
      for (let k = 0; k < d * d; k++) Sm[k]! += N[k]! + delta * Ai[k]!;
    }
    symmetrize(d, Sm);
    const { values, vectors } = symEig({ rows: d, cols: d, data: Sm });
    const Q = vectors.data;
    const qmax = Math.max(values[0]!, 0);
    const qInv = values.map((q) => (q > 1e-12 * qmax ? 1 / q : 0));
    const sumU = new Float64Array(d);
    const col = new Float64Array(d);
    const Ainv = this.Ainv;
    return {
      tasks: S,
      solve(rhs: Float64Array, W: Float64Array, wbar: Float64Array): void {
        sumU.fill(0);
        for (let i = 0; i < m; i++) {
          const t = S[i]!;
          for (let j = 0; j < d; j++) col[j] = rhs[j * T + t]!;
          gemv(d, d, Ainv[t]!, 0, col, 0, cols, i * d, 0); // u_t = A_t⁻¹ r_t
          for (let j = 0; j < d; j++) sumU[j]! += cols[i * d + j]!;
        }
        gemvT(d, d, Q, 0, sumU, 0, tmp, 0, 0);
        for (let k = 0; k < d; k++) tmp[k]! *= qInv[k]!;
        gemv(d, d, Q, 0, tmp, 0, wbar, 0, 0);
        for (let i = 0; i < m; i++) {
          const t = S[i]!;
          gemv(d, d, Ainv[t]!, 0, wbar, 0, col, 0, 0); // A_t⁻¹ w̄
          for (let j = 0; j < d; j++) W[j * T + t] = cols[i * d + j]! - gamma * col[j]!;
        }
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The fit
// ---------------------------------------------------------------------------------------------

/**
 * Fits mean-regularized multi-task learning (Evgeniou & Pontil 2004) in form A or form B.
 *
 * Solvers: `'exact'` (default) solves the optimality system directly by eliminating the tasks (a d×d
 * Schur complement; one eigendecomposition of XᵀX for a shared design, a Cholesky factorisation per
 * task otherwise), then applies iterative refinement with gradients from the independent residual
 * path; `'fista'` runs accelerated gradient descent on the smooth objective. Both stop on the
 * relative fixed-point residual ‖∇F(W)‖ ≤ tol·‖∇F(0)‖ (the certificate). When the minimiser is not
 * unique (form B with μ = 0 and a direction null for every task's design) the exact solver returns
 * the solution with the minimum-norm mean in that direction.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - the form (`{ form: 'A', rho, lambda }` or `{ form: 'B', lambda, mu }`) and the
 *   common options, see {@link MeanRegularizedCommonOptions}
 * @returns the fit: W, intercepts, w̄, w₀ and ΔW, objective, certificate, history, predict
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, meanRegularized } from 'mtlearn';
 * const fitB = meanRegularized(data, { form: 'B', lambda: 0.05, mu: 0 });
 * fitB.w0; fitB.dW; fitB.predict(Xnew, 3);
 * const fitA = meanRegularized(data, { form: 'A', rho: 0.5, lambda: 4, solver: 'fista' });
 * ```
 * @see {@link meanRegularizedObjective}, {@link meanRegularizedWeights}
 * @see T. Evgeniou & M. Pontil, "Regularized multi-task learning", KDD 2004.
 */
export function meanRegularized(data: MultiTaskData | readonly TaskInput[], options: MeanRegularizedOptions): MeanRegularizedFit {
  const D = asData(data);
  const opts = checkMeanRegularizedOptions(options, D);
  const { d, T } = D;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const { pMean, pDev } = opts;
  const wbar = new Float64Array(d);
  const R = new Float64Array(loss.residualSize);
  const G = new Float64Array(d * T);

  // ‖∇F(0)‖ = ‖g‖ (the penalty gradient vanishes at 0)
  loss.residual(new Float64Array(d * T), R);
  loss.gradient(R, G);
  let g0 = 0;
  for (let k = 0; k < d * T; k++) g0 += G[k]! * G[k]!;
  const scale = g0 > 0 ? Math.sqrt(g0) : 1;
  const tolAbs = opts.tol * scale;

  const gradNorm = (W: Float64Array): number => {
    loss.residual(W, R);
    loss.gradient(R, G);
    meanDeviationPenalty(W, d, T, pMean, pDev, wbar);
    addPenaltyGradient(W, wbar, d, T, pMean, pDev, G);
    let s = 0;
    for (let k = 0; k < d * T; k++) s += G[k]! * G[k]!;
    return Math.sqrt(s);
  };

  let W: Float64Array = new Float64Array(d * T);
  let certificate = NaN, iterations = 0, converged = false;
  let history: HistoryEntry[] = [];
  let solverUsed: 'exact' | 'fista' = opts.solver;
  if (opts.solver === 'exact') {
    const sys = new TaskCouplingSystem(loss);
    const all = Int32Array.from({ length: T }, (_, t) => t);
    const alpha = pDev, gamma = (2 * pMean) / T - 2 * pDev;
    const solver = sys.prepare(all, alpha, gamma);
    if (solver === null) {
      solverUsed = 'fista';
    } else {
      solver.solve(sys.rhs, W, wbar);
      certificate = gradNorm(W);
      const obj = (): number => { loss.residual(W, R); return loss.valueFromResidual(R) + meanDeviationPenalty(W, d, T, pMean, pDev, wbar); };
      history.push({ iteration: 0, objective: obj(), certificate, time: (performance.now() - start) / 1000 });
      // iterative refinement: W ← W + H⁻¹(−∇F(W)), the same factored system with r = −∇F (G holds ∇F(W))
      const corr = new Float64Array(d * T), cbar = new Float64Array(d), rhs = new Float64Array(d * T);
      while (certificate > tolAbs && iterations < opts.maxIter) {
        for (let k = 0; k < d * T; k++) rhs[k] = -G[k]!;
        solver.solve(rhs, corr, cbar);
        for (let k = 0; k < d * T; k++) W[k]! += corr[k]!;
        iterations++;
        const c = gradNorm(W);
        history.push({ iteration: iterations, objective: obj(), certificate: c, time: (performance.now() - start) / 1000 });
        if (c > certificate) {
          // round-off level reached: undo the step and stop
          for (let k = 0; k < d * T; k++) W[k]! -= corr[k]!;
          gradNorm(W);
          break;
        }
        const stalled = c > 0.5 * certificate;
        certificate = c;
        if (stalled) break;
      }
      converged = certificate <= tolAbs;
    }
  }
  if (solverUsed === 'fista') {
    const smooth: SmoothFunction = {
      dim: d * T,
      stateSize: loss.residualSize,
      computeState: (x, s) => loss.residual(x, s),
      value: (x, s) => loss.valueFromResidual(s) + meanDeviationPenalty(x, d, T, pMean, pDev, wbar),
      gradient: (x, s, g) => {
        loss.gradient(s, g);
        meanDeviationPenalty(x, d, T, pMean, pDev, wbar);
        addPenaltyGradient(x, wbar, d, T, pMean, pDev, g);
      },
    };
    const none: ProxFunction = { value: () => 0, prox: (v, _step, out) => out.set(v) };
    const W0 = opts.warmStart ? Float64Array.from(opts.warmStart.data) : new Float64Array(d * T);
    const res = fista(smooth, none, W0, {
      lipschitz: loss.lipschitz() + Math.max(2 * pDev, (2 * pMean) / T),
      tol: tolAbs, maxIter: opts.solver === 'fista' ? opts.maxIter : 10000, checkEvery: 10,
    });
    W = res.x;
    ({ certificate, iterations, converged, history } = res);
  }

  const Wm: Mat = { rows: d, cols: T, data: W };
  const intercepts = loss.intercepts(W);
  meanDeviationPenalty(W, d, T, pMean, pDev, wbar);
  const wb = Float64Array.from(wbar);
  const w0 = new Float64Array(d);
  if (opts.form === 'B') {
    const lt = opts.lambda * T;
    const f = lt + opts.mu > 0 ? lt / (lt + opts.mu) : 1;
    for (let j = 0; j < d; j++) w0[j] = f * wb[j]!;
  } else {
    w0.set(wb);
  }
  const dW = new Float64Array(d * T);
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) dW[j * T + t] = W[j * T + t]! - w0[j]!;
  const dWm: Mat = { rows: d, cols: T, data: dW };
  const objective = opts.form === 'A'
    ? meanRegularizedObjective(D, Wm, { form: 'A', rho: opts.rho, lambda: opts.lambda, lossScale: opts.lossScale }, intercepts)
    : meanRegularizedObjective(D, { w0, dW: dWm }, { form: 'B', lambda: opts.lambda, mu: opts.mu, lossScale: opts.lossScale }, intercepts);
  return {
    W: Wm, intercepts, objective, certificate, certificateKind: 'fixed-point-residual', iterations, converged, history,
    options: { ...opts, solverUsed }, form: opts.form, wbar: wb, w0, dW: dWm, certificateScale: scale,
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
