/**
 * The mean-deviation penalty h(W) = ρ Σ_t ‖w_t − w̄‖², w̄ = (1/T) Σ_t w_t: tasks pulled towards their
 * mean (Evgeniou & Pontil 2004, regularized multi-task learning; the graph penalty of the complete graph).
 *
 * @packageDocumentation
 */
import type { SmoothPenalty } from './types.js';

/**
 * ρ‖W(I − 11ᵀ/T)‖²_F over W d×T. Row by row, with m_j the mean of row j: gradient 2ρ(w^j − m_j),
 * prox m_j + (v^j − m_j)/(1 + 2ρ·step).
 *
 * @example
 * ```ts
 * new MeanDeviationPenalty(1, T).prox(V, step, out);
 * ```
 * @see T. Evgeniou & M. Pontil, "Regularized multi-task learning", KDD 2004
 */
export class MeanDeviationPenalty implements SmoothPenalty {
  /**
   * @param weight - ρ ≥ 0
   * @param T - the number of tasks (row length)
   */
  constructor(readonly weight: number, readonly T: number) {}
  value(W: Float64Array): number {
    const T = this.T;
    let s = 0;
    for (let o = 0; o < W.length; o += T) {
      let m = 0;
      for (let t = 0; t < T; t++) m += W[o + t]!;
      m /= T;
      for (let t = 0; t < T; t++) s += (W[o + t]! - m) ** 2; // Σ_t (W_jt − m_j)²
    }
    return this.weight * s;
  }
  gradient(W: Float64Array, out: Float64Array): void {
    const T = this.T, c = 2 * this.weight;
    for (let o = 0; o < W.length; o += T) {
      let m = 0;
      for (let t = 0; t < T; t++) m += W[o + t]!;
      m /= T;
      for (let t = 0; t < T; t++) out[o + t] = c * (W[o + t]! - m); // 2ρ(w^j − m_j 1)
    }
  }
  lipschitz(): number {
    return 2 * this.weight;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const T = this.T, c = 1 / (1 + 2 * this.weight * step);
    for (let o = 0; o < V.length; o += T) {
      let m = 0;
      for (let t = 0; t < T; t++) m += V[o + t]!;
      m /= T;
      for (let t = 0; t < T; t++) out[o + t] = m + c * (V[o + t]! - m); // m + (v − m)/(1 + 2ρτ)
    }
  }
}
