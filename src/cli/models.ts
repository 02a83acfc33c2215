/**
 * The table of models the command line can fit, keyed by kebab-case name. Adding a model is adding
 * one entry to {@link CLI_MODELS}: which parameters it takes, how to fit it and how to evaluate its
 * objective from the stored options (so `mtlearn objective` can recompute it from a fit file).
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { groupLasso, groupLassoLambdaMax, groupLassoObjective } from '../models/groupLasso.js';
import { traceNorm, traceNormLambdaMax, traceNormObjective } from '../models/traceNorm.js';
import { lowRank, lowRankObjective } from '../models/lowRank.js';
import { meanRegularized, meanRegularizedObjective } from '../models/meanRegularized.js';

/**
 * Parameters the command line passes to a model (each model uses a subset, see {@link CliModel.params}).
 * @example
 * ```ts
 * findCliModel('group-lasso').fit(data, { lambda: 0.1, q: 2 });
 * ```
 * @see {@link CliModel}
 */
export interface CliParams {
  /** λ, the penalty weight. */
  lambda?: number;
  /** λ as a fraction of λ_max (λ = ratio · λ_max); exclusive with `lambda`. */
  lambdaRatio?: number;
  /** ρ, the overall weight of the mean-regularized penalty (form A). */
  rho?: number;
  /** q of the L1/Lq group norm. */
  q?: number;
  /** ρ, the weight of ‖W‖²_F. */
  ridge?: number;
  /** The rank bound. */
  rank?: number;
  /** Loss scaling. */
  lossScale?: LossScale;
  /** Relative tolerance. */
  tol?: number;
  /** Iteration cap. */
  maxIter?: number;
  /** Fit per-task intercepts. */
  fitIntercept?: boolean;
}

/**
 * The name of a {@link CliParams} field.
 * @example
 * ```ts
 * findCliModel('low-rank').params.includes('rank'); // true
 * ```
 * @see {@link CliParams}
 */
export type CliParamName = keyof CliParams;

/**
 * Any fit a model of the table returns, with the optional extras the CLI records.
 * @example
 * ```ts
 * const fit: CliFit = findCliModel('trace-norm').fit(data, { lambda: 0.1 });
 * ```
 * @see {@link CliModel}
 */
export type CliFit = FitResultBase<object> & {
  readonly lambdaMax?: number;
  readonly nonzeroRows?: number;
  readonly rank?: number;
  readonly gap?: number;
};

/**
 * One model of the command line.
 * @example
 * ```ts
 * const m: CliModel = findCliModel('group-lasso'); m.objective(data, fit.W, fit.intercepts, fit.options);
 * ```
 * @see {@link CLI_MODELS}
 */
export interface CliModel {
  /** Kebab-case name used on the command line and in fit files. */
  readonly name: string;
  /** One-line description for `--help`. */
  readonly summary: string;
  /** The parameters it accepts (any other given parameter is an error). */
  readonly params: readonly CliParamName[];
  /** Parameters that must be given (`lambda` is satisfied by `lambdaRatio` when the model has λ_max). */
  readonly required: readonly CliParamName[];
  /** λ_max for the data and parameters, when the model has one. */
  lambdaMax?(data: MultiTaskData, p: CliParams): number;
  /** Fits the model (λ already resolved from `lambdaRatio`). */
  fit(data: MultiTaskData, p: CliParams): CliFit;
  /** The model's objective at (W, b), from the options recorded in a fit file. */
  objective(data: MultiTaskData, W: Mat, intercepts: Float64Array, options: Readonly<Record<string, unknown>>): number;
}

const COMMON: readonly CliParamName[] = ['lossScale', 'tol', 'maxIter', 'fitIntercept'];

/** Copies the defined entries of `p` listed in `keys` (so library defaults apply to the others). */
function pick<K extends CliParamName>(p: CliParams, keys: readonly K[]): Pick<CliParams, K> {
  const out: Partial<CliParams> = {};
  for (const k of keys) if (p[k] !== undefined) (out as Record<string, unknown>)[k] = p[k];
  return out as Pick<CliParams, K>;
}

function num(options: Readonly<Record<string, unknown>>, key: string, model: string): number {
  const v = options[key];
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  throw new TypeError(`options.${key}: expected a number for model ${model}, got ${JSON.stringify(v)}`);
}

