/**
 * The weighted group (row) norm penalty h(W) = λ Σ_j c_j ‖w^j‖_q, c_j ∈ [0, ∞]: the convex stage problem
 * of reweighted row penalties (the multi-stage capped-ℓ1 relaxation of Gong, Ye & Zhang 2012, the
 * multi-level lasso's reweighting). c_j = 0 leaves row j unpenalised; c_j = ∞ keeps it at zero.
 *
 * @packageDocumentation
 */
import type { RowNorm, RowPenalty } from './types.js';
import { rowNorm } from './rowNorm.js';

/**
 * h(W) = λ Σ_j c_j ‖w^j‖_q with its exact prox (row by row), the subdifferential distance, and for q = 1
 * the exact row step with per-coordinate curvatures (soft-thresholding). Not a {@link NormPenalty}
 * (the weights differ by row), so solvers certify it through {@link weightedRowGap}-style gaps.
 *
 * @example
 * ```ts
 * const h = new WeightedGroupNormPenalty(0.1, 1, new Float64Array([1, 0, 1]), T);
 * h.proxRow(v, step, 1, out); // row 1 is unpenalised: out = v
 * ```
 * @see {@link GroupNormPenalty}
 */
export class WeightedGroupNormPenalty implements RowPenalty {
  /** The row norm ‖·‖_q. */
  readonly norm: RowNorm;
  private readonly work: Float64Array;
  /**
   * @param lambda - λ ≥ 0
   * @param q - the exponent, 1 ≤ q ≤ ∞
   * @param weights - c_j ∈ [0, ∞] per row (not copied: do not change it during a solve)
   * @param rowLength - T
   */
  constructor(readonly lambda: number, readonly q: number, readonly weights: Float64Array, readonly rowLength: number) {
    this.norm = rowNorm(q, rowLength);
    this.work = new Float64Array(rowLength);
    if (q === 1) {
      this.proxRowDiag = (b, L, j, out) => {
        const lw = this.rowWeight(j);
        for (let t = 0; t < b.length; t++) {
          const a = Math.abs(b[t]!) - lw;
          out[t] = a > 0 && L[t]! > 0 ? (Math.sign(b[t]!) * a) / L[t]! : 0;
        }
      };
    }
  }
  /** λ c_j, the weight of row j. */
  rowWeight(j: number): number {
    const c = this.weights[j]!;
    return c === 0 ? 0 : this.lambda * c;
  }
  rowValue(w: Float64Array, j: number): number {
    const lw = this.rowWeight(j);
    if (lw === 0) return 0;
    const n = this.norm.norm(w, 0, this.rowLength);
    return n === 0 ? 0 : lw * n; // ∞ · 0 = 0 for a row held at zero
  }
  value(W: Float64Array): number {
    const T = this.rowLength;
    let s = 0;
    for (let o = 0, j = 0; o < W.length; o += T, j++) {
      const lw = this.rowWeight(j);
      if (lw === 0) continue;
      const n = this.norm.norm(W, o, T);
      if (n > 0) s += lw * n; // Σ_j λ c_j ‖w^j‖_q
    }
    return s;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const T = this.rowLength;
    for (let o = 0, j = 0; o < V.length; o += T, j++) this.proxAt(V, o, step * this.rowWeight(j), out, o);
  }
  private proxAt(v: Float64Array, vo: number, tau: number, out: Float64Array, oo: number): void {
    const T = this.rowLength;
    if (tau === Infinity) { out.fill(0, oo, oo + T); return; }
    this.norm.prox(v, vo, T, tau, out, oo);
  }
  proxRow(v: Float64Array, step: number, j: number, out: Float64Array): void {
    this.proxAt(v, 0, step * this.rowWeight(j), out, 0);
  }
  /** Exact row step for q = 1: argmin Σ_t (L_t/2) w_t² − b_t w_t + λc_j|w_t| is w_t = soft(b_t, λc_j)/L_t. */
  readonly proxRowDiag?: (b: Float64Array, L: Float64Array, j: number, out: Float64Array) => void;
  subdiffDistance(W: Float64Array, j: number, z: Float64Array): number {
    const T = this.rowLength, o = j * T, lw = this.rowWeight(j), u = this.work;
    let nz = false;
    for (let t = 0; t < T; t++) if (W[o + t] !== 0) { nz = true; break; }
    let s = 0;
    if (!nz) {
      if (lw === Infinity) return 0;
      // dist(z, λc_j B_{q*})
      this.norm.projectDualBall(z, 0, T, lw, u, 0);
      for (let t = 0; t < T; t++) s += (z[t]! - u[t]!) ** 2;
      return Math.sqrt(s);
    }
    if (this.q === 1) {
      // coordinatewise: z_t − λc_j sign(w_t) where w_t ≠ 0, max(|z_t| − λc_j, 0) where w_t = 0
      for (let t = 0; t < T; t++) {
        const w = W[o + t]!;
        const e = w !== 0 ? z[t]! - lw * Math.sign(w) : Math.max(0, Math.abs(z[t]!) - lw);
        s += e * e;
      }
      return Math.sqrt(s);
    }
    // fixed-point residual ‖w − prox_{λc_j‖·‖}(w + z)‖₂ (0 exactly at a stationary row)
    for (let t = 0; t < T; t++) u[t] = W[o + t]! + z[t]!;
    this.norm.prox(u, 0, T, lw, u, 0);
    for (let t = 0; t < T; t++) s += (W[o + t]! - u[t]!) ** 2;
    return Math.sqrt(s);
  }
}
