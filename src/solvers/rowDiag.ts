/**
 * The row subproblem of block coordinate descent with per-coordinate curvatures, for penalties
 * without an exact `proxRowDiag` (see `bcd.ts`).
 *
 * @packageDocumentation
 */
import type { BcdPenalty } from './bcd.js';

/**
 * out ← argmin_w Σ_t (L_t/2) w_t² − b_t w_t + h_j(w) by FISTA on this T-dimensional problem (step
 * 1/max L), started at `out` (the current row); used when the penalty has no exact `proxRowDiag`.
 * @param h - the row penalty (only its row prox is used)
 * @param j - the row
 * @param b - linear term (length T)
 * @param L - per-coordinate curvatures (length T)
 * @param Lmax - max_t L_t > 0
 * @param out - start on entry, the minimiser on exit
 * @param k - scratch: y, prev, g of length T
 * @example
 * ```ts
 * solveRowDiag(new GroupNormPenalty(0.1, Infinity, T), j, b, L, Math.max(...L), row, { y, prev, g });
 * ```
 */
export function solveRowDiag(
  h: Pick<BcdPenalty, 'proxRow'>, j: number, b: Float64Array, L: Float64Array, Lmax: number, out: Float64Array,
  k: { readonly y: Float64Array; readonly prev: Float64Array; readonly g: Float64Array },
): void {
  const T = b.length, y = k.y, prev = k.prev, g = k.g;
  y.set(out);
  let tk = 1;
  for (let it = 0; it < 30; it++) {
    prev.set(out);
    // out = prox_{h/Lmax}(y − (L ⊙ y − b)/Lmax)
    for (let t = 0; t < T; t++) g[t] = y[t]! - (L[t]! * y[t]! - b[t]!) / Lmax;
    h.proxRow(g, 1 / Lmax, j, out);
    const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    let dmax = 0, wmax = 0;
    for (let t = 0; t < T; t++) {
      const dx = out[t]! - prev[t]!;
      y[t] = out[t]! + ((tk - 1) / tn) * dx;
      dmax = Math.max(dmax, Math.abs(dx));
      wmax = Math.max(wmax, Math.abs(out[t]!));
    }
    tk = tn;
    if (dmax <= 1e-11 * wmax || wmax === 0) break;
  }
}
