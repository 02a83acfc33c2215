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
 * Algorithm: accelerated projected gradient (FISTA with backtracking and gradient-based adaptive
 * restart; Beck & Teboulle 2009, O'Donoghue & Candès 2015) on (W, M), the prox of the constraint being
 * the projection onto {0 ⪯ M ⪯ I, tr M = k}: an eigendecomposition of M followed by the Euclidean
 * projection of its eigenvalues onto the capped simplex {0 ≤ σ ≤ 1, Σσ = k}. Gradients are exact and
 * symmetric: ∇_W = ∇L + 2c W (ηI + M)⁻¹, ∇_M = −c (ηI + M)⁻¹ WᵀW (ηI + M)⁻¹.
 * Two details are specific to this problem, so the loop is written here rather than through the
 * generic `fista`:
 * - the two blocks have very different curvatures (‖∇²_M‖ grows like c‖W‖²/η³), so the step of the
 *   M block is scaled by a fixed factor 1/τ estimated once from a secant at the start (equivalent to
 *   running FISTA on (W, M/√τ); one backtracking constant L for both blocks);
 * - the extrapolated M can leave the domain ηI + M ≻ 0 when η < 1; the momentum is then reset.
 * Start: M₀ = (k/T) I and W₀ = the exact minimiser over W for M₀ (a ridge problem).
 * Certificate: the fixed-point residual √(‖∇_W‖² + (τL ‖M − Proj(M − ∇_M/(τL))‖)²).
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
import type { FitResultBase, HistoryEntry, LossScale, Mat } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto, symMatrixFunction } from '../linalg/eig.js';
import { projectCappedSimplex } from '../linalg/cappedSimplex.js';
import { TaskCouplingSystem, choleskyInverse, choleskyLower } from './meanRegularized.js';
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
  /** Seed of the k-means that reads the clusters off M. @default 0 */
  seed?: number;
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
  /** The metric factor τ of the M block (its step is 1/(τL)). */
  readonly metricRatio: number;
  /** Seconds spent in the fit. */
  readonly time: number;
}

function checkPositive(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new RangeError(`${name}: expected a finite number > 0, got ${String(v)}`);
  return v;
}

