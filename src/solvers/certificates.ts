/**
 * Certificates of optimality, computed one way for the whole package:
 * - the duality gap of min f(W) + λΩ(W) for any {@link NormPenalty} (optimally rescaled dual point),
 *   optionally with a ridge term ρ‖W‖²_F;
 * - the fixed-point (proximal-gradient) residual ‖W − prox_{h/L}(W − ∇f/L)‖·L for any penalty;
 * - λ_max = Ω*(∇f(0)), the smallest λ with W = 0 optimal.
 *
 * References: the dual rescaling follows J. Mairal, "Sparse coding for machine learning, image
 * processing and computer vision", PhD thesis (2010), §1.4, and E. Ndiaye, O. Fercoq, A. Gramfort &
 * J. Salmon, "Gap safe screening rules for sparsity enforcing penalties", JMLR 18 (2017).
 *
 * @packageDocumentation
 */
import type { Datafit, DualTerms } from '../datafits/types.js';
import type { NormPenalty, Penalty } from '../penalties/types.js';

/**
 * Whether a certificate meets a tolerance: true only when both are finite and certificate ≤ tol (so
 * an infinite or NaN certificate never counts as converged, whatever the tolerance).
 * @param certificate - the certificate (duality gap, residual)
 * @param tol - the absolute tolerance
 * @returns the convergence verdict
 * @example
 * ```ts
 * certified(1e-9, 1e-8);          // true
 * certified(Infinity, Infinity);  // false
 * ```
 * @see {@link FitStatus}
 */
export function certified(certificate: number, tol: number): boolean {
  return Number.isFinite(certificate) && Number.isFinite(tol) && certificate <= tol;
}

/** A duality gap with its parts. */
export interface GapResult {
  /** The primal objective P(W) = f(W) + h(W). */
  readonly primal: number;
  /** The dual objective at the rescaled dual point. */
  readonly dual: number;
  /** max(0, primal − dual) (NaN when a term is not finite). */
  readonly gap: number;
  /** The scaling α of the dual point α·(−∇f(W)). */
  readonly alpha: number;
}

/**
 * The optimally rescaled dual point, the one dual rescaling of the package (every duality gap goes
 * through it: {@link normPenaltyGap} for any norm penalty, `groupLassoGap` for the row-wise BCD).
 *
 * With U = α·(−∇f) the dual objective is D(α) = α·A − α²·B − φ(α): for ρ = 0 (`phi` null) φ is the
 * indicator of α·Ω*(V) ≤ λ and α* = min(A/(2B), λ/Ω*(V)) clipped at 0; for ρ > 0 every α is feasible,
 * φ(α) = dist(αV, λ·B_{Ω*})²/(4ρ), and besides α* the points 1 (the optimal dual point at the optimum)
 * and A/(2B) are tried, the best kept.
 *
 * @param A - ⟨U, Y⟩ at α = 1 (the datafit's `innerY`)
 * @param B - the quadratic coefficient (the datafit's `quad`; the loss for the squared loss)
 * @param lambda - the penalty weight λ ≥ 0
 * @param vmax - Ω*(V), V = −∇f(W) (the largest dual row norm for row penalties)
 * @param phi - α ↦ φ(α) for ρ > 0, or `null` for ρ = 0
 * @returns the dual value and the scaling α used
 * @example
 * ```ts
 * const { dual, alpha } = rescaledDual(terms.innerY, terms.quad, 0.1, penalty.dualNorm(V), null);
 * ```
 * @see {@link normPenaltyGap}; Ndiaye, Fercoq, Gramfort & Salmon, JMLR 18 (2017), §3.
 */
export function rescaledDual(
  A: number, B: number, lambda: number, vmax: number, phi: ((alpha: number) => number) | null,
): { dual: number; alpha: number } {
  const alphaFeasible = vmax > 0 ? lambda / vmax : Infinity;
  const alphaFree = B > 0 ? A / (2 * B) : A > 0 ? Infinity : 0;
  let alpha = Math.max(0, Math.min(alphaFree, alphaFeasible));
  if (!Number.isFinite(alpha)) alpha = 0; // an unbounded ray only when V = 0 and B = 0: P = D = 0 there
  let dual = alpha * A - alpha * alpha * B;
  if (phi !== null) {
    for (const a of [1, alphaFree > 0 && Number.isFinite(alphaFree) ? alphaFree : 1]) {
      const dd = a * A - a * a * B - phi(a);
      if (dd > dual) {
        dual = dd;
        alpha = a;
      }
    }
  }
  return { dual, alpha };
}

