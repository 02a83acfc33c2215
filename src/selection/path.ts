/**
 * Regularisation paths: fits along a decreasing grid of the model's parameter, each warm-started
 * from the previous solution (J. Friedman, T. Hastie & R. Tibshirani, "Regularization paths for
 * generalized linear models via coordinate descent", J. Stat. Softw. 33, 2010), with sequential
 * strong rules for row-sparse models (R. Tibshirani, J. Bien, J. Friedman, T. Hastie, N. Simon,
 * J. Taylor & R. Tibshirani, "Strong rules for discarding predictors in lasso-type problems",
 * JRSS B 74, 2012; for the group lasso, discard row j at λ_k when
 * ‖∇_j L(W(λ_{k−1}))‖_{q*} < 2λ_k − λ_{k−1}, then check the KKT conditions of the discarded rows).
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { MultiTaskData, asData, type TaskInput } from '../data/MultiTaskData.js';
import {
  checkModelOptionKeys, modelOf, type ModelFitLike, type ModelFunction, type ModelRow, type SelectionOptions,
} from '../models/table.js';
import { checkPathOptions, type PathOptions, type ResolvedPathOptions } from './pathOptions.js';

export { checkPathOptions, type PathOptions, type ResolvedPathOptions } from './pathOptions.js';

/** One point of a {@link PathResult}. */
export interface PathPoint {
  /** Parameter value. */
  readonly lambda: number;
  /** Weights d×T. */
  readonly W: Mat;
  /** Intercepts. */
  readonly intercepts: Float64Array;
  /** Objective of the full problem at W. */
  readonly objective: number;
  /** Certificate of the full problem (for strong rules: recomputed on the full problem). */
  readonly certificate: number;
  /** Whether every fit at this point converged. */
  readonly converged: boolean;
  /** Iterations, summed over the refits at this point. */
  readonly iterations: number;
  /** Non-zero rows of W. */
  readonly nonzeroRows: number;
  /** Rank of W, present only when the model reports one (trace norm, low rank). */
  readonly rank?: number;
  /** Rows discarded by the strong rule before fitting (0 without strong rules). */
  readonly discarded: number;
  /** Discarded rows that violated the KKT conditions and were re-added. */
  readonly kktViolations: number;
  /**
   * Rows the solver itself discarded by gap-safe sequential screening (Ndiaye et al. 2017), starting
   * from the previous point's solution (summed over the fits at this λ); 0 when the model reports none.
   */
  readonly screened: number;
  /** Number of fits at this point (1 + refits after violations). */
  readonly fits: number;
  /** Seconds for this point (screening, fits and checks). */
  readonly time: number;
}

/** The result of {@link path}. */
export interface PathResult {
  /** Table name of the model (or the function's name when it is not in the table). */
  readonly model: string;
  /** Name of the varied parameter (the model's `pathParam`). */
  readonly paramName: string;
  /** λ_max (NaN when the model has none and an explicit grid was given). */
  readonly lambdaMax: number;
  /** The fits, in grid order. */
  readonly points: readonly PathPoint[];
  /** The path options actually used. */
  readonly options: ResolvedPathOptions;
  /** Total seconds. */
  readonly time: number;
}

/** A model function and its table row (a stand-in row varying `lambda` for a function outside the table). */
export interface ResolvedModel {
  /** The row. */
  readonly row: ModelRow;
  /** Whether the row is in the table (unknown option keys are rejected only then). */
  readonly registered: boolean;
}

/**
 * The table row of a model function (a stand-in varying `lambda`, with warm starts, when the
 * function is not in the table).
 * @param model - a model function
 * @param name - argument name for the error message
 * @returns the row and whether it is registered
 * @throws TypeError when `model` is not a function
 * @example
 * ```ts
 * resolveModel(groupLasso).row.pathParam; // 'lambda'
 * ```
 * @see {@link path}
 */
export function resolveModel(model: unknown, name = 'model'): ResolvedModel {
  if (typeof model !== 'function') throw new TypeError(`${name}: expected an exported model function such as groupLasso, got ${typeof model}`);
  const row = modelOf(model);
  if (row !== undefined) return { row, registered: true };
  const fit = model as ModelRow['fit'];
  return {
    row: { name: model.name || 'anonymous', cliName: null, summary: '', fit, optionKeys: [], pathParam: 'lambda', warmStart: true, taskWeights: false },
    registered: false,
  };
}

/**
 * The model options as a plain record, checked against the model's option names.
 * @param modelOptions - the options (or undefined)
 * @param m - the model
 * @param context - argument name
 * @returns a shallow copy
 * @throws TypeError when not an object; RangeError on an unknown key (naming the closest valid one)
 * @example
 * ```ts
 * modelOptionsRecord({ q: 2 }, resolveModel(groupLasso), 'modelOptions'); // { q: 2 }
 * ```
 * @see {@link path}
 */
