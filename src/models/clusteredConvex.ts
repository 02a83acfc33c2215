/**
 * Convex relaxation of clustered multi-task learning (Zhou, Chen & Ye 2011), see
 * `docs/objectives.md`, "Clustered MTL":
 *
 *   min_{W, M}  L(W) + c · tr( W (ηI + M)⁻¹ Wᵀ ),   c = ρ₁η(1 + η),  η = ρ₂/ρ₁,
 *   subject to  M ∈ S^T,  0 ⪯ M ⪯ I,  tr(M) = k.
 *
 * The objective is jointly convex (the matrix-fractional function tr(W P⁻¹ Wᵀ) is jointly convex in
 * (W, P) for P ≻ 0). For a cluster projector M = Σ_g 1_g1_gᵀ/|g| the penalty is
 * ρ₂‖W‖²_F + ρ₁ Σ_g Σ_{t∈g} ‖w_t − w̄_g‖² (global ridge plus within-cluster variance).
 *
 * Solver (`solver: 'alternating'`, default): exact alternation, accelerated (Anderson) — for
 * fixed W the optimal M has a closed form (Zhou, Chen & Ye 2011, Thm. 3.1: eigendecomposition of WᵀW
 * and the KKT conditions of the capped simplex on its eigenvalues), for fixed M the W-step is the
 * quadratic L(W) + c tr(W P Wᵀ), P = (ηI + M)⁻¹, a task-coupled linear system solved by
 * preconditioned conjugate gradients ({@link fractionalMM}). With M minimised out the penalty depends
 * on σ(W) only and equals convex ASO's (h = k), so when k ≤ min(d, T) and the task blocks are small the
 * alternation runs on that side instead (per-task d×d solves, by Woodbury when d > T,
 * {@link FractionalRowStep}) and M is M*(W) on the task side. `'fista'`: accelerated projected
 * gradient on (W, M) jointly through the package's FISTA ({@link fractionalFista}).
 * Certificate (both): the fixed-point residual √(‖∇_W‖² + (L ‖M − Proj(M − ∇_M/L)‖)²); the fit also
 * reports the duality gap of the problem with M minimised out, an upper bound on the suboptimality
 * ({@link solveFractional}).
 *
 * The clustering is read off M: seeded k-means (k-means++ starts) on the rows of M's top-k
 * eigenvectors.
 *
 * References: J. Zhou, J. Chen & J. Ye, "Clustered multi-task learning via alternating structure
 * optimization", NIPS 2011; L. Jacob, F. Bach & J.-P. Vert, "Clustered multi-task learning: a convex
 * formulation", NIPS 2008.
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { createSymEigWorkspace, symEigInto, symMatrixFunction } from '../linalg/eig.js';
import { solveFractional } from '../solvers/fractionalSolve.js';
import {
  checkBoolean, checkNumber, checkOneOf, checkOptional, checkOptionKeys, checkOptionsObject, checkSeed,
} from '../util/checks.js';
import { kmeans } from './kmeans.js';
import { makePredict } from './predict.js';

/** Options of {@link clusteredConvex}. */
export interface ClusteredConvexOptions {
  /** ρ₁ > 0. Required. */
  rho1: number;
  /** ρ₂ > 0. Required. */
  rho2: number;
  /** Number of clusters k, an integer in [1, T] (tr M = k). Required. */
  k: number;
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /** Stop when the fixed-point residual ≤ tol · ‖∇L(0)‖_F (relative). @default 1e-8 */
  tol?: number;
  /** Maximum iterations. @default 10000 */
  maxIter?: number;
  /** Seed of the k-means that reads the clusters off M (an integer in [0, 2³²)). @default 0 */
  seed?: number;
  /** `'alternating'` (exact alternation, accelerated) or `'fista'` (joint projected gradient). @default 'alternating' */
  solver?: 'alternating' | 'fista';
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link ClusteredConvexOptions} with every default filled in, plus the derived constants. */
export interface ResolvedClusteredConvexOptions {
  /** ρ₁. */
  rho1: number;
  /** ρ₂. */
  rho2: number;
  /** k. */
  k: number;
  /** Loss scaling. */
  lossScale: LossScale;
  /** Whether intercepts are fitted. */
  fitIntercept: boolean;
  /** Relative tolerance. */
  tol: number;
  /** Iteration cap. */
  maxIter: number;
  /** k-means seed. */
  seed: number;
  /** η = ρ₂/ρ₁. */
  eta: number;
  /** c = ρ₁η(1 + η). */
  c: number;
  /** The solver. */
  solver: 'alternating' | 'fista';
}

