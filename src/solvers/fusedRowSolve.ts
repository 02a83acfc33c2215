/**
 * The exact row step of the convex fused group lasso with per-task curvatures:
 *   u = argmin_u Σ_t (L_t/2) u_t² − c_t u_t + λ₁‖u‖₁ + λ₂ Σ_t |u_{t+1} − u_t| + λ₃‖u‖₂.
 *
 * - u = 0 exactly when c ∈ ∂Ω(0), i.e. prox_Ω(c) = 0 (tested with the penalty's exact unit-weight prox).
 * - λ₃ = 0: a weighted fused lasso with an ℓ1 term, solved exactly by dynamic programming over t
 *   (N. A. Johnson, "A dynamic programming algorithm for the fused lasso and L0-segmentation", J. Comput.
 *   Graph. Stat. 22(2), 2013): the derivative δ_t of the message m_t(x) = min over u_1..u_{t−1} of the
 *   first t terms with u_t = x is piecewise linear, increasing, with jumps (from λ₁|x|); the TV term
 *   clamps it to [−λ₂, λ₂] outside [x⁻_t, x⁺_t] (where δ_t crosses ∓λ₂), the next term adds
 *   w x − c ± λ₁; backwards, u_T is the root of δ_T and u_t = clamp(u_{t+1}, x⁻_t, x⁺_t). Pieces are kept
 *   in sorted arrays (O(T) per step, O(T²) at worst; a coordinate with L_t = 0 gets weight 1e-12·max L,
 *   which only picks the smallest of equal minimisers).
 * - λ₃ > 0, u ≠ 0: u = u(μ), the solution of the λ₃ = 0 problem with weights L_t + μ, at the μ > 0 with
 *   μ‖u(μ)‖ = λ₃ (then λ₃u/‖u‖ = μu: the optimality conditions coincide); the scalar equation is solved
 *   by the Illinois variant of regula falsi on a bracket found by expansion from a warm start.
 *
 * @packageDocumentation
 */

/** Workspace and solver for one row length T (not re-entrant). */
export class FusedRowSolver {
  private kn: Float64Array; private A: Float64Array; private B: Float64Array;
  private kn2: Float64Array; private A2: Float64Array; private B2: Float64Array;
  private m = 0;
  private readonly lo: Float64Array; private readonly hi: Float64Array;
  private readonly w: Float64Array;
  /**
   * @param lambda1 - λ₁ ≥ 0
   * @param lambda2 - λ₂ ≥ 0
   * @param lambda3 - λ₃ ≥ 0
   * @param T - the row length
   */
  constructor(readonly lambda1: number, readonly lambda2: number, readonly lambda3: number, readonly T: number) {
    const cap = 3 * T + 6; // knots: each step keeps the interior ones and adds x⁻, x⁺ and 0
    this.kn = new Float64Array(cap); this.A = new Float64Array(cap + 1); this.B = new Float64Array(cap + 1);
    this.kn2 = new Float64Array(cap); this.A2 = new Float64Array(cap + 1); this.B2 = new Float64Array(cap + 1);
    this.lo = new Float64Array(T); this.hi = new Float64Array(T); this.w = new Float64Array(T);
  }

  /** inf{x : δ(x) ≥ level} of the current message derivative (slopes > 0). */
  private crossing(level: number): number {
    const m = this.m, kn = this.kn, A = this.A, B = this.B;
    for (let i = 0; i <= m; i++) {
      if (i < m && A[i]! * kn[i]! + B[i]! < level) continue;
      const x = (level - B[i]!) / A[i]!;
      return i > 0 && x < kn[i - 1]! ? kn[i - 1]! : i < m && x > kn[i]! ? kn[i]! : x;
    }
    return Infinity;
  }

  /** δ += w x − c ± λ₁ (− for x < 0, + for x > 0), inserting a knot at 0 when λ₁ > 0. */
  private addTerm(w: number, c: number): void {
    const l1 = this.lambda1;
    let m = this.m;
    const kn = this.kn, A = this.A, B = this.B;
    if (l1 > 0) {
      // the interval containing 0 (strictly inside): split it
      let i = 0;
      while (i < m && kn[i]! < 0) i++;
      if (!(i < m && kn[i] === 0)) {
        for (let k = m; k > i; k--) kn[k] = kn[k - 1]!;
        for (let k = m + 1; k > i; k--) { A[k] = A[k - 1]!; B[k] = B[k - 1]!; }
        kn[i] = 0;
        m++;
      }
    }
    for (let i = 0; i <= m; i++) {
      // interval i = (kn[i−1], kn[i]) lies left of 0 when kn[i] ≤ 0
      const left = i < m && kn[i]! <= 0;
      A[i]! += w;
      B[i]! += -c + (l1 > 0 ? (left ? -l1 : l1) : 0);
    }
    this.m = m;
  }

