/**
 * Euclidean projection onto the capped simplex {x : 0 ≤ x_i ≤ 1, Σ x_i = k}.
 *
 * This is the eigenvalue step of the projection onto {M ∈ Sⁿ : 0 ⪯ M ⪯ I, tr(M) = k} used by the
 * convex relaxation of clustered multi-task learning (Zhou, Chen & Ye 2011) and by convex
 * alternating structure optimisation (Chen, Tang, Liu & Ye 2009): project the eigenvalues of M with
 * this function, keep the eigenvectors.
 *
 * @packageDocumentation
 */

/**
 * Euclidean projection of v onto the capped simplex {x ∈ ℝⁿ : 0 ≤ x_i ≤ 1, Σ_i x_i = k}, a continuous
 * quadratic knapsack problem. The KKT conditions give x_i = clip(v_i − θ, 0, 1) for the θ with
 * Σ_i clip(v_i − θ, 0, 1) = k; that sum is piecewise linear and non-increasing in θ with breakpoints
 * v_i and v_i − 1, so sorting v and walking the breakpoints from the top locates the linear piece
 * that contains the solution, and θ is then computed exactly from the sets of coordinates at 1 and
 * strictly between 0 and 1. O(n log n), exact up to rounding (Σ x_i = k to about 1e-15·n).
 *
 * @param v - the point to project (length n, finite entries; not modified unless `out` is `v`)
 * @param k - the required sum, 0 ≤ k ≤ n (need not be an integer)
 * @param out - output of length ≥ n (may be `v` itself)
 * @param work - optional work buffer of length ≥ n (then the call allocates nothing)
 * @returns `out`, holding the projection in its first n entries
 * @throws TypeError when `v` or `out` is not a Float64Array; RangeError when `k` is not a number in
 *   [0, n], `out` is shorter than v, or v has a non-finite entry
 * @example
 * ```ts
 * projectCappedSimplex(new Float64Array([0.9, 0.8, -0.3]), 1, new Float64Array(3));
 * // θ = 0.35 → [0.55, 0.45, 0]
 * projectCappedSimplex(new Float64Array([3, 2, 1, 0]), 2, new Float64Array(4)); // [1, 1, 0, 0]
 * ```
 * @see Zhou, Chen & Ye, "Clustered multi-task learning via alternating structure optimization",
 *   NIPS 2011 (the projection onto {0 ⪯ M ⪯ I, tr M = k}); Chen, Tang, Liu & Ye, "A convex formulation
 *   for learning shared structures from multiple tasks", ICML 2009; Kiwiel, "Breakpoint searching
 *   algorithms for the continuous quadratic knapsack problem", Math. Program. 112, 2008; Wang & Lu,
 *   "Projection onto the capped simplex", arXiv:1503.01002, 2015.
 */
export function projectCappedSimplex(v: Float64Array, k: number, out: Float64Array, work?: Float64Array): Float64Array {
  if (!(v instanceof Float64Array)) throw new TypeError('v: expected a Float64Array');
  if (!(out instanceof Float64Array)) throw new TypeError('out: expected a Float64Array');
  const n = v.length;
  if (typeof k !== 'number' || !(k >= 0 && k <= n)) {
    throw new RangeError(`k: expected a number with 0 ≤ k ≤ n = ${n} (the length of v), got ${k}`);
  }
  if (out.length < n) throw new RangeError(`out: expected length ≥ ${n} (the length of v), got ${out.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(v[i]!)) throw new RangeError(`v: entries must be finite numbers (v[${i}] = ${v[i]})`);
  }
  if (k === 0) return out.fill(0, 0, n);
  if (k === n) return out.fill(1, 0, n);

  // u = v sorted in decreasing order. Walking θ down from u[0]: coordinate i turns free (0 < x_i)
  // when θ passes below v_i, and saturates (x_i = 1) when θ passes below v_i − 1. Because both lists
  // of breakpoints follow the same order, the first `a` entries of u have passed their upper
  // breakpoint and the first `b` (b ≤ a) their lower one: x = 1 on u[0..b), free on u[b..a).
  // u = the first n entries of `work` (or a new buffer), sorted decreasingly
  const u = work && work.length === n ? work : work && work.length > n ? work.subarray(0, n) : new Float64Array(n);
  u.set(v.subarray(0, n));
  u.sort().reverse();
  let a = 0, b = 0;
  let theta = u[0]!; // current θ, where f(θ) = fCur
  let fCur = 0;
  let found = false;
  let lo = 0; // lower end of the piece containing the solution
  while (a < n || b < n) {
    // next breakpoint below theta
    const up = a < n ? u[a]! : -Infinity;
    const low = u[b]! - 1; // b < a ≤ n whenever a lower breakpoint can be next
    const takeUpper = a < n && (b >= a || up >= low);
    const next = takeUpper ? up : low;
    const free = a - b;
    const fNext = fCur + free * (theta - next);
    if (free > 0 && fNext >= k) {
      found = true;
      lo = next;
      break;
    }
    fCur = fNext;
    theta = next;
    if (takeUpper) a++;
    else b++;
  }
  if (found) {
    // on this piece: Σ_{free} (v_i − θ) + b = k  ⇒  θ = (Σ_{free} v_i − (k − b)) / (a − b)
    let sumFree = 0;
    for (let i = b; i < a; i++) sumFree += u[i]!;
    const hi = theta;
    theta = (sumFree - (k - b)) / (a - b);
    // stay on the piece despite rounding
    if (theta > hi) theta = hi;
    if (theta < lo) theta = lo;
  }
  for (let i = 0; i < n; i++) {
    const x = v[i]! - theta;
    out[i] = x <= 0 ? 0 : x >= 1 ? 1 : x;
  }
  return out;
}
