/**
 * The table of models the command line can fit, keyed by kebab-case name. Adding a model is adding
 * one entry to {@link CLI_MODELS}: which parameters it takes, how to fit it, which of its variables
 * beyond W the objective needs (its `state`: Θ, M, w₀/ΔW, P, D, the centres …, stored in the fit
 * file) and how to evaluate its objective from the stored options and state (so `mtlearn objective`
 * recomputes exactly the value the fit reported).
 *
 * The objectives are those of `docs/objectives.md`; the references are in each model's module
 * (Ando & Zhang 2005; Chen, Tang, Liu & Ye 2009; Evgeniou & Pontil 2004; Zhou, Chen & Ye 2011;
 * Argyriou, Evgeniou & Pontil 2008; Li, Tian, Liu & Tao 2015).
 *
 * @packageDocumentation
 */
import type { FitResultBase, LossScale, Mat } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { groupLasso, groupLassoLambdaMax, groupLassoObjective } from '../models/groupLasso.js';
import { traceNorm, traceNormLambdaMax, traceNormObjective } from '../models/traceNorm.js';
import { lowRank, lowRankObjective } from '../models/lowRank.js';
import { meanRegularized, meanRegularizedObjective } from '../models/meanRegularized.js';
import { aso, asoObjective } from '../models/aso.js';
import { asoConvex, asoConvexObjective } from '../models/asoConvex.js';
import { graphRegularized, graphRegularizedObjective, type TaskGraph } from '../models/graphRegularized.js';
import { clusteredConvex, clusteredConvexObjective } from '../models/clusteredConvex.js';
import {
  clusteredMeanRegularized, clusteredMeanRegularizedObjective, type ClusteredMeanRegularizedFit,
} from '../models/clusteredMeanRegularized.js';
import { featureLearning, featureLearningObjective } from '../models/featureLearning.js';
import { featureProjection, featureProjectionObjective } from '../models/featureProjection.js';

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
  /** γ, the weight of ‖W‖²_* (feature-learning). */
  gamma?: number;
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
 * Any fit a model of the table returns, with the optional extras the CLI records, and `state`: the
 * model's variables beyond W that its objective needs (JSON-safe: matrices as arrays of rows).
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
  /** Variables beyond W (Θ, M, w₀, ΔW, P, D, centres, assignment …), stored in the fit file. */
  readonly state?: Record<string, unknown>;
};

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
  /** Kebab-case name used on the command line and in fit files. */
  readonly name: string;
  /** One-line description for `--help`. */
  readonly summary: string;
  /** The parameters it accepts (any other given parameter is an error). */
  readonly params: readonly CliParamName[];
  /** The loss scale when `--loss-scale` is not given. */
  readonly defaultLossScale: LossScale;
  /** Parameters that must be given (`lambda` is satisfied by `lambdaRatio` when the model has λ_max). */
  readonly required: readonly CliParamName[];
  /** λ_max for the data and parameters, when the model has one. */
  lambdaMax?(data: MultiTaskData, p: CliParams): number;
  /** Fits the model (λ already resolved from `lambdaRatio`). */
  fit(data: MultiTaskData, p: CliParams, ctx?: CliFitContext): CliFit;
  /**
   * The model's objective at (W, b), from the options and state recorded in a fit file.
   * @throws {@link FitStateError} when the state lacks a variable or has the wrong shape
   */
  objective(
    data: MultiTaskData, W: Mat, intercepts: Float64Array, options: Readonly<Record<string, unknown>>,
    state: Readonly<Record<string, unknown>>,
  ): number;
  /** The task-similarity matrix M (T×T) of a clustered model, from its stored state. */
  clusterMatrix?(state: Readonly<Record<string, unknown>>, T: number): { M: Mat; clusters?: number[] };
}

/**
 * A fit file whose `state` (the variables beyond W) is missing or malformed.
 * @example
 * ```ts
 * try { m.objective(data, W, b, options, {}); } catch (e) { if (e instanceof FitStateError) console.error(e.message); }
 * ```
 * @see {@link CliModel.objective}
 */
