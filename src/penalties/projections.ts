/**
 * Exact Euclidean projections onto ℓ1 and ℓp balls, and a scaled ℓp norm (the ℓp-ball projection
 * itself is in `lpBall.ts`, re-exported here). These are the building
 * blocks of the proximal operators of the L1/Lq group-lasso row norms: by the Moreau identity,
 * prox_{τ‖·‖_q}(v) = v − Proj_{τ B_{q*}}(v), where B_{q*} is the unit ball of the dual norm.
 *
 * Vectors are passed as (buffer, offset, length), like everywhere in `mtlearn`; nothing here allocates
 * unless a work buffer is omitted.
 *
 * References:
 * - J. Duchi, S. Shalev-Shwartz, Y. Singer, T. Chandra (2008), "Efficient projections onto the
 *   ℓ1-ball for learning in high dimensions", ICML.
 * - J. Liu, J. Ye (2010), "Efficient L1/Lq norm regularization", arXiv:1009.4766.
 *
 * @packageDocumentation
 */
export { projectLpBall, projectLpBallComplement } from './lpBall.js';

/**
 * The ℓp norm (Σ_i |x_i|^p)^{1/p} of x[off .. off+n), for p ∈ [1, ∞], computed with scaling by
 * max_i |x_i| so that it neither overflows nor underflows for any finite input.
 *
 * @param x - vector
 * @param off - offset into x
 * @param n - number of entries
 * @param p - exponent, 1 ≤ p ≤ ∞ (not checked)
 * @returns ‖x[off .. off+n)‖_p (0 for n = 0)
 * @example
 * ```ts
 * lpNorm(new Float64Array([3, 4]), 0, 2, 2); // 5
 * lpNorm(new Float64Array([1e300, 1e300]), 0, 2, 3); // 1e300 · 2^{1/3}
 * ```
 * @see {@link projectLpBall} (the projection onto the ball of this norm)
 * @see Liu & Ye (2010), "Efficient L1/Lq norm regularization"
 */
export function lpNorm(x: Float64Array, off: number, n: number, p: number): number {
  if (p === 1) {
    // ‖x‖₁ = Σ |x_i|
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(x[off + i]!);
    return s;
  }
  // M = max_i |x_i|
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[off + i]!);
    if (a > m) m = a;
  }
  if (p === Infinity || m === 0 || m === Infinity || Number.isNaN(m)) return m;
  const inv = 1 / m;
  let s = 0;
  if (p === 2) {
    // ‖x‖₂ = M · sqrt(Σ (x_i / M)²)
    for (let i = 0; i < n; i++) {
      const t = x[off + i]! * inv;
      s += t * t;
    }
    return m * Math.sqrt(s);
  }
  // ‖x‖_p = M · (Σ (|x_i| / M)^p)^{1/p}, each term in [0, 1] and the sum in [1, n]
  for (let i = 0; i < n; i++) {
    const t = Math.abs(x[off + i]!) * inv;
    if (t > 0) s += Math.pow(t, p);
  }
  return m * Math.pow(s, 1 / p);
}

/**
 * The soft-threshold θ of the Euclidean projection onto the ℓ1 ball {x : ‖x‖₁ ≤ r}: the projection is
 * x_i = sign(v_i) · max(|v_i| − θ, 0), with θ = 0 when ‖v‖₁ ≤ r and otherwise the unique θ > 0 with
 * Σ_i max(|v_i| − θ, 0) = r.
 *
 * Exact (finitely many operations, no iteration to a tolerance): the pivot algorithm of Duchi et al.
 * (2008, Fig. 2), with a deterministic median-of-three pivot, run in place on a copy of |v| in `work`.
 * Expected O(n) time on inputs in random order, O(n²) in the worst case.
 *
 * @param v - input vector (not modified)
 * @param vo - offset into v
 * @param n - number of entries
 * @param r - radius, r ≥ 0 (r ≤ 0 gives θ = max_i |v_i|, i.e. the projection 0)
 * @param work - scratch buffer of length ≥ n (overwritten); allocated if omitted
 * @returns θ ≥ 0
 * @throws RangeError if `work` is shorter than n
 * @example
 * ```ts
 * l1BallThreshold(new Float64Array([3, -1, 0.5]), 0, 3, 2); // 1 — projection [2, 0, 0]
 * ```
 * @see {@link projectL1Ball}
 * @see Duchi, Shalev-Shwartz, Singer & Chandra (2008), "Efficient projections onto the ℓ1-ball for
 *   learning in high dimensions", ICML
 */
