/**
 * Model selection on the command line (`mtlearn path` and `mtlearn cv`): which command-line model
 * runs which model-table row in `path` / `crossValidate`, the library options built from the
 * command-line parameters, and a per-fit progress hook (the files are in `selectionFiles.ts`).
 *
 * The path parameter of each model comes from the model table (`pathParam` of its row): `lambda`
 * for the group lasso, `rho2` for graph-regularized MTL, `rho1` for the convex ASO and clustered
 * models, `gamma` for feature learning. Models without a registered λ_max need an explicit grid.
 *
 * @packageDocumentation
 */
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { MODEL_TABLE, registerModel, type ModelRow } from '../models/table.js';
import { meanGraph, type CliParams } from './cliModels.js';

/**
 * A command-line model's row in the model table.
 * @example
 * ```ts
 * const m: PathCliModel = findPathModel('graph-regularized'); m.spec.paramName; // 'rho2'
 * ```
 * @see {@link findPathModel}
 */
export interface PathCliModel {
  /** The library function. */
  readonly fn: ModelRow['fit'];
  /** Its path parameter and λ_max (from the model table). */
  readonly spec: { readonly paramName: string; readonly lambdaMax?: (data: MultiTaskData, options: Record<string, unknown>) => number };
  /** The model-table row. */
  readonly row: ModelRow;
}

/**
 * The names of the command-line models with a regularisation path (a path parameter in the model table).
 * @returns kebab-case names, in `--help` order
 * @example
 * ```ts
 * pathModelNames().includes('group-lasso'); // true
 * ```
 * @see {@link findPathModel}
 */
export function pathModelNames(): string[] {
  return MODEL_TABLE.filter((r) => r.cliName !== null && r.pathParam !== null).map((r) => r.cliName!);
}

/**
 * The model-table row of a command-line model with a path.
 * @param name - kebab-case model name, e.g. `'group-lasso'`
 * @returns the library function, its path parameter and λ_max
 * @throws RangeError when the model has no path parameter (e.g. `low-rank`)
 * @example
 * ```ts
 * findPathModel('group-lasso').spec.lambdaMax !== undefined; // true
 * ```
 * @see {@link pathModelNames}
 */
export function findPathModel(name: string): PathCliModel {
  const row = MODEL_TABLE.find((r) => r.cliName === name);
  if (row === undefined || row.pathParam === null) {
    throw new RangeError(`model ${name} has no regularisation path (no path parameter in the model table); expected one of ${pathModelNames().join(', ')}`);
  }
  const spec = row.lambdaMax
    ? { paramName: row.pathParam, lambdaMax: (data: MultiTaskData, o: Record<string, unknown>) => row.lambdaMax!(data, o) }
    : { paramName: row.pathParam };
  return { fn: row.fit, spec, row };
}

/**
 * The library options of a path or cross-validation run from the command-line parameters (the
 * path parameter itself excluded): the parameter names coincide with the library's; the default
 * task graph of graph-regularized MTL is R = I − 11ᵀ/T, and mean-regularized MTL defaults to form A.
 * @param name - kebab-case model name
 * @param p - the parameters given on the command line (validated against the model's list)
 * @param data - the data (for the number of tasks)
 * @returns the model options
 * @example
 * ```ts
 * pathModelOptions('group-lasso', { q: 2, tol: 1e-8 }, data); // { q: 2, tol: 1e-8 }
 * ```
 * @see {@link findPathModel}
 */
export function pathModelOptions(name: string, p: CliParams, data: MultiTaskData): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && k !== 'lambdaRatio') o[k] = v;
  if (name === 'graph-regularized' && o['graph'] === undefined) o['graph'] = meanGraph(data.T);
  if (name === 'mean-regularized') o['form'] = p.form ?? 'A';
  return o;
}

// ---------- progress hook ----------

/** Called before every model fit of a path or cross-validation run with the fit's options. */
let onFit: ((options: Record<string, unknown>) => void) | null = null;
const wrappers = new Map<ModelRow, ModelRow['fit']>();

/**
 * Runs `work` with a hook called before every fit that `path` / `crossValidate` make with the
 * returned model function (in this thread): the model function is wrapped (the wrapper is a model
 * table row `<name>:cli-progress` with the same path parameter, λ_max and strong rule, and forwards
 * every call unchanged, so results are identical). Not for worker threads.
 * @param model - the command-line model's table row
 * @param hook - called with each fit's options (the path parameter among them)
 * @param work - the run, given the wrapped function
 * @returns what `work` returns (awaited)
 * @example
 * ```ts
 * const p = await withFitHook(findPathModel('group-lasso'), (o) => bar.update(...), (fn) => path(data, fn, {}, {}));
 * ```
 * @see {@link findPathModel}
 */
export async function withFitHook<R>(
  model: PathCliModel, hook: (options: Record<string, unknown>) => void, work: (fn: ModelRow['fit']) => R | Promise<R>,
): Promise<R> {
  let w = wrappers.get(model.row);
  if (w === undefined) {
    const row = model.row;
    const wrapped = (data: MultiTaskData, options: Record<string, unknown>): ReturnType<ModelRow['fit']> => {
      onFit?.(options);
      return row.fit(data, options);
    };
    const { module: _module, ...rest } = row;
    registerModel({ ...rest, name: `${row.name}:cli-progress`, cliName: null, fit: wrapped });
    wrappers.set(row, wrapped);
    w = wrapped;
  }
  const previous = onFit;
  onFit = hook;
  try {
    return await work(w);
  } finally {
    onFit = previous;
  }
}
