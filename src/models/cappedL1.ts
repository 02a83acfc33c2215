/**
 * Multi-stage multi-task feature learning with the capped-ℓ1,ℓ1 penalty (Gong, Ye & Zhang, "Multi-stage
 * multi-task feature learning", NIPS 2012 / JMLR 14, 2013; MALSAR `Least_msmtfl`):
 *
 *   F(W, b) = L(W, b) + λ Σ_j min(‖w^j‖₁, θ).
 *
 * Multi-stage convex relaxation: stage 1 is the L1/L1 group lasso (c_j = 1); stage ℓ + 1 solves
 * L(W) + λ Σ_j c_j ‖w^j‖₁ with c_j = 1 if ‖w^j‖₁ < θ at stage ℓ's solution and 0 otherwise (the capped rows
 * go unpenalised), warm-started. Each stage minimises a majoriser of F that is tight at the previous
 * solution, so F never increases. The stages stop when the set of capped rows {j : ‖w^j‖₁ ≥ θ} is the
 * same as at the previous stage (the next stage would solve the same problem: a fixed point).
 *
 * Certificates: each stage's duality gap (`stages[k].gap`, ≤ tol·L(0, b₀) for `'converged'`) and the
 * final stationarity residual of F, max_j dist(−∇_j L, ∂_j), ∂_j = λ∂‖w^j‖₁ for ‖w^j‖₁ < θ, {0} for
 * ‖w^j‖₁ > θ and their union (limiting subdifferential) at ‖w^j‖₁ = θ. Non-convex: a local solution
 * (`local: true`). The gap of a stage with capped rows costs one full gradient per capped row (the
 * Hessian block of the unpenalised rows, see `weightedRowGap`).
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, multiTaskLoss } from '../datafits/quadratic.js';
import { WeightedGroupNormPenalty } from '../penalties/weightedGroupNorm.js';
import { createBcdDatafit } from '../solvers/bcdDatafit.js';
import { bcdReweighted, type ReweightedResult, type ReweightedStage } from '../solvers/bcdReweighted.js';
import { groupLassoLambdaMax } from './groupLasso.js';
import { makePredict } from './predict.js';
import { checkRowPenaltyOptions, progressOption, type ResolvedRowPenaltyCommonOptions, type RowPenaltyCommonOptions } from './rowPenaltyFit.js';
import { checkMat, checkNumber, checkOptional, checkOptionKeys, checkOptionsObject } from '../util/checks.js';

/** Options of {@link cappedL1}. */
export interface CappedL1Options extends Omit<RowPenaltyCommonOptions, 'warmStart'> {
  /** θ > 0, the cap of ‖w^j‖₁ (∞: the L1/L1 group lasso, one stage). */
  theta: number;
  /** Stages at most. @default 20 */
  maxStages?: number;
}

/** {@link CappedL1Options} resolved. */
export type ResolvedCappedL1Options = Omit<ResolvedRowPenaltyCommonOptions, 'warmStart'> & { theta: number; maxStages: number };

/** The fit of {@link cappedL1}. */
export interface CappedL1Fit extends Omit<FitResultBase<ResolvedCappedL1Options>, 'certificateKind'> {
  /** `'stage-duality-gap'`: `certificate` is the last stage's duality gap (every stage's is in `stages`). */
  readonly certificateKind: 'stage-duality-gap';
  /** The stages: each one's duality gap, convex objective, F at its solution (`objective`) and epochs. */
  readonly stages: readonly ReweightedStage[];
  /** The final stationarity residual of F (see the module comment). */
  readonly stationarity: number;
  /** Always true: a local solution of the non-convex F. */
  readonly local: true;
  /** `'converged'`: fixed point reached, every stage's gap ≤ tol·L(0, b₀). */
  readonly status: ReweightedResult['status'];
  /** L(0, b₀), the scale of the gap tolerance. */
  readonly objectiveAtZero: number;
  /** max_{j,t} |∇L(0, b₀)|_jt: W = 0 is the fit exactly when λ ≥ λ_max. */
  readonly lambdaMax: number;
  readonly nonzeroRows: number;
  /** Rows with ‖w^j‖₁ ≥ θ (unpenalised in the last stage). */
  readonly cappedRows: number;
  readonly time: number;
}

const KEYS = ['lambda', 'theta', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'maxStages', 'onProgress'];

/**
 * Fits the capped-ℓ1 multi-task model by the multi-stage convex relaxation (see the module comment).
 * @param data - the data
 * @param options - see {@link CappedL1Options}
 * @returns the fit with the stages, their gaps, the stationarity residual and `local: true`
 * @throws TypeError / RangeError for bad options (`lambda` ≤ 0, `theta` ≤ 0, unknown keys)
 * @example
 * ```ts
 * const fit = cappedL1(data, { lambda: 0.1 * groupLassoLambdaMax(data, { q: 1 }), theta: 1 });
 * fit.stages.map((s) => s.gap); fit.cappedRows;
 * ```
 * @see {@link cappedL1Objective}
 */
