/**
 * The duality gap of the L1/Lq group lasso (with an optional ridge term), shared by BCD, FISTA and the
 * model: one definition of the rescaled dual point and of the gap (scikit-learn style).
 *
 * Problem (see `docs/objectives.md`, "Joint sparsity"):
 *   min_W  L(W) + λ Σ_j ‖w^j‖_q + ρ ‖W‖²_F,   L(W) = Σ_t s_t ‖y_t − X_t w_t‖² (intercepts profiled).
 *
 * Dual (Fenchel, with U = [u_1 … u_T] and V = [X_1ᵀu_1 … X_Tᵀu_T]):
 *   D(U) = ⟨U, Y⟩ − Σ_t ‖u_t‖² / (4 s_t) − Σ_j φ(V_j),
 *   φ(v) = indicator{‖v‖_{q*} ≤ λ} when ρ = 0, and dist₂(v, λB_{q*})² / (4ρ) when ρ > 0.
 * The dual point is U = α · 2 s ⊙ R (R the residuals), α chosen to maximise D over the feasible range
 * (Ndiaye, Fercoq, Gramfort & Salmon, "Gap safe screening rules for sparsity enforcing penalties",
 * JMLR 18, 2017).
 *
 * @packageDocumentation
 */
import type { RowNorm } from '../penalties/types.js';
import { rescaledDual, type GapResult } from './certificates.js';

/** Result of {@link groupLassoGap}: the package's one gap result (primal, dual, gap, α). */
export type { GapResult };

/**
 * Σ_j ‖w^j‖_q over the rows of W (d×T row-major).
 * @param norm - the row norm
 * @param W - weights
 * @param d - rows
 * @param T - columns
 * @returns the L1/Lq norm of W
 * @example
 * ```ts
 * groupNorm(rowNorm(2, T), W.data, d, T);
 * ```
 * @see {@link groupLassoGap}
 */
export function groupNorm(norm: RowNorm, W: Float64Array, d: number, T: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += norm.norm(W, j * T, T);
  return s;
}

/**
 * max_j ‖V_j‖_{q*} over the rows of V (d×T).
 * @param norm - the row norm (its dual norm is used)
 * @param V - d×T matrix
 * @param d - rows
 * @param T - columns
 * @returns the largest dual row norm
 * @example
 * ```ts
 * const lambdaMax = maxDualRowNorm(norm, V0, d, T);
 * ```
 * @see {@link groupLassoGap}
 */
export function maxDualRowNorm(norm: RowNorm, V: Float64Array, d: number, T: number): number {
  let m = 0;
  for (let j = 0; j < d; j++) {
    const v = norm.dualNorm(V, j * T, T);
    if (v > m) m = v;
  }
  return m;
}

/**
 * The duality gap of the group lasso at W.
 *
 * @param loss - Σ_t s_t ‖r_t‖² at W
 * @param innerY - ⟨2 s ⊙ R, Y⟩ = Σ_t 2 s_t ⟨r_t, y_t⟩ (centred responses)
 * @param V - Xᵀ(2 s ⊙ R), d×T (rows listed in `rows`, or all rows)
 * @param W - weights d×T
 * @param d - number of feature rows to scan (0..d) when `rows` is null
 * @param T - tasks
 * @param norm - row norm (q)
 * @param lambda - λ
 * @param ridge - ρ
 * @param work - work buffer of length ≥ T
 * @param rows - optional subset of rows over which V is valid (working-set subproblem)
 * @param nRows - number of entries of `rows` to use
 * @returns primal, dual, gap and α
 * @example
 * ```ts
 * const { gap } = groupLassoGap(lossValue, innerY, V, W, d, T, norm, lambda, 0, work, null, 0);
 * ```
 * @see {@link groupNorm}
 */
export function groupLassoGap(
  loss: number, innerY: number, V: Float64Array, W: Float64Array, d: number, T: number,
  norm: RowNorm, lambda: number, ridge: number, work: Float64Array,
  rows: Int32Array | null, nRows: number,
): GapResult {
  const count = rows ? nRows : d;
  // primal P = L + λ Σ_j ‖w^j‖_q + ρ ‖W‖²   (rows outside `rows` are zero in a subproblem)
  let pen = 0, fro = 0;
  for (let k = 0; k < count; k++) {
    const j = rows ? rows[k]! : k;
    pen += norm.norm(W, j * T, T);
    if (ridge > 0) for (let t = 0; t < T; t++) fro += W[j * T + t]! ** 2;
  }
  const primal = loss + lambda * pen + ridge * fro;
  // D(αU) = α A − α² B − Σ_j φ(α V_j), A = ⟨U, Y⟩, B = Σ ‖u_t‖²/(4 s_t) = loss; α from the one
  // rescaling of certificates.ts
  let vmax = 0;
  for (let k = 0; k < count; k++) {
    const j = rows ? rows[k]! : k;
    const v = norm.dualNorm(V, j * T, T);
    if (v > vmax) vmax = v;
  }
  // with ρ > 0: φ(α) = Σ_j dist₂(α V_j, λB_{q*})² / (4ρ) over the rows in use
  const phi = ridge > 0 ? (alpha: number): number => {
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const j = rows ? rows[k]! : k;
      for (let t = 0; t < T; t++) work[t] = alpha * V[j * T + t]!;
      norm.projectDualBall(work, 0, T, lambda, work, 0);
      let dist = 0;
      for (let t = 0; t < T; t++) dist += (alpha * V[j * T + t]! - work[t]!) ** 2;
      sum += dist / (4 * ridge);
    }
    return sum;
  } : null;
  const { dual, alpha } = rescaledDual(innerY, loss, lambda, vmax, phi);
  return { primal, dual, gap: Math.max(0, primal - dual), alpha };
}