export class FitStateError extends Error {
  /**
   * @param problem - what is wrong and what was expected
   * @example
   * ```ts
   * new FitStateError('state.M: expected 3 rows').message;
   * ```
   */
  constructor(problem: string) {
    super(problem);
    this.name = 'FitStateError';
  }
}

const COMMON = ['lossScale', 'tol', 'maxIter', 'fitIntercept'] as const satisfies readonly CliParamName[];

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

/** A Mat as JSON-safe rows. */
function rowsOf(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Reads `state[key]` as a rows×cols matrix stored as rows (cols < 0: any width ≥ 1). */
function matOf(state: Readonly<Record<string, unknown>>, key: string, rows: number, cols: number): Mat {
  const v = state[key];
  const what = `state.${key}: expected ${rows} rows of ${cols < 0 ? 'the same number of' : cols} finite numbers`;
  if (!Array.isArray(v) || v.length !== rows) throw new FitStateError(what);
  const c = cols < 0 ? (Array.isArray(v[0]) ? (v[0] as unknown[]).length : 0) : cols;
  if (c < 1) throw new FitStateError(what);
  const data = new Float64Array(rows * c);
  v.forEach((r: unknown, i) => {
    if (!Array.isArray(r) || r.length !== c || !r.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new FitStateError(what);
    for (let j = 0; j < c; j++) data[i * c + j] = r[j] as number;
  });
  return { rows, cols: c, data };
}

/** Reads `state[key]` as a vector of n finite numbers (integers when `integer`). */
function vecOf(state: Readonly<Record<string, unknown>>, key: string, n: number, integer = false): number[] {
  const v = state[key];
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!integer || Number.isInteger(x)))) {
    throw new FitStateError(`state.${key}: expected an array of ${n} finite ${integer ? 'integers' : 'numbers'}`);
  }
  return v as number[];
}

/** The Mat stored by `jsonSafe` for a library Mat option ({ rows, cols, data: number[] }). */
function optionMat(options: Readonly<Record<string, unknown>>, key: string, model: string): Mat {
  const v = options[key] as { rows?: unknown; cols?: unknown; data?: unknown } | undefined;
  if (typeof v !== 'object' || v === null || !Number.isInteger(v.rows) || !Number.isInteger(v.cols) || !Array.isArray(v.data)
    || v.data.length !== (v.rows as number) * (v.cols as number) || !v.data.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new TypeError(`options.${key}: expected { rows, cols, data } with finite entries for model ${model}`);
  }
  return { rows: v.rows as number, cols: v.cols as number, data: Float64Array.from(v.data as number[]) };
}

/**
 * The normalised cluster-indicator matrix M = E (EᵀE)⁻¹ Eᵀ of an assignment (Zhou, Chen & Ye 2011,
 * Sec. 3): M_st = 1/|g| when tasks s and t are both in cluster g, else 0.
 */
function indicatorMatrix(assignment: readonly number[]): Mat {
  const T = assignment.length;
  const size = new Map<number, number>();
  for (const g of assignment) size.set(g, (size.get(g) ?? 0) + 1);
  const data = new Float64Array(T * T);
  for (let s = 0; s < T; s++) for (let t = 0; t < T; t++) if (assignment[s] === assignment[t]) data[s * T + t] = 1 / size.get(assignment[s]!)!;
  return { rows: T, cols: T, data };
}

/**
 * The mean-regularized graph R = I − 11ᵀ/T (T×T), so that ‖W R‖²_F = Σ_t ‖w_t − w̄‖² (the default
 * graph of `graph-regularized`: the complete graph, every pair equally weighted).
 * @param T - number of tasks
 * @returns the graph `{ R }` with R (T×T) = I − 11ᵀ/T
 * @example
 * ```ts
 * taskGraphMatrix(meanGraph(3), 3).data; // [2/3, −1/3, −1/3, −1/3, 2/3, …]
 * ```
 * @see {@link CLI_MODELS}
 */
