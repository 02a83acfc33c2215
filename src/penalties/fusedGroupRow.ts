/**
 * The convex fused group lasso penalty on the rows of W (d×T, tasks ordered in time; Zhou, Liu,
 * Narayan & Ye, "Modeling disease progression via fused sparse group lasso", KDD 2012; MALSAR
 * `Least_CFGLasso`): h(W) = Σ_j Ω(w^j) with the row norm
 * Ω(w) = λ₁‖w‖₁ + λ₂ Σ_t |w_t − w_{t+1}| + λ₃‖w‖₂.
 *
 * Its exact row prox is a composition: prox_{τΩ}(v) = B_{τλ₃}(S_{τλ₁}(TV_{τλ₂}(v))) — the 1-D
 * total-variation prox ({@link tvProx}), then elementwise soft-thresholding S, then block
 * soft-thresholding B (J. Friedman, T. Hastie, H. Höfling & R. Tibshirani, "Pathwise coordinate
 * optimization", Ann. Appl. Stat. 1(2), 2007, for the fused lasso + ℓ1 part; Zhou et al. 2012 for the
 * added ℓ2 group term).
 *
 * The dual norm has no closed form; it is evaluated from the prox, Ω°(g) = min{s ≥ 0 : prox_{sΩ}(g) = 0}
 * (the prox of a norm is 0 exactly on the dual ball), by bisection on a bracket
 * [‖g‖₂/(√T(λ₁ + 2λ₂) + λ₃), min(‖g‖_∞/λ₁, ‖g‖₂/λ₃)] until its relative width is ≤ 1e-14, returning the
 * bracket's upper end — an upper bound on Ω°(g) (up to the rounding of the prox test), so a dual point
 * scaled by it is feasible and the duality gap remains an upper bound on the suboptimality. When
 * λ₁ = λ₃ = 0, Ω is the total variation alone, a seminorm: Ω°(g) = max_t |Σ_{s≤t} g_s| / λ₂ when
 * Σ_t g_t = 0 and ∞ otherwise.
 *
 * @packageDocumentation
 */
import type { NormPenalty, RowPenalty } from './types.js';
import { tvProx } from '../linalg/tvProx.js';

/** The relative width at which the bisection of the dual norm stops. */
const DUAL_REL_TOL = 1e-14;

/**
 * ‖x[o .. o+n)‖₂ without overflow or underflow (scaled by the largest magnitude).
 * @param x - the buffer
 * @param o - the offset
 * @param n - the length
 * @returns the Euclidean norm
 * @example
 * ```ts
 * norm2(Float64Array.of(3e200, 4e200), 0, 2); // 5e200
 * ```
 */
export function norm2(x: Float64Array, o: number, n: number): number {
  let m = 0;
  for (let t = 0; t < n; t++) m = Math.max(m, Math.abs(x[o + t]!));
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let t = 0; t < n; t++) s += (x[o + t]! / m) ** 2; // ‖x/m‖²
  return m * Math.sqrt(s);
}

/**
 * h(W) = Σ_j λ₁‖w^j‖₁ + λ₂‖w^j H‖₁ + λ₃‖w^j‖₂ (H the T×(T−1) difference matrix), weight 1: the three
 * λ's are part of the norm. Usable by FISTA (prox, dual norm for the duality gap) and by block
 * coordinate descent (row prox, subdifferential distance).
 *
 * @example
 * ```ts
 * const h = new FusedGroupRowPenalty(0.1, 0.2, 0.3, T);
 * h.prox(V, step, out);  // row by row: TV prox, soft-threshold, block soft-threshold
 * h.dualNorm(G);         // max_j Ω°(g^j): W = 0 is optimal when this is ≤ 1 at G = ∇L(0)
 * ```
 * @see {@link tvProx}; J. Zhou, J. Liu, V. A. Narayan & J. Ye, KDD 2012
 */
export class FusedGroupRowPenalty implements NormPenalty, RowPenalty {
  /** The weight of the norm: 1 (the λ's are inside Ω). */
  readonly weight = 1;
  private readonly work: Float64Array;
  /**
   * @param lambda1 - λ₁ ≥ 0, the ℓ1 weight
   * @param lambda2 - λ₂ ≥ 0, the fused (total-variation) weight
   * @param lambda3 - λ₃ ≥ 0, the ℓ2 row weight
   * @param rowLength - T, the number of tasks (time points)
   */
  constructor(readonly lambda1: number, readonly lambda2: number, readonly lambda3: number, readonly rowLength: number) {
    this.work = new Float64Array(rowLength);
  }

