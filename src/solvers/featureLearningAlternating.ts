/**
 * The ε-perturbed alternating minimisation of convex multi-task feature learning (Argyriou,
 * Evgeniou & Pontil 2008, Algorithm 1 with the ε-perturbation of §4.2), kept as the `'alternating'`
 * solver of `featureLearning`:
 * - the **W step** for fixed D: per task (s_t G_t + γ D⁻¹) w_t = s_t c_t, solved with the substitution
 *   w_t = A v_t, A = U diag(√δ) (AᵀD⁻¹A = I): (s_t AᵀG_tA + γ I) v_t = s_t Aᵀc_t — one
 *   eigendecomposition for a shared design, one Cholesky factorisation per task otherwise;
 * - the **D step**: D = (WWᵀ + εI)^{1/2} / tr (WWᵀ + εI)^{1/2}.
 * The smoothed objective F_ε(W) = L(W) + γ (tr (WWᵀ + εI)^{1/2})² never increases within a stage; ε
 * decreases geometrically between stages. Its rate degrades as ε → 0 (the solution's D is singular),
 * which is why the default solver is the duality-gap-driven ADMM / FISTA of `featureLearning`.
 *
 * Reference: A. Argyriou, T. Evgeniou & M. Pontil, "Convex multi-task feature learning", Machine
 * Learning 73(3), 243–272, 2008.
 *
 * @packageDocumentation
 */
