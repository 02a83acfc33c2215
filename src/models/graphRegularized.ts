/**
 * Graph-regularized multi-task learning:
 *
 *   F(W, b) = L(W, b) + ρ₁ ‖W R‖²_F + ρ₂ ‖W‖₁ + ρ ‖W‖²_F,
 *
 * where R ∈ ℝ^{T×E} has one column ω_e (e_a − e_b) per edge e = (a, b) of a task graph with weight
 * ω_e, so ‖W R‖²_F = Σ_e ω_e² ‖w_a − w_b‖² (see `docs/objectives.md`, "Task relations"). With
 * R = I − 11ᵀ/T it is Σ_t ‖w_t − w̄‖², the mean-regularized penalty.
 *
 * Solvers (`solver: 'auto'`): with ρ₂ = 0 the objective is a quadratic whose Hessian is
 * blockdiag(H_t) + (2ρ₁ K + 2ρ I) ⊗ I_d (H_t = 2 s_t X_tᵀX_t, K = R Rᵀ): it is solved by conjugate
 * gradients, preconditioned by the exact Sylvester inverse for a shared design and by block Jacobi
 * for per-task designs ({@link TaskCoupledSolver}). With ρ₂ > 0, coordinate descent with Gram
 * columns, active-set sweeps and a Newton (CG) step on the support ({@link cdCoupledL1}).
 * `'fista'` is the generic accelerated proximal gradient (∇ = ∇L + 2ρ₁ W K + 2ρ W, ℓ1 prox).
 *
 * Certificate: the duality gap. Writing the smooth graph term as a least-squares term in an extra
 * residual W R (target 0), the Fenchel dual of min L(W) + ρ₁‖WR‖² + g(W), g = ρ₂‖·‖₁ + ρ‖·‖², is
 *   D(U, Z) = ⟨U, Y⟩ − Σ_t ‖u_t‖² / (4 s_t) − ‖Z‖² / (4ρ₁) − g*(Xᵀ U + Z Rᵀ),
 * g*(V) = Σ (|V_jt| − ρ₂)₊² / (4ρ) (ρ > 0) or the indicator of ‖V‖_∞ ≤ ρ₂ (ρ = 0). The dual point is
 * the scaled natural one (αU, αZ), U = 2 s ⊙ R_res, Z = −2ρ₁ W R, so Xᵀ U + Z Rᵀ = −∇L − 2ρ₁ W K and
 * ‖Z‖²/(4ρ₁) = ρ₁ ‖W R‖²: exactly the group-lasso gap of `groupLassoCore` (q = 1) with the smooth
 * graph term added to the loss. When ρ₂ = ρ = 0 there is no useful dual bound and the fixed-point
 * residual ‖∇F‖ is the certificate instead.
 *
 * References: T. Evgeniou, C. Micchelli & M. Pontil, "Learning multiple tasks with kernel methods",
 * JMLR 6, 2005 (graph/Laplacian task coupling); J. Zhou, J. Chen & J. Ye, MALSAR user manual, 2012
 * (the "SRMTL" graph-regularized formulation); A. Beck & M. Teboulle, SIAM J. Imaging Sci. 2, 2009.
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import {
  checkBoolean, checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject, checkVec, describeValue,
} from '../util/checks.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmNT } from '../linalg/blas.js';
import { rowNorm } from '../penalties/index.js';
import { fistaGraph } from '../solvers/graphFista.js';
import { TaskQuadratic } from '../solvers/taskQuadratic.js';
import { TaskCoupledSolver } from '../solvers/pcg.js';
import { cdCoupledL1 } from '../solvers/cdGram.js';
import { groupLassoGap } from '../solvers/bcdGap.js';
import { makePredict } from './predict.js';

/**
 * A task graph: either an edge list (pairs of task indices, optional weights ω_e, default 1) or the
 * matrix R (T×E) itself, whose columns are the edge vectors ω_e (e_a − e_b) (any T×E matrix is
 * accepted).
 */
export type TaskGraph =
  | { readonly edges: readonly (readonly [number, number])[]; readonly weights?: readonly number[] | Float64Array }
  | { readonly R: MatLike };

