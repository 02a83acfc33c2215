/**
 * The convex fused group lasso (Zhou, Liu, Narayan & Ye, "Modeling disease progression via fused
 * sparse group lasso", KDD 2012; MALSAR `Least_CFGLasso`) for tasks ordered in time:
 * F(W) = L(W) + λ₁‖W‖₁ + λ₂‖WH‖₁ + λ₃ Σ_j ‖w^j‖₂, H ∈ ℝ^{T×(T−1)} the difference matrix — sparse
 * features shared over time, weights that change in few steps.
 * Solver (default `'bcd'`): block coordinate descent over the rows ({@link fitTemporalRows}), each row
 * minimised exactly with every task at its own curvature ({@link fusedGroupRows}: a weighted fused-lasso
 * dynamic programme inside a secular equation for the ℓ2 term); `solver: 'fista'`: {@link fitComposite}
 * with the exact row prox of {@link FusedGroupRowPenalty}. Both are certified by the duality gap (the
 * penalty is a norm; its dual norm is evaluated from the prox), except when λ₁ = λ₃ = 0 (then Ω is a
 * seminorm, FISTA runs and the certificate is the fixed-point residual).
 *
 * @packageDocumentation
 */
import type { LossScale, Mat } from '../types.js';
import { asData, type MultiTaskData, type TaskInput } from '../data/MultiTaskData.js';
import { QuadraticLoss } from '../datafits/quadratic.js';
import { quadraticDatafit } from '../datafits/state.js';
import { FusedGroupRowPenalty, norm2 } from '../penalties/fusedGroupRow.js';
import type { Penalty } from '../penalties/types.js';
import { lambdaMax } from '../solvers/certificates.js';
import { tvProx } from '../linalg/tvProx.js';
import { fitComposite } from './composite.js';
import { fusedGroupRows } from '../solvers/temporalBcd.js';
import {
  checkTemporalOptions, fitTemporalRows, temporalObjective, temporalSolver, type TemporalCommonOptions, type TemporalFit, type TemporalWeights,
} from './temporal.js';

/** Options of {@link fusedGroupLasso}. */
export interface FusedGroupLassoOptions extends TemporalCommonOptions {
  /** λ₁ ≥ 0, weight of ‖W‖₁. @default 0 */
  lambda1?: number;
  /** λ₂ ≥ 0, weight of the fused term ‖WH‖₁ = Σ_j Σ_t |w_jt − w_j,t+1|. @default 0 */
  lambda2?: number;
}

/** The weights of a {@link fusedGroupLasso} fit. */
export type FusedGroupLassoParams = TemporalWeights;

/** The fit of {@link fusedGroupLasso}: the composite fit with the weights in its options. */
export type FusedGroupLassoFit = TemporalFit<Penalty>;

/**
 * Fits the convex fused group lasso by row BCD (default) or FISTA with the exact row prox.
 * @param data - the data (tasks in time order)
 * @param options - see {@link FusedGroupLassoOptions}
 * @returns the fit (W, intercepts, objective, certificate, status)
 * @throws TypeError / RangeError for bad options (named; unknown keys suggest the closest)
 * @example
 * ```ts
 * const fit = fusedGroupLasso(data, { lambda1: 0.01, lambda2: 0.05, lambda3: 0.1 });
 * ```
 * @see {@link fusedGroupLassoObjective}, {@link fusedGroupLassoLambdaMax}; J. Zhou et al., KDD 2012
 */
export function fusedGroupLasso(data: MultiTaskData | readonly TaskInput[], options: FusedGroupLassoOptions): FusedGroupLassoFit {
  const { weights, rest: all } = checkTemporalOptions(options, 'fusedGroupLasso');
  const { solver, rest } = temporalSolver(all);
  const D = asData(data);
  const { lambda1: l1, lambda2: l2, lambda3: l3 } = weights;
  const h = new FusedGroupRowPenalty(l1, l2, l3, D.T);
  if (solver === 'bcd' && (l1 > 0 || l3 > 0)) {
    const fit = fitTemporalRows(D, rest, h as Penalty, (d, T) => fusedGroupRows(h, d, T));
    return { ...fit, options: { ...fit.options, ...weights } };
  }
  // a seminorm (λ₁ = λ₃ = 0) has an infinite dual norm off the differences: no gap, hide the norm methods
  const penalty: Penalty = l1 > 0 || l3 > 0 ? h : { value: (W) => h.value(W), prox: (V, s, out) => h.prox(V, s, out) };
  const fit = fitComposite(D, { ...rest, penalty });
  return { ...fit, options: { ...fit.options, ...weights } };
}