/** The parameters of the objective, for {@link clusteredConvexObjective}. */
export interface ClusteredConvexParams {
  /** ρ₁ > 0. */
  rho1: number;
  /** ρ₂ > 0. */
  rho2: number;
  /** k, the required trace of M. */
  k: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/** The result of {@link clusteredConvex}. */
export interface ClusteredConvexFit extends FitResultBase<ResolvedClusteredConvexOptions> {
  /** M (T×T, symmetric, 0 ⪯ M ⪯ I, tr M = k). */
  readonly M: Mat;
  /** The eigenvalues of M, descending. */
  readonly eigenvalues: Float64Array;
  /** The task clusters read off M (labels in [0, k)). */
  readonly clusters: Int32Array;
  /** ‖∇L(0)‖_F, the scale of the relative tolerance. */
  readonly certificateScale: number;
  /** The duality gap with M minimised out: an upper bound on objective − optimum. */
  readonly gap: number;
  /** L(0, b₀), the scale of a relative gap. */
  readonly objectiveAtZero: number;
  /** How the fit ended. */
  readonly status: 'converged' | 'max-iterations' | 'non-finite';
  /** Seconds spent in the fit. */
  readonly time: number;
}

const checkPositive = (v: unknown, name: string): number => checkNumber(v, name, { min: 0, minExclusive: true });
const checkK = (k: unknown, T: number): number => checkNumber(k, 'k', { min: 1, max: T, integer: true });

/**
 * Validates and completes the options of {@link clusteredConvex} (the one `checkOptions` of this
 * entry point).
 * @param options - user options
 * @param data - the data (for T)
 * @returns the resolved options with η and c
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkClusteredConvexOptions({ rho1: 1, rho2: 0.1, k: 3 }, data).c; // 0.11
 * ```
 * @see {@link clusteredConvex}
 */
export function checkClusteredConvexOptions(options: ClusteredConvexOptions, data: MultiTaskData): ResolvedClusteredConvexOptions {
  const o = checkOptionsObject(options, 'clusteredConvex options', ['rho1', 'rho2', 'k']);
  checkOptionKeys(o, ['rho1', 'rho2', 'k', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'seed', 'solver', 'onProgress'], 'clusteredConvex options');
  const rho1 = checkPositive(o.rho1, 'rho1');
  const rho2 = checkPositive(o.rho2, 'rho2');
  const k = checkK(o.k, data.T);
  const lossScale = checkOneOf(o.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(o.fitIntercept, 'fitIntercept', true);
  const tol = checkOptional(o.tol, 1e-8, (v) => checkNumber(v, 'tol', { min: 0 }));
  const maxIter = checkOptional(o.maxIter, 10000, (v) => checkNumber(v, 'maxIter', { min: 0, integer: true }));
  const seed = checkSeed(o.seed);
  const solver = checkOneOf(o.solver, 'solver', ['alternating', 'fista'] as const, 'alternating');
  const eta = rho2 / rho1;
  return { rho1, rho2, k, lossScale, fitIntercept, tol, maxIter, seed, eta, c: rho1 * eta * (1 + eta), solver };
}

/**
 * The convex clustered-MTL objective L(W, b) + c·tr(W (ηI + M)⁻¹ Wᵀ), evaluated from the raw data
 * with (ηI + M)⁻¹ computed from M's eigendecomposition. Returns `Infinity` when M is outside the
 * constraint set (eigenvalues outside [0, 1] or trace ≠ k by more than 1e-8·max(1, k)).
 *
 * @param data - the data (a {@link MultiTaskData} or per-task `{ X, y }` array)
 * @param W - weights d×T
 * @param M - symmetric T×T
 * @param params - ρ₁, ρ₂, k and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value (or `Infinity` for an infeasible M)
 * @throws TypeError / RangeError on malformed arguments (shapes, non-symmetric M, parameters)
 * @example
 * ```ts
 * clusteredConvexObjective(data, fit.W, fit.M, { rho1: 1, rho2: 0.1, k: 3 }, fit.intercepts);
 * ```
 * @see {@link clusteredConvex}
 */
export function clusteredConvexObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, M: Mat, params: ClusteredConvexParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  checkOptionsObject(params, 'clusteredConvexObjective params', ['rho1', 'rho2', 'k']);
  const rho1 = checkPositive(params.rho1, 'rho1');
  const rho2 = checkPositive(params.rho2, 'rho2');
  const k = checkK(params.k, T);
  checkW(W, d, T, 'W');
  if (typeof M !== 'object' || M === null || !(M.data instanceof Float64Array)) throw new TypeError(`M: expected a ${T}×${T} Mat`);
  if (M.rows !== T || M.cols !== T || M.data.length !== T * T) throw new RangeError(`M: has ${M.rows}×${M.cols}, expected T×T = ${T}×${T}`);
  let mmax = 0;
  for (let q = 0; q < T * T; q++) {
    if (!Number.isFinite(M.data[q]!)) throw new RangeError(`M: entry (${Math.floor(q / T)}, ${q % T}) is ${M.data[q]}; expected finite`);
    mmax = Math.max(mmax, Math.abs(M.data[q]!));
  }
  for (let i = 0; i < T; i++) {
    for (let j = i + 1; j < T; j++) {
      if (Math.abs(M.data[i * T + j]! - M.data[j * T + i]!) > 1e-10 * Math.max(1, mmax)) {
        throw new RangeError(`M: expected a symmetric matrix, but M(${i}, ${j}) = ${M.data[i * T + j]} ≠ M(${j}, ${i}) = ${M.data[j * T + i]}`);
      }
    }
  }
  const eta = rho2 / rho1, c = rho1 * eta * (1 + eta);
  const feasTol = 1e-8 * Math.max(1, k);
  let feasible = true;
  let trace = 0;
  const P = symMatrixFunction(M, (l) => {
    if (l < -feasTol || l > 1 + feasTol) feasible = false;
    trace += l;
    return 1 / (eta + Math.max(l, 0));
  });
  if (!feasible || Math.abs(trace - k) > feasTol) return Infinity;
  // tr(W P Wᵀ) = Σ_j w^j P w^jᵀ
  let pen = 0;
  for (let j = 0; j < d; j++) {
    const wo = j * T;
    for (let a = 0; a < T; a++) {
      let s = 0;
      for (let b = 0; b < T; b++) s += P.data[a * T + b]! * W.data[wo + b]!;
      pen += W.data[wo + a]! * s;
    }
  }
  return multiTaskLoss(D, W, intercepts, params.lossScale ?? 'mean') + c * pen;
}

/**
 * Fits the convex relaxation of clustered multi-task learning (Zhou, Chen & Ye 2011) by accelerated
 * projected gradient on (W, M), and reads a task clustering off M.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link ClusteredConvexOptions}
 * @returns the fit: W, M, its eigenvalues, the clusters, objective, fixed-point residual, history
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { clusteredConvex } from 'mtlearn';
 * const fit = clusteredConvex(data, { rho1: 1, rho2: 0.1, k: 3, seed: 1 });
 * fit.clusters; // Int32Array of T labels in [0, 3)
 * fit.eigenvalues; // ≈ [1, 1, 1, 0, …] for well-separated clusters
 * ```
 * @see {@link clusteredConvexObjective}; J. Zhou, J. Chen & J. Ye, "Clustered multi-task learning
 *   via alternating structure optimization", NIPS 2011.
 */
export function clusteredConvex(data: MultiTaskData | readonly TaskInput[], options: ClusteredConvexOptions): ClusteredConvexFit {
  const D = asData(data);
  const opts = checkClusteredConvexOptions(options, D);
  const { d, T } = D;
  const { k, eta, c } = opts;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const sol = solveFractional(loss, { side: 'cols', k, eta, c, tol: opts.tol, maxIter: opts.maxIter, solver: opts.solver, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const W: Mat = { rows: d, cols: T, data: sol.W };
  const M: Mat = { rows: T, cols: T, data: sol.M };
  const intercepts = loss.intercepts(W.data);
  // eigendecomposition of M: eigenvalues, and the top-k eigenvectors' rows for k-means
  const vals = new Float64Array(T), vecsT = new Float64Array(T * T);
  symEigInto(M, vals, vecsT, createSymEigWorkspace(T));
  const eigenvalues = Float64Array.from(vals);
  const emb = new Float64Array(T * k);
  for (let t = 0; t < T; t++) for (let j = 0; j < k; j++) emb[t * k + j] = vecsT[j * T + t]!;
  const clusters = kmeans(emb, T, k, k, { seed: opts.seed, restarts: 10 }).labels;
  const objective = clusteredConvexObjective(D, W, M, { rho1: opts.rho1, rho2: opts.rho2, k, lossScale: opts.lossScale }, intercepts);
  return {
    W, intercepts, objective, certificate: sol.certificate, certificateKind: 'fixed-point-residual', iterations: sol.iterations,
    converged: sol.status === 'converged', status: sol.status, history: sol.history,
    options: opts, M, eigenvalues, clusters, certificateScale: sol.gradientScale, gap: sol.gap, objectiveAtZero: sol.valueAtZero,
    time: (performance.now() - start) / 1000, predict: makePredict(W, intercepts),
  };
}
