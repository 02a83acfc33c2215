/**
 * mtlearn — numerical solvers for linear multi-task regression.
 *
 * Read top to bottom: **models** (one thin entry point each, with its `…Objective` evaluator and λ_max)
 * → **penalties** (one operator a file: {@link Penalty}, {@link NormPenalty}, {@link RowPenalty},
 * {@link SmoothPenalty}) and **datafits** (the squared loss with one state layer, {@link Datafit},
 * {@link RowwiseDatafit}) → **solvers** (FISTA, block coordinate descent, the alternating driver, the
 * certificates) → **linear algebra** kernels (src/linalg). Users compose their own model with
 * {@link fitComposite}. The objectives are specified in docs/objectives.md.
 *
 * @packageDocumentation
 */
export type {
  Mat, MatLike, VecLike, LossScale, HistoryEntry, FitResultBase, FitStatus, ProgressInfo, ProgressCallback,
} from './types.js';
export { toMat, toVec, toArray, toMatrix, zeros } from './linalg/mat.js';
export { setKernelBackend, kernelBackend, wasmKernelsInfo, type KernelBackend } from './linalg/blas.js';
export { setKernelThreads, kernelThreads } from './linalg/parallel.js';
export { allocF64, freeF64, wasmMat, toWasmMat, isWasmResident } from './linalg/wasm/matrix.js';
export {
  MultiTaskData, asData, type TaskInput, type TaskView, type DataOptions, type WrapParts, type LongOptions, type LongColumn,
} from './data/MultiTaskData.js';
export {
  createStatistics, accumulateStatistics, mergeStatistics, perTask,
  type MultiTaskStatistics, type StatisticsChunk, type CreateStatisticsOptions,
} from './data/statistics.js';
export { statisticsOf, checkStatistics } from './data/statisticsOf.js';
export { StatisticsBuilder } from './data/statisticsBuilder.js';
export { serializeStatistics, deserializeStatistics, STATISTICS_FORMAT_VERSION, type StatisticsExpectation } from './data/statisticsFile.js';
export {
  statisticsSql, statisticsFromRows, statisticsColumnNames, type StatisticsColumns, type StatisticsSqlOptions,
} from './data/statisticsSql.js';
export { standardize, type StandardizeOptions, type StandardizedData } from './selection/standardize.js';
export { thinSvd, singularValueThreshold, spectralNorm } from './linalg/svd.js';
export { symEig } from './linalg/eig.js';

// datafits
export { QuadraticLoss, multiTaskLoss, type QuadraticLossOptions } from './datafits/quadratic.js';
export type { Datafit, RowwiseDatafit, DualTerms } from './datafits/types.js';
export { quadraticDatafit, type DatafitBackend } from './datafits/state.js';
export { stackedDatafit } from './datafits/stacked.js';

// penalties
export {
  rowNorm, GroupNormPenalty, L1Penalty, TraceNormPenalty, RankConstraint, SpectralCappedSimplex, RidgePenalty,
  MeanDeviationPenalty, GraphSmoothPenalty, BlockSumPenalty, BlockNormSumPenalty, ColumnGroupNormPenalty,
  stiefelRetractQR, stiefelTangentProject, BlockMcpPenalty, BlockScadPenalty, RadialRowPenalty, WeightedGroupNormPenalty,
} from './penalties/index.js';
export type { RowNorm, Penalty, NormPenalty, RowPenalty, SmoothPenalty } from './penalties/types.js';

// solvers and certificates
export { fista, type SmoothFunction, type ProxFunction, type FistaOptions, type FistaResult } from './solvers/fista.js';
export { dualityGap, normPenaltyGap, lambdaMax, fixedPointResidual, type GapResult } from './solvers/certificates.js';
export {
  alternatingMinimization, type AlternatingProblem, type AlternatingOptions, type AlternatingResult,
} from './solvers/alternating.js';

