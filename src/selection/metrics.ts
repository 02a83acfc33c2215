/**
 * Prediction metrics for multi-task regression, per task and pooled over tasks.
 *
 * Definitions (task t, observed responses only — a NaN in the truth is a missing response and is
 * skipped, never counted as zero):
 * - SSE_t = Σ_i (y_ti − ŷ_ti)², n_t = number of observed responses, ȳ_t their mean;
 * - MSE_t = SSE_t / n_t, RMSE_t = √MSE_t;
 * - Var_t = Σ_i (y_ti − ȳ_t)² / n_t (population variance of the observed responses);
 * - normalised MSE nMSE_t = MSE_t / Var_t;
 * - explained variance EV_t = 1 − MSE_t / Var_t = 1 − nMSE_t, the definition used in the
 *   multi-task literature (B. Bakker & T. Heskes, "Task clustering and gating for Bayesian
 *   multitask learning", JMLR 4, 2003; A. Argyriou, T. Evgeniou & M. Pontil, "Convex multi-task
 *   feature learning", Mach. Learn. 73, 2008, school data). Note: this is not scikit-learn's
 *   `explained_variance_score` (which uses the variance of the residuals instead of their mean square);
 * - R²_t = 1 − SSE_t / SST_t with SST_t = Σ_i (y_ti − ȳ_t)² (coefficient of determination).
 *   Per task, R²_t and EV_t coincide; they differ when pooled.
 *
 * Pooled over tasks (tasks with n_t = 0 contribute nothing):
 * - MSE = Σ_t SSE_t / Σ_t n_t, RMSE = √MSE;
 * - nMSE = Σ_t n_t nMSE_t / Σ_t n_t (per-task nMSE averaged with weights n_t, as in MALSAR's and
 *   RMTL's evaluation of the school data), skipping tasks with Var_t = 0;
 * - EV = 1 − nMSE (pooled);
 * - R² = 1 − Σ_t SSE_t / Σ_t SST_t, each task centred on its own mean (so that task offsets do not
 *   inflate the total sum of squares).
 *
 * @packageDocumentation
 */
import type { MatLike } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';

/** Names of the metrics computed by {@link metrics} and {@link evaluate}. */
export type MetricName = 'mse' | 'rmse' | 'nmse' | 'explainedVariance' | 'r2';

/**
 * The metric names, in a fixed order.
 * @example
 * ```ts
 * METRIC_NAMES.includes('r2'); // true
 * ```
 * @see {@link MetricName}
 */
export const METRIC_NAMES: readonly MetricName[] = ['mse', 'rmse', 'nmse', 'explainedVariance', 'r2'];

/** Per-task values of every metric (arrays of length T; NaN where a task has no observed response). */
export interface TaskMetrics {
  /** Observed responses n_t. */
  readonly n: Int32Array;
  /** MSE_t. */
  readonly mse: Float64Array;
  /** RMSE_t. */
  readonly rmse: Float64Array;
  /** nMSE_t = MSE_t / Var_t (Infinity or NaN when Var_t = 0). */
  readonly nmse: Float64Array;
  /** EV_t = 1 − nMSE_t. */
  readonly explainedVariance: Float64Array;
  /** R²_t = 1 − SSE_t / SST_t. */
  readonly r2: Float64Array;
  /** SSE_t. */
  readonly sse: Float64Array;
  /** SST_t = Σ (y − ȳ_t)². */
  readonly sst: Float64Array;
}

/** Pooled values of every metric (see the module documentation for the pooling rules). */
export interface PooledMetrics {
  /** Σ_t n_t. */
  readonly n: number;
  /** Σ SSE_t / Σ n_t. */
  readonly mse: number;
  /** √MSE. */
  readonly rmse: number;
  /** Σ n_t nMSE_t / Σ n_t over tasks with Var_t > 0. */
  readonly nmse: number;
  /** 1 − pooled nMSE. */
  readonly explainedVariance: number;
  /** 1 − Σ SSE_t / Σ SST_t. */
  readonly r2: number;
}

/** The result of {@link metrics} and {@link evaluate}. */
export interface Metrics {
  /** Per-task values. */
  readonly perTask: TaskMetrics;
  /** Pooled values. */
  readonly pooled: PooledMetrics;
}

/**
 * Whether a larger value of the metric is better (`explainedVariance`, `r2`) or a smaller one
 * (`mse`, `rmse`, `nmse`).
 * @param metric - the metric name
 * @returns `true` when larger is better
 * @throws RangeError on an unknown metric name
 * @example
 * ```ts
 * metricLargerIsBetter('r2'); // true
 * metricLargerIsBetter('mse'); // false
 * ```
 * @see {@link evaluate}
 */
