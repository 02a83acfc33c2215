/**
 * The working-set selection of `bcd`: the p rows of largest score, in O(m) (quickselect) instead of a
 * sort of all candidates with a comparator per check (the sort was 4 % of a 200×500×5 fit, issue #11).
 *
 * The working-set size of a warm-started fit ({@link strongZeroRows}): the nonzero rows of W plus the
 * zero rows in the sequential strong set, as glmnet sizes its active set along a path (Friedman,
 * Hastie & Tibshirani, "Regularization paths for generalized linear models via coordinate descent",
 * J. Stat. Softw. 33, 2010; Tibshirani, Bien, Friedman, Hastie, Simon, Taylor & Tibshirani, "Strong
 * rules for discarding predictors in lasso-type problems", JRSS B 74, 2012). The strong rule keeps
 * zero row j at λ when ‖v_j‖_{q*} ≥ 2λ − λ_prev, v = −∇f(W). After a warm start from the previous
 * fit's solution the nonzero rows have ‖v_j‖_{q*} = λ_prev, so λ_prev is read off as max_j ‖v_j‖_{q*}
 * and no previous λ needs to be passed; at later checks of the same fit that maximum falls to λ and
 * the set becomes the zero rows that violate ‖v_j‖_{q*} ≤ λ. Rows the rule misses show up as
 * violations at the next full check, which takes them in.
 *
 * The inner tolerance of a working set ({@link innerTolerance}): how far its sweeps go before the next full check.
 *
 * @packageDocumentation
 */
import type { RowNorm } from '../penalties/types.js';

/** The k-th largest of a[0..m) (1 ≤ k ≤ m), by quickselect (Hoare partition, median-of-three); a is permuted. */
function kthLargest(a: Float64Array, m: number, k: number): number {
  const target = k - 1;
  let lo = 0, hi = m - 1;
  while (lo < hi) {
    const x = a[lo]!, y = a[(lo + hi) >> 1]!, z = a[hi]!;
    const piv = x > y ? (y > z ? y : x > z ? z : x) : (x > z ? x : y > z ? z : y); // median of three
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! > piv) i++;
      while (a[j]! < piv) j--;
      if (i <= j) { const t = a[i]!; a[i] = a[j]!; a[j] = t; i++; j--; }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target]!;
  }
  return a[target]!;
}

/**
 * out[0..p) = the p entries j of order[0..m) with the largest score[j], in the order they have in
 * `order`; among equal scores the earlier ones — the first p of a stable sort by decreasing score.
 * @param order - candidate rows (m entries)
 * @param m - how many candidates
 * @param score - a score per row (no NaN; ∞ allowed)
 * @param p - how many to keep, 1 ≤ p ≤ m
 * @param out - output (≥ p entries)
 * @param work - scratch of ≥ m doubles
 * @returns nothing
 * @example
 * ```ts
 * topRows(Int32Array.of(0, 1, 2, 3), 4, Float64Array.of(1, Infinity, 3, 3), 2, out, work); // out = [1, 2]
 * ```
 * @see bcd's working sets
 */
export function topRows(order: Int32Array, m: number, score: Float64Array, p: number, out: Int32Array, work: Float64Array): void {
  for (let a = 0; a < m; a++) work[a] = score[order[a]!]!;
  const tau = kthLargest(work, m, p);
  let above = 0;
  for (let a = 0; a < m; a++) if (score[order[a]!]! > tau) above++;
  let ties = p - above, c = 0;
  for (let a = 0; a < m; a++) {
    const j = order[a]!, s = score[j]!;
    if (s > tau || (s === tau && ties-- > 0)) out[c++] = j;
  }
}

/**
 * Counts the zero rows of the sequential strong set among rows[0..count): ‖v_j‖_{q*} ≥ 2λ − max_i ‖v_i‖_{q*}
 * (the maximum over the same rows).
 * @param rows - the candidate rows (the rows not screened out)
 * @param count - how many entries of `rows` to use
 * @param score - `bcd`'s working-set scores, Infinity at the nonzero rows of W (not counted)
 * @param V - −∇f(W), d×T row-major
 * @param T - row length
 * @param norm - the row norm (its dual norm measures v_j)
 * @param lambda - λ > 0
 * @param work - work buffer of length ≥ d (receives ‖v_j‖_{q*} at index j)
 * @returns the number of zero rows in the strong set
 * @example
 * ```ts
 * const p = Math.max(wsMin, nnz + strongZeroRows(order, nActive, score, V, T, norm, lambda, work));
 * ```
 * @see {@link topRows}
 */
export function strongZeroRows(
  rows: Int32Array, count: number, score: Float64Array, V: Float64Array, T: number, norm: RowNorm, lambda: number,
  work: Float64Array,
): number {
  let vmax = 0;
  for (let a = 0; a < count; a++) {
    const j = rows[a]!;
    const v = norm.dualNorm(V, j * T, T);
    work[j] = v;
    if (v > vmax) vmax = v;
  }
  // strong rule: ‖v_j‖ ≥ 2λ − λ_prev, λ_prev = max_j ‖v_j‖ (≥ λ only while some row violates)
  const threshold = 2 * lambda - Math.max(vmax, lambda);
  let m = 0;
  for (let a = 0; a < count; a++) {
    const j = rows[a]!;
    if (score[j] !== Infinity && work[j]! >= threshold) m++;
  }
  return m;
}

/** {@link innerTolerance} aims at the certificate while the gap is above this many times tolAbs. */
export const FAR_GAP = 30;

/**
 * The largest KKT violation (seen during a sweep) at which `bcd` stops sweeping a working set and checks
 * the full problem: 0.3 of the last full check's largest violation kktMax, 0.1 from a warm start (issue
 * #11). From the second check of a warm start on, while the gap is still above {@link FAR_GAP}·tolAbs, the
 * sweeps aim at the violation the certificate needs instead, saving the checks in between (measured on
 * the 50-point paths of 200×2000×5 and 2000×500×5 at tol 1e-9: 309 → 197 and 194 → 150 checks, with
 * 3 % fewer and 1 % more row steps): for the group lasso the gap is about max_j ‖v_j‖/λ − 1 times
 * ⟨V, W⟩ ≈ λ Σ_j ‖w^j‖, so violations ≤ tolAbs / Σ_j ‖w^j‖ certify; the sweeps go down to no less than
 * 1e-3·kktMax, so a working set that misses rows is not solved far beyond what its next check can use.
 * @param warm - whether the fit started from a nonzero W
 * @param checks - full checks done in this fit, the current one included
 * @param kktMax - the largest KKT violation at the current check
 * @param gap - the certificate at the current check
 * @param tolAbs - the tolerance on the certificate
 * @param rowNormSum - Σ_j ‖w^j‖_q at the current check (0: no duality gap of this form)
 * @returns the tolerance on the sweeps' largest violation
 * @example
 * ```ts
 * const innerTol = innerTolerance(warm, history.length, kktMax, gap, tolAbs, (primal - loss) / lambda);
 * ```
 * @see {@link strongZeroRows}
 */
export function innerTolerance(warm: boolean, checks: number, kktMax: number, gap: number, tolAbs: number, rowNormSum: number): number {
  if (!warm) return 0.3 * kktMax;
  const base = 0.1 * kktMax;
  if (checks < 2 || !(rowNormSum > 0) || !(gap > FAR_GAP * tolAbs)) return base;
  return Math.min(base, Math.max(tolAbs / rowNormSum, 1e-3 * kktMax));
}