/** Options of {@link graphRegularized}. */
export interface GraphRegularizedOptions {
  /** ρ₁ ≥ 0, the weight of ‖W R‖²_F. Required. */
  rho1: number;
  /** ρ₂ ≥ 0, the weight of ‖W‖₁. @default 0 */
  rho2?: number;
  /** ρ ≥ 0, the weight of ‖W‖²_F. @default 0 */
  ridge?: number;
  /** The task graph (edges, or R directly). Required. */
  graph: TaskGraph;
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * Stop when the duality gap ≤ tol · F(0, b₀), or (ρ₂ = ρ = 0) when ‖∇F(W)‖ ≤ tol · ‖∇F(0)‖.
   * @default 1e-8
   */
  tol?: number;
  /** Maximum iterations: CG steps (`'pcg'`), sweeps (`'cd'`) or FISTA iterations. @default 10000 */
  maxIter?: number;
  /** Starting W (d×T; number[][], ml-matrix Matrix or Mat). @default null (zeros) */
  warmStart?: MatLike | null;
  /**
   * `'auto'` (`'pcg'` when ρ₂ = 0, else `'cd'`), `'pcg'` (ρ₂ = 0 only), `'cd'` or `'fista'`.
   * @default 'auto'
   */
  solver?: 'auto' | 'pcg' | 'cd' | 'fista';
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link GraphRegularizedOptions} with every default filled in (the graph as its R matrix). */
export interface ResolvedGraphRegularizedOptions {
  /** ρ₁. */
  rho1: number;
  /** ρ₂. */
  rho2: number;
  /** ρ. */
  ridge: number;
  /** R (T×E) built from the graph. */
  R: Mat;
  /** Loss scaling. */
  lossScale: LossScale;
  /** Whether intercepts are fitted. */
  fitIntercept: boolean;
  /** Relative tolerance. */
  tol: number;
  /** Iteration cap. */
  maxIter: number;
  /** Warm start. */
  warmStart: Mat | null;
  /** The solver that runs. */
  solver: 'pcg' | 'cd' | 'fista';
}

