/**
 * What the command line needs of each model beyond its row of the model table
 * (`src/models/table.ts`, which gives the name, summary, entry point, options, path parameter and
 * λ_max): the parameters that must be given, the default loss scale, the variables beyond W stored
 * in the fit file (`state`), how to recompute the objective from a fit file with the model's
 * exported evaluator, and the task-similarity matrix of clustered models. Keyed by the table's
 * library name; a test checks that every row with a command-line name has one.
 *
 * The objectives are those of `docs/objectives.md`; the references are in each model's module
 * (Ando & Zhang 2005; Chen, Tang, Liu & Ye 2009; Evgeniou & Pontil 2004; Zhou, Chen & Ye 2011;
 * Argyriou, Evgeniou & Pontil 2008; Li, Tian, Liu & Tao 2015).
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';
import { groupLassoObjective } from '../models/groupLasso.js';
import { traceNormObjective } from '../models/traceNorm.js';
import { lowRankObjective } from '../models/lowRank.js';
import { meanRegularizedObjective, type MeanRegularizedFit } from '../models/meanRegularized.js';
import { asoObjective, type AsoFit } from '../models/aso.js';
import { asoConvexObjective, type AsoConvexFit } from '../models/asoConvex.js';
import { graphRegularizedObjective } from '../models/graphRegularized.js';
import { clusteredConvexObjective, type ClusteredConvexFit } from '../models/clusteredConvex.js';
import { clusteredMeanRegularizedObjective, type ClusteredMeanRegularizedFit } from '../models/clusteredMeanRegularized.js';
import { featureLearningObjective, type FeatureLearningFit } from '../models/featureLearning.js';
import { featureProjectionObjective, type FeatureProjectionFit } from '../models/featureProjection.js';
import { dirtyObjective } from '../models/dirty.js';
import { robustMtflObjective } from '../models/robustMtfl.js';
import { robustMtlObjective } from '../models/robustMtl.js';
import { sparseLowRankObjective } from '../models/sparseLowRank.js';
import { temporalGroupLassoObjective } from '../models/temporalGroupLasso.js';
import { fusedGroupLassoObjective } from '../models/fusedGroupLasso.js';
import type { DecompositionFit } from '../models/decomposition.js';
import { blockMcpObjective } from '../models/blockMcp.js';
import { blockScadObjective } from '../models/blockScad.js';
import { cappedL1Objective } from '../models/cappedL1.js';
import { multiLevelLassoObjective } from '../models/multiLevelLasso.js';
import type { ModelFitLike } from '../models/table.js';
import { indicatorMatrix, lossScaleOf, matOf, num, optionMat, rowsOf, vecOf } from './fitState.js';

/**
 * The command-line parameter names (each model takes those among its table row's options, plus
 * `lambdaRatio` when its path parameter is λ and it has λ_max).
 * @example
 * ```ts
 * CLI_PARAM_NAMES.includes('rho1'); // true
 * ```
 */
export const CLI_PARAM_NAMES = [
  'lambda', 'lambdaRatio', 'form', 'rho', 'q', 'ridge', 'rank', 'h', 'rho1', 'rho2', 'k', 'mu', 'restarts', 'seed', 'gamma', 'graph',
  'lossScale', 'tol', 'maxIter', 'fitIntercept', 'a', 'theta', 'lambda1', 'lambda2', 'lambda3', 'tau',
] as const;

/**
 * The name of a command-line parameter.
 * @example
 * ```ts
 * const p: CliParamName = 'lambdaRatio';
 * ```
 */
export type CliParamName = (typeof CLI_PARAM_NAMES)[number];

/**
 * One model's fit-file codec. `F` is the model's fit type (the methods are declared as methods, so
 * codecs of different models live in one table, as the model table's rows do).
 * @example
 * ```ts
 * FIT_CODECS['groupLasso'].objective(data, W, b, options, {});
 * ```
 * @see {@link FIT_CODECS}
 */
