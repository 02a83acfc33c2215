/**
 * The group (row) norm penalty h(W) = λ Σ_j ‖w^j‖_q over the rows w^j ∈ ℝ^T of W (d×T), q ∈ [1, ∞]:
 * joint feature selection (L1/L2, Obozinski, Taskar & Jordan 2010), L1/L∞ (Turlach et al. 2005;
 * Quattoni et al. 2009), general L1/Lq (Liu & Ye 2010).
 *
 * @packageDocumentation
 */
import type { NormPenalty, RowNorm, RowPenalty } from './types.js';
import { rowNorm } from './rowNorm.js';

/**
 * h(W) = λ Σ_j ‖w^j‖_q with its exact prox (row by row), dual norm max_j ‖v^j‖_{q*}, row prox and
 * subdifferential distance — usable by FISTA and by block coordinate descent.
 *
 * @example
 * ```ts
 * const h = new GroupNormPenalty(0.1, 2, T);
 * h.prox(V, step, out);   // block soft-thresholding of every row
 * h.dualNorm(G);          // max_j ‖g^j‖₂ (λ_max when G = ∇L(0))
 * ```
 * @see {@link rowNorm}; J. Liu & J. Ye, "Efficient L1/Lq norm regularization", arXiv:1009.4766 (2010)
 */
export class GroupNormPenalty implements NormPenalty, RowPenalty {
  /** The row norm ‖·‖_q. */
  readonly rowNorm: RowNorm;
  private readonly work: Float64Array;
  /**
   * @param weight - λ ≥ 0
   * @param q - the exponent, 1 ≤ q ≤ ∞ @default 2
   * @param rowLength - T, the number of tasks
   */
  constructor(readonly weight: number, readonly q: number, readonly rowLength: number) {
    this.rowNorm = rowNorm(q, rowLength);
    this.work = new Float64Array(rowLength);
  }
  norm(W: Float64Array): number {
    const T = this.rowLength;
    let s = 0;
    for (let o = 0; o < W.length; o += T) s += this.rowNorm.norm(W, o, T); // Σ_j ‖w^j‖_q
    return s;
  }
  value(W: Float64Array): number {
    return this.weight === 0 ? 0 : this.weight * this.norm(W);
  }
  dualNorm(G: Float64Array): number {
    const T = this.rowLength;
    let m = 0;
    for (let o = 0; o < G.length; o += T) m = Math.max(m, this.rowNorm.dualNorm(G, o, T)); // max_j ‖g^j‖_{q*}
    return m;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const T = this.rowLength;
    for (let o = 0; o < V.length; o += T) this.rowNorm.prox(V, o, T, step * this.weight, out, o);
  }
  /**
   * dist(Z, λ·B*)² summed over rows: the squared distance of Z to the dual ball {max_j ‖z^j‖_{q*} ≤ λ}
   * (for duality gaps with a ridge term).
   */
  projectDualBallDistanceSq(Z: Float64Array, radius: number): number {
    const T = this.rowLength, w = this.work;
    let s = 0;
    for (let o = 0; o < Z.length; o += T) {
      this.rowNorm.projectDualBall(Z, o, T, radius, w, 0);
      for (let t = 0; t < T; t++) s += (Z[o + t]! - w[t]!) ** 2;
    }
    return s;
  }
  conjugate(V: Float64Array): number {
    return this.dualNorm(V) <= this.weight * (1 + 1e-12) ? 0 : Infinity;
  }
  rowValue(w: Float64Array): number {
    return this.weight * this.rowNorm.norm(w, 0, this.rowLength);
  }
  proxRow(v: Float64Array, step: number, _j: number, out: Float64Array): void {
    this.rowNorm.prox(v, 0, this.rowLength, step * this.weight, out, 0);
  }
  subdiffDistance(W: Float64Array, j: number, negGrad: Float64Array): number {
    // w = 0: dist(v, λB*) = ‖v − Proj_{λB*}(v)‖;  w ≠ 0: ‖v − λ∂‖w‖‖ (∂ = the dual-norm-1 vector aligned with w)
    const T = this.rowLength, w = this.work, lam = this.weight;
    let nz = false;
    for (let t = 0; t < T; t++) if (W[j * T + t] !== 0) nz = true;
    if (!nz) {
      this.rowNorm.projectDualBall(negGrad, 0, T, lam, w, 0);
      let s = 0;
      for (let t = 0; t < T; t++) s += (negGrad[t]! - w[t]!) ** 2;
      return Math.sqrt(s);
    }
    // for w ≠ 0 the optimality of a row is w = prox_{τh}(w + τ v) for any τ > 0; use the residual with τ = 1
    for (let t = 0; t < T; t++) w[t] = W[j * T + t]! + negGrad[t]!;
    this.rowNorm.prox(w, 0, T, lam, w, 0);
    let s = 0;
    for (let t = 0; t < T; t++) s += (W[j * T + t]! - w[t]!) ** 2;
    return Math.sqrt(s);
  }
}
