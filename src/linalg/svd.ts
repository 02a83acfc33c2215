/**
 * Thin singular value decomposition and the spectral operations built on it (singular-value
 * thresholding, the spectral norm), for the hot loops of the low-rank models (trace-norm prox,
 * rank-constrained projection, ASO subspace step). The entry points are here; the algorithm
 * (eigen-warm-started one-sided Jacobi) is described and implemented in `svdJacobi.ts`, the
 * workspace and data layout in `svdWorkspace.ts`.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { gemmTN } from './blas.js';
import { symEigCore } from './eig.js';
import { decompose, gramRows } from './svdJacobi.js';
import { checkMat, checkShape, getWork, loadScaled, permutedTranspose, type SvdWorkspace } from './svdWorkspace.js';

export { createSvdWorkspace, type SvdWorkspace } from './svdWorkspace.js';

/**
 * Thin SVD into preallocated outputs: A = U·diag(s)·Vᵀ with U m×k, s of length k (descending,
 * non-negative), V n×k, k = min(m, n); the columns of U and of V are orthonormal (also for zero
 * singular values: the basis is completed). Allocates nothing when `work` is given.
 *
 * @param A - the m×n {@link Mat} to decompose (finite entries; not modified)
 * @param U - output, m×k
 * @param s - output, length ≥ k
 * @param V - output, n×k
 * @param work - optional buffers from {@link createSvdWorkspace}(m, n)
 * @throws TypeError when an argument is not a Mat / Float64Array; RangeError on a shape mismatch or a
 *   non-finite entry of A
 * @example
 * ```ts
 * const work = createSvdWorkspace(500, 50);
 * const U = zeros(500, 50), V = zeros(50, 50), s = new Float64Array(50);
 * thinSvdInto(A, U, s, V, work); // no allocation
 * ```
 * @see {@link thinSvd} (module documentation describes the algorithm); Demmel & Veselić, "Jacobi's
 *   method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13(4), 1992; Hestenes, "Inversion of
 *   matrices by biorthogonalization", J. SIAM 6(1), 1958; Golub & Van Loan, *Matrix Computations*
 *   (4th ed., 2013), §8.6.
 */
export function thinSvdInto(A: Mat, U: Mat, s: Float64Array, V: Mat, work?: SvdWorkspace): void {
  checkMat(A, 'A');
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  checkShape(U, m, k, 'U');
  checkShape(V, n, k, 'V');
  if (!(s instanceof Float64Array) || s.length < k) throw new TypeError(`s: expected a Float64Array of length ≥ ${k}`);
  const w = getWork(A, work);
  const sc = decompose(A, w);
  const inv = 1 / sc;
  for (let j = 0; j < k; j++) s[j] = w.nrm[w.perm[j]!]! * inv;
  if (m >= n) {
    permutedTranspose(w.b, m, k, w.perm, U.data);
    permutedTranspose(w.vt, n, k, w.perm, V.data);
  } else {
    permutedTranspose(w.vt, m, k, w.perm, U.data);
    permutedTranspose(w.b, n, k, w.perm, V.data);
  }
}

/**
 * Thin singular value decomposition A = U·diag(s)·Vᵀ.
 *
 * One-sided (Hestenes) Jacobi on the min(m, n) columns of the tall orientation of A, warm-started by
 * the eigenvectors of the small Gram matrix (see the module documentation). Backward stable:
 * ‖A − U·diag(s)·Vᵀ‖_F ≲ 1e-15·‖A‖_F, ‖UᵀU − I‖ and ‖VᵀV − I‖ ≲ 1e-14 (each entry ≤ max(2ε, ε·√max(m,n))).
 *
 * @param A - the m×n {@link Mat} to decompose (finite entries; not modified)
 * @param options - `work`: buffers from {@link createSvdWorkspace}(m, n), so only the returned arrays
 *   are allocated
 * @returns `U` (m×k), `s` (length k, descending, ≥ 0) and `V` (n×k), k = min(m, n); U's and V's
 *   columns are orthonormal, including those of zero singular values (completed basis)
 * @throws TypeError when `A` is not a Mat; RangeError when an entry of `A` is not finite or the
 *   workspace has the wrong size
 * @example
 * ```ts
 * const A = { rows: 3, cols: 2, data: new Float64Array([3, 0, 0, 2, 0, 0]) };
 * const { U, s, V } = thinSvd(A); // s = [3, 2], U = [[±1, 0], [0, ±1], [0, 0]], V = ±I
 * ```
 * @see {@link thinSvdInto}, {@link singularValueThreshold}, {@link spectralNorm};
 *   Demmel & Veselić, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13(4),
 *   1204–1245, 1992; Drmač & Veselić, "New fast and accurate Jacobi SVD algorithm I", SIAM J. Matrix
 *   Anal. Appl. 29(4), 2008; Golub & Van Loan, *Matrix Computations* (4th ed., 2013), §8.6.
 */
