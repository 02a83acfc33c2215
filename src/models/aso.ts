/**
 * Alternating structure optimisation (ASO): task weights that share a low-dimensional predictive
 * subspace,
 *
 *   w_t = u_t + Θᵀ v_t,   Θ ∈ ℝ^{h×d}, ΘΘᵀ = I_h,
 *   min_{U, V, Θ, b}  Σ_t s_t ‖y_t − X_t w_t − b_t·1‖² + λ ‖U‖²_F + ρ ‖W‖²_F,   W = U + ΘᵀV.
 *
 * The ridge ρ on the whole W (default `'auto'`, a small multiple of the loss's curvature,
 * {@link resolveRidge}) also penalises the shared part; it makes a minimiser exist: with ρ = 0 (Ando &
 * Zhang's model) the infimum is not attained when the tasks' centred designs are rank-deficient inside
 * the shared subspace (School with per-task intercepts), and no solver can be certified.
 *
 * For fixed Θ the optimal v_t is Θ w_t, which leaves the penalty λ‖(I − ΘᵀΘ) w_t‖² on the part of
 * w_t outside the shared subspace. The solver alternates
 * - the **task step**: for fixed Θ, each w_t = argmin L_t(w) + λ‖(I − ΘᵀΘ)w‖² + ρ‖w‖² — one d×d linear
 *   system (Cholesky) per task: (s_t X̃_tᵀX̃_t + λ(I − ΘᵀΘ) + ρI) w_t = s_t X̃_tᵀỹ_t;
 * - the **subspace step**: for fixed W, Θ = argmin_Θ Σ_t ‖(I − ΘᵀΘ)w_t‖² = the top-h left singular
 *   vectors of W (as rows).
 * Both steps minimise the same function F(W, Θ) = L(W) + λ‖(I − ΘᵀΘ)W‖²_F + ρ‖W‖²_F exactly, so the objective
 * never increases. The problem is non-convex: the result is a stationary point (a local solution).
 *
 * The alternation converges linearly with a rate that is close to 1 on ill-conditioned data (School:
 * > 1000 rounds). The alternative solver instead minimises the reduced function
 * f(Θ) = min_W F(W, Θ) — the task step solved exactly inside, so ∇f(Θ) = −2λ(ΘW)Wᵀ by the envelope
 * theorem — by Riemannian L-BFGS on the Grassmann manifold ({@link grassmannLbfgs}), started from one
 * round of the alternation (`solver: 'grassmann'`, the default); it stops on the same certificate as the
 * alternation (the fixed-point residual after a subspace step, below), so `converged` certifies the
 * same stationarity.
 *
 * Reference: R. K. Ando & T. Zhang, "A framework for learning predictive structures from multiple
 * tasks and unlabeled data", J. Mach. Learn. Res. 6, 1817–1853, 2005 (Section 3, Algorithm 1).
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat, ProgressCallback } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmTN } from '../linalg/blas.js';
import { thinSvdInto } from '../linalg/svd.js';
import type { SolverStatus } from '../solvers/spectralProxGrad.js';
import { makePredict } from './predict.js';
import { checkBoolean, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';
import { createSvdBuffers, frobeniusSq, gradientScaleAtZero, scaledNorm } from '../solvers/spectralTools.js';
import { quadraticDatafit } from '../datafits/state.js';
import { taskNormalEquations } from '../datafits/normalEquations.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';
import { orthonormalizeRows } from '../linalg/orthonormalize.js';
import { gaussianSampler, mulberry32 } from '../util/random.js';
import { grassmannLbfgs } from '../solvers/grassmannLbfgs.js';
import { asoReducedObjective } from '../solvers/subspaceObjectives.js';
import { checkRidgeOption, resolveRidge } from './autoRidge.js';

/** Options of {@link aso}. */
export interface AsoOptions {
  /** λ > 0, the weight of ‖U‖²_F (the part of W outside the shared subspace). Required. */
  lambda: number;
  /** Dimension h of the shared subspace, an integer in [1, min(d, T)]. Required. */
  h: number;
  /**
   * ρ ≥ 0, the weight of ‖W‖²_F on the whole W = U + ΘᵀV, or `'auto'`: ρ = 1e-6·L with L the loss's
   * curvature scale (the Lipschitz constant of ∇L, max_t 2 s_t σ_max(X̃_t)² in the chosen loss scale),
   * invariant to the scale of X and Y. The resolved number is reported in `fit.options.ridge`; 0 gives
   * Ando & Zhang's model, whose infimum may not be attained (see {@link resolveRidge}). @default 'auto'
   */
  ridge?: number | 'auto';
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * Stop when the fixed-point residual ‖∇_W F(W, Θ)‖_F = ‖∇L(W) + 2λ(I − ΘᵀΘ)W + 2ρW‖_F, measured after
   * the subspace step, is ≤ tol · ‖∇L(0, b₀)‖_F. @default 1e-6
   */
  tol?: number;
  /** Maximum number of (task step, subspace step) rounds, or of L-BFGS iterations. @default 1000 */
  maxIter?: number;
  /** Seed of the random orthonormal starting Θ ("Θ arbitrary" in Ando & Zhang's Algorithm 1). @default 0 */
  seed?: number;
  /** Called at every certificate check with { iteration, maxIter, objective, certificate, tol } (progress bars). @default undefined */
  onProgress?: ProgressCallback;
  /**
   * `'grassmann'`: Riemannian L-BFGS on the reduced objective f(Θ) = min_W F(W, Θ) (the task step solved
   * exactly inside, {@link grassmannLbfgs}), started from one round of the alternation; `'alternating'`:
   * the plain alternation of Ando & Zhang. Both stop on the same certificate. L-BFGS is the default:
   * with the ridge a minimiser exists, and on School (h = 3, λ = 0.1, the default ridge) it converges
   * in ~85 iterations where the alternation, whose linear rate degrades with the conditioning, needs
   * ~870 rounds (bench/subspaceRidge.ts). With `ridge: 0` on data whose infimum is not attained,
   * L-BFGS follows the minimising sequence to huge weights quickly and reports `stalled`.
   * @default 'grassmann'
   */
  solver?: 'grassmann' | 'alternating';
}

