/**
 * The projection machinery shared by the feature-projection models (Li, Tian, Liu & Tao 2015):
 * the starting projection (top-h right singular vectors of the stacked design, seeded tie-break) and
 * the block coordinate descent {@link alternateProjection} — a V step given as a callback and
 * Armijo-backtracked Riemannian gradient steps on P ∈ St(d, h) with the QR retraction, the
 * Barzilai–Borwein trial step of Wen & Yin (2013) (see `models/featureProjection.ts`).
 *
 * References: A. Edelman, T. Arias & S. Smith, SIAM J. Matrix Anal. Appl. 20(2), 1998; Z. Wen &
 * W. Yin, Math. Program. 142, 2013; P.-A. Absil, R. Mahony & R. Sepulchre, *Optimization Algorithms
 * on Matrix Manifolds*, Princeton 2008.
 *
 * @packageDocumentation
 */
import type { HistoryEntry, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmNT, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import type { SolverStatus } from './spectralProxGrad.js';
import { checkBoolean, checkMat, checkNumber, checkOneOf } from '../util/checks.js';
import { gradientScaleAtZero, scaledNorm } from './spectralTools.js';
import { quadraticDatafit } from '../datafits/state.js';
import { taskNormalEquations } from '../datafits/normalEquations.js';
import { orthonormalizeRows } from '../linalg/orthonormalize.js';
import { gaussianSampler, mulberry32 } from '../util/random.js';

/** The options every feature-projection model takes (Li, Tian, Liu & Tao 2015). */
export interface ProjectionCommonOptions {
  /** h ∈ [1, d], the dimension of the projected feature space. Required. */
  h: number;
  /** Seed of the tie-break in the initial projection (see {@link initialProjection}). @default 0 */
  seed?: number;
  /** Loss scaling; `'task-mean'` is the paper's (1/T) Σ_t (1/n_t) Σ_i. @default 'task-mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts (the paper has none). @default false */
  fitIntercept?: boolean;
  /**
   * Stop when the stationarity certificate — the Frobenius norm of the Riemannian gradient in P at
   * the V of the last V step — is ≤ tol·‖∇L(0)‖_F·‖V‖_F. @default 1e-6
   */
  tol?: number;
  /** Maximum iterations (L-BFGS steps, or outer iterations of the alternation). @default 500 */
  maxIter?: number;
  /** Riemannian gradient steps on P per outer iteration of the alternation. @default 5 */
  innerSteps?: number;
  /** Starting P (d×h; its columns are orthonormalised). @default the top-h right singular vectors of the stacked data */
  initialP?: MatLike | null;
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
}

/** {@link ProjectionCommonOptions} with every default filled in. */
export type ResolvedProjectionCommonOptions = Required<Omit<ProjectionCommonOptions, 'initialP' | 'onProgress'>> & { initialP: Mat | null };

/**
 * Checks and completes the {@link ProjectionCommonOptions} (the caller checks the keys and its own options).
 * @param options - user options
 * @param data - the data (for d and the shape of `initialP`)
 * @returns the resolved common options
 * @throws TypeError / RangeError naming the option and the expected type or range
 * @example
 * ```ts
 * checkProjectionCommonOptions({ h: 3 }, data).maxIter; // 500
 * ```
 * @see {@link alternateProjection}
 */
export function checkProjectionCommonOptions(options: ProjectionCommonOptions, data: MultiTaskData): ResolvedProjectionCommonOptions {
  const h = checkNumber(options.h, 'h', { min: 1, max: data.d, integer: true });
  return {
    h,
    seed: checkNumber(options.seed ?? 0, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }),
    lossScale: checkOneOf(options.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'task-mean'),
    fitIntercept: checkBoolean(options.fitIntercept, 'fitIntercept', false),
    tol: checkNumber(options.tol ?? 1e-6, 'tol', { min: 0 }),
    maxIter: checkNumber(options.maxIter ?? 500, 'maxIter', { min: 0, integer: true }),
    innerSteps: checkNumber(options.innerSteps ?? 5, 'innerSteps', { min: 1, max: 10000, integer: true }),
    initialP: options.initialP == null ? null
      : checkMat(options.initialP, 'initialP', { rows: data.d, cols: h, label: `d×h = ${data.d}×${h}` }),
  };
}

/** One history entry of {@link alternateProjection} (recorded after each outer iteration; entry 0 = start). */
export interface FeatureProjectionHistoryEntry extends HistoryEntry {
  /** max |PᵀP − I_h| at this iterate (the Stiefel constraint; ≤ 1e-10 at every iterate). */
  readonly orthogonalityError: number;
  /** The last accepted Armijo step size τ of the P step (0 when none was accepted). */
  readonly stepSize: number;
}

