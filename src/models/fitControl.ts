/**
 * The options that most models share besides their weights: the loss scaling, the intercepts, the
 * stopping rule, the start and the progress callback. A model's options interface extends
 * {@link FitControlOptions} and re-declares an option only to say what it means for that model (its
 * certificate, its iteration).
 *
 * @packageDocumentation
 */
import type { LossScale, MatLike, ProgressCallback } from '../types.js';

/**
 * The loss, stopping and start options shared by the model families (row penalties, temporal models).
 * @example
 * ```ts
 * interface MyModelOptions extends FitControlOptions { lambda: number }
 * ```
 * @see {@link RowPenaltyCommonOptions}, {@link TemporalCommonOptions}
 */
export interface FitControlOptions {
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Unpenalised per-task intercepts (profiled out). @default true */
  fitIntercept?: boolean;
  /** Relative tolerance of the model's certificate. @default 1e-6 */
  tol?: number;
  /** Iteration budget. @default 10000 */
  maxIter?: number;
  /** Starting W (d×T). @default null */
  warmStart?: MatLike | null;
  /** Called at every certificate check (iteration, maxIter, objective, certificate, tol). @default undefined */
  onProgress?: ProgressCallback;
}
