/**
 * Multi-task group lasso L1/Lq (joint feature selection).
 *
 *   F(W, b) = Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² + λ Σ_j ‖w^j‖_q + ρ ‖W‖²_F,   q ∈ [1, ∞]
 *
 * References: G. Obozinski, B. Taskar & M. Jordan, "Joint covariate selection and joint subspace
 * selection for multiple classification problems", Stat. Comput. 20, 2010 (L1/L2); A. Argyriou,
 * T. Evgeniou & M. Pontil, "Convex multi-task feature learning", Mach. Learn. 73, 2008; B. Turlach,
 * W. Venables & S. Wright, "Simultaneous variable selection", Technometrics 47, 2005 (L1/L∞);
 * J. Liu & J. Ye, "Efficient L1/Lq norm regularization", arXiv:1009.4766, 2010 (general q).
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, multiTaskLoss } from '../datafits/quadratic.js';
import { rowNorm } from '../penalties/index.js';
import { fista, type ProxFunction, type SmoothFunction } from '../solvers/fista.js';
import { bcd as bcdSolve, type BcdStatus } from '../solvers/bcd.js';
import { createBcdDatafit, type BcdDatafit } from '../solvers/bcdDatafit.js';
import { groupLassoGap, groupNorm, groupNormRowPenalty, maxDualRowNorm } from './groupLassoCore.js';
import { makePredict } from './predict.js';
import { onReleaseScratch } from '../data/scratch.js';
import { WarmResidualState } from './warmResidualState.js';
import { checkBoolean, checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject, checkVec } from '../util/checks.js';

/** Options of {@link groupLasso}. */
export interface GroupLassoOptions {
  /** λ ≥ 0, the weight of Σ_j ‖w^j‖_q. Required. */
  lambda: number;
  /** q ∈ [1, ∞]: 2 = L1/L2 joint selection, Infinity = L1/L∞, 1 = independent lasso. @default 2 */
  q?: number;
  /** ρ ≥ 0, the weight of ‖W‖²_F. @default 0 */
  ridge?: number;
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /** `'fista'`, `'bcd'` or `'auto'` (= `'bcd'`, see {@link groupLasso}). @default 'auto' */
  solver?: 'auto' | 'fista' | 'bcd';
  /** Stop when the duality gap ≤ tol · F(0, b₀) (relative to the objective at W = 0). @default 1e-6 */
  tol?: number;
  /** Maximum iterations (FISTA) or epochs (BCD). @default 10000 */
  maxIter?: number;
  /** Starting W (d×T); must reach the same solution. @default zeros */
  warmStart?: MatLike | null;
  /** BCD: gap-safe screening (used when ridge = 0). @default true */
  screening?: boolean;
  /** BCD: working sets. @default true */
  workingSet?: boolean;
  /** Per-task weights multiplying the loss scale s_t (uncertainty weighting), each finite and > 0. @default all 1 */
  taskWeights?: Float64Array | null;
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link GroupLassoOptions} with every default filled in. */
export type ResolvedGroupLassoOptions = Required<Omit<GroupLassoOptions, 'warmStart' | 'taskWeights' | 'onProgress'>> & {
  warmStart: Mat | null;
  taskWeights: Float64Array | null;
  /** The solver that ran (`'auto'` resolved). */
  solverUsed: 'fista' | 'bcd';
};

/** The result of {@link groupLasso}. */
export interface GroupLassoFit extends FitResultBase<ResolvedGroupLassoOptions> {
  /** The duality gap at the returned W (absolute), same as `certificate`. */
  readonly gap: number;
  /** Objective at W = 0 with optimal intercepts, the scale of the relative tolerance. */
  readonly objectiveAtZero: number;
  /** λ_max for these data and options: the smallest λ with W = 0 optimal (when ρ = 0). */
  readonly lambdaMax: number;
  /** Number of rows of W that are not identically zero. */
  readonly nonzeroRows: number;
  /** Rows discarded by gap-safe screening (BCD). */
  readonly screened: number;
  /** Seconds spent in the fit. */
  readonly time: number;
  /**
   * How the fit ended: `'converged'` (a finite certificate ≤ the finite tolerance; the only case with
   * `converged: true`), `'max-iterations'`, or `'non-finite'` (a non-finite value stopped the fit at once).
   */
  readonly status: BcdStatus;
}

