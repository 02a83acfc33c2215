/**
 * Pieces of the L1/Lq group lasso shared by its solvers: the penalty value, λ_max and the duality gap.
 * Every solver computes these the same way (scikit-learn style: one definition of α_max and of the gap).
 *
 * Problem (see `docs/objectives.md`, "Joint sparsity"):
 *   min_W  L(W) + λ Σ_j ‖w^j‖_q + ρ ‖W‖²_F,   L(W) = Σ_t s_t ‖y_t − X_t w_t‖² (intercepts profiled).
 *
 * Dual (Fenchel, with U = [u_1 … u_T] and V = [X_1ᵀu_1 … X_Tᵀu_T]):
 *   D(U) = ⟨U, Y⟩ − Σ_t ‖u_t‖² / (4 s_t) − Σ_j φ(V_j),
 *   φ(v) = indicator{‖v‖_{q*} ≤ λ} when ρ = 0, and dist₂(v, λB_{q*})² / (4ρ) when ρ > 0.
 * The dual point is U = α · 2 s ⊙ R (R the residuals), α chosen to maximise D over the feasible range.
 *
 * @packageDocumentation
 */
import type { RowNorm } from '../penalties/types.js';

export { groupLassoGap, groupNorm, maxDualRowNorm, type GapResult } from '../solvers/bcdGap.js';
import type { BcdPenalty } from '../solvers/bcd.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { groupL2Violation } from '../solvers/groupL2Sweep.js';


/**
 * The group-lasso row penalty h_j(w) = λ‖w‖_q as a {@link BcdPenalty} for block coordinate descent:
 * row prox, the distance of a row gradient to λ∂‖w‖_q (exact for q = 1, 2, (1, ∞) and at w = 0; the
 * fixed-point residual otherwise), and the exact per-coordinate-curvature row step for q = 1
 * (separable soft-thresholding) and q = 2 (a monotone Newton solve for ‖w‖, see below).
 * @param norm - the row norm ‖·‖_q (its work buffers are used: one penalty per solver)
 * @param lambda - λ ≥ 0
 * @param T - the row length
 * @returns the penalty
 * @example
 * ```ts
 * bcd(f, groupNormRowPenalty(rowNorm(2, T), 0.1, T), W0, { tolAbs, maxIter });
 * ```
 * @see {@link bcd}
 */