export function metricLargerIsBetter(metric: MetricName): boolean {
  checkMetricName(metric, 'metric');
  return metric === 'explainedVariance' || metric === 'r2';
}

/**
 * Validates a metric name.
 * @param metric - value to check
 * @param name - argument name for the error message
 * @returns the metric name
 * @throws RangeError when it is not one of {@link METRIC_NAMES}
 * @example
 * ```ts
 * checkMetricName('mse', 'metric'); // 'mse'
 * ```
 * @see {@link METRIC_NAMES}
 */
export function checkMetricName(metric: unknown, name: string): MetricName {
  if (typeof metric !== 'string' || !(METRIC_NAMES as readonly string[]).includes(metric)) {
    throw new RangeError(`${name}: expected one of ${METRIC_NAMES.map((m) => `'${m}'`).join(', ')}, got ${String(metric)}`);
  }
  return metric as MetricName;
}

/**
 * Per-task and pooled metrics of predictions against the truth. NaN in `truth` marks a missing
 * response: the entry is skipped (the prediction there is ignored, it may be anything).
 *
 * @param truth - one array of responses per task (NaN = missing)
 * @param predictions - one array of predictions per task, same lengths as `truth`
 * @returns per-task and pooled MSE, RMSE, nMSE, explained variance and R²
 * @throws TypeError when the arguments are not arrays of numeric arrays
 * @throws RangeError on a length mismatch, or a non-finite prediction at an observed response
 * @example
 * ```ts
 * const m = metrics([[1, 2, NaN], [0, 4]], [[1, 3, 7], [1, 2]]);
 * m.perTask.mse; // Float64Array [0.5, 2.5]
 * m.pooled.mse;  // (1 + 5) / 4 = 1.5
 * ```
 * @see {@link evaluate}
 */
export function metrics(
  truth: readonly (ArrayLike<number>)[], predictions: readonly (ArrayLike<number>)[],
): Metrics {
  if (!Array.isArray(truth)) throw new TypeError('truth: expected an array with one array of responses per task');
  if (!Array.isArray(predictions)) throw new TypeError('predictions: expected an array with one array of predictions per task');
  const T = truth.length;
  if (predictions.length !== T) {
    throw new RangeError(`predictions: expected ${T} tasks (as truth), got ${predictions.length}`);
  }
  const acc = new MetricAccumulator(T);
  for (let t = 0; t < T; t++) {
    const y = truth[t], p = predictions[t];
    if (y === null || typeof y !== 'object' || typeof y.length !== 'number') throw new TypeError(`truth[${t}]: expected an array of numbers`);
    if (p === null || typeof p !== 'object' || typeof p.length !== 'number') throw new TypeError(`predictions[${t}]: expected an array of numbers`);
    if (p.length !== y.length) {
      throw new RangeError(`predictions[${t}]: task ${t} has ${p.length} predictions, expected ${y.length} (the length of truth[${t}])`);
    }
    acc.addTask(t, y, p, 0, 1, y.length);
  }
  return acc.result();
}

/**
 * Accumulates per-task sums (Σ y, Σ y², Σ (y − ŷ)², n) and turns them into {@link Metrics}.
 * Helper shared by {@link metrics}, {@link evaluate}, {@link evaluateWeights} and cross-validation;
 * allocation-free while accumulating.
 *
 * @example
 * ```ts
 * const acc = new MetricAccumulator(2);
 * acc.addTask(0, y0, p0, 0, 1, y0.length);
 * acc.addTask(1, Y, p1, 1, 2, n); // task 1 = column 1 of an n×2 row-major Y
 * acc.result().pooled.mse;
 * ```
 * @see {@link metrics}
 */
export class MetricAccumulator {
  private readonly T: number;
  private readonly n: Int32Array;
  private readonly sse: Float64Array;
  private readonly sy: Float64Array;
  private readonly syy: Float64Array;
  /** A constant per task subtracted before summing y (numerical stability of the variance). */
  private readonly shift: Float64Array;
  private readonly shifted: Uint8Array;

  /** @param T - number of tasks */
  constructor(T: number) {
    this.T = T;
    this.n = new Int32Array(T);
    this.sse = new Float64Array(T);
    this.sy = new Float64Array(T);
    this.syy = new Float64Array(T);
    this.shift = new Float64Array(T);
    this.shifted = new Uint8Array(T);
  }