function checkK(k: unknown, T: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > T) throw new RangeError(`k: expected an integer in [1, T = ${T}], got ${String(k)}`);
  return k;
}

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
  if (typeof options !== 'object' || options === null) throw new TypeError('options: expected an object with at least { rho1, rho2, k }');
  const rho1 = checkPositive(options.rho1, 'rho1');
  const rho2 = checkPositive(options.rho2, 'rho2');
  const k = checkK(options.k, data.T);
  const lossScale = options.lossScale ?? 'mean';
  if (lossScale !== 'sum' && lossScale !== 'mean' && lossScale !== 'task-mean') {
    throw new RangeError(`lossScale: expected 'sum', 'mean' or 'task-mean', got ${String(lossScale)}`);
  }
  const fitIntercept = options.fitIntercept ?? true;
  if (typeof fitIntercept !== 'boolean') throw new TypeError(`fitIntercept: expected a boolean, got ${typeof fitIntercept}`);
  const tol = options.tol ?? 1e-8;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) throw new RangeError(`tol: expected a finite number ≥ 0, got ${String(tol)}`);
  const maxIter = options.maxIter ?? 10000;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`maxIter: expected a non-negative integer, got ${String(maxIter)}`);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError(`seed: expected a finite number, got ${String(seed)}`);
  const eta = rho2 / rho1;
  return { rho1, rho2, k, lossScale, fitIntercept, tol, maxIter, seed, eta, c: rho1 * eta * (1 + eta) };
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
  if (typeof params !== 'object' || params === null) throw new TypeError('params: expected { rho1, rho2, k }');
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
  const dT = d * T, TT = T * T, rs = loss.residualSize;

  // ---- buffers (allocated once) ----
  let Wx = new Float64Array(dT), Wp = new Float64Array(dT), Wn = new Float64Array(dT);
  let Rx = new Float64Array(rs), Rp = new Float64Array(rs), Rn = new Float64Array(rs);
  let Mx = new Float64Array(TT), Mp = new Float64Array(TT), Mn = new Float64Array(TT);
  let Px = new Float64Array(TT), Pn = new Float64Array(TT);
  const Wy = new Float64Array(dT), Ry = new Float64Array(rs), My = new Float64Array(TT), Py = new Float64Array(TT);
  const GW = new Float64Array(dT), GM = new Float64Array(TT), WP = new Float64Array(dT);
  const C = new Float64Array(TT), tmp = new Float64Array(TT), A = new Float64Array(TT), B = new Float64Array(TT);
  const Lc = new Float64Array(TT), work = new Float64Array(TT);
  const vals = new Float64Array(T), vecsT = new Float64Array(TT), sig = new Float64Array(T), sortWork = new Float64Array(T);
  const ws = createSymEigWorkspace(T);
  const Amat: Mat = { rows: T, cols: T, data: A };

  /** outM ← Proj(Z) onto {0 ⪯ M ⪯ I, tr M = k}, outP ← (ηI + outM)⁻¹. Z is not modified. */
  const project = (Z: Float64Array, outM: Float64Array, outP: Float64Array): void => {
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) A[i * T + j] = 0.5 * (Z[i * T + j]! + Z[j * T + i]!);
    symEigInto(Amat, vals, vecsT, ws);
    projectCappedSimplex(vals, k, sig, sortWork);
    // M = Vᵀ diag(σ) V with the eigenvectors as rows of vecsT
    for (let j = 0; j < T; j++) for (let i = 0; i < T; i++) B[j * T + i] = sig[j]! * vecsT[j * T + i]!;
    gemmTN(T, T, T, vecsT, B, outM, 0);
    for (let j = 0; j < T; j++) for (let i = 0; i < T; i++) B[j * T + i] = vecsT[j * T + i]! / (eta + sig[j]!);
    gemmTN(T, T, T, vecsT, B, outP, 0);
    symmetrizeInPlace(outM, T);
    symmetrizeInPlace(outP, T);
  };
  /** outP ← (ηI + M)⁻¹ by Cholesky; false when ηI + M is not (safely) positive definite. */
  const shiftedInverse = (M: Float64Array, outP: Float64Array): boolean => {
    A.set(M);
    for (let i = 0; i < T; i++) A[i * T + i]! += eta;
    if (!choleskyLower(T, A, Lc, 1e-6)) return false;
    for (let i = 0; i < T; i++) if (Lc[i * T + i]! ** 2 < 1e-3 * eta) return false;
    choleskyInverse(T, Lc, outP, work);
    return true;
  };
  /** f(W, M) given W's residuals and P = (ηI + M)⁻¹; leaves W P in WP. */
  const value = (W: Float64Array, R: Float64Array, P: Float64Array): number => {
    gemmNN(d, T, T, W, P, WP, 0);
    let s = 0;
    for (let q = 0; q < dT; q++) s += W[q]! * WP[q]!;
    return loss.valueFromResidual(R) + c * s;
  };
  /** GW, GM at (W, M); expects WP = W P (from `value`). */
  const gradient = (W: Float64Array, R: Float64Array, P: Float64Array): void => {
    loss.gradient(R, GW);
    for (let q = 0; q < dT; q++) GW[q]! += 2 * c * WP[q]!;
    gemmTN(T, T, d, W, W, C, 0); // WᵀW
    gemmNN(T, T, T, P, C, tmp, 0);
    gemmNN(T, T, T, tmp, P, GM, 0);
    for (let q = 0; q < TT; q++) GM[q]! *= -c;
    symmetrizeInPlace(GM, T);
  };

  // ---- start: M₀ = (k/T) I, W₀ = argmin_W L(W) + c/(η + k/T) ‖W‖² (exact ridge solve) ----
  for (let i = 0; i < T; i++) Mx[i * T + i] = k / T;
  for (let i = 0; i < T; i++) Px[i * T + i] = 1 / (eta + k / T);
  const R0 = new Float64Array(rs);
  loss.residual(Wx, R0);
  loss.gradient(R0, GW);
  let g0 = 0;
  for (let q = 0; q < dT; q++) g0 += GW[q]! * GW[q]!;
  const scale = g0 > 0 ? Math.sqrt(g0) : 1;
  const tolAbs = opts.tol * scale;
  {
    const sys = new TaskCouplingSystem(loss);
    const solver = sys.prepare(Int32Array.from({ length: T }, (_, t) => t), c / (eta + k / T), 0);
    if (solver) solver.solve(sys.rhs, Wx, new Float64Array(d));
  }
  loss.residual(Wx, Rx);
  let fx = value(Wx, Rx, Px);
  gradient(Wx, Rx, Px);

  // ---- metric factor τ: secant curvature of the M block vs the W block's Lipschitz bound ----
  const LW = loss.lipschitz() + (2 * c) / eta;
  let tau = 1;
  {
    let gm = 0;
    for (let q = 0; q < TT; q++) gm += GM[q]! * GM[q]!;
    gm = Math.sqrt(gm);
    if (gm > 0) {
      // a short projected step in M, W fixed
      for (let q = 0; q < TT; q++) tmp[q] = Mx[q]! - (0.01 / gm) * GM[q]!;
      project(tmp, Mn, Pn);
      const G0 = Float64Array.from(GM);
      value(Wx, Rx, Pn);
      gradient(Wx, Rx, Pn);
      let num = 0, den = 0;
      for (let q = 0; q < TT; q++) {
        const dm = Mn[q]! - Mx[q]!;
        num += (GM[q]! - G0[q]!) * dm;
        den += dm * dm;
      }
      if (den > 0 && num > 0) tau = Math.min(1e8, Math.max(1e-8, num / den / LW));
      value(Wx, Rx, Px);
      gradient(Wx, Rx, Px);
    }
  }

  let L = LW;
  const certificate = (): number => {
    // at x with GW, GM, WP current for x
    let s = 0;
    for (let q = 0; q < dT; q++) s += GW[q]! * GW[q]!;
    const step = 1 / (tau * L);
    for (let q = 0; q < TT; q++) tmp[q] = Mx[q]! - step * GM[q]!;
    project(tmp, Mn, Pn);
    let m = 0;
    for (let q = 0; q < TT; q++) m += (Mx[q]! - Mn[q]!) ** 2;
    return Math.sqrt(s + (tau * L) ** 2 * m);
  };

  Wp.set(Wx); Rp.set(Rx); Mp.set(Mx);
  const history: HistoryEntry[] = [];
  let cert = certificate();
  history.push({ iteration: 0, objective: fx, certificate: cert, time: (performance.now() - start) / 1000 });
  let converged = cert <= tolAbs;
  let it = 0, tk = 1;
  const checkEvery = 10;
  while (!converged && it < opts.maxIter) {
    it++;
    const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    let beta = (tk - 1) / tNext;
    let domainReset = false;
    if (beta > 0) {
      for (let q = 0; q < TT; q++) My[q] = Mx[q]! + beta * (Mx[q]! - Mp[q]!);
      if (!shiftedInverse(My, Py)) {
        beta = 0; // the extrapolated M left the domain ηI + M ≻ 0: reset the momentum
        domainReset = true;
      }
    }
    if (beta > 0) {
      for (let q = 0; q < dT; q++) Wy[q] = Wx[q]! + beta * (Wx[q]! - Wp[q]!);
      for (let q = 0; q < rs; q++) Ry[q] = Rx[q]! + beta * (Rx[q]! - Rp[q]!);
    } else {
      Wy.set(Wx); Ry.set(Rx); My.set(Mx); Py.set(Px);
    }
    const fy = value(Wy, Ry, Py);
    gradient(Wy, Ry, Py);
    let fn = 0;
    for (;;) {
      const sW = 1 / L, sM = 1 / (tau * L);
      for (let q = 0; q < dT; q++) Wn[q] = Wy[q]! - sW * GW[q]!;
      for (let q = 0; q < TT; q++) tmp[q] = My[q]! - sM * GM[q]!;
      project(tmp, Mn, Pn);
      loss.residual(Wn, Rn);
      fn = value(Wn, Rn, Pn);
      let lin = 0, sq = 0;
      for (let q = 0; q < dT; q++) {
        const dl = Wn[q]! - Wy[q]!;
        lin += GW[q]! * dl;
        sq += dl * dl;
      }
      for (let q = 0; q < TT; q++) {
        const dl = Mn[q]! - My[q]!;
        lin += GM[q]! * dl;
        sq += tau * dl * dl;
      }
      if (fn <= fy + lin + 0.5 * L * sq + 1e-12 * Math.max(1, Math.abs(fy)) || sq === 0) break;
      L *= 2;
    }
    // gradient-based adaptive restart in the metric: ⟨y − x⁺, x⁺ − x⟩_τ > 0
    let ip = 0;
    for (let q = 0; q < dT; q++) ip += (Wy[q]! - Wn[q]!) * (Wn[q]! - Wx[q]!);
    for (let q = 0; q < TT; q++) ip += tau * (My[q]! - Mn[q]!) * (Mn[q]! - Mx[q]!);
    // rotate: prev ← x, x ← new
    let t1 = Wp; Wp = Wx; Wx = Wn; Wn = t1;
    t1 = Rp; Rp = Rx; Rx = Rn; Rn = t1;
    t1 = Mp; Mp = Mx; Mx = Mn; Mn = t1;
    t1 = Px; Px = Pn; Pn = t1;
    fx = fn;
    tk = ip > 0 || domainReset ? 1 : tNext;
    if (it % checkEvery === 0 || it === opts.maxIter) {
      value(Wx, Rx, Px);
      gradient(Wx, Rx, Px);
      cert = certificate();
      converged = cert <= tolAbs;
      history.push({ iteration: it, objective: fx, certificate: cert, time: (performance.now() - start) / 1000 });
    }
  }

  const W: Mat = { rows: d, cols: T, data: Float64Array.from(Wx) };
  const M: Mat = { rows: T, cols: T, data: Float64Array.from(Mx) };
  const intercepts = loss.intercepts(W.data);
  // eigen-decomposition of M: eigenvalues, and the top-k eigenvectors' rows for k-means
  symEigInto(M, vals, vecsT, ws);
  const eigenvalues = Float64Array.from(vals);
  const emb = new Float64Array(T * k);
  for (let t = 0; t < T; t++) for (let j = 0; j < k; j++) emb[t * k + j] = vecsT[j * T + t]!;
  const clusters = kmeans(emb, T, k, k, { seed: opts.seed, restarts: 10 }).labels;
  const objective = clusteredConvexObjective(D, W, M, { rho1: opts.rho1, rho2: opts.rho2, k, lossScale: opts.lossScale }, intercepts);
  return {
    W, intercepts, objective, certificate: cert, certificateKind: 'fixed-point-residual', iterations: it, converged, history,
    options: opts, M, eigenvalues, clusters, certificateScale: scale, metricRatio: tau,
    time: (performance.now() - start) / 1000, predict: makePredict(W, intercepts),
  };
}

function symmetrizeInPlace(A: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (A[i * n + j]! + A[j * n + i]!);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
}