// composition and models
export {
  fitComposite, smoothSum, type CompositeOptions, type ResolvedCompositeOptions, type CompositeFit,
} from './models/composite.js';
export {
  dirty, dirtyObjective, dirtyLambdaMax, type DirtyOptions, type ResolvedDirtyOptions, type DirtyFit,
} from './models/dirty.js';
export {
  robustMtfl, robustMtflObjective, robustMtflLambdaMax, type RobustMtflOptions, type ResolvedRobustMtflOptions, type RobustMtflFit,
} from './models/robustMtfl.js';
export {
  robustMtl, robustMtlObjective, robustMtlLambdaMax, type RobustMtlOptions, type ResolvedRobustMtlOptions, type RobustMtlFit,
} from './models/robustMtl.js';
export {
  sparseLowRank, sparseLowRankObjective, sparseLowRankLambdaMax,
  type SparseLowRankOptions, type ResolvedSparseLowRankOptions, type SparseLowRankFit,
} from './models/sparseLowRank.js';
export type { DecompositionFit, DecompositionCommonOptions } from './models/decomposition.js';
export {
  temporalGroupLasso, temporalGroupLassoObjective, differenceMatrix,
  type TemporalGroupLassoOptions, type TemporalGroupLassoFit,
} from './models/temporalGroupLasso.js';
export { blockMcp, blockMcpObjective, type BlockMcpOptions, type ResolvedBlockMcpOptions, type BlockMcpFit } from './models/blockMcp.js';
export { blockScad, blockScadObjective, type BlockScadOptions, type ResolvedBlockScadOptions, type BlockScadFit } from './models/blockScad.js';
export type { RowPenaltyFit, RowPenaltyCommonOptions } from './models/rowPenaltyFit.js';
export { cappedL1, cappedL1Objective, type CappedL1Options, type ResolvedCappedL1Options, type CappedL1Fit } from './models/cappedL1.js';
export {
  multiLevelLasso, multiLevelLassoObjective, multiLevelLassoFactorObjective, multiLevelFactors,
  type MultiLevelLassoOptions, type ResolvedMultiLevelLassoOptions, type MultiLevelLassoFit,
} from './models/multiLevelLasso.js';
export {
  fusedGroupLasso, fusedGroupLassoObjective, fusedGroupLassoLambdaMax,
  type FusedGroupLassoOptions, type FusedGroupLassoFit, type FusedGroupLassoParams,
} from './models/fusedGroupLasso.js';
export { FusedGroupRowPenalty } from './penalties/fusedGroupRow.js';
export { TraceNormBall } from './penalties/traceNormBall.js';
export { tvProx } from './linalg/tvProx.js';
export {
  groupLasso, groupLassoObjective, groupLassoLambdaMax,
  type GroupLassoOptions, type GroupLassoFit, type GroupLassoParams, type ResolvedGroupLassoOptions,
} from './models/groupLasso.js';
export {
  traceNorm, traceNormObjective, traceNormLambdaMax, traceNormGap,
  type TraceNormOptions, type TraceNormFit, type TraceNormParams, type ResolvedTraceNormOptions, type TraceNormGapResult,
} from './models/traceNorm.js';
export {
  lowRank, lowRankObjective,
  type LowRankOptions, type LowRankFit, type LowRankParams, type ResolvedLowRankOptions,
} from './models/lowRank.js';
export {
  aso, asoObjective, type AsoOptions, type AsoFit, type AsoParams, type ResolvedAsoOptions,
} from './models/aso.js';
export {
  asoConvex, asoConvexObjective,
  type AsoConvexOptions, type AsoConvexFit, type AsoConvexParams, type ResolvedAsoConvexOptions,
} from './models/asoConvex.js';
export {
  meanRegularized, meanRegularizedObjective, meanRegularizedGradient, meanRegularizedWeights,
  type MeanRegularizedOptions, type MeanRegularizedFormAOptions, type MeanRegularizedFormBOptions,
  type MeanRegularizedCommonOptions, type ResolvedMeanRegularizedOptions, type MeanRegularizedParams,
  type MeanRegularizedFit, type SharedPlusSpecific,
} from './models/meanRegularized.js';
export {
  graphRegularized, graphRegularizedObjective, taskGraphMatrix,
  type TaskGraph, type GraphRegularizedOptions, type ResolvedGraphRegularizedOptions, type GraphRegularizedParams,
  type GraphRegularizedFit,
} from './models/graphRegularized.js';
export {
  clusteredConvex, clusteredConvexObjective,
  type ClusteredConvexOptions, type ResolvedClusteredConvexOptions, type ClusteredConvexParams, type ClusteredConvexFit,
} from './models/clusteredConvex.js';
export {
  clusteredMeanRegularized, clusteredMeanRegularizedObjective,
  type ClusteredMeanRegularizedOptions, type ResolvedClusteredMeanRegularizedOptions, type ClusteredMeanRegularizedParams,
  type ClusteredMeanRegularizedFit,
} from './models/clusteredMeanRegularized.js';
export {
  featureLearning, featureLearningObjective,
  type FeatureLearningOptions, type FeatureLearningFit, type FeatureLearningParams, type ResolvedFeatureLearningOptions,
  type FeatureLearningHistoryEntry, type LearnedFeatures,
} from './models/featureLearning.js';
export {
  featureProjection, featureProjectionObjective,
  type FeatureProjectionOptions, type FeatureProjectionFit, type FeatureProjectionParams, type FeatureProjectionVariables,
  type ResolvedFeatureProjectionOptions, type FeatureProjectionHistoryEntry,
} from './models/featureProjection.js';
export {
  featureProjectionLowRank, featureProjectionLowRankObjective,
  type FeatureProjectionLowRankOptions, type FeatureProjectionLowRankFit, type FeatureProjectionLowRankParams,
  type ResolvedFeatureProjectionLowRankOptions,
} from './models/featureProjectionLowRank.js';
export {
  metrics, evaluate, evaluateWeights, metricLargerIsBetter, METRIC_NAMES,
  type MetricName, type Metrics, type TaskMetrics, type PooledMetrics, type Predictor,
} from './selection/metrics.js';
export {
  MODEL_TABLE, defineModel, optionKeys, registerModel,
  type ModelSpec, type ModelRow, type ModelFunction, type ModelFitLike, type StrongRuleSpec, type StrongRuleContext,
  type OptionKey, type NumericOptionKey, type SelectionOptions,
} from './models/table.js';
export {
  path, type PathOptions, type ResolvedPathOptions, type PathPoint, type PathResult,
} from './selection/path.js';
export {
  crossValidate,
  type CrossValidateOptions, type ResolvedCrossValidateOptions, type CrossValidateResult, type GridPoint,
} from './selection/crossValidate.js';
export {
  fitWithUncertainty,
  type UncertaintyOptions, type ResolvedUncertaintyOptions, type UncertaintyFit, type UncertaintyModelOptions,
} from './selection/uncertainty.js';
export { parseLongCsv, CsvInputError, type LongCsvData, type LongCsvOptions } from './io/csv.js';
