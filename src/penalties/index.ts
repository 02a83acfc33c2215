/**
 * The penalties of mtlearn, one operator a file: the row norms of the L1/Lq group lasso
 * Ω(W) = λ Σ_j ‖w^j‖_q (q ∈ [1, ∞], exact prox and dual norm, the ball projections they are built on),
 * elementwise L1, trace norm, rank constraint, the spectral capped simplex, the Stiefel retraction, the
 * smooth penalties (ridge, mean deviation, graph), block sums for W = P + Q and the non-convex block MCP
 * and SCAD row penalties. Interfaces:
 * {@link Penalty}, {@link NormPenalty}, {@link RowPenalty}, {@link SmoothPenalty}.
 *
 * @packageDocumentation
 */
export { rowNorm } from './rowNorm.js';

export type { RowNorm, Penalty, NormPenalty, RowPenalty, SmoothPenalty } from './types.js';
export { GroupNormPenalty } from './groupNorm.js';
export { L1Penalty } from './l1Penalty.js';
export { TraceNormPenalty } from './traceNorm.js';
export { RankConstraint } from './rankConstraint.js';
export { SpectralCappedSimplex } from './spectralCappedSimplex.js';
export { stiefelRetractQR, stiefelTangentProject } from './stiefel.js';
export { RidgePenalty } from './ridge.js';
export { MeanDeviationPenalty } from './meanDeviation.js';
export { GraphSmoothPenalty } from './graphSmooth.js';
export { BlockSumPenalty, BlockNormSumPenalty } from './blockSum.js';
export { ColumnGroupNormPenalty } from './columnGroupNorm.js';
export { BlockMcpPenalty } from './blockMcp.js';
export { BlockScadPenalty } from './blockScad.js';
export { RadialRowPenalty } from './radialRow.js';
export { WeightedGroupNormPenalty } from './weightedGroupNorm.js';
export { FusedGroupRowPenalty } from './fusedGroupRow.js';
export { TraceNormBall } from './traceNormBall.js';
export { L1Norm } from './l1.js';
export { L2Norm } from './l2.js';
export { LinfNorm } from './linf.js';
export { LqNorm } from './lq.js';
export {
  lpNorm,
  l1BallThreshold,
  projectL1Ball,
  projectLpBall,
  projectLpBallComplement,
} from './projections.js';

