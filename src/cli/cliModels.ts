/**
 * The models of the command line: the rows of the one model table (`src/models/table.ts`) that have
 * a command-line name, each with its fit-file codec (`src/cli/fitCodecs.ts`). Name, summary, entry
 * point, accepted options, path parameter and λ_max come from the table; the command line adds the
 * flags, the required parameters and the fit file.
 *
 * @packageDocumentation
 */
import type { HistoryEntry, LossScale } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import type { TaskGraph } from '../models/graphRegularized.js';
import { MODEL_TABLE, type ModelFitLike, type ModelRow } from '../models/table.js';
import { CLI_PARAM_NAMES, FIT_CODECS, type CliParamName, type FitCodec } from './fitCodecs.js';
import { meanGraph } from './fitState.js';

export { FitStateError, meanGraph } from './fitState.js';
export type { CliParamName } from './fitCodecs.js';

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
  /** Dimension h of the shared subspace (aso, aso-convex, feature-projection). */
  h?: number;
  /** ρ₁ (aso-convex, graph-regularized, clustered-convex). */
  rho1?: number;
  /** ρ₂ (aso-convex, graph-regularized, clustered-convex). */
  rho2?: number;
  /** Number of clusters k. */
  k?: number;
  /** μ, the weight of the shared part's norm (mean-regularized form B, clustered-mean, feature-projection). */
  mu?: number;
  /** Number of seeded restarts (clustered-mean). */
  restarts?: number;
  /** Seed of every random choice of the model. */
  seed?: number;
  /** γ, the weight of ‖W‖²_* (feature-learning); the MCP concavity (block-mcp). */
  gamma?: number;
  /** a, the SCAD parameter (block-scad). */
  a?: number;
  /** θ, the cap of the row ℓ1 norms (capped-l1). */
  theta?: number;
  /** Parameterisation of mean-regularized MTL: `'A'` (ρ, λ) or `'B'` (λ, μ). */
  form?: 'A' | 'B';
  /** The task graph (graph-regularized); default R = I − 11ᵀ/T. */
  graph?: TaskGraph;
  /** Loss scaling. */
  lossScale?: LossScale;
  /** Relative tolerance. */
  tol?: number;
  /** Iteration cap. */
  maxIter?: number;
  /** Fit per-task intercepts. */
  fitIntercept?: boolean;
  /** λ₁ (decompositions: weight of P's penalty; temporal-group-lasso: of ‖W‖²_F; multi-level-lasso: of Σ θ_j). */
  lambda1?: number;
  /** λ₂ (decompositions: weight of Q's penalty; temporal-group-lasso: of the temporal differences; multi-level-lasso: of Σ |γ_jt|). */
  lambda2?: number;
  /** λ₃ (temporal-group-lasso: weight of the row norms). */
  lambda3?: number;
  /** τ, the radius of the trace-norm ball of Q (sparse-low-rank, constrained form). */
  tau?: number;
}

/**
 * A fit as the command line records it: the table's fit fields, the certificate kind, the history,
 * the resolved options, and `state`, the model's variables beyond W that its objective needs.
 * @example
 * ```ts
 * const fit: CliFit = findCliModel('trace-norm').fit(data, { lambda: 0.1 });
 * ```
 * @see {@link CliModel}
 */
export interface CliFit extends ModelFitLike {
  /** Which certificate. */
  readonly certificateKind: string;
  /** Objective and certificate along the way. */
  readonly history: readonly HistoryEntry[];
  /** The options actually used. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Variables beyond W (Θ, M, w₀, ΔW, P, D, centres, assignment …), stored in the fit file. */
  readonly state?: Record<string, unknown>;
}

/**
 * What the command line gives a fit besides data and parameters.
 * @example
 * ```ts
 * findCliModel('clustered-mean').fit(data, { k: 2, lambda: 0.1 }, { progress: (done, total) => {} });
 * ```
 * @see {@link CliModel.fit}
 */
export interface CliFitContext {
  /** Called after each unit of long work (a restart) with the units done and the total. */
  progress?: (done: number, total: number) => void;
  /**
   * Called at the solver's certificate checks with the iteration, the certificate and the tolerance it
   * must reach, for models whose table row takes a `progress` option (the solver-core `ProgressInfo`).
   */
  solverProgress?: (iteration: number, certificate: number, tol: number) => void;
}