/**
 * The convex fused group lasso objective from the raw data.
 * @param data - the data
 * @param W - d×T
 * @param params - λ₁ (default 0), λ₂ (default 0), λ₃, lossScale
 * @param intercepts - b (default 0)
 * @returns L(W, b) + λ₁ Σ|w_jt| + λ₂ Σ_j Σ_t |w_jt − w_j,t+1| + λ₃ Σ_j ‖w^j‖₂
 * @example
 * ```ts
 * fusedGroupLassoObjective(data, fit.W, fit.options, fit.intercepts);
 * ```
 * @see {@link fusedGroupLasso}
 */
export function fusedGroupLassoObjective(
  data: MultiTaskData | readonly TaskInput[], W: Mat,
  params: { lambda1?: number; lambda2?: number; lambda3: number; lossScale?: LossScale }, intercepts?: Float64Array | readonly number[],
): number {
  return temporalObjective(data, W, params.lossScale, intercepts,
    (s) => (params.lambda1 ?? 0) * s.abs + (params.lambda2 ?? 0) * s.absDiffs + params.lambda3 * s.rowNorms);
}

/**
 * λ_max of the fused group lasso, G = ∇L(0, b₀):
 * - `lambda3`: the smallest λ₃ with W = 0 optimal for the given λ₁, λ₂ — exactly
 *   max_j ‖S_{λ₁}(TV_{λ₂}(g^j))‖₂ (the prox of λ₁‖·‖₁ + λ₂TV is 0-preserving and the ℓ2 step zeroes
 *   the row exactly when its input norm is ≤ λ₃);
 * - `scale`: Ω°(G) = max_j Ω°(g^j) for the given (λ₁, λ₂, λ₃): W = 0 is optimal for (cλ₁, cλ₂, cλ₃)
 *   exactly when c ≥ `scale` (an upper bound within a relative 1e-14, see {@link FusedGroupRowPenalty}).
 * @param data - the data
 * @param params - λ₁, λ₂, λ₃ (each default 0), lossScale, fitIntercept
 * @returns { lambda3, scale }
 * @example
 * ```ts
 * const m = fusedGroupLassoLambdaMax(data, { lambda1: 0.01, lambda2: 0.02 });
 * fusedGroupLasso(data, { lambda1: 0.01, lambda2: 0.02, lambda3: m.lambda3 }).W; // zeros
 * ```
 * @see {@link fusedGroupLasso}
 */
export function fusedGroupLassoLambdaMax(
  data: MultiTaskData | readonly TaskInput[],
  params: { lambda1?: number; lambda2?: number; lambda3?: number; lossScale?: LossScale; fitIntercept?: boolean } = {},
): { lambda3: number; scale: number } {
  const D = asData(data);
  const T = D.T;
  const l1 = params.lambda1 ?? 0, l2 = params.lambda2 ?? 0;
  const f = quadraticDatafit(new QuadraticLoss(D, { lossScale: params.lossScale ?? 'mean', fitIntercept: params.fitIntercept ?? true }));
  const u = new Float64Array(T);
  const lambda3 = lambdaMax(f, {
    dualNorm: (G) => {
      let m = 0;
      for (let o = 0; o < G.length; o += T) {
        tvProx(G, o, T, l2, u, 0);
        for (let t = 0; t < T; t++) u[t] = Math.max(Math.abs(u[t]!) - l1, 0); // |S_{λ₁}(TV_{λ₂}(g^j))|
        m = Math.max(m, norm2(u, 0, T));
      }
      return m;
    },
  });
  return { lambda3, scale: lambdaMax(f, new FusedGroupRowPenalty(l1, l2, params.lambda3 ?? 0, T)) };
}
