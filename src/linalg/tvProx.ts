/**
 * The proximal operator of one-dimensional total variation (the fused-lasso signal approximator):
 * x = argmin_x ½ Σ_t (x_t − y_t)² + λ Σ_t |x_{t+1} − x_t|, by the direct, non-iterative algorithm of
 * L. Condat, "A direct algorithm for 1-D total variation denoising", IEEE Signal Processing Letters
 * 20(11), 2013 — O(T) in practice, exact up to rounding.
 *
 * The algorithm runs along the signal keeping, for the current segment that starts at k₀, the range
 * [v_min, v_max] of values the segment can still take, with the running dual residuals u_min, u_max
 * (the partial sums of y − v, which must stay in [−λ, λ] as the dual variable of the difference at
 * the segment end). When the lower value can no longer be kept (u_min < −λ) a segment is closed at
 * v_min (a jump down follows); symmetrically at v_max; at the end of the signal the last segment is
 * closed at the value that makes its residual exact.
 *
 * @packageDocumentation
 */

/**
 * out[oo .. oo+n) = prox_{λ TV}(y[yo .. yo+n)), TV(x) = Σ_t |x_{t+1} − x_t|. `out` may be `y` at the
 * same offset (in place): an output index is written only after the last read of that input index
 * (closed segments lie before k₀, every read is at k₀ or later).
 * @param y - the input buffer
 * @param yo - the input's offset
 * @param n - its length
 * @param lambda - λ ≥ 0
 * @param out - the output buffer (may be `y` at the same offset)
 * @param oo - the output's offset
 * @returns nothing
 * @example
 * ```ts
 * const x = new Float64Array(2);
 * tvProx(Float64Array.of(0, 3), 0, 2, 1, x, 0); // x = [1, 2]
 * ```
 * @see L. Condat, IEEE SPL 20(11), 2013
 */
export function tvProx(y: Float64Array, yo: number, n: number, lambda: number, out: Float64Array, oo: number): void {
  if (n <= 0) return;
  if (!(lambda > 0) || n === 1) {
    for (let t = 0; t < n; t++) out[oo + t] = y[yo + t]!;
    return;
  }
  const lam = lambda, twoLam = 2 * lambda;
  let k = 0, k0 = 0, kMinus = 0, kPlus = 0;
  let vMin = y[yo]! - lam, vMax = y[yo]! + lam; // the range of the current segment's value
  let uMin = lam, uMax = -lam; // the dual residuals at the lower and upper value
  for (;;) {
    while (k === n - 1) {
      // end of the signal: close segments until the last one's residual is consistent
      if (uMin < 0) {
        // the lower value overshoots: segment [k0, kMinus] at vMin, restart after it
        while (k0 <= kMinus) out[oo + k0++] = vMin;
        k = kMinus = k0;
        vMin = y[yo + k]!;
        uMin = lam;
        uMax = vMin + uMin - vMax;
      } else if (uMax > 0) {
        while (k0 <= kPlus) out[oo + k0++] = vMax;
        k = kPlus = k0;
        vMax = y[yo + k]!;
        uMax = -lam;
        uMin = vMax + uMax - vMin;
      } else {
        // the last segment [k0, n−1] takes vMin corrected by its mean residual
        vMin += uMin / (k - k0 + 1);
        while (k0 <= k) out[oo + k0++] = vMin;
        return;
      }
    }
    const next = y[yo + k + 1]!;
    uMin += next - vMin;
    if (uMin < -lam) {
      // a jump down after the segment [k0, kMinus] at vMin
      while (k0 <= kMinus) out[oo + k0++] = vMin;
      k = kMinus = kPlus = k0;
      vMin = y[yo + k]!;
      vMax = vMin + twoLam;
      uMin = lam;
      uMax = -lam;
      continue;
    }
    uMax += next - vMax;
    if (uMax > lam) {
      // a jump up after the segment [k0, kPlus] at vMax
      while (k0 <= kPlus) out[oo + k0++] = vMax;
      k = kMinus = kPlus = k0;
      vMax = y[yo + k]!;
      vMin = vMax - twoLam;
      uMin = lam;
      uMax = -lam;
      continue;
    }
    // the segment extends to k + 1; tighten its range
    k++;
    if (uMin >= lam) {
      kMinus = k;
      vMin += (uMin - lam) / (kMinus - k0 + 1);
      uMin = lam;
    }
    if (uMax <= -lam) {
      kPlus = k;
      vMax += (uMax + lam) / (kPlus - k0 + 1);
      uMax = -lam;
    }
  }
}
