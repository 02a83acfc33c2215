/**
 * The Lipschitz constant of the squared loss's gradient (see `quadratic.ts`): by power iteration on
 * each design, or by the Lanczos process on each Gram matrix (for sufficient statistics, and for the
 * solvers that hold a Gram matrix, {@link gramLipschitz}).
 *
 * ∇L(W) = −Xᵀ(2 s ⊙ (Y − X W)) changes by 2 s_t X̃_tᵀX̃_t Δw_t in task t, so
 * L = max_t 2 s_t σ_max(X̃_t)², and with one shared design L = 2 max_t s_t σ_max(X̃)².
 *
 * @packageDocumentation
 */
import { psdLambdaMax } from '../linalg/lanczos.js';
import type { QuadraticLoss } from './quadratic.js';
import type { TaskNormalEquations } from './normalEquations.js';

/**
 * An estimate of max_t 2 s_t σ_max(X̃_t)² (from a design, the power iteration's estimate from below;
 * from Gram matrices, {@link gramLipschitz}'s Ritz value, also from below; callers add a margin and backtrack).
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
    L = gramLipschitz(d, scales, ne);
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

/**
 * max_t 2 s_t λ_max(G̃_t) from the tasks' Gram matrices G̃_t = X̃_tᵀX̃_t (one shared G̃: 2 max_t s_t · λ_max(G̃)),
 * each λ_max by the Lanczos process on the d×d matrix ({@link psdLambdaMax}, to about 1e-9 relative, from below).
 * @param d - features
 * @param scales - the task scales s_t (length T)
 * @param ne - the normal equations (their Gram matrices)
 * @returns the Lipschitz constant of ∇L
 * @example
 * ```ts
 * const L = gramLipschitz(loss.d, loss.scales, loss.normalEquations!);
 * ```
 * @see {@link squaredLossLipschitz}
 */
export function gramLipschitz(d: number, scales: Float64Array, ne: Pick<TaskNormalEquations, 'sharedGram' | 'gram'>): number {
  const T = scales.length;
  let L = 0;
  if (ne.sharedGram) {
    let smax = 0;
    for (let t = 0; t < T; t++) smax = Math.max(smax, scales[t]!);
    return 2 * smax * psdLambdaMax(d, ne.gram(0)); // 2 max_t s_t · λ_max(G̃)
  }
  for (let t = 0; t < T; t++) L = Math.max(L, 2 * scales[t]! * psdLambdaMax(d, ne.gram(t))); // max_t 2 s_t λ_max(G̃_t)
  return L;
}
