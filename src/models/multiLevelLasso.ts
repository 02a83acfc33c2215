/**
 * The multi-level lasso (Lozano & Swirszcz, "Multi-level lasso for sparse multi-task regression",
 * ICML 2012; MuTaR `MultiLevelLasso`): W_jt = θ_j γ_jt with θ ≥ 0,
 *
 *   min_{θ ≥ 0, Γ} L(θ ⊙ Γ) + λ₁ Σ_j θ_j + λ₂ Σ_{j,t} |γ_jt|.
 *
 * Equivalent row penalty: for a fixed W, min over θ_j > 0 of λ₁θ_j + λ₂‖w^j‖₁/θ_j is attained at
 * θ_j = (λ₂‖w^j‖₁/λ₁)^{1/2} with value 2(λ₁λ₂‖w^j‖₁)^{1/2}, so the problem in W is
 *
 *   F(W) = L(W) + 2√(λ₁λ₂) Σ_j ‖w^j‖₁^{1/2}.
 *
 * Solver (the route taken): alternating the two blocks is exactly a reweighted lasso — for fixed θ the Γ
 * step is the weighted lasso min_W L(W) + Σ_j (λ₂/θ_j) ‖w^j‖₁ (by BCD, certified by its duality gap), and
 * the θ step rebalances θ_j = (λ₂‖w^j‖₁/λ₁)^{1/2} for the new W (weights √(λ₁λ₂/‖w^j‖₁): the
 * majorisation of √ at the current row, so F never increases). Start θ = 1: the first stage is the lasso
 * with λ₂. A row that reaches zero stays zero (infinite weight). Stop when the stationarity residual
 * max_j dist(−∇_j L, √(λ₁λ₂)‖w^j‖₁^{−1/2} ∂‖w^j‖₁) over the non-zero rows (a zero row is always Fréchet
 * stationary: √ has infinite slope at 0) is ≤ tol · max_{j,t}|∇L(0)|. Non-convex: `local: true`.
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, multiTaskLoss } from '../datafits/quadratic.js';
import { createBcdDatafit } from '../solvers/bcdDatafit.js';
import { bcdReweighted, type ReweightedResult, type ReweightedStage } from '../solvers/bcdReweighted.js';
import { WeightedGroupNormPenalty } from '../penalties/weightedGroupNorm.js';
import { groupLassoLambdaMax } from './groupLasso.js';
import { makePredict } from './predict.js';
import { checkRowPenaltyOptions, progressOption, type ResolvedRowPenaltyCommonOptions, type RowPenaltyCommonOptions } from './rowPenaltyFit.js';
import { checkMat, checkNumber, checkOptional, checkOptionKeys, checkOptionsObject, checkVec } from '../util/checks.js';

/** Options of {@link multiLevelLasso}. */
export interface MultiLevelLassoOptions extends Omit<RowPenaltyCommonOptions, 'warmStart' | 'lambda'> {
  /** λ₁ > 0, the weight of Σ_j θ_j (row level). */
  lambda1: number;
  /** λ₂ > 0, the weight of Σ |γ_jt| (entry level). */
  lambda2: number;
  /** Stages (θ updates) at most. @default 100 */
  maxStages?: number;
}

/** {@link MultiLevelLassoOptions} resolved. */
export type ResolvedMultiLevelLassoOptions = Omit<ResolvedRowPenaltyCommonOptions, 'warmStart' | 'lambda'> & {
  lambda1: number; lambda2: number; maxStages: number;
};

/** The fit of {@link multiLevelLasso}. */
export interface MultiLevelLassoFit extends Omit<FitResultBase<ResolvedMultiLevelLassoOptions>, 'certificateKind'> {
  /** `'stationarity'`: `certificate` is the stationarity residual of F (see the module comment). */
  readonly certificateKind: 'stationarity';
  /** θ (length d), balanced: θ_j = (λ₂‖w^j‖₁/λ₁)^{1/2}. */
  readonly theta: Float64Array;
  /** Γ (d×T) with W = θ ⊙ Γ (rows with θ_j = 0 are 0). */
  readonly gamma: Mat;
  /** The stages: each one's weighted-lasso duality gap and F at its solution. */
  readonly stages: readonly ReweightedStage[];
  readonly local: true;
  readonly status: ReweightedResult['status'];
  /** max_{j,t} |∇L(0, b₀)|: the scale of the tolerance, and λ₂ at which the first stage (the lasso) gives W = 0. */
  readonly gradientScale: number;
  readonly nonzeroRows: number;
  readonly time: number;
}

const KEYS = ['lambda1', 'lambda2', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'maxStages', 'onProgress'];

