/**
 * The shared fit of the models L(W) + Σ_j h_j(w^j) with a non-convex row penalty h (block MCP, block
 * SCAD): the squared loss with profiled intercepts, block coordinate descent (`solvers/bcd.ts`, working
 * sets and Anderson extrapolation; the exact row prox with one step 1/L_j per row), and the
 * stationarity certificate max_j dist(−∇_j L(W), ∂h_j(w^j)) (Fréchet subdifferential). From W = 0,
 * BCD finds a **local** stationary point (`local: true`), not necessarily the global minimiser.
 *
 * λ_max: h_j(w) = λ‖w‖₂ − o(‖w‖) near 0, so W = 0 is stationary exactly when
 * max_j ‖∇_j L(0, b₀)‖₂ ≤ λ — the λ_max of the L1/L2 group lasso.
 *
 * @packageDocumentation
 */
import type { FitResultBase, HistoryEntry, LossScale, Mat, MatLike, ProgressCallback } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import type { FitControlOptions } from './fitControl.js';
import type { RowPenalty } from '../penalties/types.js';
import { QuadraticLoss, multiTaskLoss } from '../datafits/quadratic.js';
import { bcd, type BcdStatus } from '../solvers/bcd.js';
import { createBcdDatafit, type BcdDatafit } from '../solvers/bcdDatafit.js';
import { makePredict } from './predict.js';
import { asData, type TaskInput } from '../data/MultiTaskData.js';
import {
  checkBoolean, checkMat, checkNumber, checkOneOf, checkOptional, checkOptionKeys, checkOptionsObject, type NumberConstraints,
} from '../util/checks.js';

/** The options every non-convex row-penalty model takes (BCD epochs are its iterations). */
export interface RowPenaltyCommonOptions extends FitControlOptions {
  /** λ > 0, the slope of the penalty at 0. Required. */
  lambda: number;
  /** Stop when max_j dist(−∇_j L, ∂h_j(w^j)) ≤ tol · max_j ‖∇_j L(0, b₀)‖₂. @default 1e-6 */
  tol?: number;
  /** Starting W (d×T) — a non-convex problem: a different start may give a different stationary point. @default zeros */
  warmStart?: MatLike | null;
}

/** {@link RowPenaltyCommonOptions} with the defaults filled in. */
export interface ResolvedRowPenaltyCommonOptions {
  lambda: number; lossScale: LossScale; fitIntercept: boolean; tol: number; maxIter: number; warmStart: Mat | null;
}

/** The fit of a non-convex row-penalty model. */
export interface RowPenaltyFit<O> extends Omit<FitResultBase<O>, 'certificateKind'> {
  /** `'stationarity'`: the certificate is max_j dist(−∇_j L(W), ∂h_j(w^j)) (absolute), not a gap. */
  readonly certificateKind: 'stationarity';
  /** Always true: W is a stationary point of a non-convex objective, not certified globally optimal. */
  readonly local: true;
  /** `'converged'` (the only case with `converged: true`), `'max-iterations'` or `'non-finite'`. */
  readonly status: BcdStatus;
  /** max_j ‖∇_j L(0, b₀)‖₂: W = 0 is stationary iff λ ≥ λ_max. */
  readonly lambdaMax: number;
  /** The scale of the relative tolerance: λ_max (1 when λ_max = 0). */
  readonly gradientScale: number;
  /** Rows of W not identically zero. */
  readonly nonzeroRows: number;
  /** Seconds spent in the fit. */
  readonly time: number;
}

/**
 * Checks the common options (λ > 0; the rest as in the group lasso).
 * @param o - the options object (already checked for unknown keys)
 * @param data - the data (shape of `warmStart`)
 * @returns the resolved common options
 * @throws TypeError / RangeError naming the option
 * @example
 * ```ts
 * checkRowPenaltyOptions({ lambda: 0.1 }, data).tol; // 1e-6
 * ```
 * @see {@link fitRowPenalty}
 */