  /** Ω of the row x[o .. o+T). */
  private rowNorm(x: Float64Array, o: number): number {
    const T = this.rowLength;
    let l1 = 0, tv = 0;
    for (let t = 0; t < T; t++) {
      const v = x[o + t]!;
      l1 += Math.abs(v);
      if (t + 1 < T) tv += Math.abs(x[o + t + 1]! - v); // |w_{t+1} − w_t|
    }
    return this.lambda1 * l1 + this.lambda2 * tv + this.lambda3 * norm2(x, o, T);
  }

  /** out[oo..) = prox_{τΩ}(v[vo..)) = B_{τλ₃}(S_{τλ₁}(TV_{τλ₂}(v))); returns ‖S(TV(v))‖₂ before the block step. */
  private proxRowAt(v: Float64Array, vo: number, tau: number, out: Float64Array, oo: number): number {
    const T = this.rowLength;
    tvProx(v, vo, T, tau * this.lambda2, out, oo);
    const a = tau * this.lambda1;
    for (let t = 0; t < T; t++) {
      // u = sign(x)(|x| − τλ₁)₊
      const x = out[oo + t]!;
      out[oo + t] = x > a ? x - a : x < -a ? x + a : 0;
    }
    const n = norm2(out, oo, T), b = tau * this.lambda3;
    const f = n > b ? 1 - b / n : 0; // block soft-thresholding
    for (let t = 0; t < T; t++) out[oo + t] = f * out[oo + t]!;
    return n;
  }

  /**
   * Ω°(g) of the row g[o .. o+T) (see the module documentation): an upper bound within a relative 1e-14.
   * @param g - the buffer
   * @param o - the row's offset
   * @returns the dual norm of the row
   */
  rowDualNorm(g: Float64Array, o: number): number {
    const T = this.rowLength, l1 = this.lambda1, l2 = this.lambda2, l3 = this.lambda3;
    let inf = 0;
    for (let t = 0; t < T; t++) inf = Math.max(inf, Math.abs(g[o + t]!));
    if (inf === 0) return 0;
    const two = norm2(g, o, T);
    if (!(l1 > 0) && !(l3 > 0)) {
      // the total-variation seminorm: g must be a difference Dᵀb, b = the partial sums of g
      let c = 0, cmax = 0, abs = 0;
      for (let t = 0; t < T; t++) {
        c += g[o + t]!;
        abs += Math.abs(g[o + t]!);
        if (t + 1 < T) cmax = Math.max(cmax, Math.abs(c));
      }
      return Math.abs(c) > 1e-14 * abs || !(l2 > 0) ? Infinity : cmax / l2;
    }
    let hi = Math.min(l1 > 0 ? inf / l1 : Infinity, l3 > 0 ? two / l3 : Infinity);
    let lo = two / (Math.sqrt(T) * (l1 + 2 * l2) + l3);
    const w = this.work;
    for (let it = 0; it < 200 && hi - lo > DUAL_REL_TOL * hi; it++) {
      const mid = 0.5 * (lo + hi);
      // prox_{mid·Ω}(g) = 0 ⇔ ‖S(TV(g))‖₂ ≤ mid·λ₃
      if (this.proxRowAt(g, o, mid, w, 0) <= mid * l3) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  norm(W: Float64Array): number {
    const T = this.rowLength;
    let s = 0;
    for (let o = 0; o < W.length; o += T) s += this.rowNorm(W, o); // Σ_j Ω(w^j)
    return s;
  }
  value(W: Float64Array): number {
    return this.norm(W);
  }
  dualNorm(G: Float64Array): number {
    const T = this.rowLength;
    let m = 0;
    for (let o = 0; o < G.length; o += T) m = Math.max(m, this.rowDualNorm(G, o)); // max_j Ω°(g^j)
    return m;
  }
  prox(V: Float64Array, step: number, out: Float64Array): void {
    const T = this.rowLength;
    for (let o = 0; o < V.length; o += T) this.proxRowAt(V, o, step, out, o);
  }
  conjugate(V: Float64Array): number {
    return this.dualNorm(V) <= 1 + 1e-12 ? 0 : Infinity;
  }
  rowValue(w: Float64Array): number {
    return this.rowNorm(w, 0);
  }
  proxRow(v: Float64Array, step: number, _j: number, out: Float64Array): void {
    this.proxRowAt(v, 0, step, out, 0);
  }
  subdiffDistance(W: Float64Array, j: number, negGrad: Float64Array): number {
    // the prox residual ‖w − prox_Ω(w + v)‖: at w = 0 it is dist(v, ∂Ω(0)) exactly (Moreau), and 0 at
    // w ≠ 0 exactly when v ∈ ∂Ω(w)
    const T = this.rowLength, w = this.work;
    for (let t = 0; t < T; t++) w[t] = W[j * T + t]! + negGrad[t]!;
    this.proxRowAt(w, 0, 1, w, 0);
    let s = 0;
    for (let t = 0; t < T; t++) s += (W[j * T + t]! - w[t]!) ** 2;
    return Math.sqrt(s);
  }
}
