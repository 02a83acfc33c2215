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
 * factored by Cholesky (O(T d³)) ({@link TaskCouplingSystem}). The solution is refined by iterative
 * refinement on the gradient in Gram form, ∇L(W)_t = H_t w_t − b_t (O(d²T) per step instead of
 * O(ndT) through the residuals; {@link TaskQuadratic}). `'fista'` runs the generic FISTA on the smooth
 * objective (no non-smooth part) and stops on the relative fixed-point residual ‖∇F‖.
 *
 * References: T. Evgeniou & M. Pontil, "Regularized multi-task learning", KDD 2004; T. Evgeniou,
 * C. Micchelli & M. Pontil, "Learning multiple tasks with kernel methods", JMLR 6, 2005.
 *
 * @packageDocumentation
 */
import type { FitResultBase, FitStatus, HistoryEntry, LossScale, Mat, MatLike } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { fista, type ProxFunction, type SmoothFunction } from '../solvers/fista.js';
import { TaskQuadratic } from '../solvers/taskQuadratic.js';
import { TaskCouplingSystem } from '../solvers/taskCoupling.js';
import {
  checkBoolean, checkMat, checkNumber, checkOneOf, checkOptional, checkOptionKeys, checkOptionsObject,
} from '../util/checks.js';
import { makePredict } from './predict.js';
import {
  addPenaltyGradient, checkLossScale, meanDeviationPenalty, meanRegularizedObjective, meanRegularizedWeights, nonNeg,
} from './meanRegularizedObjective.js';

export {
  meanRegularizedGradient, meanRegularizedObjective, meanRegularizedWeights,
  type MeanRegularizedParams, type SharedPlusSpecific,
} from './meanRegularizedObjective.js';

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
  /** FISTA only: starting W (d×T; number[][], ml-matrix Matrix or Mat). @default null (zeros) */
  warmStart?: MatLike | null;
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
  /** How the fit ended. */
  readonly status: FitStatus;
  /** Seconds spent in the fit. */
  readonly time: number;
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
  const o = checkOptionsObject(options, 'meanRegularized options', ['form']);
  const form = checkOneOf(o.form, 'form', ['A', 'B'] as const, 'A');
  checkOptionKeys(o, form === 'A' ? [...COMMON_KEYS, 'rho', 'lambda'] : [...COMMON_KEYS, 'lambda', 'mu'], `meanRegularized options (form ${form})`);
  const lambda = nonNeg(o.lambda, 'lambda');
  const rho = form === 'A' ? nonNeg(o.rho, 'rho') : NaN;
  const mu = form === 'B' ? nonNeg(o.mu ?? 0, 'mu') : NaN;
  const lossScale = checkLossScale(o.lossScale);
  const fitIntercept = checkBoolean(o.fitIntercept, 'fitIntercept', true);
  const solver = checkOneOf(o.solver, 'solver', ['exact', 'fista'] as const, 'exact');
  const tol = checkOptional(o.tol, 1e-10, (v) => nonNeg(v, 'tol'));
  const maxIter = checkOptional(o.maxIter, solver === 'exact' ? 5 : 10000, (v) => checkNumber(v, 'maxIter', { min: 0, integer: true }));
  const warmStart = o.warmStart === undefined || o.warmStart === null
    ? null : checkMat(o.warmStart, 'warmStart', { rows: data.d, cols: data.T, label: `d×T = ${data.d}×${data.T}` });
  const { pMean, pDev } = meanRegularizedWeights(
    form === 'A' ? { form, rho, lambda } : { form, lambda, mu }, data.T,
  );
  return { form, rho, lambda, mu, lossScale, fitIntercept, solver, tol, maxIter, warmStart, solverUsed: solver, pMean, pDev };
}

const COMMON_KEYS = ['form', 'lossScale', 'fitIntercept', 'solver', 'tol', 'maxIter', 'warmStart'] as const;

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
  const G = new Float64Array(d * T);
  const q = new TaskQuadratic(loss);
  // ‖∇F(0)‖ = ‖B‖ (∇L(0) = −B; the penalty gradient vanishes at 0)
  let g0 = 0;
  for (let k = 0; k < d * T; k++) g0 += q.B[k]! * q.B[k]!;
  const scale = g0 > 0 ? Math.sqrt(g0) : 1;
  const tolAbs = opts.tol * scale;

  /** ‖∇F(W)‖ in Gram form (G ← ∇F(W) = H(W) − B + ∇penalty). */
  const gradNorm = (W: Float64Array): number => {
    q.gradient(W, G);
    meanDeviationPenalty(W, d, T, pMean, pDev, wbar);
    addPenaltyGradient(W, wbar, d, T, pMean, pDev, G);
    let s = 0;
    for (let k = 0; k < d * T; k++) s += G[k]! * G[k]!;
    return Math.sqrt(s);
  };

  let W: Float64Array = new Float64Array(d * T);
  let certificate = NaN, iterations = 0, converged = false;
  let status: FitStatus = 'max-iterations';
  let history: HistoryEntry[] = [];
  let solverUsed: 'exact' | 'fista' = opts.solver;
  if (opts.solver === 'exact' && !q.finite) {
    status = 'non-finite';
  } else if (opts.solver === 'exact') {
    const sys = new TaskCouplingSystem(q);
    const all = Int32Array.from({ length: T }, (_, t) => t);
    const alpha = pDev, gamma = (2 * pMean) / T - 2 * pDev;
    const solver = sys.prepare(all, alpha, gamma);
    if (solver === null) {
      solverUsed = 'fista';
    } else {
      solver.solve(sys.rhs, W, wbar);
      certificate = gradNorm(W);
      // F(W) = L(W) + penalty with L from the Gram form; G holds ∇F, so recompute ∇L for the value
      const Gl = new Float64Array(d * T);
      const obj = (): number => { q.gradient(W, Gl); return q.valueFromGradient(W, Gl) + meanDeviationPenalty(W, d, T, pMean, pDev, wbar); };
      history.push({ iteration: 0, objective: obj(), certificate, time: (performance.now() - start) / 1000 });
      // iterative refinement: W ← W + H⁻¹(−∇F(W)), the same factored system with r = −∇F (G holds ∇F(W))
      const corr = new Float64Array(d * T), cbar = new Float64Array(d), rhs = new Float64Array(d * T);
      while (Number.isFinite(certificate) && certificate > tolAbs && iterations < opts.maxIter) {
        for (let k = 0; k < d * T; k++) rhs[k] = -G[k]!;
        solver.solve(rhs, corr, cbar);
        for (let k = 0; k < d * T; k++) W[k]! += corr[k]!;
        iterations++;
        const c = gradNorm(W);
        history.push({ iteration: iterations, objective: obj(), certificate: c, time: (performance.now() - start) / 1000 });
        if (!(c <= certificate)) {
          // round-off level reached: undo the step and stop
          for (let k = 0; k < d * T; k++) W[k]! -= corr[k]!;
          gradNorm(W);
          break;
        }
        const stalled = c > 0.5 * certificate;
        certificate = c;
        if (stalled) break;
      }
      converged = Number.isFinite(certificate) && certificate <= tolAbs;
      status = converged ? 'converged' : !Number.isFinite(certificate) ? 'non-finite' : iterations >= opts.maxIter ? 'max-iterations' : 'stalled';
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
    ({ certificate, iterations, converged, history, status } = res);
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
    W: Wm, intercepts, objective, certificate, certificateKind: 'fixed-point-residual', iterations, converged, status, history,
    options: { ...opts, solverUsed }, form: opts.form, wbar: wb, w0, dW: dWm, certificateScale: scale,
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
