/**
 * Cholesky factorisation and solves of symmetric positive definite systems — the one Cholesky of the
 * package, with its pivot tolerance.
 *
 * @packageDocumentation
 */

/** The default relative pivot tolerance of {@link choleskyFactor}: a pivot ≤ tol·max_i A_ii fails. */
export const CHOLESKY_TOLERANCE = 1e-13;

/**
 * Cholesky factorisation A = LLᵀ of a symmetric positive definite n×n matrix, in place: the lower
 * triangle of `A` receives L (the strict upper triangle is left untouched). Fails (returns false) when
 * a pivot is ≤ tol·max_i A_ii (default {@link CHOLESKY_TOLERANCE}), i.e. A is singular or indefinite to rounding.
 * @param n - order
 * @param A - n×n row-major (lower triangle overwritten by L)
 * @param tol - relative pivot tolerance @default 1e-13 ({@link CHOLESKY_TOLERANCE})
 * @returns whether the factorisation succeeded
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 3]);
 * choleskyFactor(2, A); // true; A's lower triangle = [[2, ·], [1, √2]]
 * ```
 * @see {@link choleskySolveFactored}; Golub & Van Loan, *Matrix Computations* (4th ed.), Algorithm 4.2.1
 */
export function choleskyFactor(n: number, A: Float64Array, tol = CHOLESKY_TOLERANCE): boolean {
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(A[i * n + i]!));
  const floor = tol * dmax;
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let s = A[jo + j]!;
    for (let k = 0; k < j; k++) s -= A[jo + k]! * A[jo + k]!;
    if (!(s > floor)) return false;
    const ljj = Math.sqrt(s);
    A[jo + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let t = A[io + j]!;
      for (let k = 0; k < j; k++) t -= A[io + k]! * A[jo + k]!;
      A[io + j] = t * inv;
    }
  }
  return true;
}

/**
 * Solves LLᵀx = b with the factor from {@link choleskyFactor}.
 * @param n - order
 * @param L - the factor (lower triangle of an n×n row-major array)
 * @param b - right-hand side (length n; not modified unless it is `x`)
 * @param x - solution (length n; may alias b)
 * @example
 * ```ts
 * if (choleskyFactor(d, A)) choleskySolveFactored(d, A, rhs, w);
 * ```
 * @see {@link choleskyFactor}
 */
export function choleskySolveFactored(n: number, L: Float64Array, b: Float64Array, x: Float64Array): void {
  if (x !== b) x.set(b.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const io = i * n;
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[io + k]! * x[k]!;
    x[i] = s / L[io + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
}

/**
 * Solves the SPD system A x = b (A n×n row-major, not modified) by a Cholesky factorisation into `work`.
 * @param n - order
 * @param A - the matrix (read only)
 * @param b - right-hand side (length n)
 * @param x - solution (length n; may alias b)
 * @param work - n×n scratch @default a new buffer
 * @param tol - relative pivot tolerance @default 1e-13
 * @returns false (x untouched) when A is not numerically positive definite
 * @example
 * ```ts
 * choleskySolve(2, new Float64Array([4, 2, 2, 3]), new Float64Array([2, 1]), x); // true
 * ```
 * @see {@link choleskyFactor}
 */
export function choleskySolve(
  n: number, A: Float64Array, b: Float64Array, x: Float64Array, work = new Float64Array(n * n), tol = CHOLESKY_TOLERANCE,
): boolean {
  work.set(A.subarray(0, n * n));
  if (!choleskyFactor(n, work, tol)) return false;
  choleskySolveFactored(n, work, b, x);
  return true;
}