/** The solver's progress callback option, when the model takes one: forwards `ProgressInfo` fields. */
function progressOption(row: ModelRow, ctx: CliFitContext | undefined): Record<string, unknown> {
  const draw = ctx?.solverProgress;
  if (draw === undefined || !row.optionKeys.includes('onProgress')) return {};
  return {
    onProgress: (info: unknown): void => {
      if (typeof info !== 'object' || info === null) return;
      const it = 'iteration' in info ? info.iteration : undefined, c = 'certificate' in info ? info.certificate : undefined;
      const tol = 'tol' in info ? info.tol : undefined;
      if (typeof it === 'number' && typeof c === 'number' && typeof tol === 'number') draw(it, c, tol);
    },
  };
}

/**
 * One model of the command line.
 * @example
 * ```ts
 * const m: CliModel = findCliModel('group-lasso'); m.objective(data, fit.W, fit.intercepts, fit.options, {});
 * ```
 * @see {@link CLI_MODELS}
 */
export interface CliModel {
  /** Kebab-case name used on the command line and in fit files (the table's `cliName`). */
  readonly name: string;
  /** One-line description for `--help` (the table's summary). */
  readonly summary: string;
  /** The model-table row. */
  readonly row: ModelRow;
  /** The loss scale when none is given. */
  readonly defaultLossScale: LossScale;
  /** The parameters it accepts: the table row's options among {@link CLI_PARAM_NAMES} (any other given parameter is an error). */
  readonly params: readonly CliParamName[];
  /** Parameters that must be given (`lambda` is satisfied by `lambdaRatio` when the model has λ_max). */
  readonly required: readonly CliParamName[];
  /** λ_max for the data and parameters (from the table), when the model has one for λ. */
  readonly lambdaMax?: (data: MultiTaskData, p: CliParams) => number;
  /**
   * Checks combinations of parameters the flags cannot express (forms of mean-regularized MTL).
   * @param p - the given parameters
   * @throws RangeError naming the offending option
   */
  check(p: CliParams): void;
  /** Fits the model (λ already resolved from `lambdaRatio`) through the table's entry point. */
  fit(data: MultiTaskData, p: CliParams, ctx?: CliFitContext): CliFit;
  /** The model's objective at (W, b) from the options and state of a fit file (see {@link FitCodec.objective}). */
  objective: FitCodec['objective'];
  /** The task-similarity matrix of a clustered model, from its stored state. */
  clusterMatrix?: FitCodec['clusterMatrix'];
}

/** The library options of a model from command-line parameters: the given ones among the row's options. */
function libraryOptions(row: ModelRow, p: CliParams, data: MultiTaskData, defaults: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const o: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(p)) if (v !== undefined && k !== 'lambdaRatio' && row.optionKeys.includes(k)) o[k] = v;
  if (row.optionKeys.includes('graph') && o['graph'] === undefined) o['graph'] = meanGraph(data.T);
  return o;
}

function isHistory(v: unknown): v is HistoryEntry[] {
  return Array.isArray(v) && v.every((h: unknown) => typeof h === 'object' && h !== null && 'iteration' in h && typeof h.iteration === 'number');
}

/** The fit of a table entry point with the fields every mtlearn fit has, checked at run time. */
function cliFit(row: ModelRow, fit: ModelFitLike, codec: FitCodec): CliFit {
  const history = 'history' in fit ? fit.history : undefined;
  const options = 'options' in fit ? fit.options : undefined;
  const kind = 'certificateKind' in fit ? fit.certificateKind : undefined;
  if (!isHistory(history) || typeof options !== 'object' || options === null || typeof kind !== 'string') {
    throw new TypeError(`${row.name}: expected a fit with history, options and certificateKind`);
  }
  const state = codec.state?.(fit);
  return { ...fit, certificateKind: kind, history, options: Object.fromEntries(Object.entries(options)), ...(state !== undefined ? { state } : {}) };
}

/**
 * The seed to pass to a single-restart clustered mean-regularized call so that it runs restart r of a
 * call with `seed` and several restarts: that model seeds restart r with (seed·1000003 + 7919·r) mod
 * 2³², so the single-restart seed is seed + 7919·r·1000003⁻¹ (mod 2³²). Lets the command line report
 * progress per restart with results identical to the library call.
 */