export function groupNormRowPenalty(norm: RowNorm, lambda: number, T: number): BcdPenalty {
  const q = norm.q;
  let buf = new Float64Array(0);
  const work = (T: number): Float64Array => (buf.length >= 2 * T ? buf : (buf = new Float64Array(2 * T)));
  // the core's group-norm penalty (value, prox, row prox), with this row norm's buffers and an exact
  // subdifferential distance and per-coordinate row step added
  const pen: BcdPenalty & { rowNorm: RowNorm } = Object.assign(new GroupNormPenalty(lambda, q, T), { rowNorm: norm, plainGroupL2: q === 2 });
  Object.assign(pen, {
    subdiffDistance: (W: Float64Array, j: number, z: Float64Array): number => {
      const T = z.length, o = j * T, u = work(T);
      let wn = 0;
      for (let t = 0; t < T; t++) wn = Math.max(wn, Math.abs(W[o + t]!));
      let s = 0;
      if (wn === 0) {
        // dist(z, λB_{q*}) = ‖z − Proj_{λB*}(z)‖₂
        norm.projectDualBall(z, 0, T, lambda, u, 0);
        for (let t = 0; t < T; t++) s += (z[t]! - u[t]!) ** 2;
        return Math.sqrt(s);
      }
      if (q === 1) {
        // coordinatewise: z_t − λ sign(w_t) where w_t ≠ 0, max(|z_t| − λ, 0) where w_t = 0
        for (let t = 0; t < T; t++) {
          const w = W[o + t]!;
          const e = w !== 0 ? z[t]! - lambda * Math.sign(w) : Math.max(0, Math.abs(z[t]!) - lambda);
          s += e * e;
        }
        return Math.sqrt(s);
      }
      if (Number.isFinite(q)) {
        // ∂‖w‖_q = {sign(w_t)|w_t|^{q−1} / ‖w‖_q^{q−1}} for w ≠ 0, 1 < q < ∞ (q = 2: below)
        const nq = norm.norm(W, o, T);
        for (let t = 0; t < T; t++) {
          const w = W[o + t]!;
          const g = Math.sign(w) * Math.pow(Math.abs(w) / nq, q - 1);
          s += (z[t]! - lambda * g) ** 2;
        }
        return Math.sqrt(s);
      }
      // q = ∞, w ≠ 0: fixed-point residual ‖w − prox_{λ‖·‖}(w + z)‖₂ (0 exactly at optimality)
      for (let t = 0; t < T; t++) u[t] = W[o + t]! + z[t]!;
      norm.prox(u, 0, T, lambda, u, 0);
      for (let t = 0; t < T; t++) s += (W[o + t]! - u[t]!) ** 2;
      return Math.sqrt(s);
    },
  });
  // q = 2: dist(z, λ∂‖w‖₂) by one monomorphic function (shared with the fused sweeps; the general
  // branch above was 5.6 % of a small fit's checks, issue #11)
  if (q === 2) pen.subdiffDistance = (W: Float64Array, j: number, z: Float64Array): number => groupL2Violation(W, j * T, T, z, lambda);
  if (q === 1) {
    // argmin Σ_t (L_t/2) w_t² − b_t w_t + λ|w_t|: w_t = soft(b_t, λ)/L_t
    pen.proxRowDiag = (b, L, _j, out) => {
      for (let t = 0; t < b.length; t++) {
        const a = Math.abs(b[t]!) - lambda;
        out[t] = a > 0 && L[t]! > 0 ? (Math.sign(b[t]!) * a) / L[t]! : 0;
      }
    };
  } else if (q === Infinity) {
    // argmin Σ_t (L_t/2) w_t² − b_t w_t + λ‖w‖_∞: w = 0 iff ‖b‖₁ ≤ λ, else w_t = sign(b_t) min(|b_t|/L_t, τ)
    // with τ the root of Σ_t max(0, |b_t| − L_t τ) = λ (piecewise linear, decreasing: bisection then
    // the exact linear piece)
    pen.proxRowDiag = (b, L, _j, out) => {
      const T = b.length;
      let b1 = 0, hi = 0;
      for (let t = 0; t < T; t++) {
        b1 += Math.abs(b[t]!);
        if (L[t]! > 0) hi = Math.max(hi, Math.abs(b[t]!) / L[t]!);
      }
      if (b1 <= lambda) { out.fill(0, 0, T); return; }
      if (lambda === 0) { for (let t = 0; t < T; t++) out[t] = L[t]! > 0 ? b[t]! / L[t]! : 0; return; }
      const excess = (tau: number): number => {
        let s = 0;
        for (let t = 0; t < T; t++) s += Math.max(0, Math.abs(b[t]!) - L[t]! * tau);
        return s - lambda;
      };
      let lo = 0;
      for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
        const mid = 0.5 * (lo + hi);
        if (excess(mid) > 0) lo = mid; else hi = mid;
      }
      // on the final piece Σ_{active} (|b_t| − L_t τ) = λ is linear in τ
      let sb = 0, sl = 0;
      for (let t = 0; t < T; t++) if (Math.abs(b[t]!) - L[t]! * hi > 0 || Math.abs(b[t]!) - L[t]! * lo > 0) { sb += Math.abs(b[t]!); sl += L[t]!; }
      let tau = sl > 0 ? (sb - lambda) / sl : hi;
      if (!(tau >= lo && tau <= hi)) tau = 0.5 * (lo + hi);
      for (let t = 0; t < T; t++) {
        const a = L[t]! > 0 ? Math.abs(b[t]!) / L[t]! : 0;
        out[t] = Math.sign(b[t]!) * Math.min(a, tau);
      }
    };
  } else if (q === 2) {
    // argmin Σ_t (L_t/2) w_t² − b_t w_t + λ‖w‖₂: w = 0 iff ‖b‖ ≤ λ, else w_t = b_t r/(L_t r + λ) with
    // r = ‖w‖ the root of g(r) = Σ_t (b_t/(L_t r + λ))² − 1 (convex, decreasing: Newton from r = 0
    // increases monotonically to the root)
    pen.proxRowDiag = (b, L, _j, out) => {
      const T = b.length;
      let bb = 0;
      for (let t = 0; t < T; t++) bb += b[t]! * b[t]!;
      if (bb <= lambda * lambda || lambda === 0) {
        if (lambda === 0) for (let t = 0; t < T; t++) out[t] = L[t]! > 0 ? b[t]! / L[t]! : 0;
        else out.fill(0, 0, T);
        return;
      }
      let r = 0;
      for (let it = 0; it < 100; it++) {
        let g = -1, dg = 0;
        for (let t = 0; t < T; t++) {
          const den = L[t]! * r + lambda, x = b[t]! / den;
          g += x * x;
          dg -= (2 * x * x * L[t]!) / den;
        }
        if (!(dg < 0)) break;
        const rn = r - g / dg;
        if (!(rn > r) || rn - r <= 1e-15 * rn) { r = Math.max(r, rn); break; }
        r = rn;
      }
      for (let t = 0; t < T; t++) out[t] = (b[t]! * r) / (L[t]! * r + lambda);
    };
  }
  return pen;
}
