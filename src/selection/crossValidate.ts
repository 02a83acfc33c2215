/**
 * K-fold cross-validation of a multi-task model over a grid of one or more parameters, with folds
 * drawn within each task (every task appears in every fold, as in the per-task cross-validation of
 * MALSAR — J. Zhou, J. Chen & J. Ye, "MALSAR: Multi-tAsk Learning via StructurAl Regularization",
 * 2011 — and RMTL — H. Cao, J. Zhou & E. Schwarz, "RMTL: an R library for multi-task learning",
 * Bioinformatics 35, 2019), warm starts along the grid inside each fold, and the one-standard-error
 * rule (L. Breiman, J. Friedman, R. Olshen & C. Stone, "Classification and Regression Trees", 1984;
 * T. Hastie, R. Tibshirani & J. Friedman, "The Elements of Statistical Learning", 2nd ed., §7.10).
 *
 * Folds may run on `worker_threads` (`workers > 1`); the worker script is `cvWorker.js`, next to
 * this module, and results are identical to the serial run.
 *
 * @packageDocumentation
 */
import { Worker } from 'node:worker_threads';
import type { Mat } from '../types.js';
import { MultiTaskData, asData, type TaskInput } from '../data/MultiTaskData.js';
import { checkMetricName, evaluateWeights, metricLargerIsBetter, type MetricName } from './metrics.js';
import { getPathModel, type ModelFitLike, type ModelFunction, type PathModelSpec } from './registry.js';
import { path } from './path.js';
import { mulberry32 } from '../util/random.js';

/** One grid point: a value of the model's path parameter, or an object of option values. */
export type GridPoint = number | Readonly<Record<string, unknown>>;

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions {
  /**
   * The grid. Numbers are values of the model's path parameter (e.g. `lambda`) and are sorted
   * decreasingly (most regularised first). Objects (e.g. `{ rho1, rho2 }`, for grids over two
   * parameters) are merged into the model options and must be listed from the most to the least
   * regularised: warm starts follow that order and the one-standard-error rule picks the earliest
   * point within one SE of the minimum.
   * @default a 20-point geometric grid from λ_max of the full data down to 0.01·λ_max (registered models with λ_max)
   */
  grid?: readonly GridPoint[] | Float64Array | null;
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
  /** Folds run in parallel on this many `worker_threads` (1 = serial, in this thread). @default 1 */
  workers?: number;
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
}

/** The result of {@link crossValidate}. */
export interface CrossValidateResult {
  /** Registry name of the model (or the function's name). */
  readonly model: string;
  /** The grid, most regularised first. */
  readonly grid: readonly GridPoint[];
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
  /** The grid point at {@link CrossValidateResult.bestIndex}. */
  readonly best: GridPoint;
  /** The grid point at {@link CrossValidateResult.oneStandardErrorIndex}. */
  readonly oneStandardErrorChoice: GridPoint;
  /** Index used for the refit. */
  readonly chosenIndex: number;
  /** The model refitted on all data at the chosen point (`null` when `refit` is false). */
  readonly fit: ModelFitLike | null;
  /** Fold of every response: per task, an array over the task's rows (per-task data) or over all n rows of a shared design (−1 = missing). */
  readonly foldAssignment: readonly Int32Array[];
  /** Options actually used. */
  readonly options: ResolvedCrossValidateOptions;
  /** Seconds. */
  readonly time: number;
}

/** The seeded uniform stream of the folds (mulberry32, shared with the rest of the library). */
const prng = mulberry32;

/** Fisher–Yates shuffle of idx in place. */
function shuffle(idx: Int32Array, rand: () => number): void {
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
}

/**
 * Draws the folds within each task: task t's observed rows are shuffled (seeded) and dealt to the K
 * folds in turn, so every task has ⌊n_t/K⌋ or ⌈n_t/K⌉ responses in every fold. For a shared design
 * without missing responses the rows are split jointly (the same fold for all tasks, which keeps
 * every task in every fold and the unmasked shared layout); with missing responses each task's
 * observed rows are split separately.
 *
 * @param data - the data
 * @param folds - K ≥ 2
 * @param seed - integer seed
 * @returns per task, the fold of each row (−1 for a missing response of a shared design)
 * @throws RangeError when a task has fewer than K observed responses, or K/seed are invalid
 * @example
 * ```ts
 * const assignment = makeFolds(data, 5, 0);
 * assignment[2][7]; // fold of task 2's row 7
 * ```
 * @see {@link crossValidate}
 */