function lossScaleOf(options: Readonly<Record<string, unknown>>): LossScale {
  const v = options['lossScale'];
  if (v === 'sum' || v === 'mean' || v === 'task-mean') return v;
  throw new TypeError(`options.lossScale: expected 'sum', 'mean' or 'task-mean', got ${JSON.stringify(v)}`);
}

/**
 * The models available on the command line, in `--help` order.
 *
 * @example
 * ```ts
 * const m = CLI_MODELS.find((m) => m.name === 'group-lasso')!;
 * const fit = m.fit(data, { lambda: 0.1, q: 2 });
 * ```
 * @see {@link findCliModel}
 */
export const CLI_MODELS: readonly CliModel[] = [
  {
    name: 'group-lasso',
    summary: 'L1/Lq joint feature selection: L + λ Σ_j ‖w^j‖_q + ρ‖W‖²_F',
    params: ['lambda', 'lambdaRatio', 'q', 'ridge', ...COMMON],
    required: ['lambda'],
    lambdaMax: (data, p) => groupLassoLambdaMax(data, pick(p, ['q', 'lossScale', 'fitIntercept'])),
    fit: (data, p) => groupLasso(data, { lambda: p.lambda!, ...pick(p, ['q', 'ridge', ...COMMON]) }),
    objective: (data, W, b, o) => groupLassoObjective(
      data, W, { lambda: num(o, 'lambda', 'group-lasso'), q: num(o, 'q', 'group-lasso'), ridge: num(o, 'ridge', 'group-lasso'), lossScale: lossScaleOf(o) }, b,
    ),
  },
  {
    name: 'trace-norm',
    summary: 'shared low-rank subspace: L + λ‖W‖_* + ρ‖W‖²_F',
    params: ['lambda', 'lambdaRatio', 'ridge', ...COMMON],
    required: ['lambda'],
    lambdaMax: (data, p) => traceNormLambdaMax(data, pick(p, ['lossScale', 'fitIntercept'])),
    fit: (data, p) => traceNorm(data, { lambda: p.lambda!, ...pick(p, ['ridge', ...COMMON]) }),
    objective: (data, W, b, o) => traceNormObjective(
      data, W, { lambda: num(o, 'lambda', 'trace-norm'), ridge: num(o, 'ridge', 'trace-norm'), lossScale: lossScaleOf(o) }, b,
    ),
  },
  {
    name: 'low-rank',
    summary: 'min L subject to rank(W) ≤ r (local solution)',
    params: ['rank', ...COMMON],
    required: ['rank'],
    fit: (data, p) => lowRank(data, { rank: p.rank!, ...pick(p, COMMON) }),
    objective: (data, W, b, o) => lowRankObjective(data, W, { rank: num(o, 'rank', 'low-rank'), lossScale: lossScaleOf(o) }, b),
  },
  {
    name: 'mean-regularized',
    summary: 'L + ρ(‖w̄‖² + (λ/T) Σ_t ‖w_t − w̄‖²), form A',
    params: ['rho', 'lambda', ...COMMON],
    required: ['rho', 'lambda'],
    fit: (data, p) => meanRegularized(data, { form: 'A', rho: p.rho!, lambda: p.lambda!, ...pick(p, COMMON) }),
    objective: (data, W, b, o) => meanRegularizedObjective(
      data, W, { form: 'A', rho: num(o, 'rho', 'mean-regularized'), lambda: num(o, 'lambda', 'mean-regularized'), lossScale: lossScaleOf(o) }, b,
    ),
  },
];

/**
 * Looks a model up by its kebab-case name.
 * @param name - e.g. `'group-lasso'`
 * @returns the model
 * @throws RangeError listing the available names when `name` is unknown
 * @example
 * ```ts
 * findCliModel('trace-norm').params; // ['lambda', 'lambdaRatio', 'ridge', …]
 * ```
 * @see {@link CLI_MODELS}
 */
export function findCliModel(name: string): CliModel {
  const m = CLI_MODELS.find((x) => x.name === name);
  if (!m) throw new RangeError(`unknown model "${name}"; expected one of ${CLI_MODELS.map((x) => x.name).join(', ')}`);
  return m;
}