/** The parameters of the group-lasso objective, for {@link groupLassoObjective}. */
export interface GroupLassoParams {
  /** λ ≥ 0. */
  lambda: number;
  /** q ∈ [1, ∞]. @default 2 */
  q?: number;
  /** ρ ≥ 0. @default 0 */
  ridge?: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/** The option names of {@link groupLasso} (a misspelt key is a RangeError naming the closest one). */
const GROUP_LASSO_OPTION_KEYS: readonly string[] = [
  'lambda', 'q', 'ridge', 'lossScale', 'fitIntercept', 'solver', 'tol', 'maxIter', 'warmStart', 'screening', 'workingSet', 'taskWeights', 'onProgress',
];

/**
 * Validates and completes the options of {@link groupLasso} (the one `checkOptions` of this entry point).
 * @param options - user options
 * @param data - the data (for the shape of `warmStart`)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkGroupLassoOptions({ lambda: 0.1 }, data).q; // 2
 * ```
 * @see {@link groupLasso}
 */
export function checkGroupLassoOptions(options: GroupLassoOptions, data: MultiTaskData): ResolvedGroupLassoOptions {
  checkOptionsObject(options, 'groupLasso options', ['lambda']);
  checkOptionKeys(options, GROUP_LASSO_OPTION_KEYS, 'groupLasso options');
  const lambda = checkNumber(options.lambda, 'lambda', { min: 0 });
  const q = checkNumber(options.q ?? 2, 'q', { min: 1, allowInfinity: true });
  const ridge = checkNumber(options.ridge ?? 0, 'ridge', { min: 0 });
  const lossScale = checkOneOf(options.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(options.fitIntercept, 'fitIntercept', true);
  const solver = checkOneOf(options.solver, 'solver', ['auto', 'fista', 'bcd'] as const, 'auto');
  const tol = checkNumber(options.tol ?? 1e-6, 'tol', { min: 0 });
  const maxIter = checkNumber(options.maxIter ?? 10000, 'maxIter', { min: 0, integer: true });
  const warmStart = options.warmStart == null ? null
    : checkMat(options.warmStart, 'warmStart', { rows: data.d, cols: data.T, label: `d×T = ${data.d}×${data.T}` });
  const taskWeights = options.taskWeights == null ? null
    : checkVec(options.taskWeights, 'taskWeights', data.T, { min: 0, minExclusive: true });
  const screening = checkBoolean(options.screening, 'screening', true);
  const workingSet = checkBoolean(options.workingSet, 'workingSet', true);
  const solverUsed = solver === 'fista' ? 'fista' : solver === 'bcd' ? 'bcd' : lambda === 0 && ridge === 0 ? 'fista' : 'bcd';
  return { lambda, q, ridge, lossScale, fitIntercept, solver, tol, maxIter, warmStart, screening, workingSet, taskWeights, solverUsed };
}

/**
 * The textbook group-lasso objective L(W, b) + λ Σ_j ‖w^j‖_q + ρ‖W‖²_F, evaluated from the raw data.
 *
 * @param data - the data (a {@link MultiTaskData} or per-task `{ X, y }` array)
 * @param W - weights d×T
 * @param params - λ, q, ρ and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @example
 * ```ts
 * groupLassoObjective(data, fit.W, { lambda: 0.1, q: 2 }, fit.intercepts) === fit.objective; // true
 * ```
 * @see {@link groupLasso}
 */
export function groupLassoObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: GroupLassoParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const q = checkNumber(params.q ?? 2, 'q', { min: 1, allowInfinity: true });
  const ridge = checkNumber(params.ridge ?? 0, 'ridge', { min: 0 });
  const loss = multiTaskLoss(D, W, intercepts, params.lossScale ?? 'mean');
  const norm = rowNorm(q, D.T);
  let fro = 0;
  for (let k = 0; k < W.data.length; k++) fro += W.data[k]! * W.data[k]!;
  return loss + lambda * groupNorm(norm, W.data, D.d, D.T) + ridge * fro;
}

/**
 * λ_max = max_j ‖∇_j L(0, b₀)‖_{q*}: the smallest λ for which W = 0 is optimal (with ρ = 0).
 *
 * @param data - the data
 * @param params - q, loss scale, intercepts
 * @returns λ_max
 * @example
 * ```ts
 * const lmax = groupLassoLambdaMax(data, { q: 2 });
 * groupLasso(data, { lambda: lmax }).nonzeroRows; // 0
 * ```
 * @see {@link groupLasso}
 */
export function groupLassoLambdaMax(
  data: MultiTaskData | readonly TaskInput[],
  params: { q?: number; lossScale?: LossScale; fitIntercept?: boolean; taskWeights?: Float64Array | null } = {},
): number {
  const D = asData(data);
  const q = checkNumber(params.q ?? 2, 'q', { min: 1, allowInfinity: true });
  const { loss } = preparedLoss(D, params.lossScale ?? 'mean', params.fitIntercept ?? true, params.taskWeights ?? null);
  return lambdaMaxOf(loss, rowNorm(q, D.T));
}

/**
 * Per-data cache of the prepared datafit and the BCD state (XᵀY, Gram columns). A
 * {@link MultiTaskData} is immutable, so fits on the same data object — a regularization path,
 * cross-validation along a grid — share this work; the cache goes away with the data object, or at
 * once with {@link MultiTaskData.dispose}. Weighted losses (task weights) are not cached.
 */
const prepared = new WeakMap<MultiTaskData, Map<string, PreparedLoss>>();

/**
 * The datafit of one (data, loss scale, intercept) and what its fits reuse: the BCD state (residual
 * form: kept from one fit to the next, {@link WarmResidualState}), F(0, b₀) and λ_max per q.
 */
interface PreparedLoss {
  readonly loss: QuadraticLoss;
  readonly bcd: { state?: BcdDatafit; warm?: WarmResidualState };
  valueAtZero?: number;
  readonly lambdaMax: Map<number, number>;
}

function preparedLoss(D: MultiTaskData, lossScale: LossScale, fitIntercept: boolean, taskWeights: Float64Array | null): PreparedLoss {
  const make = (): PreparedLoss => ({
    loss: new QuadraticLoss(D, { lossScale, fitIntercept, ...(taskWeights ? { taskWeights } : {}) }),
    bcd: {}, lambdaMax: new Map(),
  });
  if (taskWeights) return make();
  let byKey = prepared.get(D);
  if (!byKey) {
    prepared.set(D, (byKey = new Map()));
    // D.dispose() drops the cached states with the blocks it frees (their design buffers included)
    const entries = byKey;
    onReleaseScratch(D, () => { prepared.delete(D); for (const e of entries.values()) e.loss.design?.releaseBuffers(); });
  }
  const key = `${lossScale}|${fitIntercept}`;
  let entry = byKey.get(key);
  if (!entry) byKey.set(key, (entry = make()));
  return entry;
}

function lambdaMaxOf(loss: QuadraticLoss, norm: ReturnType<typeof rowNorm>, state?: BcdDatafit): number {
  // V(0) = Xᵀ(2 s ⊙ Y): column t of XᵀY times 2 s_t (from the BCD state when there is one: computed once)
  const { d, T } = loss;
  const V = Float64Array.from(state ? state.xty() : loss.xty());
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) V[j * T + t]! *= 2 * loss.scales[t]!;
  return maxDualRowNorm(norm, V, d, T);
}