  /**
   * Adds the entries `y[offset + k·stride]`, k < count, of task t with their predictions
   * `p[k]`; NaN truth entries are skipped.
   * @param t - task
   * @param y - truth (strided)
   * @param p - predictions (contiguous, length ≥ count)
   * @param offset - first truth index
   * @param stride - truth stride
   * @param count - number of entries
   * @returns nothing
   * @throws RangeError on a non-finite prediction at an observed response
   */
  addTask(t: number, y: ArrayLike<number>, p: ArrayLike<number>, offset: number, stride: number, count: number): void {
    let n = this.n[t]!, sse = this.sse[t]!, sy = this.sy[t]!, syy = this.syy[t]!;
    let c = this.shift[t]!;
    for (let k = 0; k < count; k++) {
      const v = y[offset + k * stride]!;
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      const q = p[k]!;
      if (!Number.isFinite(q) || !Number.isFinite(v)) {
        throw new RangeError(`predictions: task ${t}, entry ${k}: truth ${v}, prediction ${q}; expected finite numbers at observed responses`);
      }
      if (!this.shifted[t]) { c = v; this.shift[t] = v; this.shifted[t] = 1; }
      const e = v - q;
      sse += e * e;
      const z = v - c;
      sy += z;
      syy += z * z;
      n++;
    }
    this.n[t] = n; this.sse[t] = sse; this.sy[t] = sy; this.syy[t] = syy;
  }

  /**
   * The metrics of everything added so far.
   * @returns per-task and pooled metrics
   */
  result(): Metrics {
    const T = this.T;
    const mse = new Float64Array(T), rmse = new Float64Array(T), nmse = new Float64Array(T);
    const ev = new Float64Array(T), r2 = new Float64Array(T), sst = new Float64Array(T);
    let N = 0, SSE = 0, SST = 0, nmseNum = 0, nmseDen = 0;
    for (let t = 0; t < T; t++) {
      const n = this.n[t]!;
      if (n === 0) {
        mse[t] = rmse[t] = nmse[t] = ev[t] = r2[t] = sst[t] = NaN;
        continue;
      }
      const s = Math.max(this.syy[t]! - (this.sy[t]! * this.sy[t]!) / n, 0);
      sst[t] = s;
      mse[t] = this.sse[t]! / n;
      rmse[t] = Math.sqrt(mse[t]!);
      nmse[t] = this.sse[t]! / s; // = MSE_t / Var_t
      ev[t] = 1 - nmse[t]!;
      r2[t] = 1 - this.sse[t]! / s;
      N += n;
      SSE += this.sse[t]!;
      SST += s;
      if (s > 0) { nmseNum += n * nmse[t]!; nmseDen += n; }
    }
    const pm = N > 0 ? SSE / N : NaN;
    const pn = nmseDen > 0 ? nmseNum / nmseDen : NaN;
    return {
      perTask: { n: Int32Array.from(this.n), mse, rmse, nmse, explainedVariance: ev, r2, sse: Float64Array.from(this.sse), sst },
      pooled: { n: N, mse: pm, rmse: Math.sqrt(pm), nmse: pn, explainedVariance: 1 - pn, r2: SST > 0 ? 1 - SSE / SST : NaN },
    };
  }
}

/** Anything with a `predict(X, task)` method, as every mtlearn fit has. */
export interface Predictor {
  /** Predictions of task `task` for the rows of X. */
  predict(X: MatLike, task: number): Float64Array;
}

/**
 * Metrics of a fit's predictions on a {@link MultiTaskData} (e.g. held-out data), using
 * `fit.predict`. For a shared design, every task is predicted on all rows of X and the rows where
 * Y[i, t] is NaN are skipped.
 *
 * @param fit - a fitted model (anything with `predict(X, task)`)
 * @param data - the data to evaluate on (same d and T as the fit)
 * @param metric - when given, only this pooled metric is returned
 * @returns all per-task and pooled metrics, or the pooled value of `metric`
 * @throws TypeError when `fit` has no `predict` method
 * @throws RangeError on an unknown metric name, a task-count or feature-count mismatch between the
 *   fit (its W, d×T) and the data, or a shape mismatch reported by `predict`
 * @example
 * ```ts
 * const fit = groupLasso(train, { lambda: 0.1 });
 * evaluate(fit, test).perTask.r2;  // per-task R²
 * evaluate(fit, test, 'nmse');     // pooled normalised MSE
 * ```
 * @see {@link metrics}
 */
