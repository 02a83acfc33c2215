/**
 * Option parsers and the option groups shared by the commands: the data options (`--data` or
 * `--X`/`--Y`), the model parameters, and the flag name of each parameter.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { strictNumber } from '../io/tokenizer.js';
import type { CliParamName, CliParams } from './cliModels.js';

/**
 * Parses a number option: a strict decimal (`0x10` and `1e-400` are refused) or `inf`/`Infinity`.
 * @param value - the option text
 * @returns the number
 * @throws InvalidArgumentError (commander prints it and exits with status 1)
 * @example
 * ```ts
 * parseNumber('1e-3'); // 0.001
 * parseNumber('inf');  // Infinity
 * ```
 */
export function parseNumber(value: string): number {
  const s = value.trim();
  const l = s.toLowerCase();
  if (l === 'inf' || l === 'infinity' || l === '+inf' || l === '+infinity') return Infinity;
  const v = strictNumber(s);
  if (v === null) throw new InvalidArgumentError(`expected a number, got "${value}" (decimal notation: no hexadecimal, nothing that under- or overflows)`);
  return v;
}

/**
 * Parses an integer option.
 * @param value - the option text
 * @returns the integer
 * @throws InvalidArgumentError when not an integer
 * @example
 * ```ts
 * parseInteger('5'); // 5
 * ```
 */