/**
 * The starting Pᵀ (h×d, orthonormal rows) of the projection models: the user's `initialP` (d×h),
 * transposed and re-orthonormalised, or else {@link initialProjection}.
 * @param D - the data
 * @param h - projection dimension
 * @param opts - `initialP`, `seed` and `fitIntercept` of the model's resolved options
 * @returns Pᵀ, h×d row-major
 * @example
 * ```ts
 * const Pt0 = startingProjection(data, 3, { initialP: null, seed: 0, fitIntercept: false });
 * ```
 * @see {@link initialProjection}
 */
export function startingProjection(
  D: MultiTaskData, h: number, opts: { readonly initialP: Mat | null; readonly seed: number; readonly fitIntercept: boolean },
): Float64Array {
  const d = D.d;
  if (!opts.initialP) return initialProjection(D, h, { seed: opts.seed, fitIntercept: opts.fitIntercept });
  const Pt0 = new Float64Array(h * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < h; i++) Pt0[i * d + j] = opts.initialP.data[j * h + i]!;
  orthonormalizeRows(Pt0, h, d);
  return Pt0;
}

/**
 * The initial projection of {@link featureProjection}: the top-h right singular vectors of the
 * stacked design (centred per task when `fitIntercept`), as the rows of an h×d matrix Pᵀ. Ties across
 * the h-th eigenvalue are broken by a seeded Gaussian combination inside the tied eigenspace; signs
 * are fixed (largest-magnitude entry positive).
 *
 * @param data - the data
 * @param h - projected dimension in [1, d]
 * @param options - `seed` (default 0) and `fitIntercept` (default false)
 * @returns Pᵀ, h×d row-major with orthonormal rows
 * @throws RangeError when h is out of range
 * @example
 * ```ts
 * const Pt = initialProjection(data, 3, { seed: 1 }); // 3×d
 * ```
 * @see {@link featureProjection}
 */
export function initialProjection(
  data: MultiTaskData | readonly TaskInput[], h: number, options: { seed?: number; fitIntercept?: boolean } = {},
): Float64Array {
  const D = asData(data);
  const d = D.d;
  checkNumber(h, 'h', { min: 1, max: d, integer: true });
  const loss = new QuadraticLoss(D, { fitIntercept: checkBoolean(options.fitIntercept, 'fitIntercept', false) });
  const ne = taskNormalEquations(loss);
  const S = new Float64Array(d * d);
  if (ne.sharedGram) S.set(ne.gram(0));
  else for (let t = 0; t < D.T; t++) {
    const G = ne.gram(t);
    for (let k = 0; k < d * d; k++) S[k]! += G[k]!;
  }
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) {
    const v = 0.5 * (S[i * d + j]! + S[j * d + i]!);
    S[i * d + j] = v;
    S[j * d + i] = v;
  }
  const vals = new Float64Array(d), vecT = new Float64Array(d * d);
  symEigInto({ rows: d, cols: d, data: S }, vals, vecT, createSymEigWorkspace(d));
  const Pt = Float64Array.from(vecT.subarray(0, h * d));
  const tieTol = 1e-10 * Math.max(Math.abs(vals[0]!), 1e-300);
  const cut = vals[h - 1]!;
  let a = h - 1, b = h;
  while (a > 0 && Math.abs(vals[a - 1]! - cut) <= tieTol) a--;
  while (b < d && Math.abs(vals[b]! - cut) <= tieTol) b++;
  if (b > h) {
    // the tied eigenspace spans rows a..b−1 of vecT; choose h − a directions in it by a seeded draw
    const g = gaussianSampler(mulberry32(options.seed ?? 0));
    const m = b - a, k = h - a;
    for (let r = 0; r < k; r++) {
      const row = Pt.subarray((a + r) * d, (a + r + 1) * d);
      row.fill(0);
      for (let c = 0; c < m; c++) {
        const coef = g();
        for (let j = 0; j < d; j++) row[j]! += coef * vecT[(a + c) * d + j]!;
      }
    }
    orthonormalizeRows(Pt, h, d);
  }
  for (let i = 0; i < h; i++) {
    let best = 0;
    for (let j = 1; j < d; j++) if (Math.abs(Pt[i * d + j]!) > Math.abs(Pt[i * d + best]!)) best = j;
    if (Pt[i * d + best]! < 0) for (let j = 0; j < d; j++) Pt[i * d + j] = -Pt[i * d + j]!;
  }
  return Pt;
}

/** The result of a V step of {@link alternateProjection}: V (h×T) and its penalty value. */
export interface ProjectionVStepResult {
  /** The task weights in the projected space, h×T. */
  readonly V: Float64Array;
  /** The penalty value at V (added to the loss to form the objective). */
  readonly penalty: number;
}