/** The parameters of the objective, for {@link graphRegularizedObjective}. */
export interface GraphRegularizedParams {
  /** ρ₁ ≥ 0. */
  rho1: number;
  /** ρ₂ ≥ 0. @default 0 */
  rho2?: number;
  /** ρ ≥ 0. @default 0 */
  ridge?: number;
  /** The task graph. */
  graph: TaskGraph;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/** The result of {@link graphRegularized}. */
export interface GraphRegularizedFit extends FitResultBase<ResolvedGraphRegularizedOptions> {
  /** The duality gap at W (NaN when ρ₂ = ρ = 0 and the fixed-point residual is used). */
  readonly gap: number;
  /** F(0, b₀), the scale of the relative gap tolerance. */
  readonly objectiveAtZero: number;
  /** The scale of the relative tolerance: F(0, b₀) for the gap, ‖∇F(0)‖ for the residual. */
  readonly certificateScale: number;
  /** Number of non-zero entries of W. */
  readonly nonzeros: number;
  /** Seconds spent in the fit. */
  readonly time: number;
  /** Why the solver stopped. */
  readonly status: 'converged' | 'max-iterations' | 'non-finite';
}


/** What a {@link TaskGraph} looks like, for error messages. */
const GRAPH_SHAPE = '{ edges: [a, b][], weights? } or { R } (a T×E matrix)';

/**
 * Builds R ∈ ℝ^{T×E} of a task graph: column e is ω_e (e_a − e_b) for edge e = (a, b); a given R is
 * validated and copied.
 * @param graph - edges (with optional weights) or R
 * @param T - number of tasks
 * @returns R as a T×E {@link Mat}
 * @throws TypeError when `graph` has neither `edges` nor `R`; RangeError on an edge index outside
 *   [0, T), a self-loop, a weight count ≠ E, a non-finite weight, or R with ≠ T rows
 * @example
 * ```ts
 * taskGraphMatrix({ edges: [[0, 1], [1, 2]], weights: [1, 0.5] }, 3);
 * // R = [[1, 0], [−1, 0.5], [0, −0.5]]
 * ```
 * @see {@link graphRegularized}
 */
export function taskGraphMatrix(graph: TaskGraph, T: number): Mat {
  if (typeof graph !== 'object' || graph === null) throw new TypeError(`graph: expected ${GRAPH_SHAPE}, got ${describeValue(graph)}`);
  if ('R' in graph) {
    const R = checkMat(graph.R, 'graph.R', { rows: T, label: `${T}×E (one row per task, T = ${T})` });
    return R; // a fresh copy
  }
  if (!('edges' in graph) || !Array.isArray(graph.edges)) throw new TypeError(`graph: expected ${GRAPH_SHAPE}, got an object without R or an edges array`);
  const E = graph.edges.length;
  const w = graph.weights === undefined ? undefined : checkVec(graph.weights, 'graph.weights', E);
  const R = new Float64Array(T * E);
  for (let e = 0; e < E; e++) {
    const edge = graph.edges[e];
    if (!Array.isArray(edge) || edge.length !== 2) throw new TypeError(`graph.edges[${e}]: expected a pair [a, b] of task indices, got ${describeValue(edge)}`);
    const [a, b] = edge as [number, number];
    for (const v of [a, b]) checkNumber(v, `graph.edges[${e}]`, { min: 0, max: T - 1, integer: true });
    if (a === b) throw new RangeError(`graph.edges[${e}]: self-loop (${a}, ${b}); expected two different tasks`);
    const we = w === undefined ? 1 : w[e]!;
    R[a * E + e]! += we;
    R[b * E + e]! -= we;
  }
  return { rows: T, cols: E, data: R };
}

/**
 * Validates and completes the options of {@link graphRegularized} (the one `checkOptions` of this
 * entry point).
 * @param options - user options
 * @param data - the data (T and the shape of `warmStart`)
 * @returns the resolved options, with the graph as R
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkGraphRegularizedOptions({ rho1: 1, graph: { edges: [[0, 1]] } }, data).R.cols; // 1
 * ```
 * @see {@link graphRegularized}
 */
export function checkGraphRegularizedOptions(options: GraphRegularizedOptions, data: MultiTaskData): ResolvedGraphRegularizedOptions {
  const o = checkOptionsObject(options, 'graphRegularized options', ['rho1']);
  if (o.graph === undefined) throw new TypeError(`graph: expected ${GRAPH_SHAPE} (required), got undefined`);
  checkOptionKeys(o, ['rho1', 'rho2', 'ridge', 'graph', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'solver', 'onProgress'], 'graphRegularized options');
  const rho1 = checkNumber(o.rho1, 'rho1', { min: 0 });
  const rho2 = checkNumber(o.rho2 ?? 0, 'rho2', { min: 0 });
  const ridge = checkNumber(o.ridge ?? 0, 'ridge', { min: 0 });
  const R = taskGraphMatrix(o.graph as TaskGraph, data.T);
  const lossScale = checkOneOf(o.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(o.fitIntercept, 'fitIntercept', true);
  const tol = checkNumber(o.tol ?? 1e-8, 'tol', { min: 0 });
  const maxIter = checkNumber(o.maxIter ?? 10000, 'maxIter', { min: 0, integer: true });
  const warmStart = o.warmStart === undefined || o.warmStart === null
    ? null : checkMat(o.warmStart, 'warmStart', { rows: data.d, cols: data.T, label: `d×T = ${data.d}×${data.T}` });
  const s = checkOneOf(o.solver, 'solver', ['auto', 'pcg', 'cd', 'fista'] as const, 'auto');
  if (s === 'pcg' && rho2 > 0) throw new RangeError(`solver: 'pcg' solves the quadratic case rho2 = 0 only (rho2 = ${rho2}); use 'cd' or 'auto'`);
  const solver = s === 'auto' ? (rho2 > 0 ? 'cd' : 'pcg') : s;
  return { rho1, rho2, ridge, R, lossScale, fitIntercept, tol, maxIter, warmStart, solver };
}

/**
 * The graph-regularized objective L(W, b) + ρ₁ ‖W R‖²_F + ρ₂ ‖W‖₁ + ρ ‖W‖²_F, evaluated from the raw
 * data (W R formed explicitly).
 *
 * @param data - the data (a {@link MultiTaskData} or per-task `{ X, y }` array)
 * @param W - weights d×T
 * @param params - ρ₁, ρ₂, ρ, the graph and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on malformed arguments
 * @example
 * ```ts
 * graphRegularizedObjective(data, fit.W, { rho1: 1, rho2: 0.01, graph }, fit.intercepts) === fit.objective;
 * ```
 * @see {@link graphRegularized}
 */
export function graphRegularizedObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: GraphRegularizedParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  checkOptionsObject(params, 'graphRegularizedObjective params', ['rho1', 'graph']);
  const rho1 = checkNumber(params.rho1, 'rho1', { min: 0 });
  const rho2 = checkNumber(params.rho2 ?? 0, 'rho2', { min: 0 });
  const ridge = checkNumber(params.ridge ?? 0, 'ridge', { min: 0 });
  const R = taskGraphMatrix(params.graph, T);
  checkW(W, d, T, 'W');
  const E = R.cols;
  let graph = 0, l1 = 0, fro = 0;
  for (let j = 0; j < d; j++) {
    for (let e = 0; e < E; e++) {
      let s = 0; // (W R)_je
      for (let t = 0; t < T; t++) s += W.data[j * T + t]! * R.data[t * E + e]!;
      graph += s * s;
    }
    for (let t = 0; t < T; t++) {
      const v = W.data[j * T + t]!;
      l1 += Math.abs(v);
      fro += v * v;
    }
  }
  return multiTaskLoss(D, W, intercepts, params.lossScale ?? 'mean') + rho1 * graph + rho2 * l1 + ridge * fro;
}

/**
 * Fits graph-regularized multi-task learning by FISTA (smooth part L + ρ₁‖WR‖² + ρ‖W‖², ℓ1 prox),
 * with the duality gap as certificate (see the module documentation for the dual).
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link GraphRegularizedOptions}
 * @returns the fit (W, intercepts, objective, gap, history, predict, …)
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { graphRegularized } from 'mtlearn';
 * // chain graph 0 – 1 – 2 – … : neighbouring tasks should have similar weights
 * const edges = Array.from({ length: data.T - 1 }, (_, t) => [t, t + 1] as [number, number]);
 * const fit = graphRegularized(data, { rho1: 0.5, rho2: 0.01, graph: { edges } });
 * fit.gap; fit.nonzeros;
 * ```
 * @see {@link graphRegularizedObjective}, {@link taskGraphMatrix}
 */
export function graphRegularized(data: MultiTaskData | readonly TaskInput[], options: GraphRegularizedOptions): GraphRegularizedFit {
  const D = asData(data);
  const opts = checkGraphRegularizedOptions(options, D);
  const { d, T } = D;
  const { rho1, rho2, ridge, R } = opts;
  const dT = d * T;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  // K = R Rᵀ (T×T), exactly symmetric
  const K = new Float64Array(T * T);
  if (R.cols > 0) gemmNT(T, T, R.cols, R.data, R.data, K, 0);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) { const v = 0.5 * (K[i * T + j]! + K[j * T + i]!); K[i * T + j] = v; K[j * T + i] = v; }