export function makeFolds(data: MultiTaskData, folds: number, seed: number): Int32Array[] {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds: expected an integer ≥ 2, got ${folds}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed: expected an integer, got ${seed}`);
  const { T } = data;
  for (let t = 0; t < T; t++) {
    if (data.taskSizes[t]! < folds) {
      throw new RangeError(`folds: task ${t} has ${data.taskSizes[t]} observed responses; expected at least folds = ${folds} so that it appears in every fold`);
    }
  }
  const rand = prng(seed);
  const out: Int32Array[] = [];
  if (data.kind === 'shared' && !data.hasMissing) {
    const idx = Int32Array.from({ length: data.n }, (_, i) => i);
    shuffle(idx, rand);
    const f = new Int32Array(data.n);
    for (let r = 0; r < idx.length; r++) f[idx[r]!] = r % folds;
    for (let t = 0; t < T; t++) out.push(Int32Array.from(f));
    return out;
  }
  for (let t = 0; t < T; t++) {
    let rows: Int32Array;
    let len: number;
    if (data.kind === 'shared') {
      len = data.n;
      rows = new Int32Array(data.taskSizes[t]!);
      let m = 0;
      for (let i = 0; i < data.n; i++) if (!Number.isNaN(data.Y![i * T + t]!)) rows[m++] = i;
    } else {
      len = data.tasks[t]!.n;
      rows = Int32Array.from({ length: len }, (_, i) => i);
    }
    shuffle(rows, rand);
    const f = new Int32Array(len).fill(-1);
    for (let r = 0; r < rows.length; r++) f[rows[r]!] = r % folds;
    out.push(f);
  }
  return out;
}

/**
 * The training and test data of fold k.
 * @param data - full data
 * @param assignment - from {@link makeFolds}
 * @param k - fold index
 * @returns `{ train, test }`
 * @example
 * ```ts
 * const { train, test } = foldData(data, makeFolds(data, 5, 0), 0);
 * ```
 * @see {@link makeFolds}
 */
export function foldData(data: MultiTaskData, assignment: readonly Int32Array[], k: number): { train: MultiTaskData; test: MultiTaskData } {
  const { d, T } = data;
  if (data.kind === 'tasks') {
    const train: TaskInput[] = [], test: TaskInput[] = [];
    for (let t = 0; t < T; t++) {
      const v = data.tasks[t]!, f = assignment[t]!;
      let nTest = 0;
      for (let i = 0; i < v.n; i++) if (f[i] === k) nTest++;
      const Xa = new Float64Array((v.n - nTest) * d), ya = new Float64Array(v.n - nTest);
      const Xb = new Float64Array(nTest * d), yb = new Float64Array(nTest);
      let a = 0, b = 0;
      for (let i = 0; i < v.n; i++) {
        if (f[i] === k) { Xb.set(v.X.subarray(i * d, (i + 1) * d), b * d); yb[b++] = v.y[i]!; }
        else { Xa.set(v.X.subarray(i * d, (i + 1) * d), a * d); ya[a++] = v.y[i]!; }
      }
      train.push({ X: { rows: a, cols: d, data: Xa }, y: ya });
      test.push({ X: { rows: b, cols: d, data: Xb }, y: yb });
    }
    return { train: MultiTaskData.fromTasks(train), test: MultiTaskData.fromTasks(test) };
  }
  const n = data.n, X = data.X!, Y = data.Y!;
  if (!data.hasMissing) {
    // joint row split: subset rows
    const f = assignment[0]!;
    let nTest = 0;
    for (let i = 0; i < n; i++) if (f[i] === k) nTest++;
    const Xa = new Float64Array((n - nTest) * d), Ya = new Float64Array((n - nTest) * T);
    const Xb = new Float64Array(nTest * d), Yb = new Float64Array(nTest * T);
    let a = 0, b = 0;
    for (let i = 0; i < n; i++) {
      if (f[i] === k) { Xb.set(X.subarray(i * d, (i + 1) * d), b * d); Yb.set(Y.subarray(i * T, (i + 1) * T), b * T); b++; }
      else { Xa.set(X.subarray(i * d, (i + 1) * d), a * d); Ya.set(Y.subarray(i * T, (i + 1) * T), a * T); a++; }
    }
    return {
      train: MultiTaskData.fromShared({ rows: a, cols: d, data: Xa }, { rows: a, cols: T, data: Ya }),
      test: MultiTaskData.fromShared({ rows: b, cols: d, data: Xb }, { rows: b, cols: T, data: Yb }),
    };
  }
  // per-task split of the observed rows: mask the responses
  const Ya = new Float64Array(n * T), Yb = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      const v = Y[i * T + t]!, f = assignment[t]![i]!;
      Ya[i * T + t] = f === k || f < 0 ? NaN : v;
      Yb[i * T + t] = f === k ? v : NaN;
    }
  }
  const Xm = { rows: n, cols: d, data: X };
  return { train: MultiTaskData.fromShared(Xm, { rows: n, cols: T, data: Ya }), test: MultiTaskData.fromShared(Xm, { rows: n, cols: T, data: Yb }) };
}

function specOf(model: ModelFunction): PathModelSpec {
  return getPathModel(model) ?? { name: model.name || 'anonymous', paramName: 'lambda' };
}

function gridOptions(spec: PathModelSpec, base: Record<string, unknown>, g: GridPoint): Record<string, unknown> {
  return typeof g === 'number' ? { ...base, [spec.paramName]: g } : { ...base, ...g };
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
  data: MultiTaskData, assignment: readonly Int32Array[], k: number, model: ModelFunction,
  grid: readonly GridPoint[], modelOptions: Record<string, unknown>, metric: MetricName,
): Float64Array {
  const spec = specOf(model);
  const { train, test } = foldData(data, assignment, k);
  const G = grid.length;
  const out = new Float64Array(G);
  if (grid.every((g) => typeof g === 'number')) {
    const p = path(train, model, { lambdas: grid as number[], warmStart: spec.warmStart !== false }, modelOptions);
    for (let i = 0; i < G; i++) out[i] = evaluateWeights(p.points[i]!.W, p.points[i]!.intercepts, test).pooled[metric];
    return out;
  }
  const base: Record<string, unknown> = { ...modelOptions };
  delete base['warmStart'];
  let W: Mat | null = null;
  for (let i = 0; i < G; i++) {
    const o = gridOptions(spec, base, grid[i]!);
    if (W !== null && spec.warmStart !== false) o['warmStart'] = W;
    const fit = model(train, o);
    W = fit.W;
    out[i] = evaluateWeights(fit.W, fit.intercepts, test).pooled[metric];
  }
  return out;
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
export function checkCrossValidateOptions(
  options: CrossValidateOptions, data: MultiTaskData, model: ModelFunction, modelOptions: Record<string, unknown>,
): ResolvedCrossValidateOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected an object { grid, folds, seed, metric, … }');
  const spec = specOf(model);
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
  if (workers > 1 && getPathModel(model) === undefined) {
    throw new RangeError('workers: the model must be registered (registerPathModel) to run in worker threads; use workers = 1 or register it');
  }
  let grid: GridPoint[];
  if (options.grid === undefined || options.grid === null) {
    if (!spec.lambdaMax) throw new RangeError(`grid: model '${spec.name}' has no registered λ_max; give an explicit grid`);
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
      });
      grid = list;
    }
  }
  return { grid, folds, seed, metric, oneStandardError, refit, workers };
}

/** The data as transferable arrays (copies; the copies' buffers are transferred). */
export interface TransferredData {
  /** Layout. */
  kind: 'tasks' | 'shared';
  /** Features. */
  d: number;
  /** Shared design X (n×d) and Y (n×T), or null. */
  X: Float64Array | null;
  /** Shared responses. */
  Y: Float64Array | null;
  /** Rows of the shared design. */
  n: number;
  /** Tasks. */
  T: number;
  /** Per-task X_t, y_t and n_t. */
  tasks: { X: Float64Array; y: Float64Array; n: number }[];
}

/**
 * Copies the data into plain arrays for a worker, listing the buffers to transfer.
 * @param data - the data
 * @returns the message part and its transfer list
 * @example
 * ```ts
 * const { message, transfer } = toTransferable(data);
 * worker.postMessage(message, transfer);
 * ```
 * @see {@link fromTransferable}
 */
export function toTransferable(data: MultiTaskData): { message: TransferredData; transfer: ArrayBuffer[] } {
  if (data.kind === 'shared') {
    const X = Float64Array.from(data.X!), Y = Float64Array.from(data.Y!);
    return { message: { kind: 'shared', d: data.d, T: data.T, n: data.n, X, Y, tasks: [] }, transfer: [X.buffer, Y.buffer] };
  }
  const tasks = data.tasks.map((v) => ({ X: Float64Array.from(v.X), y: Float64Array.from(v.y), n: v.n }));
  return {
    message: { kind: 'tasks', d: data.d, T: data.T, n: 0, X: null, Y: null, tasks },
    transfer: tasks.flatMap((v) => [v.X.buffer, v.y.buffer]),
  };
}

/**
 * Rebuilds a {@link MultiTaskData} from {@link toTransferable}'s message.
 * @param m - the transferred data
 * @returns the data
 * @example
 * ```ts
 * const data = fromTransferable(message.data);
 * ```
 * @see {@link toTransferable}
 */
export function fromTransferable(m: TransferredData): MultiTaskData {
  if (m.kind === 'shared') return MultiTaskData.fromShared({ rows: m.n, cols: m.d, data: m.X! }, { rows: m.n, cols: m.T, data: m.Y! });
  return MultiTaskData.fromTasks(m.tasks.map((v) => ({ X: { rows: v.n, cols: m.d, data: v.X }, y: v.y })));
}

/** The message a worker receives. */
export interface CvWorkerRequest {
  /** Data. */
  data: TransferredData;
  /** Fold assignment. */
  assignment: Int32Array[];
  /** Folds this worker runs. */
  folds: number[];
  /** Registry name. */
  model: string;
  /** Module to import before the lookup (models registered outside the registry). */
  module: string | null;
  /** Grid. */
  grid: GridPoint[];
  /** Model options. */
  modelOptions: Record<string, unknown>;
  /** Metric. */
  metric: MetricName;
}

/** The message a worker sends back. */
export type CvWorkerResponse = { ok: true; folds: number[]; values: Float64Array[] } | { ok: false; error: string };

function runWorkers(
  data: MultiTaskData, assignment: Int32Array[], spec: PathModelSpec, grid: GridPoint[],
  modelOptions: Record<string, unknown>, metric: MetricName, K: number, workers: number,
): Promise<Float64Array[]> {
  const nw = Math.min(workers, K);
  const url = new URL('./cvWorker.js', import.meta.url);
  const results: Float64Array[] = new Array<Float64Array>(K);
  const jobs: Promise<void>[] = [];
  for (let w = 0; w < nw; w++) {
    const myFolds: number[] = [];
    for (let k = w; k < K; k += nw) myFolds.push(k);
    jobs.push(new Promise<void>((resolve, reject) => {
      const worker = new Worker(url);
      const { message, transfer } = toTransferable(data);
      const request: CvWorkerRequest = {
        data: message, assignment, folds: myFolds, model: spec.name, module: spec.module ?? null, grid, modelOptions, metric,
      };
      let done = false;
      worker.once('message', (res: CvWorkerResponse) => {
        done = true;
        void worker.terminate();
        if (!res.ok) { reject(new Error(`crossValidate worker: ${res.error}`)); return; }
        res.folds.forEach((k, i) => { results[k] = res.values[i]!; });
        resolve();
      });
      worker.once('error', (e) => { done = true; reject(e); });
      worker.once('exit', (code) => { if (!done) reject(new Error(`crossValidate worker exited with code ${code}`)); });
      worker.postMessage(request, transfer);
    }));
  }
  return Promise.all(jobs).then(() => results);
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
 * With `workers > 1` the folds run on `worker_threads` (the data are sent as transferable
 * Float64Arrays and the model by its registry name); the numbers are identical to the serial run.
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
export async function crossValidate(
  data: MultiTaskData | readonly TaskInput[], model: ModelFunction, options: CrossValidateOptions = {},
  modelOptions: Record<string, unknown> = {},
): Promise<CrossValidateResult> {
  const start = performance.now();
  const D = asData(data);
  if (typeof model !== 'function') throw new TypeError('model: expected an exported model function such as groupLasso');
  if (modelOptions === null || typeof modelOptions !== 'object') throw new TypeError('modelOptions: expected an object of model options');
  const opts = checkCrossValidateOptions(options, D, model, modelOptions);
  const spec = specOf(model);
  const { folds: K, grid, metric } = opts;
  const assignment = makeFolds(D, K, opts.seed);
  const baseOptions: Record<string, unknown> = { ...modelOptions };
  delete baseOptions['warmStart'];
  let rows: Float64Array[];
  if (opts.workers > 1) {
    rows = await runWorkers(D, assignment, spec, grid, baseOptions, metric, K, opts.workers);
  } else {
    rows = [];
    for (let k = 0; k < K; k++) rows.push(runFold(D, assignment, k, model, grid, baseOptions, metric));
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
  let fit: ModelFitLike | null = null;
  if (opts.refit) fit = model(D, gridOptions(spec, baseOptions, grid[chosenIndex]!));
  return {
    model: spec.name, grid, foldValues: { rows: K, cols: G, data: foldValues }, mean, standardError: se,
    bestIndex, oneStandardErrorIndex: oneSE, best: grid[bestIndex]!, oneStandardErrorChoice: grid[oneSE]!,
    chosenIndex, fit, foldAssignment: assignment, options: opts, time: (performance.now() - start) / 1000,
  };
}
