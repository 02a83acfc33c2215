/**
 * The Lipschitz constant of the squared loss's gradient (see `quadratic.ts`), by power iteration on
 * each design (or Gram matrix, for sufficient statistics).
 *
 * ∇L(W) = −Xᵀ(2 s ⊙ (Y − X W)) changes by 2 s_t X̃_tᵀX̃_t Δw_t in task t, so
 * L = max_t 2 s_t σ_max(X̃_t)², and with one shared design L = 2 max_t s_t σ_max(X̃)².
 *
 * @packageDocumentation
 */
import { spectralNormSquared } from '../linalg/blas.js';
import type { QuadraticLoss } from './quadratic.js';

/**
 * An estimate of max_t 2 s_t σ_max(X̃_t)² (the power iteration's estimate from below; callers add a
 * margin and backtrack).
 * @param loss - the squared loss (its scales and designs, or its normal equations)
 * @returns the estimate
 * @example
 * ```ts
 * const L = squaredLossLipschitz(loss) * 1.01;
 * ```
 * @see {@link QuadraticLoss.lipschitz}
 */
export function squaredLossLipschitz(loss: QuadraticLoss): number {
  const { d, T, scales } = loss;
  let L = 0;
  const ne = loss.normalEquations;
  if (ne !== null) {
    // λ_max(G̃_t) = σ_max(G̃_t) for the PSD Gram matrix: √(σ_max(G̃)²)
    for (let t = 0; t < (ne.sharedGram ? 1 : T); t++) {
      let smax = scales[t]!;
      if (ne.sharedGram) for (let u = 0; u < T; u++) smax = Math.max(smax, scales[u]!);
      L = Math.max(L, 2 * smax * Math.sqrt(spectralNormSquared(d, d, ne.gram(t))));
    }
  } else if (loss.design === null) {
    // max_t 2 s_t σ_max(X̃_t)²
    for (let t = 0; t < T; t++) L = Math.max(L, 2 * scales[t]! * loss.taskDesigns[t]!.spectralNormSquared());
  } else {
    // 2 max_t s_t · σ_max(X̃)²
    let smax = 0;
    for (let t = 0; t < T; t++) smax = Math.max(smax, scales[t]!);
    L = 2 * smax * loss.design.spectralNormSquared();
  }
  return L;
}
