/**
 * The dirty model (Jalali, Ravikumar, Sanghavi & Ruan, "A dirty model for multi-task learning", NIPS
 * 2010; MALSAR `Least_Dirty`; MuTaR `DirtyModel`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ Σ_j ‖p^j‖_q + λ₂ ‖Q‖₁, q = ∞ (the paper, MALSAR) or q = 2 (MuTaR).
 * MALSAR writes its loss without the ½: its (ρ₁, ρ₂) are (2λ₁, 2λ₂) with `lossScale: 'sum'`.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { L1Penalty } from '../penalties/l1Penalty.js';
import {
  checkDecompositionOptions, decompositionObjective, fitDecomposition,
  type DecompositionCommonOptions, type DecompositionFit, type DecompositionSolver, type ResolvedDecompositionCommon,
} from './decomposition.js';
import { admmSolver, twoPartLambdaMax, type DecompositionParts } from './twoPart.js';
import { l1Norm, rowNormSum } from './decompositionNorms.js';
import { checkNumber, checkOneOf } from '../util/checks.js';
import { dirtyBcd } from '../solvers/decompositionBcd.js';

/** Options of {@link dirty}. */
export interface DirtyOptions extends DecompositionCommonOptions {
  /** λ₁ ≥ 0, weight of the row norms of P. */
  lambda1: number;
  /** λ₂ ≥ 0, weight of ‖Q‖₁. */
  lambda2: number;
  /** The row norm of P, q ∈ [1, ∞]. @default Infinity */
  q?: number;
  /**
   * `'fista'`: FISTA over the stacked (P, Q); `'bcd'`: block coordinate descent over the rows of (P, Q)
   * (the exact row majorant with per-task curvatures for p^j, exact entry updates for q^j). Both stop on
   * the same duality gap; `'admm'`: ADMM with exact per-task solves (`solvers/decompositionAdmm.ts`, as robust
   * MTFL's default; for small Grams, T·d² ≤ 4e6).
   * @default 'bcd' (0.07–0.30× of FISTA's time in two runs in `bench/dirtySolver.ts`, School included; see the README);
   * `'fista'` for data given by sufficient statistics (BCD's residual form needs the rows)
   */
  solver?: 'fista' | 'bcd' | 'admm';
}

/** Resolved options of {@link dirty}. */
export interface ResolvedDirtyOptions extends ResolvedDecompositionCommon {
  readonly lambda1: number;
  readonly lambda2: number;
  readonly q: number;
  readonly solver: 'fista' | 'bcd' | 'admm';
}

/** The fit of {@link dirty}: W = P + Q with P row-sparse and Q sparse. */
export type DirtyFit = DecompositionFit<ResolvedDirtyOptions>;

/** P: rows (ℓ1/ℓq), Q: elementwise ℓ1. */
function dirtyParts(q: number): DecompositionParts {
  return { P: (w, _d, T) => new GroupNormPenalty(w, q, T), Q: (w, _d, T) => new L1Penalty(w, T) };
}

/**
 * Fits the dirty model by FISTA over (P, Q) or by block coordinate descent over its rows (`solver`),
 * with the duality gap of the block sum.
 * @param data - the data
 * @param options - see {@link DirtyOptions}
 * @returns P, Q, W = P + Q, intercepts, objective, gap, status
 * @throws TypeError / RangeError for bad options (named; unknown keys suggest the closest)
 * @example
 * ```ts
 * const fit = dirty(data, { lambda1: 0.1, lambda2: 0.05 }); // q = ∞
 * fit.P; fit.Q; fit.gap;
 * ```
 * @see {@link dirtyObjective}, {@link dirtyLambdaMax}; A. Jalali et al., NIPS 2010
 */
export function dirty(data: MultiTaskData | readonly TaskInput[], options: DirtyOptions): DirtyFit {
  const D = asData(data);
  const { weights: [l1, l2], common, raw } = checkDecompositionOptions(options, 'dirty', ['lambda1', 'lambda2'], ['q', 'solver']);
  const q = raw.q === undefined ? Infinity : checkNumber(raw.q, 'q', { min: 1, allowInfinity: true });
  // BCD's residual form needs the rows: data given by sufficient statistics defaults to FISTA
  const solver = checkOneOf(raw.solver, 'solver', ['fista', 'bcd', 'admm'] as const, D.statistics === null ? 'bcd' : 'fista');
  const opts: ResolvedDirtyOptions = { ...common, lambda1: l1!, lambda2: l2!, q, solver };
  const hP = new GroupNormPenalty(l1!, q, D.T), hQ = new L1Penalty(l2!, D.T);
  const bcd: DecompositionSolver = (loss, x0, tolAbs, maxIter, onProgress) =>
    dirtyBcd(loss, hP, hQ, x0, { tolAbs, maxIter, ...(onProgress ? { onProgress } : {}) });
  return fitDecomposition(D, hP, hQ, common, opts, raw, solver === 'bcd' ? bcd : solver === 'admm' ? admmSolver(hP, hQ) : undefined);
}

/**
 * The dirty model's objective from the raw data: L(P + Q, b) + λ₁ Σ_j ‖p^j‖_q + λ₂ Σ_jt |Q_jt|.
 * @param data - the data
 * @param P - d×T
 * @param Q - d×T
 * @param params - λ₁, λ₂, q (default ∞), lossScale (default 'mean')
 * @param intercepts - b (default 0)
 * @returns F(P, Q, b)
 * @example
 * ```ts
 * dirtyObjective(data, fit.P, fit.Q, fit.options, fit.intercepts) === fit.objective; // up to rounding
 * ```
 * @see {@link dirty}
 */
export function dirtyObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat,
  params: { lambda1: number; lambda2: number; q?: number; lossScale?: LossScale }, intercepts?: Float64Array | readonly number[],
): number {
  const q = params.q ?? Infinity;
  return decompositionObjective(data, P, Q, params.lossScale, intercepts,
    (Pm, Qm) => params.lambda1 * rowNormSum(Pm, q) + params.lambda2 * l1Norm(Qm));
}

/**
 * λ_max of each block: W = 0 is optimal exactly when λ₁ ≥ `lambda1` and λ₂ ≥ `lambda2`, with
 * `lambda1` = max_j ‖∇_j L(0)‖_{q*} and `lambda2` = max_jt |∇L(0)|_jt.
 * @param data - the data
 * @param params - q (default ∞), lossScale, fitIntercept
 * @returns { lambda1, lambda2 }
 * @example
 * ```ts
 * const m = dirtyLambdaMax(data); dirty(data, { lambda1: m.lambda1, lambda2: m.lambda2 }).W; // zeros
 * ```
 * @see {@link dirty}
 */
export function dirtyLambdaMax(
  data: MultiTaskData | readonly TaskInput[], params: { q?: number; lossScale?: LossScale; fitIntercept?: boolean } = {},
): { lambda1: number; lambda2: number } {
  return twoPartLambdaMax(data, params, dirtyParts(params.q ?? Infinity));
}
