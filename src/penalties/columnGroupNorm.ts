/**
 * The column group norm h(Q) = λ Σ_t ‖q_t‖₂ over the columns q_t (tasks) of Q (d×T): whole tasks switched
 * on or off — the outlier-task part of robust multi-task feature learning (Gong, Ye & Zhang 2012) and
 * robust multi-task learning (Chen, Zhou & Ye 2011). Prox: block soft-thresholding of every column;
 * dual norm: max_t ‖v_t‖₂.
 *
 * @packageDocumentation
 */
import type { NormPenalty } from './types.js';

/**
 * λ Σ_t ‖q_t‖₂ for Q d×T (row-major).
 *
 * @example
 * ```ts
 * new ColumnGroupNormPenalty(0.2, d, T).prox(V, step, out);
 * ```
 * @see P. Gong, J. Ye & C. Zhang, "Robust multi-task feature learning", KDD 2012
 */
export class ColumnGroupNormPenalty implements NormPenalty {
  private readonly norms: Float64Array;
  /**
   * @param weight - λ ≥ 0
   * @param d - rows
   * @param T - columns (tasks)
   */
  constructor(readonly weight: number, readonly d: number, readonly T: number) {
    this.norms = new Float64Array(T);
  }
  private columnNorms(Q: Float64Array): Float64Array {
    const { d, T } = this, c = this.norms;
    c.fill(0);
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) c[t]! += Q[j * T + t]! ** 2; // ‖q_t‖²
    for (let t = 0; t < T; t++) c[t] = Math.sqrt(c[t]!);
    return c;
  }
  norm(Q: Float64Array): number {
    const c = this.columnNorms(Q);
    let s = 0;
    for (let t = 0; t < this.T; t++) s += c[t]!;
    return s;
  }
  value(Q: Float64Array): number {
    return this.weight === 0 ? 0 : this.weight * this.norm(Q);
  }
  dualNorm(V: Float64Array): number {
    const c = this.columnNorms(V);
    let m = 0;
    for (let t = 0; t < this.T; t++) m = Math.max(m, c[t]!);
    return m;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    // q_t = (1 − τ/‖v_t‖)₊ v_t
    const { d, T } = this, tau = step * this.weight;
    const c = this.columnNorms(V);
    for (let t = 0; t < T; t++) c[t] = c[t]! > tau ? 1 - tau / c[t]! : 0;
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) out[j * T + t] = c[t]! * V[j * T + t]!;
  }
  /** Σ_t (‖z_t‖ − r)₊²: squared distance to {max_t ‖z_t‖ ≤ r}. */
  projectDualBallDistanceSq(Z: Float64Array, radius: number): number {
    const c = this.columnNorms(Z);
    let s = 0;
    for (let t = 0; t < this.T; t++) if (c[t]! > radius) s += (c[t]! - radius) ** 2;
    return s;
  }
}