/**
 * Fits the multi-task group lasso L1/Lq.
 *
 * Solvers: `'bcd'` — block coordinate descent over feature rows with working sets and gap-safe
 * screening, using cached Gram blocks when that is cheaper than residual updates; `'fista'` —
 * accelerated proximal gradient with backtracking and adaptive restart. `'auto'` picks `'bcd'`
 * (fastest on every shape in `bench/`; it chooses its Gram or residual form by shape, see
 * `chooseBackend`), except for λ = ρ = 0 (plain least squares, no dual certificate) where FISTA runs
 * with the fixed-point residual as certificate.
 *
 * Stopping: the duality gap ≤ tol · F(0, b₀). Non-convergence is reported (`converged: false`).
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link GroupLassoOptions}
 * @returns the fit (W, intercepts, objective, gap, history, …)
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, groupLasso, groupLassoLambdaMax } from 'mtlearn';
 * const data = MultiTaskData.fromShared(X, Y);
 * const fit = groupLasso(data, { lambda: 0.1 * groupLassoLambdaMax(data), q: 2 });
 * fit.nonzeroRows; fit.gap; fit.predict(Xnew, 0);
 * ```
 * @see {@link groupLassoObjective}, {@link groupLassoLambdaMax}
 */
export function groupLasso(data: MultiTaskData | readonly TaskInput[], options: GroupLassoOptions): GroupLassoFit {
  const D = asData(data);
  const opts = checkGroupLassoOptions(options, D);
  const { d, T } = D;
  const start = performance.now();
  const entry = preparedLoss(D, opts.lossScale, opts.fitIntercept, opts.taskWeights), { loss, bcd } = entry;
  const norm = rowNorm(opts.q, T);
  const P0 = (entry.valueAtZero ??= loss.valueAtZero());
  const tolAbs = opts.tol * P0;
  const W0 = opts.warmStart ? opts.warmStart.data : new Float64Array(d * T); // bcd and fista copy their start
  if (opts.solverUsed === 'bcd' && bcd.state === undefined) {
    const state = createBcdDatafit(loss, 'auto');
    // a residual state goes on from one fit to the next when the start is the last fit's W (a path)
    if (state.kind === 'residual') bcd.warm = new WarmResidualState(state);
    bcd.state = bcd.warm ?? state;
  }
  let lambdaMax = entry.lambdaMax.get(opts.q);
  if (lambdaMax === undefined) entry.lambdaMax.set(opts.q, (lambdaMax = lambdaMaxOf(loss, norm, bcd.state)));

  let W: Float64Array, gap: number, iterations: number, converged: boolean, history: HistoryEntry[], screened = 0;
  let certificateKind: 'duality-gap' | 'fixed-point-residual' = 'duality-gap';
  let status: BcdStatus;
  if (opts.solverUsed === 'bcd') {
    const res = bcdSolve(bcd.state!, groupNormRowPenalty(norm, opts.lambda, T), W0, {
      ridge: opts.ridge, tolAbs, maxIter: opts.maxIter, workingSet: opts.workingSet, screening: opts.screening,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(loss.shared ? { samples: loss.n } : {}),
    });
    ({ W, gap, iterations, converged, history, screened, status } = res);
    certificateKind = res.certificateKind;
    if (status !== 'non-finite') bcd.warm?.settle(W);
  } else {
    const res = fistaGroupLasso(loss, norm, W0, opts.lambda, opts.ridge, tolAbs, opts.maxIter, options.onProgress);
    ({ x: W, certificate: gap, iterations, converged, history } = res);
    if (opts.lambda === 0 && opts.ridge === 0) certificateKind = 'fixed-point-residual';
    converged = converged && Number.isFinite(gap) && gap <= tolAbs;
    status = converged ? 'converged' : Number.isFinite(gap) ? 'max-iterations' : 'non-finite';
  }
  const Wm: Mat = { rows: d, cols: T, data: W };
  const intercepts = loss.intercepts(W);
  const objective = groupLassoObjectiveWeighted(D, Wm, opts, intercepts, norm);
  let nonzeroRows = 0;
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { nonzeroRows++; break; }
  }
  return {
    W: Wm, intercepts, objective, certificate: gap, certificateKind, gap, iterations, converged, history,
    options: opts, objectiveAtZero: P0, lambdaMax, nonzeroRows, screened, status,
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}

