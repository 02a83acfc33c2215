/**
 * Sparse plus low rank (Chen, Liu & Ye, "Learning incoherent sparse and low-rank patterns from multiple
 * tasks", ACM TKDD 5(4), 2012; MALSAR `Least_SparseTrace`), penalised form: W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ ‖P‖₁ + λ₂ ‖Q‖_* — sparse task-specific weights plus a shared low-rank part.
 * (MALSAR constrains ‖Q‖_* ≤ τ instead; for each τ there is a λ₂ with the same solution.)
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { MultiTaskData, TaskInput } from '../data/MultiTaskData.js';
import { TraceNormPenalty } from '../penalties/traceNorm.js';
import { L1Penalty } from '../penalties/l1Penalty.js';
import {
  decompositionObjective, fitTwoPart, l1Norm, nuclearNorm, twoPartLambdaMax,
  type DecompositionFit, type DecompositionParts, type ResolvedTwoPartOptions, type TwoPartOptions,
} from './decomposition.js';

/** Options of {@link sparseLowRank}: λ₁ weighs ‖P‖₁, λ₂ weighs ‖Q‖_*. */
export type SparseLowRankOptions = TwoPartOptions;

/** Resolved options of {@link sparseLowRank}. */
export type ResolvedSparseLowRankOptions = ResolvedTwoPartOptions;

/** The fit of {@link sparseLowRank}. */
export type SparseLowRankFit = DecompositionFit<ResolvedSparseLowRankOptions>;

/** P: elementwise ℓ1, Q: trace norm. */
const PARTS: DecompositionParts = {
  P: (w, _d, T) => new L1Penalty(w, T),
  Q: (w, d, T) => new TraceNormPenalty(w, d, T),
};

/**
 * Fits sparse + low rank by FISTA over (P, Q) (elementwise soft-thresholding for P, singular value
 * thresholding for Q) with the duality gap.
 * @param data - the data
 * @param options - see {@link SparseLowRankOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @throws TypeError / RangeError for bad options (named)
 * @example
 * ```ts
 * const fit = sparseLowRank(data, { lambda1: 0.05, lambda2: 0.2 });
 * ```
 * @see {@link sparseLowRankObjective}; J. Chen, J. Liu & J. Ye, ACM TKDD 5(4), 2012
 */
export function sparseLowRank(data: MultiTaskData | readonly TaskInput[], options: SparseLowRankOptions): SparseLowRankFit {
  return fitTwoPart(data, options, 'sparseLowRank', PARTS);
}

/**
 * The sparse + low-rank objective from the raw data: L(P + Q, b) + λ₁ ‖P‖₁ + λ₂ Σ_i σ_i(Q).
 * @param data - the data
 * @param P - d×T
 * @param Q - d×T
 * @param params - λ₁, λ₂, lossScale
 * @param intercepts - b (default 0)
 * @returns F(P, Q, b)
 * @example
 * ```ts
 * sparseLowRankObjective(data, fit.P, fit.Q, fit.options, fit.intercepts);
 * ```
 * @see {@link sparseLowRank}
 */
export function sparseLowRankObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat, params: { lambda1: number; lambda2: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  return decompositionObjective(data, P, Q, params.lossScale, intercepts,
    (Pm, Qm) => params.lambda1 * l1Norm(Pm) + params.lambda2 * nuclearNorm(Qm));
}

/**
 * λ_max of each block: W = 0 is optimal exactly when λ₁ ≥ max_jt |∇L(0)|_jt and λ₂ ≥ σ_max(∇L(0)).
 * @param data - the data
 * @param params - lossScale, fitIntercept
 * @returns { lambda1, lambda2 }
 * @example
 * ```ts
 * sparseLowRankLambdaMax(data).lambda2; // = traceNormLambdaMax(data)
 * ```
 * @see {@link sparseLowRank}
 */
export function sparseLowRankLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { lossScale?: LossScale; fitIntercept?: boolean } = {},
): { lambda1: number; lambda2: number } {
  return twoPartLambdaMax(data, params, PARTS);
}
