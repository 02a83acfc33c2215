/**
 * Exact Euclidean projection onto the ℓp ball (1 < p < ∞) and its residual v − Proj (the prox of the
 * dual norm r‖·‖_{p*} by the Moreau identity), the building block of the L1/Lq group-lasso row norms.
 * Vectors are passed as (buffer, offset, length); nothing here allocates.
 *
 * Reference: J. Liu, J. Ye (2010), "Efficient L1/Lq norm regularization", arXiv:1009.4766.
 *
 * @packageDocumentation
 */

/**
 * Solves z + λ z^{p−1} = a for s = log z, with λ = e^σ, a > 0 and la = log a; p − 1 = pm1 > 0.
 * In s, ψ(s) = e^s + e^{σ+(p−1)s} − a is convex and increasing, so Newton's method started from an
 * upper bound of the root decreases monotonically to it, quadratically near it. The start
 * s₀ = min(log a, (log a − σ)/(p−1)) is an upper bound (z ≤ a and λ z^{p−1} ≤ a); the lower bound
 * min(log(a/2), (log(a/2) − σ)/(p−1)) holds because one of the two terms is ≥ a/2. The bracket
 * [lower, upper] (the bracket z ∈ [0, a] tightened and taken in log scale) safeguards every step:
 * a Newton step leaving it (only possible through rounding) is replaced by bisection.
 */
function solveLogZ(a: number, la: number, sigma: number, pm1: number): number {
  const LN2 = 0.6931471805599453;
  const hiB = (la - sigma) / pm1;
  let hi = la < hiB ? la : hiB;
  const lb = la - LN2;
  const loB = (lb - sigma) / pm1;
  let lo = lb < loB ? lb : loB;
  let s = hi;
  // After a Newton step of length h the error is ≤ (ψ''/2ψ') h² ≤ max(1, p−1) h²/2 in s, i.e. relative
  // in z; stop once that is below 1e-17.
  const curv = pm1 > 1 ? pm1 : 1;
  for (let it = 0; it < 100; it++) {
    const ez = Math.exp(s); // z
    const w = Math.exp(sigma + pm1 * s); // λ z^{p−1}
    // ψ(s) = z + λ z^{p−1} − a,  ψ'(s) = z + (p−1) λ z^{p−1}
    const f = ez + w - a;
    if (f === 0) return s;
    if (f < 0) lo = s;
    else hi = s;
    let sn = s - f / (ez + pm1 * w);
    let newton = true;
    if (!(sn >= lo && sn <= hi)) {
      sn = 0.5 * (lo + hi);
      newton = false;
    }
    const h = Math.abs(sn - s);
    s = sn;
    if (newton ? curv * h * h <= 1e-17 : hi - lo <= 1e-16 * (1 + Math.abs(s))) return s;
  }
  return s;
}

/** v inside the ball: Proj(v) = v, so write v (or 0 for the complement); μ = 0. */
function lpInside(
  v: Float64Array,
  vo: number,
  n: number,
  out: Float64Array,
  oo: number,
  complement: boolean,
): number {
  if (complement) for (let i = 0; i < n; i++) out[oo + i] = 0;
  else if (out !== v || oo !== vo) for (let i = 0; i < n; i++) out[oo + i] = v[vo + i]!;
  return 0;
}

/**
 * Shared core of {@link projectLpBall} and {@link projectLpBallComplement}.
 * Writes Proj(v) (complement = false) or v − Proj(v) (complement = true) and returns μ.
 */
