/**
 * The registry of models usable by {@link path} and {@link crossValidate}: for each exported model
 * function, the name of its regularisation parameter, how to compute λ_max, an optional screening
 * rule, and a registry name (used to find the model inside `worker_threads`).
 *
 * Built in: `groupLasso` (λ_max = {@link groupLassoLambdaMax}, sequential strong rules) and
 * `traceNorm` (λ_max = {@link traceNormLambdaMax}). Other models are added with
 * {@link registerPathModel}.
 *
 * @packageDocumentation
 */
import type { Mat, MatLike } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { groupLasso, groupLassoLambdaMax } from '../models/groupLasso.js';
import { groupLassoGap } from '../models/groupLassoCore.js';
import { traceNorm, traceNormLambdaMax } from '../models/traceNorm.js';
import { meanRegularized } from '../models/meanRegularized.js';
import { graphRegularized } from '../models/graphRegularized.js';
import { clusteredConvex } from '../models/clusteredConvex.js';
import { clusteredMeanRegularized } from '../models/clusteredMeanRegularized.js';
import { aso } from '../models/aso.js';
import { asoConvex } from '../models/asoConvex.js';
import { featureLearning } from '../models/featureLearning.js';
import { featureProjection } from '../models/featureProjection.js';
import { rowNorm } from '../penalties/index.js';

/** What {@link path} and {@link crossValidate} need from a fit (every mtlearn fit has these). */
export interface ModelFitLike {
  /** Weights d×T. */
  readonly W: Mat;
  /** Intercepts, length T. */
  readonly intercepts: Float64Array;
  /** Objective value. */
  readonly objective: number;
  /** Certificate (duality gap or fixed-point residual). */
  readonly certificate: number;
  /** Iterations performed. */
  readonly iterations: number;
  /** Whether the solver converged. */
  readonly converged: boolean;
  /** Non-zero rows of W (sparse models). */
  readonly nonzeroRows?: number;
  /** Numerical rank of W (low-rank models). */
  readonly rank?: number;
  /** Rows discarded by the solver's own gap-safe screening (group lasso BCD), when it reports them. */
  readonly screened?: number;
  /** Predictions X w_t + b_t. */
  predict(X: MatLike, task: number): Float64Array;
}

/**
 * An exported model entry point: `model(data, options)` returning a fit. Options are an object;
 * `warmStart` (a d×T {@link Mat}) is passed when the model accepts one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModelFunction = (data: MultiTaskData, options: any) => ModelFitLike;

/**
 * A row-screening rule for models whose penalty is a sum of row norms of W (the sequential strong
 * rule of R. Tibshirani, J. Bien, J. Friedman, T. Hastie, N. Simon, J. Taylor & R. Tibshirani,
 * "Strong rules for discarding predictors in lasso-type problems", JRSS B 74, 2012).
 */
export interface StrongRuleSpec {
  /**
   * Prepares the rule for one data set and option set (may precompute and cache).
   * @param data - the full data
   * @param options - the model options (without the path parameter)
   * @returns the evaluator
   */
  prepare(data: MultiTaskData, options: Record<string, unknown>): StrongRuleContext;
}

/** A prepared {@link StrongRuleSpec}. */
export interface StrongRuleContext {
  /**
   * Writes ‖∇_j L(W)‖_{dual} for every row j (the quantity of the KKT condition of a zero row) and
   * returns the certificate of the full problem at W for the parameter value λ (one gradient
   * evaluation for both).
   * @param W - full d×T weights
   * @param lambda - the parameter value
   * @param scores - output, length d
   * @returns the certificate (duality gap) of the full problem
   */
  check(W: Float64Array, lambda: number, scores: Float64Array): number;
}