/** The result of {@link alternateProjection}. */
export interface ProjectionAlternationResult<R extends ProjectionVStepResult> {
  /** Pᵀ (h×d, orthonormal rows). */
  readonly Pt: Float64Array;
  /** The last V step's result (optimal for the returned P). */
  readonly last: R;
  /** W = P V (d×T). */
  readonly W: Float64Array;
  /** Objective history. */
  readonly history: FeatureProjectionHistoryEntry[];
  /** Outer iterations performed. */
  readonly iterations: number;
  /** Whether the stationarity certificate met tol (`status === 'converged'`). */
  readonly converged: boolean;
  /** Why the alternation stopped. */
  readonly status: SolverStatus;
  /** ‖Riemannian gradient in P‖_F at the returned point. */
  readonly gradientNorm: number;
}

/**
 * The alternation shared by the feature-projection models: a V step on the projected data (given as a
 * callback that returns a V whose objective is no larger than that of `Vprev`) and Armijo-backtracked
 * Riemannian gradient steps on P ∈ St(d, h) with the QR retraction (see the module documentation).
 * The objective is loss(PV) + penalty(V); it never increases.
 *
 * @param D - the data
 * @param loss - the datafit on the original features (scales and intercept handling)
 * @param Pt0 - starting Pᵀ (h×d, orthonormal rows; copied)
 * @param vStep - the V step: (projected data, previous V or null) → V and penalty
 * @param opts - tol, maxIter, innerSteps
 * @param start - `performance.now()` at the start of the fit (history times)
 * @returns P, the last V step, W, history, iterations, converged, gradient norm
 * @example
 * ```ts
 * const res = alternateProjection(data, loss, initialProjection(data, 3), (proj) => myVStep(proj), { tol: 1e-9, maxIter: 100, innerSteps: 5 }, performance.now());
 * ```
 * @see {@link featureProjection}; Absil, Mahony & Sepulchre, *Optimization Algorithms on Matrix
 *   Manifolds* (2008), Algorithm 1 (Armijo line search on a manifold).
 */