export function cappedL1(data: MultiTaskData | readonly TaskInput[], options: CappedL1Options): CappedL1Fit {
  const start = performance.now();
  const o = checkOptionsObject(options, 'cappedL1 options', ['lambda', 'theta']);
  checkOptionKeys(o, KEYS, 'cappedL1 options');
  const D = asData(data), { d, T } = D;
  const { warmStart: _w, ...c } = checkRowPenaltyOptions(o, D);
  const theta = checkNumber(o['theta'], 'theta', { min: 0, minExclusive: true, allowInfinity: true });
  const maxStages = checkOptional(o['maxStages'], 20, (v) => checkNumber(v, 'maxStages', { min: 1, integer: true }));
  const opts: ResolvedCappedL1Options = { ...c, theta, maxStages };
  const loss = new QuadraticLoss(D, { lossScale: c.lossScale, fitIntercept: c.fitIntercept });
  const f = createBcdDatafit(loss, 'auto');
  const L0 = loss.valueAtZero();
  const lambdaMax = groupLassoLambdaMax(D, { q: 1, lossScale: c.lossScale, fitIntercept: c.fitIntercept });
  // c_j = 1 while ‖w^j‖₁ < θ, 0 for the capped rows; stop when the capped set repeats
  const capped = (W: Float64Array): Float64Array => {
    const w = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let r = 0;
      for (let t = 0; t < T; t++) r += Math.abs(W[j * T + t]!);
      w[j] = r < theta ? 1 : 0;
    }
    return w;
  };
  const res = bcdReweighted(f, {
    lambda: c.lambda, q: 1, weights: new Float64Array(d).fill(1), tolGap: c.tol * L0,
    ...(o['onProgress'] !== undefined ? { onProgress: progressOption(o['onProgress'])! } : {}),
    tolStationarity: c.tol * (lambdaMax > 0 ? lambdaMax : 1), maxIter: c.maxIter, maxStages,
    objective: (W) => cappedL1Objective(D, { rows: d, cols: T, data: W }, opts, loss.intercepts(W)),
    next: (W, prev) => {
      const w = capped(W);
      return w.every((x, j) => x === prev[j]) ? null : w;
    },
  });
  const W: Mat = { rows: d, cols: T, data: res.W };
  const intercepts = loss.intercepts(res.W);
  const objective = cappedL1Objective(D, W, opts, intercepts);
  // stationarity: −∇L at W, row by row against the pieces of min(‖w‖₁, θ)
  const V = new Float64Array(d * T), z = new Float64Array(T);
  f.reset(res.W);
  f.fullNegGradient(res.W, V);
  const l1 = new WeightedGroupNormPenalty(c.lambda, 1, new Float64Array(d).fill(1), T);
  let stationarity = 0, nonzeroRows = 0, cappedRows = 0;
  for (let j = 0; j < d; j++) {
    let r = 0, zz = 0;
    for (let t = 0; t < T; t++) { z[t] = V[j * T + t]!; r += Math.abs(res.W[j * T + t]!); zz += z[t]! * z[t]!; }
    if (r > 0) nonzeroRows++;
    if (r >= theta) cappedRows++;
    const e = r < theta ? l1.subdiffDistance(res.W, j, z) : r > theta ? Math.sqrt(zz) : Math.min(Math.sqrt(zz), l1.subdiffDistance(res.W, j, z));
    stationarity = Math.max(stationarity, e);
  }
  const last = res.stages[res.stages.length - 1];
  const history: HistoryEntry[] = res.history;
  return {
    W, intercepts, objective, certificate: last ? last.gap : Infinity, certificateKind: 'stage-duality-gap', stages: res.stages, stationarity,
    iterations: res.iterations, converged: res.status === 'converged', status: res.status, history, options: opts, local: true,
    objectiveAtZero: L0, lambdaMax, nonzeroRows, cappedRows, time: (performance.now() - start) / 1000, predict: makePredict(W, intercepts),
  };
}

/**
 * The capped-ℓ1 objective from the raw data.
 * @param data - the data
 * @param W - d×T
 * @param params - λ, θ, lossScale (default 'mean')
 * @param intercepts - b (default 0)
 * @returns L(W, b) + λ Σ_j min(‖w^j‖₁, θ)
 * @example
 * ```ts
 * cappedL1Objective(data, fit.W, fit.options, fit.intercepts) === fit.objective; // true
 * ```
 * @see {@link cappedL1}
 */
export function cappedL1Objective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: { lambda: number; theta: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data), { d, T } = D;
  const w = checkMat(W, 'W', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const theta = checkNumber(params.theta, 'theta', { min: 0, minExclusive: true, allowInfinity: true });
  let pen = 0;
  for (let j = 0; j < d; j++) {
    let r = 0;
    for (let t = 0; t < T; t++) r += Math.abs(w[j * T + t]!);
    pen += Math.min(r, theta); // Σ_j min(‖w^j‖₁, θ)
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: w }, intercepts, params.lossScale ?? 'mean') + lambda * pen;
}
