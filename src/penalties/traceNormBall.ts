/**
 * The indicator of the trace-norm ball h(Q) = ι{‖Q‖_* ≤ τ} for Q d×T: the constraint of the sparse +
 * low-rank model in MALSAR's form (`Least_SparseTrace`; Chen, Liu & Ye, ACM TKDD 5(4), 2012). Prox: the
 * projection — a thin SVD, then the singular values projected onto the ℓ1 ball of radius τ (they are
 * ≥ 0, so onto the simplex-like set {σ ≥ 0, Σσ ≤ τ}; Duchi et al. 2008, {@link projectL1Ball}). Its
 * conjugate is the support function τ‖·‖₂ (τ times the spectral norm), finite everywhere — so a
 * duality gap needs no rescaling of the dual point for this block.
 *
 * @packageDocumentation
 */
import type { Penalty } from './types.js';
import type { Mat } from '../types.js';
import { createSvdWorkspace, spectralNorm, thinSvdInto, type SvdWorkspace } from '../linalg/svd.js';
import { projectL1Ball } from './projections.js';

/** The relative slack with which a point counts as inside the ball (the projection's rounding). */
const FEASIBLE_SLACK = 1e-12;

/**
 * ι{‖Q‖_* ≤ τ}: value 0 inside the ball (within a relative 1e-12) and ∞ outside, prox = projection,
 * conjugate τσ_max. After each prox, `lastRank` holds the rank of the output.
 *
 * @example
 * ```ts
 * const h = new TraceNormBall(2, d, T);
 * h.prox(V, step, out); // out = U diag(Proj_{ℓ1 ball τ}(σ)) Vᵀ (step is irrelevant for an indicator)
 * h.conjugate(G);       // τ σ_max(G)
 * ```
 * @see {@link projectL1Ball}; J. Chen, J. Liu & J. Ye, ACM TKDD 5(4), 2012
 */
export class TraceNormBall implements Penalty {
  /** The rank of the last prox output. */
  lastRank = 0;
  private readonly work: SvdWorkspace;
  private readonly s: Float64Array;
  private readonly sp: Float64Array;
  private readonly U: Mat;
  private readonly V: Mat;
  private readonly l1Work: Float64Array;
  /**
   * @param tau - τ ≥ 0, the radius
   * @param d - rows of Q
   * @param T - columns of Q
   */
  constructor(readonly tau: number, readonly d: number, readonly T: number) {
    this.work = createSvdWorkspace(d, T);
    const k = Math.min(d, T);
    this.s = new Float64Array(k);
    this.sp = new Float64Array(k);
    this.l1Work = new Float64Array(k);
    this.U = { rows: d, cols: k, data: new Float64Array(d * k) };
    this.V = { rows: T, cols: k, data: new Float64Array(T * k) };
  }
  private mat(W: Float64Array): Mat {
    return { rows: this.d, cols: this.T, data: W };
  }
  /**
   * ‖Q‖_*, the trace norm.
   * @param Q - d×T
   * @returns Σ σ_i(Q)
   */
  traceNorm(Q: Float64Array): number {
    thinSvdInto(this.mat(Q), this.U, this.s, this.V, this.work);
    let n = 0;
    for (let i = 0; i < this.s.length; i++) n += this.s[i]!; // Σ σ_i
    return n;
  }
  value(Q: Float64Array): number {
    return this.traceNorm(Q) <= this.tau * (1 + FEASIBLE_SLACK) + Number.MIN_VALUE ? 0 : Infinity;
  }
  prox(V: Float64Array, _step: number, out: Float64Array): void {
    const { d, T } = this, k = this.s.length;
    thinSvdInto(this.mat(V), this.U, this.s, this.V, this.work);
    projectL1Ball(this.s, 0, k, this.tau, this.sp, 0, this.l1Work); // σ' = Proj_{‖·‖₁ ≤ τ}(σ), σ ≥ 0
    out.fill(0, 0, d * T);
    let rank = 0;
    const U = this.U.data, Vd = this.V.data;
    for (let i = 0; i < k; i++) {
      const si = this.sp[i]!;
      if (si === 0) continue;
      rank++;
      // out += σ'_i u_i v_iᵀ
      for (let r = 0; r < d; r++) {
        const a = si * U[r * k + i]!;
        for (let c = 0; c < T; c++) out[r * T + c]! += a * Vd[c * k + i]!;
      }
    }
    this.lastRank = rank;
  }
  conjugate(G: Float64Array): number {
    return this.tau === 0 ? 0 : this.tau * spectralNorm(this.mat(G), this.work); // sup_{‖Q‖_* ≤ τ} ⟨G, Q⟩ = τσ_max(G)
  }
}
