/**
 * What the models of tasks ordered in time (the temporal group lasso, Zhou et al. KDD 2011; the convex
 * fused group lasso, Zhou et al. KDD 2012) share: the options beyond their three weights λ₁, λ₂, λ₃,
 * and their checks. Both are fitted by block coordinate descent over the rows ({@link fitTemporalRows},
 * the default) or by FISTA ({@link fitComposite}).
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { multiTaskLoss } from '../datafits/lossValue.js';
import type { Penalty } from '../penalties/types.js';
import type { FitControlOptions } from './fitControl.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { createBcdDatafit } from '../solvers/bcdDatafit.js';
import { rowBcd, type RowBcdProblem } from '../solvers/rowBcd.js';
import { resolveCompositeOptions, type CompositeFit, type ResolvedCompositeOptions } from './composite.js';
import { makePredict } from './predict.js';
import { checkMat, checkNumber, checkOneOf, checkOptionKeys, checkOptionsObject } from '../util/checks.js';

/** The options of a temporal model besides its weights λ₁, λ₂ (which differ by model), λ₃ included. */
export interface TemporalCommonOptions extends FitControlOptions {
  /** λ₃ ≥ 0, weight of the row norms Σ_j ‖w^j‖₂. */
  lambda3: number;
  /** Relative tolerance (gap ≤ tol·F(0) when the certificate is a duality gap, else fixed-point residual ≤ tol·‖∇L(0)‖). @default 1e-6 */
  tol?: number;
  /**
   * `'bcd'`: block coordinate descent over the rows, each row minimised exactly with every task at its
   * own curvature, certified by the duality gap; `'fista'`: FISTA with one global step
   * ({@link fitComposite}). @default 'bcd'
   */
  solver?: 'bcd' | 'fista';
}

/** The three weights of a temporal model. */
export interface TemporalWeights { readonly lambda1: number; readonly lambda2: number; readonly lambda3: number }

/** The fit of a temporal model: the composite fit, its options with the weights λ₁, λ₂, λ₃ added. */
export type TemporalFit<P extends Penalty> = Omit<CompositeFit<P>, 'options'> & {
  readonly options: TemporalResolvedOptions & TemporalWeights;
};

/** The resolved options of a temporal fit: the composite ones, with the solver that ran. */
export type TemporalResolvedOptions = Omit<ResolvedCompositeOptions, 'solver'> & { readonly solver: 'bcd' | 'fista' };

const KEYS = ['lambda1', 'lambda2', 'lambda3', 'lossScale', 'fitIntercept', 'tol', 'maxIter', 'warmStart', 'onProgress', 'solver'];

/**
 * Checks a temporal model's options: the object, unknown keys, λ₁ and λ₂ (≥ 0, default 0), λ₃ (≥ 0,
 * required); the remaining options are passed on to {@link fitComposite}, which checks them.
 * @param options - the user's options
 * @param context - the model name, for messages
 * @returns the weights and the other options
 * @throws TypeError / RangeError naming the option
 * @example
 * ```ts
 * const { weights, rest } = checkTemporalOptions({ lambda3: 0.1 }, 'fusedGroupLasso'); // weights.lambda1 = 0
 * ```
 */
export function checkTemporalOptions(options: unknown, context: string): { weights: TemporalWeights; rest: Record<string, unknown> } {
  const o = checkOptionsObject(options, `${context} options`, ['lambda3']);
  checkOptionKeys(o, KEYS, `${context} options`);
  const weights = {
    lambda1: o.lambda1 === undefined ? 0 : checkNumber(o.lambda1, 'lambda1', { min: 0 }),
    lambda2: o.lambda2 === undefined ? 0 : checkNumber(o.lambda2, 'lambda2', { min: 0 }),
    lambda3: checkNumber(o.lambda3, 'lambda3', { min: 0 }),
  };
  const { lambda1: _a, lambda2: _b, lambda3: _c, ...rest } = o;
  return { weights, rest };
}

/**
 * The solver option of a temporal model, and the other options without it.
 * @param rest - the options after {@link checkTemporalOptions}
 * @returns the solver (default `'bcd'`) and the remaining options
 * @throws RangeError naming `solver`
 * @example
 * ```ts
 * const { solver, rest: r } = temporalSolver(rest); // 'bcd'
 * ```
 */
export function temporalSolver(rest: Record<string, unknown>): { solver: 'bcd' | 'fista'; rest: Record<string, unknown> } {
  const { solver, ...r } = rest;
  return { solver: checkOneOf(solver, 'solver', ['bcd', 'fista'] as const, 'bcd'), rest: r };
}