/**
 * The duality gap of min f(W) + λΩ(W) + ρ‖W‖²_F from the dual terms of the datafit at W.
 *
 * The dual point is U = α·(−∇f) with the best α: for ρ = 0, the maximiser of D(α) = α·A − α²·B over
 * 0 ≤ α ≤ λ/Ω*(V) (V = −∇f), clipped; for ρ > 0 every α is feasible and D(α) = αA − α²B − φ(αV) with
 * φ(Z) = dist(Z, λ·B_{Ω*})²/(4ρ) (needs `penalty.projectDualBall`) — α* of the ρ = 0 form, 1 and
 * A/(2B) are tried and the best kept.
 *
 * @param terms - the datafit's dual terms at W ({@link Datafit.dualTerms})
 * @param V - −∇f(W) (d×T)
 * @param W - the weights
 * @param penalty - the norm penalty h = λΩ
 * @param ridge - ρ ≥ 0 @default 0
 * @returns primal, dual, gap, α
 * @example
 * ```ts
 * const terms = f.dualTerms(W, state, V);
 * const { gap } = normPenaltyGap(terms, V, W, new TraceNormPenalty(0.1, d, T));
 * ```
 * @see {@link dualityGap}
 */
export function normPenaltyGap(
  terms: DualTerms, V: Float64Array, W: Float64Array, penalty: NormPenalty & { projectDualBallDistanceSq?(Z: Float64Array, radius: number): number },
  ridge = 0,
): GapResult {
  const lambda = penalty.weight;
  let fro = 0;
  if (ridge > 0) for (let k = 0; k < W.length; k++) fro += W[k]! * W[k]!;
  const primal = terms.value + lambda * penalty.norm(W) + ridge * fro;
  const phi = ridge > 0 && penalty.projectDualBallDistanceSq
    ? (a: number): number => penalty.projectDualBallDistanceSq!(V.map((x) => a * x), lambda) / (4 * ridge)
    : null;
  const { dual, alpha } = rescaledDual(terms.innerY, terms.quad, lambda, penalty.dualNorm(V), phi);
  const gap = Number.isFinite(primal) && Number.isFinite(dual) ? Math.max(0, primal - dual) : NaN;
  return { primal, dual, gap, alpha };
}

/**
 * The duality gap of min f(W) + λΩ(W) at W, straight from a datafit and a norm penalty.
 * @param f - the datafit
 * @param penalty - the norm penalty
 * @param W - the weights (d·T)
 * @param state - W's state (f.computeState)
 * @param work - d·T work buffer (receives −∇f(W)) @default a new buffer
 * @returns primal, dual, gap, α
 * @example
 * ```ts
 * const { gap } = dualityGap(f, new GroupNormPenalty(0.1, 2, T), W, state);
 * ```
 * @see {@link normPenaltyGap}
 */
export function dualityGap(f: Datafit, penalty: NormPenalty, W: Float64Array, state: Float64Array, work = new Float64Array(f.dim)): GapResult {
  const terms = f.dualTerms(W, state, work);
  return normPenaltyGap(terms, work, W, penalty);
}

/**
 * λ_max = Ω*(∇f(0)): the smallest weight of the norm penalty at which W = 0 minimises f + λΩ.
 * @param f - the datafit
 * @param penalty - any norm penalty (its weight is ignored; only Ω* is used)
 * @returns λ_max ≥ 0
 * @example
 * ```ts
 * const lmax = lambdaMax(quadraticDatafit(loss), new TraceNormPenalty(1, d, T)); // σ_max(∇L(0))
 * ```
 * @see {@link dualityGap}
 */
export function lambdaMax(f: Datafit, penalty: Pick<NormPenalty, 'dualNorm'>): number {
  const W0 = new Float64Array(f.dim);
  const s = new Float64Array(f.stateSize);
  const G = new Float64Array(f.dim);
  f.computeState(W0, s);
  f.gradient(W0, s, G);
  return penalty.dualNorm(G);
}

/**
 * The fixed-point residual ‖W − prox_{h/L}(W − ∇f(W)/L)‖·L: zero exactly at the minimisers of f + h
 * (for convex h), a stationarity measure otherwise.
 * @param f - the datafit
 * @param h - the penalty
 * @param W - the point
 * @param state - W's state
 * @param L - the step's Lipschitz constant (> 0)
 * @returns the residual
 * @example
 * ```ts
 * fixedPointResidual(f, new RankConstraint(2, d, T), W, state, f.lipschitz());
 * ```
 * @see {@link dualityGap}
 */
export function fixedPointResidual(f: Datafit, h: Penalty, W: Float64Array, state: Float64Array, L: number): number {
  const n = f.dim;
  const G = new Float64Array(n);
  f.gradient(W, state, G);
  for (let i = 0; i < n; i++) G[i] = W[i]! - G[i]! / L; // V = W − ∇f/L
  const P = new Float64Array(n);
  h.prox(G, 1 / L, P);
  let r = 0;
  for (let i = 0; i < n; i++) r += (W[i]! - P[i]!) ** 2;
  return Math.sqrt(r) * L;
}
