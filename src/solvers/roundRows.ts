/**
 * The rows a working set's sweeps visit (issue #11). The zero rows of a working set whose dual norm ‖v_j‖_{q*}
 * at the full check was below {@link SKIP_FIRST}·λ (padding of the working set, far from entering: their
 * optimality condition ‖v_j‖ ≤ λ held with room) sit out the round's sweeps; after the round's first sweep, so do
 * the zero rows below {@link SKIP_BELOW}·λ, as in
 * glmnet's active-set cycling (Friedman, Hastie & Tibshirani, "Regularization paths for generalized linear
 * models via coordinate descent", J. Stat. Softw. 33, 2010) inside Celer's working sets. The next full check
 * sees every row again, so the certificate is unchanged; a skipped row's step would mostly have been a row
 * gradient with no update (a pass over R and the column, as costly as a changed row's fused step). Measured on
 * the #11 grid's residual-form cells: 11–40 % fewer row steps at the same number of checks (SKIP_BELOW alone; with
 * SKIP_FIRST 2–33 % fewer again).
 *
 * @packageDocumentation
 */
import type { RowNorm } from '../penalties/types.js';

/** Zero rows with ‖v_j‖_{q*} < SKIP_BELOW·λ at the check skip a round's sweeps after its first. */
export const SKIP_BELOW = 0.99;
/** Zero rows with ‖v_j‖_{q*} < SKIP_FIRST·λ at the check skip all of a round's sweeps. */
export const SKIP_FIRST = 0.6;

/**
 * out[0..m) = the rows of ws[0..p), in order, that are nonzero in W or had ‖v_j‖_{q*} ≥ bound at the check.
 * @param ws - the working set
 * @param p - its size
 * @param W - d×T weights (at the check, or after the round's first sweep)
 * @param T - tasks
 * @param V - −∇f at the check (exact on the working-set rows)
 * @param norm - the row norm (its dual norm measures v_j)
 * @param bound - the smallest ‖v_j‖_{q*} at which a zero row is kept (SKIP_FIRST·λ or SKIP_BELOW·λ)
 * @param out - output (≥ p entries)
 * @returns m, the number of rows kept
 * @example
 * ```ts
 * const m = roundRows(ws, p, W, T, V, norm, SKIP_BELOW * lambda, list); // sweep list[0..m) from now on
 * ```
 * @see {@link SKIP_BELOW}, {@link SKIP_FIRST}
 */
export function roundRows(ws: Int32Array, p: number, W: Float64Array, T: number, V: Float64Array, norm: RowNorm, bound: number, out: Int32Array): number {
  let m = 0;
  for (let a = 0; a < p; a++) {
    const j = ws[a]!, o = j * T;
    let keep = false;
    for (let t = 0; t < T; t++) if (W[o + t] !== 0) { keep = true; break; }
    if (keep || norm.dualNorm(V, o, T) >= bound) out[m++] = j;
  }
  return m;
}
