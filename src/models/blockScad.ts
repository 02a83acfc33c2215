/**
 * Multi-task regression with the block SCAD penalty on the rows of W (Fan & Li, JASA 96, 2001; grouped:
 * Breheny & Huang, Stat. Comput. 25, 2015; skglm `BlockSCAD`):
 *
 *   F(W, b) = L(W, b) + Σ_j p_SCAD(‖w^j‖₂),  p(r) = λr (r ≤ λ), (2aλr − r² − λ²)/(2(a − 1)) (λ < r ≤ aλ),
 *   (a + 1)λ²/2 (r > aλ).
 *
 * Non-convex: BCD from W = 0 finds a stationary point (`local: true`), certified by
 * max_j dist(−∇_j L, ∂p(w^j)).
 *
 * @packageDocumentation
 */
import type { Mat, LossScale } from '../types.js';
import type { MultiTaskData, TaskInput } from '../data/MultiTaskData.js';
import { BlockScadPenalty } from '../penalties/blockScad.js';
import {
  fitRadialModel, radialModelObjective, type ResolvedRowPenaltyCommonOptions, type RowPenaltyCommonOptions, type RowPenaltyFit,
  type ShapeParameter,
} from './rowPenaltyFit.js';

/** Options of {@link blockScad}. */
export interface BlockScadOptions extends RowPenaltyCommonOptions {
  /** a > 2 (Fan & Li's 3.7; the penalty is flat beyond ‖w^j‖ = aλ; ∞ = the group lasso). @default 3.7 */
  a?: number;
}

/** {@link BlockScadOptions} with the defaults filled in. */
export type ResolvedBlockScadOptions = ResolvedRowPenaltyCommonOptions & { a: number };

/** The fit of {@link blockScad}. */
export type BlockScadFit = RowPenaltyFit<ResolvedBlockScadOptions>;

const SHAPE: ShapeParameter = { key: 'a', dflt: 3.7, range: { min: 2, minExclusive: true, allowInfinity: true } };
const make = (lambda: number, a: number, T: number): BlockScadPenalty => new BlockScadPenalty(lambda, a, T);

/**
 * Fits multi-task regression with the block SCAD by block coordinate descent (exact row prox, step
 * 1/L_j; strictly convex row subproblems when (a − 1)L_j > 1, solved exactly in every case).
 * @param data - the data
 * @param options - see {@link BlockScadOptions}
 * @returns the fit: W, intercepts, objective, the stationarity certificate, `status`, `local: true`
 * @throws TypeError / RangeError for bad options (`lambda` ≤ 0, `a` ≤ 2, unknown keys)
 * @example
 * ```ts
 * const fit = blockScad(data, { lambda: 0.2 * groupLassoLambdaMax(data, { q: 2 }) });
 * fit.status; fit.local; // true
 * ```
 * @see {@link blockScadObjective}, {@link blockMcp}
 */
export function blockScad(data: MultiTaskData | readonly TaskInput[], options: BlockScadOptions): BlockScadFit {
  return fitRadialModel<ResolvedBlockScadOptions>('blockScad', data, options, SHAPE, make);
}

/**
 * The block SCAD objective from the raw data.
 * @param data - the data
 * @param W - d×T
 * @param params - λ, a (default 3.7), lossScale (default 'mean')
 * @param intercepts - b (default 0)
 * @returns L(W, b) + Σ_j p_SCAD(‖w^j‖₂)
 * @example
 * ```ts
 * blockScadObjective(data, fit.W, fit.options, fit.intercepts) === fit.objective; // true
 * ```
 * @see {@link blockScad}
 */
export function blockScadObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: { lambda: number; a?: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  return radialModelObjective(data, W, params, SHAPE, make, intercepts);
}