  /** δ ← clamp(δ, −λ₂, λ₂) as the TV min-convolution gives it, with x⁻ = lo, x⁺ = hi. */
  private clamp(lo: number, hi: number): void {
    const m = this.m, kn = this.kn, A = this.A, B = this.B, l2 = this.lambda2;
    const kn2 = this.kn2, A2 = this.A2, B2 = this.B2;
    let p = 0;
    A2[0] = 0; B2[0] = -l2;
    kn2[p++] = lo;
    if (hi > lo) {
      // the pieces of δ over (lo, hi): interval i covers (kn[i−1], kn[i])
      let i = 0;
      while (i < m && kn[i]! <= lo) i++;
      A2[p] = A[i]!; B2[p] = B[i]!;
      while (i < m && kn[i]! < hi) {
        kn2[p++] = kn[i]!;
        i++;
        A2[p] = A[i]!; B2[p] = B[i]!;
      }
      kn2[p++] = hi;
    }
    A2[p] = 0; B2[p] = l2;
    this.kn = kn2; this.A = A2; this.B = B2;
    this.kn2 = kn; this.A2 = A; this.B2 = B;
    this.m = p;
  }

  /**
   * out ← argmin_u Σ_t (w_t/2) u_t² − c_t u_t + λ₁‖u‖₁ + λ₂ TV(u), all w_t > 0 (the DP of the module comment).
   * @param c - linear term
   * @param w - weights > 0
   * @param out - the minimiser
   */
  private fusedL1(c: Float64Array, w: Float64Array, out: Float64Array): void {
    const T = this.T, l2 = this.lambda2;
    this.m = 0;
    this.A[0] = 0; this.B[0] = 0;
    this.addTerm(w[0]!, c[0]!);
    for (let t = 0; t + 1 < T; t++) {
      if (l2 > 0) {
        const lo = this.crossing(-l2), hi = this.crossing(l2);
        this.lo[t] = lo; this.hi[t] = hi;
        this.clamp(lo, hi);
        this.addTerm(w[t + 1]!, c[t + 1]!);
      } else {
        // no coupling: each coordinate alone
        this.lo[t] = this.crossing(0); this.hi[t] = this.lo[t]!;
        this.m = 0; this.A[0] = 0; this.B[0] = 0;
        this.addTerm(w[t + 1]!, c[t + 1]!);
      }
    }
    let x = this.crossing(0);
    out[T - 1] = x;
    for (let t = T - 2; t >= 0; t--) {
      x = Math.min(Math.max(x, this.lo[t]!), this.hi[t]!); // u_t = clamp(u_{t+1}, x⁻_t, x⁺_t)
      out[t] = x;
    }
  }

  /** ‖u(μ)‖ for weights L + μ (u written to out). */
  private normAt(mu: number, c: Float64Array, L: Float64Array, out: Float64Array): number {
    const T = this.T, w = this.w;
    for (let t = 0; t < T; t++) w[t] = L[t]! + mu;
    this.fusedL1(c, w, out);
    let s = 0;
    for (let t = 0; t < T; t++) s += out[t]! * out[t]!;
    return Math.sqrt(s);
  }

  /**
   * out ← argmin_u Σ_t (L_t/2)u_t² − c_t u_t + λ₁‖u‖₁ + λ₂TV(u) + λ₃‖u‖₂, given that u ≠ 0 (the caller's
   * prox test) when λ₃ > 0.
   * @param c - the linear term (length T)
   * @param L - curvatures ≥ 0, max > 0
   * @param out - the minimiser
   * @param mu0 - warm start for μ = λ₃/‖u‖ (≤ 0: none)
   * @returns μ at the solution (0 when λ₃ = 0)
   * @example
   * ```ts
   * const s = new FusedRowSolver(0.01, 0.05, 0.1, T);
   * mu[j] = s.solve(c, L, row, mu[j]);
   * ```
   */
  solve(c: Float64Array, L: Float64Array, out: Float64Array, mu0 = 0): number {
    const T = this.T, l3 = this.lambda3;
    let Lmax = 0;
    for (let t = 0; t < T; t++) Lmax = Math.max(Lmax, L[t]!);
    if (!(l3 > 0)) {
      const w = this.w;
      for (let t = 0; t < T; t++) w[t] = Math.max(L[t]!, 1e-12 * Lmax);
      this.fusedL1(c, w, out);
      return 0;
    }
    // φ(μ) = μ‖u(μ)‖ − λ₃ < 0 at small μ, > 0 at large μ (u ≠ 0)
    const phi = (mu: number): number => mu * this.normAt(mu, c, L, out) - l3;
    let a = mu0 > 0 ? mu0 : 1e-3 * Lmax + 1e-300, fa = phi(a);
    let b = a, fb = fa;
    for (let k = 0; k < 200 && fa > 0; k++) { b = a; fb = fa; a /= 4; fa = phi(a); }
    for (let k = 0; k < 200 && fb <= 0; k++) { a = b; fa = fb; b *= 4; fb = phi(b); }
    if (fa === 0) { phi(a); return a; }
    // Illinois regula falsi on [a, b], fa < 0 < fb
    let side = 0, mu = b;
    for (let it = 0; it < 100; it++) {
      mu = (a * fb - b * fa) / (fb - fa);
      if (!(mu > a && mu < b)) mu = 0.5 * (a + b);
      const f = phi(mu);
      if (Math.abs(f) <= 1e-14 * l3 || b - a <= 1e-15 * b) break;
      if (f < 0) { a = mu; fa = f; if (side === -1) fb /= 2; side = -1; }
      else { b = mu; fb = f; if (side === 1) fa /= 2; side = 1; }
    }
    return mu; // out holds u(μ) from the last evaluation
  }
}