function lpBall(
  v: Float64Array,
  vo: number,
  n: number,
  p: number,
  r: number,
  out: Float64Array,
  oo: number,
  complement: boolean,
): number {
  if (!(p > 1 && p < Infinity)) {
    throw new RangeError(`p: expected a number in (1, ∞), got ${p}`);
  }
  // Scaling: M = max |v_i| (at index im), a_i = |v_i| / M ∈ [0, 1] with a_im = 1.
  let m = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[vo + i]!);
    if (a > m) {
      m = a;
      im = i;
    }
  }
  if (m === 0) return lpInside(v, vo, n, out, oo, complement);
  if (!(r > 0)) {
    // Proj = 0
    if (complement) {
      if (out !== v || oo !== vo) for (let i = 0; i < n; i++) out[oo + i] = v[vo + i]!;
    } else for (let i = 0; i < n; i++) out[oo + i] = 0;
    return Infinity;
  }
  // S_p = Σ a_i^p ∈ [1, n], S_{p(p−1)} = Σ a_i^{p(p−1)}: ‖a‖_p = S_p^{1/p}, ‖a^{p−1}‖_p = S_{p(p−1)}^{1/p}
  let sp = 0;
  let spp = 0;
  const pp = p * (p - 1);
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[vo + i]!) / m;
    if (a > 0) {
      sp += Math.pow(a, p);
      spp += Math.pow(a, pp);
    }
  }
  const normA = Math.pow(sp, 1 / p);
  // r' = r / M in log scale (no under/overflow); inside the ball when ‖v‖_p = M‖a‖_p ≤ r
  const logM = Math.log(m);
  const logR = Math.log(r) - logM;
  if (logR >= Math.log(normA) || r / m >= normA) return lpInside(v, vo, n, out, oo, complement);

  const pm1 = p - 1;
  const LN2 = 0.6931471805599453;
  // Bracket for σ = log λ (λ = p·μ in scaled units).
  // Upper: z_i ≤ (a_i/λ)^{1/(p−1)} ≤ λ^{−1/(p−1)} ⇒ ‖z‖_p ≤ n^{1/p} λ^{−1/(p−1)} ≤ r' once
  //        λ ≥ (n^{1/p}/r')^{p−1}.
  let sHi = pm1 * (Math.log(n) / p - logR) + LN2;
  // Lower: z_i ≥ a_i − λ a_i^{p−1} ⇒ ‖z‖_p ≥ ‖a‖_p − λ‖a^{p−1}‖_p > r' while
  //        λ < (‖a‖_p − r') / ‖a^{p−1}‖_p; take half of it.
  const rs = Math.exp(logR);
  let sLo = Math.log((0.5 * (normA - rs)) / Math.pow(spp, 1 / p));
  if (!(sLo < sHi)) sLo = sHi - 60;

  // G(σ) = log ‖z(σ)‖_p − log r' is decreasing in σ;
  // G'(σ) = −Σ_i z_i^p ρ_i / Σ_i z_i^p, where
  // ρ_i = −d log z_i/dσ = λ z_i^{p−1} / (z_i + (p−1) λ z_i^{p−1}).
  // The largest z_i is at the largest a_i (z is increasing in a), so ẑ_i = z_i / z_im ∈ [0, 1].
  let sigma = sLo;
  let g = 0;
  let sMax = 0;
  let logSum = 0;
  for (let it = 0; it < 200; it++) {
    sMax = solveLogZ(1, 0, sigma, pm1); // a_im = 1 ⇒ log a_im = 0
    let sum = 0; // Σ ẑ_i^p
    let dsum = 0; // Σ ẑ_i^p ρ_i
    for (let i = 0; i < n; i++) {
      const a = Math.abs(v[vo + i]!) / m;
      if (a === 0) continue;
      const si = i === im ? sMax : solveLogZ(a, Math.log(a), sigma, pm1);
      const t = Math.exp(p * (si - sMax));
      // ρ_i = 1 / (z_i / (λ z_i^{p−1}) + p − 1) = 1 / (e^{−σ − (p−2) s_i} + p − 1)
      const rho = 1 / (Math.exp(-sigma - (p - 2) * si) + pm1);
      sum += t;
      dsum += t * rho;
    }
    logSum = Math.log(sum);
    g = sMax + logSum / p - logR;
    if (g === 0) break;
    if (g > 0) sLo = sigma;
    else sHi = sigma;
    const gp = -dsum / sum;
    let sn = gp < 0 ? sigma - g / gp : NaN;
    if (!(sn > sLo && sn < sHi)) sn = 0.5 * (sLo + sHi); // safeguard: bisection in log λ
    const step = Math.abs(sn - sigma);
    // |G| is the relative error of ‖z‖_p; stop at 1e-14 or when the bracket is exhausted
    if (Math.abs(g) <= 1e-14 || step <= 1e-15 * (1 + Math.abs(sigma))) break;
    sigma = sn;
  }
  // Final point: x_i = sign(v_i) · r · ẑ_i / ‖ẑ‖_p, which puts x exactly (to rounding) on the sphere
  // ‖x‖_p = r; the rescaling factor e^{−G} differs from 1 by at most the outer tolerance.
  const normHat = Math.exp(logSum / p); // ‖ẑ‖_p ∈ [1, n^{1/p}]
  const scale = r / normHat;
  for (let i = 0; i < n; i++) {
    const vi = v[vo + i]!;
    const a = Math.abs(vi) / m;
    let x = 0;
    if (a > 0) {
      const si = i === im ? sMax : solveLogZ(a, Math.log(a), sigma, pm1);
      // x_i = r ẑ_i / ‖ẑ‖_p; clamp |x_i| ≤ |v_i| (exact in theory, may fail by an ulp after rescaling)
      x = scale * Math.exp(si - sMax);
      const av = Math.abs(vi);
      if (x > av) x = av;
      if (vi < 0) x = -x;
    }
    out[oo + i] = complement ? vi - x : x;
  }
  // μ = λ / p in the original units: z + λ' M^{2−p} z^{p−1} = |v| after undoing the scaling
  return Math.exp(sigma + (2 - p) * logM) / p;
}

