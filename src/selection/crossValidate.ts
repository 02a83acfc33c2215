/**
 * K-fold cross-validation of a multi-task model over a grid of one or more parameters, with folds
 * drawn within each task (every task appears in every fold, as in the per-task cross-validation of
 * MALSAR — J. Zhou, J. Chen & J. Ye, "MALSAR: Multi-tAsk Learning via StructurAl Regularization",
 * 2011 — and RMTL — H. Cao, J. Zhou & E. Schwarz, "RMTL: an R library for multi-task learning",
 * Bioinformatics 35, 2019), warm starts along the grid inside each fold, and the one-standard-error
 * rule (L. Breiman, J. Friedman, R. Olshen & C. Stone, "Classification and Regression Trees", 1984;
 * T. Hastie, R. Tibshirani & J. Friedman, "The Elements of Statistical Learning", 2nd ed., §7.10).
 *
 * Folds may run on `worker_threads` (`workers > 1`, Node only: `cvWorkers.ts` is imported lazily, so
 * this module loads in a browser); results are bit-identical to the serial run.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { checkMetricName, evaluateWeights, metricLargerIsBetter, type MetricName } from './metrics.js';
import { checkModelOptionKeys, type ModelFitLike, type ModelFunction, type SelectionOptions } from '../models/table.js';
import { modelOptionsRecord, resolveModel, runPath, type ResolvedModel } from './path.js';
import { makeFolds, foldData } from './folds.js';
import { releaseScratch } from '../data/scratch.js';

export { makeFolds, foldData } from './folds.js';

/**
 * One grid point: a value of the model's path parameter, or an object of option values. `O` is the
 * model's options type (grid objects are typed by the model).
 */
export type GridPoint<O = Record<string, unknown>> = number | Readonly<SelectionOptions<O>>;

/** Options of {@link crossValidate}; `G` is the type of a grid point (`number` for numeric and default grids). */
export interface CrossValidateOptions<G = GridPoint> {
  /**
   * The grid. Numbers are values of the model's path parameter (e.g. `lambda`) and are sorted
   * decreasingly (most regularised first). Objects (e.g. `{ rho1, rho2 }`, for grids over two
   * parameters) are merged into the model options and must be listed from the most to the least
   * regularised: warm starts follow that order and the one-standard-error rule picks the earliest
   * point within one SE of the minimum.
   * @default a 20-point geometric grid from λ_max of the full data down to 0.01·λ_max (registered models with λ_max)
   */
  grid?: readonly G[] | Float64Array | null;
  /** Number of folds K ≥ 2; every task needs at least K observed responses. @default 5 */
  folds?: number;
  /** Seed of the fold assignment (an integer). @default 0 */
  seed?: number;
  /** The metric to optimise (see {@link MetricName}); larger-is-better metrics are maximised. @default 'mse' */
  metric?: MetricName;
  /** Refit at the one-standard-error choice instead of the best (minimum-loss) point. @default false */
  oneStandardError?: boolean;
  /** Refit the model on all data at the chosen point. @default true */
  refit?: boolean;
  /**
   * Folds run in parallel on this many `worker_threads` (1 = serial, in this thread; Node only). The
   * workers read the data object's arrays in shared memory (one SharedArrayBuffer copy only for small
   * data on the ordinary heap), and each fold is a row subset of them, not a copy; model options must
   * be structured-cloneable (no functions or class instances other than typed arrays).
   * @default 1
   */
  workers?: number;
  /** Called after each fold with the folds done and K. @default null */
  progress?: ((done: number, total: number) => void) | null;
}

/** {@link CrossValidateOptions} with every default filled in. */
export interface ResolvedCrossValidateOptions {
  /** The grid actually used, in the order of the results. */
  grid: GridPoint[];
  /** K. */
  folds: number;
  /** Seed. */
  seed: number;
  /** Metric. */
  metric: MetricName;
  /** Whether the refit used the one-SE choice. */
  oneStandardError: boolean;
  /** Whether a refit was done. */
  refit: boolean;
  /** Worker threads used (1 = serial). */
  workers: number;
  /** The progress callback, or null. */
  progress: ((done: number, total: number) => void) | null;
}

