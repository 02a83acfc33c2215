/**
 * σ_max(A)² by power iteration on AᵀA, for any A given by its two products (a dense matrix, a design
 * centred on the fly): the one power iteration of the package. Deterministic start (all ones plus a
 * fixed ramp). Returns an estimate from below that is accurate to about `tol` relative; callers that
 * need an upper bound (step sizes) must backtrack. The products run once per iteration (off the hot
 * path), so passing them as callbacks costs nothing measurable.
 *
 * @packageDocumentation
 */
import { dot, gemv, gemvT } from './jsKernels.js';

/**
 * σ_max(A)² for A m×k given by u = A v and v = Aᵀ u, by power iteration on AᵀA.
 * @param m - rows of A
 * @param k - columns of A
 * @param times - writes u = A v (u length m, v length k)
 * @param transposeTimes - writes v = Aᵀ u
 * @param maxIter - iteration cap
 * @param tol - relative change at which to stop
 * @returns an estimate of σ_max(A)² (0 for an empty or zero A)
 * @example
 * ```ts
 * powerIterationNormSquared(n, d, (v, u) => D.times(v, 1, u), (u, v) => D.transposeTimes(u, 1, v), 100, 1e-6);
 * ```
 * @see {@link spectralNormSquared}
 */
export function powerIterationNormSquared(
  m: number, k: number, times: (v: Float64Array, u: Float64Array) => void,
  transposeTimes: (u: Float64Array, v: Float64Array) => void, maxIter: number, tol: number,
): number {
  if (m === 0 || k === 0) return 0;
  const v = new Float64Array(k);
  const u = new Float64Array(m);
  for (let j = 0; j < k; j++) v[j] = 1 + j / k;
  let nv = Math.sqrt(dot(k, v, 0, v, 0)); // ‖v‖₂
  for (let j = 0; j < k; j++) v[j]! /= nv;
  let est = 0;
  for (let it = 0; it < maxIter; it++) {
    times(v, u); // u = A v
    transposeTimes(u, v); // v = Aᵀ u
    nv = Math.sqrt(dot(k, v, 0, v, 0));
    if (nv === 0) return 0;
    for (let j = 0; j < k; j++) v[j]! /= nv;
    const prev = est;
    est = nv; // ‖AᵀA v‖ with ‖v‖ = 1
    if (Math.abs(est - prev) <= tol * est) break;
  }
  return est;
}

/**
 * Largest singular value squared of A (m×k row-major), σ_max(A)², by power iteration on AᵀA
 * ({@link powerIterationNormSquared} with the JavaScript matrix–vector products).
 * @param m - rows
 * @param k - columns
 * @param A - matrix
 * @param maxIter - iteration cap
 * @param tol - relative change at which to stop
 * @returns an estimate of σ_max(A)²
 * @example
 * ```ts
 * spectralNormSquared(2, 2, new Float64Array([3, 0, 0, 1])); // ≈ 9
 * ```
 * @see {@link powerIterationNormSquared}
 */
export function spectralNormSquared(m: number, k: number, A: Float64Array, maxIter = 100, tol = 1e-6): number {
  return powerIterationNormSquared(
    m, k, (v, u) => gemv(m, k, A, 0, v, 0, u, 0, 0), (u, v) => gemvT(m, k, A, 0, u, 0, v, 0, 0), maxIter, tol,
  );
}
