/**
 * Robust multi-task feature learning (Gong, Ye & Zhang, KDD 2012; MALSAR `Least_rMTFL`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ Σ_j ‖p^j‖₂ + λ₂ Σ_t ‖q_t‖₂ — rows of P are shared features, columns of Q
 * outlier tasks.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { MultiTaskData, TaskInput } from '../data/MultiTaskData.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { ColumnGroupNormPenalty } from '../penalties/columnGroupNorm.js';
import {
  columnNormSum, decompositionObjective, fitTwoPart, twoPartLambdaMax,
  type DecompositionFit, type DecompositionParts, type ResolvedTwoPartOptions, type TwoPartOptions,
} from './decomposition.js';

/** Options of {@link robustMtfl}: λ₁ weighs the row norms of P, λ₂ the column norms of Q. */
export type RobustMtflOptions = TwoPartOptions;

/** Resolved options of {@link robustMtfl}. */
export type ResolvedRobustMtflOptions = ResolvedTwoPartOptions;

/** The fit of {@link robustMtfl}. */
export type RobustMtflFit = DecompositionFit<ResolvedRobustMtflOptions>;

/** P: rows (ℓ1/ℓ2), Q: columns (ℓ2 per task). */
const PARTS: DecompositionParts = {
  P: (w, _d, T) => new GroupNormPenalty(w, 2, T),
  Q: (w, d, T) => new ColumnGroupNormPenalty(w, d, T),
};

/**
 * Fits robust MTFL by FISTA over (P, Q) with the duality gap.
 * @param data - the data
 * @param options - see {@link RobustMtflOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @throws TypeError / RangeError for bad options (named)
 * @example
 * ```ts
 * const fit = robustMtfl(data, { lambda1: 0.1, lambda2: 0.3 });
 * ```
 * @see {@link robustMtflObjective}; P. Gong, J. Ye & C. Zhang, KDD 2012
 */
export function robustMtfl(data: MultiTaskData | readonly TaskInput[], options: RobustMtflOptions): RobustMtflFit {
  return fitTwoPart(data, options, 'robustMtfl', PARTS);
}

/**
 * Robust MTFL's objective from the raw data: L(P + Q, b) + λ₁ Σ_j ‖p^j‖₂ + λ₂ Σ_t ‖q_t‖₂.
 * @param data - the data
 * @param P - d×T
 * @param Q - d×T
 * @param params - λ₁, λ₂, lossScale
 * @param intercepts - b (default 0)
 * @returns F(P, Q, b)
 * @example
 * ```ts
 * robustMtflObjective(data, fit.P, fit.Q, fit.options, fit.intercepts);
 * ```
 * @see {@link robustMtfl}
 */
export function robustMtflObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat, params: { lambda1: number; lambda2: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  return decompositionObjective(data, P, Q, params.lossScale, intercepts, (Pm, Qm) => {
    let rows = 0;
    for (let j = 0; j < Pm.rows; j++) rows += Math.hypot(...Pm.data.subarray(j * Pm.cols, (j + 1) * Pm.cols)); // ‖p^j‖₂
    return params.lambda1 * rows + params.lambda2 * columnNormSum(Qm);
  });
}

/**
 * λ_max of each block: W = 0 is optimal exactly when λ₁ ≥ max_j ‖∇_j L(0)‖₂ and λ₂ ≥ max_t ‖∇_t L(0)‖₂.
 * @param data - the data
 * @param params - lossScale, fitIntercept
 * @returns { lambda1, lambda2 }
 * @example
 * ```ts
 * robustMtflLambdaMax(data).lambda1;
 * ```
 * @see {@link robustMtfl}
 */
export function robustMtflLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { lossScale?: LossScale; fitIntercept?: boolean } = {},
): { lambda1: number; lambda2: number } {
  return twoPartLambdaMax(data, params, PARTS);
}
