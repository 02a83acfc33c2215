/**
 * The one model table: for every model entry point, its name (library and command line), the
 * options it accepts, the parameter a regularisation path varies, λ_max (the smallest value of that
 * parameter with W = 0 optimal) where one exists, an optional row-screening rule, and whether it
 * takes warm starts and task weights. `path`, `crossValidate`, `fitWithUncertainty` and the command
 * line read it; adding a model is adding one row to {@link MODEL_TABLE} (or, from user code,
 * calling {@link registerModel}).
 *
 * Rows are typed by the model: {@link defineModel} checks at compile time that `fit` is the model's
 * entry point, that `pathParam` is one of its numeric options, that `lambdaMax` and the strong rule
 * read its options, and that `optionKeys` lists every option exactly once ({@link optionKeys}).
 *
 * @packageDocumentation
 */
import { groupLasso, groupLassoLambdaMax, type GroupLassoOptions } from './groupLasso.js';
import { groupLassoStrongRule } from './groupLassoStrongRule.js';
import { traceNorm, traceNormLambdaMax, type TraceNormOptions } from './traceNorm.js';
import { lowRank, type LowRankOptions } from './lowRank.js';
import { aso, type AsoOptions } from './aso.js';
import { asoConvex, type AsoConvexOptions } from './asoConvex.js';
import { meanRegularized, type MeanRegularizedOptions } from './meanRegularized.js';
import { graphRegularized, type GraphRegularizedOptions } from './graphRegularized.js';
import { clusteredConvex, type ClusteredConvexOptions } from './clusteredConvex.js';
import { clusteredMeanRegularized, type ClusteredMeanRegularizedOptions } from './clusteredMeanRegularized.js';
import { featureLearning, type FeatureLearningOptions } from './featureLearning.js';
import { featureProjection, type FeatureProjectionOptions } from './featureProjection.js';
import { featureProjectionLowRank, type FeatureProjectionLowRankOptions } from './featureProjectionLowRank.js';
import { dirty, type DirtyOptions } from './dirty.js';
import { robustMtfl, type RobustMtflOptions } from './robustMtfl.js';
import { robustMtl, type RobustMtlOptions } from './robustMtl.js';
import { sparseLowRank, type SparseLowRankOptions } from './sparseLowRank.js';
import { temporalGroupLasso, type TemporalGroupLassoOptions } from './temporalGroupLasso.js';
import { blockMcp, type BlockMcpOptions } from './blockMcp.js';
import { blockScad, type BlockScadOptions } from './blockScad.js';
import { cappedL1, type CappedL1Options } from './cappedL1.js';
import { multiLevelLasso, type MultiLevelLassoOptions } from './multiLevelLasso.js';
import { fusedGroupLasso, fusedGroupLassoLambdaMax, type FusedGroupLassoOptions } from './fusedGroupLasso.js';

export * from './modelSpec.js';
import { defineModel, optionKeys, type ModelFitLike, type ModelRow, type ModelSpec } from './modelSpec.js';

const COMMON = { lossScale: true, fitIntercept: true, tol: true, maxIter: true } as const;

/**
 * The built-in models, in command-line `--help` order. Path parameters: `lambda` (group lasso, trace
 * norm, mean-regularized, clustered mean, ASO, feature projections), `rho2` (graph-regularized; its
 * λ_max is that of the independent lasso), `rho1` (convex ASO, convex clustered), `gamma` (feature
 * learning); low rank has none (its rank is an integer: cross-validate over `{ rank }` objects).
 * λ_max exists for the group lasso, the trace norm and ρ₂ of graph-regularized MTL.
 * @example
 * ```ts
 * MODEL_TABLE.map((m) => [m.name, m.pathParam]);
 * ```
 * @see {@link findModel}
 */
