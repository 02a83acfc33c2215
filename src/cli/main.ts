#!/usr/bin/env node
/**
 * The `mtlearn` command line:
 *
 * ```sh
 * mtlearn fit --model group-lasso --data school.csv --lambda 0.01 --q 2 --out fit.json
 * mtlearn fit --model trace-norm --X X.csv --Y Y.csv --lambda-ratio 0.1 --out fit.json
 * mtlearn predict --fit fit.json --data new.csv --out pred.csv
 * mtlearn objective --fit fit.json --data school.csv
 * mtlearn plot --fit fit.json --kind heatmap --out w.svg
 * mtlearn fit --model clustered-mean --data school.csv --k 3 --lambda 0.1 --restarts 20 --seed 1 --out c.json
 * mtlearn plot --fit c.json --kind cluster-matrix --out m.svg
 * mtlearn path --model group-lasso --data school.csv --n-lambdas 50 --lambda-min-ratio 0.01 --q 2 --out path.json
 * mtlearn path --model graph-regularized --data school.csv --rho1 0.1 --out path.json   # varies rho2
 * mtlearn cv --model group-lasso --data school.csv --folds 5 --seed 0 --n-lambdas 20 --one-se --out cv.json
 * mtlearn predict --fit cv.json --data new.csv            # the refit inside the cv JSON
 * mtlearn plot --kind path --path path.json --cv cv.json --out path.svg
 * mtlearn plot --kind cv --cv cv.json --out cv.svg
 * ```
 *
 * Long work (the restarts of `clustered-mean`, the points of a path, the folds × grid points of a
 * serial cross-validation, the phases of a parallel one) draws a progress bar on standard error when
 * it is a terminal, and nothing otherwise.
 *
 * Exit status: 0 success (and `--help`); 1 usage error (unknown option, bad option value, option that
 * does not apply to the model) or a failure of the solver; 2 malformed input (a CSV or fit file that
 * cannot be read as expected — the message names the file, line and column). Output files are
 * written to a temporary file in the same directory and renamed, so a failed command leaves none.
 *
 * @packageDocumentation
 */
import { realpathSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { MultiTaskData } from '../data/MultiTaskData.js';
import type { Mat } from '../types.js';
import { CsvInputError, readLongCsv, readMatrixCsv, readSharedCsv, type LongCsv, type SharedCsv } from './csv.js';
import { FIT_FORMAT, FIT_VERSION, FitFileError, fitFileW, jsonSafe, parseFitFile, writeFitJson, type FitFile } from './fitFile.js';
import { CLI_MODELS, FitStateError, findCliModel, type CliFit, type CliModel, type CliParamName, type CliParams } from './models.js';
import { readGraphCsv } from './graph.js';
import { progressBar, type Progress } from './progress.js';
import {
  CV_FORMAT, PATH_FORMAT, SELECTION_VERSION, findPathModel, parseCvFile, parsePathFile, pathModelNames, pathModelOptions, rowNorms,
  withFitHook, writeSelectionJson, type CvFile, type PathCliModel, type PathFile, type PathFilePoint,
} from './selection.js';
import { checkPathOptions, path, type PathOptions } from '../selection/path.js';
import { crossValidate, type CrossValidateOptions } from '../selection/crossValidate.js';
import { METRIC_NAMES, type MetricName } from '../selection/metrics.js';
import { clusterMatrixPlot, convergencePlot, cvPlot, heatmapW, pathPlot, singularValuesPlot, type PlotFit } from '../plot/index.js';

/**
 * Where {@link run} writes: anything with a `write(text)` method (e.g. `process.stdout`).
 * @example
 * ```ts
 * let out = ''; await run(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: process.stderr });
 * ```
 * @see {@link run}
 */
export interface CliIO {
  /** Standard output (results, help). */
  stdout: { write(text: string): unknown };
  /** Standard error (errors, progress; the progress bar only when `isTTY` is true). */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
}

/**
 * Exit status of a malformed input (CSV or fit file).
 * @example
 * ```ts
 * (await run(['fit', '--model', 'group-lasso', '--data', 'empty.csv', '--lambda', '1', '--out', 'f.json'])) === EXIT_INPUT;
 * ```
 * @see {@link run}
 */
export const EXIT_INPUT = 2;
/**
 * Exit status of a usage error or a solver failure.
 * @example
 * ```ts
 * (await run(['fit', '--no-such-option'])) === EXIT_USAGE; // true
 * ```
 * @see {@link run}
 */
export const EXIT_USAGE = 1;

/** An input that parses but does not match the fit (unknown task, missing feature): exit status 2. */
class InputMismatchError extends Error {}
/** An option combination that the model or command does not accept: exit status 1. */
class UsageError extends Error {}

// ---------- option parsers ----------

function parseNumber(value: string): number {
  const s = value.trim().toLowerCase();
  if (s === 'inf' || s === 'infinity' || s === '+inf') return Infinity;
  const v = s === '' ? NaN : Number(s);
  if (Number.isNaN(v)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return v;
}

function parseInteger(value: string): number {
  const v = parseNumber(value);
  if (!Number.isInteger(v)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return v;
}

// ---------- output ----------

let tmpCounter = 0;

/**
 * Writes `text` to `path` atomically: to a temporary file in the same directory, then renamed over
 * `path`; on failure the temporary file is removed.
 * @param path - destination
 * @param text - contents
 */
function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.${++tmpCounter}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`cannot write ${path} (${code ?? (e as Error).message}); expected a writable file in an existing directory`);
  }
}

function fmt(v: number): string {
  return String(v);
}

// ---------- data alignment ----------

interface Loaded {
  layout: 'long' | 'shared';
  files: string[];
  long?: LongCsv;
  shared?: SharedCsv;
}