export function parseInteger(value: string): number {
  const v = parseNumber(value);
  if (!Number.isInteger(v)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return v;
}

/**
 * Parses a comma-separated list of numbers.
 * @param value - e.g. `1,0.5,0.1`
 * @returns the numbers
 * @throws InvalidArgumentError on an empty item or a non-number
 * @example
 * ```ts
 * parseList('1,0.5'); // [1, 0.5]
 * ```
 */
export function parseList(value: string): number[] {
  const parts = value.split(',').map((x) => x.trim());
  if (parts.length === 0 || parts.some((x) => x === '')) throw new InvalidArgumentError(`expected comma-separated numbers such as 1,0.5,0.1, got "${value}"`);
  return parts.map(parseNumber);
}

/**
 * Parses a ratio in (0, 1] (`--lambda-ratio`, `--lambda-min-ratio`).
 * @param value - the option text
 * @returns the ratio
 * @throws InvalidArgumentError outside (0, 1] (a ratio above 1 gives W = 0)
 * @example
 * ```ts
 * parseRatio('0.1'); // 0.1
 * ```
 */
export function parseRatio(value: string): number {
  const v = parseNumber(value);
  if (!(v > 0 && v <= 1)) throw new InvalidArgumentError(`expected a number in (0, 1] (a fraction of λ_max; above 1, W = 0 as at 1), got "${value}"`);
  return v;
}

/**
 * The data options of `fit`, `predict`, `objective`, `path` and `cv`.
 * @example
 * ```ts
 * const o: DataOpts = { data: 'school.csv', taskColumn: 'task', responseColumn: 'y' };
 * ```
 * @see {@link addDataOptions}
 */
export interface DataOpts {
  /** Long CSV. */
  data?: string;
  /** Shared design CSV. */
  X?: string;
  /** Responses CSV. */
  Y?: string;
  /** Task column of the long CSV. */
  taskColumn: string;
  /** Response column of the long CSV. */
  responseColumn: string;
  /** Feature columns of the long CSV (`fit`, `stats`; default: every other column). */
  features?: string[];
}

/**
 * Adds the data options to a command.
 * @param c - the command
 * @returns the command
 * @example
 * ```ts
 * addDataOptions(program.command('fit'));
 * ```
 * @see {@link DataOpts}
 */
export function addDataOptions(c: Command): Command {
  return c
    .option('--data <file>', 'long CSV: header task,y,x1,…,xd, one row per observation (labels are text; 1 and 1.0 in one file are an error)')
    .option('--X <file>', 'shared design CSV: header of feature names, n rows')
    .option('--Y <file>', 'responses CSV: header of task names, n rows; empty cell or NaN = missing')
    .option('--task-column <name>', 'name of the task column of --data', 'task')
    .option('--response-column <name>', 'name of the response column of --data', 'y');
}

/**
 * Parses a comma-separated list of column names (`--features x1,x3`).
 * @param value - the option text
 * @returns the names, trimmed
 * @throws InvalidArgumentError on an empty name
 * @example
 * ```ts
 * parseNames('x1, x3'); // ['x1', 'x3']
 * ```
 */
export function parseNames(value: string): string[] {
  const parts = value.split(',').map((x) => x.trim());
  if (parts.some((x) => x === '')) throw new InvalidArgumentError(`expected comma-separated column names such as x1,x2, got "${value}"`);
  return parts;
}

/**
 * The flag of each model parameter.
 * @example
 * ```ts
 * PARAM_FLAGS.lambdaRatio; // '--lambda-ratio'
 * ```
 */
export const PARAM_FLAGS: Readonly<Record<CliParamName, string>> = {
  lambda: '--lambda', lambdaRatio: '--lambda-ratio', rho: '--rho', q: '--q', ridge: '--ridge', rank: '--rank',
  h: '--h', rho1: '--rho1', rho2: '--rho2', k: '--k', mu: '--mu', restarts: '--restarts', seed: '--seed', gamma: '--gamma',
  form: '--form', graph: '--graph',
  lossScale: '--loss-scale', tol: '--tol', maxIter: '--max-iter', fitIntercept: '--no-intercept', a: '--a', theta: '--theta',
  lambda1: '--lambda1', lambda2: '--lambda2', lambda3: '--lambda3', tau: '--tau',
};

/**
 * The parsed model options (the graph as a CSV path).
 * @example
 * ```ts
 * const o: ModelOpts = { intercept: true, lambda: 0.1 };
 * ```
 * @see {@link addModelOptions}
 */
export interface ModelOpts extends Omit<CliParams, 'graph' | 'fitIntercept'> {
  /** Task graph CSV. */
  graph?: string;
  /** False with --no-intercept. */
  intercept: boolean;
  /** Deprecated alias of `--seed` for the model's seed in `cv`. */
  modelSeed?: number;
}

/** The numeric and enumerated parameters copied verbatim from the parsed options. */
export const COPIED_PARAMS = [
  'lambda', 'lambdaRatio', 'rho', 'q', 'ridge', 'rank', 'h', 'rho1', 'rho2', 'k', 'mu', 'restarts', 'seed', 'gamma', 'form',
  'lossScale', 'tol', 'maxIter', 'a', 'theta', 'lambda1', 'lambda2', 'lambda3', 'tau',
] as const satisfies readonly (keyof ModelOpts & CliParamName)[];

/**
 * The model parameters given on the command line (undefined ones left out, so library defaults apply).
 * @param o - the parsed options
 * @returns the parameters (without the graph, which needs the data's task labels)
 * @example
 * ```ts
 * givenParams({ intercept: false, lambda: 0.1 }); // { lambda: 0.1, fitIntercept: false }
 * ```
 * @see {@link COPIED_PARAMS}
 */
export function givenParams(o: ModelOpts): CliParams {
  const given: CliParams = {};
  for (const k of COPIED_PARAMS) {
    const v = o[k];
    if (v !== undefined) Object.assign(given, { [k]: v });
  }
  if (!o.intercept) given.fitIntercept = false;
  return given;
}

/**
 * Adds the model parameters to a command (`fit`; `path` and `cv` without --lambda-ratio). `--seed`
 * seeds the model's random choices in every command; in `cv` it also seeds the folds.
 * @param c - the command
 * @param kind - which command
 * @returns the command
 * @example
 * ```ts
 * addModelOptions(program.command('fit'), 'fit');
 * ```
 * @see {@link ModelOpts}
 */
export function addModelOptions(c: Command, kind: 'fit' | 'path' | 'cv'): Command {
  c.option('--lambda <number>', 'penalty weight λ (mean-regularized A: relative weight of the deviations; B, clustered-mean, feature-projection: weight of the deviations)', parseNumber);
  if (kind === 'fit') c.option('--lambda-ratio <number>', 'λ as a fraction of λ_max, in (0, 1] (group-lasso, trace-norm)', parseRatio);
  c.option('--lambda1 <number>', 'λ₁ (dirty, robust-mtfl, robust-mtl, sparse-low-rank: weight of P\'s penalty; temporal-group-lasso: of ‖W‖²_F; fused-group-lasso: of ‖W‖₁; multi-level-lasso: of Σ_j θ_j)', parseNumber);
  c.option('--lambda2 <number>', 'λ₂ (decompositions: weight of Q\'s penalty; temporal-group-lasso: of Σ_t ‖w_t − w_{t+1}‖²; fused-group-lasso: of Σ_t ‖w_t − w_{t+1}‖₁; multi-level-lasso: of Σ|γ_jt|)', parseNumber);
  c.option('--lambda3 <number>', 'λ₃, weight of the row norms Σ_j ‖w^j‖₂ (temporal-group-lasso, fused-group-lasso)', parseNumber);
  c.option('--tau <number>', 'radius τ of the trace-norm ball ‖Q‖_* ≤ τ (sparse-low-rank, constrained form; instead of --lambda2)', parseNumber);
  c.option('--rho <number>', 'overall penalty weight ρ (mean-regularized form A)', parseNumber);
  c.option('--q <number>', 'q of the L1/Lq norm, in [1, inf] (group-lasso; dirty: row norm of P, default inf)', parseNumber);
  c.option('--ridge <number>', 'weight ρ of ‖W‖²_F (low-rank, aso: default 1e-6 × the loss\'s curvature)', parseNumber);
  c.option('--rank <integer>', 'rank bound r (low-rank)', parseInteger);
  c.option('--h <integer>', 'dimension h of the shared subspace (aso, aso-convex, feature-projection)', parseInteger);
  c.option('--rho1 <number>', 'ρ₁ (aso-convex, clustered-convex; graph-regularized: weight of ‖WR‖²_F)', parseNumber);
  c.option('--rho2 <number>', 'ρ₂ (aso-convex, clustered-convex; graph-regularized: weight of ‖W‖₁)', parseNumber);
  c.option('--k <integer>', 'number of clusters k (clustered-convex, clustered-mean)', parseInteger);
  c.option('--mu <number>', 'weight μ of the shared part ‖w₀‖² (mean-regularized form B, clustered-mean, feature-projection)', parseNumber);
  c.option('--restarts <integer>', 'number of seeded restarts (clustered-mean, default 10)', parseInteger);
  c.option('--seed <integer>', kind === 'cv'
    ? 'seed of every random choice: the fold assignment and the model (aso, clustered-convex, clustered-mean, feature-projection) (default 0)'
    : 'seed of the random choices of the model (aso, clustered-convex, clustered-mean, feature-projection)', parseInteger);
  if (kind === 'cv') c.addOption(new Option('--model-seed <integer>', 'deprecated: the model\'s seed when it should differ from --seed').argParser(parseInteger).hideHelp());
  c.option('--gamma <number>', 'weight γ of ‖W‖²_* (feature-learning); concavity γ > 1 of the MCP (block-mcp, default 3)', parseNumber);
  c.option('--a <number>', 'SCAD parameter a > 2 (block-scad, default 3.7)', parseNumber);
  c.option('--theta <number>', 'cap θ > 0 of ‖w^j‖₁ (capped-l1)', parseNumber);
  c.addOption(new Option('--form <form>', 'parameterisation of mean-regularized (default A)').choices(['A', 'B']));
  c.option('--graph <file>', 'task graph CSV a,b[,weight] of task labels (graph-regularized; default R = I − 11ᵀ/T)');
  c.addOption(new Option('--loss-scale <scale>', 'loss scaling s_t (default mean; feature-projection: task-mean)').choices(['sum', 'mean', 'task-mean']));
  c.option('--tol <number>', 'relative tolerance of the stopping rule', parseNumber);
  c.option('--max-iter <integer>', 'iteration cap', parseInteger);
  c.option('--no-intercept', 'do not fit per-task intercepts');
  return c;
}
