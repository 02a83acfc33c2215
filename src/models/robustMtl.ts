/**
 * Robust multi-task learning (Chen, Zhou & Ye, "Integrating low-rank and group-sparse structures for
 * robust multi-task learning", KDD 2011; MALSAR `Least_RMTL`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ ‖P‖_* + λ₂ Σ_t ‖q_t‖₂ — a low-rank shared part plus outlier tasks.
 *
 * @packageDocumentation
 */
import { TraceNormPenalty } from '../penalties/traceNorm.js';
import { ColumnGroupNormPenalty } from '../penalties/columnGroupNorm.js';
import { nuclearNorm } from '../solvers/spectralTools.js';
import type { DecompositionFit } from './decomposition.js';
import { twoPartModel, type ResolvedTwoPartOptions, type TwoPartOptions } from './twoPart.js';
import { columnNormSum } from './decompositionNorms.js';

/** Options of {@link robustMtl}: λ₁ weighs ‖P‖_*, λ₂ the column norms of Q. */
export type RobustMtlOptions = TwoPartOptions;

/** Resolved options of {@link robustMtl}. */
export type ResolvedRobustMtlOptions = ResolvedTwoPartOptions;

/** The fit of {@link robustMtl}. */
export type RobustMtlFit = DecompositionFit<ResolvedRobustMtlOptions>;

/** P: trace norm, Q: columns (ℓ2 per task); the evaluator's norms Σ_i σ_i(P) and Σ_t ‖q_t‖₂. */
const MODEL = twoPartModel('robustMtl', {
  P: (w, d, T) => new TraceNormPenalty(w, d, T),
  Q: (w, d, T) => new ColumnGroupNormPenalty(w, d, T),
}, (P, Q) => [nuclearNorm(P), columnNormSum(Q)]);

/**
 * Fits robust MTL by ADMM with exact per-task solves (`solver: 'admm'`, the default for small Grams) or
 * FISTA over (P, Q) (`solver: 'fista'`) — singular value thresholding for P, column block
 * soft-thresholding for Q — both stopping on the duality gap.
 * @param data - the data
 * @param options - see {@link RobustMtlOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @throws TypeError / RangeError for bad options (named)
 * @example
 * ```ts
 * const fit = robustMtl(data, { lambda1: 0.2, lambda2: 0.3 });
 * ```
 * @see {@link robustMtlObjective}; J. Chen, J. Zhou & J. Ye, KDD 2011
 */
export const robustMtl = MODEL.fit;

/**
 * Robust MTL's objective from the raw data: L(P + Q, b) + λ₁ Σ_i σ_i(P) + λ₂ Σ_t ‖q_t‖₂.
 * @param data - the data
 * @param P - d×T
 * @param Q - d×T
 * @param params - λ₁, λ₂, lossScale
 * @param intercepts - b (default 0)
 * @returns F(P, Q, b)
 * @example
 * ```ts
 * robustMtlObjective(data, fit.P, fit.Q, fit.options, fit.intercepts);
 * ```
 * @see {@link robustMtl}
 */
export const robustMtlObjective = MODEL.objective;

/**
 * λ_max of each block: W = 0 is optimal exactly when λ₁ ≥ σ_max(∇L(0)) and λ₂ ≥ max_t ‖∇_t L(0)‖₂.
 * @param data - the data
 * @param params - lossScale, fitIntercept
 * @returns { lambda1, lambda2 }
 * @example
 * ```ts
 * robustMtlLambdaMax(data).lambda1; // = traceNormLambdaMax(data)
 * ```
 * @see {@link robustMtl}
 */
export const robustMtlLambdaMax = MODEL.lambdaMax;
