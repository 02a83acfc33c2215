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
import type { LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { multiTaskLoss } from '../datafits/lossValue.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { RidgePenalty } from '../penalties/ridge.js';
import { GraphSmoothPenalty } from '../penalties/graphSmooth.js';
import type { SmoothPenalty } from '../penalties/types.js';
import { fitComposite, type CompositeFit, type ResolvedCompositeOptions } from './composite.js';
import { checkMat, checkNumber, checkOptionKeys, checkOptionsObject } from '../util/checks.js';

/** Options of {@link temporalGroupLasso}. */
export interface TemporalGroupLassoOptions {
  /** λ₁ ≥ 0, weight of ‖W‖²_F. @default 0 */
  lambda1?: number;
  /** λ₂ ≥ 0, weight of the temporal smoothness ‖WH‖²_F = Σ_t ‖w_t − w_{t+1}‖². @default 0 */
  lambda2?: number;
  /** λ₃ ≥ 0, weight of the row norms Σ_j ‖w^j‖₂. */
  lambda3: number;
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Unpenalised intercepts. @default true */
  fitIntercept?: boolean;
  /** Relative tolerance (gap ≤ tol·F(0) when λ₂ = 0, else fixed-point residual ≤ tol·‖∇L(0)‖). @default 1e-6 */
  tol?: number;
  /** Iteration budget. @default 10000 */
  maxIter?: number;
  /** Starting W (d×T). @default null */
  warmStart?: MatLike | null;
  /** Progress callback. @default undefined */
  onProgress?: ProgressCallback;
}

/** The weights of a {@link temporalGroupLasso} fit. */
export interface TemporalGroupLassoParams { readonly lambda1: number; readonly lambda2: number; readonly lambda3: number }

/** The fit of {@link temporalGroupLasso}: the composite fit, its options with the weights λ₁, λ₂, λ₃ added. */
export type TemporalGroupLassoFit = Omit<CompositeFit<GroupNormPenalty>, 'options'> & {
  readonly options: ResolvedCompositeOptions & TemporalGroupLassoParams;
  readonly params: TemporalGroupLassoParams;
};

const KEYS = ['lambda1', 'lambda2', 'lambda3', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'onProgress'];

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
  const o = checkOptionsObject(options, 'temporalGroupLasso options', ['lambda3']);
  checkOptionKeys(o, KEYS, 'temporalGroupLasso options');
  const D = asData(data);
  const l1 = o.lambda1 === undefined ? 0 : checkNumber(o.lambda1, 'lambda1', { min: 0 });
  const l2 = o.lambda2 === undefined ? 0 : checkNumber(o.lambda2, 'lambda2', { min: 0 });
  const l3 = checkNumber(o.lambda3, 'lambda3', { min: 0 });
  const smooth: SmoothPenalty[] = [new RidgePenalty(l1)];
  if (l2 > 0 && D.T > 1) smooth.push(new GraphSmoothPenalty(l2, differenceMatrix(D.T)));
  const { lambda1: _a, lambda2: _b, lambda3: _c, ...rest } = o;
  const fit = fitComposite(D, { ...rest, penalty: new GroupNormPenalty(l3, 2, D.T), smooth });
  const params = { lambda1: l1, lambda2: l2, lambda3: l3 };
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
  const D = asData(data);
  const { d, T } = D;
  const w = checkMat(W, 'W', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  let fro = 0, diff = 0, rows = 0;
  for (let j = 0; j < d; j++) {
    let r = 0;
    for (let t = 0; t < T; t++) {
      const v = w[j * T + t]!;
      fro += v * v;
      r += v * v;
      if (t + 1 < T) diff += (v - w[j * T + t + 1]!) ** 2;
    }
    rows += Math.sqrt(r);
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: w }, intercepts, params.lossScale ?? 'mean')
    + (params.lambda1 ?? 0) * fro + (params.lambda2 ?? 0) * diff + params.lambda3 * rows;
}
