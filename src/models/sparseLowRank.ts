/**
 * Sparse plus low rank (Chen, Liu & Ye, "Learning incoherent sparse and low-rank patterns from multiple
 * tasks", ACM TKDD 5(4), 2012; MALSAR `Least_SparseTrace`), penalised form: W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ ‖P‖₁ + λ₂ ‖Q‖_* — sparse task-specific weights plus a shared low-rank part.
 * (MALSAR constrains ‖Q‖_* ≤ τ instead; for each τ there is a λ₂ with the same solution.)
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { multiTaskLoss } from '../datafits/lossValue.js';
import { TraceNormPenalty } from '../penalties/traceNorm.js';
import { L1Penalty } from '../penalties/l1Penalty.js';
import { thinSvd } from '../linalg/svd.js';
import {
  checkDecompositionOptions, decompositionLambdaMax, fitDecomposition,
  type DecompositionCommonOptions, type DecompositionFit, type ResolvedDecompositionCommon,
} from './decomposition.js';
import { checkMat } from '../util/checks.js';

/** Options of {@link sparseLowRank}. */
export interface SparseLowRankOptions extends DecompositionCommonOptions {
  /** λ₁ ≥ 0, weight of ‖P‖₁. */
  lambda1: number;
  /** λ₂ ≥ 0, weight of ‖Q‖_*. */
  lambda2: number;
}

/** Resolved options of {@link sparseLowRank}. */
export interface ResolvedSparseLowRankOptions extends ResolvedDecompositionCommon {
  readonly lambda1: number;
  readonly lambda2: number;
}

/** The fit of {@link sparseLowRank}. */
export type SparseLowRankFit = DecompositionFit<ResolvedSparseLowRankOptions>;

/**
 * Fits sparse + low rank by FISTA over (P, Q) (elementwise soft-thresholding for P, singular value
 * thresholding for Q) with the duality gap.
 * @param data - the data
 * @param options - see {@link SparseLowRankOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @example
 * ```ts
 * const fit = sparseLowRank(data, { lambda1: 0.05, lambda2: 0.2 });
 * ```
 * @see {@link sparseLowRankObjective}; J. Chen, J. Liu & J. Ye, ACM TKDD 5(4), 2012
 */
export function sparseLowRank(data: MultiTaskData | readonly TaskInput[], options: SparseLowRankOptions): SparseLowRankFit {
  const D = asData(data);
  const { weights: [l1, l2], common, raw } = checkDecompositionOptions(options, 'sparseLowRank', ['lambda1', 'lambda2']);
  const opts: ResolvedSparseLowRankOptions = { ...common, lambda1: l1!, lambda2: l2! };
  return fitDecomposition(D, new L1Penalty(l1!, D.T), new TraceNormPenalty(l2!, D.d, D.T), common, opts, raw);
}

/**
 * The sparse + low-rank objective from the raw data: L(P + Q, b) + λ₁ ‖P‖₁ + λ₂ Σ_i σ_i(Q).
 * @param data - the data
 * @param P - d×T
 * @param Q - d×T
 * @param params - λ₁, λ₂, lossScale
 * @param intercepts - b (default 0)
 * @returns F(P, Q, b)
 * @example
 * ```ts
 * sparseLowRankObjective(data, fit.P, fit.Q, fit.options, fit.intercepts);
 * ```
 * @see {@link sparseLowRank}
 */
export function sparseLowRankObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat, params: { lambda1: number; lambda2: number; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  const label = `d×T = ${d}×${T}`;
  const p = checkMat(P, 'P', { rows: d, cols: T, label }).data, Qm = checkMat(Q, 'Q', { rows: d, cols: T, label });
  const W = p.map((x, i) => x + Qm.data[i]!);
  let l1 = 0;
  for (let i = 0; i < p.length; i++) l1 += Math.abs(p[i]!);
  let nuc = 0;
  for (const s of thinSvd(Qm).s) nuc += s;
  return multiTaskLoss(D, { rows: d, cols: T, data: W }, intercepts, params.lossScale ?? 'mean') + params.lambda1 * l1 + params.lambda2 * nuc;
}

/**
 * λ_max of each block: W = 0 is optimal exactly when λ₁ ≥ max_jt |∇L(0)|_jt and λ₂ ≥ σ_max(∇L(0)).
 * @param data - the data
 * @param params - lossScale, fitIntercept
 * @returns { lambda1, lambda2 }
 * @example
 * ```ts
 * sparseLowRankLambdaMax(data).lambda2; // = traceNormLambdaMax(data)
 * ```
 * @see {@link sparseLowRank}
 */
export function sparseLowRankLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { lossScale?: LossScale; fitIntercept?: boolean } = {},
): { lambda1: number; lambda2: number } {
  const D = asData(data);
  const [a, b] = decompositionLambdaMax(D, new L1Penalty(1, D.T), new TraceNormPenalty(1, D.d, D.T),
    params.lossScale ?? 'mean', params.fitIntercept ?? true);
  return { lambda1: a, lambda2: b };
}
