/**
 * mtlearn — numerical solvers for linear multi-task regression.
 *
 * Data flow: {@link MultiTaskData} (src/data) → a datafit ({@link QuadraticLoss}, src/datafits) and a
 * penalty (src/penalties) → a solver (src/solvers: FISTA, block coordinate descent) → a model entry
 * point (src/models) returning a fit with W (d×T), intercepts, objective and certificate.
 * Kernels live in src/linalg. The objectives are specified in docs/objectives.md.
 *
 * @packageDocumentation
 */
export type { Mat, MatLike, VecLike, LossScale, HistoryEntry, FitResultBase } from './types.js';
export { toMat, toVec, toArray, toMatrix, zeros } from './linalg/mat.js';
export { setKernelBackend, kernelBackend, wasmKernelsInfo, type KernelBackend } from './linalg/blas.js';
export { setKernelThreads, kernelThreads, startKernelThreads } from './linalg/parallel.js';
export { allocF64, freeF64, wasmMat, toWasmMat, isWasmResident } from './linalg/wasm/matrix.js';
export {
  MultiTaskData, asData, type TaskInput, type TaskView, type DataOptions, type WrapParts, type LongOptions, type LongColumn,
} from './data/MultiTaskData.js';
export { standardize, type StandardizeOptions, type StandardizedData } from './selection/standardize.js';
export { QuadraticLoss, multiTaskLoss, lossScaleFactor, type QuadraticLossOptions } from './datafits/quadratic.js';
export { fista, type SmoothFunction, type ProxFunction, type FistaOptions, type FistaResult } from './solvers/fista.js';
export {
  groupLasso, groupLassoObjective, groupLassoLambdaMax, checkGroupLassoOptions,
  type GroupLassoOptions, type GroupLassoFit, type GroupLassoParams, type ResolvedGroupLassoOptions,
} from './models/groupLasso.js';
export { rowNorm } from './penalties/index.js';
export type { RowNorm } from './penalties/types.js';
export {
  traceNorm, traceNormObjective, traceNormLambdaMax, traceNormGap, checkTraceNormOptions,
  type TraceNormOptions, type TraceNormFit, type TraceNormParams, type ResolvedTraceNormOptions, type TraceNormGapResult,
} from './models/traceNorm.js';
export {
  lowRank, lowRankObjective, checkLowRankOptions,
  type LowRankOptions, type LowRankFit, type LowRankParams, type ResolvedLowRankOptions,
} from './models/lowRank.js';
export {
  aso, asoObjective, checkAsoOptions, type AsoOptions, type AsoFit, type AsoParams, type ResolvedAsoOptions,
} from './models/aso.js';
export {
  asoConvex, asoConvexObjective, checkAsoConvexOptions,
  type AsoConvexOptions, type AsoConvexFit, type AsoConvexParams, type ResolvedAsoConvexOptions,
} from './models/asoConvex.js';
export {
  meanRegularized, meanRegularizedObjective, meanRegularizedGradient, meanRegularizedWeights, checkMeanRegularizedOptions,
  TaskCouplingSystem,
  type MeanRegularizedOptions, type MeanRegularizedFormAOptions, type MeanRegularizedFormBOptions,
  type MeanRegularizedCommonOptions, type ResolvedMeanRegularizedOptions, type MeanRegularizedParams,
  type MeanRegularizedFit, type SharedPlusSpecific, type CoupledSolve,
} from './models/meanRegularized.js';
export {
  graphRegularized, graphRegularizedObjective, taskGraphMatrix, checkGraphRegularizedOptions,
  type TaskGraph, type GraphRegularizedOptions, type ResolvedGraphRegularizedOptions, type GraphRegularizedParams,
  type GraphRegularizedFit,
} from './models/graphRegularized.js';
export {
  clusteredConvex, clusteredConvexObjective, checkClusteredConvexOptions,
  type ClusteredConvexOptions, type ResolvedClusteredConvexOptions, type ClusteredConvexParams, type ClusteredConvexFit,
} from './models/clusteredConvex.js';
export {
  clusteredMeanRegularized, clusteredMeanRegularizedObjective, checkClusteredMeanRegularizedOptions,
  type ClusteredMeanRegularizedOptions, type ResolvedClusteredMeanRegularizedOptions, type ClusteredMeanRegularizedParams,
  type ClusteredMeanRegularizedFit,
} from './models/clusteredMeanRegularized.js';
export { kmeans, kmeansPlusPlus, seededUniform, type KMeansOptions, type KMeansResult } from './models/kmeans.js';
export {
  featureLearning, featureLearningObjective, featureLearningWStep, checkFeatureLearningOptions,
  type FeatureLearningOptions, type FeatureLearningFit, type FeatureLearningParams, type ResolvedFeatureLearningOptions,
  type FeatureLearningHistoryEntry, type LearnedFeatures,
} from './models/featureLearning.js';
export {
  featureProjection, featureProjectionObjective, initialProjection, alternateProjection, checkFeatureProjectionOptions,
  type FeatureProjectionOptions, type FeatureProjectionFit, type FeatureProjectionParams, type FeatureProjectionVariables,
  type ResolvedFeatureProjectionOptions, type FeatureProjectionHistoryEntry, type ProjectionVStepResult,
  type ProjectionAlternationResult,
} from './models/featureProjection.js';
export {
  featureProjectionLowRank, featureProjectionLowRankObjective, checkFeatureProjectionLowRankOptions,
  type FeatureProjectionLowRankOptions, type FeatureProjectionLowRankFit, type FeatureProjectionLowRankParams,
  type ResolvedFeatureProjectionLowRankOptions,
} from './models/featureProjectionLowRank.js';
export {
  metrics, evaluate, evaluateWeights, metricLargerIsBetter, checkMetricName, METRIC_NAMES,
  type MetricName, type Metrics, type TaskMetrics, type PooledMetrics, type Predictor,
} from './selection/metrics.js';
export {
  MODEL_TABLE, defineModel, optionKeys, registerModel, modelOf, findModel, checkModelOptionKeys,
  type ModelSpec, type ModelRow, type ModelFunction, type ModelFitLike, type StrongRuleSpec, type StrongRuleContext,
  type OptionKey, type NumericOptionKey, type SelectionOptions,
} from './models/table.js';
export {
  path, checkPathOptions, selectColumns, type PathOptions, type ResolvedPathOptions, type PathPoint, type PathResult,
} from './selection/path.js';
export {
  crossValidate, checkCrossValidateOptions, makeFolds, foldData,
  type CrossValidateOptions, type ResolvedCrossValidateOptions, type CrossValidateResult, type GridPoint,
} from './selection/crossValidate.js';
export {
  fitWithUncertainty, checkUncertaintyOptions,
  type UncertaintyOptions, type ResolvedUncertaintyOptions, type UncertaintyFit, type UncertaintyModelOptions,
} from './selection/uncertainty.js';