function loadData(opts: { data?: string; X?: string; Y?: string; taskColumn: string; responseColumn: string }, needResponse: boolean): Loaded {
  const hasShared = opts.X !== undefined || opts.Y !== undefined;
  if (opts.data !== undefined && hasShared) throw new UsageError('give either --data (long CSV) or --X/--Y (shared design), not both');
  if (opts.data !== undefined) {
    return {
      layout: 'long', files: [opts.data],
      long: readLongCsv(opts.data, { taskColumn: opts.taskColumn, responseColumn: opts.responseColumn, requireResponse: needResponse }),
    };
  }
  if (!hasShared) throw new UsageError('no data: give --data file.csv (long layout task,y,x1,…) or --X X.csv --Y Y.csv');
  if (opts.X === undefined) throw new UsageError('--Y needs --X (the shared design)');
  if (opts.Y === undefined) {
    if (needResponse) throw new UsageError('--X needs --Y (the responses, one column per task)');
    return { layout: 'shared', files: [opts.X] };
  }
  return { layout: 'shared', files: [opts.X, opts.Y], shared: readSharedCsv(opts.X, opts.Y) };
}

function loadedData(l: Loaded): { data: MultiTaskData; taskLabels: string[]; featureNames: string[] } {
  if (l.long) return { data: MultiTaskData.fromTasks(l.long.tasks), taskLabels: l.long.taskLabels, featureNames: l.long.featureNames };
  const s = l.shared!;
  return { data: s.data, taskLabels: s.taskLabels, featureNames: s.featureNames };
}

/** perm[j] = column of `names` holding fitted feature j; every fitted feature must be there, and nothing else. */
function featurePermutation(file: string, line: number, names: readonly string[], fitted: readonly string[]): number[] {
  const perm = fitted.map((f) => names.indexOf(f));
  const missing = fitted.filter((_, j) => perm[j]! < 0);
  const extra = names.filter((n) => !fitted.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length ? `no column ${missing.map((m) => `"${m}"`).join(', ')}` : '', extra.length ? `unexpected column ${extra.map((m) => `"${m}"`).join(', ')}` : ''];
    throw new CsvInputError(file, line, 0, parts.filter(Boolean).join(' and '), `the fitted feature columns ${fitted.join(',')}`);
  }
  return perm;
}

function permuteColumns(A: Mat, perm: readonly number[]): Mat {
  const n = A.rows, k = perm.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = A.data[i * A.cols + perm[j]!]!;
  return { rows: n, cols: k, data: out };
}

/** The data of `l` with tasks and features in the order of the fit file `f` (for `objective`). */
function alignToFit(l: Loaded, f: FitFile): MultiTaskData {
  const fitted = f.data.featureNames, labels = f.data.taskLabels;
  if (l.long) {
    const c = l.long, file = l.files[0]!;
    const perm = featurePermutation(file, c.headerLine, c.featureNames, fitted);
    const where = new Map(c.taskLabels.map((t, i) => [t, i] as const));
    const extra = c.taskLabels.filter((t) => !labels.includes(t));
    if (extra.length > 0) {
      const first = c.rowIndex.find((r) => c.taskLabels[r.task] === extra[0])!;
      throw new CsvInputError(file, first.line, c.taskColumnIndex, `unknown task "${extra[0]}"`, `one of the ${labels.length} fitted tasks`);
    }
    const missing = labels.filter((t) => !where.has(t));
    if (missing.length > 0) throw new InputMismatchError(`${file}: no rows for fitted task${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).map((m) => `"${m}"`).join(', ')}${missing.length > 5 ? ', …' : ''}; expected every fitted task`);
    return MultiTaskData.fromTasks(labels.map((t) => {
      const task = c.tasks[where.get(t)!]!;
      return { X: permuteColumns(task.X, perm), y: task.y };
    }));
  }
  const s = l.shared!;
  const perm = featurePermutation(l.files[0]!, 1, s.featureNames, fitted);
  const tperm = featurePermutationTasks(l.files[1]!, s.taskLabels, labels);
  return MultiTaskData.fromShared(permuteColumns(s.X, perm), permuteColumns(s.Y, tperm));
}

function featurePermutationTasks(file: string, names: readonly string[], labels: readonly string[]): number[] {
  const perm = labels.map((t) => names.indexOf(t));
  const missing = labels.filter((_, j) => perm[j]! < 0);
  const extra = names.filter((n) => !labels.includes(n));
  if (missing.length > 0 || extra.length > 0) {
    throw new CsvInputError(file, 1, 0, `task columns ${names.join(',')}`, `the fitted tasks ${labels.join(',')}`);
  }
  return perm;
}

// ---------- commands ----------

interface DataOpts {
  data?: string;
  X?: string;
  Y?: string;
  taskColumn: string;
  responseColumn: string;
}

/** `fit` options: the model parameters of {@link CliParams} as flags (the graph as a CSV path). */
interface FitOpts extends DataOpts, Omit<CliParams, 'graph' | 'fitIntercept'> {
  model: string;
  out: string;
  graph?: string;
  intercept: boolean;
  timings: boolean;
}

const PARAM_FLAGS: Record<CliParamName, string> = {
  lambda: '--lambda', lambdaRatio: '--lambda-ratio', rho: '--rho', q: '--q', ridge: '--ridge', rank: '--rank',
  h: '--h', rho1: '--rho1', rho2: '--rho2', k: '--k', mu: '--mu', restarts: '--restarts', seed: '--seed', gamma: '--gamma',
  form: '--form', graph: '--graph',
  lossScale: '--loss-scale', tol: '--tol', maxIter: '--max-iter', fitIntercept: '--no-intercept',
};

/** The numeric and enumerated parameters copied verbatim from the parsed options. */
const COPIED_PARAMS = [
  'lambda', 'lambdaRatio', 'rho', 'q', 'ridge', 'rank', 'h', 'rho1', 'rho2', 'k', 'mu', 'restarts', 'seed', 'gamma', 'form',
  'lossScale', 'tol', 'maxIter',
] as const satisfies readonly (keyof FitOpts & CliParamName)[];

