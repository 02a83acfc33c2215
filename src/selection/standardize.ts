/**
 * Feature standardisation as glmnet's `standardize = TRUE` (J. Friedman, T. Hastie & R. Tibshirani,
 * "Regularization paths for generalized linear models via coordinate descent", J. Stat. Softw. 33,
 * 2010; glmnet's `standard` routines): every feature is divided by its **population** standard
 * deviation s_j = √(Σ_i (x_ij − m_j)² / N) over all N rows of the design (the n rows of a shared X;
 * the stacked rows of every task for per-task designs, so that one scale per feature keeps the rows
 * w^j of W comparable across tasks), with m_j the mean of the column when intercepts are fitted and 0
 * otherwise (glmnet's `intercept = FALSE`). The model is fitted on X̃ = X D⁻¹ (D = diag(s)) and the
 * coefficients are returned on the original scale, W = D⁻¹ W̃; intercepts are unchanged because X̃ is
 * scaled, not shifted (every model centres internally when it fits intercepts). A constant column
 * (s_j = 0) is left unscaled (s_j := 1): with intercepts its weight is 0, as in glmnet.
 *
 * Works for every model: `standardize` transforms the data, `toOriginalScale` maps any fit back.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { MultiTaskData } from '../data/MultiTaskData.js';
import { makePredict } from '../models/predict.js';

/** Options of {@link standardize}. */
export interface StandardizeOptions {
  /** Centre each feature before computing its standard deviation (set false for fits without intercepts, as glmnet's `intercept = FALSE`). @default true */
  center?: boolean;
}

/** The result of {@link standardize}. */
export interface StandardizedData {
  /** The data with X̃ = X D⁻¹ (same responses, labels and missing values). */
  readonly data: MultiTaskData;
  /** m_j, the feature means used for the standard deviations (zeros when `center` is false). */
  readonly center: Float64Array;
  /** s_j, the population standard deviation of each feature (1 for a constant feature). */
  readonly scale: Float64Array;
  /**
   * A fit on {@link StandardizedData.data} with its coefficients on the original scale:
   * W = D⁻¹W̃ (row j divided by s_j), the same intercepts, and `predict` on original features.
   * `objective`, the certificate and model-specific variables (singular values, Θ, M, …) stay those
   * of the standardized problem, where the penalty was applied (as glmnet's).
   * @param fit - a fit on the standardized data
   * @returns the fit with W and predict on the original scale
   */
  toOriginalScale<F extends { readonly W: Mat; readonly intercepts: Float64Array }>(fit: F): F & { readonly standardizedW: Mat };
}

/**
 * Standardizes the features of multi-task data (glmnet's `standardize = TRUE`, population standard
 * deviation; see the module documentation for the exact definition).
 * @param data - the data
 * @param options - `{ center }`
 * @returns the scaled data, the means and scales, and the back-transformation of fits
 * @throws TypeError / RangeError on a non-data argument or an unknown option
 * @example
 * ```ts
 * const s = standardize(data);
 * const fit = s.toOriginalScale(groupLasso(s.data, { lambda: 0.1 }));
 * fit.W;                 // coefficients for the original features
 * fit.predict(Xnew, 0);  // predictions from original features
 * ```
 * @see {@link MultiTaskData}
 */
export function standardize(data: MultiTaskData, options: StandardizeOptions = {}): StandardizedData {
  if (!(data instanceof MultiTaskData)) throw new TypeError('data: expected a MultiTaskData (fromTasks / fromShared / fromLong)');
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected { center }');
  for (const key of Object.keys(options)) {
    if (key !== 'center') throw new RangeError(`options: unknown option '${key}'${key.startsWith('cent') ? ' (did you mean center?)' : ''}; expected center`);
  }
  const centred = options.center ?? true;
  if (typeof centred !== 'boolean') throw new TypeError(`center: expected a boolean, got ${typeof centred}`);
  const { d } = data;
  const parts: { X: Float64Array; n: number }[] = data.kind === 'shared' ? [{ X: data.X!, n: data.n }] : data.tasks.map((v) => ({ X: v.X, n: v.n }));
  let N = 0;
  for (const p of parts) N += p.n;
  // m_j = Σ_i x_ij / N (pooled over all rows)
  const m = new Float64Array(d);
  if (centred) {
    for (const p of parts) for (let i = 0; i < p.n; i++) for (let j = 0; j < d; j++) m[j]! += p.X[i * d + j]!;
    for (let j = 0; j < d; j++) m[j]! /= N;
  }
  // s_j² = Σ_i (x_ij − m_j)² / N (two-pass: stable)
  const s = new Float64Array(d);
  for (const p of parts) {
    for (let i = 0; i < p.n; i++) {
      for (let j = 0; j < d; j++) { const z = p.X[i * d + j]! - m[j]!; s[j]! += z * z; }
    }
  }
  for (let j = 0; j < d; j++) {
    const v = Math.sqrt(s[j]! / N);
    s[j] = v > 0 && Number.isFinite(v) ? v : 1;
  }
  // X̃ = X D⁻¹
  const scaleRows = (X: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = X[i * d + j]! / s[j]!;
    return out;
  };
  const scaled = data.kind === 'shared'
    ? MultiTaskData.wrap({ kind: 'shared', d, T: data.T, n: data.n, X: scaleRows(data.X!, data.n), Y: data.Y!, labels: data.taskLabels })
    : MultiTaskData.wrap({ kind: 'tasks', d, T: data.T, tasks: data.tasks.map((v) => ({ X: scaleRows(v.X, v.n), y: v.y, n: v.n })), labels: data.taskLabels });
  const scale = s;
  return {
    data: scaled, center: m, scale,
    toOriginalScale<F extends { readonly W: Mat; readonly intercepts: Float64Array }>(fit: F): F & { readonly standardizedW: Mat } {
      const { rows, cols } = fit.W;
      if (rows !== d) throw new RangeError(`fit.W: has ${rows}×${cols}, expected ${d} rows (the standardized data's features)`);
      const W = new Float64Array(rows * cols);
      // W = D⁻¹ W̃: row j of W̃ divided by s_j
      for (let j = 0; j < rows; j++) for (let t = 0; t < cols; t++) W[j * cols + t] = fit.W.data[j * cols + t]! / scale[j]!;
      const Wm: Mat = { rows, cols, data: W };
      const intercepts = Float64Array.from(fit.intercepts);
      return { ...fit, W: Wm, intercepts, standardizedW: fit.W, predict: makePredict(Wm, intercepts) };
    },
  };
}
