/**
 * The working-set selection of `bcd`: the p rows of largest score, in O(m) (quickselect) instead of a
 * sort of all candidates with a comparator per check (the sort was 4 % of a 200×500×5 fit, issue #11).
 *
 * @packageDocumentation
 */

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
