/**
 * The graph penalty h(W) = ρ‖WR‖²_F with R (T×k) the incidence matrix of a task graph (edge e = (a, b)
 * with weight ω: column e of R is √ω (e_a − e_b)), so h = ρ Σ_e ω_e ‖w_a − w_b‖² (MALSAR `Least_SRMTL`;
 * Zhou, Chen & Ye, MALSAR manual 2011). Its Hessian is 2ρ·(RRᵀ) acting on the right of W.
 *
 * @packageDocumentation
 */
import type { SmoothPenalty } from './types.js';
import { symEig } from '../linalg/eig.js';
import type { Mat } from '../types.js';

/**
 * ρ‖WR‖²_F over W d×T. With A = RRᵀ = QΛQᵀ (one eigendecomposition, T×T): gradient 2ρ W A,
 * Lipschitz 2ρλ_max(A), prox V Q diag(1/(1 + 2ρ·step·λ)) Qᵀ.
 *
 * @example
 * ```ts
 * const R = { rows: 3, cols: 2, data: new Float64Array([1, 0, -1, 1, 0, -1]) }; // path graph 0–1–2
 * new GraphSmoothPenalty(0.5, R).gradient(W, G);
 * ```
 * @see J. Zhou, J. Chen & J. Ye, *MALSAR: Multi-tAsk Learning via StructurAl Regularization* (2011), §3
 */
export class GraphSmoothPenalty implements SmoothPenalty {
  /** The number of tasks T. */
  readonly T: number;
  private readonly A: Float64Array;
  private readonly Q: Float64Array;
  private readonly lam: Float64Array;
  private readonly row: Float64Array;
  private readonly coef: Float64Array;
  /**
   * @param weight - ρ ≥ 0
   * @param R - the T×k matrix (read, not kept)
   */
  constructor(readonly weight: number, R: Mat) {
    const T = R.rows, k = R.cols;
    this.T = T;
    this.A = new Float64Array(T * T);
    for (let a = 0; a < T; a++) for (let b = 0; b < T; b++) {
      let s = 0;
      for (let e = 0; e < k; e++) s += R.data[a * k + e]! * R.data[b * k + e]!; // A = R Rᵀ
      this.A[a * T + b] = s;
    }
    const { values, vectors } = symEig({ rows: T, cols: T, data: this.A });
    this.lam = Float64Array.from(values, (v) => Math.max(v, 0));
    this.Q = Float64Array.from(vectors.data); // column i = eigenvector i
    this.row = new Float64Array(T);
    this.coef = new Float64Array(T);
  }
  value(W: Float64Array): number {
    // ρ tr(W A Wᵀ) = ρ Σ_j w^jᵀ A w^j
    const T = this.T, A = this.A;
    let s = 0;
    for (let o = 0; o < W.length; o += T) {
      for (let a = 0; a < T; a++) {
        let r = 0;
        for (let b = 0; b < T; b++) r += A[a * T + b]! * W[o + b]!;
        s += W[o + a]! * r;
      }
    }
    return this.weight * Math.max(0, s);
  }
  gradient(W: Float64Array, out: Float64Array): void {
    // G = 2ρ W A (row by row: g^j = 2ρ A w^j, A symmetric)
    const T = this.T, A = this.A, c = 2 * this.weight, row = this.row;
    for (let o = 0; o < W.length; o += T) {
      for (let a = 0; a < T; a++) {
        let r = 0;
        for (let b = 0; b < T; b++) r += A[a * T + b]! * W[o + b]!;
        row[a] = c * r;
      }
      for (let a = 0; a < T; a++) out[o + a] = row[a]!;
    }
  }
  lipschitz(): number {
    let m = 0;
    for (let i = 0; i < this.T; i++) m = Math.max(m, this.lam[i]!);
    return 2 * this.weight * m;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    // out^j = Q diag(1/(1 + 2ρτλ)) Qᵀ v^j
    const T = this.T, Q = this.Q, coef = this.coef, row = this.row;
    for (let o = 0; o < V.length; o += T) {
      for (let i = 0; i < T; i++) {
        let s = 0;
        for (let a = 0; a < T; a++) s += Q[a * T + i]! * V[o + a]!; // (Qᵀv)_i
        coef[i] = s / (1 + 2 * this.weight * step * this.lam[i]!);
      }
      for (let a = 0; a < T; a++) {
        let s = 0;
        for (let i = 0; i < T; i++) s += Q[a * T + i]! * coef[i]!;
        row[a] = s;
      }
      for (let a = 0; a < T; a++) out[o + a] = row[a]!;
    }
  }
}