/** {@link AsoOptions} with every default filled in. */
export type ResolvedAsoOptions = Required<Omit<AsoOptions, 'onProgress' | 'ridge'>> & { ridge: number };

/** The result of {@link aso}. */
export interface AsoFit extends FitResultBase<ResolvedAsoOptions> {
  /** Task-specific parts U = (I − ΘᵀΘ)W, d×T. */
  readonly U: Mat;
  /** Subspace coordinates V = ΘW, h×T. */
  readonly V: Mat;
  /** The shared subspace Θ, h×d with orthonormal rows (ΘΘᵀ = I_h). */
  readonly Theta: Mat;
  /** Why the alternation stopped (`'converged'`: a finite certificate ≤ tol·‖∇L(0, b₀)‖_F). */
  readonly status: SolverStatus;
  /** Always true: ASO is non-convex and the result is a stationary point (a local solution). */
  readonly local: true;
  /** ‖∇L(0, b₀)‖_F, the scale of the relative tolerance. */
  readonly gradientScale: number;
  /** Number of task systems that needed a diagonal jitter because they were singular to rounding. */
  readonly jittered: number;
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** The parameters of the ASO objective, for {@link asoObjective}. */
export interface AsoParams {
  /** λ ≥ 0. */
  lambda: number;
  /** ρ ≥ 0, the weight of ‖W‖²_F (a fit's resolved `options.ridge`). @default 0 */
  ridge?: number;
  /** @default 'mean' */
  lossScale?: LossScale;
}

/**
 * Validates and completes the options of {@link aso} (the one options check of this entry point).
 * @param options - user options
 * @param data - the data (for the range of h)
 * @returns the resolved options, `ridge` still `'auto'` when not given (resolved by {@link resolveRidge} in the fit)
 * @throws TypeError / RangeError naming the offending option and the expected type or range
 * @example
 * ```ts
 * checkAsoOptions({ lambda: 0.1, h: 2 }, data).maxIter; // 1000
 * ```
 * @see {@link aso}
 */
export function checkAsoOptions(options: AsoOptions, data: MultiTaskData): Omit<ResolvedAsoOptions, 'ridge'> & { ridge: number | 'auto' } {
  checkOptionsObject(options, 'aso options', ['lambda', 'h']);
  checkOptionKeys(options, ['lambda', 'h', 'ridge', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'seed', 'onProgress', 'solver'], 'aso');
  const lambda = checkNumber(options.lambda, 'lambda', { min: 0 });
  if (!(lambda > 0)) throw new RangeError(`lambda: expected a number > 0 (λ = 0 leaves U unpenalised and the subspace undetermined), got ${lambda}`);
  const h = checkNumber(options.h, 'h', { min: 1, max: Math.min(data.d, data.T), integer: true });
  const lossScale = checkOneOf(options.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');
  const fitIntercept = checkBoolean(options.fitIntercept, 'fitIntercept', true);
  const tol = checkNumber(options.tol ?? 1e-6, 'tol', { min: 0 });
  const maxIter = checkNumber(options.maxIter ?? 1000, 'maxIter', { min: 0, integer: true });
  const seed = checkNumber(options.seed ?? 0, 'seed', { integer: true });
  const solver = checkOneOf(options.solver, 'solver', ['grassmann', 'alternating'] as const, 'grassmann');
  const ridge = checkRidgeOption(options.ridge, 'aso');
  return { lambda, h, ridge, lossScale, fitIntercept, tol, maxIter, seed, solver };
}

/**
 * The ASO objective L(W, b) + λ‖U‖²_F + ρ‖W‖²_F with W = U + ΘᵀV, evaluated from the raw data (loss by
 * {@link multiTaskLoss}). The constraint ΘΘᵀ = I_h is part of the model: the value is +∞ when
 * max |ΘΘᵀ − I| > 1e-8.
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param U - task-specific parts, d×T
 * @param V - subspace coordinates, h×T
 * @param Theta - the subspace, h×d
 * @param params - λ, the ridge ρ (default 0) and the loss scale
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError when a matrix has the wrong type or shape or λ is out of range
 * @example
 * ```ts
 * asoObjective(data, fit.U, fit.V, fit.Theta, { lambda: 0.1, ridge: fit.options.ridge }, fit.intercepts); // === fit.objective
 * ```
 * @see {@link aso}
 */
export function asoObjective(
  data: MultiTaskData | readonly TaskInput[], U: Mat, V: Mat, Theta: Mat, params: AsoParams,
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  checkOptionsObject(params, 'params', ['lambda']);
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0 });
  const ridge = checkNumber(params.ridge ?? 0, 'ridge', { min: 0 });
  checkW(U, d, T, 'U');
  if (typeof Theta !== 'object' || Theta === null || !(Theta.data instanceof Float64Array)) {
    throw new TypeError(`Theta: expected an h×d Mat { rows: h, cols: ${d}, data: Float64Array }`);
  }
  const h = Theta.rows;
  if (Theta.cols !== d || Theta.data.length !== h * d) throw new RangeError(`Theta: has ${Theta.rows}×${Theta.cols}, expected h×d = h×${d}`);
  if (typeof V !== 'object' || V === null || !(V.data instanceof Float64Array)) {
    throw new TypeError(`V: expected an h×T Mat { rows: ${h}, cols: ${T}, data: Float64Array }`);
  }
  if (V.rows !== h || V.cols !== T || V.data.length !== h * T) throw new RangeError(`V: has ${V.rows}×${V.cols}, expected h×T = ${h}×${T}`);
  // constraint ΘΘᵀ = I
  const th = Theta.data;
  for (let i = 0; i < h; i++) {
    for (let k = i; k < h; k++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += th[i * d + c]! * th[k * d + c]!;
      if (Math.abs(s - (i === k ? 1 : 0)) > 1e-8) return Infinity;
    }
  }
  // W = U + ΘᵀV
  const W = new Float64Array(d * T);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      let s = U.data[j * T + t]!;
      for (let i = 0; i < h; i++) s += th[i * d + j]! * V.data[i * T + t]!;
      W[j * T + t] = s;
    }
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: W }, intercepts, checkOneOf(params.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'))
    + lambda * frobeniusSq(U.data) + (ridge > 0 ? ridge * frobeniusSq(W) : 0);
}