/**
 * Fits a temporal model by block coordinate descent over the rows ({@link rowBcd}), certified by the
 * problem's duality gap ≤ tol·F(0) (F(0) = L(0, b₀): every row penalty is 0 at 0).
 * @param D - the data
 * @param rest - the remaining options (tol, maxIter, warmStart, lossScale, fitIntercept, backend, onProgress)
 * @param penalty - the penalty object reported in the fit
 * @param problem - the row problem, from the loss's dimensions
 * @returns the fit (options with `solver: 'bcd'`; the caller adds the weights)
 * @throws TypeError / RangeError for bad options
 * @example
 * ```ts
 * fitTemporalRows(D, rest, new GroupNormPenalty(l3, 2, T), (d, T) => temporalGroupRows(l1, l2, l3, d, T));
 * ```
 * @see {@link rowBcd}
 */
export function fitTemporalRows<P extends Penalty>(
  D: MultiTaskData, rest: Record<string, unknown>, penalty: P, problem: (d: number, T: number) => RowBcdProblem,
): Omit<TemporalFit<P>, 'options'> & { readonly options: TemporalResolvedOptions } {
  const { d, T } = D;
  const opts = { ...resolveCompositeOptions({ ...rest, solver: undefined }), solver: 'bcd' as const, checkEvery: 5 };
  const W0 = rest.warmStart == null
    ? new Float64Array(d * T)
    : checkMat(rest.warmStart as Mat, 'warmStart', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  const loss = new QuadraticLoss(D, { lossScale: opts.lossScale, fitIntercept: opts.fitIntercept });
  const f = createBcdDatafit(loss, opts.backend);
  const tolAbs = opts.tol * loss.valueAtZero();
  const onProgress = rest.onProgress as TemporalCommonOptions['onProgress'];
  const res = rowBcd(f, problem(d, T), W0, {
    tolAbs, maxIter: opts.maxIter, checkEvery: opts.checkEvery, ...(onProgress ? { onProgress } : {}),
  });
  const W: Mat = { rows: d, cols: T, data: res.W };
  const intercepts = loss.intercepts(res.W);
  return {
    W, intercepts, objective: res.objective, certificate: res.certificate, certificateKind: 'duality-gap',
    iterations: res.iterations, converged: res.converged, status: res.status, history: res.history, options: opts,
    penalty, tolAbs, predict: makePredict(W, intercepts),
  };
}

/** The sums over W (d×T) that the temporal penalties are made of. */
export interface TemporalSums {
  /** Σ_jt |w_jt|. */
  readonly abs: number;
  /** ‖W‖²_F. */
  readonly squares: number;
  /** Σ_j Σ_t |w_jt − w_j,t+1| = ‖WH‖₁. */
  readonly absDiffs: number;
  /** Σ_j Σ_t (w_jt − w_j,t+1)² = ‖WH‖²_F. */
  readonly squaredDiffs: number;
  /** Σ_j ‖w^j‖₂. */
  readonly rowNorms: number;
}

/**
 * A temporal model's objective from the raw data: L(W, b) + `penalty` of the sums over W (computed
 * here from first principles, independent of the solver's penalty objects).
 * @param data - the data
 * @param W - d×T
 * @param lossScale - loss scaling (default 'mean')
 * @param intercepts - b (default 0)
 * @param penalty - the penalty from the sums
 * @returns F(W, b)
 * @throws RangeError naming W when its shape is not d×T
 * @example
 * ```ts
 * temporalObjective(data, W, 'mean', b, (s) => 0.1 * s.abs + 0.2 * s.absDiffs + 0.3 * s.rowNorms);
 * ```
 */
export function temporalObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat, lossScale: LossScale | undefined,
  intercepts: Float64Array | readonly number[] | undefined, penalty: (s: TemporalSums) => number,
): number {
  const D = asData(data);
  const { d, T } = D;
  const w = checkMat(W, 'W', { rows: d, cols: T, label: `d×T = ${d}×${T}` }).data;
  let abs = 0, squares = 0, absDiffs = 0, squaredDiffs = 0, rowNorms = 0;
  for (let j = 0; j < d; j++) {
    let r = 0;
    for (let t = 0; t < T; t++) {
      const v = w[j * T + t]!;
      abs += Math.abs(v);
      r += v * v;
      if (t + 1 < T) {
        const e = v - w[j * T + t + 1]!; // (WH)_jt
        absDiffs += Math.abs(e);
        squaredDiffs += e * e;
      }
    }
    squares += r;
    rowNorms += Math.sqrt(r);
  }
  return multiTaskLoss(D, { rows: d, cols: T, data: w }, intercepts, lossScale ?? 'mean')
    + penalty({ abs, squares, absDiffs, squaredDiffs, rowNorms });
}