export const MODEL_TABLE: readonly ModelRow[] = [
  defineModel({
    name: 'groupLasso', cliName: 'group-lasso', summary: 'L1/Lq joint feature selection: L + λ Σ_j ‖w^j‖_q + ρ‖W‖²_F',
    fit: groupLasso, pathParam: 'lambda', warmStart: true, taskWeights: true,
    optionKeys: optionKeys<GroupLassoOptions>({
      ...COMMON, lambda: true, q: true, ridge: true, solver: true, warmStart: true, screening: true, workingSet: true, taskWeights: true, onProgress: true,
    }),
    lambdaMax: (data, o) => groupLassoLambdaMax(data, {
      q: o.q ?? 2, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true, taskWeights: o.taskWeights ?? null,
    }),
    strongRule: groupLassoStrongRule,
  }),
  defineModel({
    name: 'traceNorm', cliName: 'trace-norm', summary: 'shared low-rank subspace: L + λ‖W‖_* + ρ‖W‖²_F',
    fit: traceNorm, pathParam: 'lambda', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<TraceNormOptions>({ ...COMMON, lambda: true, ridge: true, warmStart: true, restart: true, backend: true, solver: true, onProgress: true }),
    lambdaMax: (data, o) => traceNormLambdaMax(data, { lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  defineModel({
    name: 'lowRank', cliName: 'low-rank', summary: 'min L + ρ‖W‖²_F subject to rank(W) ≤ r (local solution)',
    fit: lowRank, pathParam: null, warmStart: true, taskWeights: false,
    optionKeys: optionKeys<LowRankOptions>({ ...COMMON, rank: true, ridge: true, warmStart: true, accelerate: true, backend: true, onProgress: true, solver: true }),
  }),
  defineModel({
    name: 'meanRegularized', cliName: 'mean-regularized', summary: 'A: L + ρ(‖w̄‖² + (λ/T)Σ‖w_t − w̄‖²); B: + λ‖ΔW‖² + μ‖w₀‖²',
    fit: meanRegularized, pathParam: 'lambda', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<MeanRegularizedOptions>({ ...COMMON, form: true, rho: true, lambda: true, mu: true, solver: true, warmStart: true }),
  }),
  defineModel({
    name: 'aso', cliName: 'aso', summary: 'ASO: w_t = u_t + Θᵀv_t, L + λ‖U‖²_F + ρ‖W‖²_F (local solution)',
    fit: aso, pathParam: 'lambda', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<AsoOptions>({ ...COMMON, lambda: true, h: true, ridge: true, seed: true, onProgress: true, solver: true }),
  }),
  defineModel({
    name: 'asoConvex', cliName: 'aso-convex', summary: 'convex ASO: L + c·tr(Wᵀ(ηI + M)⁻¹W), tr M = h',
    fit: asoConvex, pathParam: 'rho1', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<AsoConvexOptions>({ ...COMMON, rho1: true, rho2: true, h: true, solver: true, onProgress: true }),
  }),
  defineModel({
    name: 'graphRegularized', cliName: 'graph-regularized', summary: 'L + ρ₁‖WR‖²_F + ρ₂‖W‖₁ + ρ‖W‖²_F (task graph R)',
    fit: graphRegularized, pathParam: 'rho2', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<GraphRegularizedOptions>({ ...COMMON, rho1: true, rho2: true, ridge: true, graph: true, warmStart: true, solver: true, onProgress: true }),
    // its smooth terms have zero gradient at W = 0, so W = 0 is optimal exactly when
    // ρ₂ ≥ max_{j,t} |∇L(0, b₀)|_{jt}: the λ_max of the independent lasso (q = 1)
    lambdaMax: (data, o) => groupLassoLambdaMax(data, { q: 1, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  defineModel({
    name: 'clusteredConvex', cliName: 'clustered-convex', summary: 'convex clustered: L + c·tr(W(ηI + M)⁻¹Wᵀ), tr M = k',
    fit: clusteredConvex, pathParam: 'rho1', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<ClusteredConvexOptions>({ ...COMMON, rho1: true, rho2: true, k: true, seed: true, solver: true, onProgress: true }),
  }),
  defineModel({
    name: 'clusteredMeanRegularized', cliName: 'clustered-mean', summary: 'k clusters: L + λΣ‖w_t − m_c(t)‖² + μΣ‖m_g‖² (local)',
    fit: clusteredMeanRegularized, pathParam: 'lambda', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<ClusteredMeanRegularizedOptions>({ ...COMMON, k: true, lambda: true, mu: true, restarts: true, seed: true, onProgress: true }),
  }),
  defineModel({
    name: 'featureLearning', cliName: 'feature-learning', summary: 'convex feature learning: L + γ‖W‖²_*',
    fit: featureLearning, pathParam: 'gamma', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<FeatureLearningOptions>({ ...COMMON, gamma: true, epsilon: true, epsilonMin: true, epsilonDecay: true, solver: true, onProgress: true }),
  }),
  defineModel({
    name: 'featureProjection', cliName: 'feature-projection', summary: 'W = P(w₀1ᵀ + ΔW), PᵀP = I: + λ‖ΔW‖² + μ‖w₀‖² (local)',
    fit: featureProjection, pathParam: 'lambda', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<FeatureProjectionOptions>({ ...COMMON, h: true, lambda: true, mu: true, seed: true, innerSteps: true, initialP: true, onProgress: true, solver: true }),
  }),
  defineModel({
    name: 'featureProjectionLowRank', cliName: null, summary: 'W = PV, PᵀP = I: + λ‖V‖_* (local)',
    fit: featureProjectionLowRank, pathParam: 'lambda', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<FeatureProjectionLowRankOptions>({
      ...COMMON, h: true, lambda: true, ridge: true, seed: true, innerSteps: true, innerTol: true, initialP: true, onProgress: true,
    }),
  }),
  // decompositions W = P + Q (core): a path varies λ₁ with λ₂ fixed, on an explicit grid (W = 0 needs both λ's large)
  defineModel({
    name: 'dirty', cliName: 'dirty', summary: 'dirty model W = P + Q: L + λ₁ Σ_j ‖p^j‖_q + λ₂ ‖Q‖₁',
    fit: dirty, pathParam: 'lambda1', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<DirtyOptions>({ ...COMMON, lambda1: true, lambda2: true, q: true, solver: true, warmStart: true, onProgress: true }),
  }),
  defineModel({
    name: 'robustMtfl', cliName: 'robust-mtfl', summary: 'robust MTFL W = P + Q: L + λ₁ Σ_j ‖p^j‖₂ + λ₂ Σ_t ‖q_t‖₂',
    fit: robustMtfl, pathParam: 'lambda1', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<RobustMtflOptions>({ ...COMMON, lambda1: true, lambda2: true, solver: true, warmStart: true, onProgress: true }),
  }),
  defineModel({
    name: 'robustMtl', cliName: 'robust-mtl', summary: 'robust MTL W = P + Q: L + λ₁ ‖P‖_* + λ₂ Σ_t ‖q_t‖₂',
    fit: robustMtl, pathParam: 'lambda1', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<RobustMtlOptions>({ ...COMMON, lambda1: true, lambda2: true, solver: true, warmStart: true, onProgress: true }),
  }),
  defineModel({
    name: 'sparseLowRank', cliName: 'sparse-low-rank', summary: 'sparse + low rank W = P + Q: L + λ₁ ‖P‖₁ + λ₂ ‖Q‖_*',
    fit: sparseLowRank, pathParam: 'lambda1', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<SparseLowRankOptions>({ ...COMMON, lambda1: true, lambda2: true, tau: true, solver: true, warmStart: true, onProgress: true }),
  }),
  defineModel({
    name: 'temporalGroupLasso', cliName: 'temporal-group-lasso', summary: 'temporal group lasso: L + λ₁‖W‖² + λ₂‖WH‖² + λ₃ Σ_j ‖w^j‖₂',
    fit: temporalGroupLasso, pathParam: 'lambda3', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<TemporalGroupLassoOptions>({
      ...COMMON, lambda1: true, lambda2: true, lambda3: true, warmStart: true, onProgress: true, solver: true,
    }),
    // the smooth terms have zero gradient at W = 0: W = 0 is optimal exactly when λ₃ ≥ max_j ‖∇_j L(0)‖₂
    lambdaMax: (data, o) => groupLassoLambdaMax(data, { q: 2, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  // non-convex row penalties (local): W = 0 is stationary exactly when λ ≥ max_j ‖∇_j L(0)‖₂, the L1/L2 λ_max
  defineModel({
    name: 'blockMcp', cliName: 'block-mcp', summary: 'block MCP: L + Σ_j p_MCP(‖w^j‖₂; λ, γ) (local)',
    fit: blockMcp, pathParam: 'lambda', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<BlockMcpOptions>({ ...COMMON, lambda: true, gamma: true, warmStart: true, onProgress: true }),
    lambdaMax: (data, o) => groupLassoLambdaMax(data, { q: 2, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  defineModel({
    name: 'blockScad', cliName: 'block-scad', summary: 'block SCAD: L + Σ_j p_SCAD(‖w^j‖₂; λ, a) (local)',
    fit: blockScad, pathParam: 'lambda', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<BlockScadOptions>({ ...COMMON, lambda: true, a: true, warmStart: true, onProgress: true }),
    lambdaMax: (data, o) => groupLassoLambdaMax(data, { q: 2, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  defineModel({
    name: 'cappedL1', cliName: 'capped-l1', summary: 'multi-stage capped ℓ1: L + λ Σ_j min(‖w^j‖₁, θ) (local)',
    fit: cappedL1, pathParam: 'lambda', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<CappedL1Options>({ ...COMMON, lambda: true, theta: true, maxStages: true, onProgress: true }),
    // stage 1 is the L1/L1 lasso: W = 0 exactly when λ ≥ max_{j,t} |∇L(0)|_jt
    lambdaMax: (data, o) => groupLassoLambdaMax(data, { q: 1, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  defineModel({
    name: 'multiLevelLasso', cliName: 'multi-level-lasso', summary: 'multi-level lasso W = θ ⊙ Γ: L + λ₁Σθ_j + λ₂Σ|γ_jt| (local)',
    fit: multiLevelLasso, pathParam: 'lambda2', warmStart: false, taskWeights: false,
    optionKeys: optionKeys<MultiLevelLassoOptions>({ ...COMMON, lambda1: true, lambda2: true, maxStages: true, onProgress: true }),
    // the first stage is the lasso with λ₂, and a zero row stays zero: W = 0 exactly when λ₂ ≥ the lasso's λ_max
    lambdaMax: (data, o) => groupLassoLambdaMax(data, { q: 1, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true }),
  }),
  defineModel({
    name: 'fusedGroupLasso', cliName: 'fused-group-lasso', summary: 'fused group lasso: L + λ₁‖W‖₁ + λ₂‖WH‖₁ + λ₃ Σ_j ‖w^j‖₂',
    fit: fusedGroupLasso, pathParam: 'lambda3', warmStart: true, taskWeights: false,
    optionKeys: optionKeys<FusedGroupLassoOptions>({
      ...COMMON, lambda1: true, lambda2: true, lambda3: true, warmStart: true, onProgress: true, solver: true,
    }),
    // exact: the smallest λ₃ with W = 0 for the given λ₁, λ₂ is max_j ‖S_{λ₁}(TV_{λ₂}(∇_j L(0)))‖₂
    lambdaMax: (data, o) => fusedGroupLassoLambdaMax(data, {
      lambda1: o.lambda1 ?? 0, lambda2: o.lambda2 ?? 0, lossScale: o.lossScale ?? 'mean', fitIntercept: o.fitIntercept ?? true,
    }).lambda3,
  }),
];

const byFunction = new Map<object, ModelRow>();
const byName = new Map<string, ModelRow>();
for (const row of MODEL_TABLE) { byFunction.set(row.fit, row); byName.set(row.name, row); }

/**
 * Adds a user model to the table (replacing an earlier row of the same function). Give `module:
 * import.meta.url` of the module that registers it so that worker threads can import it.
 * @param spec - the row (see {@link defineModel})
 * @returns nothing
 * @throws TypeError when `spec.fit` is not a function or a field is malformed
 * @throws RangeError when `spec.name` is already used by another function
 * @example
 * ```ts
 * registerModel(defineModel<MyOptions, MyFit>({ name: 'myModel', cliName: null, summary: '…', fit: myModel,
 *   pathParam: 'alpha', optionKeys: optionKeys<MyOptions>({ alpha: true }), warmStart: false, taskWeights: false,
 *   module: import.meta.url }));
 * ```
 * @see {@link findModel}
 */
export function registerModel<O extends object, F extends ModelFitLike>(spec: ModelSpec<O, F>): void {
  if (spec === null || typeof spec !== 'object') throw new TypeError('spec: expected a model row { name, fit, pathParam, optionKeys, … }');
  if (typeof spec.fit !== 'function') throw new TypeError('spec.fit: expected the model function (data, options) => fit');
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw new TypeError('spec.name: expected a non-empty string');
  if (spec.pathParam !== null && (typeof spec.pathParam !== 'string' || spec.pathParam.length === 0)) {
    throw new TypeError('spec.pathParam: expected the name of a numeric option or null');
  }
  if (!Array.isArray(spec.optionKeys) || !spec.optionKeys.every((k) => typeof k === 'string')) {
    throw new TypeError('spec.optionKeys: expected the names of every option (optionKeys<Options>({ … }))');
  }
  const row: ModelRow = spec;
  const other = byName.get(row.name);
  if (other !== undefined && other.fit !== row.fit) throw new RangeError(`spec.name: '${row.name}' is already registered for another model`);
  const old = byFunction.get(row.fit);
  if (old && old.name !== row.name) byName.delete(old.name);
  byFunction.set(row.fit, row);
  byName.set(row.name, row);
}

/**
 * The table row of a model function, if any.
 * @param fn - the model function
 * @returns its row, or `undefined`
 * @example
 * ```ts
 * modelOf(groupLasso)?.pathParam; // 'lambda'
 * ```
 * @see {@link findModel}
 */
export function modelOf(fn: unknown): ModelRow | undefined {
  return typeof fn === 'function' ? byFunction.get(fn) : undefined;
}

/**
 * The row registered under a library name (`'groupLasso'`) or a command-line name (`'group-lasso'`).
 * @param name - either name
 * @returns the row
 * @throws RangeError listing the names when nothing is registered under `name`
 * @example
 * ```ts
 * findModel('trace-norm').fit === traceNorm; // true
 * ```
 * @see {@link MODEL_TABLE}
 */
export function findModel(name: string): ModelRow {
  const row = byName.get(name) ?? [...byName.values()].find((r) => r.cliName === name);
  if (row === undefined) {
    throw new RangeError(`model: no model named '${name}' (known: ${[...byName.keys()].join(', ')})`);
  }
  return row;
}

/**
 * Rejects option keys a model does not accept, suggesting the closest valid one.
 * @param options - the options object
 * @param row - the model's row
 * @param context - the argument name for the message, e.g. `'modelOptions'`
 * @param extra - further keys accepted here (e.g. the path's own)
 * @returns nothing
 * @throws RangeError `modelOptions: unknown option 'qq' for groupLasso (did you mean q?)`
 * @example
 * ```ts
 * checkModelOptionKeys({ lamda: 1 }, findModel('groupLasso'), 'modelOptions'); // throws, suggests lambda
 * ```
 * @see {@link ModelSpec.optionKeys}
 */
export function checkModelOptionKeys(options: object, row: ModelRow, context: string, extra: readonly string[] = []): void {
  const known = [...row.optionKeys, ...extra];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = closestKey(key, known);
    const hint = near ? ` (did you mean ${near}?)` : ` (valid options: ${known.join(', ')})`;
    throw new RangeError(`${context}: unknown option '${key}' for ${row.name}${hint}`);
  }
}

/** The candidate within max(2, ⌊len/3⌋) case-insensitive edits of `word` (Levenshtein), or null. */
function closestKey(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null, bestD = Infinity;
  for (const c of candidates) {
    const s = c.toLowerCase();
    const prev = new Int32Array(s.length + 1), cur = new Int32Array(s.length + 1);
    for (let j = 0; j <= s.length; j++) prev[j] = j;
    for (let i = 1; i <= w.length; i++) {
      cur[0] = i;
      for (let j = 1; j <= s.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (w[i - 1] === s[j - 1] ? 0 : 1));
      prev.set(cur);
    }
    if (prev[s.length]! < bestD) { bestD = prev[s.length]!; best = c; }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}
