/**
 * Convex multi-task feature learning (Argyriou, Evgeniou & Pontil 2008), `docs/objectives.md`,
 * "Joint feature projection":
 *
 *   min_{W, D} L(W, b) + γ tr(Wᵀ D⁺ W),  D ⪰ 0, tr D ≤ 1, range(W) ⊆ range(D),
 *
 * whose minimum over D is L(W, b) + γ‖W‖²_* (‖·‖_* the trace / nuclear norm).
 *
 * ## Algorithm (Argyriou, Evgeniou & Pontil 2008, Algorithm 1 with the ε-perturbation of §4.2)
 * For ε > 0 the perturbed problem min_{W, D ≻ 0, tr D ≤ 1} L(W) + γ tr(Wᵀ D⁻¹ W) + γε tr(D⁻¹) is
 * minimised by alternating
 * - the **W step** for fixed D: per task the generalised ridge (s_t G_t + γ D⁻¹) w_t = s_t c_t
 *   (G_t = X̃_tᵀX̃_t, c_t = X̃_tᵀỹ_t, centred when fitting intercepts). With D = U diag(δ) Uᵀ and
 *   A = U diag(√δ) we substitute w_t = A v_t (AᵀD⁻¹A = I), which gives the well-conditioned
 *   system (s_t AᵀG_tA + γ I) v_t = s_t Aᵀc_t — solved once by an eigendecomposition for a shared
 *   design, by one Cholesky factorisation per task otherwise;
 * - the **D step**: D = (WWᵀ + εI)^{1/2} / tr (WWᵀ + εI)^{1/2} (closed form, via the
 *   eigendecomposition of WWᵀ).
 * Eliminating D gives the smoothed objective F_ε(W) = L(W) + γ (tr (WWᵀ + εI)^{1/2})², which the
 * alternation never increases. Continuation: ε starts at `epsilon` and is multiplied by
 * `epsilonDecay` after each stage until it reaches `epsilonMin` (F_ε → F as ε → 0).
 *
 * ## Certificate
 * The duality gap of the unperturbed problem min L(W) + γ‖W‖²_*: with V = Xᵀ(2s⊙R), the conjugate
 * of γ‖·‖²_* is σ_max(·)²/(4γ) and the dual point U = α·2s⊙R gives
 *   D(α) = αA − α²(B + σ_max(V)²/(4γ)),  α* = A / (2(B + σ_max(V)²/(4γ))),
 * with A = ⟨2s⊙R, Y⟩ and B = L(W) (same construction as the trace-norm gap; Lewis 1995 for the
 * conjugates of spectral functions).
 *
 * References: A. Argyriou, T. Evgeniou & M. Pontil, "Convex multi-task feature learning", Machine
 * Learning 73(3), 243–272, 2008; A. S. Lewis, "The convex analysis of unitarily invariant matrix
 * functions", J. Convex Anal. 2, 1995.
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat } from '../types.js';
import { asData, MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto, type SymEigWorkspace } from '../linalg/eig.js';
import { spectralNorm } from '../linalg/svd.js';
import { makePredict } from './predict.js';
import {
  checkBoolean, checkIntegerIn, checkLossScale, checkNumberIn, checkOptionsObject, choleskyFactor, choleskySolveFactored,
  singularValues, taskNormalEquations, type TaskNormalEquations,
} from './lowRankCore.js';

/** Options of {@link featureLearning}. */
export interface FeatureLearningOptions {
  /** γ > 0, the weight of γ‖W‖²_* (= γ min_D tr(WᵀD⁺W)). Required. */
  gamma: number;
  /** Starting perturbation ε₀ > 0 of the continuation. @default 1e-3 */
  epsilon?: number;
  /** Final perturbation ε_min ∈ (0, ε₀]: the last stage runs with this ε. @default 1e-8 */
  epsilonMin?: number;
  /** Factor in (0, 1) applied to ε between stages. @default 0.1 */
  epsilonDecay?: number;
  /** Loss scaling (`'sum'`, `'mean'`, `'task-mean'`). @default 'mean' */
  lossScale?: LossScale;
  /** Fit unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /**
   * A stage ends when the relative decrease of the smoothed objective F_ε over one alternation is
   * ≤ tol. The alternation converges linearly with a rate that degrades as ε → 0, so very small
   * tolerances cost many iterations; the duality gap reports the accuracy reached. @default 1e-8
   */
  tol?: number;
  /** Maximum number of alternations (W step + D step), over all stages. @default 5000 */
  maxIter?: number;
}