export function evaluate(fit: Predictor, data: MultiTaskData): Metrics;
export function evaluate(fit: Predictor, data: MultiTaskData, metric: MetricName): number;
export function evaluate(fit: Predictor, data: MultiTaskData, metric?: MetricName): Metrics | number {
  if (fit === null || typeof fit !== 'object' || typeof fit.predict !== 'function') {
    throw new TypeError('fit: expected a fitted model with a predict(X, task) method');
  }
  if (data === null || typeof data !== 'object' || typeof data.T !== 'number') throw new TypeError('data: expected a MultiTaskData');
  if (metric !== undefined) checkMetricName(metric, 'metric');
  const { T, d } = data;
  const shape = (fit as { W?: { rows?: unknown; cols?: unknown } }).W;
  if (shape !== undefined && shape !== null && typeof shape.cols === 'number' && typeof shape.rows === 'number'
    && (shape.cols !== T || shape.rows !== d)) {
    throw new RangeError(`data: the fit has ${shape.cols} tasks and ${shape.rows} features (W is ${shape.rows}×${shape.cols}), the data ${T} tasks and ${d} features; expected the same T and d`);
  }
  const intercepts = (fit as { intercepts?: unknown }).intercepts;
  if (shape === undefined && intercepts instanceof Float64Array && intercepts.length !== T) {
    throw new RangeError(`data: the fit has ${intercepts.length} tasks (intercepts), the data ${T}; expected the same number of tasks`);
  }
  const acc = new MetricAccumulator(T);
  if (data.kind === 'tasks') {
    for (let t = 0; t < T; t++) {
      const v = data.tasks[t]!;
      const p = fit.predict({ rows: v.n, cols: d, data: v.X }, t);
      acc.addTask(t, v.y, p, 0, 1, v.n);
    }
  } else {
    const X = { rows: data.n, cols: d, data: data.X! };
    for (let t = 0; t < T; t++) {
      const p = fit.predict(X, t);
      acc.addTask(t, data.Y!, p, t, T, data.n);
    }
  }
  const m = acc.result();
  return metric === undefined ? m : m.pooled[metric];
}

/**
 * Metrics of the linear predictions X w_t + b_t on a {@link MultiTaskData}, computed directly from
 * W and b (no copies of the design; used by cross-validation).
 *
 * @param W - weights d×T
 * @param intercepts - b, length T
 * @param data - the data to evaluate on
 * @returns per-task and pooled metrics
 * @throws RangeError when the shapes of W, b and the data disagree
 * @example
 * ```ts
 * evaluateWeights(fit.W, fit.intercepts, test).pooled.mse;
 * ```
 * @see {@link evaluate}
 */
export function evaluateWeights(W: { rows: number; cols: number; data: Float64Array }, intercepts: Float64Array, data: MultiTaskData): Metrics {
  const { d, T } = data;
  if (W.rows !== d || W.cols !== T) throw new RangeError(`W: has ${W.rows}×${W.cols}, expected ${d}×${T} (d×T of the data)`);
  if (intercepts.length !== T) throw new RangeError(`intercepts: has length ${intercepts.length}, expected T = ${T}`);
  const acc = new MetricAccumulator(T);
  const Wd = W.data;
  if (data.kind === 'tasks') {
    let maxN = 0;
    for (let t = 0; t < T; t++) maxN = Math.max(maxN, data.taskSizes[t]!);
    const p = new Float64Array(maxN);
    for (let t = 0; t < T; t++) {
      const v = data.taskView(t); // a fold's rows are read in place
      const X = v.X, b = intercepts[t]!, idx = v.rows;
      for (let i = 0; i < v.n; i++) {
        let s = b;
        const o = (idx === null ? i : idx[i]!) * d;
        for (let j = 0; j < d; j++) s += X[o + j]! * Wd[j * T + t]!;
        p[i] = s;
      }
      acc.addTask(t, v.y, p, 0, 1, v.n);
    }
    return acc.result();
  }
  const n = data.n, { X, Y, rows } = data.designView(); // a fold's rows are read in place
  const P = new Float64Array(n * T); // P = X W + 1 bᵀ, row by row
  for (let i = 0; i < n; i++) {
    const po = i * T, xo = (rows === null ? i : rows[i]!) * d;
    for (let t = 0; t < T; t++) P[po + t] = intercepts[t]!;
    for (let j = 0; j < d; j++) {
      const x = X[xo + j]!;
      if (x === 0) continue;
      const wo = j * T;
      for (let t = 0; t < T; t++) P[po + t]! += x * Wd[wo + t]!;
    }
  }
  const col = new Float64Array(n), yv = rows === null ? null : new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) col[i] = P[i * T + t]!;
    if (yv === null) { acc.addTask(t, Y, col, t, T, n); continue; }
    for (let i = 0; i < n; i++) yv[i] = Y[rows![i]! * T + t]!; // y_t of the rows
    acc.addTask(t, yv, col, 0, 1, n);
  }
  return acc.result();
}
