/**
 * k-cluster mean-regularized multi-task learning (`docs/objectives.md`, "Clustered MTL"): tasks are
 * partitioned into k groups with centres m_1 … m_k,
 *
 *   min_{W, c, m}  L(W) + λ Σ_t ‖w_t − m_{c(t)}‖² + μ Σ_g ‖m_g‖².
 *
 * For a fixed assignment c the problem is convex and separates over the clusters; within cluster g
 * it is exactly mean-regularized form B (w₀ = m_g, Δw_t = w_t − m_g) on the tasks of g, solved
 * exactly by the structured solver of `meanRegularized` ({@link TaskCouplingSystem}; the blocks
 * H_t + 2λI are factored once for all clusters, iterations and restarts). For fixed (W, m) the best
 * assignment sends each task to its nearest centre (the only assignment-dependent term is
 * λ‖w_t − m_{c(t)}‖²). Alternating the two exact steps never increases the objective; the loop stops
 * when the assignment no longer changes. The problem is not convex: several seeded k-means++ starts
 * (on independent per-task ridge solutions) are run and the best is kept. With k = 1 it is exactly
 * form B.
 *
 * References: T. Evgeniou, C. Micchelli & M. Pontil, "Learning multiple tasks with kernel methods",
 * JMLR 6, 2005 (cluster-mean regularisation); L. Jacob, F. Bach & J.-P. Vert, "Clustered multi-task
 * learning: a convex formulation", NIPS 2008; D. Arthur & S. Vassilvitskii, "k-means++", SODA 2007.
 *
 * @packageDocumentation
 */
