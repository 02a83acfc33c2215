/**
 * Sparse plus low rank (Chen, Liu & Ye, "Learning incoherent sparse and low-rank patterns from multiple
 * tasks", ACM TKDD 5(4), 2012; MALSAR `Least_SparseTrace`), penalised form: W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ ‖P‖₁ + λ₂ ‖Q‖_* — sparse task-specific weights plus a shared low-rank part;
 * or MALSAR's constrained form with `tau` instead of `lambda2`: min L(P + Q) + λ₁ ‖P‖₁ s.t. ‖Q‖_* ≤ τ
 * ({@link TraceNormBall}; for each τ there is a λ₂ with the same solution). The constrained form's
 * certificate is the duality gap with the ball's support function τσ_max (see `decomposition.ts`).
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { TraceNormPenalty } from '../penalties/traceNorm.js';
import { L1Penalty } from '../penalties/l1Penalty.js';
import { TraceNormBall } from '../penalties/traceNormBall.js';
import { checkDecompositionOptions, decompositionObjective, fitDecomposition, type DecompositionFit } from './decomposition.js';
import { admmSolver, twoPartModel, twoPartSolver, type ResolvedTwoPartOptions, type TwoPartOptions } from './twoPart.js';
import { l1Norm } from './decompositionNorms.js';
import { nuclearNorm } from '../solvers/spectralTools.js';

/**
 * Options of {@link sparseLowRank}: λ₁ weighs ‖P‖₁; either λ₂ weighs ‖Q‖_* (penalised form) or `tau`
 * (τ ≥ 0) bounds it, ‖Q‖_* ≤ τ (MALSAR's constrained form) — exactly one of the two.
 */
export type SparseLowRankOptions =
  | (TwoPartOptions & { tau?: undefined })
  | (Omit<TwoPartOptions, 'lambda2'> & { lambda2?: undefined; /** τ ≥ 0, the radius of the trace-norm ball of Q. */ tau: number });

/** Resolved options of {@link sparseLowRank}: `lambda2` (penalised) or `tau` (constrained) is null. */
export type ResolvedSparseLowRankOptions = Omit<ResolvedTwoPartOptions, 'lambda2'> & { readonly lambda2: number | null; readonly tau: number | null };

/** The fit of {@link sparseLowRank}. */
export type SparseLowRankFit = DecompositionFit<ResolvedSparseLowRankOptions>;

/** The penalised form: P elementwise ℓ1, Q trace norm (the evaluator's norms ‖P‖₁ and Σ_i σ_i(Q)). */
const PENALISED = twoPartModel('sparseLowRank', {
  P: (w, _d, T) => new L1Penalty(w, T),
  Q: (w, d, T) => new TraceNormPenalty(w, d, T),
}, (P, Q) => [l1Norm(P), nuclearNorm(Q)]);

/**
 * Fits sparse + low rank by ADMM with exact per-task solves (`solver: 'admm'`, the default for small
 * Grams) or FISTA over (P, Q) (`solver: 'fista'`) — elementwise soft-thresholding for P, singular value
 * thresholding (or the ball projection) for Q — both stopping on the duality gap.
 * @param data - the data
 * @param options - see {@link SparseLowRankOptions}
 * @returns P, Q, W = P + Q, gap, status
 * @throws TypeError / RangeError for bad options (named)
 * @example
 * ```ts
 * const fit = sparseLowRank(data, { lambda1: 0.05, lambda2: 0.2 });
 * ```
 * @see {@link sparseLowRankObjective}; J. Chen, J. Liu & J. Ye, ACM TKDD 5(4), 2012
 */
export function sparseLowRank(data: MultiTaskData | readonly TaskInput[], options: SparseLowRankOptions): SparseLowRankFit {
  const tau = (options as { tau?: unknown } | null)?.tau;
  if (tau === undefined) {
    const fit = PENALISED.fit(data, options as TwoPartOptions);
    return { ...fit, options: { ...fit.options, tau: null } };
  }
  if ((options as { lambda2?: unknown }).lambda2 !== undefined) {
    throw new RangeError('sparseLowRank options: give lambda2 (penalised form) or tau (constrained form ‖Q‖_* ≤ τ), not both');
  }
  const D = asData(data);
  const { weights: [l1, t], common, raw } = checkDecompositionOptions(options, 'sparseLowRank', ['lambda1', 'tau'], ['solver']);
  const solver = twoPartSolver(D, raw);
  const opts: ResolvedSparseLowRankOptions = { ...common, lambda1: l1!, lambda2: null, tau: t!, solver };
  const hP = new L1Penalty(l1!, D.T), hQ = new TraceNormBall(t!, D.d, D.T);
  return fitDecomposition(D, hP, hQ, common, opts, raw, solver === 'admm' ? admmSolver(hP, hQ) : undefined);
}

/**
 * The sparse + low-rank objective from the raw data: L(P + Q, b) + λ₁ ‖P‖₁ + λ₂ Σ_i σ_i(Q), or with
 * `tau` (and no λ₂) L(P + Q, b) + λ₁ ‖P‖₁ when Σ_i σ_i(Q) ≤ τ (within a relative 1e-12) and ∞ otherwise.
 * @param data - the data
 * @param P - d×T
 * @param Q - d×T
 * @param params - λ₁, λ₂ or τ, lossScale
 * @param intercepts - b (default 0)
 * @returns F(P, Q, b)
 * @example
 * ```ts
 * sparseLowRankObjective(data, fit.P, fit.Q, fit.options, fit.intercepts);
 * ```
 * @see {@link sparseLowRank}
 */
export function sparseLowRankObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat,
  params: { lambda1: number; lambda2?: number | null; tau?: number | null; lossScale?: LossScale },
  intercepts?: Float64Array | readonly number[],
): number {
  const tau = params.tau ?? null;
  return decompositionObjective(data, P, Q, params.lossScale, intercepts, (Pm, Qm) => {
    const nuc = nuclearNorm(Qm);
    if (tau !== null) return nuc <= tau * (1 + 1e-12) + Number.MIN_VALUE ? params.lambda1 * l1Norm(Pm) : Infinity;
    return params.lambda1 * l1Norm(Pm) + (params.lambda2 ?? 0) * nuc;
  });
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
  return PENALISED.lambdaMax(data, params);
}