/** {@link FeatureLearningOptions} with every default filled in. */
export type ResolvedFeatureLearningOptions = Required<FeatureLearningOptions>;

/** One history entry of {@link featureLearning}. */
export interface FeatureLearningHistoryEntry extends HistoryEntry {
  /** The ε of the stage; `objective` is the smoothed F_ε(W) = L(W) + γ (tr (WWᵀ + εI)^{1/2})². */
  readonly epsilon: number;
}

/** The learned features: the eigen-decomposition of D. */
export interface LearnedFeatures {
  /** Orthonormal features as columns (d×d): column k is the k-th eigenvector of D. */
  readonly vectors: Mat;
  /** The eigenvalues of D (descending, non-negative, summing to 1): each feature's share. */
  readonly values: Float64Array;
}

/** The result of {@link featureLearning}. */
export interface FeatureLearningFit extends FitResultBase<ResolvedFeatureLearningOptions> {
  /** D = (WWᵀ + εI)^{1/2} / tr(·) at the returned W with the final ε (d×d, tr D = 1). */
  readonly D: Mat;
  /** The eigenvectors (columns) and eigenvalues of D: the learned orthonormal features. */
  readonly features: LearnedFeatures;
  /** The final ε. */
  readonly epsilon: number;
  /** Duality gap of min L + γ‖W‖²_* at W (absolute); equals `certificate`. */
  readonly gap: number;
  /** Singular values of W, descending. */
  readonly singularValues: Float64Array;
  /** Objective history; the objectives of entries with the same ε never increase. */
  readonly history: readonly FeatureLearningHistoryEntry[];
  /** Seconds spent in the fit. */
  readonly time: number;
}

/** Parameters of {@link featureLearningObjective}. */
export interface FeatureLearningParams {
  /** γ ≥ 0. */
  gamma: number;
  /** @default 'mean' */
  lossScale?: LossScale;
  /** ε ≥ 0: evaluate the smoothed F_ε = L + γ (tr (WWᵀ + εI)^{1/2})² instead. @default 0 */
  epsilon?: number;
}

/**
 * Validates and completes the options of {@link featureLearning} (the one options check of this entry
 * point).
 * @param options - user options
 * @returns the resolved options
 * @throws TypeError / RangeError naming the option and the expected type or range
 * @example
 * ```ts
 * checkFeatureLearningOptions({ gamma: 0.1 }).epsilonMin; // 1e-8
 * ```
 * @see {@link featureLearning}
 */
export function checkFeatureLearningOptions(options: FeatureLearningOptions): ResolvedFeatureLearningOptions {
  checkOptionsObject(options, '{ gamma }');
  const gamma = checkNumberIn(options.gamma, 'gamma', 0, Infinity);
  if (!(gamma > 0)) throw new RangeError(`gamma: expected a finite number in (0, ∞), got ${gamma}`);
  const epsilon = checkNumberIn(options.epsilon ?? 1e-3, 'epsilon', 0, Infinity);
  if (!(epsilon > 0)) throw new RangeError(`epsilon: expected a finite number in (0, ∞), got ${epsilon}`);
  const epsilonMin = checkNumberIn(options.epsilonMin ?? Math.min(1e-8, epsilon), 'epsilonMin', 0, epsilon);
  if (!(epsilonMin > 0)) throw new RangeError(`epsilonMin: expected a number in (0, ${epsilon}], got ${epsilonMin}`);
  const epsilonDecay = checkNumberIn(options.epsilonDecay ?? 0.1, 'epsilonDecay', 0, 1);
  if (!(epsilonDecay > 0 && epsilonDecay < 1)) throw new RangeError(`epsilonDecay: expected a number in (0, 1), got ${epsilonDecay}`);
  const lossScale = checkLossScale(options.lossScale);
  const fitIntercept = checkBoolean(options.fitIntercept, 'fitIntercept', true);
  const tol = checkNumberIn(options.tol ?? 1e-8, 'tol', 0, Infinity);
  const maxIter = checkIntegerIn(options.maxIter ?? 5000, 'maxIter', 1, Number.MAX_SAFE_INTEGER);
  return { gamma, epsilon, epsilonMin, epsilonDecay, lossScale, fitIntercept, tol, maxIter };
}

