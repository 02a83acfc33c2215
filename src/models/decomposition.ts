/**
 * The shared fit of the decomposition models W = P + Q (dirty model, robust MTFL, robust MTL, sparse +
 * low-rank): min_{P,Q} L(P + Q) + h_P(P) + h_Q(Q) with two norm penalties, by a model's own solver
 * (`DecompositionSolver`: the dirty model's BCD, the others' ADMM) or FISTA over the stacked
 * variable x = [P; Q] ({@link stackedDatafit}) with the block prox ({@link BlockNormSumPenalty}) and the
 * duality gap of the block sum (the dual point −∇L scaled to meet both blocks' dual-norm constraints).
 * See `docs/objectives.md`, "Decompositions".
 *
 * @packageDocumentation
 */
import type { FitResultBase, FitStatus, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import { multiTaskLoss } from '../datafits/lossValue.js';
import type { NormPenalty, Penalty } from '../penalties/types.js';
import type { DualTerms } from '../datafits/types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { quadraticDatafit } from '../datafits/state.js';
import { stackedDatafit } from '../datafits/stacked.js';
import { BlockNormSumPenalty, BlockSumPenalty } from '../penalties/blockSum.js';
import { fista } from '../solvers/fista.js';
import { lambdaMax, normPenaltyGap } from '../solvers/certificates.js';
import { makePredict } from './predict.js';
import { checkBoolean, checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';

/** Options every decomposition model takes. */
export interface DecompositionCommonOptions {
  /** Loss scaling. @default 'mean' */
  lossScale?: LossScale;
  /** Unpenalised per-task intercepts. @default true */
  fitIntercept?: boolean;
  /** Stop when the duality gap ≤ tol·F(0, b₀). @default 1e-6 */
  tol?: number;
  /** Iteration budget (backtracking included). @default 10000 */
  maxIter?: number;
  /** Starting parts { P, Q } (each d×T, any matrix form), or a starting W (then P = W, Q = 0). @default null */
  warmStart?: { readonly P: MatLike; readonly Q: MatLike } | MatLike | null;
  /** Progress callback at every certificate check. @default undefined */
  onProgress?: ProgressCallback;
}

/** The resolved common options. */
export interface ResolvedDecompositionCommon {
  readonly lossScale: LossScale;
  readonly fitIntercept: boolean;
  readonly tol: number;
  readonly maxIter: number;
}

/** What a decomposition model returns. */
export interface DecompositionFit<O> extends FitResultBase<O> {
  /** The first structured part P (d×T). */
  readonly P: Mat;
  /** The second structured part Q (d×T); W = P + Q. */
  readonly Q: Mat;
  readonly status: FitStatus;
  /** The duality gap (same as `certificate`). */
  readonly gap: number;
  /** F(0, b₀), the scale of the relative tolerance. */
  readonly objectiveAtZero: number;
  /** Seconds spent. */
  readonly time: number;
}

/** The option keys shared by every decomposition model. */
export const DECOMPOSITION_COMMON_KEYS = ['lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'onProgress'] as const;

/**
 * Checks the options of a decomposition model: the object, unknown keys, the common options and the
 * named non-negative weights.
 * @param options - the user's options
 * @param context - the model name, for messages
 * @param weights - the required weight names (each ≥ 0)
 * @param extra - further valid keys
 * @returns the checked weights and common options
 * @throws TypeError / RangeError naming the option
 * @example
 * ```ts
 * const { weights, common } = checkDecompositionOptions(o, 'dirty', ['lambda1', 'lambda2'], ['q']);
 * ```
 * @see {@link fitDecomposition}
 */
export function checkDecompositionOptions(
  options: unknown, context: string, weights: readonly string[], extra: readonly string[] = [],
): { weights: number[]; common: ResolvedDecompositionCommon; raw: Record<string, unknown> } {
  const o = checkOptionsObject(options, `${context} options`, weights);
  checkOptionKeys(o, [...weights, ...extra, ...DECOMPOSITION_COMMON_KEYS], `${context} options`);
  return {
    weights: weights.map((w) => checkNumber(o[w], w, { min: 0 })),
    common: {
      lossScale: checkOneOf(o.lossScale, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'),
      fitIntercept: checkBoolean(o.fitIntercept, 'fitIntercept', true),
      tol: o.tol === undefined ? 1e-6 : checkNumber(o.tol, 'tol', { min: 0, minExclusive: true }),
      maxIter: o.maxIter === undefined ? 10000 : checkNumber(o.maxIter, 'maxIter', { min: 1, integer: true }),
    },
    raw: o,
  };
}

/**
 * A solver of a decomposition problem other than FISTA (the dirty model's BCD): from the loss, the
 * starting [P; Q], the absolute gap tolerance, the iteration budget, the progress callback and the
 * certificate of the whole problem at [P; Q] (the duality gap the FISTA route stops on, with the primal
 * objective), the final [P; Q] with its objective, duality gap and status.
 */
export type DecompositionSolver = (
  loss: QuadraticLoss, x0: Float64Array, tolAbs: number, maxIter: number, onProgress: ProgressCallback | undefined,
  certificate: (x: Float64Array) => { readonly gap: number; readonly primal: number },
) => Pick<FitResultBase<unknown>, 'objective' | 'certificate' | 'iterations' | 'converged' | 'history'> & { x: Float64Array; status: FitStatus };

/** A constraint on Q (the indicator of a ball) with its conjugate, the support function, finite everywhere. */
export type BallConstraint = Penalty & { conjugate(G: Float64Array): number };

/**
 * The duality gap when Q is constrained to a ball C (h_Q = ι_C, h_Q* = σ_C, the support function) and P
 * carries a norm λΩ: with V = −∇L(P + Q) and the dual point αV, D(α) = α(A − σ_C(V)) − α²B over
 * 0 ≤ α ≤ λ/Ω*(V) (A, B the datafit's dual terms), maximised in closed form and clipped.
 * @param terms - the datafit's dual terms at x = [P; Q]
 * @param V - −∇ at x (stacked, 2n; both halves equal)
 * @param x - [P; Q]
 * @param hP - P's norm penalty
 * @param hQ - Q's ball constraint
 * @param h - the block sum (for the primal value)
 * @returns the gap (NaN when a term is not finite) and the primal objective
 */
function ballGap(terms: DualTerms, V: Float64Array, x: Float64Array, hP: NormPenalty, hQ: BallConstraint, h: Penalty): { gap: number; primal: number } {
  const n = x.length / 2;
  const primal = terms.value + h.value(x);
  const vP = hP.dualNorm(V.subarray(0, n)), c = hQ.conjugate(V.subarray(n));
  const A = terms.innerY - c, B = terms.quad;
  const free = B > 0 ? A / (2 * B) : A > 0 ? Infinity : 0;
  let alpha = Math.max(0, Math.min(free, vP > 0 ? hP.weight / vP : Infinity));
  if (!Number.isFinite(alpha)) alpha = 0;
  const dual = alpha * A - alpha * alpha * B;
  return { gap: Number.isFinite(primal) && Number.isFinite(dual) ? Math.max(0, primal - dual) : NaN, primal };
}

/**
 * Fits min L(P + Q) + hP(P) + hQ(Q) (see the module documentation); hQ is a norm penalty or the
 * indicator of a ball (then the gap is {@link ballGap}'s).
 * @param data - the data
 * @param hP - the norm penalty of P (with its weight)
 * @param hQ - the norm penalty of Q
 * @param common - resolved common options
 * @param options - the model's resolved options (stored in the fit)
 * @param raw - the user's options (warm start, progress callback)
 * @param solve - another solver of the same problem (default: FISTA over the stacked (P, Q))
 * @returns the fit with P, Q, W = P + Q and the duality gap
 * @example
 * ```ts
 * fitDecomposition(D, new GroupNormPenalty(l1, Infinity, T), new L1Penalty(l2, T), common, opts, raw);
 * ```
 * @see {@link stackedDatafit}, {@link BlockNormSumPenalty}
 */
export function fitDecomposition<O>(
  data: MultiTaskData, hP: NormPenalty, hQ: NormPenalty | BallConstraint, common: ResolvedDecompositionCommon, options: O,
  raw: Record<string, unknown>, solve?: DecompositionSolver,
): DecompositionFit<O> {
  const { d, T } = data;
  const n = d * T;
  const start = performance.now();
  const x0 = new Float64Array(2 * n);
  const ws = raw.warmStart as { P?: unknown; Q?: unknown } | null | undefined;
  if (ws != null) {
    if (typeof ws !== 'object') throw new TypeError('warmStart: expected { P, Q } (each d×T), a d×T matrix W, or null');
    const label = `d×T = ${d}×${T}`;
    if ('P' in ws || 'Q' in ws) {
      x0.set(checkMat(ws.P, 'warmStart.P', { rows: d, cols: T, label }).data, 0);
      x0.set(checkMat(ws.Q, 'warmStart.Q', { rows: d, cols: T, label }).data, n);
    } else {
      x0.set(checkMat(ws, 'warmStart', { rows: d, cols: T, label }).data, 0); // P = W, Q = 0
    }
  }
  const loss = new QuadraticLoss(data, { lossScale: common.lossScale, fitIntercept: common.fitIntercept });
  const f = quadraticDatafit(loss);
  const g = stackedDatafit(f, 2);
  const isNorm = (p: Penalty): p is NormPenalty => typeof (p as Partial<NormPenalty>).dualNorm === 'function';
  const hn = isNorm(hQ) ? new BlockNormSumPenalty([hP, hQ], [n, n]) : null;
  const h = hn ?? new BlockSumPenalty([hP, hQ], [n, n]);
  const P0 = loss.valueAtZero();
  const tolAbs = common.tol * P0;
  const V = new Float64Array(2 * n);
  const onProgress = raw.onProgress as ProgressCallback | undefined;
  // the duality gap of the whole problem at x = [P; Q] (s: the datafit's state at x)
  const gapAt = (x: Float64Array, s: Float64Array): { gap: number; primal: number } =>
    hn ? normPenaltyGap(g.dualTerms(x, s, V), V, x, hn) : ballGap(g.dualTerms(x, s, V), V, x, hP, hQ as BallConstraint, h);
  let state: Float64Array | null = null;
  const gapOf = (x: Float64Array): { gap: number; primal: number } => {
    state ??= new Float64Array(g.stateSize);
    g.computeState(x, state);
    return gapAt(x, state);
  };
  const res = solve
    ? solve(loss, x0, tolAbs, common.maxIter, onProgress, gapOf)
    : fista(g, h, x0, {
      lipschitz: g.lipschitz(),
      tol: tolAbs,
      maxIter: common.maxIter,
      checkEvery: 10,
      certificate: (x, s) => gapAt(x, s).gap,
      ...(onProgress ? { onProgress } : {}),
    });
  const P: Mat = { rows: d, cols: T, data: res.x.slice(0, n) };
  const Q: Mat = { rows: d, cols: T, data: res.x.slice(n, 2 * n) };
  const Wd = new Float64Array(n);
  for (let i = 0; i < n; i++) Wd[i] = P.data[i]! + Q.data[i]!; // W = P + Q
  const W: Mat = { rows: d, cols: T, data: Wd };
  const intercepts = loss.intercepts(Wd);
  return {
    W, P, Q, intercepts, objective: res.objective, certificate: res.certificate, certificateKind: 'duality-gap', gap: res.certificate,
    iterations: res.iterations, converged: res.converged, status: res.status, history: res.history, options,
    objectiveAtZero: P0, time: (performance.now() - start) / 1000, predict: makePredict(W, intercepts),
  };
}

/**
 * The λ_max of each block of a decomposition model: W = 0 is optimal exactly when λ_P ≥ Ω_P*(∇L(0)) and
 * λ_Q ≥ Ω_Q*(∇L(0)).
 * @param data - the data
 * @param hP - a penalty of P's norm (weight ignored)
 * @param hQ - a penalty of Q's norm (weight ignored)
 * @param lossScale - loss scaling
 * @param fitIntercept - intercepts
 * @returns [λ_P max, λ_Q max]
 * @example
 * ```ts
 * decompositionLambdaMax(D, new GroupNormPenalty(1, Infinity, T), new L1Penalty(1, T), 'mean', true);
 * ```
 * @see {@link lambdaMax}
 */
export function decompositionLambdaMax(
  data: MultiTaskData | readonly TaskInput[], hP: NormPenalty, hQ: NormPenalty, lossScale: LossScale, fitIntercept: boolean,
): [number, number] {
  const f = quadraticDatafit(new QuadraticLoss(asData(data), { lossScale, fitIntercept }));
  return [lambdaMax(f, hP), lambdaMax(f, hQ)];
}

/**
 * A decomposition model's objective from the raw data: L(P + Q, b) plus the model's penalty, which
 * `penalty` computes from the checked parts (from first principles, not through the solver's penalty
 * objects, so the evaluator is an independent check of the fit).
 * @param data - the data
 * @param P - d×T, any matrix form
 * @param Q - d×T
 * @param lossScale - loss scaling (default 'mean')
 * @param intercepts - b (default 0)
 * @param penalty - the penalty value h_P(P) + h_Q(Q), weights included
 * @returns F(P, Q, b)
 * @throws RangeError naming P or Q when its shape is not d×T
 * @example
 * ```ts
 * decompositionObjective(data, P, Q, 'mean', b, (Pm, Qm) => 0.1 * l1(Pm) + 0.2 * l1(Qm));
 * ```
 * @see {@link fitDecomposition}
 */
export function decompositionObjective(
  data: MultiTaskData | readonly TaskInput[], P: Mat, Q: Mat, lossScale: LossScale | undefined,
  intercepts: Float64Array | readonly number[] | undefined, penalty: (P: Mat, Q: Mat) => number,
): number {
  const D = asData(data);
  const { d, T } = D;
  const label = `d×T = ${d}×${T}`;
  const Pm = checkMat(P, 'P', { rows: d, cols: T, label }), Qm = checkMat(Q, 'Q', { rows: d, cols: T, label });
  const W = new Float64Array(d * T);
  for (let i = 0; i < W.length; i++) W[i] = Pm.data[i]! + Qm.data[i]!; // W = P + Q
  return multiTaskLoss(D, { rows: d, cols: T, data: W }, intercepts, lossScale ?? 'mean') + penalty(Pm, Qm);
}