  const WK = new Float64Array(dT);
  const V = new Float64Array(dT);
  const work = new Float64Array(T);
  const l1 = rowNorm(1, T);
  const graphTerm = (x: Float64Array): number => {
    // ‖W R‖² = ⟨W, W K⟩, with WK filled
    gemmNN(d, T, T, x, K, WK, 0);
    let s = 0;
    for (let k = 0; k < dT; k++) s += x[k]! * WK[k]!;
    return Math.max(s, 0);
  };
  const P0 = loss.valueAtZero();
  const useGap = rho2 > 0 || ridge > 0;
  const Rres = new Float64Array(loss.residualSize);
  // ‖∇F(0)‖ = ‖∇L(0)‖ (the penalties' gradients vanish at 0)
  loss.residual(new Float64Array(dT), Rres);
  loss.gradient(Rres, V);
  let g0 = 0;
  for (let k = 0; k < dT; k++) g0 += V[k]! * V[k]!;
  const gradScale = g0 > 0 ? Math.sqrt(g0) : 1;
  const tolAbs = opts.tol * (useGap ? P0 : gradScale);
  /** The certificate at W through the residual path: the duality gap, or ‖∇F(W)‖. */
  const certificateAt = (x: Float64Array, s: Float64Array): number => {
    const gt = rho1 > 0 ? graphTerm(x) : (WK.fill(0), 0); // fills WK
    loss.correlation(s, V); // Xᵀ(2 s ⊙ R) = −∇L
    for (let k = 0; k < dT; k++) V[k]! -= 2 * rho1 * WK[k]!;
    if (!useGap) {
      let g = 0;
      for (let k = 0; k < dT; k++) g += V[k]! * V[k]!;
      return Math.sqrt(g);
    }
    return groupLassoGap(loss.valueFromResidual(s) + rho1 * gt, loss.innerWithY(s, true), V, x, d, T, l1, rho2, ridge, work, null, 0).gap;
  };
  const W = opts.warmStart ? Float64Array.from(opts.warmStart.data) : new Float64Array(dT);
  let iterations = 0, status: GraphRegularizedFit['status'] = 'max-iterations';
  let history: HistoryEntry[] = [];
  if (opts.solver === 'fista') {
    const res = fistaGraph(loss, K, W, { ...opts, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }, tolAbs, useGap ? certificateAt : null);
    W.set(res.x);
    iterations = res.iterations;
    history = res.history;
    status = res.converged ? 'converged' : 'max-iterations';
  } else {
    const q = new TaskQuadratic(loss);
    const K2 = K.map((v) => 2 * rho1 * v); // the coupling of ½⟨W, W K₂⟩ = ρ₁‖WR‖²
    if (opts.solver === 'pcg') {
      // ∇F = H(W) + W(K₂ + 2ρI) − B: the gradient-norm target, or, for the gap ≤ ‖r‖²/(2λ_min) with
      // λ_min ≥ 2ρ, the residual that guarantees a quarter of the gap tolerance
      const A = Float64Array.from(K2);
      for (let t = 0; t < T; t++) A[t * T + t]! += 2 * ridge;
      const cg = new TaskCoupledSolver(q);
      cg.setCoupling(A);
      const target = useGap ? 1e-2 * Math.sqrt(ridge * tolAbs) : 0.5 * tolAbs;
      const res = cg.solve(q.B, W, target, opts.maxIter);
      iterations = res.iterations;
      status = res.status;
    } else {
      const res = cdCoupledL1(q, K2, rho2, ridge, W, {
        tolAbs: 0.5 * tolAbs, maxEpochs: opts.maxIter,
        onCheck: (epoch, gap, primal) => {
          history.push({ iteration: epoch, objective: primal, certificate: gap, time: (performance.now() - start) / 1000 });
          options.onProgress?.({ iteration: epoch, maxIter: opts.maxIter, objective: primal, certificate: gap, tol: 0.5 * tolAbs });
        },
      });
      iterations = res.epochs;
      status = res.status;
    }
  }
  // the certificate, recomputed from the raw residuals (independent of the solver's Gram form)
  loss.residual(W, Rres);
  const certificate = status === 'non-finite' ? NaN : certificateAt(W, Rres);
  const converged = Number.isFinite(certificate) && certificate <= tolAbs;
  if (status === 'converged' && !converged) status = 'max-iterations';
  if (!Number.isFinite(certificate)) status = 'non-finite';
  const Wm: Mat = { rows: d, cols: T, data: W };
  const intercepts = loss.intercepts(W);
  const objective = graphRegularizedObjective(D, Wm, { rho1, rho2, ridge, graph: { R }, lossScale: opts.lossScale }, intercepts);
  if (opts.solver === 'pcg') {
    history.push({ iteration: iterations, objective, certificate, time: (performance.now() - start) / 1000 });
    options.onProgress?.({ iteration: iterations, maxIter: opts.maxIter, objective, certificate, tol: tolAbs }); // one conjugate-gradient solve: reported at its end
  }
  let nonzeros = 0;
  for (let k = 0; k < dT; k++) if (W[k] !== 0) nonzeros++;
  return {
    W: Wm, intercepts, objective, certificate,
    certificateKind: useGap ? 'duality-gap' : 'fixed-point-residual',
    gap: useGap ? certificate : NaN, iterations, converged, status, history,
    options: opts, objectiveAtZero: P0, certificateScale: useGap ? P0 : gradScale, nonzeros, time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