export function thinSvd(A: Mat, options?: { work?: SvdWorkspace }): { U: Mat; s: Float64Array; V: Mat } {
  checkMat(A, 'A');
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  const U: Mat = { rows: m, cols: k, data: new Float64Array(m * k) };
  const V: Mat = { rows: n, cols: k, data: new Float64Array(n * k) };
  const s = new Float64Array(k);
  thinSvdInto(A, U, s, V, options?.work);
  return { U, s, V };
}

/**
 * Singular value soft-thresholding, the proximal operator of τ‖·‖_* (nuclear / trace norm):
 * out = U·diag(max(s − τ, 0))·Vᵀ = argmin_Z ½‖Z − A‖²_F + τ‖Z‖_*.
 * Allocates nothing sizeable when `work` is given (only `s` and the result object).
 *
 * @param A - the m×n {@link Mat} (not modified unless `out` is `A`)
 * @param tau - threshold τ ≥ 0 (finite)
 * @param out - m×n output; may be `A` itself
 * @param work - optional buffers from {@link createSvdWorkspace}(m, n)
 * @returns `rank`: the number of singular values of A above τ (the rank of `out`); `s`: all singular
 *   values of **A** (descending, a new array), so ‖out‖_* = Σ max(s_i − τ, 0) and σ_max(A) = s[0]
 * @throws TypeError when `A`/`out` is not a Mat; RangeError when `tau` is negative or not finite, or
 *   on shape mismatches
 * @example
 * ```ts
 * const work = createSvdWorkspace(d, T);
 * const { rank } = singularValueThreshold(Z, step * lambda, W, work); // W = prox_{step·λ‖·‖_*}(Z)
 * ```
 * @see {@link thinSvd}; Cai, Candès & Shen, "A singular value thresholding algorithm for matrix
 *   completion", SIAM J. Optim. 20(4), 2010 (Theorem 2.1); Ji & Ye, "An accelerated gradient method for
 *   trace norm minimization", ICML 2009.
 */
export function singularValueThreshold(A: Mat, tau: number, out: Mat, work?: SvdWorkspace): { rank: number; s: Float64Array } {
  checkMat(A, 'A');
  if (typeof tau !== 'number' || !(tau >= 0) || !Number.isFinite(tau)) {
    throw new RangeError(`tau: expected a finite number ≥ 0, got ${tau}`);
  }
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  checkShape(out, m, n, 'out');
  const w = getWork(A, work);
  const sc = decompose(A, w);
  const inv = 1 / sc;
  const s = new Float64Array(k);
  let rank = 0;
  for (let j = 0; j < k; j++) {
    s[j] = w.nrm[w.perm[j]!]! * inv;
    if (s[j]! > tau) rank++;
  }
  // out = Σ_{j<rank} (s_j − τ) · left_j · right_jᵀ as one product Pᵀ·Q with P (rank×m) holding the
  // scaled left vectors and Q (rank×n) the right vectors, both gathered into the free buffers
  const left = m >= n ? w.b : w.vt; // rows of length m
  const right = m >= n ? w.vt : w.b; // rows of length n
  const P = m >= n ? w.x : w.c; // rank·m doubles (k·L when tall, k² when wide)
  const Q = m >= n ? w.c : w.x; // rank·n doubles (k² when tall, k·L when wide)
  for (let j = 0; j < rank; j++) {
    const r = w.perm[j]!;
    const f = s[j]! - tau;
    for (let i = 0; i < m; i++) P[j * m + i] = f * left[r * m + i]!;
    for (let i = 0; i < n; i++) Q[j * n + i] = right[r * n + i]!;
  }
  gemmTN(m, n, rank, P, Q, out.data, 0);
  return { rank, s };
}

/**
 * Spectral norm σ_max(A) (the largest singular value; the dual norm of the trace norm), as
 * √λ_max(G) of the smaller Gram matrix G = AᵀA or AAᵀ (exact power-of-two prescaling, Householder
 * tridiagonalisation, eigenvalues only). Relative accuracy about max(m, n)^{1/2}·1e-16.
 *
 * @param A - an m×n {@link Mat} with finite entries
 * @param work - optional buffers from {@link createSvdWorkspace}(m, n)
 * @returns σ_max(A) (0 for an empty or zero matrix)
 * @throws TypeError when `A` is not a Mat; RangeError when an entry is not finite or `work` has the
 *   wrong size
 * @example
 * ```ts
 * spectralNorm({ rows: 2, cols: 2, data: new Float64Array([3, 0, 0, 1]) }); // 3
 * ```
 * @see {@link thinSvd}; Golub & Van Loan, *Matrix Computations* (4th ed.), §2.3 and §8.3.
 */
export function spectralNorm(A: Mat, work?: SvdWorkspace): number {
  checkMat(A, 'A');
  const w = getWork(A, work);
  const sc = loadScaled(A, w);
  if (w.k === 0) return 0;
  gramRows(w.k, w.L, w.x, w.eig.a);
  symEigCore(w.k, w.eig, w.vals, null);
  return Math.sqrt(Math.max(w.vals[0]!, 0)) / sc;
}
