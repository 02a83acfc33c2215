/**
 * The one orthonormalisation kernel (modified Gram–Schmidt, twice), for rows and for columns.
 *
 * @packageDocumentation
 */
import { transposeInto } from './mat.js';

/**
 * Orthonormalises the rows of the h×d matrix Θ in place by modified Gram–Schmidt applied twice
 * ("twice is enough": Giraud, Langou & Rozložník, Comput. Math. Appl. 50, 2005), so ΘΘᵀ = I to
 * about 1e-15. A row that becomes numerically dependent is replaced by the coordinate vector least
 * represented in the span of the previous rows, then orthonormalised.
 * @param theta - h×d row-major, h ≤ d (overwritten)
 * @param h - rows
 * @param d - columns
 * @example
 * ```ts
 * orthonormalizeRows(theta, 3, 10); // theta·thetaᵀ = I₃
 * ```
 * @see {@link orthonormalizeColumns}
 */
export function orthonormalizeRows(theta: Float64Array, h: number, d: number): void {
  for (let i = 0; i < h; i++) {
    const io = i * d;
    let norm0 = 0;
    for (let c = 0; c < d; c++) norm0 += theta[io + c]! * theta[io + c]!;
    norm0 = Math.sqrt(norm0);
    for (let attempt = 0; attempt < 2; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < i; p++) {
          const po = p * d;
          let ip = 0;
          for (let c = 0; c < d; c++) ip += theta[po + c]! * theta[io + c]!;
          for (let c = 0; c < d; c++) theta[io + c]! -= ip * theta[po + c]!;
        }
      }
      let nrm = 0;
      for (let c = 0; c < d; c++) nrm += theta[io + c]! * theta[io + c]!;
      nrm = Math.sqrt(nrm);
      if (nrm > 1e-10 * Math.max(norm0, 1e-300) && nrm > 0) {
        for (let c = 0; c < d; c++) theta[io + c]! /= nrm;
        break;
      }
      // dependent row: restart from the coordinate vector with the smallest projection on the span
      let best = 0, bestVal = Infinity;
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let p = 0; p < i; p++) s += theta[p * d + c]! * theta[p * d + c]!;
        if (s < bestVal) {
          bestVal = s;
          best = c;
        }
      }
      theta.fill(0, io, io + d);
      theta[io + best] = 1;
      norm0 = 1;
    }
  }
}

/**
 * Orthonormalises the columns of the m×n matrix A (m ≥ n) in place: A ← Q of A = QR with R's diagonal
 * positive (Gram–Schmidt twice on the transpose), so AᵀA = I to about 1e-15.
 * @param A - m×n row-major (overwritten)
 * @param m - rows
 * @param n - columns (≤ m)
 * @param work - m·n scratch @default a new buffer
 * @example
 * ```ts
 * orthonormalizeColumns(P, d, h); // PᵀP = I_h
 * ```
 * @see {@link orthonormalizeRows}
 */
export function orthonormalizeColumns(A: Float64Array, m: number, n: number, work = new Float64Array(m * n)): void {
  transposeInto(A, m, n, work); // work = Aᵀ (n×m)
  orthonormalizeRows(work, n, m);
  transposeInto(work, n, m, A);
}
