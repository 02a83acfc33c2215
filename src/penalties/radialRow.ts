/**
 * The shared part of the radial (block) row penalties h(W) = Σ_j p(‖w^j‖₂) with p a concave-after-the-
 * origin scalar penalty (block MCP, block SCAD): the row value, the exact row prox reduced to a 1-D
 * problem in r = ‖w‖₂, and the distance of a row's negative gradient to the Fréchet subdifferential.
 *
 * @packageDocumentation
 */
import { lpNorm } from './projections.js';
import type { RowPenalty } from './types.js';

/**
 * argmin over r ∈ [lo, hi] of g(r) = (a/2) r² − b r (a may be ≤ 0: then an endpoint; hi = ∞ needs a > 0).
 * @param a - curvature
 * @param b - linear coefficient
 * @param lo - left end
 * @param hi - right end (may be Infinity when a > 0)
 * @returns the minimiser
 * @example
 * ```ts
 * pieceMinimiser(1, 2, 0, 5); // 2
 * ```
 * @see {@link RadialRowPenalty}
 */
export function pieceMinimiser(a: number, b: number, lo: number, hi: number): number {
  if (a > 0) return Math.min(hi, Math.max(lo, b / a));
  if (!Number.isFinite(hi)) return lo;
  // concave or linear piece: the better endpoint, g(hi) − g(lo) = (hi − lo)((a/2)(hi + lo) − b)
  return (a / 2) * (hi + lo) - b < 0 ? hi : lo;
}

/**
 * A radial row penalty h(W) = Σ_j p(‖w^j‖₂), p(0) = 0, p nondecreasing, p'(0⁺) = λ (`weight`),
 * differentiable on (0, ∞). Subclasses give p, p' and the 1-D prox argmin_{r ≥ 0} ½(r − ν)² + τ p(r);
 * the row prox is then prox_{τh}(v) = r* v/‖v‖ (the minimiser is aligned with v, since p depends on
 * the norm only), exact for every τ > 0 (the subclasses compare the minimisers of each quadratic piece).
 *
 * Fréchet subdifferential: ∂h_j(w) = {p'(‖w‖) w/‖w‖} for w ≠ 0 and the ball λB₂ at w = 0 (p(r) = λr − o(r)).
 * Non-convex (`convex: false`): solvers take only steps exact for it (BCD: the row prox with one step 1/L_j).
 * Holds no work buffers (re-entrant).
 */
export abstract class RadialRowPenalty implements RowPenalty {
  /** Non-convex: solvers must not use steps valid for convex penalties only. */
  readonly convex = false;
  /**
   * @param weight - λ > 0, the slope of p at 0
   * @param rowLength - T
   */
  constructor(readonly weight: number, readonly rowLength: number) {}
  /** p(r) for r ≥ 0. */
  abstract radial(r: number): number;
  /** p'(r) for r > 0. */
  abstract radialDerivative(r: number): number;
  /** argmin_{r ≥ 0} ½(r − ν)² + τ p(r), ν ≥ 0, τ > 0. */
  abstract radialProx(nu: number, tau: number): number;

  /**
   * The best of candidate radii by the 1-D objective ½(r − ν)² + τ p(r) (ties: the smaller radius).
   * @param nu - ν = ‖v‖
   * @param tau - τ
   * @param c - candidates
   * @returns the minimising candidate
   */
  protected best(nu: number, tau: number, ...c: number[]): number {
    let r = 0, f = 0.5 * nu * nu;
    for (const x of c) {
      const fx = 0.5 * (x - nu) ** 2 + tau * this.radial(x);
      if (fx < f || (fx === f && x < r)) { f = fx; r = x; }
    }
    return r;
  }

  rowValue(w: Float64Array): number {
    return this.radial(lpNorm(w, 0, this.rowLength, 2));
  }
  value(W: Float64Array): number {
    const T = this.rowLength;
    let s = 0;
    for (let o = 0; o < W.length; o += T) s += this.radial(lpNorm(W, o, T, 2)); // Σ_j p(‖w^j‖₂)
    return s;
  }
  private proxAt(v: Float64Array, vo: number, step: number, out: Float64Array, oo: number): void {
    const T = this.rowLength, nu = lpNorm(v, vo, T, 2);
    // z = r* v/‖v‖, r* = argmin_r ½(r − ‖v‖)² + τ p(r)
    const f = nu > 0 && step > 0 ? this.radialProx(nu, step) / nu : step > 0 ? 0 : 1;
    for (let t = 0; t < T; t++) out[oo + t] = f * v[vo + t]!;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const T = this.rowLength;
    for (let o = 0; o < V.length; o += T) this.proxAt(V, o, step, out, o);
  }
  proxRow(v: Float64Array, step: number, _j: number, out: Float64Array): void {
    this.proxAt(v, 0, step, out, 0);
  }
  subdiffDistance(W: Float64Array, j: number, negGrad: Float64Array): number {
    const T = this.rowLength, o = j * T, r = lpNorm(W, o, T, 2);
    if (r === 0) return Math.max(0, lpNorm(negGrad, 0, T, 2) - this.weight); // dist(z, λB₂)
    // ‖z − p'(r) w/r‖₂
    const g = this.radialDerivative(r) / r;
    let s = 0;
    for (let t = 0; t < T; t++) s += (negGrad[t]! - g * W[o + t]!) ** 2;
    return Math.sqrt(s);
  }
}