function groupLassoObjectiveWeighted(
  D: MultiTaskData, W: Mat, opts: ResolvedGroupLassoOptions, b: Float64Array, norm: ReturnType<typeof rowNorm>,
): number {
  const loss = multiTaskLoss(D, W, b, opts.lossScale, opts.taskWeights ?? undefined);
  let fro = 0;
  for (let k = 0; k < W.data.length; k++) fro += W.data[k]! * W.data[k]!;
  return loss + opts.lambda * groupNorm(norm, W.data, D.d, D.T) + opts.ridge * fro;
}

/**
 * FISTA for the group lasso: smooth part L(W) + ρ‖W‖² through the residual state, prox of
 * λ Σ_j ‖w^j‖_q row by row, duality gap as certificate.
 * @param loss - the datafit
 * @param norm - the row norm
 * @param W0 - start
 * @param lambda - λ
 * @param ridge - ρ
 * @param tolAbs - absolute gap tolerance
 * @param maxIter - iteration cap
 * @param onProgress - progress callback at every certificate check
 * @returns the FISTA result
 * @example
 * ```ts
 * fistaGroupLasso(loss, rowNorm(2, T), W0, 0.1, 0, 1e-8, 10000);
 * ```
 * @see {@link fista}
 */
export function fistaGroupLasso(
  loss: QuadraticLoss, norm: ReturnType<typeof rowNorm>, W0: Float64Array, lambda: number, ridge: number,
  tolAbs: number, maxIter: number, onProgress?: ProgressCallback,
): ReturnType<typeof fista> {
  const { d, T } = loss;
  const V = new Float64Array(d * T);
  const work = new Float64Array(T);
  const smooth: SmoothFunction = {
    dim: d * T,
    stateSize: loss.residualSize,
    computeState: (x, s) => loss.residual(x, s),
    value: (x, s) => {
      let fro = 0;
      if (ridge > 0) for (let k = 0; k < x.length; k++) fro += x[k]! * x[k]!;
      return loss.valueFromResidual(s) + ridge * fro;
    },
    gradient: (x, s, g) => {
      loss.gradient(s, g); // ∇L = −Xᵀ(2 s ⊙ R)
      if (ridge > 0) for (let k = 0; k < x.length; k++) g[k]! += 2 * ridge * x[k]!;
    },
  };
  const prox: ProxFunction = {
    value: (x) => lambda * groupNorm(norm, x, d, T),
    prox: (v, step, out) => {
      for (let j = 0; j < d; j++) norm.prox(v, j * T, T, step * lambda, out, j * T);
    },
  };
  const useGap = !(lambda === 0 && ridge === 0);
  return fista(smooth, prox, W0, {
    lipschitz: loss.lipschitz() + 2 * ridge,
    tol: tolAbs,
    maxIter,
    checkEvery: 10,
    ...(onProgress ? { onProgress } : {}),
    ...(useGap
      ? {
          certificate: (x: Float64Array, s: Float64Array) => {
            loss.correlation(s, V);
            return groupLassoGap(loss.valueFromResidual(s), loss.innerWithY(s, true), V, x, d, T, norm, lambda, ridge, work, null, 0).gap;
          },
        }
      : {}),
  });
}