/** How a model is driven along a regularisation path. */
export interface PathModelSpec {
  /** Registry name, unique (used to find the model in worker threads), e.g. `'groupLasso'`. */
  readonly name: string;
  /** Name of the option that the path varies, e.g. `'lambda'`. */
  readonly paramName: string;
  /**
   * The smallest parameter value for which W = 0 is optimal, for these data and options.
   * Omitted when the model has none (then a path needs explicit values).
   */
  readonly lambdaMax?: (data: MultiTaskData, options: Record<string, unknown>) => number;
  /** Optional sequential strong rule over rows of W. */
  readonly strongRule?: StrongRuleSpec;
  /**
   * URL (`import.meta.url`) of the module that registers this model, imported by worker threads
   * before they look the name up. Not needed for the built-in models.
   */
  readonly module?: string;
  /** Whether the model accepts a `warmStart` option. @default true */
  readonly warmStart?: boolean;
  /**
   * Whether the model accepts `taskWeights` (per-task factors multiplying the loss scale s_t) and
   * its objective is Σ_t s_t·taskWeights_t·SSE_t + penalty(W); required by {@link fitWithUncertainty}.
   * @default false
   */
  readonly taskWeights?: boolean;
}

const byFunction = new Map<ModelFunction, PathModelSpec>();
const byName = new Map<string, ModelFunction>();

/**
 * Registers a model for {@link path} and {@link crossValidate} (replacing an earlier registration of
 * the same function).
 *
 * @param fn - the exported model function
 * @param spec - its name, path parameter, λ_max and optional screening rule
 * @returns nothing
 * @throws TypeError when `fn` is not a function or `spec` is malformed
 * @throws RangeError when `spec.name` is already used by another function
 * @example
 * ```ts
 * registerPathModel(graphRegularized, {
 *   name: 'graphRegularized', paramName: 'rho2', module: import.meta.url,
 *   lambdaMax: (data, o) => graphRegularizedRho2Max(data, o),
 * });
 * ```
 * @see {@link getPathModel}
 */
export function registerPathModel(fn: ModelFunction, spec: PathModelSpec): void {
  if (typeof fn !== 'function') throw new TypeError('fn: expected a model function (data, options) => fit');
  if (spec === null || typeof spec !== 'object') throw new TypeError('spec: expected an object { name, paramName, lambdaMax? }');
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw new TypeError('spec.name: expected a non-empty string');
  if (typeof spec.paramName !== 'string' || spec.paramName.length === 0) throw new TypeError('spec.paramName: expected a non-empty string');
  if (spec.lambdaMax !== undefined && typeof spec.lambdaMax !== 'function') throw new TypeError('spec.lambdaMax: expected a function or undefined');
  const other = byName.get(spec.name);
  if (other !== undefined && other !== fn) throw new RangeError(`spec.name: '${spec.name}' is already registered for another model`);
  const old = byFunction.get(fn);
  if (old && old.name !== spec.name) byName.delete(old.name);
  byFunction.set(fn, spec);
  byName.set(spec.name, fn);
}

/**
 * The registration of a model function, if any.
 * @param fn - the model function
 * @returns its spec, or `undefined`
 * @example
 * ```ts
 * getPathModel(groupLasso)?.paramName; // 'lambda'
 * ```
 * @see {@link registerPathModel}
 */
export function getPathModel(fn: ModelFunction): PathModelSpec | undefined {
  return byFunction.get(fn);
}

/**
 * The model function registered under `name`.
 * @param name - registry name
 * @returns the function and its spec
 * @throws RangeError when nothing is registered under that name
 * @example
 * ```ts
 * modelByName('groupLasso').fn === groupLasso; // true
 * ```
 * @see {@link registerPathModel}
 */
export function modelByName(name: string): { fn: ModelFunction; spec: PathModelSpec } {
  const fn = byName.get(name);
  if (fn === undefined) {
    throw new RangeError(`model: no model registered under the name '${name}' (registered: ${[...byName.keys()].join(', ')})`);
  }
  return { fn, spec: byFunction.get(fn)! };
}

