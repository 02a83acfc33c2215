/**
 * The block (group) smoothly clipped absolute deviation penalty on the rows of W (Fan & Li, "Variable
 * selection via nonconcave penalized likelihood and its oracle properties", JASA 96, 2001; grouped:
 * Breheny & Huang, Stat. Comput. 25, 2015).
 *
 * @packageDocumentation
 */
import { RadialRowPenalty, pieceMinimiser } from './radialRow.js';

/**
 * h(W) = Σ_j p(‖w^j‖₂) with the SCAD p(r) = λr for r ≤ λ, (2aλr − r² − λ²)/(2(a − 1)) for
 * λ < r ≤ aλ, and (a + 1)λ²/2 beyond (λ > 0, a > 2; a = ∞ is the group lasso λr). Non-convex.
 *
 * Row prox for a step τ: three quadratic pieces in r = ‖w‖, curvatures 1, 1 − τ/(a − 1), 1; strictly
 * convex (the classical SCAD threshold) exactly when τ < a − 1 ((a − 1)L_j > 1 for BCD's τ = 1/L_j);
 * otherwise still exact (the best of the pieces' minimisers).
 *
 * @example
 * ```ts
 * const h = new BlockScadPenalty(0.5, 3.7, T);
 * h.prox(V, step, out);
 * ```
 * @see {@link BlockMcpPenalty}; skglm's `BlockSCAD`
 */
export class BlockScadPenalty extends RadialRowPenalty {
  /**
   * @param lambda - λ > 0
   * @param a - a > 2 (Infinity: the group lasso) @default 3.7
   * @param rowLength - T
   */
  constructor(lambda: number, readonly a: number, rowLength: number) {
    super(lambda, rowLength);
  }
  radial(r: number): number {
    const l = this.weight, a = this.a;
    if (r <= l || !Number.isFinite(a)) return l * r;
    if (r <= a * l) return (2 * a * l * r - r * r - l * l) / (2 * (a - 1));
    return ((a + 1) * l * l) / 2;
  }
  radialDerivative(r: number): number {
    // p'(r) = λ on (0, λ], (aλ − r)/(a − 1) on (λ, aλ], 0 beyond
    const l = this.weight, a = this.a;
    if (r <= l || !Number.isFinite(a)) return l;
    return Math.max(a * l - r, 0) / (a - 1);
  }
  radialProx(nu: number, tau: number): number {
    const l = this.weight, a = this.a;
    if (!Number.isFinite(a)) return Math.max(nu - tau * l, 0);
    // pieces: [0, λ] ½r² − (ν − τλ)r;  [λ, aλ] ½(1 − τ/(a−1))r² − (ν − τaλ/(a−1))r;  [aλ, ∞) ½r² − νr
    return this.best(
      nu, tau,
      pieceMinimiser(1, nu - tau * l, 0, l),
      pieceMinimiser(1 - tau / (a - 1), nu - (tau * a * l) / (a - 1), l, a * l),
      pieceMinimiser(1, nu, a * l, Infinity),
    );
  }
}
