/**
 * Robust multi-task feature learning (Gong, Ye & Zhang, KDD 2012; MALSAR `Least_rMTFL`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ Σ_j ‖p^j‖₂ + λ₂ Σ_t ‖q_t‖₂ — rows of P are shared features, columns of Q
 * outlier tasks.
 *
 * @packageDocumentation
 */
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { ColumnGroupNormPenalty } from '../penalties/columnGroupNorm.js';
import type { DecompositionFit } from './decomposition.js';
import { twoPartModel, type ResolvedTwoPartOptions, type TwoPartOptions } from './twoPart.js';
import { columnNormSum, rowNormSum } from './decompositionNorms.js';

/** Options of {@link robustMtfl}: λ₁ weighs the row norms of P, λ₂ the column norms of Q. */
export type RobustMtflOptions = TwoPartOptions;

/** Resolved options of {@link robustMtfl}. */
export type ResolvedRobustMtflOptions = ResolvedTwoPartOptions;

/** The fit of {@link robustMtfl}. */
export type RobustMtflFit = DecompositionFit<ResolvedRobustMtflOptions>;

/** P: rows (ℓ1/ℓ2), Q: columns (ℓ2 per task); the evaluator's norms Σ_j ‖p^j‖₂ and Σ_t ‖q_t‖₂. */
const MODEL = twoPartModel('robustMtfl', {
  P: (w, _d, T) => new GroupNormPenalty(w, 2, T),
  Q: (w, d, T) => new ColumnGroupNormPenalty(w, d, T),
}, (P, Q) => [rowNormSum(P, 2), columnNormSum(Q)]);

/**
 * Fits robust MTFL by ADMM with exact per-task solves (`solver: 'admm'`, the default for small Grams) or
 * FISTA over (P, Q) (`solver: 'fista'`), both stopping on the duality gap.
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
export const robustMtfl = MODEL.fit;

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
export const robustMtflObjective = MODEL.objective;

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
export const robustMtflLambdaMax = MODEL.lambdaMax;