export function alternateProjection<R extends ProjectionVStepResult>(
  D: MultiTaskData, loss: QuadraticLoss, Pt0: Float64Array,
  vStep: (projected: MultiTaskData, Vprev: Float64Array | null) => R,
  opts: { tol: number; maxIter: number; innerSteps: number; onProgress?: ProgressCallback | undefined }, start: number,
): ProjectionAlternationResult<R> {
  const { d, T } = D;
  const h = Pt0.length / d;
  const Pt = Float64Array.from(Pt0);
  const cand = new Float64Array(h * d);
  const W = new Float64Array(d * T);
  const R = new Float64Array(loss.residualSize);
  const Corr = new Float64Array(d * T);
  const Gt = new Float64Array(h * d);
  const Xi = new Float64Array(h * d);
  const S = new Float64Array(h * h);
  const tmp = new Float64Array(h * d);
  const PPt = new Float64Array(h * h);
  const prevPt = new Float64Array(h * d);
  const prevXi = new Float64Array(h * d);
  // projected designs, reused: per task n_t×h, or the shared n×h
  const Z: Float64Array[] = D.kind === 'tasks'
    ? D.tasks.map((task) => new Float64Array(task.n * h))
    : [new Float64Array(D.n * h)];
  const project = (): MultiTaskData => {
    if (D.kind === 'tasks') {
      return MultiTaskData.fromTasks(D.tasks.map((task, t) => {
        gemmNT(task.n, h, d, task.X, Pt, Z[t]!, 0);
        return { X: { rows: task.n, cols: h, data: Z[t]! }, y: task.y };
      }));
    }
    gemmNT(D.n, h, d, D.X!, Pt, Z[0]!, 0);
    return MultiTaskData.fromShared({ rows: D.n, cols: h, data: Z[0]! }, { rows: D.n, cols: T, data: D.Y! });
  };
  const lossAt = (P: Float64Array, V: Float64Array): number => {
    gemmTN(d, T, h, P, V, W, 0); // W = P V
    loss.residual(W, R);
    return loss.valueFromResidual(R);
  };
  const orthError = (P: Float64Array): number => {
    gemmNT(h, h, d, P, P, PPt, 0);
    let e = 0;
    for (let i = 0; i < h; i++) for (let k = 0; k < h; k++) e = Math.max(e, Math.abs(PPt[i * h + k]! - (i === k ? 1 : 0)));
    return e;
  };
  /** ξ (into Xi) at (Pt, V), given that R holds the residuals at W = P V; returns ‖ξ‖²_F. */
  const riemannianGradient = (V: Float64Array): number => {
    loss.correlation(R, Corr); // −∇_W L
    gemmNT(h, d, T, V, Corr, Gt, 0); // Gᵀ = −V Corrᵀ (sign applied below)
    for (let k = 0; k < h * d; k++) Gt[k] = -Gt[k]!;
    gemmNT(h, h, d, Pt, Gt, S, 0); // PᵀG
    for (let i = 0; i < h; i++) for (let k = i + 1; k < h; k++) {
      const v = 0.5 * (S[i * h + k]! + S[k * h + i]!);
      S[i * h + k] = v;
      S[k * h + i] = v;
    }
    gemmNN(h, d, h, S, Pt, tmp, 0); // (P sym(PᵀG))ᵀ = sym(PᵀG) Pᵀ
    let g2 = 0;
    for (let k = 0; k < h * d; k++) {
      const v = Gt[k]! - tmp[k]!;
      Xi[k] = v;
      g2 += v * v;
    }
    return g2;
  };

  // stationarity: the V block is exactly optimal after its step, so the certificate is the norm of the
  // Riemannian gradient in P, relative to ‖∇L(0)‖_F·‖V‖_F (the size of the Euclidean gradient ∇L·Vᵀ)
  const gScale = gradientScaleAtZero(quadraticDatafit(loss, 'residual'));
  const statusOf = (fv: number, c: number, V: Float64Array): SolverStatus => {
    const tolAbs = opts.tol * gScale * Math.max(scaledNorm(V.length, V), 1e-300);
    if (!Number.isFinite(fv) || !Number.isFinite(c) || !Number.isFinite(tolAbs)) return 'non-finite';
    return c <= tolAbs ? 'converged' : 'max-iterations';
  };
  let last = vStep(project(), null);
  let f = lossAt(Pt, last.V) + last.penalty;
  let cert = Number.isFinite(f) ? Math.sqrt(riemannianGradient(last.V)) : NaN;
  const history: FeatureProjectionHistoryEntry[] = [{
    iteration: 0, objective: f, certificate: cert, time: (performance.now() - start) / 1000, orthogonalityError: orthError(Pt), stepSize: 0,
  }];
  let status: SolverStatus = statusOf(f, cert, last.V);
  let vnorm2 = 0;
  for (let k = 0; k < last.V.length; k++) vnorm2 += last.V[k]! ** 2;
  let tau = 1 / (loss.lipschitz() * Math.max(vnorm2, 1e-300));
  if (!Number.isFinite(tau)) tau = 1;
  let iterations = 0;
  while (status === 'max-iterations' && iterations < opts.maxIter) {
    iterations++;
    const V = last.V;
    let lossCur = lossAt(Pt, V);
    let accepted = 0;
    for (let step = 0; step < opts.innerSteps; step++) {
      const g2 = riemannianGradient(V); // R holds the residuals at (Pt, V)
      if (!(g2 > 0)) break;
      let t = tau * 2;
      if (step > 0) {
        // Barzilai–Borwein trial step from the last accepted move (Wen & Yin 2013): |⟨s, s⟩ / ⟨s, Δξ⟩|
        let ss = 0, sy = 0;
        for (let k = 0; k < h * d; k++) {
          const sk = Pt[k]! - prevPt[k]!;
          ss += sk * sk;
          sy += sk * (Xi[k]! - prevXi[k]!);
        }
        const bb = Math.abs(ss / sy);
        if (Number.isFinite(bb) && bb > 0) t = Math.min(Math.max(bb, 1e-3 * tau), 1e3 * tau);
      }
      prevPt.set(Pt);
      prevXi.set(Xi);
      let ok = false;
      for (let bt = 0; bt < 60; bt++) {
        for (let k = 0; k < h * d; k++) cand[k] = Pt[k]! - t * Xi[k]!;
        orthonormalizeRows(cand, h, d);
        const fc = lossAt(cand, V);
        if (fc <= lossCur - 1e-4 * t * g2) {
          ok = true;
          lossCur = fc;
          break;
        }
        t *= 0.5;
      }
      if (!ok) {
        lossAt(Pt, V); // restore R
        break;
      }
      Pt.set(cand);
      tau = t;
      accepted = t;
    }
    last = vStep(project(), last.V);
    const fNew = lossAt(Pt, last.V) + last.penalty;
    f = fNew; // the V step is an exact minimisation: fNew ≤ f up to rounding
    cert = Math.sqrt(riemannianGradient(last.V)); // R holds the residuals at (P, V)
    history.push({
      iteration: iterations, objective: f, certificate: cert, time: (performance.now() - start) / 1000,
      orthogonalityError: orthError(Pt), stepSize: accepted,
    });
    opts.onProgress?.({ iteration: iterations, maxIter: opts.maxIter, objective: f, certificate: cert, tol: opts.tol * gScale * Math.max(scaledNorm(last.V.length, last.V), 1e-300) });
    status = statusOf(f, cert, last.V);
    if (status !== 'max-iterations') break;
  }
  gemmTN(d, T, h, Pt, last.V, W, 0);
  return { Pt, last, W: Float64Array.from(W), history, iterations, converged: status === 'converged', status, gradientNorm: cert };
}