/**
 * Fits alternating structure optimisation (Ando & Zhang 2005): task weights w_t = u_t + Θᵀv_t with
 * a shared h-dimensional subspace Θ (ΘΘᵀ = I_h), a ridge penalty λ‖U‖²_F on the task-specific
 * parts and ρ‖W‖²_F on the whole (`ridge`, default `'auto'`). Alternates the exact task step (one Cholesky factorisation per task, one per round for a
 * shared design without missing responses) and the exact subspace step (top-h left singular vectors
 * of W), so the objective never increases (`history`); `solver: 'grassmann'`: Riemannian L-BFGS on
 * the reduced function of Θ with the exact task step inside. Non-convex: the
 * result is a stationary point (`local: true`); the start Θ is a seeded random orthonormal matrix.
 *
 * Certificate: the fixed-point residual ‖∇L(W) + 2λ(I − ΘᵀΘ)W + 2ρW‖_F after the subspace step (zero
 * exactly at a fixed point of the alternation); stops when ≤ tol·‖∇L(0, b₀)‖_F. Non-convergence
 * is reported as `converged: false`.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link AsoOptions}
 * @returns the fit: W = U + ΘᵀV, U, V, Θ, intercepts, objective, history, …
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, aso } from 'mtlearn';
 * const fit = aso(MultiTaskData.fromTasks(tasks), { lambda: 0.5, h: 3, seed: 1 });
 * fit.Theta; // 3×d, orthonormal rows
 * fit.predict(Xnew, 0);
 * ```
 * @see {@link asoObjective}, {@link asoConvex} (the convex relaxation)
 */