/**
 * Euclidean projection onto the ℓp ball of radius r, 1 < p < ∞:
 * out = argmin_x ½‖x − v‖₂² subject to ‖x‖_p ≤ r.
 *
 * KKT conditions (Liu & Ye 2010): x_i = sign(v_i) z_i with z_i ≥ 0 solving z_i + μ p z_i^{p−1} = |v_i|,
 * and μ ≥ 0 with μ = 0 if ‖v‖_p ≤ r, else Σ_i z_i^p = r^p. The work is done on a = |v| / max|v| so
 * that nothing overflows: the outer root-find is on σ = log(pμ) (safeguarded Newton inside a bracket
 * from explicit bounds, bisection in log scale as fallback) until ‖z‖_p = r to 1e-14 relative; the
 * inner per-coordinate equation is solved by monotone safeguarded Newton on log z_i. Robust for p close
 * to 1 (e.g. 50/49) and large p (e.g. 50), zeros in v, r = 0 and v inside the ball. No allocation.
 * In-place (out === v, oo === vo) is allowed.
 *
 * @param v - input vector
 * @param vo - offset into v
 * @param n - number of entries
 * @param p - exponent, 1 < p < ∞
 * @param r - radius, r ≥ 0
 * @param out - output vector
 * @param oo - offset into out
 * @returns the Lagrange multiplier μ ≥ 0 of the constraint Σ|x_i|^p ≤ r^p (0 when v is inside the
 *   ball, ∞ when r = 0 and v ≠ 0; may under/overflow for extreme scales of v and p)
 * @throws RangeError if p is not in (1, ∞)
 * @example
 * ```ts
 * const x = new Float64Array(2);
 * projectLpBall(new Float64Array([3, 4]), 0, 2, 2, 1, x, 0); // x = [0.6, 0.8], μ = 2
 * ```
 * @see {@link projectLpBallComplement} (v − Proj, the prox of the dual norm)
 * @see {@link projectL1Ball} (p = 1)
 * @see Liu & Ye (2010), "Efficient L1/Lq norm regularization", arXiv:1009.4766
 */
export function projectLpBall(v: Float64Array, vo: number, n: number, p: number, r: number, out: Float64Array, oo: number): number {
  return lpBall(v, vo, n, p, r, out, oo, false);
}

/**
 * out = v − Proj_{r B_p}(v), the residual of the Euclidean projection onto the ℓp ball of radius r
 * (1 < p < ∞). By the Moreau identity this is the proximal operator of r‖·‖_{p*},
 * 1/p + 1/p* = 1: prox_{r‖·‖_{p*}}(v) = v − Proj_{r B_p}(v). Computed as in {@link projectLpBall} but
 * written directly as the residual, so that in-place calls (out === v, oo === vo) work.
 *
 * @param v - input vector
 * @param vo - offset into v
 * @param n - number of entries
 * @param p - exponent of the ball, 1 < p < ∞
 * @param r - radius, r ≥ 0
 * @param out - output vector
 * @param oo - offset into out
 * @returns the Lagrange multiplier μ of the projection (see {@link projectLpBall})
 * @throws RangeError if p is not in (1, ∞)
 * @example
 * ```ts
 * // prox of ‖·‖₂ with τ = 1 at [3, 4]: [3, 4] · (1 − 1/5) = [2.4, 3.2]
 * const z = new Float64Array(2);
 * projectLpBallComplement(new Float64Array([3, 4]), 0, 2, 2, 1, z, 0);
 * ```
 * @see {@link projectLpBall}
 * @see Liu & Ye (2010), "Efficient L1/Lq norm regularization", arXiv:1009.4766
 */
export function projectLpBallComplement(v: Float64Array, vo: number, n: number, p: number, r: number, out: Float64Array, oo: number): number {
  return lpBall(v, vo, n, p, r, out, oo, true);
}