function restartSeed(seed: number, r: number): number {
  // inverse of 1000003 modulo 2^32 by Newton iteration x ← x(2 − a x) (each step doubles the correct bits)
  const a = 1000003;
  let x = a; // correct to 3 bits for odd a
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x)) >>> 0;
  const step = Math.imul(Math.imul(7919, r), x) >>> 0;
  return (((Math.trunc(seed) >>> 0) + step) % 4294967296);
}

/** Runs the restarts of clustered mean-regularized MTL one at a time (progress), keeping the first best. */
function restartsOneByOne(row: ModelRow, codec: FitCodec, data: MultiTaskData, o: Record<string, unknown>, ctx: CliFitContext | undefined): CliFit {
  const restarts = typeof o['restarts'] === 'number' ? o['restarts'] : 10;
  const seed = typeof o['seed'] === 'number' ? o['seed'] : 0;
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError(`restarts: expected an integer ≥ 1, got ${restarts}`);
  if (!Number.isInteger(seed) || Math.abs(seed) >= 2 ** 32) throw new RangeError(`seed: expected an integer with |seed| < 2^32, got ${seed}`);
  let best: ModelFitLike | null = null, bestObjective = Infinity, bestRestart = 0;
  const objectives = new Float64Array(restarts);
  const t0 = performance.now();
  for (let r = 0; r < restarts; r++) {
    const fit = row.fit(data, { ...o, restarts: 1, seed: restartSeed(seed, r) });
    const ro = 'restartObjectives' in fit ? fit.restartObjectives : undefined;
    objectives[r] = ro instanceof Float64Array ? ro[0]! : fit.objective;
    if (best === null || objectives[r]! < bestObjective) {
      best = fit;
      bestObjective = objectives[r]!;
      bestRestart = r;
    }
    ctx?.progress?.(r + 1, restarts);
  }
  const b = cliFit(row, best!, { ...codec, state: undefined });
  const merged = { ...b, options: { ...b.options, restarts, seed }, restartObjectives: objectives, bestRestart, time: (performance.now() - t0) / 1000 };
  const state = codec.state?.(merged);
  return state !== undefined ? { ...merged, state } : merged;
}

function cliModel(row: ModelRow & { cliName: string }, codec: FitCodec): CliModel {
  const hasLambdaMax = row.lambdaMax !== undefined && row.pathParam === 'lambda';
  const params = CLI_PARAM_NAMES.filter((p) => row.optionKeys.includes(p) || (p === 'lambdaRatio' && hasLambdaMax));
  return {
    name: row.cliName, summary: row.summary, row, defaultLossScale: codec.defaultLossScale, params, required: codec.required,
    ...(hasLambdaMax ? { lambdaMax: (data: MultiTaskData, p: CliParams) => row.lambdaMax!(data, libraryOptions(row, p, data, codec.defaults)) } : {}),
    check: (p) => codec.check?.(new Set(Object.entries(p).filter(([, v]) => v !== undefined).map(([k]) => k)), p.form),
    fit: (data, p, ctx) => {
      const o = libraryOptions(row, p, data, codec.defaults);
      if (row.name === 'clusteredMeanRegularized') return restartsOneByOne(row, codec, data, o, ctx);
      const fit = row.fit(data, { ...o, ...progressOption(row, ctx) });
      return cliFit(row, fit, codec);
    },
    objective: codec.objective,
    ...(codec.clusterMatrix ? { clusterMatrix: codec.clusterMatrix } : {}),
  };
}

/**
 * The models available on the command line, in `--help` order: every row of the model table with a
 * command-line name.
 * @example
 * ```ts
 * const m = CLI_MODELS.find((m) => m.name === 'group-lasso')!;
 * const fit = m.fit(data, { lambda: 0.1, q: 2 });
 * ```
 * @see {@link findCliModel}
 */
export const CLI_MODELS: readonly CliModel[] = MODEL_TABLE.flatMap((row) => {
  const name = row.cliName;
  if (name === null) return [];
  const codec = FIT_CODECS[row.name];
  if (codec === undefined) throw new Error(`model table row ${row.name} (${name}) has no fit-file codec in src/cli/fitCodecs.ts`);
  return [cliModel({ ...row, cliName: name }, codec)];
});

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