/** max over non-zero rows of dist(z_j, c_j ∂‖w^j‖₁), c_j = √(λ₁λ₂/‖w^j‖₁) (s12 = √λ₁·√λ₂: no overflow of λ₁λ₂). */
function stationarity(W: Float64Array, V: Float64Array, d: number, T: number, s12: number): number {
  const w1 = new Float64Array(d);
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) w1[j]! += Math.abs(W[j * T + t]!);
  const h = new WeightedGroupNormPenalty(1, 1, w1.map((r) => (r > 0 ? s12 / Math.sqrt(r) : Infinity)), T);
  let s = 0;
  for (let j = 0; j < d; j++) if (w1[j]! > 0) s = Math.max(s, h.subdiffDistance(W, j, V.subarray(j * T, j * T + T)));
  return s;
}

/**
 * Fits the multi-level lasso (see the module comment).
 * @param data - the data
 * @param options - see {@link MultiLevelLassoOptions}
 * @returns the fit: W, θ, Γ, the stages, the stationarity certificate, `local: true`
 * @throws TypeError / RangeError for bad options (`lambda1`, `lambda2` ≤ 0, unknown keys)
 * @example
 * ```ts
 * const fit = multiLevelLasso(data, { lambda1: 0.1, lambda2: 0.05 });
 * fit.theta; fit.gamma; fit.certificate;
 * ```
 * @see {@link multiLevelLassoObjective}, {@link multiLevelLassoFactorObjective}
 */
export function multiLevelLasso(data: MultiTaskData | readonly TaskInput[], options: MultiLevelLassoOptions): MultiLevelLassoFit {
  const start = performance.now();
  const o = checkOptionsObject(options, 'multiLevelLasso options', ['lambda1', 'lambda2']);
  checkOptionKeys(o, KEYS, 'multiLevelLasso options');
  const D = asData(data), { d, T } = D;
  const lambda1 = checkNumber(o['lambda1'], 'lambda1', { min: 0, minExclusive: true });
  const lambda2 = checkNumber(o['lambda2'], 'lambda2', { min: 0, minExclusive: true });
  const { warmStart: _w, lambda: _l, ...c } = checkRowPenaltyOptions({ ...o, lambda: 1 }, D);
  const maxStages = checkOptional(o['maxStages'], 100, (v) => checkNumber(v, 'maxStages', { min: 1, integer: true }));
  const opts: ResolvedMultiLevelLassoOptions = { ...c, lambda1, lambda2, maxStages };
  const loss = new QuadraticLoss(D, { lossScale: c.lossScale, fitIntercept: c.fitIntercept });
  const f = createBcdDatafit(loss, 'auto');
  const g0 = groupLassoLambdaMax(D, { q: 1, lossScale: c.lossScale, fitIntercept: c.fitIntercept });
  const gradientScale = g0 > 0 && Number.isFinite(g0) ? g0 : 1;
  const s12 = Math.sqrt(lambda1) * Math.sqrt(lambda2), V = new Float64Array(d * T);
  let cert = Infinity;
  const res = bcdReweighted(f, {
    lambda: 1, q: 1, weights: new Float64Array(d).fill(lambda2), tolGap: c.tol * loss.valueAtZero(),
    ...(o['onProgress'] !== undefined ? { onProgress: progressOption(o['onProgress'])! } : {}),
    tolStationarity: c.tol * gradientScale, maxIter: c.maxIter, maxStages,
    objective: (W) => multiLevelLassoObjective(D, { rows: d, cols: T, data: W }, opts, loss.intercepts(W)),
    next: (W) => {
      // −∇L(W); stop at a certified stationary point, else the θ step: weights λ₂/θ_j = √(λ₁λ₂/‖w^j‖₁)
      f.reset(W);
      f.fullNegGradient(W, V);
      cert = stationarity(W, V, d, T, s12);
      if (cert <= c.tol * gradientScale) return null;
      const w = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        let r = 0;
        for (let t = 0; t < T; t++) r += Math.abs(W[j * T + t]!);
        w[j] = r > 0 ? s12 / Math.sqrt(r) : Infinity;
      }
      return w;
    },
  });
  if (res.status !== 'converged') {
    // stopped short (budget, stages): the stationarity residual of the iterate returned
    f.reset(res.W);
    f.fullNegGradient(res.W, V);
    cert = stationarity(res.W, V, d, T, s12);
  }
  const W: Mat = { rows: d, cols: T, data: res.W };
  const { theta, gamma } = multiLevelFactors(W, lambda1, lambda2);
  const intercepts = loss.intercepts(res.W);
  let nonzeroRows = 0;
  for (let j = 0; j < d; j++) if (theta[j]! > 0) nonzeroRows++;
  const history: HistoryEntry[] = res.history;
  return {
    W, theta, gamma, intercepts, objective: multiLevelLassoObjective(D, W, opts, intercepts), certificate: cert, certificateKind: 'stationarity',
    stages: res.stages, iterations: res.iterations, converged: res.status === 'converged', status: res.status, history, options: opts,
    local: true, gradientScale, nonzeroRows, time: (performance.now() - start) / 1000, predict: makePredict(W, intercepts),
  };
}