export function modelOptionsRecord(modelOptions: unknown, m: ResolvedModel, context: string): Record<string, unknown> {
  if (modelOptions === undefined) return {};
  if (modelOptions === null || typeof modelOptions !== 'object' || Array.isArray(modelOptions)) {
    throw new TypeError(`${context}: expected an object of ${m.row.name} options, got ${modelOptions === null ? 'null' : typeof modelOptions}`);
  }
  if (m.registered) checkModelOptionKeys(modelOptions, m.row, context);
  return { ...modelOptions };
}

/**
 * The data restricted to a subset of feature columns (copies).
 * @param data - full data
 * @param cols - kept columns, increasing
 * @param count - number of entries of `cols` used
 * @returns the reduced data (d = count)
 * @example
 * ```ts
 * selectColumns(data, Int32Array.from([0, 3]), 2).d; // 2
 * ```
 * @see {@link path}
 */
export function selectColumns(data: MultiTaskData, cols: Int32Array, count: number): MultiTaskData {
  const d = data.d;
  const copy = (X: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n * count);
    for (let i = 0; i < n; i++) {
      const src = i * d, dst = i * count;
      for (let k = 0; k < count; k++) out[dst + k] = X[src + cols[k]!]!;
    }
    return out;
  };
  if (data.kind === 'shared') {
    return MultiTaskData.fromShared(
      { rows: data.n, cols: count, data: copy(data.X!, data.n) }, { rows: data.n, cols: data.T, data: data.Y! }, { labels: data.taskLabels },
    );
  }
  return MultiTaskData.fromTasks(data.tasks.map((v) => ({ X: { rows: v.n, cols: count, data: copy(v.X, v.n) }, y: v.y })), { labels: data.taskLabels });
}

function countNonzeroRows(W: Float64Array, d: number, T: number): number {
  let c = 0;
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) { c++; break; }
  }
  return c;
}

/**
 * Fits a model along a decreasing grid of its regularisation parameter, the `pathParam` of its row
 * in the model table ({@link MODEL_TABLE}: `lambda` for the group lasso, trace norm, mean-regularized,
 * clustered-mean, ASO and feature projections, `rho2` for graph-regularized, `rho1` for convex ASO
 * and convex clustered, `gamma` for feature learning), each fit warm-started from the previous one
 * when the model takes warm starts. The default grid is geometric from λ_max (where W = 0) down to
 * `lambdaMinRatio`·λ_max; models without λ_max need an explicit grid `{ lambdas: [...] }`.
 *
 * With `strongRules: true`, for row-sparse models with a strong rule (the group lasso), each point first fits the
 * reduced problem on the rows kept by the sequential strong rule (Tibshirani et al. 2012):
 * row j is discarded at λ_k when ‖∇_j L(W(λ_{k−1}))‖_{q*} < 2λ_k − λ_{k−1} and W(λ_{k−1}) has row j
 * zero; then the KKT condition ‖∇_j L(W)‖_{q*} ≤ λ_k is checked on every discarded row with the full
 * gradient, violators are re-added and the reduced problem refitted until none remain. The reported
 * certificate is then the duality gap of the full problem.
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param model - an exported model function, e.g. `groupLasso`
 * @param options - the grid (`{ lambdas }` or `{ nLambdas, lambdaMinRatio }`) and screening
 * @param modelOptions - the model's other options, typed by the model (the path parameter and
 *   `warmStart` are set by the path); an unknown key is a RangeError naming the closest option
 * @returns the fits along the grid
 * @throws TypeError / RangeError on invalid arguments (and whatever the model throws)
 * @example
 * ```ts
 * const p = path(data, groupLasso, { nLambdas: 50, lambdaMinRatio: 0.01 }, { q: 2, tol: 1e-6 });
 * p.points.map((pt) => pt.nonzeroRows);
 * ```
 * @see {@link crossValidate}, {@link MODEL_TABLE}
 */
export function path<O extends object, F extends ModelFitLike>(
  data: MultiTaskData | readonly TaskInput[], model: ModelFunction<O, F>, options: PathOptions = {},
  modelOptions?: NoInfer<SelectionOptions<O>>,
): PathResult {
  const m = resolveModel(model);
  return runPath(asData(data), m, options, modelOptionsRecord(modelOptions, m, 'modelOptions'));
}

/**
 * {@link path} on a resolved model with checked options (shared with cross-validation folds).
 * @param D - data
 * @param m - the model and its row
 * @param options - path options
 * @param modelOptions - the model's other options (keys already checked)
 * @returns the path
 * @example
 * ```ts
 * runPath(data, resolveModel(groupLasso), { lambdas: [1, 0.1] }, { q: 2 });
 * ```
 * @see {@link path}
 */
