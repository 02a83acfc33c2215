/**
 * The rank constraint rank(W) ≤ r as a penalty (its indicator): prox = projection onto the rank-r
 * matrices by a truncated SVD (Eckart & Young 1936). Non-convex: the projection is a minimiser of the
 * distance, unique when σ_r > σ_{r+1}.
 *
 * @packageDocumentation
 */
import type { Penalty } from './types.js';
import { createSvdWorkspace, thinSvdInto, type SvdWorkspace } from '../linalg/svd.js';
import type { Mat } from '../types.js';

/**
 * The indicator of {W ∈ ℝ^{d×T} : rank(W) ≤ r}.
 *
 * @example
 * ```ts
 * const h = new RankConstraint(2, d, T);
 * h.prox(V, 1, out); // the best rank-2 approximation of V
 * ```
 * @see C. Eckart & G. Young, "The approximation of one matrix by another of lower rank", Psychometrika 1 (1936)
 */
export class RankConstraint implements Penalty {
  private readonly work: SvdWorkspace;
  private readonly s: Float64Array;
  private readonly U: Mat;
  private readonly V: Mat;
  /**
   * @param rank - r ≥ 0 (integer)
   * @param d - rows of W
   * @param T - columns of W
   * @param rtol - singular values ≤ rtol·σ_max count as zero in {@link RankConstraint.value} @default 1e-10
   */
  constructor(readonly rank: number, readonly d: number, readonly T: number, readonly rtol = 1e-10) {
    this.work = createSvdWorkspace(d, T);
    const k = Math.min(d, T);
    this.s = new Float64Array(k);
    this.U = { rows: d, cols: k, data: new Float64Array(d * k) };
    this.V = { rows: T, cols: k, data: new Float64Array(T * k) };
  }
  value(W: Float64Array): number {
    thinSvdInto({ rows: this.d, cols: this.T, data: W }, this.U, this.s, this.V, this.work);
    const s = this.s;
    let r = 0;
    for (let i = 0; i < s.length; i++) if (s[i]! > this.rtol * s[0]!) r++;
    return r <= this.rank ? 0 : Infinity;
  }
  prox(Vin: Float64Array, _step: number, out: Float64Array): void {
    // out = Σ_{i<r} σ_i u_i v_iᵀ
    const { d, T } = this;
    thinSvdInto({ rows: d, cols: T, data: Vin }, this.U, this.s, this.V, this.work);
    const k = this.s.length, r = Math.min(this.rank, k);
    const U = this.U.data, V = this.V.data, s = this.s;
    out.fill(0, 0, d * T);
    for (let i = 0; i < d; i++) {
      for (let a = 0; a < r; a++) {
        const u = U[i * k + a]! * s[a]!;
        if (u === 0) continue;
        for (let t = 0; t < T; t++) out[i * T + t]! += u * V[t * k + a]!;
      }
    }
  }
}
