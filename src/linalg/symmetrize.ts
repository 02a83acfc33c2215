/**
 * The one symmetrisation kernel: A ← (A + Aᵀ)/2.
 *
 * @packageDocumentation
 */

/**
 * Symmetrises the n×n row-major matrix A in place: A ← (A + Aᵀ)/2.
 * @param A - n×n row-major (overwritten)
 * @param n - order
 * @returns A
 * @example
 * ```ts
 * symmetrize(new Float64Array([1, 2, 0, 1]), 2); // [1, 1, 1, 1]
 * ```
 * @see {@link symEig}
 */
export function symmetrize(A: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // a_ij = a_ji = (a_ij + a_ji)/2
      const v = 0.5 * (A[i * n + j]! + A[j * n + i]!);
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  return A;
}
