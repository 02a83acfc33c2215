/**
 * The dirty model (Jalali, Ravikumar, Sanghavi & Ruan, "A dirty model for multi-task learning", NIPS
 * 2010; MALSAR `Least_Dirty`; MuTaR `DirtyModel`): W = P + Q,
 * F(P, Q) = L(P + Q) + λ₁ Σ_j ‖p^j‖_q + λ₂ ‖Q‖₁, q = ∞ (the paper, MALSAR) or q = 2 (MuTaR).
 * MALSAR writes its loss without the ½: its (ρ₁, ρ₂) are (2λ₁, 2λ₂) with `lossScale: 'sum'`.
 *
 * @packageDocumentation
 */
import type { LossScale, Mat, ProgressInfo } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { GroupNormPenalty } from '../penalties/groupNorm.js';
import { L1Penalty } from '../penalties/l1Penalty.js';
import {
  checkDecompositionOptions, decompositionObjective, fitDecomposition,
  type DecompositionCommonOptions, type DecompositionFit, type DecompositionSolver, type ResolvedDecompositionCommon,
} from './decomposition.js';
import { admmSolver, admmSuits, twoPartLambdaMax, type DecompositionParts } from './twoPart.js';
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
   * (the exact row majorant with per-task curvatures for p^j, exact entry updates for q^j, Anderson
   * extrapolation); `'admm'`: ADMM with exact per-task solves (`solvers/decompositionAdmm.ts`, as robust
   * MTFL's default; for small Grams, T·d² ≤ 4e6); `'auto'`: BCD for at most {@link DIRTY_AUTO_BCD_SWEEPS}
   * sweeps, then, if not converged, ADMM from BCD's point (BCD is 2–3× faster than ADMM when the
   * solution is sparse and converges in a few dozen sweeps; ADMM 8–20× faster than BCD on School at
   * λ₁ = λ₂ = 0.1 and 0.01, where BCD needs 900–4000 sweeps). All stop on the same duality gap.
   * @default 'auto' when ADMM suits the data (rows, T·d² ≤ 4e6), else 'bcd'; for data given by
   * sufficient statistics 'admm' when it suits them, else 'fista' (BCD's residual form needs the rows)
   */
  solver?: 'auto' | 'fista' | 'bcd' | 'admm';
}

/** Resolved options of {@link dirty}. */
export interface ResolvedDirtyOptions extends ResolvedDecompositionCommon {
  readonly lambda1: number;
  readonly lambda2: number;
  readonly q: number;
  readonly solver: 'auto' | 'fista' | 'bcd' | 'admm';
}

/** Sweeps of BCD before `solver: 'auto'` turns to ADMM. */
export const DIRTY_AUTO_BCD_SWEEPS = 30;

/** The fit of {@link dirty}: W = P + Q with P row-sparse and Q sparse. */
export type DirtyFit = DecompositionFit<ResolvedDirtyOptions>;

/** P: rows (ℓ1/ℓq), Q: elementwise ℓ1. */
function dirtyParts(q: number): DecompositionParts {
  return { P: (w, _d, T) => new GroupNormPenalty(w, q, T), Q: (w, _d, T) => new L1Penalty(w, T) };
}

/**
 * Fits the dirty model (`solver`: by default block coordinate descent over its rows, turning to ADMM
 * when BCD has not converged in {@link DIRTY_AUTO_BCD_SWEEPS} sweeps; or FISTA, BCD or ADMM alone), with
 * the duality gap of the block sum.
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
  // BCD's residual form needs the rows: data given by sufficient statistics default to ADMM or FISTA
  const suits = admmSuits(D);
  const solver = checkOneOf(raw.solver, 'solver', ['auto', 'fista', 'bcd', 'admm'] as const,
    D.statistics === null ? (suits ? 'auto' : 'bcd') : suits ? 'admm' : 'fista');
  const opts: ResolvedDirtyOptions = { ...common, lambda1: l1!, lambda2: l2!, q, solver };
  const hP = new GroupNormPenalty(l1!, q, D.T), hQ = new L1Penalty(l2!, D.T);
  const bcd: DecompositionSolver = (loss, x0, tolAbs, maxIter, onProgress) =>
    dirtyBcd(loss, hP, hQ, x0, { tolAbs, maxIter, ...(onProgress ? { onProgress } : {}) });
  const admm = admmSolver(hP, hQ);
  const auto: DecompositionSolver = (loss, x0, tolAbs, maxIter, onProgress, certificate) => {
    // progress in the whole budget's terms: ADMM's iterations after BCD's sweeps, its start point (BCD's
    // end point, already reported) skipped
    let offset = 0, last = -1;
    const report = onProgress && ((p: ProgressInfo): void => {
      const iteration = p.iteration + offset;
      if (iteration <= last) return;
      last = iteration;
      onProgress({ ...p, iteration, maxIter });
    });
    const first = bcd(loss, x0, tolAbs, Math.min(DIRTY_AUTO_BCD_SWEEPS, maxIter), report, certificate);
    if (first.status !== 'max-iterations' || first.iterations >= maxIter) return first;
    offset = first.iterations;
    const second = admm(loss, first.x, tolAbs, maxIter - first.iterations, report, certificate);
    const t0 = first.history.length > 0 ? first.history[first.history.length - 1]!.time : 0;
    const later = second.history.filter((h) => h.iteration > 0);
    const history = [...first.history, ...later.map((h) => ({ ...h, iteration: h.iteration + offset, time: h.time + t0 }))];
    return { ...second, iterations: first.iterations + second.iterations, history };
  };
  const solve = solver === 'auto' ? auto : solver === 'bcd' ? bcd : solver === 'admm' ? admm : undefined;
  return fitDecomposition(D, hP, hQ, common, opts, raw, solve);
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