const EXTRA_KEYS = ['lambdaMax', 'nonzeroRows', 'rank', 'singularValues', 'screened', 'objectiveAtZero', 'gradientScale', 'local'] as const;

/**
 * The fit file of a fit: W, intercepts, objective, certificate, options, state, history and the
 * model's extras (λ_max, non-zero rows, rank, …) merged with `extra`.
 */
function makeFitFile(
  model: CliModel, fit: CliFit, data: MultiTaskData, loaded: Loaded, taskLabels: string[], featureNames: string[],
  extra: Record<string, unknown>, timings: boolean,
): FitFile {
  const extras: Record<string, unknown> = {};
  for (const k of EXTRA_KEYS) if ((fit as unknown as Record<string, unknown>)[k] !== undefined) extras[k] = (fit as unknown as Record<string, unknown>)[k];
  Object.assign(extras, extra);
  const { d, T } = data;
  const W: number[][] = [];
  for (let j = 0; j < d; j++) W.push(Array.from(fit.W.data.subarray(j * T, (j + 1) * T)));
  const options = { ...(fit.options as Record<string, unknown>) };
  return {
    format: FIT_FORMAT, version: FIT_VERSION, model: model.name,
    data: dataBlock(data, loaded, taskLabels, featureNames),
    options, W, intercepts: Array.from(fit.intercepts), objective: fit.objective,
    certificate: fit.certificate, certificateKind: fit.certificateKind, converged: fit.converged, iterations: fit.iterations,
    extras,
    ...(fit.state !== undefined ? { state: fit.state } : {}),
    history: fit.history.map((h) => ({
      iteration: h.iteration, objective: h.objective, certificate: Number.isFinite(h.certificate) ? h.certificate : null,
      ...(timings ? { time: h.time } : {}),
    })),
  };
}

/** The `data` block of fit, path and cv files. */
function dataBlock(data: MultiTaskData, loaded: Loaded, taskLabels: string[], featureNames: string[]): FitFile['data'] {
  return {
    layout: loaded.layout, files: loaded.files, d: data.d, T: data.T, n: data.totalSize, taskSizes: Array.from(data.taskSizes), taskLabels, featureNames,
  };
}