/**
 * The sequential strong rule for the group lasso: scores ‖∇_j L(W)‖_{q*} (with the ridge term) and the
 * duality gap of the full problem.
 *
 * For a shared design without missing responses the gradient is formed from cached Gram columns,
 * −∇L(W) = 2s ⊙ (XᵀY − Σ_{j∈S} XᵀX[:, j] w^jᵀ) over the support S of W, and the loss from
 * ‖r_t‖² = ‖y_t‖² − Σ_{j∈S} w_jt ((XᵀY)_jt + C_jt) (C = XᵀY − XᵀX W), so a check costs d·|S|·T plus
 * n·d per new support column instead of two n×d×T products; otherwise (per-task designs, missing
 * responses, or when the new Gram columns would cost more) residuals are formed directly.
 */
const groupLassoStrongRule: StrongRuleSpec = {
  prepare(data, options) {
    const q = (options['q'] as number | undefined) ?? 2;
    const ridge = (options['ridge'] as number | undefined) ?? 0;
    const taskWeights = (options['taskWeights'] as Float64Array | null | undefined) ?? null;
    const loss = new QuadraticLoss(data, {
      lossScale: (options['lossScale'] as 'sum' | 'mean' | 'task-mean' | undefined) ?? 'mean',
      fitIntercept: (options['fitIntercept'] as boolean | undefined) ?? true,
      ...(taskWeights ? { taskWeights } : {}),
    });
    const { d, T } = data;
    const norm = rowNorm(q, T);
    const V = new Float64Array(d * T);
    const work = new Float64Array(T);
    const scales = loss.scales;
    // direct mode buffers (allocated on first use)
    let R: Float64Array | null = null;
    // Gram mode state
    const gramMode = loss.X !== null && loss.mask === null;
    const n = loss.n;
    const gram: (Float64Array | null)[] = gramMode ? new Array<Float64Array | null>(d).fill(null) : [];
    let cached = 0;
    const support = new Int32Array(d);
    const C = gramMode ? new Float64Array(d * T) : new Float64Array(0);
    const yy = new Float64Array(T);
    let XtY: Float64Array | null = null;
    if (gramMode) {
      const Y = loss.Y!;
      for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) yy[t]! += Y[i * T + t]! * Y[i * T + t]!;
    }
    const gramColumn = (j: number): Float64Array => {
      const g = new Float64Array(d); // XᵀX[:, j] from the row-major (centred) X
      const X = loss.X!;
      for (let i = 0; i < n; i++) {
        const o = i * d;
        const xj = X[o + j]!;
        if (xj === 0) continue;
        for (let k = 0; k < d; k++) g[k]! += X[o + k]! * xj;
      }
      return g;
    };
    const scoresFromV = (W: Float64Array, scores: Float64Array): void => {
      for (let j = 0; j < d; j++) {
        if (ridge > 0) {
          // ∇_j of L + ρ‖W‖²: −V_j + 2ρ w^j
          for (let t = 0; t < T; t++) work[t] = V[j * T + t]! - 2 * ridge * W[j * T + t]!;
          scores[j] = norm.dualNorm(work, 0, T);
        } else {
          scores[j] = norm.dualNorm(V, j * T, T);
        }
      }
    };
    return {
      check(W, lambda, scores) {
        if (gramMode) {
          let m = 0, missing = 0;
          for (let j = 0; j < d; j++) {
            for (let t = 0; t < T; t++) {
              if (W[j * T + t] !== 0) { support[m++] = j; if (gram[j] === null) missing++; break; }
            }
          }
          // Gram columns cost n·d each (then cached); the direct products cost about 2·n·d·T
          const affordable = missing * n + m * T < 2 * n * T && (cached + missing) * d <= 1 << 24;
          if (affordable) {
            for (let k = 0; k < m; k++) {
              const j = support[k]!;
              if (gram[j] === null) { gram[j] = gramColumn(j); cached++; }
            }
            if (XtY === null) XtY = loss.xty();
            C.set(XtY);
            for (let k = 0; k < m; k++) {
              const j = support[k]!, g = gram[j]!, wo = j * T;
              for (let r = 0; r < d; r++) {
                const gr = g[r]!;
                if (gr === 0) continue;
                const co = r * T;
                for (let t = 0; t < T; t++) C[co + t]! -= gr * W[wo + t]!;
              }
            }
            let B = 0, A = 0;
            for (let t = 0; t < T; t++) {
              let rr = yy[t]!, ry = yy[t]!;
              for (let k = 0; k < m; k++) {
                const o = support[k]! * T + t;
                const w = W[o]!;
                rr -= w * (XtY[o]! + C[o]!);
                ry -= w * XtY[o]!;
              }
              B += scales[t]! * Math.max(rr, 0);
              A += 2 * scales[t]! * ry;
            }
            for (let r = 0; r < d; r++) for (let t = 0; t < T; t++) V[r * T + t] = 2 * scales[t]! * C[r * T + t]!;
            scoresFromV(W, scores);
            return groupLassoGap(B, A, V, W, d, T, norm, lambda, ridge, work, null, 0).gap;
          }
        }
        if (R === null) R = new Float64Array(loss.residualSize);
        loss.residual(W, R);
        loss.correlation(R, V); // −∇L(W) = Xᵀ(2s ⊙ R)
        scoresFromV(W, scores);
        return groupLassoGap(loss.valueFromResidual(R), loss.innerWithY(R, true), V, W, d, T, norm, lambda, ridge, work, null, 0).gap;
      },
    };
  },
};

