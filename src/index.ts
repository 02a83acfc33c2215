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
export { MultiTaskData, asData, type TaskInput, type TaskView } from './data/MultiTaskData.js';
export { QuadraticLoss, multiTaskLoss, lossScaleFactor, type QuadraticLossOptions } from './datafits/quadratic.js';
export { fista, type SmoothFunction, type ProxFunction, type FistaOptions, type FistaResult } from './solvers/fista.js';
export {
  groupLasso, groupLassoObjective, groupLassoLambdaMax, checkGroupLassoOptions,
  type GroupLassoOptions, type GroupLassoFit, type GroupLassoParams, type ResolvedGroupLassoOptions,
} from './models/groupLasso.js';
export { rowNorm } from './penalties/index.js';
export type { RowNorm } from './penalties/types.js';