export function l1BallThreshold(
  v: Float64Array,
  vo: number,
  n: number,
  r: number,
  work?: Float64Array,
): number {
  if (work !== undefined && work.length < n) {
    throw new RangeError(`work: expected a buffer of length ≥ n = ${n}, got ${work.length}`);
  }
  const u = work ?? new Float64Array(n);
  // u_i = |v_i|, total = ‖v‖₁, umax = ‖v‖_∞
  let total = 0;
  let umax = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[vo + i]!);
    u[i] = a;
    total += a;
    if (a > umax) umax = a;
  }
  if (total <= r) return 0;
  if (!(r > 0)) return umax;

  // Invariant: [0, lo) holds the elements already known to be in the support (sum s, count rho);
  // [lo, hi) the undecided ones; [hi, n) the ones known to be off the support.
  let lo = 0;
  let hi = n;
  let s = 0;
  let rho = 0;
  while (lo < hi) {
    // median-of-three pivot, moved to position lo
    const mid = lo + ((hi - lo) >> 1);
    const last = hi - 1;
    const a = u[lo]!, b = u[mid]!, c = u[last]!;
    let k: number;
    if (a < b) k = b < c ? mid : a < c ? last : lo;
    else k = a < c ? lo : b < c ? last : mid;
    const pv = u[k]!;
    u[k] = u[lo]!;
    u[lo] = pv;
    // partition [lo+1, hi): G = {u_j ≥ pv} to the front; ds = Σ_{j∈G} u_j, |G| = m − lo
    let m = lo + 1;
    let ds = pv;
    for (let j = lo + 1; j < hi; j++) {
      const t = u[j]!;
      if (t >= pv) {
        u[j] = u[m]!;
        u[m] = t;
        ds += t;
        m++;
      }
    }
    const dr = m - lo;
    // Duchi et al.: (s + Δs) − (ρ + Δρ) · u_k < r ⇔ u_k lies above the threshold, so all of G is in
    // the support; otherwise none of the pivot-or-smaller elements are, and we recurse into G \ {k}.
    if (s + ds - (rho + dr) * pv < r) {
      s += ds;
      rho += dr;
      lo = m;
    } else {
      lo = lo + 1;
      hi = m;
    }
  }
  // θ = (Σ_{i∈support} |v_i| − r) / |support|   (rho ≥ 1: the largest entry is always in the support)
  const theta = (s - r) / rho;
  return theta > 0 ? theta : 0;
}

/**
 * Euclidean projection onto the ℓ1 ball of radius r:
 * out = argmin_x ½‖x − v‖₂² subject to ‖x‖₁ ≤ r, i.e. x_i = sign(v_i) · max(|v_i| − θ, 0) with θ from
 * {@link l1BallThreshold}. Exact (Duchi et al. 2008). In-place (out === v, oo === vo) is allowed.
 *
 * @param v - input vector
 * @param vo - offset into v
 * @param n - number of entries
 * @param r - radius, r ≥ 0
 * @param out - output vector
 * @param oo - offset into out
 * @param work - scratch buffer of length ≥ n; allocated if omitted (pass one in hot loops)
 * @returns the threshold θ ≥ 0 (the Lagrange multiplier of the constraint)
 * @example
 * ```ts
 * const x = new Float64Array(3);
 * projectL1Ball(new Float64Array([3, -1, 0.5]), 0, 3, 2, x, 0); // x = [2, 0, 0], returns 1
 * ```
 * @see {@link l1BallThreshold}
 * @see Duchi, Shalev-Shwartz, Singer & Chandra (2008), "Efficient projections onto the ℓ1-ball for
 *   learning in high dimensions", ICML
 */
export function projectL1Ball(
  v: Float64Array,
  vo: number,
  n: number,
  r: number,
  out: Float64Array,
  oo: number,
  work?: Float64Array,
): number {
  const theta = l1BallThreshold(v, vo, n, r, work);
  if (theta === 0) {
    if (out !== v || oo !== vo) for (let i = 0; i < n; i++) out[oo + i] = v[vo + i]!;
    return 0;
  }
  // x_i = sign(v_i) · max(|v_i| − θ, 0)
  for (let i = 0; i < n; i++) {
    const x = v[vo + i]!;
    out[oo + i] = x > theta ? x - theta : x < -theta ? x + theta : 0;
  }
  return theta;
}
