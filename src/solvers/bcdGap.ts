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
import type { WeightedGroupNormPenalty } from '../penalties/weightedGroupNorm.js';
import type { BcdDatafit, RowDualTerms } from './bcdDatafit.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';

/** Result of {@link groupLassoGap}: the package's one gap result (primal, dual, gap, α). */
export type { GapResult };
/** The support-tight dual point of BCD's checks (tightDual.ts). */
export { TightDual } from './tightDual.js';

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

/**
 * The duality gap of the weighted row-norm problem min_W L(W) + λ Σ_j c_j ‖w^j‖_q, c_j ∈ [0, ∞] (the
 * convex stage of a reweighted scheme), at W. Rows with c_j = 0 (set F) are unpenalised: the dual point
 * must satisfy X̃_Fᵀu = 0 exactly, so it is built from the residual r̃ at W' = W + B, with B_F the exact
 * Newton step that minimises L over the rows F (L is quadratic in them: per task the |F|×|F| Hessian
 * block H_t, read off as V(0) − V(E_j), E_j the indicator of row j), so X̃_Fᵀr̃ = 0 (to rounding: see
 * `solveConsistent` for a singular H_t). Then U = α·2s ⊙ r̃,
 * D(U) = α⟨2s ⊙ r̃, Y⟩ − α² Σ_t s_t ‖r̃_t‖², α ≤ λc_j / ‖ṽ_j‖_{q*} for the penalised rows (c_j = ∞: no
 * bound), P = L(W) + λ Σ_j c_j ‖w^j‖_q. Costs |F| + 3 full gradients (a certificate between stages).
 *
 * @param f - the BCD state of the loss (its internal W is changed: reset it before the next solve)
 * @param W - the weights d×T
 * @param h - the weighted penalty
 * @returns primal, dual, gap (Infinity when the Hessian block of F is singular) and α
 * @example
 * ```ts
 * const { gap } = weightedRowGap(f, W, new WeightedGroupNormPenalty(lambda, 1, c, T));
 * ```
 * @see {@link groupLassoGap}
 */
export function weightedRowGap(f: BcdDatafit, W: Float64Array, h: WeightedGroupNormPenalty): GapResult {
  const { d, T } = f;
  const dt: RowDualTerms = { value: 0, innerY: 0 };
  const V = new Float64Array(d * T);
  f.reset(W);
  f.fullNegGradient(W, V);
  f.internalDualTerms(W, dt);
  const primal = dt.value + h.value(W);
  const free: number[] = [];
  for (let j = 0; j < d; j++) if (h.rowWeight(j) === 0) free.push(j);
  const m = free.length, W2 = Float64Array.from(W);
  if (m > 0) {
    // H_t[a, b] = (V(0) − V(E_b))[F_a, t]: the Hessian of L in the rows F, task t
    const V0 = new Float64Array(d * T), Vb = new Float64Array(d * T), E = new Float64Array(d * T);
    const H = new Float64Array(T * m * m);
    f.reset(E);
    f.fullNegGradient(E, V0);
    for (let b = 0; b < m; b++) {
      E.fill(1, free[b]! * T, free[b]! * T + T);
      f.reset(E);
      f.fullNegGradient(E, Vb);
      E.fill(0, free[b]! * T, free[b]! * T + T);
      for (let a = 0; a < m; a++) for (let t = 0; t < T; t++) H[t * m * m + a * m + b] = V0[free[a]! * T + t]! - Vb[free[a]! * T + t]!;
    }
    // B_{F,t} = H_t⁻¹ V_{F,t} (one exact Newton step in the rows F)
    const rhs = new Float64Array(m), x = new Float64Array(m), work = new Float64Array(m * m);
    for (let t = 0; t < T; t++) {
      for (let a = 0; a < m; a++) rhs[a] = V[free[a]! * T + t]!;
      let sc = 0;
      for (let a = 0; a < m; a++) sc += V0[free[a]! * T + t]! ** 2;
      if (!solveConsistent(m, H.subarray(t * m * m, (t + 1) * m * m), rhs, x, work, Math.sqrt(sc))) return { primal, dual: -Infinity, gap: Infinity, alpha: 0 };
      for (let a = 0; a < m; a++) W2[free[a]! * T + t]! += x[a]!;
    }
    f.reset(W2);
    f.fullNegGradient(W2, V);
    f.internalDualTerms(W2, dt);
  }
  // α = min(A/(2B), min_j λc_j/‖ṽ_j‖_{q*}) over the penalised rows
  const A = dt.innerY, B = dt.value;
  let alpha = B > 0 ? Math.max(0, A / (2 * B)) : 1;
  for (let j = 0; j < d; j++) {
    const lw = h.rowWeight(j);
    if (lw === 0 || lw === Infinity) continue;
    const v = h.norm.dualNorm(V, j * T, T);
    if (v * alpha > lw) alpha = lw / v;
  }
  const dual = alpha * A - alpha * alpha * B;
  return { primal, dual, gap: Number.isFinite(primal - dual) ? Math.max(0, primal - dual) : Infinity, alpha };
}

/**
 * Solves the consistent PSD system H x = b (b in the range of H: H = X̃_FᵀX̃_F, b = X̃_Fᵀr): by Cholesky
 * when H is positive definite, else (more free rows than observations, collinear columns) by Cholesky
 * of H + δI, δ = 1e-10·max_i H_ii, with iterative refinement x ← x + (H + δI)⁻¹(b − Hx) until
 * ‖b − Hx‖ ≤ max(1e-13‖b‖, 1e-12·scale) (at most 100 steps; near the conditional optimum b is small and
 * carries the rounding of the gradient, ~1e-16 of its scale at W = 0, outside the range of H). Returns
 * false when that accuracy is not reached.
 */
function solveConsistent(m: number, H: Float64Array, b: Float64Array, x: Float64Array, work: Float64Array, scale: number): boolean {
  const floor = 1e-12 * scale;
  work.set(H);
  if (choleskyFactor(m, work)) { choleskySolveFactored(m, work, b, x); return true; }
  let dmax = 0, bn = 0;
  for (let i = 0; i < m; i++) { dmax = Math.max(dmax, H[i * m + i]!); bn += b[i]! * b[i]!; }
  if (!(dmax > 0)) return bn === 0 && (x.fill(0), true);
  work.set(H);
  for (let i = 0; i < m; i++) work[i * m + i]! += 1e-10 * dmax;
  if (!choleskyFactor(m, work, 0)) return false;
  const r = Float64Array.from(b), dx = new Float64Array(m);
  x.fill(0);
  for (let it = 0; it < 100; it++) {
    choleskySolveFactored(m, work, r, dx);
    for (let i = 0; i < m; i++) x[i]! += dx[i]!;
    // r = b − H x
    let rn = 0;
    for (let i = 0; i < m; i++) {
      let v = b[i]!;
      for (let k = 0; k < m; k++) v -= H[i * m + k]! * x[k]!;
      r[i] = v;
      rn += v * v;
    }
    if (rn <= 1e-26 * bn || rn <= floor * floor) return true;
  }
  return false;
}