/**
 * The objective of convex multi-task feature learning, L(W, b) + γ‖W‖²_*, evaluated from the raw data
 * (loss by {@link multiTaskLoss}, nuclear norm by a thin SVD). With `epsilon` > 0 it evaluates the
 * smoothed F_ε = L + γ (tr (WWᵀ + εI)^{1/2})² = L + γ (Σ_i √(σ_i² + ε) + (d − k)√ε)², k = min(d, T).
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param W - weights d×T
 * @param params - γ, the loss scale and ε
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on a bad parameter or a shape mismatch
 * @example
 * ```ts
 * featureLearningObjective(data, fit.W, { gamma: 0.1 }, fit.intercepts); // ≈ fit.objective
 * ```
 * @see {@link featureLearning}; Argyriou, Evgeniou & Pontil, Machine Learning 73(3), 2008, Theorem 1.
 */
export function featureLearningObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: FeatureLearningParams, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  checkOptionsObject(params, '{ gamma }');
  const gamma = checkNumberIn(params.gamma, 'gamma', 0, Infinity);
  const eps = checkNumberIn(params.epsilon ?? 0, 'epsilon', 0, Infinity);
  checkW(W, D.d, D.T, 'W');
  const loss = multiTaskLoss(D, W, intercepts, checkLossScale(params.lossScale));
  return loss + gamma * smoothedTrace(singularValues(W), W.rows, eps) ** 2;
}

/** Σ_i √(σ_i² + ε) + (d − k)√ε  (= ‖W‖_* for ε = 0). */
function smoothedTrace(s: Float64Array, d: number, eps: number): number {
  let tr = 0;
  for (let i = 0; i < s.length; i++) tr += eps > 0 ? Math.sqrt(s[i]! * s[i]! + eps) : s[i]!;
  return tr + (d - s.length) * Math.sqrt(eps);
}

/**
 * Preallocated solver of the W step (s_t G_t + γ D⁻¹) w_t = s_t c_t for all tasks, given the
 * eigendecomposition of D. Internal; see {@link featureLearningWStep} for the public wrapper.
 */
class WStepSolver {
  private readonly A: Float64Array; // d×d, A = U diag(√δ)
  private readonly tmp: Float64Array; // d×d
  private readonly M: Float64Array; // d×d
  private readonly B: Float64Array; // d×T, Aᵀ C
  private readonly Z: Float64Array; // d×T
  private readonly vt: Float64Array; // d
  private readonly rhs: Float64Array; // d
  private readonly vals: Float64Array; // d
  private readonly vecT: Float64Array; // d×d
  private readonly eigWork: SymEigWorkspace;
  private readonly Mview: { rows: number; cols: number; data: Float64Array };

  constructor(readonly d: number, readonly T: number, readonly ne: TaskNormalEquations, readonly scales: Float64Array, readonly gamma: number) {
    this.A = new Float64Array(d * d);
    this.tmp = new Float64Array(d * d);
    this.M = new Float64Array(d * d);
    this.B = new Float64Array(d * T);
    this.Z = new Float64Array(d * T);
    this.vt = new Float64Array(d);
    this.rhs = new Float64Array(d);
    this.vals = new Float64Array(d);
    this.vecT = new Float64Array(d * d);
    this.eigWork = createSymEigWorkspace(d);
    this.Mview = { rows: d, cols: d, data: this.M };
  }

