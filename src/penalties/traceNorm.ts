/**
 * The trace (nuclear) norm penalty h(W) = λ‖W‖_* = λ Σ_i σ_i(W): a shared low-rank subspace of the
 * tasks (Ji & Ye 2009; Pong, Tseng, Ji & Ye 2010). Prox: singular value soft-thresholding (Cai, Candès
 * & Shen 2010); dual norm: the spectral norm σ_max.
 *
 * @packageDocumentation
 */
import type { NormPenalty } from './types.js';
import { createSvdWorkspace, singularValueThreshold, spectralNorm, thinSvdInto, type SvdWorkspace } from '../linalg/svd.js';
import type { Mat } from '../types.js';

/**
 * λ‖W‖_* for W d×T, with an SVD workspace allocated once. After each {@link TraceNormPenalty.prox},
 * `lastRank` holds the rank of the output.
 *
 * @example
 * ```ts
 * const h = new TraceNormPenalty(0.5, d, T);
 * h.prox(V, step, out); // out = U diag((σ − step·λ)₊) Vᵀ
 * ```
 * @see {@link singularValueThreshold}; J.-F. Cai, E. Candès & Z. Shen, SIAM J. Optim. 20(4), 2010
 */
export class TraceNormPenalty implements NormPenalty {
  /** The rank of the last prox output. */
  lastRank = 0;
  private readonly work: SvdWorkspace;
  private readonly s: Float64Array;
  private readonly U: Mat;
  private readonly Vt: Mat;
  /**
   * @param weight - λ ≥ 0
   * @param d - rows of W
   * @param T - columns of W
   */
  constructor(readonly weight: number, readonly d: number, readonly T: number) {
    this.work = createSvdWorkspace(d, T);
    const k = Math.min(d, T);
    this.s = new Float64Array(k);
    this.U = { rows: d, cols: k, data: new Float64Array(d * k) };
    this.Vt = { rows: T, cols: k, data: new Float64Array(T * k) };
  }
  private mat(W: Float64Array): Mat {
    return { rows: this.d, cols: this.T, data: W };
  }
  norm(W: Float64Array): number {
    thinSvdInto(this.mat(W), this.U, this.s, this.Vt, this.work);
    let n = 0;
    for (let i = 0; i < this.s.length; i++) n += this.s[i]!; // Σ σ_i
    return n;
  }
  value(W: Float64Array): number {
    return this.weight === 0 ? 0 : this.weight * this.norm(W);
  }
  dualNorm(G: Float64Array): number {
    return spectralNorm(this.mat(G), this.work); // σ_max(G)
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    this.lastRank = singularValueThreshold(this.mat(V), step * this.weight, this.mat(out), this.work).rank;
  }
  /** Σ_i (σ_i(Z) − r)₊²: squared distance of Z to the spectral-norm ball of radius r. */
  projectDualBallDistanceSq(Z: Float64Array, radius: number): number {
    thinSvdInto(this.mat(Z), this.U, this.s, this.Vt, this.work);
    let s = 0;
    for (let i = 0; i < this.s.length; i++) {
      const e = this.s[i]! - radius;
      if (e > 0) s += e * e;
    }
    return s;
  }
  conjugate(V: Float64Array): number {
    return this.dualNorm(V) <= this.weight * (1 + 1e-12) ? 0 : Infinity;
  }
}