/**
 * The balanced factors of W: θ_j = (λ₂‖w^j‖₁/λ₁)^{1/2}, γ^j = w^j/θ_j (0 where θ_j = 0).
 * @param W - d×T
 * @param lambda1 - λ₁ > 0
 * @param lambda2 - λ₂ > 0
 * @returns θ and Γ with W = θ ⊙ Γ, minimising λ₁Σθ + λ₂Σ|γ| among the factorisations of W
 * @example
 * ```ts
 * const { theta, gamma } = multiLevelFactors(fit.W, 0.1, 0.05);
 * ```
 * @see {@link multiLevelLasso}
 */
export function multiLevelFactors(W: Mat, lambda1: number, lambda2: number): { theta: Float64Array; gamma: Mat } {
  const { rows: d, cols: T, data } = W;
  const theta = new Float64Array(d), g = new Float64Array(d * T);
  for (let j = 0; j < d; j++) {
    let r = 0;
    for (let t = 0; t < T; t++) r += Math.abs(data[j * T + t]!);
    if (r === 0) continue;
    theta[j] = Math.sqrt((lambda2 * r) / lambda1);
    for (let t = 0; t < T; t++) g[j * T + t] = data[j * T + t]! / theta[j]!;
  }
  return { theta, gamma: { rows: d, cols: T, data: g } };
}

/**
 * The multi-level lasso objective in W: L(W, b) + 2√(λ₁λ₂) Σ_j ‖w^j‖₁^{1/2}.
 * @param data - the data
 * @param W - d×T
 * @param params - λ₁, λ₂, lossScale (default 'mean')
 * @param intercepts - b (default 0)
 * @returns F(W)
 * @example
 * ```ts
 * multiLevelLassoObjective(data, fit.W, fit.options, fit.intercepts) === fit.objective; // true
 * ```
 * @see {@link multiLevelLassoFactorObjective}
 */
export function multiLevelLassoObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: { lambda1: number; lambda2: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data), { d, T } = D;
  const w = checkMat(W, 'W', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  // 2√(λ₁λ₂) as 2√λ₁√λ₂ (λ₁λ₂ overflows at data scales ~1e78)
  const c = 2 * Math.sqrt(checkNumber(params.lambda1, 'lambda1', { min: 0 })) * Math.sqrt(checkNumber(params.lambda2, 'lambda2', { min: 0 }));
  let pen = 0;
  for (let j = 0; j < d; j++) {
    let r = 0;
    for (let t = 0; t < T; t++) r += Math.abs(w[j * T + t]!);
    pen += Math.sqrt(r); // Σ_j ‖w^j‖₁^{1/2}
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: w }, intercepts, params.lossScale ?? 'mean') + c * pen;
}

/**
 * The multi-level lasso objective in its factors: L(θ ⊙ Γ, b) + λ₁ Σ_j θ_j + λ₂ Σ_{j,t} |γ_jt|.
 * @param data - the data
 * @param theta - θ ≥ 0 (length d)
 * @param gamma - Γ (d×T)
 * @param params - λ₁, λ₂, lossScale (default 'mean')
 * @param intercepts - b (default 0)
 * @returns the objective
 * @example
 * ```ts
 * multiLevelLassoFactorObjective(data, fit.theta, fit.gamma, fit.options, fit.intercepts); // = fit.objective
 * ```
 * @see {@link multiLevelLassoObjective}
 */
export function multiLevelLassoFactorObjective(
  data: MultiTaskData | readonly TaskInput[], theta: Float64Array | readonly number[], gamma: Mat,
  params: { lambda1: number; lambda2: number; lossScale?: LossScale }, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data), { d, T } = D;
  const th = checkVec(theta, 'theta', d, { min: 0 });
  const g = checkMat(gamma, 'gamma', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  const W = new Float64Array(d * T);
  let s1 = 0, s2 = 0;
  for (let j = 0; j < d; j++) {
    s1 += th[j]!;
    for (let t = 0; t < T; t++) { W[j * T + t] = th[j]! * g[j * T + t]!; s2 += Math.abs(g[j * T + t]!); } // W = θ ⊙ Γ
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: W }, intercepts, params.lossScale ?? 'mean') + params.lambda1 * s1 + params.lambda2 * s2;
}