/**
 * The result of {@link crossValidate}. `G` is the type of a grid point: `number` for numeric and
 * default grids (so `const best: number = cv.best` compiles), the option objects' type for grids of
 * option objects. `F` is the model's fit type.
 */
export interface CrossValidateResult<G = GridPoint, F extends ModelFitLike = ModelFitLike> {
  /** Table name of the model (or the function's name). */
  readonly model: string;
  /** The option a numeric grid varies (the model's `pathParam`), or null for grids of option objects. */
  readonly paramName: string | null;
  /** The grid, most regularised first. */
  readonly grid: readonly G[];
  /** The metric value of each fold (row) at each grid point (column): K×G. */
  readonly foldValues: Mat;
  /** Mean of the metric over folds, per grid point. */
  readonly mean: Float64Array;
  /** Standard error of the mean: sd over folds (K − 1 denominator) / √K. */
  readonly standardError: Float64Array;
  /** Index of the best mean (minimum loss; maximum for R²/explained variance); ties → most regularised. */
  readonly bestIndex: number;
  /** Index chosen by the one-SE rule: the most regularised point within one SE of the best. */
  readonly oneStandardErrorIndex: number;
  /** The grid point at {@link CrossValidateResult.bestIndex} (a value of `paramName` for numeric grids). */
  readonly best: G;
  /** The grid point at {@link CrossValidateResult.oneStandardErrorIndex}. */
  readonly oneStandardErrorChoice: G;
  /** Index used for the refit. */
  readonly chosenIndex: number;
  /** The model refitted on all data at the chosen point (`null` when `refit` is false). */
  readonly fit: F | null;
  /** Fold of every response: per task, an array over the task's rows (per-task data) or over all n rows of a shared design (−1 = missing). */
  readonly foldAssignment: readonly Int32Array[];
  /** Options actually used. */
  readonly options: ResolvedCrossValidateOptions;
  /** Seconds. */
  readonly time: number;
}

function gridOptions(m: ResolvedModel, base: Readonly<Record<string, unknown>>, g: GridPoint): Record<string, unknown> {
  if (typeof g !== 'number') return { ...base, ...g };
  if (m.row.pathParam === null) throw new RangeError(`grid: ${m.row.name} has no path parameter; give a grid of option objects`);
  return { ...base, [m.row.pathParam]: g };
}

/**
 * Runs fold k: fits along the grid on the training part (warm-started; numeric grids through
 * {@link path}, with strong rules where available) and evaluates the metric on the test part.
 * Shared by the serial run and the worker threads so that both compute exactly the same numbers.
 * @param data - full data
 * @param assignment - fold assignment
 * @param k - fold
 * @param model - model function
 * @param grid - resolved grid
 * @param modelOptions - other model options
 * @param metric - metric
 * @returns the metric at each grid point
 * @example
 * ```ts
 * runFold(data, makeFolds(data, 5, 0), 0, groupLasso, [0.1, 0.01], {}, 'mse');
 * ```
 * @see {@link crossValidate}
 */
export function runFold(
  data: MultiTaskData, assignment: readonly Int32Array[], k: number, m: ResolvedModel,
  grid: readonly GridPoint[], modelOptions: Readonly<Record<string, unknown>>, metric: MetricName,
): Float64Array {
  const { train, test } = foldData(data, assignment, k);
  try {
    return fitFold(train, test, m, grid, modelOptions, metric);
  } finally {
    releaseScratch(train); // the fold's work arrays (a column copy of X) go back to the allocator now, not at GC (issue #13)
  }
}

