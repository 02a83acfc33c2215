/**
 * Robust multi-task learning (Chen, Zhou & Ye, "Integrating low-rank and group-sparse structures for
 * robust multi-task learning", KDD 2011; MALSAR `Least_RMTL`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ ‖P‖_* + λ₂ Σ_t ‖q_t‖₂ — a low-rank shared part plus outlier tasks.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { multiTaskLoss } from '../datafits/lossValue.js';
import { TraceNormPenalty } from '../penalties/traceNorm.js';
import { ColumnGroupNormPenalty } from '../penalties/columnGroupNorm.js';
import { thinSvd } from '../linalg/svd.js';
import {
  checkDecompositionOptions, decompositionLambdaMax, fitDecomposition,
  type DecompositionCommonOptions, type DecompositionFit, type ResolvedDecompositionCommon,
} from './decomposition.js';
import { checkMat } from '../util/checks.js';

/** Options of {@link robustMtl}. */
export interface RobustMtlOptions extends DecompositionCommonOptions {
  /** λ₁ ≥ 0, weight of ‖P‖_*. */
  lambda1: number;
  /** λ₂ ≥ 0, weight of the column norms of Q. */
  lambda2: number;
}

/** Resolved options of {@link robustMtl}. */
export interface ResolvedRobustMtlOptions extends ResolvedDecompositionCommon {
  readonly lambda1: number;
  readonly lambda2: number;
}

/** The fit of {@link robustMtl}. */
export type RobustMtlFit = DecompositionFit<ResolvedRobustMtlOptions>;

/**
 * Fits robust MTL by FISTA over (P, Q) (singular value thresholding for P, column block
 * soft-thresholding for Q) with the duality gap.
 * @param data - the data
 * @param options - see {@link RobustMtlOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @example
 * ```ts
 * const fit = robustMtl(data, { lambda1: 0.2, lambda2: 0.3 });
 * ```
 * @see {@link robustMtlObjective}; J. Chen, J. Zhou & J. Ye, KDD 2011
 */
export function robustMtl(data: MultiTaskData | readonly TaskInput[], options: RobustMtlOptions): RobustMtlFit {
  const D = asData(data);
  const { weights: [l1, l2], common, raw } = checkDecompositionOptions(options, 'robustMtl', ['lambda1', 'lambda2']);
  const opts: ResolvedRobustMtlOptions = { ...common, lambda1: l1!, lambda2: l2! };
  return fitDecomposition(D, new TraceNormPenalty(l1!, D.d, D.T), new ColumnGroupNormPenalty(l2!, D.d, D.T), common, opts, raw);
}

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
export function robustMtlObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat, params: { lambda1: number; lambda2: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  const label = `d×T = ${d}×${T}`;
  const Pm = checkMat(P, 'P', { rows: d, cols: T, label }), q = checkMat(Q, 'Q', { rows: d, cols: T, label }).data;
  const W = Pm.data.map((x, i) => x + q[i]!);
  let nuc = 0;
  for (const s of thinSvd(Pm).s) nuc += s;
  let cols = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += q[j * T + t]! ** 2;
    cols += Math.sqrt(s);
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: W }, intercepts, params.lossScale ?? 'mean') + params.lambda1 * nuc + params.lambda2 * cols;
}

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
export function robustMtlLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { lossScale?: LossScale; fitIntercept?: boolean } = {},
): { lambda1: number; lambda2: number } {
  const D = asData(data);
  const [a, b] = decompositionLambdaMax(D, new TraceNormPenalty(1, D.d, D.T), new ColumnGroupNormPenalty(1, D.d, D.T),
    params.lossScale ?? 'mean', params.fitIntercept ?? true);
  return { lambda1: a, lambda2: b };
}
