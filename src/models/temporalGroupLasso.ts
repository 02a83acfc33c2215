/**
 * The temporal group lasso (Zhou, Yuan, Liu, Wang & Ye, "A multi-task learning formulation for
 * predicting disease progression", KDD 2011; MALSAR `Least_TGL`) for tasks ordered in time:
 * F(W) = L(W) + λ₁‖W‖²_F + λ₂‖WH‖²_F + λ₃ Σ_j ‖w^j‖₂, H ∈ ℝ^{T×(T−1)} the difference matrix (column t is
 * e_t − e_{t+1}): the same features at every time point, weights that change smoothly.
 * Built on {@link fitComposite}: the smooth terms are a {@link RidgePenalty} and a {@link GraphSmoothPenalty}
 * on the path graph; the certificate is the duality gap when λ₂ = 0 and the fixed-point residual otherwise.
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
import { checkTemporalOptions, temporalObjective, type TemporalCommonOptions, type TemporalFit, type TemporalWeights } from './temporal.js';

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
 * Fits the temporal group lasso by FISTA.
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
  const { weights: params, rest } = checkTemporalOptions(options, 'temporalGroupLasso');
  const D = asData(data);
  const smooth: SmoothPenalty[] = [new RidgePenalty(params.lambda1)];
  if (params.lambda2 > 0 && D.T > 1) smooth.push(new GraphSmoothPenalty(params.lambda2, differenceMatrix(D.T)));
  const fit = fitComposite(D, { ...rest, penalty: new GroupNormPenalty(params.lambda3, 2, D.T), smooth });
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
