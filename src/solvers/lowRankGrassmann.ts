/**
 * The rank-constrained least squares min L(W) + ρ‖W‖²_F s.t. rank(W) ≤ r by variable projection: W = QᵀB with
 * Q (r×d, orthonormal rows) the column space and B exactly optimal for it, and Riemannian L-BFGS on the
 * reduced function f(Q) = min_B L(QᵀB) over the Grassmann manifold ({@link grassmannLbfgs},
 * {@link rankReducedObjective}). Stops on the fixed-point residual of singular value projection,
 * ‖W − P_r(W − ∇F(W)/L)‖_F·L with ∇F = ∇L + 2ρW, the certificate of {@link lowRank}'s
 * projected-gradient solver: it is zero exactly at a stationary point where σ_r(W) ≥ ‖∇F(W)‖₂/L.
 *
 * References: G. Golub & V. Pereyra, SIAM J. Numer. Anal. 10(2), 1973 (variable projection);
 * P.-A. Absil, R. Mahony & R. Sepulchre, *Optimization Algorithms on Matrix Manifolds*, 2008.
 *
 * @packageDocumentation
 */
import type { FitStatus, ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { taskNormalEquations } from '../datafits/normalEquations.js';
import { thinSvdInto } from '../linalg/svd.js';
import { orthonormalizeRows } from '../linalg/orthonormalize.js';
import { createSvdBuffers, frobeniusSq } from './spectralTools.js';
import { grassmannLbfgs, type GrassmannHistoryEntry } from './grassmannLbfgs.js';
import { rankReducedObjective } from './subspaceObjectives.js';

/** The result of {@link lowRankGrassmann}. */
export interface LowRankGrassmannResult {
  /** W (d×T, rank ≤ r). */
  readonly W: Float64Array;
  /** The fixed-point residual at W. */
  readonly certificate: number;
  /** L-BFGS iterations. */
  readonly iterations: number;
  /** Why the solver stopped. */
  readonly status: FitStatus;
  /** One entry per iterate. */
  readonly history: GrassmannHistoryEntry[];
}

/**
 * Fits min L(W) + ρ‖W‖²_F s.t. rank(W) ≤ r by L-BFGS on the column space (see the module documentation).
 * @param loss - the datafit
 * @param W0 - the start (d×T); the start column space is that of P_r(W₀ − ∇L(W₀)/L)
 * @param r - the rank bound
 * @param tolAbs - absolute tolerance on the fixed-point residual
 * @param maxIter - maximum L-BFGS iterations
 * @param L - the Lipschitz constant of ∇F (∇L + 2ρ) used in the fixed-point residual
 * @param start - `performance.now()` at the start of the fit
 * @param rho - ρ ≥ 0, the weight of ‖W‖²_F @default 0
 * @param onProgress - called after every accepted step (progress bars) @default undefined
 * @returns W, certificate, iterations, status, history
 * @example
 * ```ts
 * const res = lowRankGrassmann(loss, new Float64Array(d * T), 3, 1e-6 * scale, 1000, loss.lipschitz(), performance.now());
 * ```
 * @see {@link lowRank}
 */
export function lowRankGrassmann(
  loss: QuadraticLoss, W0: Float64Array, r: number, tolAbs: number, maxIter: number, L: number, start: number, rho = 0,
  onProgress?: ProgressCallback,
): LowRankGrassmannResult {
  const { d, T } = loss;
  const k = Math.min(d, T);
  const R = new Float64Array(loss.residualSize);
  const G = new Float64Array(d * T), Z = new Float64Array(d * T);
  const svd = createSvdBuffers(d, T);
  /** Z ← W − ∇F(W)/L and its SVD into svd (false when not finite). */
  const stepAndSvd = (W: Float64Array): boolean => {
    loss.residual(W, R);
    loss.gradient(R, G);
    for (let i = 0; i < d * T; i++) Z[i] = W[i]! - (G[i]! + 2 * rho * W[i]!) / L; // ∇F = ∇L + 2ρW
    if (!Z.every(Number.isFinite)) return false;
    thinSvdInto({ rows: d, cols: T, data: Z }, svd.U, svd.s, svd.V, svd.work);
    return true;
  };
  /** ‖W − P_r(Z)‖_F·L after {@link stepAndSvd}(W). */
  const residualNorm = (W: Float64Array): number => {
    const U = svd.U.data, V = svd.V.data, s = svd.s;
    let sum = 0;
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) {
      let p = 0; // P_r(Z) = Σ_{i<r} σ_i u_i v_iᵀ
      for (let i = 0; i < r; i++) p += U[j * k + i]! * s[i]! * V[t * k + i]!;
      sum += (W[j * T + t]! - p) ** 2;
    }
    return Math.sqrt(sum) * L;
  };
  if (!W0.every(Number.isFinite) || !stepAndSvd(W0)) {
    return { W: Float64Array.from(W0), certificate: NaN, iterations: 0, status: 'non-finite', history: [] };
  }
  const Q0 = new Float64Array(r * d);
  for (let i = 0; i < r; i++) for (let j = 0; j < d; j++) Q0[i * d + j] = svd.U.data[j * k + i]!;
  orthonormalizeRows(Q0, r, d);
  const reduced = rankReducedObjective(taskNormalEquations(loss), loss.scales, r, (W) => {
    loss.residual(W, R);
    return loss.valueFromResidual(R) + (rho > 0 ? rho * frobeniusSq(W) : 0);
  }, rho);
  const res = grassmannLbfgs({
    k: r, d, evaluate: (Q, g) => reduced.evaluate(Q, g), tolerance: () => tolAbs,
    certificate: () => (stepAndSvd(reduced.W) ? residualNorm(reduced.W) : NaN),
  }, Q0, { maxIter, start, onProgress });
  return { W: Float64Array.from(reduced.W), certificate: res.certificate, iterations: res.iterations, status: res.status, history: res.history };
}
