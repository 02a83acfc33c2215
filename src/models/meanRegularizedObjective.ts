/**
 * The mean-regularized objective (Evgeniou & Pontil 2004) in its two forms, its gradient and the
 * equivalent penalty weights, evaluated from the raw data (see `meanRegularized.ts` for the model
 * and the equivalences between the forms).
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss, checkW, multiTaskLoss } from '../datafits/quadratic.js';
import { checkNumber, checkOneOf } from '../util/checks.js';

/** The parameters of the mean-regularized objective, for {@link meanRegularizedObjective}. */
export type MeanRegularizedParams =
  | { form: 'A'; rho: number; lambda: number; lossScale?: LossScale }
  | { form: 'B'; lambda: number; mu?: number; lossScale?: LossScale };

/** Form B's variables (w₀, ΔW), accepted by {@link meanRegularizedObjective}. */
export interface SharedPlusSpecific {
  /** The shared part w₀ (length d). */
  w0: Float64Array | readonly number[];
  /** The task-specific parts ΔW (d×T). */
  dW: Mat;
}

/** A number ≥ 0 (the one wording of `src/util/checks.ts`). */
export const nonNeg = (v: unknown, name: string): number => checkNumber(v, name, { min: 0 });
/** The loss scale option, default `'mean'`. */
export const checkLossScale = (v: unknown): LossScale => checkOneOf(v, 'lossScale', ['sum', 'mean', 'task-mean'] as const, 'mean');

/**
 * The equivalent penalty weights (p_mean, p_dev) of either form: the penalty (profiled over w₀ for
 * form B) is p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖².
 * @param params - the form's parameters
 * @param T - number of tasks (of the group the penalty applies to)
 * @returns `{ pMean, pDev }`
 * @throws RangeError when a parameter is negative or not finite, or `form` is neither 'A' nor 'B'
 * @example
 * ```ts
 * meanRegularizedWeights({ form: 'B', lambda: 0.1, mu: 1 }, 10); // { pMean: 0.5, pDev: 0.1 }
 * ```
 * @see {@link meanRegularizedObjective}
 */
export function meanRegularizedWeights(params: MeanRegularizedParams, T: number): { pMean: number; pDev: number } {
  if (typeof params !== 'object' || params === null) throw new TypeError("params: expected { form: 'A', rho, lambda } or { form: 'B', lambda, mu }");
  if (params.form === 'A') {
    const rho = nonNeg(params.rho, 'rho');
    const lambda = nonNeg(params.lambda, 'lambda');
    return { pMean: rho, pDev: (rho * lambda) / T };
  }
  if (params.form === 'B') {
    const lambda = nonNeg(params.lambda, 'lambda');
    const mu = nonNeg(params.mu ?? 0, 'mu');
    const lt = lambda * T;
    return { pMean: lt + mu > 0 ? (lt * mu) / (lt + mu) : 0, pDev: lambda };
  }
  throw new RangeError(`form: expected 'A' or 'B', got ${String((params as { form?: unknown }).form)}`);
}


// ---------------------------------------------------------------------------------------------
// Objective and gradient
// ---------------------------------------------------------------------------------------------

/** p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖² at W (w̄ written into `wbar`). */
export function meanDeviationPenalty(W: Float64Array, d: number, T: number, pMean: number, pDev: number, wbar: Float64Array): number {
  let mean2 = 0, dev2 = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += W[j * T + t]!;
    const m = s / T;
    wbar[j] = m;
    mean2 += m * m;
    for (let t = 0; t < T; t++) {
      const e = W[j * T + t]! - m;
      dev2 += e * e;
    }
  }
  return pMean * mean2 + pDev * dev2;
}

/** g += ∇ of p_mean ‖w̄‖² + p_dev Σ_t ‖w_t − w̄‖² at W (w̄ given). */
export function addPenaltyGradient(W: Float64Array, wbar: Float64Array, d: number, T: number, pMean: number, pDev: number, g: Float64Array): void {
  const cm = (2 * pMean) / T, cd = 2 * pDev;
  for (let j = 0; j < d; j++) {
    const m = wbar[j]!;
    for (let t = 0; t < T; t++) g[j * T + t]! += cd * (W[j * T + t]! - m) + cm * m;
  }
}

function isShared(x: unknown): x is SharedPlusSpecific {
  return typeof x === 'object' && x !== null && 'w0' in x && 'dW' in x;
}