export function checkRowPenaltyOptions(o: Record<string, unknown>, data: MultiTaskData): ResolvedRowPenaltyCommonOptions {
  const { d, T } = data;
  return {
    lambda: checkNumber(o['lambda'], 'lambda', { min: 0, minExclusive: true }),
    lossScale: checkOneOf(o['lossScale'], 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean'),
    fitIntercept: checkBoolean(o['fitIntercept'], 'fitIntercept', true),
    tol: checkOptional(o['tol'], 1e-6, (v) => checkNumber(v, 'tol', { min: 0 })),
    maxIter: checkOptional(o['maxIter'], 10000, (v) => checkNumber(v, 'maxIter', { min: 0, integer: true })),
    warmStart: o['warmStart'] == null ? null : checkMat(o['warmStart'], 'warmStart', { rows: d, cols: T, label: `d×T = ${d}×${T}` }),
  };
}

/**
 * The `onProgress` option, checked: a function or absent.
 * @param v - the option value
 * @returns the callback or undefined
 * @throws TypeError `onProgress: expected a function …`
 * @example
 * ```ts
 * const cb = progressOption(o['onProgress']);
 * ```
 * @see {@link fitRowPenalty}
 */
export function progressOption(v: unknown): ProgressCallback | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'function') throw new TypeError(`onProgress: expected a function (info) => void, got ${typeof v}`);
  return v as ProgressCallback;
}

/** Per data object: the prepared loss and BCD state by loss scale and intercepts (a path reuses them). */
const cache = new WeakMap<MultiTaskData, Map<string, { loss: QuadraticLoss; state: BcdDatafit }>>();

function stateOf(data: MultiTaskData, lossScale: LossScale, fitIntercept: boolean): { loss: QuadraticLoss; state: BcdDatafit } {
  let m = cache.get(data);
  if (m === undefined) cache.set(data, (m = new Map()));
  const key = `${lossScale}/${fitIntercept}`;
  let e = m.get(key);
  if (e === undefined) {
    const loss = new QuadraticLoss(data, { lossScale, fitIntercept });
    m.set(key, (e = { loss, state: createBcdDatafit(loss, 'auto') }));
  }
  return e;
}

/**
 * λ_max = max_j ‖∇_j L(0, b₀)‖₂, from the BCD state's cached X̃ᵀỸ.
 * @param data - the data
 * @param lossScale - the loss scale
 * @param fitIntercept - intercepts
 * @returns λ_max
 * @example
 * ```ts
 * rowPenaltyLambdaMax(data, 'mean', true);
 * ```
 * @see {@link fitRowPenalty}
 */
export function rowPenaltyLambdaMax(data: MultiTaskData, lossScale: LossScale, fitIntercept: boolean): number {
  const { loss, state } = stateOf(data, lossScale, fitIntercept);
  const G = state.xty(), { d, T } = data;
  let m = 0;
  for (let j = 0; j < d; j++) {
    // ‖∇_j L(0)‖₂² = Σ_t (2 s_t (X̃ᵀỸ)_jt)²
    let s = 0;
    for (let t = 0; t < T; t++) s += (2 * loss.scales[t]! * G[j * T + t]!) ** 2;
    m = Math.max(m, Math.sqrt(s));
  }
  return m;
}

/**
 * L(W, b) + h(W) from the raw data.
 * @param data - the data
 * @param W - d×T
 * @param h - the row penalty
 * @param lossScale - the loss scale
 * @param intercepts - b (omitted: 0)
 * @returns the objective
 * @example
 * ```ts
 * rowPenaltyObjective(data, fit.W, new BlockMcpPenalty(0.1, 3, T), 'mean', fit.intercepts);
 * ```
 * @see {@link fitRowPenalty}
 */
export function rowPenaltyObjective(
  data: MultiTaskData, W: Mat, h: RowPenalty, lossScale: LossScale, intercepts?: Float64Array | readonly number[],
): number {
  const w = checkMat(W, 'W', { rows: data.d, cols: data.T, label: `d×T = ${data.d}×${data.T}` });
  return multiTaskLoss(data, w, intercepts, lossScale) + h.value(w.data);
}

/**
 * Fits L(W) + h(W) by BCD to a stationary point (see the module comment).
 * @param data - the data
 * @param h - the row penalty (its λ is `c.lambda`)
 * @param c - the resolved common options
 * @param options - the model's resolved options (returned as `options`)
 * @param onProgress - called at every BCD certificate check
 * @returns the fit
 * @example
 * ```ts
 * fitRowPenalty(D, new BlockMcpPenalty(c.lambda, 3, D.T), c, { ...c, gamma: 3 });
 * ```
 * @see {@link bcd}
 */