/** {@link runFold} on its training and test parts. */
function fitFold(
  train: MultiTaskData, test: MultiTaskData, m: ResolvedModel, grid: readonly GridPoint[],
  modelOptions: Readonly<Record<string, unknown>>, metric: MetricName,
): Float64Array {
  const G = grid.length;
  const out = new Float64Array(G);
  if (isNumericGrid(grid)) {
    const p = runPath(train, m, { lambdas: grid, warmStart: m.row.warmStart }, modelOptions);
    for (let i = 0; i < G; i++) out[i] = evaluateWeights(p.points[i]!.W, p.points[i]!.intercepts, test).pooled[metric];
    return out;
  }
  const base: Record<string, unknown> = { ...modelOptions };
  delete base['warmStart'];
  let W: Mat | null = null;
  for (let i = 0; i < G; i++) {
    const o = gridOptions(m, base, grid[i]!);
    if (W !== null && m.row.warmStart) o['warmStart'] = W;
    const fit = m.row.fit(train, o);
    W = fit.W;
    out[i] = evaluateWeights(fit.W, fit.intercepts, test).pooled[metric];
  }
  return out;
}

function numericGridNeedsParam(grid: readonly GridPoint[]): boolean {
  return grid.length > 0 && typeof grid[0] === 'number';
}

function isNumericGrid(grid: readonly GridPoint[]): grid is readonly number[] {
  return grid.every((g) => typeof g === 'number');
}

/**
 * Validates and completes the options of {@link crossValidate} (its one `checkOptions`).
 * @param options - user options
 * @param data - the data
 * @param model - the model function
 * @param modelOptions - the model's other options (for the default grid's λ_max)
 * @returns the resolved options
 * @throws TypeError / RangeError naming the offending option and the expected range
 * @example
 * ```ts
 * checkCrossValidateOptions({ grid: [0.1, 1] }, data, groupLasso, {}).grid; // [1, 0.1]
 * ```
 * @see {@link crossValidate}
 */
export function checkCrossValidateOptions<O extends object, F extends ModelFitLike>(
  options: CrossValidateOptions<GridPoint<O>>, data: MultiTaskData, model: ModelFunction<O, F>,
  modelOptions?: NoInfer<SelectionOptions<O>>,
): ResolvedCrossValidateOptions {
  const m = resolveModel(model);
  return resolveOptions(options, data, m, modelOptionsRecord(modelOptions, m, 'modelOptions'));
}

const CV_OPTION_KEYS: readonly string[] = ['grid', 'folds', 'seed', 'metric', 'oneStandardError', 'refit', 'workers', 'progress'];

