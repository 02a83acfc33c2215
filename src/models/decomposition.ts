/**
 * The shared fit of the decomposition models W = P + Q (dirty model, robust MTFL, robust MTL, sparse +
 * low-rank): min_{P,Q} L(P + Q) + h_P(P) + h_Q(Q) with two norm penalties, by FISTA over the stacked
 * variable x = [P; Q] ({@link stackedDatafit}) with the block prox ({@link BlockNormSumPenalty}) and the
 * duality gap of the block sum (the dual point −∇L scaled to meet both blocks' dual-norm constraints).
 * See `docs/objectives.md`, "Decompositions".
 *
 * @packageDocumentation
 */
import type { FitResultBase, FitStatus, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import type { NormPenalty } from '../penalties/types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { quadraticDatafit } from '../datafits/state.js';
import { stackedDatafit } from '../datafits/stacked.js';
import { BlockNormSumPenalty } from '../penalties/blockSum.js';
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
 * Fits min L(P + Q) + hP(P) + hQ(Q) (see the module documentation).
 * @param data - the data
 * @param hP - the norm penalty of P (with its weight)
 * @param hQ - the norm penalty of Q
 * @param common - resolved common options
 * @param options - the model's resolved options (stored in the fit)
 * @param raw - the user's options (warm start, progress callback)
 * @returns the fit with P, Q, W = P + Q and the duality gap
 * @example
 * ```ts
 * fitDecomposition(D, new GroupNormPenalty(l1, Infinity, T), new L1Penalty(l2, T), common, opts, raw);
 * ```
 * @see {@link stackedDatafit}, {@link BlockNormSumPenalty}
 */
export function fitDecomposition<O>(
  data: MultiTaskData, hP: NormPenalty, hQ: NormPenalty, common: ResolvedDecompositionCommon, options: O,
  raw: Record<string, unknown>,
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
  const h = new BlockNormSumPenalty([hP, hQ], [n, n]);
  const P0 = loss.valueAtZero();
  const tolAbs = common.tol * P0;
  const V = new Float64Array(2 * n);
  const onProgress = raw.onProgress as ProgressCallback | undefined;
  const res = fista(g, h, x0, {
    lipschitz: g.lipschitz(),
    tol: tolAbs,
    maxIter: common.maxIter,
    checkEvery: 10,
    certificate: (x, s) => normPenaltyGap(g.dualTerms(x, s, V), V, x, h).gap,
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
