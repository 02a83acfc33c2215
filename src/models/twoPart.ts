/**
 * The two-weight decomposition models (robust MTFL, robust MTL, sparse + low rank's penalised form, the
 * dirty model's pieces): options, the solver choice (ADMM or FISTA), λ_max, and the factory
 * {@link twoPartModel} that builds a model's fit, objective and λ_max from its two penalties.
 * See `docs/objectives.md`, "Decompositions".
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { NormPenalty, Penalty } from '../penalties/types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { admmAffordable, decompositionAdmm } from '../solvers/decompositionAdmm.js';
import {
  checkDecompositionOptions, decompositionLambdaMax, decompositionObjective, fitDecomposition,
  type DecompositionCommonOptions, type DecompositionFit, type DecompositionSolver, type ResolvedDecompositionCommon,
} from './decomposition.js';
import { checkOneOf } from '../util/checks.js';

/** The options of a decomposition model with two weights λ₁ (of P) and λ₂ (of Q). */
export interface TwoPartOptions extends DecompositionCommonOptions {
  /** λ₁ ≥ 0, the weight of P's penalty. */
  lambda1: number;
  /** λ₂ ≥ 0, the weight of Q's penalty. */
  lambda2: number;
  /**
   * `'admm'`: ADMM with exact per-task solves ({@link decompositionAdmm}); `'fista'`: FISTA over the
   * stacked (P, Q). Both stop on the same duality gap.
   * @default 'admm' when the per-task Grams fit ({@link admmAffordable}: T·d² ≤ 4e6 and about 10·d³ flops
   * per distinct Gram within 2e9), else 'fista'
   */
  solver?: 'fista' | 'admm';
}

/** The resolved options of a two-weight decomposition model. */
export interface ResolvedTwoPartOptions extends ResolvedDecompositionCommon {
  readonly lambda1: number;
  readonly lambda2: number;
  readonly solver: 'fista' | 'admm';
}

/** The penalties of a decomposition model's two parts, built from a weight and the shape. */
export interface DecompositionParts {
  /**
   * P's norm penalty.
   * @param weight - λ₁
   * @param d - features
   * @param T - tasks
   */
  P(weight: number, d: number, T: number): NormPenalty;
  /**
   * Q's norm penalty.
   * @param weight - λ₂
   * @param d - features
   * @param T - tasks
   */
  Q(weight: number, d: number, T: number): NormPenalty;
}

/**
 * Fits a two-weight decomposition model: checks the options (λ₁, λ₂ and the common ones), then
 * {@link fitDecomposition} with the parts' penalties.
 * @param data - the data
 * @param options - the user's options
 * @param context - the model name, for messages
 * @param parts - the two penalties
 * @returns the fit
 * @throws TypeError / RangeError for bad options
 * @example
 * ```ts
 * fitTwoPart(data, { lambda1: 0.1, lambda2: 0.2 }, 'robustMtfl', parts);
 * ```
 * @see {@link fitDecomposition}
 */
function fitTwoPart(
  data: MultiTaskData | readonly TaskInput[], options: TwoPartOptions, context: string, parts: DecompositionParts,
): DecompositionFit<ResolvedTwoPartOptions> {
  const D = asData(data);
  const { weights: [l1, l2], common, raw } = checkDecompositionOptions(options, context, ['lambda1', 'lambda2'], ['solver']);
  const solver = twoPartSolver(D, raw);
  const opts: ResolvedTwoPartOptions = { ...common, lambda1: l1!, lambda2: l2!, solver };
  const hP = parts.P(l1!, D.d, D.T), hQ = parts.Q(l2!, D.d, D.T);
  return fitDecomposition(D, hP, hQ, common, opts, raw, solver === 'admm' ? admmSolver(hP, hQ) : undefined);
}

/**
 * The `solver` option of a two-part model (checked): ADMM by default when {@link admmAffordable}.
 * @param D - the data
 * @param raw - the user's options
 * @returns the solver
 * @throws RangeError naming `solver` when it is not 'fista' or 'admm'
 * @example
 * ```ts
 * twoPartSolver(D, { solver: 'fista' }); // 'fista'
 * ```
 * @see {@link admmSolver}
 */
export function twoPartSolver(D: MultiTaskData, raw: Record<string, unknown>): 'fista' | 'admm' {
  return checkOneOf(raw.solver, 'solver', ['fista', 'admm'] as const, admmSuits(D) ? 'admm' : 'fista');
}

/**
 * Whether the decomposition ADMM suits these data ({@link admmAffordable} with one Gram for a shared
 * design without missing responses, T otherwise).
 * @param D - the data
 * @returns true when ADMM's per-task eigendecompositions are affordable
 * @example
 * ```ts
 * admmSuits(school); // true (d = 28, T = 139)
 * ```
 * @see {@link twoPartSolver}
 */
