/**
 * The elementwise L1 penalty h(W) = λ‖W‖₁ = λ Σ_jt |W_jt| (the lasso of every task, Tibshirani 1996;
 * the sparse part of the dirty and sparse + low-rank models).
 *
 * @packageDocumentation
 */
import type { NormPenalty, RowPenalty } from './types.js';

/**
 * λ‖W‖₁ with soft-thresholding as prox and ‖·‖_∞ (max |G_jt|) as dual norm.
 *
 * @example
 * ```ts
 * const h = new L1Penalty(0.1, T);
 * h.prox(V, step, out); // out_i = sign(v_i) max(|v_i| − step·λ, 0)
 * ```
 * @see R. Tibshirani, "Regression shrinkage and selection via the lasso", JRSS B 58 (1996)
 */
export class L1Penalty implements NormPenalty, RowPenalty {
  /**
   * @param weight - λ ≥ 0
   * @param rowLength - T (for row-wise use by BCD)
   */
  constructor(readonly weight: number, readonly rowLength: number) {}
  norm(W: Float64Array): number {
    let s = 0;
    for (let i = 0; i < W.length; i++) s += Math.abs(W[i]!); // ‖W‖₁
    return s;
  }
  value(W: Float64Array): number {
    return this.weight === 0 ? 0 : this.weight * this.norm(W);
  }
  dualNorm(G: Float64Array): number {
    let m = 0;
    for (let i = 0; i < G.length; i++) m = Math.max(m, Math.abs(G[i]!)); // ‖G‖_∞ (entrywise max)
    return m;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const tau = step * this.weight;
    for (let i = 0; i < V.length; i++) {
      // out = sign(v) (|v| − τ)₊
      const v = V[i]!;
      out[i] = v > tau ? v - tau : v < -tau ? v + tau : 0;
    }
  }
  /** Σ_i (|z_i| − r)₊²: squared distance of Z to {‖Z‖_∞ ≤ r}. */
  projectDualBallDistanceSq(Z: Float64Array, radius: number): number {
    let s = 0;
    for (let i = 0; i < Z.length; i++) {
      const e = Math.abs(Z[i]!) - radius;
      if (e > 0) s += e * e;
    }
    return s;
  }
  conjugate(V: Float64Array): number {
    return this.dualNorm(V) <= this.weight * (1 + 1e-12) ? 0 : Infinity;
  }
  rowValue(w: Float64Array): number {
    return this.value(w);
  }
  proxRow(v: Float64Array, step: number, _j: number, out: Float64Array): void {
    this.prox(v, step, out);
  }
  subdiffDistance(W: Float64Array, j: number, negGrad: Float64Array): number {
    // per entry: w ≠ 0 → |v − λ sign(w)|; w = 0 → (|v| − λ)₊
    const T = this.rowLength, lam = this.weight;
    let s = 0;
    for (let t = 0; t < T; t++) {
      const w = W[j * T + t]!, v = negGrad[t]!;
      const e = w === 0 ? Math.max(0, Math.abs(v) - lam) : v - lam * Math.sign(w);
      s += e * e;
    }
    return Math.sqrt(s);
  }
}