  /**
   * Solves the W step.
   * @param UT - eigenvectors of D as rows (d×d)
   * @param delta - eigenvalues of D (> 0)
   * @param W - output d×T
   */
  solve(UT: Float64Array, delta: Float64Array, W: Float64Array): void {
    const { d, T, A, tmp, M, B, Z, gamma } = this;
    // A = U diag(√δ): A[i, k] = UT[k, i] √δ_k
    for (let k = 0; k < d; k++) {
      const r = Math.sqrt(Math.max(delta[k]!, 0));
      for (let i = 0; i < d; i++) A[i * d + k] = UT[k * d + i]! * r;
    }
    gemmTN(d, T, d, A, this.ne.C, B, 0); // B = Aᵀ C (column t = Aᵀ c_t)
    if (this.ne.sharedGram) {
      // M = Aᵀ G A = Q Λ Qᵀ once; v_t = Q diag(s_t / (s_t Λ + γ)) Qᵀ Aᵀ c_t
      gemmNN(d, d, d, this.ne.gram(0), A, tmp, 0);
      gemmTN(d, d, d, A, tmp, M, 0);
      symmetrizeInPlace(d, M);
      symEigInto(this.Mview, this.vals, this.vecT, this.eigWork);
      gemmNN(d, T, d, this.vecT, B, Z, 0); // Z = Qᵀ B (vecT rows = eigenvectors)
      for (let k = 0; k < d; k++) {
        const lam = Math.max(this.vals[k]!, 0);
        for (let t = 0; t < T; t++) {
          const s = this.scales[t]!;
          Z[k * T + t]! *= s / (s * lam + gamma);
        }
      }
      gemmTN(d, T, d, this.vecT, Z, B, 0); // B = Q Z
      gemmNN(d, T, d, A, B, W, 0); // W = A V
      return;
    }
    const { vt, rhs } = this;
    for (let t = 0; t < T; t++) {
      const s = this.scales[t]!;
      gemmNN(d, d, d, this.ne.gram(t), A, tmp, 0);
      gemmTN(d, d, d, A, tmp, M, 0);
      symmetrizeInPlace(d, M);
      for (let k = 0; k < d * d; k++) M[k]! *= s;
      for (let i = 0; i < d; i++) M[i * d + i]! += gamma;
      for (let k = 0; k < d; k++) rhs[k] = s * B[k * T + t]!;
      if (!choleskyFactor(d, M)) throw new RangeError('featureLearning: W-step system not positive definite (gamma too small for the data scale)');
      choleskySolveFactored(d, M, rhs, vt);
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let k = 0; k < d; k++) acc += A[i * d + k]! * vt[k]!;
        W[i * T + t] = acc;
      }
    }
  }
}

function symmetrizeInPlace(n: number, A: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (A[i * n + j]! + A[j * n + i]!);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
}

/**
 * One W step of {@link featureLearning} for a given D ≻ 0: per task, the minimiser of
 * s_t‖ỹ_t − X̃_t w_t‖² + γ w_tᵀ D⁻¹ w_t, i.e. the solution of (s_t G_t + γ D⁻¹) w_t = s_t c_t
 * (centred data when fitting intercepts). Exposed for tests and for users who fix D.
 *
 * @param data - the data
 * @param Dmat - symmetric positive definite d×d matrix D
 * @param params - γ > 0, loss scale (default `'mean'`) and `fitIntercept` (default true)
 * @returns W (d×T) and the matching optimal intercepts
 * @throws TypeError / RangeError on bad parameters, a D of the wrong shape or not positive definite
 * @example
 * ```ts
 * const { W } = featureLearningWStep(data, identityOverD, { gamma: 0.1 });
 * ```
 * @see {@link featureLearning}
 */
