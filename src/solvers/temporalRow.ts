/**
 * The exact row solve of the temporal group lasso (Zhou, Yuan, Liu, Wang & Ye, KDD 2011) for block
 * coordinate descent, and the conjugate of its row penalty for the duality gap. Row penalty
 *   P(u) = uᵀQu + λ₃‖u‖₂,   Q = λ₁I + λ₂HHᵀ (HHᵀ the path Laplacian: tridiagonal, 1 2 … 2 1 on the
 *   diagonal, −1 beside it),
 * row problem min_u ½uᵀAu − cᵀu + λ₃‖u‖₂ with A = diag(L) + 2Q tridiagonal.
 *
 * Solution: u = 0 when ‖c‖ ≤ λ₃; otherwise u = (A + μI)⁻¹c with μ = λ₃/‖u‖ > 0. In ν = 1/μ and
 * y(ν) = (I + νA)⁻¹c (so u = νy), the condition is ‖y(ν)‖ = λ₃, and ‖y‖ decreases from ‖c‖ at ν = 0;
 * it is solved by safeguarded Newton on h(ν) = 1/‖y(ν)‖ − 1/λ₃, which is linear in ν when c is an
 * eigenvector (the secular equation of the trust-region subproblem, Moré & Sorensen, "Computing a trust
 * region step", SIAM J. Sci. Stat. Comput. 4, 1983), h'(ν) = yᵀ(I + νA)⁻¹Ay / ‖y‖³; each step is two
 * O(T) tridiagonal solves (the Thomas algorithm: I + νA is diagonally dominant).
 *
 * Conjugate: P*(z) = sup_u zᵀu − P(u) is attained at the solution u* of the same problem with A = 2Q,
 * c = z, and equals u*ᵀQu* (from the optimality condition zᵀu* = 2u*ᵀQu* + λ₃‖u*‖). It is finite for
 * every z when λ₁ > 0; when λ₁ = 0 < λ₂ (Q singular on the constants e = 1/√T) exactly when
 * |eᵀz| < λ₃ (or at equality); when λ₁ = λ₂ = 0 it is the indicator of ‖z‖ ≤ λ₃.
 *
 * @packageDocumentation
 */

/** The row solver and conjugate of the temporal group lasso (see the module comment). Not re-entrant. */
export class TemporalRow {
  private readonly a: Float64Array;
  private readonly piv: Float64Array;
  private readonly y: Float64Array;
  private readonly p: Float64Array;
  private readonly zero: Float64Array;
  private readonly z: Float64Array;
  private readonly off: number;
  /**
   * @param lambda1 - λ₁ ≥ 0 (‖W‖²_F)
   * @param lambda2 - λ₂ ≥ 0 (‖WH‖²_F)
   * @param lambda3 - λ₃ ≥ 0 (Σ_j ‖w^j‖₂)
   * @param T - the row length
   */
  constructor(readonly lambda1: number, readonly lambda2: number, readonly lambda3: number, readonly T: number) {
    this.a = new Float64Array(T);
    this.piv = new Float64Array(T);
    this.y = new Float64Array(T);
    this.p = new Float64Array(T);
    this.zero = new Float64Array(T);
    this.z = new Float64Array(T);
    this.off = T > 1 ? -2 * lambda2 : 0;
  }

  /** a = diag(L) + 2λ₁ + 2λ₂·diag(HHᵀ). */
  private setDiag(L: Float64Array): void {
    const T = this.T, l2 = T > 1 ? 2 * this.lambda2 : 0;
    for (let t = 0; t < T; t++) this.a[t] = L[t]! + 2 * this.lambda1 + l2 * (t === 0 || t === T - 1 ? 1 : 2);
  }

  /** Factors δI + νA (pivots of the Thomas algorithm); a zero pivot (a free coordinate) becomes ∞. */
  private factor(delta: number, nu: number): void {
    const T = this.T, a = this.a, piv = this.piv, b = nu * this.off;
    let prev = Infinity;
    for (let t = 0; t < T; t++) {
      const q = delta + nu * a[t]! - (t > 0 ? (b * b) / prev : 0);
      piv[t] = q > 0 ? q : Infinity;
      prev = piv[t]!;
    }
  }

  /** x ← (δI + νA)⁻¹ r with the last {@link factor}; x may be r. */
  private solve(nu: number, r: Float64Array, x: Float64Array): void {
    const T = this.T, piv = this.piv, b = nu * this.off;
    // forward: x_t = r_t − b x_{t−1}/piv_{t−1}; back: x_t = (x_t − b x_{t+1}) / piv_t
    let prev = 0;
    for (let t = 0; t < T; t++) {
      const v = r[t]! - (t > 0 ? (b * prev) / piv[t - 1]! : 0);
      x[t] = v;
      prev = v;
    }
    for (let t = T - 1; t >= 0; t--) x[t] = (x[t]! - (t + 1 < T ? b * x[t + 1]! : 0)) / piv[t]!;
  }