function cmdFit(o: FitOpts, io: CliIO): void {
  const t0 = performance.now();
  const model = findCliModel(o.model);
  const given: CliParams = {};
  for (const k of COPIED_PARAMS) if (o[k] !== undefined) (given as Record<string, unknown>)[k] = o[k];
  if (!o.intercept) given.fitIntercept = false;
  const keys = Object.keys(given) as CliParamName[];
  if (o.graph !== undefined) keys.push('graph');
  for (const k of keys) {
    if (!model.params.includes(k)) {
      throw new UsageError(`option ${PARAM_FLAGS[k]} does not apply to model ${model.name} (it takes ${model.params.map((p) => PARAM_FLAGS[p]).join(', ')})`);
    }
  }
  if (given.lambda !== undefined && given.lambdaRatio !== undefined) throw new UsageError('give --lambda or --lambda-ratio, not both');
  for (const r of model.required) {
    if (given[r] === undefined && !(r === 'lambda' && given.lambdaRatio !== undefined)) {
      throw new UsageError(`model ${model.name} needs ${PARAM_FLAGS[r]}${r === 'lambda' && model.lambdaMax ? ' (or --lambda-ratio)' : ''}`);
    }
  }
  const loaded = loadData(o, true);
  const { data, taskLabels, featureNames } = loadedData(loaded);
  if (o.graph !== undefined) given.graph = readGraphCsv(o.graph, taskLabels);
  const t1 = performance.now();
  let lambdaMax: number | undefined;
  if (given.lambdaRatio !== undefined) {
    if (!(given.lambdaRatio >= 0) || !Number.isFinite(given.lambdaRatio)) throw new UsageError(`--lambda-ratio: expected a finite number ≥ 0, got ${given.lambdaRatio}`);
    lambdaMax = model.lambdaMax!(data, given);
    given.lambda = given.lambdaRatio * lambdaMax;
  }
  let bar: ReturnType<typeof progressBar> | null = null;
  const fit: CliFit = model.fit(data, given, {
    progress: (done, total) => {
      bar ??= progressBar(io.stderr, `${model.name} restarts`, total);
      bar.update(done);
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.finish();
  const t2 = performance.now();
  const extras: Record<string, unknown> = {};
  if (given.lambdaRatio !== undefined) extras['lambdaRatio'] = given.lambdaRatio;
  if (lambdaMax !== undefined) extras['lambdaMax'] = lambdaMax;
  const file = makeFitFile(model, fit, data, loaded, taskLabels, featureNames, extras, o.timings);
  const { d, T } = data;
  if (o.timings) {
    const t3 = performance.now();
    file.timings = { read: (t1 - t0) / 1000, fit: (t2 - t1) / 1000, total: (t3 - t0) / 1000 };
  }
  writeAtomic(o.out, writeFitJson(file));
  io.stdout.write(
    `${model.name}: d=${d} T=${T} n=${data.totalSize} objective=${fmt(fit.objective)} ${fit.certificateKind}=${fmt(fit.certificate)} ` +
    `converged=${fit.converged} iterations=${fit.iterations} -> ${o.out}\n`,
  );
  if (!fit.converged) io.stderr.write(`mtlearn: warning: ${model.name} did not converge in ${fit.iterations} iterations (certificate ${fmt(fit.certificate)})\n`);
}

// ---------- path and cv ----------

interface SelectionOpts extends FitOpts {
  nLambdas?: number;
  lambdaMinRatio?: number;
  lambdas?: number[];
  strongRules: boolean;
  modelSeed?: number;
}

function parseList(value: string): number[] {
  const parts = value.split(',').map((x) => x.trim());
  if (parts.length === 0 || parts.some((x) => x === '')) throw new InvalidArgumentError(`expected comma-separated numbers such as 1,0.5,0.1, got "${value}"`);
  return parts.map(parseNumber);
}

/**
 * The model parameters of a path or cv run: every given parameter must apply to the model, the path
 * parameter must not be given (it is the grid), and the other required ones must be.
 */
function selectionParams(o: SelectionOpts, model: CliModel, param: string, command: string): CliParams {
  const given: CliParams = {};
  for (const k of COPIED_PARAMS) if (k !== 'lambdaRatio' && k !== 'seed' && o[k] !== undefined) (given as Record<string, unknown>)[k] = o[k];
  const seed = command === 'cv' ? o.modelSeed : o.seed;
  if (seed !== undefined) given.seed = seed;
  if (!o.intercept) given.fitIntercept = false;
  const keys = Object.keys(given) as CliParamName[];
  if (o.graph !== undefined) keys.push('graph');
  const flag = (k: CliParamName): string => (k === 'seed' && command === 'cv' ? '--model-seed' : PARAM_FLAGS[k]);
  for (const k of keys) {
    if (!model.params.includes(k)) {
      throw new UsageError(`option ${flag(k)} does not apply to model ${model.name} (it takes ${model.params.filter((p) => p !== 'lambdaRatio').map(flag).join(', ')})`);
    }
    if (k === param) {
      throw new UsageError(`option ${flag(k)} is the path parameter of ${model.name}; give its values with --lambdas v1,v2,… (or --n-lambdas and --lambda-min-ratio)`);
    }
  }
  for (const r of model.required) {
    if (r !== param && given[r] === undefined) throw new UsageError(`model ${model.name} needs ${flag(r)}`);
  }
  return given;
}

/** Resolves the grid options: an explicit --lambdas list (sorted decreasingly) or the λ_max grid. */
function selectionGrid(o: SelectionOpts, pm: PathCliModel, modelName: string, defaultN: number): { lambdas?: number[]; nLambdas: number; lambdaMinRatio: number } {
  const param = pm.spec.paramName;
  if (o.lambdas !== undefined) {
    if (o.nLambdas !== undefined || o.lambdaMinRatio !== undefined) throw new UsageError('give --lambdas or --n-lambdas/--lambda-min-ratio, not both');
    const l = o.lambdas.slice().sort((a, b) => b - a);
    for (let i = 0; i < l.length; i++) {
      if (!Number.isFinite(l[i]!) || l[i]! < 0) throw new UsageError(`--lambdas: ${l[i]} is not a finite number ≥ 0`);
      if (i > 0 && l[i] === l[i - 1]) throw new UsageError(`--lambdas: the value ${l[i]} appears twice; expected distinct values`);
    }
    return { lambdas: l, nLambdas: l.length, lambdaMinRatio: NaN };
  }
  if (!pm.spec.lambdaMax) {
    throw new UsageError(`model ${modelName} has no λ_max; give the values of ${param} with --lambdas v1,v2,… (most regularised first)`);
  }
  const nLambdas = o.nLambdas ?? defaultN;
  const lambdaMinRatio = o.lambdaMinRatio ?? 0.01;
  if (!Number.isInteger(nLambdas) || nLambdas < 1) throw new UsageError(`--n-lambdas: expected an integer ≥ 1, got ${nLambdas}`);
  if (!(lambdaMinRatio > 0 && lambdaMinRatio <= 1)) throw new UsageError(`--lambda-min-ratio: expected a number in (0, 1], got ${lambdaMinRatio}`);
  return { nLambdas, lambdaMinRatio };
}

/** Reads the model, its registry entry, the parameters, the data and the graph of a path or cv run. */
function selectionSetup(o: SelectionOpts, command: 'path' | 'cv') {
  const model = findCliModel(o.model);
  let pm: PathCliModel;
  try {
    pm = findPathModel(model.name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const given = selectionParams(o, model, pm.spec.paramName, command);
  const grid = selectionGrid(o, pm, model.name, command === 'path' ? 50 : 20);
  const loaded = loadData(o, true);
  const { data, taskLabels, featureNames } = loadedData(loaded);
  if (o.graph !== undefined) given.graph = readGraphCsv(o.graph, taskLabels);
  const modelOptions = pathModelOptions(model.name, given, data);
  return { model, pm, given, grid, loaded, data, taskLabels, featureNames, modelOptions };
}

/**
 * A progress hook counting the points of a grid: a fit whose path parameter differs from the
 * previous fit's starts a new point (refits after strong-rule violations keep the value).
 */
function pointCounter(param: string, bar: Progress): (options: Record<string, unknown>) => void {
  let last: unknown = undefined, started = 0;
  return (options) => {
    const v = options[param];
    if (started === 0 || v !== last) {
      bar.update(started);
      started++;
      last = v;
    }
  };
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

async function cmdPath(o: SelectionOpts, io: CliIO): Promise<void> {
  const { model, pm, grid, loaded, data, taskLabels, featureNames, modelOptions } = selectionSetup(o, 'path');
  const param = pm.spec.paramName;
  const options: PathOptions = grid.lambdas !== undefined
    ? { lambdas: grid.lambdas, strongRules: o.strongRules }
    : { nLambdas: grid.nLambdas, lambdaMinRatio: grid.lambdaMinRatio, strongRules: o.strongRules };
  const bar = progressBar(io.stderr, `${model.name} path`, grid.nLambdas);
  const result = bar.active
    ? await withFitHook(pm, pointCounter(param, bar), (fn) => path(data, fn, options, modelOptions))
    : path(data, pm.fn, options, modelOptions);
  bar.update(grid.nLambdas);
  bar.finish();
  const points: PathFilePoint[] = result.points.map((p) => ({
    lambda: p.lambda, objective: p.objective, certificate: p.certificate, converged: p.converged, iterations: p.iterations,
    nonzeroRows: p.nonzeroRows, rank: p.rank === undefined ? null : finiteOrNull(p.rank), screened: p.screened, discarded: p.discarded, kktViolations: p.kktViolations,
    rowNorms: rowNorms(p.W), ...(o.timings ? { time: p.time } : {}),
  }));
  const file: PathFile = {
    format: PATH_FORMAT, version: SELECTION_VERSION, model: model.name, paramName: param, lambdaMax: finiteOrNull(result.lambdaMax),
    data: dataBlock(data, loaded, taskLabels, featureNames),
    options: jsonSafe(modelOptions) as Record<string, unknown>,
    path: {
      nLambdas: result.options.nLambdas, lambdaMinRatio: result.options.lambdaMinRatio,
      strongRules: result.options.strongRules, warmStart: result.options.warmStart,
    },
    points,
    ...(o.timings ? { time: result.time } : {}),
  };
  writeAtomic(o.out, writeSelectionJson(jsonSafe(file) as Record<string, unknown>));
  const notConverged = result.points.filter((p) => !p.converged).length;
  const last = result.points[result.points.length - 1]!;
  io.stdout.write(
    `${model.name} path over ${param}: ${result.points.length} points from ${fmt(result.points[0]!.lambda)} to ${fmt(last.lambda)}; ` +
    `nonzero rows ${result.points[0]!.nonzeroRows} -> ${last.nonzeroRows} -> ${o.out}\n`,
  );
  if (notConverged > 0) io.stderr.write(`mtlearn: warning: ${notConverged} of ${result.points.length} path points did not converge\n`);
}

async function cmdCv(o: SelectionOpts & { folds?: number; metric: MetricName; oneSe: boolean; workers?: number; seed?: number }, io: CliIO): Promise<void> {
  const { model, pm, given, grid, loaded, data, taskLabels, featureNames, modelOptions } = selectionSetup(o, 'cv');
  const param = pm.spec.paramName;
  let lambdaMax: number | null = null;
  let values: number[];
  if (grid.lambdas !== undefined) values = grid.lambdas;
  else {
    lambdaMax = pm.spec.lambdaMax!(data, modelOptions);
    values = Array.from(checkPathOptions({ nLambdas: grid.nLambdas, lambdaMinRatio: grid.lambdaMinRatio }, lambdaMax).lambdas);
  }
  const folds = o.folds ?? 5, seed = o.seed ?? 0, workers = o.workers ?? 1;
  const cvOptions: CrossValidateOptions = { grid: values, folds, seed, metric: o.metric, oneStandardError: o.oneSe, workers, refit: false };
  const serialBar = workers === 1 ? progressBar(io.stderr, `${model.name} cv (${folds} folds × ${values.length} points)`, folds * values.length) : null;
  const phaseBar = serialBar === null ? progressBar(io.stderr, `${model.name} cv (folds on ${workers} workers, refit)`, 2) : null;
  phaseBar?.update(0);
  let cv: Awaited<ReturnType<typeof crossValidate>>;
  try {
    cv = serialBar?.active
      ? await withFitHook(pm, pointCounter(param, serialBar), (fn) => crossValidate(data, fn, cvOptions, modelOptions))
      : await crossValidate(data, pm.fn, cvOptions, modelOptions);
    serialBar?.update(folds * values.length);
  } finally {
    serialBar?.finish();
  }
  phaseBar?.update(1);
  const chosen = cv.grid[cv.chosenIndex] as number;
  const fit = model.fit(data, { ...given, [param]: chosen });
  phaseBar?.update(2);
  phaseBar?.finish();
  const refit = makeFitFile(model, fit, data, loaded, taskLabels, featureNames, {
    cv: { rule: o.oneSe ? 'one-standard-error' : 'minimum', chosenIndex: cv.chosenIndex, [param]: chosen },
  }, o.timings);
  const K = cv.foldValues.rows, G = cv.foldValues.cols;
  const foldValues: number[][] = [];
  for (let k = 0; k < K; k++) foldValues.push(Array.from(cv.foldValues.data.subarray(k * G, (k + 1) * G)));
  const file: CvFile = {
    format: CV_FORMAT, version: SELECTION_VERSION, model: model.name, paramName: param, lambdaMax,
    data: dataBlock(data, loaded, taskLabels, featureNames),
    options: jsonSafe(modelOptions) as Record<string, unknown>,
    cv: { folds, seed, metric: o.metric, oneStandardError: o.oneSe, workers },
    grid: cv.grid as number[], mean: Array.from(cv.mean), standardError: Array.from(cv.standardError), foldValues,
    bestIndex: cv.bestIndex, oneStandardErrorIndex: cv.oneStandardErrorIndex,
    best: cv.best as number, oneStandardErrorChoice: cv.oneStandardErrorChoice as number,
    chosenIndex: cv.chosenIndex, chosen,
    refit: jsonSafe(refit) as Record<string, unknown>,
    ...(o.timings ? { time: cv.time } : {}),
  };
  writeAtomic(o.out, writeSelectionJson(jsonSafe(file) as Record<string, unknown>));
  io.stdout.write(
    `${model.name} cv over ${param} (${folds} folds, ${o.metric}): min at ${fmt(cv.best as number)} (index ${cv.bestIndex}), ` +
    `1-SE at ${fmt(cv.oneStandardErrorChoice as number)} (index ${cv.oneStandardErrorIndex}); refit at ${fmt(chosen)} ` +
    `objective=${fmt(fit.objective)} -> ${o.out}\n`,
  );
  if (!fit.converged) io.stderr.write(`mtlearn: warning: the refit did not converge in ${fit.iterations} iterations (certificate ${fmt(fit.certificate)})\n`);
}

interface PredictOpts extends DataOpts {
  fit: string;
  out?: string;
}

function cmdPredict(o: PredictOpts, io: CliIO): void {
  const f = parseFitFile(o.fit);
  const W = fitFileW(f);
  const b = f.intercepts;
  const d = f.data.d, T = f.data.T;
  const loaded = loadData(o, false);
  const lines: string[] = [];
  if (loaded.long) {
    const c = loaded.long, file = loaded.files[0]!;
    const perm = featurePermutation(file, c.headerLine, c.featureNames, f.data.featureNames);
    const col = new Map(f.data.taskLabels.map((t, i) => [t, i] as const));
    lines.push(c.hasResponse ? 'task,y,prediction' : 'task,prediction');
    for (const r of c.rowIndex) {
      const label = c.taskLabels[r.task]!;
      const t = col.get(label);
      if (t === undefined) {
        throw new CsvInputError(file, r.line, c.taskColumnIndex, `unknown task "${label}"`, `one of the fitted tasks (${f.data.taskLabels.slice(0, 8).join(', ')}${T > 8 ? ', …' : ''})`);
      }
      const task = c.tasks[r.task]!;
      let s = b[t]!;
      for (let j = 0; j < d; j++) s += task.X.data[r.row * task.X.cols + perm[j]!]! * W.data[j * T + t]!;
      const y = c.hasResponse ? task.y[r.row]! : NaN;
      lines.push(`${csvCell(label)},${c.hasResponse ? `${Number.isNaN(y) ? '' : fmt(y)},` : ''}${fmt(s)}`);
    }
  } else {
    // shared design: one column per task
    const xFile = loaded.files[0]!;
    const X = loaded.shared ? { names: loaded.shared.featureNames, m: loaded.shared.X } : readX(xFile);
    const perm = featurePermutation(xFile, 1, X.names, f.data.featureNames);
    lines.push(f.data.taskLabels.map(csvCell).join(','));
    const row = new Array<string>(T);
    for (let i = 0; i < X.m.rows; i++) {
      for (let t = 0; t < T; t++) {
        let s = b[t]!;
        for (let j = 0; j < d; j++) s += X.m.data[i * X.m.cols + perm[j]!]! * W.data[j * T + t]!;
        row[t] = fmt(s);
      }
      lines.push(row.join(','));
    }
  }
  const text = `${lines.join('\n')}\n`;
  if (o.out === undefined) io.stdout.write(text);
  else {
    writeAtomic(o.out, text);
    io.stderr.write(`mtlearn: ${lines.length - 1} predictions -> ${o.out}\n`);
  }
}

function readX(file: string): { names: string[]; m: Mat } {
  const r = readMatrixCsv(file, false);
  return { names: r.names, m: r.matrix };
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

interface ObjectiveOpts extends DataOpts {
  fit: string;
}

function cmdObjective(o: ObjectiveOpts, io: CliIO): void {
  const f = parseFitFile(o.fit);
  let model;
  try {
    model = findCliModel(f.model);
  } catch (e) {
    throw new FitFileError(o.fit, `model: ${(e as Error).message}`);
  }
  const data = alignToFit(loadData(o, true), f);
  let v: number;
  try {
    v = model.objective(data, fitFileW(f), Float64Array.from(f.intercepts), f.options, f.state ?? {});
  } catch (e) {
    if (e instanceof FitStateError) throw new FitFileError(o.fit, e.message);
    throw e;
  }
  io.stdout.write(`${fmt(v)}\n`);
}

const PLOT_KINDS = ['heatmap', 'convergence', 'singular-values', 'cluster-matrix', 'path', 'cv'] as const;

interface PlotOpts {
  fit?: string;
  path?: string;
  cv?: string;
  selected?: number;
  kind: (typeof PLOT_KINDS)[number];
  out: string;
  title?: string;
}

/** `plot --kind path|cv`: the pictures of the JSON files of `mtlearn path` and `mtlearn cv`. */
async function selectionPlot(o: PlotOpts): Promise<string> {
  const opts = o.title !== undefined ? { title: o.title } : {};
  if (o.fit !== undefined) throw new UsageError(`--kind ${o.kind} reads ${o.kind === 'path' ? '--path path.json (and optionally --cv cv.json)' : '--cv cv.json'}, not --fit`);
  if (o.kind === 'cv') {
    if (o.cv === undefined) throw new UsageError('--kind cv needs --cv cv.json (written by mtlearn cv)');
    if (o.path !== undefined || o.selected !== undefined) throw new UsageError('--path and --selected apply to --kind path only');
    const c = parseCvFile(o.cv);
    try {
      return await cvPlot({ ...c, metric: c.cv?.metric ?? 'cv error' }, opts);
    } catch (e) {
      if (e instanceof RangeError || e instanceof TypeError) throw new FitFileError(o.cv, e.message);
      throw e;
    }
  }
  if (o.path === undefined) throw new UsageError('--kind path needs --path path.json (written by mtlearn path)');
  if (o.cv !== undefined && o.selected !== undefined) throw new UsageError('give --selected or --cv, not both');
  const p = parsePathFile(o.path);
  let selected: number | null = typeof p.selected === 'number' ? p.selected : null;
  if (o.selected !== undefined) selected = o.selected;
  if (o.cv !== undefined) {
    const c = parseCvFile(o.cv);
    if (c.model !== p.model || c.paramName !== p.paramName) {
      throw new InputMismatchError(`${o.cv}: cross-validates ${c.model} over ${c.paramName}; expected ${p.model} over ${p.paramName} as in ${o.path}`);
    }
    selected = c.grid[c.chosenIndex]!;
  }
  if (selected !== null && !(selected > 0 && Number.isFinite(selected))) throw new UsageError(`--selected: expected a finite number > 0, got ${selected}`);
  try {
    return await pathPlot({ paramName: p.paramName, featureNames: p.data.featureNames, points: p.points, selected }, opts);
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new FitFileError(o.path, e.message);
    throw e;
  }
}

async function cmdPlot(o: PlotOpts, io: CliIO): Promise<void> {
  if (o.kind === 'path' || o.kind === 'cv') {
    const svg = await selectionPlot(o);
    writeAtomic(o.out, svg.endsWith('\n') ? svg : `${svg}\n`);
    io.stderr.write(`mtlearn: ${o.kind} plot -> ${o.out}\n`);
    return;
  }
  if (o.fit === undefined) throw new UsageError(`--kind ${o.kind} needs --fit fit.json (written by mtlearn fit, or a cv JSON)`);
  if (o.path !== undefined || o.cv !== undefined || o.selected !== undefined) throw new UsageError('--path, --cv and --selected apply to --kind path and cv only');
  const f = parseFitFile(o.fit);
  const pf: PlotFit = {
    W: f.W, taskLabels: f.data.taskLabels, featureNames: f.data.featureNames, certificateKind: f.certificateKind,
    history: f.history.map((h) => ({
      iteration: h.iteration, certificate: typeof h.certificate === 'number' ? h.certificate : null,
      objective: typeof h.objective === 'number' ? h.objective : null,
      time: typeof h.time === 'number' ? h.time : null,
    })),
  };
  const opts = o.title !== undefined ? { title: o.title } : {};
  let svg: string;
  if (o.kind === 'heatmap') svg = await heatmapW(pf, opts);
  else if (o.kind === 'convergence') {
    try {
      svg = await convergencePlot(pf, opts);
    } catch (e) {
      if (e instanceof RangeError) throw new FitFileError(o.fit, e.message);
      throw e;
    }
  } else if (o.kind === 'cluster-matrix') {
    let model;
    try {
      model = findCliModel(f.model);
    } catch (e) {
      throw new FitFileError(o.fit, `model: ${(e as Error).message}`);
    }
    if (!model.clusterMatrix) {
      throw new UsageError(`--kind cluster-matrix needs a clustered model (${CLI_MODELS.filter((m) => m.clusterMatrix).map((m) => m.name).join(', ')}), but ${o.fit} holds ${f.model}`);
    }
    let cm;
    try {
      cm = model.clusterMatrix(f.state ?? {}, f.data.T);
    } catch (e) {
      if (e instanceof FitStateError) throw new FitFileError(o.fit, e.message);
      throw e;
    }
    svg = await clusterMatrixPlot({ ...cm, taskLabels: f.data.taskLabels }, opts);
  } else svg = await singularValuesPlot(pf, opts);
  writeAtomic(o.out, svg.endsWith('\n') ? svg : `${svg}\n`);
  io.stderr.write(`mtlearn: ${o.kind} plot -> ${o.out}\n`);
}

// ---------- program ----------

function addDataOptions(c: Command): Command {
  return c
    .option('--data <file>', 'long CSV: header task,y,x1,…,xd, one row per observation')
    .option('--X <file>', 'shared design CSV: header of feature names, n rows')
    .option('--Y <file>', 'responses CSV: header of task names, n rows; empty cell or NaN = missing')
    .option('--task-column <name>', 'name of the task column of --data', 'task')
    .option('--response-column <name>', 'name of the response column of --data', 'y');
}

/**
 * Adds the model parameters to a command (`fit`; `path` and `cv` without --lambda-ratio; `cv` names
 * the model's seed --model-seed since --seed seeds the folds).
 */
function addModelOptions(c: Command, kind: 'fit' | 'path' | 'cv'): Command {
  c.option('--lambda <number>', 'penalty weight λ (mean-regularized A: relative weight of the deviations; B, clustered-mean, feature-projection: weight of the deviations)', parseNumber);
  if (kind === 'fit') c.option('--lambda-ratio <number>', 'λ as a fraction of λ_max (group-lasso, trace-norm)', parseNumber);
  c.option('--rho <number>', 'overall penalty weight ρ (mean-regularized form A)', parseNumber);
  c.option('--q <number>', 'q of the L1/Lq norm, in [1, inf] (group-lasso)', parseNumber);
  c.option('--ridge <number>', 'weight ρ of ‖W‖²_F', parseNumber);
  c.option('--rank <integer>', 'rank bound r (low-rank)', parseInteger);
  c.option('--h <integer>', 'dimension h of the shared subspace (aso, aso-convex, feature-projection)', parseInteger);
  c.option('--rho1 <number>', 'ρ₁ (aso-convex, clustered-convex; graph-regularized: weight of ‖WR‖²_F)', parseNumber);
  c.option('--rho2 <number>', 'ρ₂ (aso-convex, clustered-convex; graph-regularized: weight of ‖W‖₁)', parseNumber);
  c.option('--k <integer>', 'number of clusters k (clustered-convex, clustered-mean)', parseInteger);
  c.option('--mu <number>', 'weight μ of the shared part ‖w₀‖² (mean-regularized form B, clustered-mean, feature-projection)', parseNumber);
  c.option('--restarts <integer>', 'number of seeded restarts (clustered-mean, default 10)', parseInteger);
  c.option(kind === 'cv' ? '--model-seed <integer>' : '--seed <integer>', 'seed of the random choices of the model (aso, clustered-convex, clustered-mean, feature-projection)', parseInteger);
  c.option('--gamma <number>', 'weight γ of ‖W‖²_* (feature-learning)', parseNumber);
  c.addOption(new Option('--form <form>', 'parameterisation of mean-regularized (default A)').choices(['A', 'B']));
  c.option('--graph <file>', 'task graph CSV a,b[,weight] of task labels (graph-regularized; default R = I − 11ᵀ/T)');
  c.addOption(new Option('--loss-scale <scale>', 'loss scaling s_t (default mean)').choices(['sum', 'mean', 'task-mean']));
  c.option('--tol <number>', 'relative tolerance of the stopping rule', parseNumber);
  c.option('--max-iter <integer>', 'iteration cap', parseInteger);
  c.option('--no-intercept', 'do not fit per-task intercepts');
  return c;
}

function buildProgram(io: CliIO): Command {
  const program = new Command('mtlearn')
    .description('Linear multi-task regression: fit, predict, evaluate objectives, plot.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false);

  const models = CLI_MODELS.map((m) => m.name);
  addModelOptions(addDataOptions(
    program.command('fit')
      .description(`fit a model and write it as JSON\n\nmodels:\n${CLI_MODELS.map((m) => `  ${m.name.padEnd(19)} ${m.summary}`).join('\n')}`)
      .addOption(new Option('--model <name>', 'model').choices(models).makeOptionMandatory()),
  ), 'fit')
    .option('--no-timings', 'omit timings (byte-identical output for identical input)')
    .requiredOption('--out <file>', 'fit JSON to write')
    .action((o: FitOpts) => cmdFit(o, io));

  const pathModels = pathModelNames();
  const selectionCommand = (name: 'path' | 'cv', description: string): Command => addModelOptions(addDataOptions(
    program.command(name)
      .summary(description.split(' (')[0]!)
      .description(`${description}\n\nmodels (path parameter in brackets; * = has λ_max, else give --lambdas):\n${pathModels.map((m) => {
        const pm = findPathModel(m);
        return `  ${`${m} [${pm.spec.paramName}]${pm.spec.lambdaMax ? ' *' : ''}`.padEnd(28)} ${findCliModel(m).summary}`;
      }).join('\n')}`)
      .addOption(new Option('--model <name>', 'model').choices(pathModels).makeOptionMandatory()),
  ), name)
    .option('--n-lambdas <integer>', `grid size, geometric from λ_max down (default ${name === 'path' ? 50 : 20})`, parseInteger)
    .option('--lambda-min-ratio <number>', 'smallest grid value as a fraction of λ_max, in (0, 1] (default 0.01)', parseNumber)
    .option('--lambdas <list>', 'explicit values of the path parameter, comma-separated (sorted decreasingly)', parseList);

  selectionCommand('path', 'fit a model along a decreasing grid of its regularisation parameter (warm starts, strong rules) and write the path as JSON')
    .option('--no-strong-rules', 'do not use sequential strong rules (group-lasso)')
    .option('--no-timings', 'omit timings (byte-identical output for identical input)')
    .requiredOption('--out <file>', 'path JSON to write')
    .action((o: SelectionOpts) => cmdPath(o, io));

  selectionCommand('cv', 'K-fold cross-validation over the grid (folds within each task), the minimum and one-standard-error choices, and the refit on all data (predict/objective/plot accept the cv JSON as a fit)')
    .option('--folds <integer>', 'number of folds K ≥ 2 (default 5)', parseInteger)
    .option('--seed <integer>', 'seed of the fold assignment (default 0)', parseInteger)
    .addOption(new Option('--metric <name>', 'metric to optimise').choices([...METRIC_NAMES]).default('mse'))
    .option('--one-se', 'refit at the one-standard-error choice instead of the minimum', false)
    .option('--workers <integer>', 'run the folds on this many worker threads (default 1)', parseInteger)
    .option('--no-timings', 'omit timings (byte-identical output for identical input)')
    .requiredOption('--out <file>', 'cv JSON to write')
    .action((o: SelectionOpts & { folds?: number; metric: MetricName; oneSe: boolean; workers?: number }) => cmdCv(o, io));

  addDataOptions(
    program.command('predict')
      .description('predict with a fitted model: long CSV -> task,[y,]prediction per row; --X -> one column per task')
      .requiredOption('--fit <file>', 'fit JSON written by mtlearn fit'),
  )
    .option('--out <file>', 'CSV to write (default: standard output)')
    .action((o: PredictOpts) => cmdPredict(o, io));

  addDataOptions(
    program.command('objective')
      .description("recompute the model's objective at the fitted W and intercepts on the given data, and print it")
      .requiredOption('--fit <file>', 'fit JSON written by mtlearn fit'),
  ).action((o: ObjectiveOpts) => cmdObjective(o, io));

  program.command('plot')
    .description(
      'draw as SVG: of a fit (--fit), the heatmap of Wᵀ, the convergence of the certificate and objective, the singular values of W, '
      + 'the task-similarity matrix M of a clustered model; of a path (--path), the row norms against λ (--kind path, '
      + 'the selected λ from --selected or --cv); of a cv JSON (--cv), the CV curve with ±1 SE bars (--kind cv)',
    )
    .option('--fit <file>', 'fit JSON written by mtlearn fit (or a cv JSON: its refit)')
    .option('--path <file>', 'path JSON written by mtlearn path (--kind path)')
    .option('--cv <file>', 'cv JSON written by mtlearn cv (--kind cv; with --kind path, marks its chosen λ)')
    .option('--selected <number>', 'λ to mark on the path picture', parseNumber)
    .addOption(new Option('--kind <kind>', 'picture').choices([...PLOT_KINDS]).makeOptionMandatory())
    .requiredOption('--out <file>', 'SVG file to write')
    .option('--title <text>', 'title of the picture')
    .action((o: PlotOpts) => cmdPlot(o, io));
  return program;
}

/**
 * Runs the command line in-process.
 * @param argv - the arguments after the program name (e.g. `['fit', '--model', 'group-lasso', …]`)
 * @param io - where to write (default: the process's stdout and stderr)
 * @returns the exit status: 0 success, 1 usage error or solver failure, 2 malformed input
 * @example
 * ```ts
 * const code = await run(['objective', '--fit', 'fit.json', '--data', 'school.csv']);
 * ```
 * @see {@link EXIT_INPUT}, {@link EXIT_USAGE}
 */
export async function run(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; commander already printed its message
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof CsvInputError || e instanceof FitFileError || e instanceof InputMismatchError) {
      io.stderr.write(`mtlearn: error: ${msg.split('\n')[0]}\n`);
      return EXIT_INPUT;
    }
    io.stderr.write(`mtlearn: error: ${msg.split('\n')[0]}\n`);
    return EXIT_USAGE;
  }
}

function isEntry(): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  process.exitCode = await run(process.argv.slice(2));
}
