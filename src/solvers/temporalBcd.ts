/**
 * The row problems of the models of tasks ordered in time for {@link rowBcd}: the temporal group lasso
 * (exact row solve by {@link TemporalRow}) with its duality gap, and the convex fused group lasso.
 *
 * Gap (Fenchel, as `bcdGap.ts` for the group lasso): with U = α·2s ⊙ R, V = −∇L(W) = X̃ᵀ(2s ⊙ R),
 *   D(α) = α⟨2s ⊙ R, Ỹ⟩ − α² Σ_t s_t‖r_t‖² − Σ_j P*(αv^j),
 * P* the conjugate of the row penalty ({@link TemporalRow.conjugate}); D(α) ≤ F(W*) for every α in
 * P*'s domain, and α = 1, the unconstrained maximiser of the first two terms and the domain's end are
 * tried (α = 1 gives gap 0 at the optimum, where v^j ∈ ∂P(w^j)). When λ₂ = 0 this is the ridge group
 * lasso gap of the FISTA route.
 *
 * @packageDocumentation
 */
import type { RowDualTerms } from './bcdDatafit.js';
import type { RowBcdProblem } from './rowBcd.js';
import { TemporalRow } from './temporalRow.js';
import { FusedRowSolver } from './fusedRowSolve.js';
import { normPenaltyGap } from './certificates.js';
import type { FusedGroupRowPenalty } from '../penalties/fusedGroupRow.js';

/**
 * The temporal group lasso's row problem: P(u) = λ₁‖u‖² + λ₂‖uH‖² + λ₃‖u‖₂ (see the module comment).
 * @param lambda1 - λ₁ ≥ 0
 * @param lambda2 - λ₂ ≥ 0
 * @param lambda3 - λ₃ ≥ 0 (λ₁ > 0 or λ₃ > 0 or λ₂ = 0 for a finite gap)
 * @param d - rows
 * @param T - tasks
 * @returns the problem for {@link rowBcd}
 * @example
 * ```ts
 * rowBcd(createBcdDatafit(loss), temporalGroupRows(0.01, 0.1, 0.05, d, T), W0, { tolAbs, maxIter: 10000 });
 * ```
 * @see {@link TemporalRow}
 */
export function temporalGroupRows(lambda1: number, lambda2: number, lambda3: number, d: number, T: number): RowBcdProblem {
  const row = new TemporalRow(lambda1, lambda2, lambda3, T), gapRow = new TemporalRow(lambda1, lambda2, lambda3, T);
  const nu = new Float64Array(d), work = new Float64Array(T);
  const penalty = (W: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += row.value(W, j * T); // Σ_j P(w^j)
    return s;
  };
  return {
    solveRow: (j, c, L, out) => { nu[j] = row.solveRow(c, L, out, nu[j]!); },
    penalty,
    certificate: (W: Float64Array, V: Float64Array, terms: RowDualTerms) => {
      const objective = terms.value + penalty(W);
      const A = terms.innerY, B = terms.value;
      let amax = Infinity;
      for (let j = 0; j < d; j++) amax = Math.min(amax, gapRow.feasibleScale(V, j * T));
      if (Number.isFinite(amax)) amax *= 1 - 1e-12;
      const free = B > 0 ? A / (2 * B) : 1;
      let dual = -Infinity;
      for (const a0 of [1, free, amax]) {
        const a = Math.max(0, Math.min(a0, amax));
        if (!Number.isFinite(a)) continue;
        // D(α) = αA − α²B − Σ_j P*(α v^j)
        let D = a * A - a * a * B;
        for (let j = 0; j < d && D > dual; j++) D -= gapRow.conjugate(V, j * T, a, work);
        if (D > dual) dual = D;
      }
      return { objective, certificate: Math.max(0, objective - dual) };
    },
  };
}

/**
 * The convex fused group lasso's row problem, P = Ω = λ₁‖u‖₁ + λ₂‖uH‖₁ + λ₃‖u‖₂ ({@link FusedGroupRowPenalty}):
 * the row step is exact — the prox of Ω when the curvatures are equal, else {@link FusedRowSolver} (a
 * dynamic programme inside a secular equation) after the exact zero test prox_Ω(c) = 0. Certificate:
 * the duality gap of the FISTA route ({@link normPenaltyGap}, Ω° by bisection).
 * @param h - the penalty
 * @param d - rows
 * @param T - tasks
 * @returns the problem for {@link rowBcd}
 * @example
 * ```ts
 * rowBcd(createBcdDatafit(loss), fusedGroupRows(new FusedGroupRowPenalty(0.01, 0.05, 0.1, T), d, T), W0, opts);
 * ```
 * @see {@link FusedGroupRowPenalty}
 */
export function fusedGroupRows(h: FusedGroupRowPenalty, d: number, T: number): RowBcdProblem {
  const solver = new FusedRowSolver(h.lambda1, h.lambda2, h.lambda3, T);
  const mu = new Float64Array(d);
  return {
    solveRow: (j, c, L, out) => {
      let lo = Infinity, hi = 0;
      for (let t = 0; t < T; t++) { lo = Math.min(lo, L[t]!); hi = Math.max(hi, L[t]!); }
      if (!(hi > 0)) { out.fill(0); return; } // the row does not enter the loss: 0 minimises Ω
      if (lo === hi) {
        // u = prox_{Ω/L}(c/L), exact
        for (let t = 0; t < T; t++) out[t] = c[t]! / hi;
        h.proxRow(out, 1 / hi, j, out);
        return;
      }
      // u = 0 ⇔ c ∈ ∂Ω(0) ⇔ prox_Ω(c) = 0
      h.proxRow(c, 1, j, out);
      let nz = false;
      for (let t = 0; t < T && !nz; t++) nz = out[t] !== 0;
      if (!nz) { mu[j] = 0; return; }
      mu[j] = solver.solve(c, L, out, mu[j]!);
    },
    penalty: (W) => h.value(W),
    certificate: (W, V, terms) => {
      const g = normPenaltyGap({ value: terms.value, innerY: terms.innerY, quad: terms.value }, V, W, h);
      return { objective: g.primal, certificate: g.gap };
    },
  };
}
