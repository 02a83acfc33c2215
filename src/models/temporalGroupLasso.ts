/**
 * The temporal group lasso (Zhou, Yuan, Liu, Wang & Ye, "A multi-task learning formulation for
 * predicting disease progression", KDD 2011; MALSAR `Least_TGL`) for tasks ordered in time:
 * F(W) = L(W) + λ₁‖W‖²_F + λ₂‖WH‖²_F + λ₃ Σ_j ‖w^j‖₂, H ∈ ℝ^{T×(T−1)} the difference matrix (column t is
 * e_t − e_{t+1}): the same features at every time point, weights that change smoothly.
 * Solver (default `'bcd'`): block coordinate descent over the rows ({@link fitTemporalRows}), each row
 * minimised exactly — the T-dimensional quadratic with every task at its own curvature plus the row norm,
 * a secular equation with tridiagonal solves ({@link TemporalRow}) — certified by the duality gap
 * ({@link temporalGroupRows}; finite unless λ₁ = λ₃ = 0 < λ₂, which takes FISTA). `solver: 'fista'`:
 * {@link fitComposite} with a {@link RidgePenalty} and a {@link GraphSmoothPenalty} on the path graph,
 * certified by the duality gap when λ₂ = 0 and by the fixed-point residual otherwise.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { RidgePenalty } from '../penalties/ridge.js';
import { GraphSmoothPenalty } from '../penalties/graphSmooth.js';
import type { SmoothPenalty } from '../penalties/types.js';
import { fitComposite } from './composite.js';
import { temporalGroupRows } from '../solvers/temporalBcd.js';
import {
  checkTemporalOptions, fitTemporalRows, temporalObjective, temporalSolver, type TemporalCommonOptions, type TemporalFit, type TemporalWeights,
} from './temporal.js';

/** Options of {@link temporalGroupLasso}. */
export interface TemporalGroupLassoOptions extends TemporalCommonOptions {
  /** λ₁ ≥ 0, weight of ‖W‖²_F. @default 0 */
  lambda1?: number;
  /** λ₂ ≥ 0, weight of the temporal smoothness ‖WH‖²_F = Σ_t ‖w_t − w_{t+1}‖². @default 0 */
  lambda2?: number;
}

/** The weights of a {@link temporalGroupLasso} fit. */
export type TemporalGroupLassoParams = TemporalWeights;

/** The fit of {@link temporalGroupLasso}: the weights in its options and in `params`. */
export type TemporalGroupLassoFit = TemporalFit<GroupNormPenalty> & { readonly params: TemporalGroupLassoParams };

/**
 * The T×(T−1) difference matrix H (column t = e_t − e_{t+1}).
 * @param T - tasks (time points)
 * @returns H as a Mat
 * @example
 * ```ts
 * differenceMatrix(3); // [[1, 0], [−1, 1], [0, −1]]
 * ```
 * @see {@link temporalGroupLasso}
 */
export function differenceMatrix(T: number): Mat {
  const k = Math.max(T - 1, 0);
  const data = new Float64Array(T * k);
  for (let t = 0; t < k; t++) {
    data[t * k + t] = 1;
    data[(t + 1) * k + t] = -1;
  }
  return { rows: T, cols: k, data };
}

/**
 * Fits the temporal group lasso by row BCD (default) or FISTA (see the module comment).
 * @param data - the data (tasks in time order)
 * @param options - see {@link TemporalGroupLassoOptions}
 * @returns the fit (W, intercepts, objective, certificate, status)
 * @throws TypeError / RangeError for bad options
 * @example
 * ```ts
 * const fit = temporalGroupLasso(data, { lambda1: 0.01, lambda2: 0.1, lambda3: 0.05 });
 * ```
 * @see {@link temporalGroupLassoObjective}; J. Zhou et al., KDD 2011
 */
export function temporalGroupLasso(data: MultiTaskData | readonly TaskInput[], options: TemporalGroupLassoOptions): TemporalGroupLassoFit {
  const { weights: params, rest: all } = checkTemporalOptions(options, 'temporalGroupLasso');
  const { solver, rest } = temporalSolver(all);
  const D = asData(data);
  const { lambda1: l1, lambda2: l2, lambda3: l3 } = params;
  const penalty = new GroupNormPenalty(l3, 2, D.T);
  if (solver === 'bcd' && (l1 > 0 || l3 > 0 || !(l2 > 0))) {
    const fit = fitTemporalRows(D, rest, penalty, (d, T) => temporalGroupRows(l1, l2, l3, d, T));
    return { ...fit, options: { ...fit.options, ...params }, params };
  }
  const smooth: SmoothPenalty[] = [new RidgePenalty(l1)];
  if (l2 > 0 && D.T > 1) smooth.push(new GraphSmoothPenalty(l2, differenceMatrix(D.T)));
  const fit = fitComposite(D, { ...rest, penalty, smooth });
  return { ...fit, options: { ...fit.options, ...params }, params };
}

/**
 * The temporal group lasso objective from the raw data.
 * @param data - the data
 * @param W - d×T
 * @param params - λ₁ (default 0), λ₂, λ₃, lossScale
 * @param intercepts - b (default 0)
 * @returns L(W, b) + λ₁‖W‖²_F + λ₂ Σ_t ‖w_t − w_{t+1}‖² + λ₃ Σ_j ‖w^j‖₂
 * @example
 * ```ts
 * temporalGroupLassoObjective(data, fit.W, fit.params, fit.intercepts);
 * ```
 * @see {@link temporalGroupLasso}
 */
export function temporalGroupLassoObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat,
  params: { lambda1?: number; lambda2?: number; lambda3: number; lossScale?: LossScale }, intercepts?: Float64Array | readonly number[],
): number {
  return temporalObjective(data, W, params.lossScale, intercepts,
    (s) => (params.lambda1 ?? 0) * s.squares + (params.lambda2 ?? 0) * s.squaredDiffs + params.lambda3 * s.rowNorms);
}
