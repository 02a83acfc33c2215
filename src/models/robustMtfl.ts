/**
 * Robust multi-task feature learning (Gong, Ye & Zhang, KDD 2012; MALSAR `Least_rMTFL`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ Σ_j ‖p^j‖₂ + λ₂ Σ_t ‖q_t‖₂ — rows of P are shared features, columns of Q
 * outlier tasks.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { multiTaskLoss } from '../datafits/lossValue.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { ColumnGroupNormPenalty } from '../penalties/columnGroupNorm.js';
import {
  checkDecompositionOptions, decompositionLambdaMax, fitDecomposition,
  type DecompositionCommonOptions, type DecompositionFit, type ResolvedDecompositionCommon,
} from './decomposition.js';
import { checkMat } from '../util/checks.js';

/** Options of {@link robustMtfl}. */
export interface RobustMtflOptions extends DecompositionCommonOptions {
  /** λ₁ ≥ 0, weight of the row norms of P. */
  lambda1: number;
  /** λ₂ ≥ 0, weight of the column norms of Q. */
  lambda2: number;
}

/** Resolved options of {@link robustMtfl}. */
export interface ResolvedRobustMtflOptions extends ResolvedDecompositionCommon {
  readonly lambda1: number;
  readonly lambda2: number;
}

/** The fit of {@link robustMtfl}. */
export type RobustMtflFit = DecompositionFit<ResolvedRobustMtflOptions>;

/**
 * Fits robust MTFL by FISTA over (P, Q) with the duality gap.
 * @param data - the data
 * @param options - see {@link RobustMtflOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @example
 * ```ts
 * const fit = robustMtfl(data, { lambda1: 0.1, lambda2: 0.3 });
 * ```
 * @see {@link robustMtflObjective}; P. Gong, J. Ye & C. Zhang, KDD 2012
 */
export function robustMtfl(data: MultiTaskData | readonly TaskInput[], options: RobustMtflOptions): RobustMtflFit {
  const D = asData(data);
  const { weights: [l1, l2], common, raw } = checkDecompositionOptions(options, 'robustMtfl', ['lambda1', 'lambda2']);
  const opts: ResolvedRobustMtflOptions = { ...common, lambda1: l1!, lambda2: l2! };
  return fitDecomposition(D, new GroupNormPenalty(l1!, 2, D.T), new ColumnGroupNormPenalty(l2!, D.d, D.T), common, opts, raw);
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
  const D = asData(data);
  const { d, T } = D;
  const label = `d×T = ${d}×${T}`;
  const p = checkMat(P, 'P', { rows: d, cols: T, label }).data, q = checkMat(Q, 'Q', { rows: d, cols: T, label }).data;
  const W = p.map((x, i) => x + q[i]!);
  let rows = 0, cols = 0;
  for (let j = 0; j < d; j++) rows += Math.hypot(...p.subarray(j * T, (j + 1) * T));
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += q[j * T + t]! ** 2;
    cols += Math.sqrt(s);
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: W }, intercepts, params.lossScale ?? 'mean') + params.lambda1 * rows + params.lambda2 * cols;
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
  const D = asData(data);
  const [a, b] = decompositionLambdaMax(D, new GroupNormPenalty(1, 2, D.T), new ColumnGroupNormPenalty(1, D.d, D.T),
    params.lossScale ?? 'mean', params.fitIntercept ?? true);
  return { lambda1: a, lambda2: b };
}