import type { HistoryEntry, Mat, ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { gemmNN, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto, type SymEigWorkspace } from '../linalg/eig.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';
import type { TaskNormalEquations } from '../datafits/normalEquations.js';

/** One history entry of the alternation. */
export interface AlternationHistoryEntry extends HistoryEntry {
  /** The ε of the stage; `objective` is the smoothed F_ε(W) = L(W) + γ (tr (WWᵀ + εI)^{1/2})². */
  readonly epsilon: number;
}

/** The D step: D = (WWᵀ + εI)^{1/2}/tr(·) through the eigendecomposition of WWᵀ. */
export class FeatureLearningDStep {
  /** Eigenvectors of WWᵀ (= of D) as rows, d×d. */
  readonly UT: Float64Array;
  /** Eigenvalues of D (sum 1). */
  readonly delta: Float64Array;
  private readonly WWt: Float64Array;
  private readonly lam: Float64Array;
  private readonly Wt: Float64Array;
  private readonly work: SymEigWorkspace;

  /**
   * @param d - features
   * @param T - tasks
   */
  constructor(readonly d: number, readonly T: number) {
    this.UT = new Float64Array(d * d);
    this.delta = new Float64Array(d);
    this.WWt = new Float64Array(d * d);
    this.lam = new Float64Array(d);
    this.Wt = new Float64Array(T * d);
    this.work = createSymEigWorkspace(d);
  }

  /**
   * Computes D at W for ε ≥ 0 (D = I/d when W = 0 and ε = 0).
   * @param W - d×T
   * @param eps - ε
   * @returns tr (WWᵀ + εI)^{1/2}
   */
  compute(W: Float64Array, eps: number): number {
    const { d, T, WWt, Wt, lam, UT, delta } = this;
    for (let i = 0; i < d; i++) for (let j = 0; j < T; j++) Wt[j * d + i] = W[i * T + j]!;
    gemmNN(d, d, T, W, Wt, WWt, 0); // WWᵀ
    symmetrizeInPlace(d, WWt);
    for (let i = 0; i < d * d; i++) if (!Number.isFinite(WWt[i]!)) return NaN;
    symEigInto({ rows: d, cols: d, data: WWt }, lam, UT, this.work);
    let tr = 0;
    for (let k = 0; k < d; k++) {
      delta[k] = Math.sqrt(Math.max(lam[k]!, 0) + eps);
      tr += delta[k]!;
    }
    if (tr > 0) for (let k = 0; k < d; k++) delta[k]! /= tr;
    else delta.fill(1 / d);
    return tr;
  }

  /**
   * D as a matrix and its eigenvectors as columns.
   * @returns D (d×d) and the feature matrix (column k = eigenvector k)
   */
  matrices(): { D: Mat; vectors: Mat } {
    const { d, UT, delta } = this;
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
    return { D: { rows: d, cols: d, data: Dm }, vectors: { rows: d, cols: d, data: vectors } };
  }
}

/** Options of {@link alternateFeatureLearning}. */
export interface AlternationOptions {
  /** ε₀. */
  epsilon: number;
  /** Final ε. */
  epsilonMin: number;
  /** Factor between stages. */
  epsilonDecay: number;
  /** A stage ends when the relative decrease of F_ε is ≤ tol. */
  tol: number;
  /** Alternations over all stages. */
  maxIter: number;
  /** Called after every alternation (certificate NaN: the gap is computed at the end). @default undefined */
  onProgress?: ProgressCallback;
}

/**
 * Runs the ε-continuation alternation from D = I/d.
 * @param loss - the datafit
 * @param ne - normal equations
 * @param gamma - γ
 * @param opts - see {@link AlternationOptions}
 * @param start - `performance.now()` at the start of the fit
 * @returns W, the D step at the final (W, ε), iterations, whether every stage ended on its rule, history
 * @example
 * ```ts
 * const res = alternateFeatureLearning(loss, taskNormalEquations(loss), 0.1, { epsilon: 1e-3, epsilonMin: 1e-8, epsilonDecay: 0.1, tol: 1e-8, maxIter: 5000 }, performance.now());
 * ```
 * @see {@link WStepSolver}, {@link FeatureLearningDStep}
 */
export function alternateFeatureLearning(
  loss: QuadraticLoss, ne: TaskNormalEquations, gamma: number, opts: AlternationOptions, start: number,
): { W: Float64Array; dStep: FeatureLearningDStep; iterations: number; finite: boolean; epsilon: number; history: AlternationHistoryEntry[] } {
  const { d, T } = loss;
  const solver = new WStepSolver(d, T, ne, loss.scales, gamma);
  const R = new Float64Array(loss.residualSize);
  const W = new Float64Array(d * T);
  const ds = new FeatureLearningDStep(d, T);
  const { UT, delta } = ds;
  // start: D = I/d
  for (let k = 0; k < d; k++) delta[k] = 1 / d;
  UT.fill(0);
  for (let k = 0; k < d; k++) UT[k * d + k] = 1;
  const history: AlternationHistoryEntry[] = [];
  let eps = opts.epsilon;
  let iterations = 0;
  let finite = true;
  for (;;) {
    let prev = Infinity;
    let stageDone = false;
    while (iterations < opts.maxIter) {
      if (!solver.solve(UT, delta, W)) {
        finite = false;
        break;
      }
      iterations++;
      const tr = ds.compute(W, eps);
      loss.residual(W, R);
      const f = loss.valueFromResidual(R) + gamma * tr * tr; // F_ε(W)
      history.push({ iteration: iterations, objective: f, certificate: NaN, time: (performance.now() - start) / 1000, epsilon: eps });
      opts.onProgress?.({ iteration: iterations, maxIter: opts.maxIter, objective: f, certificate: NaN, tol: opts.tol });
      if (!Number.isFinite(f)) {
        finite = false;
        break;
      }
      if (prev - f <= opts.tol * Math.max(Math.abs(f), 1e-300)) {
        stageDone = true;
        break;
      }
      prev = f;
    }
    if (!stageDone || eps <= opts.epsilonMin * (1 + 1e-12)) break;
    eps = eps * opts.epsilonDecay <= opts.epsilonMin * (1 + 1e-9) ? opts.epsilonMin : eps * opts.epsilonDecay;
    ds.compute(W, eps); // D for the new ε at the current W
  }
  if (finite) ds.compute(W, eps);
  return { W, dStep: ds, iterations, finite, epsilon: eps, history };
}

/**
 * Preallocated solver of the W step (s_t G_t + γ D⁻¹) w_t = s_t c_t for all tasks, given the
 * eigendecomposition of D (see `featureLearningWStep` for the public wrapper).
 */
export class WStepSolver {
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

  /**
   * @param d - features
   * @param T - tasks
   * @param ne - normal equations
   * @param scales - s_t
   * @param gamma - γ
   */
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
  solve(UT: Float64Array, delta: Float64Array, W: Float64Array): boolean {
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
      return W.every(Number.isFinite);
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
      if (!choleskyFactor(d, M)) return false; // not positive definite: non-finite or overflowing data
      choleskySolveFactored(d, M, rhs, vt);
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let k = 0; k < d; k++) acc += A[i * d + k]! * vt[k]!;
        W[i * T + t] = acc;
      }
    }
    return true;
  }
}

/**
 * A ← (A + Aᵀ)/2 in place (n×n).
 * @param n - order
 * @param A - n×n row-major
 * @example
 * ```ts
 * symmetrizeInPlace(2, new Float64Array([1, 2, 0, 1])); // [1, 1, 1, 1]
 * ```
 * @see {@link WStepSolver}
 */
export function symmetrizeInPlace(n: number, A: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (A[i * n + j]! + A[j * n + i]!);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
}