export function aso(data: MultiTaskData | readonly TaskInput[], options: AsoOptions): AsoFit {
  const D = asData(data);
  const checked = checkAsoOptions(options, D);
  const { d, T } = D;
  const start = performance.now();
  const loss = new QuadraticLoss(D, { lossScale: checked.lossScale, fitIntercept: checked.fitIntercept });
  const opts: ResolvedAsoOptions = { ...checked, ridge: resolveRidge(checked.ridge, () => loss.lipschitz()) };
  const { lambda, h, ridge: rho } = opts;
  const ne = taskNormalEquations(loss);
  const gradientScale = gradientScaleAtZero(quadraticDatafit(loss, 'residual'));
  const tolAbs = opts.tol * gradientScale;

  // buffers (allocated once)
  const theta = new Float64Array(h * d);
  const PtP = new Float64Array(d * d); // ΘᵀΘ
  const A = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const wt = new Float64Array(d);
  const W = new Float64Array(d * T);
  const Vc = new Float64Array(h * T); // ΘW
  const Uw = new Float64Array(d * T); // (I − ΘᵀΘ)W
  const R = new Float64Array(loss.residualSize);
  const G = new Float64Array(d * T);
  const svd = createSvdBuffers(d, T);
  const Wm: Mat = { rows: d, cols: T, data: W };
  const k = Math.min(d, T);
  let jittered = 0;

  const gauss = gaussianSampler(mulberry32(opts.seed));
  for (let i = 0; i < theta.length; i++) theta[i] = gauss();
  orthonormalizeRows(theta, h, d);

  /** U = (I − ΘᵀΘ)W and V = ΘW into Uw, Vc; returns F(W, Θ) (R must hold the residuals of W). */
  const objectiveAt = (): number => {
    gemmNN(h, T, d, theta, W, Vc, 0);
    gemmTN(d, T, h, theta, Vc, Uw, 0);
    for (let i = 0; i < Uw.length; i++) Uw[i] = W[i]! - Uw[i]!;
    return loss.valueFromResidual(R) + lambda * frobeniusSq(Uw) + (rho > 0 ? rho * frobeniusSq(W) : 0);
  };
  const certificateAt = (): number => {
    // ‖∇L(W) + 2λ(I − ΘᵀΘ)W + 2ρW‖_F
    loss.gradient(R, G);
    for (let i = 0; i < G.length; i++) G[i]! += 2 * lambda * Uw[i]!;
    if (rho > 0) for (let i = 0; i < G.length; i++) G[i]! += 2 * rho * W[i]!;
    return scaledNorm(G.length, G);
  };
  /** 'converged' only for a finite certificate ≤ a finite tolerance; 'non-finite' ends the fit. */
  const statusOf = (Fv: number, c: number): SolverStatus =>
    !Number.isFinite(Fv) || !Number.isFinite(c) || !Number.isFinite(tolAbs) ? 'non-finite' : c <= tolAbs ? 'converged' : 'max-iterations';

  /** Θ ← the top-h left singular vectors of W (as rows): the exact subspace step. */
  const subspaceStep = (): void => {
    thinSvdInto(Wm, svd.U, svd.s, svd.V, svd.work);
    const Ud = svd.U.data;
    for (let i = 0; i < h; i++) for (let j = 0; j < d; j++) theta[i * d + j] = Ud[j * k + i]!;
    orthonormalizeRows(theta, h, d);
  };

  loss.residual(W, R);
  let F = objectiveAt();
  let cert = certificateAt();
  let history: HistoryEntry[] = [{ iteration: 0, objective: F, certificate: cert, time: 0 }];
  let status = statusOf(F, cert);
  let it = 0;
  if (opts.solver === 'grassmann' && status === 'max-iterations' && opts.maxIter > 0) {
    // L-BFGS on f(Θ) = min_W F(W, Θ); the certificate is the alternation's (after a subspace step)
    const reduced = asoReducedObjective(ne, loss.scales, h, lambda, (Wt) => {
      loss.residual(Wt, R);
      return loss.valueFromResidual(R);
    }, rho);
    const Q0 = new Float64Array(h * d);
    reduced.evaluate(theta, Q0); // one task step from the seeded Θ (the gradient buffer is scratch)
    W.set(reduced.W);
    if (W.every(Number.isFinite)) {
      subspaceStep();
      const res = grassmannLbfgs({
        k: h, d, evaluate: (Q, g) => reduced.evaluate(Q, g), tolerance: () => tolAbs,
        certificate: () => {
          // at W = W(Θ) of the accepted Θ: Θ' = top-h(W), then ‖∇L(W) + 2λ(I − Θ'ᵀΘ')W‖_F
          W.set(reduced.W);
          loss.residual(W, R);
          subspaceStep();
          F = objectiveAt();
          return certificateAt();
        },
      }, theta, { maxIter: opts.maxIter, start, onProgress: options.onProgress });
      W.set(reduced.W);
      loss.residual(W, R);
      subspaceStep();
      F = objectiveAt();
      cert = certificateAt();
      status = res.status;
      it = res.iterations;
      jittered += reduced.jittered;
      history = res.history;
    } else status = 'non-finite';
  }
  while (opts.solver === 'alternating' && status === 'max-iterations' && it < opts.maxIter) {
    it++;
    // task step: (s_t G_t + λ(I − ΘᵀΘ) + ρI) w_t = s_t c_t for every task
    gemmTN(d, d, h, theta, theta, PtP, 0);
    // tasks sharing the same Gram matrix and scale (a shared design) share one factorisation
    let factoredG: Float64Array | null = null, factoredS = NaN;
    for (let t = 0; t < T; t++) {
      const st = loss.scales[t]!;
      const Gt = ne.gram(t);
      for (let i = 0; i < d; i++) rhs[i] = st * ne.C[i * T + t]!;
      if (Gt !== factoredG || st !== factoredS || !ne.sharedGram) {
        factoredG = Gt;
        factoredS = st;
        for (let i = 0; i < d * d; i++) A[i] = st * Gt[i]! - lambda * PtP[i]!;
        for (let i = 0; i < d; i++) A[i * d + i]! += lambda + rho;
        if (!choleskyFactor(d, A)) {
          // singular to rounding (a task with too few rows in the subspace directions): add a small jitter
          jittered++;
          let dmax = 0;
          for (let i = 0; i < d; i++) dmax = Math.max(dmax, st * Gt[i * d + i]! + lambda * (1 - PtP[i * d + i]!) + rho);
          for (let eps = 1e-12; ; eps *= 100) {
            for (let i = 0; i < d * d; i++) A[i] = st * Gt[i]! - lambda * PtP[i]!;
            for (let i = 0; i < d; i++) A[i * d + i]! += lambda + rho + eps * Math.max(dmax, 1e-300);
            if (choleskyFactor(d, A) || eps > 1) break;
          }
        }
      }
      choleskySolveFactored(d, A, rhs, wt);
      for (let j = 0; j < d; j++) W[j * T + t] = wt[j]!;
    }
    if (!W.every(Number.isFinite)) {
      status = 'non-finite';
      break;
    }
    loss.residual(W, R);
    subspaceStep(); // Θ = top-h left singular vectors of W (as rows)
    F = objectiveAt();
    cert = certificateAt();
    status = statusOf(F, cert);
    history.push({ iteration: it, objective: F, certificate: cert, time: (performance.now() - start) / 1000 });
    options.onProgress?.({ iteration: it, maxIter: opts.maxIter, objective: F, certificate: cert, tol: tolAbs });
  }

  const intercepts = loss.intercepts(W);
  const Um: Mat = { rows: d, cols: T, data: Float64Array.from(Uw) };
  const Vm: Mat = { rows: h, cols: T, data: Float64Array.from(Vc) };
  const Theta: Mat = { rows: h, cols: d, data: theta };
  const objective = status === 'non-finite' ? NaN : asoObjective(D, Um, Vm, Theta, { lambda, ridge: rho, lossScale: opts.lossScale }, intercepts);
  return {
    W: Wm, U: Um, V: Vm, Theta, intercepts, objective, certificate: cert, certificateKind: 'fixed-point-residual',
    iterations: it, converged: status === 'converged', status, history, options: opts, local: true, gradientScale, jittered,
    time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}
