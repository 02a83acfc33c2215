/**
 * The block (group) minimax concave penalty on the rows of W (Breheny & Huang, "Group descent
 * algorithms for nonconvex penalized linear and logistic regression models with grouped predictors",
 * Stat. Comput. 25, 2015; Zhang, "Nearly unbiased variable selection under minimax concave penalty",
 * Ann. Stat. 38, 2010).
 *
 * @packageDocumentation
 */
import { RadialRowPenalty, pieceMinimiser } from './radialRow.js';

/**
 * h(W) = Σ_j p(‖w^j‖₂) with the MCP p(r) = λr − r²/(2γ) for r ≤ γλ and γλ²/2 beyond (λ > 0, γ > 1;
 * γ = ∞ is the group lasso λr). Non-convex.
 *
 * Row prox for a step τ (BCD uses τ = 1/L_j, L_j the row's Lipschitz constant): the 1-D problem
 * min_r ½(r − ν)² + τ p(r) has two quadratic pieces, [0, γλ] with curvature 1 − τ/γ and [γλ, ∞) with
 * curvature 1; it is strictly convex, and its minimiser the "firm threshold"
 * r* = max(ν − τλ, 0)/(1 − τ/γ) for ν ≤ γλ and ν beyond, exactly when τ < γ (γL_j > 1). For τ ≥ γ the
 * prox is still exact (the better of the pieces' minimisers, a hard threshold), only discontinuous.
 *
 * @example
 * ```ts
 * const h = new BlockMcpPenalty(0.5, 3, T);
 * h.proxRow(v, 1 / L, j, out); // firm thresholding of the row norm
 * ```
 * @see {@link BlockScadPenalty}; skglm's `BlockMCPenalty` (the same penalty)
 */
export class BlockMcpPenalty extends RadialRowPenalty {
  /**
   * @param lambda - λ > 0
   * @param gamma - γ > 1 (Infinity: the group lasso) @default 3
   * @param rowLength - T
   */
  constructor(lambda: number, readonly gamma: number, rowLength: number) {
    super(lambda, rowLength);
  }
  radial(r: number): number {
    const l = this.weight, g = this.gamma;
    if (!Number.isFinite(g)) return l * r;
    return r <= g * l ? l * r - (r * r) / (2 * g) : (g * l * l) / 2;
  }
  radialDerivative(r: number): number {
    // p'(r) = max(λ − r/γ, 0)
    return Number.isFinite(this.gamma) ? Math.max(this.weight - r / this.gamma, 0) : this.weight;
  }
  radialProx(nu: number, tau: number): number {
    const l = this.weight, g = this.gamma;
    if (!Number.isFinite(g)) return Math.max(nu - tau * l, 0);
    // piece [0, γλ]: ½(1 − τ/γ) r² − (ν − τλ) r;  piece [γλ, ∞): ½ r² − ν r
    return this.best(nu, tau, pieceMinimiser(1 - tau / g, nu - tau * l, 0, g * l), pieceMinimiser(1, nu, g * l, Infinity));
  }
}
