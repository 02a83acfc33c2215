/**
 * Multi-task regression with the block minimax concave penalty on the rows of W (Breheny & Huang,
 * "Group descent algorithms for nonconvex penalized linear and logistic regression models with grouped
 * predictors", Stat. Comput. 25, 2015; skglm `BlockMCPenalty`):
 *
 *   F(W, b) = L(W, b) + Σ_j p_MCP(‖w^j‖₂),  p(r) = λr − r²/(2γ) (r ≤ γλ), γλ²/2 (r > γλ).
 *
 * Joint feature selection like the L1/L2 group lasso, with less shrinkage of large rows. Non-convex:
 * BCD from W = 0 finds a stationary point (`local: true`), certified by max_j dist(−∇_j L, ∂p(w^j)).
 *
 * @packageDocumentation
 */
import type { Mat, LossScale } from '../types.js';
import type { MultiTaskData, TaskInput } from '../data/MultiTaskData.js';
import { BlockMcpPenalty } from '../penalties/blockMcp.js';
import {
  fitRadialModel, radialModelObjective, type ResolvedRowPenaltyCommonOptions, type RowPenaltyCommonOptions, type RowPenaltyFit,
  type ShapeParameter,
} from './rowPenaltyFit.js';

/** Options of {@link blockMcp}. */
export interface BlockMcpOptions extends RowPenaltyCommonOptions {
  /** γ > 1, the concavity (the penalty is flat beyond ‖w^j‖ = γλ; ∞ = the group lasso). @default 3 */
  gamma?: number;
}

/** {@link BlockMcpOptions} with the defaults filled in. */
export type ResolvedBlockMcpOptions = ResolvedRowPenaltyCommonOptions & { gamma: number };

/** The fit of {@link blockMcp}. */
export type BlockMcpFit = RowPenaltyFit<ResolvedBlockMcpOptions>;

const SHAPE: ShapeParameter = { key: 'gamma', dflt: 3, range: { min: 1, minExclusive: true, allowInfinity: true } };
const make = (lambda: number, gamma: number, T: number): BlockMcpPenalty => new BlockMcpPenalty(lambda, gamma, T);

/**
 * Fits multi-task regression with the block MCP by block coordinate descent (exact row prox, step
 * 1/L_j; the row subproblem is strictly convex when γL_j > 1 and still solved exactly otherwise).
 * @param data - the data
 * @param options - see {@link BlockMcpOptions}
 * @returns the fit: W, intercepts, objective, the stationarity certificate, `status`, `local: true`
 * @throws TypeError / RangeError for bad options (`lambda` ≤ 0, `gamma` ≤ 1, unknown keys)
 * @example
 * ```ts
 * const fit = blockMcp(data, { lambda: 0.2 * groupLassoLambdaMax(data, { q: 2 }), gamma: 3 });
 * fit.nonzeroRows; fit.certificate; fit.local; // true
 * ```
 * @see {@link blockMcpObjective}, {@link blockScad}
 */
export function blockMcp(data: MultiTaskData | readonly TaskInput[], options: BlockMcpOptions): BlockMcpFit {
  return fitRadialModel<ResolvedBlockMcpOptions>('blockMcp', data, options, SHAPE, make);
}

/**
 * The block MCP objective from the raw data.
 * @param data - the data
 * @param W - d×T
 * @param params - λ, γ (default 3), lossScale (default 'mean')
 * @param intercepts - b (default 0)
 * @returns L(W, b) + Σ_j p_MCP(‖w^j‖₂)
 * @example
 * ```ts
 * blockMcpObjective(data, fit.W, fit.options, fit.intercepts) === fit.objective; // true
 * ```
 * @see {@link blockMcp}
 */
export function blockMcpObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: { lambda: number; gamma?: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  return radialModelObjective(data, W, params, SHAPE, make, intercepts);
}
