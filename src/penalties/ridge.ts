/**
 * The ridge penalty h(W) = ρ‖W‖²_F (Hoerl & Kennard 1970; the ℓ2 part of the elastic net, Zou & Hastie 2005).
 *
 * @packageDocumentation
 */
import type { SmoothPenalty } from './types.js';

/**
 * ρ‖W‖²_F: gradient 2ρW, prox V/(1 + 2ρ·step), conjugate ‖V‖²/(4ρ).
 *
 * @example
 * ```ts
 * new RidgePenalty(0.5).prox(V, 1, out); // out = V / 2
 * ```
 * @see A. Hoerl & R. Kennard, Technometrics 12 (1970)
 */
export class RidgePenalty implements SmoothPenalty {
  /** @param weight - ρ ≥ 0 */
  constructor(readonly weight: number) {}
  value(W: Float64Array): number {
    let s = 0;
    for (let i = 0; i < W.length; i++) s += W[i]! * W[i]!; // ‖W‖²_F
    return this.weight * s;
  }
  gradient(W: Float64Array, out: Float64Array): void {
    const c = 2 * this.weight;
    for (let i = 0; i < W.length; i++) out[i] = c * W[i]!; // 2ρW
  }
  lipschitz(): number {
    return 2 * this.weight;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const c = 1 / (1 + 2 * this.weight * step);
    for (let i = 0; i < V.length; i++) out[i] = c * V[i]!; // V/(1 + 2ρτ)
  }
  conjugate(V: Float64Array): number {
    let s = 0;
    for (let i = 0; i < V.length; i++) s += V[i]! * V[i]!;
    return this.weight > 0 ? s / (4 * this.weight) : s === 0 ? 0 : Infinity;
  }
}