export function featureLearningWStep(
  data: MultiTaskData | readonly TaskInput[], Dmat: Mat,
  params: { gamma: number; lossScale?: LossScale; fitIntercept?: boolean },
): { W: Mat; intercepts: Float64Array } {
  const Dt = asData(data);
  const { d, T } = Dt;
  checkOptionsObject(params, '{ gamma }');
  const gamma = checkNumberIn(params.gamma, 'gamma', 0, Infinity);
  if (!(gamma > 0)) throw new RangeError(`gamma: expected a finite number in (0, ∞), got ${gamma}`);
  if (typeof Dmat !== 'object' || Dmat === null || !(Dmat.data instanceof Float64Array)) throw new TypeError(`D: expected a ${d}×${d} Mat`);
  if (Dmat.rows !== d || Dmat.cols !== d) throw new RangeError(`D: has ${Dmat.rows}×${Dmat.cols}, expected d×d = ${d}×${d}`);
  const loss = new QuadraticLoss(Dt, { lossScale: checkLossScale(params.lossScale), fitIntercept: checkBoolean(params.fitIntercept, 'fitIntercept', true) });
  const vals = new Float64Array(d), vecT = new Float64Array(d * d);
  symEigInto(Dmat, vals, vecT, createSymEigWorkspace(d));
  if (!(vals[d - 1]! > 0)) throw new RangeError(`D: expected a positive definite matrix, smallest eigenvalue is ${vals[d - 1]}`);
  const W = new Float64Array(d * T);
  new WStepSolver(d, T, taskNormalEquations(loss), loss.scales, gamma).solve(vecT, vals, W);
  return { W: { rows: d, cols: T, data: W }, intercepts: loss.intercepts(W) };
}

/**
 * Fits convex multi-task feature learning (Argyriou, Evgeniou & Pontil 2008):
 * min_{W, D} L(W, b) + γ tr(WᵀD⁺W), D ⪰ 0, tr D ≤ 1 — equivalently min L(W, b) + γ‖W‖²_*.
 *
 * Alternating minimisation of the ε-perturbed problem (W step: per-task generalised ridge solved in
 * the eigenbasis of D; D step: D = (WWᵀ + εI)^{1/2}/tr(·)), with continuation of ε from `epsilon` down
 * to `epsilonMin`. The smoothed objective never increases within a stage. The certificate is the
 * duality gap of the unperturbed problem (see the module documentation). `converged` is true when
 * the last stage met `tol` before `maxIter` alternations.
 *
 * @param data - a {@link MultiTaskData} or an array of per-task `{ X, y }`
 * @param options - see {@link FeatureLearningOptions}
 * @returns W, intercepts, D, the learned features (eigenvectors of D with eigenvalues), objective
 *   L + γ‖W‖²_*, duality gap, history
 * @throws TypeError / RangeError on invalid data or options
 * @example
 * ```ts
 * import { MultiTaskData, featureLearning } from 'mtlearn';
 * const fit = featureLearning(data, { gamma: 0.05 });
 * fit.features.values; // share of each learned feature (sums to 1)
 * fit.predict(Xnew, 0);
 * ```
 * @see {@link featureLearningObjective}, {@link featureLearningWStep}; A. Argyriou, T. Evgeniou &
 *   M. Pontil, "Convex multi-task feature learning", Machine Learning 73(3), 243–272, 2008.
 */