/**
 * The mean-regularized objective, evaluated from the raw data.
 *
 * - `params.form === 'A'`, `W` a d×T Mat: L(W, b) + ρ ( ‖w̄‖² + (λ/T) Σ_t ‖w_t − w̄‖² ).
 * - `params.form === 'B'`, `W` = `{ w0, dW }`: L(w₀1ᵀ + ΔW, b) + λ ‖ΔW‖²_F + μ ‖w₀‖².
 * - `params.form === 'B'`, `W` a Mat: form B at the best w₀ for this W (w₀ = λT w̄/(λT + μ),
 *   ΔW = W − w₀1ᵀ), i.e. L + λ Σ_t ‖w_t − w̄‖² + (λTμ/(λT + μ)) ‖w̄‖².
 * - `params.form === 'A'`, `W` = `{ w0, dW }`: form A at W = w₀1ᵀ + ΔW.
 *
 * @param data - the data (a {@link MultiTaskData} or per-task `{ X, y }` array)
 * @param W - weights d×T, or form B's `{ w0, dW }`
 * @param params - the form and its parameters, and the loss scale (default `'mean'`)
 * @param intercepts - per-task intercepts b (omitted: b = 0)
 * @returns the objective value
 * @throws TypeError / RangeError on malformed arguments (shapes, negative parameters)
 * @example
 * ```ts
 * meanRegularizedObjective(data, fit.W, { form: 'A', rho: 1, lambda: 5 }, fit.intercepts);
 * meanRegularizedObjective(data, { w0: fit.w0, dW: fit.dW }, { form: 'B', lambda: 0.1 }, fit.intercepts);
 * ```
 * @see {@link meanRegularized}
 */
export function meanRegularizedObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat | SharedPlusSpecific, params: MeanRegularizedParams,
  intercepts?: Float64Array | readonly number[],
): number {
  const D = asData(data);
  const { d, T } = D;
  const weights = meanRegularizedWeights(params, T); // validates params
  const lossScale = checkLossScale(params.lossScale);
  if (isShared(W)) {
    const w0 = W.w0;
    if (!(w0 instanceof Float64Array) && !Array.isArray(w0)) throw new TypeError(`w0: expected a Float64Array or number[] of length d = ${d}`);
    if (w0.length !== d) throw new RangeError(`w0: expected length d = ${d}, got ${w0.length}`);
    checkW(W.dW, d, T, 'dW');
    const full = new Float64Array(d * T);
    let dev2 = 0, w02 = 0;
    for (let j = 0; j < d; j++) {
      const a = w0[j]!;
      if (!Number.isFinite(a)) throw new RangeError(`w0: entry ${j} is ${a}; expected finite`);
      w02 += a * a;
      for (let t = 0; t < T; t++) {
        const e = W.dW.data[j * T + t]!;
        dev2 += e * e;
        full[j * T + t] = a + e;
      }
    }
    const Wm: Mat = { rows: d, cols: T, data: full };
    if (params.form === 'A') {
      return multiTaskLoss(D, Wm, intercepts, lossScale) + meanDeviationPenalty(full, d, T, weights.pMean, weights.pDev, new Float64Array(d));
    }
    return multiTaskLoss(D, Wm, intercepts, lossScale) + params.lambda * dev2 + (params.mu ?? 0) * w02;
  }
  checkW(W, d, T, 'W');
  return multiTaskLoss(D, W, intercepts, lossScale) + meanDeviationPenalty(W.data, d, T, weights.pMean, weights.pDev, new Float64Array(d));
}

/**
 * The gradient of the mean-regularized objective in W with the intercepts profiled out (b = the
 * optimal intercepts of W when `fitIntercept`): ∇L(W) + ∇penalty, through the solvers' residual path.
 * By the envelope theorem it is also ∂F/∂W at (W, b*(W)).
 *
 * @param data - the data
 * @param W - weights d×T
 * @param params - the form, its parameters and the loss scale; `fitIntercept` (default true)
 * @returns ∇F(W), d×T
 * @throws TypeError / RangeError on malformed arguments
 * @example
 * ```ts
 * const G = meanRegularizedGradient(data, fit.W, { form: 'A', rho: 1, lambda: 5 });
 * // ‖G‖ ≈ 0 at the optimum
 * ```
 * @see {@link meanRegularizedObjective}
 */
export function meanRegularizedGradient(
  data: MultiTaskData | readonly TaskInput[], W: Mat, params: MeanRegularizedParams & { fitIntercept?: boolean },
): Mat {
  const D = asData(data);
  const { d, T } = D;
  checkW(W, d, T, 'W');
  const { pMean, pDev } = meanRegularizedWeights(params, T);
  const loss = new QuadraticLoss(D, { lossScale: checkLossScale(params.lossScale), fitIntercept: params.fitIntercept ?? true });
  const R = new Float64Array(loss.residualSize);
  const G = new Float64Array(d * T);
  const wbar = new Float64Array(d);
  loss.residual(W.data, R);
  loss.gradient(R, G);
  meanDeviationPenalty(W.data, d, T, pMean, pDev, wbar);
  addPenaltyGradient(W.data, wbar, d, T, pMean, pDev, G);
  return { rows: d, cols: T, data: G };
}

