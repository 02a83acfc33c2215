/**
 * What `mtlearn path` and `mtlearn cv` share: the model parameters (the path parameter excluded),
 * the grid, the data, and a progress hook counting grid points.
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { dataInputs, loadData, loadedData, type Loaded } from './data.js';
import { UsageError } from './errors.js';
import { readGraphCsv } from './graph.js';
import { findCliModel, type CliModel, type CliParamName, type CliParams } from './cliModels.js';
import { givenParams, PARAM_FLAGS, type DataOpts, type ModelOpts } from './options.js';
import { refuseInputAsOutput, type CommandInput } from './output.js';
import type { Progress } from './progress.js';
import { findPathModel, pathModelOptions, type PathCliModel } from './selection.js';

/**
 * The options shared by `mtlearn path` and `mtlearn cv`.
 * @example
 * ```ts
 * const o: SelectionOpts = { model: 'group-lasso', data: 'a.csv', out: 'p.json', intercept: true, timings: true, strongRules: true, taskColumn: 'task', responseColumn: 'y' };
 * ```
 * @see {@link selectionSetup}
 */
export interface SelectionOpts extends DataOpts, ModelOpts {
  /** Model name. */
  model: string;
  /** Output JSON. */
  out: string;
  /** False with --no-timings. */
  timings: boolean;
  /** Grid size. */
  nLambdas?: number;
  /** Smallest grid value / λ_max. */
  lambdaMinRatio?: number;
  /** Explicit grid. */
  lambdas?: number[];
  /** True with --strong-rules (path only; off by default, as in the library). */
  strongRules: boolean;
}

/**
 * The model parameters of a path or cv run: every given parameter must apply to the model, the path
 * parameter must not be given (it is the grid), and the other required ones must be. In `cv`, `--seed`
 * also seeds the folds, so it is passed to the model only when the model takes a seed.
 */
function selectionParams(o: SelectionOpts, model: CliModel, param: string, command: 'path' | 'cv'): CliParams {
  const given = givenParams(o);
  delete given.lambdaRatio;
  if (command === 'cv') {
    const seed = o.modelSeed ?? o.seed;
    if (seed === undefined || !model.params.includes('seed')) delete given.seed;
    else given.seed = seed;
  }
  const keys = Object.keys(given).filter((k): k is CliParamName => k in PARAM_FLAGS);
  if (o.graph !== undefined) keys.push('graph');
  for (const k of keys) {
    if (!model.params.includes(k)) {
      throw new UsageError(`option ${PARAM_FLAGS[k]} does not apply to model ${model.name} (it takes ${model.params.filter((p) => p !== 'lambdaRatio').map((p) => PARAM_FLAGS[p]).join(', ')})`);
    }
    if (k === param) {
      throw new UsageError(`option ${PARAM_FLAGS[k]} is the path parameter of ${model.name}; give its values with --lambdas v1,v2,… (or --n-lambdas and --lambda-min-ratio)`);
    }
  }
  for (const r of model.required) {
    if (r !== param && given[r] === undefined) throw new UsageError(`model ${model.name} needs ${PARAM_FLAGS[r]}`);
  }
  try {
    model.check(given);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return given;
}

/**
 * The grid of a run: an explicit --lambdas list (sorted decreasingly) or the λ_max grid.
 */
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

/**
 * Everything a path or cv run needs, read and checked.
 * @example
 * ```ts
 * const s: SelectionSetup = selectionSetup(o, 'path');
 * ```
 * @see {@link selectionSetup}
 */
export interface SelectionSetup {
  /** The command-line model. */
  model: CliModel;
  /** Its path-registry entry. */
  pm: PathCliModel;
  /** The parameters given (without the path parameter). */
  given: CliParams;
  /** The grid. */
  grid: { lambdas?: number[]; nLambdas: number; lambdaMinRatio: number };
  /** The files read. */
  loaded: Loaded;
  /** The data. */
  data: MultiTaskData;
  /** Task labels. */
  taskLabels: string[];
  /** Feature names. */
  featureNames: string[];
  /** The library options of the model. */
  modelOptions: Record<string, unknown>;
  /** The input files (which --out must not be). */
  inputs: CommandInput[];
}

/**
 * Reads the model, its registry entry, the parameters, the grid, the data and the graph of a path or cv run.
 * @param o - the parsed options
 * @param command - which command
 * @returns the setup
 * @throws {@link UsageError} on options that do not fit the model
 * @example
 * ```ts
 * const { data, modelOptions } = selectionSetup(o, 'cv');
 * ```
 * @see {@link SelectionSetup}
 */
export function selectionSetup(o: SelectionOpts, command: 'path' | 'cv'): SelectionSetup {
  const model = findCliModel(o.model);
  let pm: PathCliModel;
  try {
    pm = findPathModel(model.name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const given = selectionParams(o, model, pm.spec.paramName, command);
  const grid = selectionGrid(o, pm, model.name, command === 'path' ? 50 : 20);
  const inputs = dataInputs(o);
  refuseInputAsOutput(o.out, inputs);
  const loaded = loadData(o, true);
  const { data, taskLabels, featureNames } = loadedData(loaded);
  if (o.graph !== undefined) given.graph = readGraphCsv(o.graph, taskLabels);
  const modelOptions = pathModelOptions(model.name, given, data);
  return { model, pm, given, grid, loaded, data, taskLabels, featureNames, modelOptions, inputs };
}

/**
 * A progress hook counting the points of a grid: a fit whose path parameter differs from the
 * previous fit's starts a new point (refits after strong-rule violations keep the value).
 * @param param - the path parameter
 * @param bar - the bar
 * @returns the hook
 * @example
 * ```ts
 * withFitHook(pm, pointCounter('lambda', bar), (fn) => path(data, fn, {}, {}));
 * ```
 */
export function pointCounter(param: string, bar: Progress): (options: Record<string, unknown>) => void {
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

/**
 * A finite number, else null (for JSON).
 * @param v - the number
 * @returns v or null
 * @example
 * ```ts
 * finiteOrNull(Infinity); // null
 * ```
 */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