function resolveOptions(
  options: CrossValidateOptions<unknown>, data: MultiTaskData, m: ResolvedModel, modelOptions: Readonly<Record<string, unknown>>,
): ResolvedCrossValidateOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object { grid, folds, seed, metric, … }');
  for (const key of Object.keys(options)) {
    if (!CV_OPTION_KEYS.includes(key)) {
      const near = CV_OPTION_KEYS.find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 4)));
      throw new RangeError(`options: unknown crossValidate option '${key}'${near ? ` (did you mean ${near}?)` : ''}; expected ${CV_OPTION_KEYS.join(', ')}`);
    }
  }
  const spec = m.row;
  const progress = options.progress ?? null;
  if (progress !== null && typeof progress !== 'function') throw new TypeError(`progress: expected a function (done, total) => void or null, got ${typeof progress}`);
  const folds = options.folds ?? 5;
  if (typeof folds !== 'number' || !Number.isInteger(folds) || folds < 2) throw new RangeError(`folds: expected an integer ≥ 2, got ${String(folds)}`);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new RangeError(`seed: expected an integer, got ${String(seed)}`);
  const metric = checkMetricName(options.metric ?? 'mse', 'metric');
  const oneStandardError = options.oneStandardError ?? false;
  if (typeof oneStandardError !== 'boolean') throw new TypeError(`oneStandardError: expected a boolean, got ${typeof oneStandardError}`);
  const refit = options.refit ?? true;
  if (typeof refit !== 'boolean') throw new TypeError(`refit: expected a boolean, got ${typeof refit}`);
  const workers = options.workers ?? 1;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1) throw new RangeError(`workers: expected an integer ≥ 1, got ${String(workers)}`);
  if (workers > 1 && !m.registered) {
    throw new RangeError(`workers: the model must be registered in the model table (registerModel) to run in worker threads ('${spec.name}' is not); use workers = 1 or register it`);
  }
  let grid: GridPoint[];
  if (options.grid === undefined || options.grid === null) {
    if (!spec.lambdaMax || spec.pathParam === null) {
      throw new RangeError(`grid: model '${spec.name}' has no λ_max${spec.pathParam ? ` for ${spec.pathParam}` : ''}; give an explicit grid`);
    }
    const lmax = spec.lambdaMax(data, modelOptions);
    grid = Array.from({ length: 20 }, (_, k) => lmax * Math.pow(0.01, k / 19));
  } else {
    const g = options.grid;
    if (!Array.isArray(g) && !(g instanceof Float64Array)) throw new TypeError('grid: expected an array of numbers or of option objects');
    if (g.length === 0) throw new RangeError('grid: expected at least one point');
    const list = Array.from(g as ArrayLike<GridPoint>);
    const numeric = list.every((v) => typeof v === 'number');
    if (numeric) {
      const nums = (list as number[]).slice();
      nums.forEach((v, i) => { if (!Number.isFinite(v) || v < 0) throw new RangeError(`grid: entry ${i} is ${v}; expected a finite number ≥ 0`); });
      nums.sort((a, b) => b - a);
      for (let i = 1; i < nums.length; i++) if (nums[i] === nums[i - 1]) throw new RangeError(`grid: the value ${nums[i]} appears twice; expected distinct values`);
      grid = nums;
    } else {
      list.forEach((v, i) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`grid: entry ${i} is ${typeof v}; expected all numbers or all option objects`);
        if (m.registered) checkModelOptionKeys(v, spec, `grid[${i}]`);
      });
      grid = list;
    }
  }
  if (numericGridNeedsParam(grid) && spec.pathParam === null) {
    throw new RangeError(`grid: ${spec.name} has no path parameter; give a grid of option objects such as [{ rank: 1 }, { rank: 2 }]`);
  }
  return { grid, folds, seed, metric, oneStandardError, refit, workers, progress };
}

/**
 * K-fold cross-validation of a model over a grid (see {@link CrossValidateOptions}).
 *
 * Folds are drawn within each task ({@link makeFolds}), so every task is trained and tested in
 * every fold. In each fold the grid is traversed from the most to the least regularised point with
 * warm starts (numeric grids through {@link path}, with strong rules for the group lasso). The metric
 * is pooled over the tasks of the test fold ({@link evaluateWeights}); per grid point the result has
 * its mean over folds and standard error, the best point, and the one-standard-error choice: the most
 * regularised point whose mean loss is within one standard error of the best (Hastie, Tibshirani &
 * Friedman 2009, §7.10). The model is then refitted on all data at the chosen point.
 *
 * With `workers > 1` the folds run on `worker_threads` (the data in shared memory, the model by its
 * registry name); the numbers are identical to the serial run.
 *
 * @param data - a {@link MultiTaskData} or per-task `{ X, y }` array
 * @param model - an exported model function (registered to use workers or the default grid)
 * @param options - grid, folds, seed, metric, one-SE choice, workers
 * @param modelOptions - the model's other options (merged with each grid point)
 * @returns a promise of the cross-validation result
 * @throws TypeError / RangeError (as a rejected promise) on invalid arguments
 * @example
 * ```ts
 * const cv = await crossValidate(data, groupLasso, { folds: 5, seed: 1, metric: 'nmse' }, { q: 2 });
 * cv.best; cv.oneStandardErrorChoice; cv.fit?.predict(Xnew, 0);
 * const cv2 = await crossValidate(data, graphRegularized, { grid: [{ rho1: 1, rho2: 0.1 }, { rho1: 0.1, rho2: 0.01 }] }, { graph });
 * ```
 * @see {@link path}, {@link makeFolds}, {@link evaluate}
 */