  /**
   * out ← argmin_u ½uᵀ(diag(L) + 2Q)u − cᵀu + λ₃‖u‖₂.
   * @param c - the linear term (length T)
   * @param L - the extra curvatures (length T, ≥ 0)
   * @param out - the minimiser
   * @param nu0 - a warm start for ν = ‖u‖/λ₃ (≤ 0: none) @default 0
   * @returns ν at the solution (0 when u = 0 or λ₃ = 0)
   * @example
   * ```ts
   * const r = new TemporalRow(0.01, 0.1, 0.05, T);
   * nu[j] = r.solveRow(c, L, row, nu[j]);
   * ```
   */
  solveRow(c: Float64Array, L: Float64Array, out: Float64Array, nu0 = 0): number {
    const T = this.T, l3 = this.lambda3, y = this.y, p = this.p, a = this.a;
    this.setDiag(L);
    if (!(l3 > 0)) {
      this.factor(0, 1);
      this.solve(1, c, out);
      return 0;
    }
    let cc = 0;
    for (let t = 0; t < T; t++) cc += c[t]! * c[t]!;
    if (Math.sqrt(cc) <= l3) { out.fill(0); return 0; }
    let lo = 0, hi = Infinity, nu = nu0;
    if (!(nu > 0)) {
      // the Newton step from ν = 0: h(0) = 1/‖c‖ − 1/λ₃, h'(0) = cᵀAc/‖c‖³
      let cAc = 0;
      for (let t = 0; t < T; t++) cAc += c[t]! * (a[t]! * c[t]! + this.off * ((t > 0 ? c[t - 1]! : 0) + (t + 1 < T ? c[t + 1]! : 0)));
      const nc = Math.sqrt(cc);
      nu = cAc > 0 ? ((1 / l3 - 1 / nc) * nc * cc) / cAc : 1;
    }
    for (let it = 0; it < 100; it++) {
      this.factor(1, nu);
      this.solve(nu, c, y);
      let yy = 0;
      for (let t = 0; t < T; t++) yy += y[t]! * y[t]!;
      const ny = Math.sqrt(yy), h = 1 / ny - 1 / l3;
      if (Math.abs(ny - l3) <= 1e-15 * l3) break;
      if (h < 0) lo = nu; else hi = nu;
      // p = (I + νA)⁻¹ A y, h' = yᵀp / ‖y‖³
      for (let t = 0; t < T; t++) p[t] = a[t]! * y[t]! + this.off * ((t > 0 ? y[t - 1]! : 0) + (t + 1 < T ? y[t + 1]! : 0));
      this.solve(nu, p, p);
      let yp = 0;
      for (let t = 0; t < T; t++) yp += y[t]! * p[t]!;
      let next = yp > 0 ? nu - h / (yp / (ny * yy)) : NaN;
      if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? 0.5 * (lo + hi) : 4 * Math.max(nu, 1e-300);
      if (Math.abs(next - nu) <= 1e-15 * nu) { nu = next; break; }
      nu = next;
    }
    this.factor(1, nu);
    this.solve(nu, c, y);
    for (let t = 0; t < T; t++) out[t] = nu * y[t]!;
    return nu;
  }

  /**
   * P(u) = λ₁‖u‖² + λ₂ Σ_t (u_t − u_{t+1})² + λ₃‖u‖₂ of u[o .. o+T).
   * @param u - the buffer
   * @param o - the row's offset
   * @returns P(u)
   */
  value(u: Float64Array, o: number): number {
    const T = this.T;
    let sq = 0, df = 0;
    for (let t = 0; t < T; t++) {
      const v = u[o + t]!;
      sq += v * v;
      if (t + 1 < T) df += (v - u[o + t + 1]!) ** 2;
    }
    return this.lambda1 * sq + this.lambda2 * df + this.lambda3 * Math.sqrt(sq);
  }

  /**
   * The largest α ≥ 0 with P*(α z) finite, z = g[o .. o+T) (∞ when λ₁ > 0).
   * @param g - the buffer
   * @param o - the row's offset
   * @returns the bound
   */
  feasibleScale(g: Float64Array, o: number): number {
    const T = this.T;
    if (this.lambda1 > 0) return Infinity;
    let s = 0, ss = 0;
    for (let t = 0; t < T; t++) { s += g[o + t]!; ss += g[o + t]! ** 2; }
    // λ₂ > 0: |eᵀz| ≤ λ₃ (e = 1/√T); λ₂ = 0: ‖z‖ ≤ λ₃
    const m = this.lambda2 > 0 && T > 1 ? Math.abs(s) / Math.sqrt(T) : Math.sqrt(ss);
    return m > 0 ? this.lambda3 / m : Infinity;
  }

  /**
   * P*(α z), z = g[o .. o+T), for α within {@link feasibleScale}.
   * @param g - the buffer
   * @param o - the row's offset
   * @param alpha - the scale α ≥ 0
   * @param work - length-T scratch (receives the maximiser u*)
   * @returns P*(αz) (∞ outside the domain)
   */
  conjugate(g: Float64Array, o: number, alpha: number, work: Float64Array): number {
    const T = this.T, z = this.z;
    for (let t = 0; t < T; t++) z[t] = alpha * g[o + t]!;
    if (!(this.lambda1 > 0) && !(this.lambda2 > 0 && T > 1)) {
      let ss = 0;
      for (let t = 0; t < T; t++) ss += z[t]! * z[t]!;
      return Math.sqrt(ss) <= this.lambda3 * (1 + 1e-12) ? 0 : Infinity;
    }
    this.solveRow(z, this.zero, work);
    const v = work;
    let zu = 0;
    for (let t = 0; t < T; t++) zu += z[t]! * v[t]!;
    // sup_u zᵀu − P(u) at its maximiser u* = work
    return Math.max(0, zu - this.value(v, 0));
  }
}