export function runPath(D: MultiTaskData, m: ResolvedModel, options: PathOptions, modelOptions: Readonly<Record<string, unknown>>): PathResult {
  const start = performance.now();
  const spec = m.row;
  const param = spec.pathParam;
  if (param === null) {
    throw new RangeError(`model: ${spec.name} has no path parameter; cross-validate over a grid of option objects instead`);
  }
  const explicit = options !== null && typeof options === 'object' && options.lambdas !== undefined && options.lambdas !== null;
  const baseOptions: Record<string, unknown> = { ...modelOptions };
  delete baseOptions['warmStart'];
  delete baseOptions[param];
  const lambdaMax = spec.lambdaMax ? spec.lambdaMax(D, baseOptions) : NaN;
  if (!explicit && !spec.lambdaMax) {
    throw new RangeError(`options: model '${spec.name}' has no λ_max for ${param}; give an explicit grid { lambdas: [...] }`);
  }
  const opts = checkPathOptions(options, lambdaMax);
  const progress = options.progress ?? null;
  const { d, T } = D;
  const model = (data: MultiTaskData, o: Record<string, unknown>): ModelFitLike => spec.fit(data, o);
  const useWarm = opts.warmStart && spec.warmStart;
  const rule = opts.strongRules && spec.strongRule ? spec.strongRule.prepare(D, baseOptions) : null;

  const points: PathPoint[] = [];
  let Wprev: Float64Array = new Float64Array(d * T);
  let prevLambda = Number.isFinite(lambdaMax) ? Math.max(lambdaMax, opts.lambdas[0]!) : NaN;
  // screening buffers
  const scores = new Float64Array(d);
  const keep = new Uint8Array(d);
  const cols = new Int32Array(d);
  if (rule) rule.check(Wprev, prevLambda, scores); // gradient at W = 0
  let haveScores = rule !== null;

  for (let k = 0; k < opts.lambdas.length; k++) {
    const lambda = opts.lambdas[k]!;
    const t0 = performance.now();
    let fit: ModelFitLike;
    let W: Float64Array;
    let discarded = 0, violations = 0, fits = 0, iterations = 0, converged = true, certificate = NaN, screened = 0;
    if (rule && haveScores && Number.isFinite(prevLambda)) {
      const threshold = 2 * lambda - prevLambda;
      for (let j = 0; j < d; j++) {
        let nz = false;
        for (let t = 0; t < T; t++) if (Wprev[j * T + t] !== 0) { nz = true; break; }
        keep[j] = nz || scores[j]! >= threshold ? 1 : 0;
        if (!keep[j]) discarded++;
      }
      if (discarded === d) {
        // keep at least the row with the largest score so that the reduced problem is well formed
        let best = 0;
        for (let j = 1; j < d; j++) if (scores[j]! > scores[best]!) best = j;
        keep[best] = 1;
        discarded--;
      }
      for (;;) {
        let m = 0;
        for (let j = 0; j < d; j++) if (keep[j]) cols[m++] = j;
        const reducedOptions: Record<string, unknown> = { ...baseOptions, [param]: lambda };
        let sub: MultiTaskData;
        if (m === d) {
          sub = D;
          if (useWarm) reducedOptions['warmStart'] = { rows: d, cols: T, data: Wprev };
        } else {
          sub = selectColumns(D, cols, m);
          if (useWarm) {
            const W0 = new Float64Array(m * T);
            for (let r = 0; r < m; r++) for (let t = 0; t < T; t++) W0[r * T + t] = Wprev[cols[r]! * T + t]!;
            reducedOptions['warmStart'] = { rows: m, cols: T, data: W0 };
          }
        }
        fit = model(sub, reducedOptions);
        fits++;
        screened += fit.screened ?? 0;
        iterations += fit.iterations;
        converged &&= fit.converged;
        W = new Float64Array(d * T);
        if (sub === D) W.set(fit.W.data);
        else for (let r = 0; r < m; r++) for (let t = 0; t < T; t++) W[cols[r]! * T + t] = fit.W.data[r * T + t]!;
        certificate = rule.check(W, lambda, scores);
        let added = 0;
        for (let j = 0; j < d; j++) {
          if (!keep[j] && scores[j]! > lambda) { keep[j] = 1; added++; }
        }
        violations += added;
        if (added === 0) break;
      }
    } else {
      const o: Record<string, unknown> = { ...baseOptions, [param]: lambda };
      if (useWarm && k > 0) o['warmStart'] = { rows: d, cols: T, data: Wprev };
      fit = model(D, o);
      fits = 1;
      screened = fit.screened ?? 0;
      iterations = fit.iterations;
      converged = fit.converged;
      W = Float64Array.from(fit.W.data);
      certificate = fit.certificate;
      if (rule) { rule.check(W, lambda, scores); haveScores = true; }
    }
    const f = fit!;
    points.push({
      lambda, W: { rows: d, cols: T, data: W! }, intercepts: Float64Array.from(f.intercepts), objective: f.objective,
      certificate, converged, iterations, nonzeroRows: countNonzeroRows(W!, d, T),
      ...(typeof f.rank === 'number' ? { rank: f.rank } : {}), discarded, kktViolations: violations, screened, fits,
      time: (performance.now() - t0) / 1000,
    });
    progress?.(k + 1, opts.lambdas.length);
    Wprev = W!;
    prevLambda = lambda;
  }
  return { model: spec.name, paramName: param, lambdaMax, points, options: opts, time: (performance.now() - start) / 1000 };
}