export function admmSuits(D: MultiTaskData): boolean {
  return admmAffordable(D.d, D.T, D.kind === 'shared' && !D.hasMissing ? 1 : D.T);
}

/**
 * The ADMM route of {@link fitDecomposition} for the parts' penalties.
 * @param hP - P's penalty
 * @param hQ - Q's penalty
 * @returns a {@link DecompositionSolver}
 * @example
 * ```ts
 * fitDecomposition(D, hP, hQ, common, opts, raw, admmSolver(hP, hQ));
 * ```
 * @see {@link decompositionAdmm}
 */
export function admmSolver(hP: Penalty, hQ: Penalty): DecompositionSolver {
  return (loss, x0, tolAbs, maxIter, onProgress, certificate) =>
    decompositionAdmm(loss, hP, hQ, x0, { tolAbs, maxIter, certificate, ...(onProgress ? { onProgress } : {}) });
}

/**
 * λ_max of each part of a two-weight decomposition model (see {@link decompositionLambdaMax}).
 * @param data - the data
 * @param params - lossScale (default 'mean'), fitIntercept (default true)
 * @param parts - the two penalties (weights ignored)
 * @returns { lambda1, lambda2 }
 * @example
 * ```ts
 * twoPartLambdaMax(data, {}, parts).lambda1;
 * ```
 * @see {@link fitTwoPart}
 */
export function twoPartLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { lossScale?: LossScale; fitIntercept?: boolean }, parts: DecompositionParts,
): { lambda1: number; lambda2: number } {
  const D = asData(data);
  const [a, b] = decompositionLambdaMax(D, parts.P(1, D.d, D.T), parts.Q(1, D.d, D.T), params.lossScale ?? 'mean', params.fitIntercept ?? true);
  return { lambda1: a, lambda2: b };
}

/** The three exports of a two-weight decomposition model, built by {@link twoPartModel}. */
export interface TwoPartModel {
  /**
   * Checks the options (λ₁, λ₂, `solver` and the common ones) and fits by ADMM or FISTA (`solver`) with the
   * duality gap.
   * @param data - the data
   * @param options - λ₁, λ₂ and the common options
   * @returns P, Q, W = P + Q, gap, status
   */
  fit(data: MultiTaskData | readonly TaskInput[], options: TwoPartOptions): DecompositionFit<ResolvedTwoPartOptions>;
  /**
   * The objective L(P + Q, b) + λ₁ ‖P‖_P + λ₂ ‖Q‖_Q from the raw data.
   * @param data - the data
   * @param P - d×T
   * @param Q - d×T
   * @param params - λ₁, λ₂, lossScale
   * @param intercepts - b (default 0)
   * @returns F(P, Q, b)
   */
  objective(
    data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat, params: { lambda1: number; lambda2: number; lossScale?: LossScale },
    intercepts?: Float64Array | readonly number[],
  ): number;
  /**
   * λ_max of each part (see {@link twoPartLambdaMax}).
   * @param data - the data
   * @param params - lossScale, fitIntercept
   * @returns { lambda1, lambda2 }
   */
  lambdaMax(data: MultiTaskData | readonly TaskInput[], params?: { lossScale?: LossScale; fitIntercept?: boolean }): { lambda1: number; lambda2: number };
}

/**
 * A two-weight decomposition model from its name, its two penalties and the two norms its evaluator
 * computes from first principles (so the objective is an independent check of the fit).
 * @param context - the model name, for messages
 * @param parts - the penalties of P and Q
 * @param norms - (P, Q) ↦ [‖P‖_P, ‖Q‖_Q], unweighted
 * @returns the fit, the objective and λ_max
 * @example
 * ```ts
 * const m = twoPartModel('robustMtl', { P: (w, d, T) => new TraceNormPenalty(w, d, T), Q: (w, d, T) => new ColumnGroupNormPenalty(w, d, T) },
 *   (P, Q) => [nuclearNorm(P), columnNormSum(Q)]);
 * ```
 * @see {@link fitTwoPart}, {@link decompositionObjective}
 */
export function twoPartModel(context: string, parts: DecompositionParts, norms: (P: Mat, Q: Mat) => readonly [number, number]): TwoPartModel {
  return {
    fit: (data, options) => fitTwoPart(data, options, context, parts),
    objective: (data, P, Q, params, intercepts) => decompositionObjective(data, P, Q, params.lossScale, intercepts, (Pm, Qm) => {
      const [a, b] = norms(Pm, Qm);
      return params.lambda1 * a + params.lambda2 * b; // λ₁ ‖P‖_P + λ₂ ‖Q‖_Q
    }),
    lambdaMax: (data, params = {}) => twoPartLambdaMax(data, params, parts),
  };
}
