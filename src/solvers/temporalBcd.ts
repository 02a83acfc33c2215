/**
 * The row problems of the models of tasks ordered in time for {@link rowBcd}: the temporal group lasso
 * (exact row solve by {@link TemporalRow}) with its duality gap.
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