export async function crossValidate<O extends object, F extends ModelFitLike, G extends GridPoint<O> = number>(
  data: MultiTaskData | readonly TaskInput[], model: ModelFunction<O, F>, options: CrossValidateOptions<G> = {},
  modelOptions?: NoInfer<SelectionOptions<O>>,
): Promise<CrossValidateResult<G, F>> {
  const start = performance.now();
  const D = asData(data);
  const m = resolveModel(model);
  const record = modelOptionsRecord(modelOptions, m, 'modelOptions');
  const opts = resolveOptions(options, D, m, record);
  const spec = m.row;
  const { folds: K, grid, metric } = opts;
  const assignment = makeFolds(D, K, opts.seed);
  const baseOptions: Record<string, unknown> = { ...record };
  delete baseOptions['warmStart'];
  let rows: Float64Array[];
  if (opts.workers > 1) {
    const { runWorkers } = await import('./cvWorkers.js');
    rows = await runWorkers(D, assignment, K, spec, grid, baseOptions, metric, opts.workers, opts.progress);
  } else {
    rows = [];
    for (let k = 0; k < K; k++) {
      rows.push(runFold(D, assignment, k, m, grid, baseOptions, metric));
      opts.progress?.(k + 1, K);
    }
  }
  const G = grid.length;
  const foldValues = new Float64Array(K * G);
  for (let k = 0; k < K; k++) foldValues.set(rows[k]!, k * G);
  const mean = new Float64Array(G), se = new Float64Array(G);
  for (let i = 0; i < G; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += foldValues[k * G + i]!;
    const m = s / K;
    let v = 0;
    for (let k = 0; k < K; k++) v += (foldValues[k * G + i]! - m) ** 2;
    mean[i] = m;
    se[i] = Math.sqrt(v / (K - 1) / K);
  }
  const sign = metricLargerIsBetter(metric) ? -1 : 1; // loss = sign · metric
  let bestIndex = 0;
  for (let i = 1; i < G; i++) if (sign * mean[i]! < sign * mean[bestIndex]!) bestIndex = i;
  const threshold = sign * mean[bestIndex]! + se[bestIndex]!;
  let oneSE = bestIndex;
  for (let i = 0; i <= bestIndex; i++) if (sign * mean[i]! <= threshold) { oneSE = i; break; }
  const chosenIndex = opts.oneStandardError ? oneSE : bestIndex;
  const fit = opts.refit ? model(D, completeOptions<O>(gridOptions(m, baseOptions, grid[chosenIndex]!))) : null;
  const userGrid = gridOf<G>(options, grid);
  return {
    model: spec.name, paramName: isNumericGrid(grid) ? spec.pathParam : null, grid: userGrid,
    foldValues: { rows: K, cols: G, data: foldValues }, mean, standardError: se,
    bestIndex, oneStandardErrorIndex: oneSE, best: userGrid[bestIndex]!, oneStandardErrorChoice: userGrid[oneSE]!,
    chosenIndex, fit, foldAssignment: assignment, options: opts, time: (performance.now() - start) / 1000,
  };
}

/**
 * The refit's options as the model's type: assembled from checked keys (the model validates the
 * values and the required options itself and throws a named TypeError/RangeError when one is wrong).
 */
function completeOptions<O extends object>(o: Record<string, unknown>): O {
  return o as O;
}

/** The resolved grid as the user's grid-point type (the same values: numbers sorted decreasingly, or the user's objects in order). */
function gridOf<G>(_options: CrossValidateOptions<G>, grid: readonly GridPoint[]): readonly G[] {
  return grid as readonly unknown[] as readonly G[];
}