export interface FitCodec<F extends ModelFitLike = ModelFitLike> {
  /** Parameters that must be given (`lambda` is satisfied by `lambdaRatio` when the model has λ_max). */
  readonly required: readonly CliParamName[];
  /** Options the command line fills in when not given (mean-regularized: form A). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** The loss scale when `--loss-scale` is not given (the model's default). */
  readonly defaultLossScale: LossScale;
  /**
   * Checks option combinations the model's types cannot express on the command line (forms A and B).
   * @param given - the given parameters by name
   * @throws RangeError naming the offending option
   */
  check?(given: ReadonlySet<string>, form: string | undefined): void;
  /**
   * The variables beyond W that the objective needs, JSON-safe.
   * @param fit - the model's fit
   * @returns the state
   */
  state?(fit: F): Record<string, unknown>;
  /**
   * The model's objective at (W, b) from the options and state recorded in a fit file.
   * @throws {@link FitStateError} when the state lacks a variable or has the wrong shape
   */
  objective(data: MultiTaskData, W: Mat, intercepts: Float64Array, options: Readonly<Record<string, unknown>>, state: Readonly<Record<string, unknown>>): number;
  /** The task-similarity matrix M (T×T) of a clustered model, from its stored state. */
  clusterMatrix?(state: Readonly<Record<string, unknown>>, T: number): { M: Mat; clusters?: number[] };
}

/** A codec typed by its model's fit. */
function codec<F extends ModelFitLike>(c: FitCodec<F>): FitCodec<F> {
  return c;
}

/** The evaluator of a decomposition model W = P + Q (its exported `…Objective`). */
type DecompositionObjective = (
  data: MultiTaskData, P: Mat, Q: Mat, params: { lambda1: number; lambda2: number; q?: number; lossScale?: LossScale }, b: Float64Array,
) => number;

/**
 * The codec of a decomposition model: λ₁ and λ₂ required, P and Q stored in the fit file (W = P + Q
 * alone does not determine the objective), the objective recomputed from the stored parts.
 * @param cli - the command-line name, for messages
 * @param objective - the model's evaluator
 * @param withQ - whether the model has the row-norm exponent `q` (the dirty model)
 */
function decompositionCodec(cli: string, objective: DecompositionObjective, withQ = false): FitCodec<DecompositionFit<object>> {
  return codec<DecompositionFit<object>>({
    required: ['lambda1', 'lambda2'], defaultLossScale: 'mean',
    state: partsState,
    objective: (data, _W, b, o, s) => objective(
      data, matOf(s, 'P', data.d, data.T), matOf(s, 'Q', data.d, data.T),
      { lambda1: num(o, 'lambda1', cli), lambda2: num(o, 'lambda2', cli), ...(withQ ? { q: num(o, 'q', cli) } : {}), lossScale: lossScaleOf(o) }, b,
    ),
  });
}

/** The state of a decomposition fit: its parts P and Q. */
function partsState(fit: DecompositionFit<object>): Record<string, unknown> {
  return { P: rowsOf(fit.P), Q: rowsOf(fit.Q) };
}

/** Sparse + low rank: λ₁ and one of λ₂ (penalised) or τ (constrained ‖Q‖_* ≤ τ). */
const SPARSE_LOW_RANK = codec<DecompositionFit<object>>({
  required: ['lambda1'], defaultLossScale: 'mean',
  check: (given) => {
    if (given.has('lambda2') === given.has('tau')) {
      throw new RangeError('model sparse-low-rank needs exactly one of --lambda2 (penalised form) and --tau (constrained form ‖Q‖_* ≤ τ)');
    }
  },
  state: partsState,
  objective: (data, _W, b, o, s) => {
    const c = 'sparse-low-rank', lambda1 = num(o, 'lambda1', c), lossScale = lossScaleOf(o);
    return sparseLowRankObjective(
      data, matOf(s, 'P', data.d, data.T), matOf(s, 'Q', data.d, data.T),
      typeof o['tau'] === 'number' ? { lambda1, tau: num(o, 'tau', c), lossScale } : { lambda1, lambda2: num(o, 'lambda2', c), lossScale }, b,
    );
  },
});

/**
 * The codec of a model of tasks ordered in time: λ₃ required, the objective from W and λ₁, λ₂, λ₃.
 * @param cli - the command-line name, for messages
 * @param objective - the model's evaluator
 */