registerPathModel(groupLasso, {
  name: 'groupLasso',
  paramName: 'lambda',
  lambdaMax: (data, o) => groupLassoLambdaMax(data, {
    q: (o['q'] as number | undefined) ?? 2,
    lossScale: (o['lossScale'] as 'sum' | 'mean' | 'task-mean' | undefined) ?? 'mean',
    fitIntercept: (o['fitIntercept'] as boolean | undefined) ?? true,
    taskWeights: (o['taskWeights'] as Float64Array | null | undefined) ?? null,
  }),
  strongRule: groupLassoStrongRule,
  taskWeights: true,
});

registerPathModel(traceNorm, {
  name: 'traceNorm',
  paramName: 'lambda',
  lambdaMax: (data, o) => traceNormLambdaMax(data, {
    lossScale: (o['lossScale'] as 'sum' | 'mean' | 'task-mean' | undefined) ?? 'mean',
    fitIntercept: (o['fitIntercept'] as boolean | undefined) ?? true,
  }),
});

// ρ₂ of the graph-regularized model: its smooth terms have zero gradient at W = 0, so W = 0 is optimal
// exactly when ρ₂ ≥ max_{j,t} |∇L(0, b₀)|_{jt}, the λ_max of the independent lasso (q = 1).
registerPathModel(graphRegularized as unknown as ModelFunction, {
  name: 'graphRegularized',
  paramName: 'rho2',
  lambdaMax: (data, o) => groupLassoLambdaMax(data, {
    q: 1,
    lossScale: (o['lossScale'] as 'sum' | 'mean' | 'task-mean' | undefined) ?? 'mean',
    fitIntercept: (o['fitIntercept'] as boolean | undefined) ?? true,
  }),
});

// Models without a λ_max: paths and grids take explicit values (most regularised first).
registerPathModel(meanRegularized as unknown as ModelFunction, { name: 'meanRegularized', paramName: 'lambda' });
registerPathModel(clusteredConvex as unknown as ModelFunction, { name: 'clusteredConvex', paramName: 'rho1', warmStart: false });
registerPathModel(clusteredMeanRegularized as unknown as ModelFunction, { name: 'clusteredMeanRegularized', paramName: 'lambda', warmStart: false });
registerPathModel(aso as unknown as ModelFunction, { name: 'aso', paramName: 'lambda', warmStart: false });
registerPathModel(asoConvex as unknown as ModelFunction, { name: 'asoConvex', paramName: 'rho1', warmStart: false });
registerPathModel(featureLearning as unknown as ModelFunction, { name: 'featureLearning', paramName: 'gamma', warmStart: false });
registerPathModel(featureProjection as unknown as ModelFunction, { name: 'featureProjection', paramName: 'lambda', warmStart: false });