export function fitRowPenalty<O>(
  data: MultiTaskData, h: RowPenalty, c: ResolvedRowPenaltyCommonOptions, options: O, onProgress?: ProgressCallback,
): RowPenaltyFit<O> {
  const start = performance.now();
  const { d, T } = data;
  const { loss, state } = stateOf(data, c.lossScale, c.fitIntercept);
  const lambdaMax = rowPenaltyLambdaMax(data, c.lossScale, c.fitIntercept);
  const gradientScale = lambdaMax > 0 && Number.isFinite(lambdaMax) ? lambdaMax : 1;
  const W0 = c.warmStart ? Float64Array.from(c.warmStart.data) : new Float64Array(d * T);
  const res = bcd(state, h, W0, { tolAbs: c.tol * gradientScale, maxIter: c.maxIter, stationarity: 'max-row', screening: false, ...(onProgress ? { onProgress } : {}),
  });
  const W: Mat = { rows: d, cols: T, data: res.W };
  const intercepts = loss.intercepts(res.W);
  let nonzeroRows = 0;
  for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) if (res.W[j * T + t] !== 0) { nonzeroRows++; break; }
  const history: HistoryEntry[] = res.history;
  return {
    W, intercepts, objective: rowPenaltyObjective(data, W, h, c.lossScale, intercepts), certificate: res.gap,
    certificateKind: 'stationarity', iterations: res.iterations, converged: res.status === 'converged', status: res.status, history,
    options, local: true, lambdaMax, gradientScale, nonzeroRows, time: (performance.now() - start) / 1000, predict: makePredict(W, intercepts),
  };
}

/** The shape parameter of a radial row penalty (γ of MCP, a of SCAD): its option name, default and range. */
export interface ShapeParameter {
  readonly key: string;
  readonly dflt: number;
  readonly range: NumberConstraints;
}

/** Builds the row penalty from λ, the shape parameter and T. */
export type RowPenaltyMaker = (lambda: number, shape: number, T: number) => RowPenalty;

/**
 * The entry point of a radial row-penalty model: checks the options (unknown keys, λ > 0, the shape
 * parameter in its range) and fits by {@link fitRowPenalty}.
 * @param model - the model name (for messages)
 * @param data - the data
 * @param options - the user options
 * @param shape - the shape parameter
 * @param make - the penalty constructor
 * @returns the fit, its options with the shape parameter filled in
 * @example
 * ```ts
 * fitRadialModel('blockMcp', data, { lambda: 0.1 }, { key: 'gamma', dflt: 3, range: { min: 1, minExclusive: true } }, make);
 * ```
 * @see {@link fitRowPenalty}
 */
export function fitRadialModel<O>(
  model: string, data: MultiTaskData | readonly TaskInput[], options: unknown, shape: ShapeParameter, make: RowPenaltyMaker,
): RowPenaltyFit<O> {
  const o = checkOptionsObject(options, `${model} options`, ['lambda']);
  checkOptionKeys(o, [...COMMON_KEYS, shape.key], `${model} options`);
  const D = asData(data);
  const c = checkRowPenaltyOptions(o, D);
  const g = o[shape.key] === undefined ? shape.dflt : checkNumber(o[shape.key], shape.key, shape.range);
  return fitRowPenalty(D, make(c.lambda, g, D.T), c, { ...c, [shape.key]: g } as O, progressOption(o['onProgress']));
}

/**
 * The objective of a radial row-penalty model from the raw data (λ and the shape parameter checked).
 * @param data - the data
 * @param W - d×T
 * @param params - λ, the shape parameter (by `shape.key`), lossScale (default 'mean')
 * @param shape - the shape parameter
 * @param make - the penalty constructor
 * @param intercepts - b (default 0)
 * @returns L(W, b) + h(W)
 * @example
 * ```ts
 * radialModelObjective(data, W, { lambda: 0.1 }, shape, make, b);
 * ```
 * @see {@link rowPenaltyObjective}
 */
export function radialModelObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: { lambda: number; lossScale?: LossScale }, shape: ShapeParameter,
  make: RowPenaltyMaker, intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const lambda = checkNumber(params.lambda, 'lambda', { min: 0, minExclusive: true });
  const v = (params as Record<string, unknown>)[shape.key];
  const g = v === undefined ? shape.dflt : checkNumber(v, shape.key, shape.range);
  return rowPenaltyObjective(D, W, make(lambda, g, D.T), params.lossScale ?? 'mean', intercepts);
}

const COMMON_KEYS = ['lambda', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'onProgress'];