import type { FitResultBase, FitStatus, HistoryEntry, LossScale, Mat, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { TaskQuadratic } from '../solvers/taskQuadratic.js';
import { TaskCouplingSystem, type CoupledSolve } from '../solvers/taskCoupling.js';
import {
  checkBoolean, checkNumber, checkOneOf, checkOptional, checkOptionKeys, checkOptionsObject,
} from '../util/checks.js';

/** The certificate tolerance of the final convex step, relative to ‖∇L(0)‖. */
const CERT_TOL = 1e-8;
import { kmeans } from './kmeans.js';
import { makePredict } from './predict.js';

/** Options of {@link clusteredMeanRegularized}. */
export interface ClusteredMeanRegularizedOptions {
  /** Number of clusters k, an integer in [1, T]. Required. */
  k: number;
  /** λ > 0, the weight of Σ_t ‖w_t − m_{c(t)}‖². Required. */
  lambda: number;
  /** μ ≥ 0, the weight of Σ_g ‖m_g‖². @default 0 */
  mu?: number;
  /** Number of seeded k-means++ starts; the lowest final objective is kept. @default 10 */
  restarts?: number;
  /** Seed of the starts (an integer, |seed| < 2³²). @default 0 */
  seed?: number;
  /** Maximum alternations per start. @default 100 */
  maxIter?: number;
  /**
   * Also stop a start when an alternation decreases the objective by ≤ tol relative (the assignment
   * being stable is the normal stop). @default 1e-12
   */
  tol?: number;
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /** Called after every alternation with { iteration, maxIter, objective, certificate: NaN, tol }, iterations counted over all restarts (maxIter = restarts × maxIter). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link ClusteredMeanRegularizedOptions} with every default filled in. */
export type ResolvedClusteredMeanRegularizedOptions = Required<Omit<ClusteredMeanRegularizedOptions, 'onProgress'>>;

/** The parameters of the objective, for {@link clusteredMeanRegularizedObjective}. */
export interface ClusteredMeanRegularizedParams {
  /** λ ≥ 0. */
  lambda: number;
  /** μ ≥ 0. @default 0 */
  mu?: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/** The result of {@link clusteredMeanRegularized}. */
export interface ClusteredMeanRegularizedFit extends FitResultBase<ResolvedClusteredMeanRegularizedOptions> {
  /** Cluster centres m_1 … m_k as the columns of a d×k Mat. */
  readonly centres: Mat;
  /** c(t) ∈ [0, k) for every task. */
  readonly assignment: Int32Array;
  /** The final objective of every start (the fit is the lowest). */
  readonly restartObjectives: Float64Array;
  /** Which start was kept. */
  readonly bestRestart: number;
  /** ‖∇L(0)‖_F, the scale of the certificate. */
  readonly certificateScale: number;
  /**
   * How the fit ended: `'converged'` when the best start's alternation stopped and its final convex
   * step is certified (‖∇_{W, m} F‖ ≤ 1e-8·‖∇L(0)‖); `'max-iterations'` when it hit `maxIter`.
   */
  readonly status: FitStatus;
  /** Seconds spent in the fit. */
  readonly time: number;
}

/**
 * Validates and completes the options of {@link clusteredMeanRegularized} (the one `checkOptions`
 * of this entry point).
 * @param options - user options
 * @param data - the data (for T)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkClusteredMeanRegularizedOptions({ k: 3, lambda: 0.1 }, data).restarts; // 10
 * ```
 * @see {@link clusteredMeanRegularized}
 */
export function checkClusteredMeanRegularizedOptions(
  options: ClusteredMeanRegularizedOptions, data: MultiTaskData,
): ResolvedClusteredMeanRegularizedOptions {
  const o = checkOptionsObject(options, 'clusteredMeanRegularized options', ['k', 'lambda']);
  checkOptionKeys(o, ['k', 'lambda', 'mu', 'restarts', 'seed', 'maxIter', 'tol', 'lossScale', 'fitIntercept', 'onProgress'], 'clusteredMeanRegularized options');
  const T = data.T;
  const k = checkNumber(o.k, 'k', { min: 1, max: T, integer: true });
  const lambda = checkNumber(o.lambda, 'lambda', { min: 0, minExclusive: true });
  const mu = checkOptional(o.mu, 0, (v) => checkNumber(v, 'mu', { min: 0 }));
  const restarts = checkOptional(o.restarts, 10, (v) => checkNumber(v, 'restarts', { min: 1, integer: true }));
  const seed = checkOptional(o.seed, 0, (v) => checkNumber(v, 'seed', { min: -4294967295, max: 4294967295, integer: true }));
  const maxIter = checkOptional(o.maxIter, 100, (v) => checkNumber(v, 'maxIter', { min: 1, integer: true }));
  const tol = checkOptional(o.tol, 1e-12, (v) => checkNumber(v, 'tol', { min: 0 }));
  const lossScale = checkOneOf(o.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(o.fitIntercept, 'fitIntercept', true);
  return { k, lambda, mu, restarts, seed, maxIter, tol, lossScale, fitIntercept };
}

/**
 * The k-cluster mean-regularized objective L(W, b) + λ Σ_t ‖w_t − m_{c(t)}‖² + μ Σ_g ‖m_g‖²,
 * evaluated from the raw data.
 *
 * @param data - the data (a {@link MultiTaskData} or per-task `{ X, y }` array)
 * @param W - weights d×T
 * @param centres - the centres as the columns of a d×k Mat
 * @param assignment - c(t) ∈ [0, k) for each of the T tasks
 * @param params - λ, μ and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on malformed arguments
 * @example
 * ```ts
 * clusteredMeanRegularizedObjective(data, fit.W, fit.centres, fit.assignment, { lambda: 0.1 }, fit.intercepts);
 * ```
 * @see {@link clusteredMeanRegularized}
 */
export function clusteredMeanRegularizedObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, centres: Mat, assignment: Int32Array | readonly number[],
  params: ClusteredMeanRegularizedParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  if (typeof params !== 'object' || params === null) throw new TypeError('params: expected { lambda, mu? }');
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const mu = checkNumber(params.mu ?? 0, 'mu', { min: 0 });
  checkW(W, d, T, 'W');
  if (typeof centres !== 'object' || centres === null || !(centres.data instanceof Float64Array)) throw new TypeError('centres: expected a d×k Mat');
  const k = centres.cols;
  if (centres.rows !== d || k < 1 || centres.data.length !== d * k) throw new RangeError(`centres: has ${centres.rows}×${centres.cols}, expected d×k = ${d}×k with k ≥ 1`);
  if (assignment.length !== T) throw new RangeError(`assignment: expected length T = ${T}, got ${assignment.length}`);
  for (let t = 0; t < T; t++) {
    const g = assignment[t]!;
    if (!Number.isInteger(g) || g < 0 || g >= k) throw new RangeError(`assignment: task ${t} has cluster ${g}, expected an integer in [0, ${k})`);
  }
  let dev = 0, cen = 0;
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      const e = W.data[j * T + t]! - centres.data[j * k + assignment[t]!]!;
      dev += e * e;
    }
    for (let g = 0; g < k; g++) cen += centres.data[j * k + g]! ** 2;
  }
  return multiTaskLoss(D, W, intercepts, params.lossScale ?? 'mean') + lambda * dev + mu * cen;
}

/**
 * Fits k-cluster mean-regularized MTL by alternating the exact convex (W, centres) step with the
 * reassignment of each task to its nearest centre, from several seeded k-means++ starts.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link ClusteredMeanRegularizedOptions}
 * @returns the best fit: W, centres (d×k), assignment, objective, monotone history, restart objectives
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { clusteredMeanRegularized } from 'mtlearn';
 * const fit = clusteredMeanRegularized(data, { k: 3, lambda: 0.05, seed: 1 });
 * fit.assignment; // Int32Array of T cluster labels
 * fit.centres;    // d×3
 * ```
 * @see {@link clusteredMeanRegularizedObjective}, {@link meanRegularized} (k = 1)
 */
export function clusteredMeanRegularized(
  data: MultiTaskData | readonly TaskInput[], options: ClusteredMeanRegularizedOptions,
): ClusteredMeanRegularizedFit {
  const D = asData(data);
  const opts = checkClusteredMeanRegularizedOptions(options, D);
  const { d, T } = D;
  const { k, lambda, mu } = opts;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const tq = new TaskQuadratic(loss);
  const sys = new TaskCouplingSystem(tq);
  const R = new Float64Array(loss.residualSize);
  const G = new Float64Array(d * T);
  let g0 = 0;
  for (let q = 0; q < d * T; q++) g0 += tq.B[q]! * tq.B[q]!;
  const scale = g0 > 0 ? Math.sqrt(g0) : 1;

  // independent ridge solutions: (H_t + 2λI) w_t = g_t (γ = 0 decouples the tasks)
  const all = Int32Array.from({ length: T }, (_, t) => t);
  const ridge = tq.finite ? sys.prepare(all, lambda, 0) : null;
  if (ridge === null) {
    // overflowed statistics (data near the floating-point range): stop at once, W = 0
    const Wz: Mat = { rows: d, cols: T, data: new Float64Array(d * T) };
    const intercepts = loss.intercepts(Wz.data);
    return {
      W: Wz, intercepts, objective: NaN, certificate: NaN, certificateKind: 'fixed-point-residual', iterations: 0, converged: false,
      status: 'non-finite', history: [], options: opts, centres: { rows: d, cols: k, data: new Float64Array(d * k) },
      assignment: new Int32Array(T), restartObjectives: new Float64Array(opts.restarts).fill(NaN), bestRestart: 0,
      certificateScale: scale, time: (performance.now() - start) / 1000, predict: makePredict(Wz, intercepts),
    };
  }
  const W0 = new Float64Array(d * T);
  ridge.solve(sys.rhs, W0, new Float64Array(d));
  const points = new Float64Array(T * d); // task vectors as rows
  for (let t = 0; t < T; t++) for (let j = 0; j < d; j++) points[t * d + j] = W0[j * T + t]!;

  // buffers
  const W = new Float64Array(d * T), Cm = new Float64Array(d * k), wbar = new Float64Array(d);
  const assign = new Int32Array(T), members = new Int32Array(T), counts = new Int32Array(k);
  const solverCache = new Map<string, CoupledSolve | null>();
  const clusterSolver = (tasks: Int32Array): CoupledSolve => {
    const key = tasks.join(',');
    let s = solverCache.get(key);
    if (s === undefined) {
      const m = tasks.length;
      const lt = lambda * m;
      const pMean = lt + mu > 0 ? (lt * mu) / (lt + mu) : 0;
      s = sys.prepare(tasks, lambda, (2 * pMean) / m - 2 * lambda);
      if (solverCache.size > 4096) solverCache.clear();
      solverCache.set(key, s);
    }
    return s!;
  };
  const objectiveOf = (): number => {
    loss.residual(W, R);
    let dev = 0, cen = 0;
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) dev += (W[j * T + t]! - Cm[j * k + assign[t]!]!) ** 2;
      for (let g = 0; g < k; g++) cen += Cm[j * k + g]! ** 2;
    }
    return loss.valueFromResidual(R) + lambda * dev + mu * cen;
  };
  /** The exact convex step for the current assignment: W and the centres. */
  const convexStep = (): void => {
    counts.fill(0);
    for (let t = 0; t < T; t++) counts[assign[t]!]!++;
    for (let g = 0; g < k; g++) {
      const m = counts[g]!;
      if (m === 0) {
        // an empty cluster: its centre only enters μ‖m_g‖² (0 is optimal; with μ = 0 keep it)
        if (mu > 0) for (let j = 0; j < d; j++) Cm[j * k + g] = 0;
        continue;
      }
      let q = 0;
      for (let t = 0; t < T; t++) if (assign[t] === g) members[q++] = t;
      clusterSolver(members.subarray(0, m)).solve(sys.rhs, W, wbar);
      const f = (lambda * m) / (lambda * m + mu);
      for (let j = 0; j < d; j++) Cm[j * k + g] = f * wbar[j]!;
    }
  };
  /** Moves every task to its nearest centre (ties keep the current one); returns whether any moved. */
  const reassign = (): boolean => {
    let changed = false;
    for (let t = 0; t < T; t++) {
      let best = assign[t]!, bd = 0;
      for (let j = 0; j < d; j++) bd += (W[j * T + t]! - Cm[j * k + best]!) ** 2;
      for (let g = 0; g < k; g++) {
        if (g === assign[t]) continue;
        let dd = 0;
        for (let j = 0; j < d; j++) dd += (W[j * T + t]! - Cm[j * k + g]!) ** 2;
        if (dd < bd) { bd = dd; best = g; }
      }
      if (best !== assign[t]) { assign[t] = best; changed = true; }
    }
    return changed;
  };

  const restartObjectives = new Float64Array(opts.restarts);
  let best: { W: Float64Array; C: Float64Array; assign: Int32Array; objective: number; history: HistoryEntry[]; iterations: number; converged: boolean; restart: number } | null = null;
  let done = 0; // alternations over all restarts (progress)
  for (let r = 0; r < opts.restarts; r++) {
    const seed = (opts.seed * 1000003 + r * 7919) >>> 0;
    const km = kmeans(points, T, d, k, { seed, restarts: 1 });
    assign.set(km.labels);
    for (let g = 0; g < k; g++) for (let j = 0; j < d; j++) Cm[j * k + g] = km.centres[g * d + j]!;
    const history: HistoryEntry[] = [];
    let prev = Infinity, it = 0, converged = false;
    for (;;) {
      convexStep(); // W and the centres optimal for the current assignment
      it++;
      const F = objectiveOf();
      history.push({ iteration: it, objective: F, certificate: NaN, time: (performance.now() - start) / 1000 });
      options.onProgress?.({ iteration: ++done, maxIter: opts.restarts * opts.maxIter, objective: F, certificate: NaN, tol: opts.tol });
      if (it > 1 && prev - F <= opts.tol * Math.abs(F)) { converged = true; break; }
      prev = F;
      if (it >= opts.maxIter) break;
      if (!reassign()) { converged = true; break; }
    }
    const F = objectiveOf();
    restartObjectives[r] = F;
    if (best === null || F < best.objective) {
      best = { W: Float64Array.from(W), C: Float64Array.from(Cm), assign: Int32Array.from(assign), objective: F, history, iterations: it, converged, restart: r };
    }
  }
  const b = best!;
  const Wm: Mat = { rows: d, cols: T, data: b.W };
  const centres: Mat = { rows: d, cols: k, data: b.C };
  // certificate: ‖∇_{W, m} F‖ for the final assignment (the convex step's fixed-point residual)
  loss.residual(b.W, R);
  loss.gradient(R, G);
  let cert = 0;
  const gm = new Float64Array(d * k);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      const e = b.W[j * T + t]! - b.C[j * k + b.assign[t]!]!;
      const gw = G[j * T + t]! + 2 * lambda * e;
      cert += gw * gw;
      gm[j * k + b.assign[t]!]! -= 2 * lambda * e;
    }
  }
  counts.fill(0);
  for (let t = 0; t < T; t++) counts[b.assign[t]!]!++;
  for (let j = 0; j < d; j++) {
    for (let g = 0; g < k; g++) {
      if (counts[g] === 0 && mu === 0) continue;
      const v = gm[j * k + g]! + 2 * mu * b.C[j * k + g]!;
      cert += v * v;
    }
  }
  cert = Math.sqrt(cert);
  const last = b.history.length - 1;
  if (last >= 0) b.history[last] = { ...b.history[last]!, certificate: cert };
  const intercepts = loss.intercepts(b.W);
  const objective = clusteredMeanRegularizedObjective(D, Wm, centres, b.assign, { lambda, mu, lossScale: opts.lossScale }, intercepts);
  // converged: the alternation stopped (stable assignment) and the exact convex step is certified
  const status: FitStatus = !Number.isFinite(cert) || !Number.isFinite(objective) ? 'non-finite'
    : b.converged && cert <= CERT_TOL * scale ? 'converged' : b.converged ? 'stalled' : 'max-iterations';
  return {
    W: Wm, intercepts, objective, certificate: cert, certificateKind: 'fixed-point-residual', iterations: b.iterations,
    converged: status === 'converged', status, history: b.history, options: opts, centres, assignment: b.assign, restartObjectives,
    bestRestart: b.restart, certificateScale: scale, time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