function temporalCodec(
  cli: string,
  objective: (data: MultiTaskData, W: Mat, params: { lambda1: number; lambda2: number; lambda3: number; lossScale: LossScale }, b: Float64Array) => number,
): FitCodec {
  return codec({
    required: ['lambda3'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => objective(data, W, {
      lambda1: num(o, 'lambda1', cli), lambda2: num(o, 'lambda2', cli), lambda3: num(o, 'lambda3', cli), lossScale: lossScaleOf(o),
    }, b),
  });
}

/**
 * The codecs, keyed by the model table's library name.
 * @example
 * ```ts
 * FIT_CODECS['asoConvex'].required; // ['rho1', 'rho2', 'h']
 * ```
 * @see {@link FitCodec}
 */
export const FIT_CODECS: Readonly<Record<string, FitCodec>> = {
  groupLasso: codec({
    required: ['lambda'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => groupLassoObjective(
      data, W, { lambda: num(o, 'lambda', 'group-lasso'), q: num(o, 'q', 'group-lasso'), ridge: num(o, 'ridge', 'group-lasso'), lossScale: lossScaleOf(o) }, b,
    ),
  }),
  traceNorm: codec({
    required: ['lambda'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => traceNormObjective(
      data, W, { lambda: num(o, 'lambda', 'trace-norm'), ridge: num(o, 'ridge', 'trace-norm'), lossScale: lossScaleOf(o) }, b,
    ),
  }),
  lowRank: codec({
    required: ['rank'], defaultLossScale: 'mean',
    // fit files written before the ridge option have none: ρ = 0
    objective: (data, W, b, o) => lowRankObjective(
      data, W, { rank: num(o, 'rank', 'low-rank'), ridge: o['ridge'] === undefined ? 0 : num(o, 'ridge', 'low-rank'), lossScale: lossScaleOf(o) }, b,
    ),
  }),
  meanRegularized: codec<MeanRegularizedFit>({
    required: ['lambda'], defaultLossScale: 'mean', defaults: { form: 'A' },
    check: (given, form) => {
      if ((form ?? 'A') === 'A') {
        if (!given.has('rho')) throw new RangeError('model mean-regularized form A needs --rho (form B takes --lambda and --mu)');
        if (given.has('mu')) throw new RangeError('option --mu applies to mean-regularized form B only (give --form B)');
      } else if (given.has('rho')) throw new RangeError('option --rho applies to mean-regularized form A only (form B takes --lambda and --mu)');
    },
    state: (fit) => ({ w0: Array.from(fit.w0), dW: rowsOf(fit.dW) }),
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
  }),
  aso: codec<AsoFit>({
    required: ['lambda', 'h'], defaultLossScale: 'mean',
    state: (fit) => ({ U: rowsOf(fit.U), V: rowsOf(fit.V), Theta: rowsOf(fit.Theta) }),
    objective: (data, _W, b, o, s) => {
      const h = num(o, 'h', 'aso');
      return asoObjective(
        data, matOf(s, 'U', data.d, data.T), matOf(s, 'V', h, data.T), matOf(s, 'Theta', h, data.d),
        { lambda: num(o, 'lambda', 'aso'), ridge: o['ridge'] === undefined ? 0 : num(o, 'ridge', 'aso'), lossScale: lossScaleOf(o) }, b,
      );
    },
  }),
  asoConvex: codec<AsoConvexFit>({
    required: ['rho1', 'rho2', 'h'], defaultLossScale: 'mean',
    state: (fit) => ({ M: rowsOf(fit.M), Theta: rowsOf(fit.Theta) }),
    objective: (data, W, b, o, s) => asoConvexObjective(
      data, W, matOf(s, 'M', data.d, data.d),
      { rho1: num(o, 'rho1', 'aso-convex'), rho2: num(o, 'rho2', 'aso-convex'), h: num(o, 'h', 'aso-convex'), lossScale: lossScaleOf(o) }, b,
    ),
  }),
  graphRegularized: codec({
    required: ['rho1'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => graphRegularizedObjective(
      data, W, {
        rho1: num(o, 'rho1', 'graph-regularized'), rho2: num(o, 'rho2', 'graph-regularized'), ridge: num(o, 'ridge', 'graph-regularized'),
        graph: { R: optionMat(o, 'R', 'graph-regularized') }, lossScale: lossScaleOf(o),
      }, b,
    ),
  }),
  clusteredConvex: codec<ClusteredConvexFit>({
    required: ['rho1', 'rho2', 'k'], defaultLossScale: 'mean',
    state: (fit) => ({ M: rowsOf(fit.M), clusters: Array.from(fit.clusters), eigenvalues: Array.from(fit.eigenvalues) }),
    objective: (data, W, b, o, s) => clusteredConvexObjective(
      data, W, matOf(s, 'M', data.T, data.T),
      { rho1: num(o, 'rho1', 'clustered-convex'), rho2: num(o, 'rho2', 'clustered-convex'), k: num(o, 'k', 'clustered-convex'), lossScale: lossScaleOf(o) }, b,
    ),
    clusterMatrix: (s, T) => {
      const M = matOf(s, 'M', T, T);
      return Array.isArray(s['clusters']) ? { M, clusters: vecOf(s, 'clusters', T, true) } : { M };
    },
  }),
  clusteredMeanRegularized: codec<ClusteredMeanRegularizedFit>({
    required: ['k', 'lambda'], defaultLossScale: 'mean',
    state: (fit) => ({
      centres: rowsOf(fit.centres), assignment: Array.from(fit.assignment),
      restartObjectives: Array.from(fit.restartObjectives), bestRestart: fit.bestRestart,
    }),
    objective: (data, W, b, o, s) => clusteredMeanRegularizedObjective(
      data, W, matOf(s, 'centres', data.d, -1), vecOf(s, 'assignment', data.T, true),
      { lambda: num(o, 'lambda', 'clustered-mean'), mu: num(o, 'mu', 'clustered-mean'), lossScale: lossScaleOf(o) }, b,
    ),
    clusterMatrix: (s, T) => {
      const clusters = vecOf(s, 'assignment', T, true);
      return { M: indicatorMatrix(clusters), clusters };
    },
  }),
  featureLearning: codec<FeatureLearningFit>({
    required: ['gamma'], defaultLossScale: 'mean',
    state: (fit) => ({ D: rowsOf(fit.D) }),
    objective: (data, W, b, o) => featureLearningObjective(data, W, { gamma: num(o, 'gamma', 'feature-learning'), lossScale: lossScaleOf(o) }, b),
  }),
  featureProjection: codec<FeatureProjectionFit>({
    required: ['h', 'lambda'], defaultLossScale: 'task-mean',
    state: (fit) => ({ P: rowsOf(fit.P), w0: Array.from(fit.w0), dW: rowsOf(fit.dW) }),
    objective: (data, _W, b, o, s) => {
      const h = num(o, 'h', 'feature-projection');
      return featureProjectionObjective(
        data, { P: matOf(s, 'P', data.d, h), w0: vecOf(s, 'w0', h), dW: matOf(s, 'dW', h, data.T) },
        { lambda: num(o, 'lambda', 'feature-projection'), mu: num(o, 'mu', 'feature-projection'), lossScale: lossScaleOf(o) }, b,
      );
    },
  }),
  dirty: decompositionCodec('dirty', dirtyObjective, true),
  robustMtfl: decompositionCodec('robust-mtfl', robustMtflObjective),
  robustMtl: decompositionCodec('robust-mtl', robustMtlObjective),
  sparseLowRank: SPARSE_LOW_RANK,
  temporalGroupLasso: temporalCodec('temporal-group-lasso', temporalGroupLassoObjective),
  fusedGroupLasso: temporalCodec('fused-group-lasso', fusedGroupLassoObjective),
  blockMcp: codec({
    required: ['lambda'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => blockMcpObjective(data, W, { lambda: num(o, 'lambda', 'block-mcp'), gamma: num(o, 'gamma', 'block-mcp'), lossScale: lossScaleOf(o) }, b),
  }),
  blockScad: codec({
    required: ['lambda'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => blockScadObjective(data, W, { lambda: num(o, 'lambda', 'block-scad'), a: num(o, 'a', 'block-scad'), lossScale: lossScaleOf(o) }, b),
  }),
  cappedL1: codec({
    required: ['lambda', 'theta'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => cappedL1Objective(data, W, { lambda: num(o, 'lambda', 'capped-l1'), theta: num(o, 'theta', 'capped-l1'), lossScale: lossScaleOf(o) }, b),
  }),
  multiLevelLasso: codec({
    required: ['lambda1', 'lambda2'], defaultLossScale: 'mean',
    objective: (data, W, b, o) => multiLevelLassoObjective(
      data, W, { lambda1: num(o, 'lambda1', 'multi-level-lasso'), lambda2: num(o, 'lambda2', 'multi-level-lasso'), lossScale: lossScaleOf(o) }, b,
    ),
  }),
};