export function meanGraph(T: number): TaskGraph {
  const data = new Float64Array(T * T);
  for (let s = 0; s < T; s++) for (let t = 0; t < T; t++) data[s * T + t] = (s === t ? 1 : 0) - 1 / T;
  return { R: { rows: T, cols: T, data } };
}

/**
 * The seed to pass to a single-restart {@link clusteredMeanRegularized} call so that it runs restart
 * r of a call with `seed` and several restarts: that model seeds restart r with
 * (seed·1000003 + 7919·r) mod 2³², so the single-restart seed is seed + 7919·r·1000003⁻¹ (mod 2³²).
 * Lets the command line report progress per restart with results identical to the library call.
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
function clusteredMeanRestarts(data: MultiTaskData, p: CliParams, ctx: CliFitContext | undefined): ClusteredMeanRegularizedFit {
  const restarts = p.restarts ?? 10;
  const seed = p.seed ?? 0;
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError(`restarts: expected an integer ≥ 1, got ${restarts}`);
  if (!Number.isInteger(seed) || Math.abs(seed) >= 2 ** 32) throw new RangeError(`seed: expected an integer with |seed| < 2^32, got ${seed}`);
  const base = { k: p.k!, lambda: p.lambda!, ...pick(p, ['mu', ...COMMON]) };
  let best: ClusteredMeanRegularizedFit | null = null;
  const objectives = new Float64Array(restarts);
  let bestRestart = 0;
  const t0 = performance.now();
  for (let r = 0; r < restarts; r++) {
    const fit = clusteredMeanRegularized(data, { ...base, restarts: 1, seed: restartSeed(seed, r) });
    objectives[r] = fit.restartObjectives[0]!;
    if (best === null || objectives[r]! < best.restartObjectives[0]!) {
      best = fit;
      bestRestart = r;
    }
    ctx?.progress?.(r + 1, restarts);
  }
  const b = best!;
  return {
    ...b, options: { ...b.options, restarts, seed }, restartObjectives: objectives, bestRestart,
    time: (performance.now() - t0) / 1000,
  };
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
    defaultLossScale: 'mean',
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
    defaultLossScale: 'mean',
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
    defaultLossScale: 'mean',
    params: ['rank', ...COMMON],
    required: ['rank'],
    fit: (data, p) => lowRank(data, { rank: p.rank!, ...pick(p, COMMON) }),
    objective: (data, W, b, o) => lowRankObjective(data, W, { rank: num(o, 'rank', 'low-rank'), lossScale: lossScaleOf(o) }, b),
  },
  {
    name: 'mean-regularized',
    summary: 'A: L + ρ(‖w̄‖² + (λ/T)Σ‖w_t − w̄‖²); B: + λ‖ΔW‖² + μ‖w₀‖²',
    defaultLossScale: 'mean',
    params: ['form', 'rho', 'lambda', 'mu', ...COMMON],
    required: ['lambda'],
    fit: (data, p) => {
      const form = p.form ?? 'A';
      if (form === 'A') {
        if (p.rho === undefined) throw new RangeError('model mean-regularized form A needs --rho (form B takes --lambda and --mu)');
        if (p.mu !== undefined) throw new RangeError('option --mu applies to mean-regularized form B only (give --form B)');
        const fit = meanRegularized(data, { form: 'A', rho: p.rho, lambda: p.lambda!, ...pick(p, COMMON) });
        return { ...fit, state: { w0: Array.from(fit.w0), dW: rowsOf(fit.dW) } };
      }
      if (p.rho !== undefined) throw new RangeError('option --rho applies to mean-regularized form A only (form B takes --lambda and --mu)');
      const fit = meanRegularized(data, { form: 'B', lambda: p.lambda!, ...pick(p, ['mu', ...COMMON]) });
      return { ...fit, state: { w0: Array.from(fit.w0), dW: rowsOf(fit.dW) } };
    },
    objective: (data, W, b, o, s) => {
      const lossScale = lossScaleOf(o);
      if (o['form'] === 'B') {
        return meanRegularizedObjective(
          data, { w0: vecOf(s, 'w0', data.d), dW: matOf(s, 'dW', data.d, data.T) },
          { form: 'B', lambda: num(o, 'lambda', 'mean-regularized'), mu: num(o, 'mu', 'mean-regularized'), lossScale }, b,
        );
      }
      return meanRegularizedObjective(
        data, W, { form: 'A', rho: num(o, 'rho', 'mean-regularized'), lambda: num(o, 'lambda', 'mean-regularized'), lossScale }, b,
      );
    },
  },
  {
    name: 'aso',
    summary: 'ASO: w_t = u_t + Θᵀv_t, L + λ‖U‖²_F (local solution)',
    defaultLossScale: 'mean',
    params: ['lambda', 'h', 'seed', ...COMMON],
    required: ['lambda', 'h'],
    fit: (data, p) => {
      const fit = aso(data, { lambda: p.lambda!, h: p.h!, ...pick(p, ['seed', ...COMMON]) });
      return { ...fit, state: { U: rowsOf(fit.U), V: rowsOf(fit.V), Theta: rowsOf(fit.Theta) } };
    },
    objective: (data, _W, b, o, s) => {
      const h = num(o, 'h', 'aso');
      return asoObjective(
        data, matOf(s, 'U', data.d, data.T), matOf(s, 'V', h, data.T), matOf(s, 'Theta', h, data.d),
        { lambda: num(o, 'lambda', 'aso'), lossScale: lossScaleOf(o) }, b,
      );
    },
  },
  {
    name: 'aso-convex',
    summary: 'convex ASO: L + c·tr(Wᵀ(ηI + M)⁻¹W), tr M = h',
    defaultLossScale: 'mean',
    params: ['rho1', 'rho2', 'h', ...COMMON],
    required: ['rho1', 'rho2', 'h'],
    fit: (data, p) => {
      const fit = asoConvex(data, { rho1: p.rho1!, rho2: p.rho2!, h: p.h!, ...pick(p, COMMON) });
      return { ...fit, state: { M: rowsOf(fit.M), Theta: rowsOf(fit.Theta) } };
    },
    objective: (data, W, b, o, s) => asoConvexObjective(
      data, W, matOf(s, 'M', data.d, data.d),
      { rho1: num(o, 'rho1', 'aso-convex'), rho2: num(o, 'rho2', 'aso-convex'), h: num(o, 'h', 'aso-convex'), lossScale: lossScaleOf(o) }, b,
    ),
  },
  {
    name: 'graph-regularized',
    summary: 'L + ρ₁‖WR‖²_F + ρ₂‖W‖₁ + ρ‖W‖²_F (task graph R)',
    defaultLossScale: 'mean',
    params: ['rho1', 'rho2', 'ridge', 'graph', ...COMMON],
    required: ['rho1'],
    fit: (data, p) => graphRegularized(data, { rho1: p.rho1!, graph: p.graph ?? meanGraph(data.T), ...pick(p, ['rho2', 'ridge', ...COMMON]) }),
    objective: (data, W, b, o) => graphRegularizedObjective(
      data, W, {
        rho1: num(o, 'rho1', 'graph-regularized'), rho2: num(o, 'rho2', 'graph-regularized'), ridge: num(o, 'ridge', 'graph-regularized'),
        graph: { R: optionMat(o, 'R', 'graph-regularized') }, lossScale: lossScaleOf(o),
      }, b,
    ),
  },
  {
    name: 'clustered-convex',
    summary: 'convex clustered: L + c·tr(W(ηI + M)⁻¹Wᵀ), tr M = k',
    defaultLossScale: 'mean',
    params: ['rho1', 'rho2', 'k', 'seed', ...COMMON],
    required: ['rho1', 'rho2', 'k'],
    fit: (data, p) => {
      const fit = clusteredConvex(data, { rho1: p.rho1!, rho2: p.rho2!, k: p.k!, ...pick(p, ['seed', ...COMMON]) });
      return { ...fit, state: { M: rowsOf(fit.M), clusters: Array.from(fit.clusters), eigenvalues: Array.from(fit.eigenvalues) } };
    },
    objective: (data, W, b, o, s) => clusteredConvexObjective(
      data, W, matOf(s, 'M', data.T, data.T),
      { rho1: num(o, 'rho1', 'clustered-convex'), rho2: num(o, 'rho2', 'clustered-convex'), k: num(o, 'k', 'clustered-convex'), lossScale: lossScaleOf(o) }, b,
    ),
    clusterMatrix: (s, T) => {
      const M = matOf(s, 'M', T, T);
      return Array.isArray(s['clusters']) ? { M, clusters: vecOf(s, 'clusters', T, true) } : { M };
    },
  },
  {
    name: 'clustered-mean',
    summary: 'k clusters: L + λΣ‖w_t − m_c(t)‖² + μΣ‖m_g‖² (local)',
    defaultLossScale: 'mean',
    params: ['k', 'lambda', 'mu', 'restarts', 'seed', ...COMMON],
    required: ['k', 'lambda'],
    fit: (data, p, ctx) => {
      const fit = clusteredMeanRestarts(data, p, ctx);
      return {
        ...fit,
        state: {
          centres: rowsOf(fit.centres), assignment: Array.from(fit.assignment),
          restartObjectives: Array.from(fit.restartObjectives), bestRestart: fit.bestRestart,
        },
      };
    },
    objective: (data, W, b, o, s) => {
      const centres = matOf(s, 'centres', data.d, -1);
      return clusteredMeanRegularizedObjective(
        data, W, centres, vecOf(s, 'assignment', data.T, true),
        { lambda: num(o, 'lambda', 'clustered-mean'), mu: num(o, 'mu', 'clustered-mean'), lossScale: lossScaleOf(o) }, b,
      );
    },
    clusterMatrix: (s, T) => {
      const clusters = vecOf(s, 'assignment', T, true);
      return { M: indicatorMatrix(clusters), clusters };
    },
  },
  {
    name: 'feature-learning',
    summary: 'convex feature learning: L + γ‖W‖²_*',
    defaultLossScale: 'mean',
    params: ['gamma', ...COMMON],
    required: ['gamma'],
    fit: (data, p) => {
      const fit = featureLearning(data, { gamma: p.gamma!, ...pick(p, COMMON) });
      return { ...fit, state: { D: rowsOf(fit.D) } };
    },
    objective: (data, W, b, o) => featureLearningObjective(data, W, { gamma: num(o, 'gamma', 'feature-learning'), lossScale: lossScaleOf(o) }, b),
  },
  {
    name: 'feature-projection',
    summary: 'W = P(w₀1ᵀ + ΔW), PᵀP = I: + λ‖ΔW‖² + μ‖w₀‖² (local)',
    defaultLossScale: 'task-mean',
    params: ['h', 'lambda', 'mu', 'seed', ...COMMON],
    required: ['h', 'lambda'],
    fit: (data, p) => {
      const fit = featureProjection(data, { h: p.h!, lambda: p.lambda!, ...pick(p, ['mu', 'seed', ...COMMON]) });
      return { ...fit, state: { P: rowsOf(fit.P), w0: Array.from(fit.w0), dW: rowsOf(fit.dW) } };
    },
    objective: (data, _W, b, o, s) => {
      const h = num(o, 'h', 'feature-projection');
      return featureProjectionObjective(
        data, { P: matOf(s, 'P', data.d, h), w0: vecOf(s, 'w0', h), dW: matOf(s, 'dW', h, data.T) },
        { lambda: num(o, 'lambda', 'feature-projection'), mu: num(o, 'mu', 'feature-projection'), lossScale: lossScaleOf(o) }, b,
      );
    },
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
