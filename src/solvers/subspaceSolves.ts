/**
 * The inner solves of the subspace models, for {@link grassmannLbfgs} (variable projection): given
 * a subspace U (d×r), the other block is eliminated exactly from the per-task normal equations
 * (G_t = X̃_tᵀX̃_t, c_t = X̃_tᵀỹ_t, ‖ỹ_t‖²; centred when intercepts are fitted).
 *
 * - **Rank constraint** (the `lowRank` model): f(U) = min_B Σ_t s_t‖ỹ_t − X̃_tUb_t‖², per task
 *   (UᵀG_tU) b_t = Uᵀc_t (r×r), W = U Bᵀ; ∇_U f = Σ_t 2s_t(G_tUb_t − c_t)b_tᵀ (envelope theorem).
 * - **ASO** (Ando & Zhang 2005): f(U) = min_W L(W) + λ‖W‖²_F − λ tr(WᵀP_UW), P_U = U(UᵀU)⁻¹Uᵀ, per
 *   task (s_tG_t + λ(I − P_U)) w_t = s_tc_t (d×d); ∇_U f = −2λ(I − P_U)WWᵀU(UᵀU)⁻¹.
 * Both depend on U only through span(U). Systems are solved by a Cholesky factorisation that drops
 * pivots ≤ 1e-13·max diag (directions singular to rounding, such as a centred constant feature).
 *
 * References: G. Golub & V. Pereyra, Inverse Problems 19, 2003 (variable projection); R. K. Ando &
 * T. Zhang, J. Mach. Learn. Res. 6, 2005.
 *
 * @packageDocumentation
 */
import { gemmNN, gemmTN } from '../linalg/blas.js';
import type { SubspaceObjective } from './grassmannLbfgs.js';

/** The per-task normal equations the steps read. */
export interface NormalEquationsView {
  /** G_t (d×d row-major); may return a shared or recomputed buffer. */
  gram(t: number): Float64Array;
  /** c_t as the columns of a d×T matrix. */
  readonly C: Float64Array;
  /** Whether every task has the same G. */
  readonly sharedGram: boolean;
  /** ‖ỹ_t‖² per task. */
  readonly yy: Float64Array;
}

/**
 * Minimises ½xᵀMx − bᵀx for a symmetric positive semidefinite n×n M by a Cholesky factorisation
 * that drops pivots ≤ 1e-13·max diag (their variables are set to 0: directions in which M is
 * singular to rounding, e.g. a constant feature removed by centring). M is overwritten by the factor.
 * @param n - order
 * @param M - n×n row-major (overwritten)
 * @param b - right-hand side (length n)
 * @param x - solution (length n)
 * @returns false on a non-finite system
 * @example
 * ```ts
 * psdSolve(2, new Float64Array([2, 0, 0, 0]), new Float64Array([2, 5]), x); // x = [1, 0]
 * ```
 * @see {@link rankSubspaceObjective}
 */
export function psdSolve(n: number, M: Float64Array, b: Float64Array, x: Float64Array): boolean {
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(M[i * n + i]!));
  if (!Number.isFinite(dmax)) return false;
  const floor = 1e-13 * dmax;
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let s = M[jo + j]!;
    for (let k = 0; k < j; k++) s -= M[jo + k]! * M[jo + k]!;
    if (!(s > floor)) {
      // dropped pivot: column j of the factor is zero
      for (let i = j; i < n; i++) M[i * n + j] = 0;
      continue;
    }
    const ljj = Math.sqrt(s);
    M[jo + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let t = M[io + j]!;
      for (let k = 0; k < j; k++) t -= M[io + k]! * M[jo + k]!;
      M[io + j] = t / ljj;
    }
  }
  // L Lᵀ x = b with the dropped variables fixed at 0
  for (let i = 0; i < n; i++) {
    const lii = M[i * n + i]!;
    if (lii === 0) {
      x[i] = 0;
      continue;
    }
    let s = b[i]!;
    for (let l = 0; l < i; l++) s -= M[i * n + l]! * x[l]!;
    x[i] = s / lii;
  }
  for (let i = n - 1; i >= 0; i--) {
    const lii = M[i * n + i]!;
    if (lii === 0) {
      x[i] = 0;
      continue;
    }
    let s = x[i]!;
    for (let l = i + 1; l < n; l++) s -= M[l * n + i]! * x[l]!;
    x[i] = s / lii;
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** A {@link SubspaceObjective} that also returns the weights W of its inner solve. */
export interface SubspaceModel extends SubspaceObjective {
  /** W (d×T) of the last {@link SubspaceObjective.evaluate} call. */
  readonly W: Float64Array;
}

/**
 * The rank-constrained squared loss as a function of the column space U (see the module documentation).
 * @param ne - normal equations
 * @param scales - s_t
 * @param d - features
 * @param T - tasks
 * @param r - rank
 * @returns the objective (evaluate fills `W`)
 * @example
 * ```ts
 * const obj = rankSubspaceObjective(ne, loss.scales, d, T, 3);
 * const f = obj.evaluate(U, grad); // obj.W = U Bᵀ
 * ```
 * @see {@link grassmannLbfgs}
 */
export function rankSubspaceObjective(ne: NormalEquationsView, scales: Float64Array, d: number, T: number, r: number): SubspaceModel {
  const W = new Float64Array(d * T);
  const GU = new Float64Array(d * r), M = new Float64Array(r * r), rhs = new Float64Array(r), b = new Float64Array(r);
  const res = new Float64Array(d);
  return {
    d, r, W,
    evaluate(U: Float64Array, grad: Float64Array): number {
      grad.fill(0);
      let total = 0;
      for (let t = 0; t < T; t++) {
        if (t === 0 || !ne.sharedGram) gemmNN(d, r, d, ne.gram(t), U, GU, 0); // GU = G_t U
        gemmTN(r, r, d, U, GU, M, 0); // M = Uᵀ G_t U
        for (let a = 0; a < r; a++) {
          let s = 0; // (Uᵀc_t)_a
          for (let j = 0; j < d; j++) s += U[j * r + a]! * ne.C[j * T + t]!;
          rhs[a] = s;
        }
        if (!psdSolve(r, M, rhs, b)) return NaN;
        let cb = 0;
        for (let a = 0; a < r; a++) cb += rhs[a]! * b[a]!;
        const st = scales[t]!;
        total += st * Math.max(ne.yy[t]! - cb, 0); // s_t(‖ỹ‖² − cᵀU b) at the optimal b
        // res = 2 s_t (G_t U b_t − c_t); ∇_U += res b_tᵀ; w_t = U b_t
        for (let j = 0; j < d; j++) {
          let gub = 0, ub = 0;
          for (let a = 0; a < r; a++) {
            gub += GU[j * r + a]! * b[a]!;
            ub += U[j * r + a]! * b[a]!;
          }
          res[j] = 2 * st * (gub - ne.C[j * T + t]!);
          W[j * T + t] = ub;
        }
        for (let j = 0; j < d; j++) {
          const rj = res[j]!;
          for (let a = 0; a < r; a++) grad[j * r + a]! += rj * b[a]!;
        }
      }
      return total;
    },
  };
}
