/**
 * The ridge term ρ‖W‖²_F of the non-convex subspace models ({@link lowRank}, {@link aso}) and its
 * scale-invariant default `'auto'`.
 *
 * Without it, the infimum of these models need not be attained: with per-task intercepts each task's
 * centred design can be rank-deficient in its own directions (School: every school's centred design
 * has rank 4–15 of 28, all together 18), and ‖W‖ then grows without bound along a minimising sequence,
 * so no solver can meet a stationarity tolerance. Any ρ > 0 makes the objective coercive, so a
 * minimiser exists. `'auto'` sets ρ = c·L with L the loss's curvature scale — the largest eigenvalue of
 * the loss Hessian, i.e. the Lipschitz constant of ∇L the solvers already compute
 * (max_t 2 s_t σ_max(X̃_t)², in the chosen loss scale) — and c = {@link AUTO_RIDGE_FACTOR}: scaling X by
 * a and Y by b scales L by a² and W by b/a, so the fitted W scales exactly as without the ridge.
 *
 * @packageDocumentation
 */
import { checkNumber, describeValue } from '../util/checks.js';

/**
 * The factor c of `ridge: 'auto'` (ρ = c·L). Chosen from {1e-6, 1e-5, 1e-4, 1e-3} as the smallest value
 * with which `lowRank` (rank 3) and `aso` (h = 3, λ = 0.1) converge at their defaults on School in
 * < 2 s each (bench/subspaceRidge.ts, CPU time on a loaded machine): it changes their in-sample loss on
 * School by at most 0.4 % against the ridge-free runs at their iteration caps, where c = 1e-4 changes
 * it by 14–16 % and c = 1e-3 by 45–50 %.
 * @example
 * ```ts
 * const rho = AUTO_RIDGE_FACTOR * loss.lipschitz();
 * ```
 */
export const AUTO_RIDGE_FACTOR = 1e-6;

/**
 * Checks the `ridge` option: a number ≥ 0 or `'auto'`.
 * @param v - the user's value (undefined: `'auto'`)
 * @param context - the model, for the message
 * @returns the checked value
 * @throws TypeError / RangeError naming `ridge`, the model and the expected range
 * @example
 * ```ts
 * checkRidgeOption(undefined, 'lowRank'); // 'auto'
 * checkRidgeOption(0.5, 'lowRank');       // 0.5
 * ```
 * @see {@link resolveRidge}
 */
export function checkRidgeOption(v: unknown, context: string): number | 'auto' {
  if (v === undefined || v === 'auto') return 'auto';
  if (typeof v !== 'number') throw new TypeError(`${context}: ridge: expected a finite number ≥ 0 or 'auto', got ${describeValue(v)}`);
  return checkNumber(v, `${context}: ridge`, { min: 0, max: Number.MAX_VALUE });
}

/**
 * The numeric ρ of a checked `ridge` option.
 * @param ridge - a number ≥ 0, or `'auto'`
 * @param curvature - the loss's curvature scale L (the Lipschitz constant of ∇L); called only for `'auto'`
 * @returns ρ (`'auto'`: {@link AUTO_RIDGE_FACTOR}·L, or 0 when L is not finite and positive, e.g. all-zero data)
 * @example
 * ```ts
 * resolveRidge('auto', () => loss.lipschitz()); // 1e-6·L (AUTO_RIDGE_FACTOR)
 * ```
 * @see {@link checkRidgeOption}
 */
export function resolveRidge(ridge: number | 'auto', curvature: () => number): number {
  if (ridge !== 'auto') return ridge;
  const L = curvature();
  return Number.isFinite(L) && L > 0 ? AUTO_RIDGE_FACTOR * L : 0;
}