export function featureLearning(data: MultiTaskData | readonly TaskInput[], options: FeatureLearningOptions): FeatureLearningFit {
  const Dt = asData(data);
  const opts = checkFeatureLearningOptions(options);
  const { d, T } = Dt;
  const { gamma } = opts;
  const start = performance.now();
  const loss = new QuadraticLoss(Dt, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const ne = taskNormalEquations(loss);
  const solver = new WStepSolver(d, T, ne, loss.scales, gamma);
  const R = new Float64Array(loss.residualSize);
  const W = new Float64Array(d * T);
  const WWt = new Float64Array(d * d);
  const WWtView: Mat = { rows: d, cols: d, data: WWt };
  const eigWork = createSymEigWorkspace(d);
  const lam = new Float64Array(d); // eigenvalues of WWᵀ
  const UT = new Float64Array(d * d); // eigenvectors of WWᵀ (= of D) as rows
  const delta = new Float64Array(d); // eigenvalues of D

  // D step: eigenvalues of WWᵀ; returns tr (WWᵀ + εI)^{1/2} and fills δ
  const dStep = (eps: number): number => {
    gemmNN(d, d, T, W, transposeBuf(W, d, T), WWt, 0);
    symmetrizeInPlace(d, WWt);
    symEigInto(WWtView, lam, UT, eigWork);
    let tr = 0;
    for (let k = 0; k < d; k++) {
      delta[k] = Math.sqrt(Math.max(lam[k]!, 0) + eps);
      tr += delta[k]!;
    }
    for (let k = 0; k < d; k++) delta[k]! /= tr;
    return tr;
  };
  const Wt = new Float64Array(T * d);
  function transposeBuf(A: Float64Array, m: number, n: number): Float64Array {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Wt[j * m + i] = A[i * n + j]!;
    return Wt;
  }
  const smoothedObjective = (tr: number): number => {
    loss.residual(W, R);
    return loss.valueFromResidual(R) + gamma * tr * tr;
  };

  // start: D = I/d
  for (let k = 0; k < d; k++) delta[k] = 1 / d;
  UT.fill(0);
  for (let k = 0; k < d; k++) UT[k * d + k] = 1;

  const history: FeatureLearningHistoryEntry[] = [];
  let eps = opts.epsilon;
  let iterations = 0;
  let converged = false;
  for (;;) {
    let prev = Infinity;
    let stageDone = false;
    while (iterations < opts.maxIter) {
      solver.solve(UT, delta, W);
      iterations++;
      const tr = dStep(eps);
      const f = smoothedObjective(tr);
      history.push({ iteration: iterations, objective: f, certificate: NaN, time: (performance.now() - start) / 1000, epsilon: eps });
      if (prev - f <= opts.tol * Math.max(Math.abs(f), 1e-300)) {
        stageDone = true;
        break;
      }
      prev = f;
    }
    const last = eps <= opts.epsilonMin * (1 + 1e-12);
    if (!stageDone) break; // maxIter reached
    if (last) {
      converged = true;
      break;
    }
    eps = eps * opts.epsilonDecay <= opts.epsilonMin * (1 + 1e-9) ? opts.epsilonMin : eps * opts.epsilonDecay;
    // D for the new ε at the current W
    dStep(eps);
  }

  const Wm: Mat = { rows: d, cols: T, data: W };
  const intercepts = loss.intercepts(W);
  const sW = singularValues(Wm);
  const objective = featureLearningObjective(Dt, Wm, { gamma, lossScale: opts.lossScale }, intercepts);
  const gap = featureLearningGapOf(loss, W, R, gamma, sW);
  if (history.length > 0) {
    const h = history[history.length - 1]!;
    history[history.length - 1] = { ...h, certificate: gap };
  }
  // D and its eigendecomposition at the returned W and final ε
  dStep(eps);
  const Dm = new Float64Array(d * d);
  const vectors = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const dk = delta[k]!;
    for (let i = 0; i < d; i++) {
      vectors[i * d + k] = UT[k * d + i]!;
      const a = dk * UT[k * d + i]!;
      for (let j = 0; j < d; j++) Dm[i * d + j]! += a * UT[k * d + j]!;
    }
  }
  symmetrizeInPlace(d, Dm);
  return {
    W: Wm, intercepts, objective, certificate: gap, certificateKind: 'duality-gap', iterations, converged, history,
    options: opts, D: { rows: d, cols: d, data: Dm },
    features: { vectors: { rows: d, cols: d, data: vectors }, values: Float64Array.from(delta) },
    epsilon: eps, gap, singularValues: sW, time: (performance.now() - start) / 1000, predict: makePredict(Wm, intercepts),
  };
}

/** Duality gap of min L + γ‖W‖²_* at W (R is a residual buffer, overwritten). */
function featureLearningGapOf(loss: QuadraticLoss, W: Float64Array, R: Float64Array, gamma: number, sW: Float64Array): number {
  const { d, T } = loss;
  loss.residual(W, R);
  const B = loss.valueFromResidual(R);
  const A = loss.innerWithY(R, true);
  const V = new Float64Array(d * T);
  loss.correlation(R, V);
  const smax = spectralNorm({ rows: d, cols: T, data: V });
  let nuc = 0;
  for (let i = 0; i < sW.length; i++) nuc += sW[i]!;
  const primal = B + gamma * nuc * nuc;
  const den = 2 * (B + (smax * smax) / (4 * gamma));
  const alpha = den > 0 ? Math.max(0, A / den) : 0;
  const dual = alpha * A - (alpha * alpha * den) / 2;
  return Math.max(0, primal - dual);
}
