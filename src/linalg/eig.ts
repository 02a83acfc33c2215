/**
 * Symmetric eigendecomposition: Householder tridiagonalisation followed by the implicit symmetric QR
 * iteration with Wilkinson shifts (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.3), written
 * for row-major `Float64Array` storage.
 *
 * Layout notes (what makes it fast in V8):
 * - the tridiagonalisation keeps only the upper triangle up to date, so the symmetric matrix-vector
 *   product and the rank-2 update both run along contiguous rows (4n³/3 flops);
 * - the orthogonal factor Q is accumulated backwards from the stored reflectors (4n³/3 flops);
 * - the Givens rotations of one QR sweep are recorded and then applied row by row to Q, each row a
 *   contiguous walk with one carried value (the pattern of LAPACK's `dlasr`), so the O(n³) part of
 *   the iteration streams through memory once per sweep.
 *
 * @packageDocumentation
 */
import type { Mat } from '../types.js';
import { kernelBackend } from './blas.js';
import { allocF64, isWasmResident } from './wasm/matrix.js';
import { accumulateQ, NB, tridiagonalQR, tridiagonalize } from './tridiagonal.js';


/**
 * Preallocated buffers for {@link symEig} on n×n matrices, so repeated decompositions (inside a solver
 * loop) allocate nothing. Create with {@link createSymEigWorkspace}.
 */
export interface SymEigWorkspace {
  /** The matrix order the buffers are sized for. */
  readonly n: number;
  /** @internal working copy of the matrix (n×n); reflectors are stored in its upper triangle. */
  readonly a: Float64Array;
  /** @internal orthogonal factor being accumulated (n×n, row-major). */
  readonly q: Float64Array;
  /** @internal diagonal of the tridiagonal matrix, then the (unsorted) eigenvalues. */
  readonly d: Float64Array;
  /** @internal off-diagonal of the tridiagonal matrix. */
  readonly e: Float64Array;
  /** @internal Householder scalars τ. */
  readonly tau: Float64Array;
  /** @internal a reflector / a vector of length n. */
  readonly v: Float64Array;
  /** @internal a second vector of length n. */
  readonly w: Float64Array;
  /** @internal rotation cosines of one sweep. */
  readonly cs: Float64Array;
  /** @internal rotation sines of one sweep. */
  readonly sn: Float64Array;
  /** @internal sort permutation. */
  readonly perm: Int32Array;
  /** @internal block of reflectors V (n×NB). */
  readonly vb: Float64Array;
  /** @internal block triangular factor T (NB×NB). */
  readonly tb: Float64Array;
  /** @internal Vᵀ·Q block (NB×n). */
  readonly wb: Float64Array;
  /** @internal packed trailing block of Q (n×n). */
  readonly pk: Float64Array;
}

/**
 * Allocates the buffers {@link symEigInto} needs for n×n matrices.
 * @param n - matrix order (a non-negative integer)
 * @returns a workspace to pass to {@link symEigInto} (reusable across calls of the same size)
 * @throws RangeError when `n` is not a non-negative integer
 * @example
 * ```ts
 * const work = createSymEigWorkspace(50);
 * for (const M of matrices) symEigInto(M, values, vectorsT, work); // no allocation per call
 * ```
 * @see {@link symEigInto}
 */
export function createSymEigWorkspace(n: number): SymEigWorkspace {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n: expected a non-negative integer, got ${n}`);
  return {
    n,
    a: new Float64Array(n * n),
    q: allocF64(n * n), // resident in the WebAssembly kernels' memory (rotateRows runs there)
    d: new Float64Array(n),
    e: new Float64Array(n),
    tau: new Float64Array(n),
    v: new Float64Array(n),
    w: new Float64Array(n),
    cs: allocF64(n),
    sn: allocF64(n),
    perm: new Int32Array(n),
    vb: new Float64Array(n * NB),
    tb: new Float64Array(NB * NB),
    wb: new Float64Array(NB * n),
    pk: allocF64(n * n),
  };
}

/**
 * The power of two 2^p with 2^p·amax in [0.5, 1), for exact (rounding-free) prescaling of a matrix
 * before forming Gram matrices or Householder vectors.
 * @internal shared with the SVD
 * @param amax - the largest absolute entry (≥ 0)
 * @returns 2^p, or 1 when amax is 0 or not finite
 * @example
 * ```ts
 * powerOfTwoScale(3); // 0.25 (3 · 0.25 = 0.75)
 * ```
 * @see {@link symEigInto}
 */
export function powerOfTwoScale(amax: number): number {
  if (!(amax > 0) || !Number.isFinite(amax)) return 1;
  const p = Math.floor(Math.log2(amax)) + 1;
  // split the exponent so neither factor under/overflows
  return Math.pow(2, -Math.trunc(p / 2)) * Math.pow(2, -(p - Math.trunc(p / 2)));
}


function checkSquare(A: Mat, name: string): number {
  if (typeof A !== 'object' || A === null || !(A.data instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a Mat { rows, cols, data: Float64Array }`);
  }
  const n = A.rows;
  if (!Number.isInteger(n) || n < 0 || A.cols !== n || A.data.length < n * n) {
    throw new RangeError(`${name}: expected a square n×n Mat with data of length n², got ${A.rows}×${A.cols} (data length ${A.data.length})`);
  }
  return n;
}

/**
 * Copies the symmetric part of A, scaled by a power of two, into work.a; returns the scale.
 * Throws when A has non-finite entries or is visibly non-symmetric.
 */
function loadSymmetric(A: Mat, n: number, work: SymEigWorkspace, name: string): number {
  const src = A.data;
  let amax = 0;
  for (let i = 0; i < n * n; i++) {
    const x = Math.abs(src[i]!);
    if (!(x <= Number.MAX_VALUE)) throw new RangeError(`${name}: entries must be finite numbers (entry ${i} is ${src[i]})`);
    if (x > amax) amax = x;
  }
  const sc = powerOfTwoScale(amax);
  const a = work.a;
  let asym = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = src[i * n + j]!, y = src[j * n + i]!;
      const diff = Math.abs(x - y);
      if (diff > asym) asym = diff;
      const v = 0.5 * (x * sc + y * sc);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  if (asym > 1e-8 * amax) {
    throw new RangeError(`${name}: expected a symmetric matrix (max |A(i,j) − A(j,i)| = ${asym}, max |A(i,j)| = ${amax})`);
  }
  return sc;
}

/**
 * Symmetric eigendecomposition into preallocated buffers: eigenvalues in descending order and the
 * eigenvectors **as rows** of `vectorsT` (row j = the unit eigenvector of `values[j]`), i.e.
 * A = vectorsTᵀ · diag(values) · vectorsT. Allocates nothing.
 *
 * @param A - symmetric n×n {@link Mat} (its symmetric part (A + Aᵀ)/2 is used)
 * @param values - output, length ≥ n: eigenvalues, descending
 * @param vectorsT - output, length ≥ n², row-major n×n: row j is eigenvector j; pass `null` to compute
 *   eigenvalues only (about 2n³/3 instead of about 9n³ flops)
 * @param work - buffers from {@link createSymEigWorkspace}(n)
 * @returns `values`
 * @throws TypeError when `A` is not a Mat; RangeError when `A` is not square, not symmetric (to 1e-8
 *   relative), has non-finite entries, or a buffer is too small
 * @example
 * ```ts
 * const work = createSymEigWorkspace(2);
 * const vals = new Float64Array(2), vecsT = new Float64Array(4);
 * symEigInto({ rows: 2, cols: 2, data: new Float64Array([2, 1, 1, 2]) }, vals, vecsT, work);
 * // vals = [3, 1]; vecsT rows = ±[1, 1]/√2, ±[1, −1]/√2
 * ```
 * @see {@link symEig} for the allocating version; Golub & Van Loan, *Matrix Computations* (4th ed.),
 *   Algorithms 8.3.1 (Householder tridiagonalisation) and 8.3.3 (symmetric QR algorithm).
 */
export function symEigInto(A: Mat, values: Float64Array, vectorsT: Float64Array | null, work: SymEigWorkspace): Float64Array {
  const n = checkSquare(A, 'A');
  if (work.n !== n) throw new RangeError(`work: workspace is for n = ${work.n}, but A is ${n}×${n}`);
  if (!(values instanceof Float64Array) || values.length < n) throw new RangeError(`values: expected a Float64Array of length ≥ ${n}`);
  if (vectorsT !== null && (!(vectorsT instanceof Float64Array) || vectorsT.length < n * n)) {
    throw new RangeError(`vectorsT: expected a Float64Array of length ≥ ${n * n} (or null)`);
  }
  const sc = loadSymmetric(A, n, work, 'A');
  symEigCore(n, work, values, vectorsT);
  const inv = 1 / sc;
  for (let j = 0; j < n; j++) values[j]! *= inv;
  return values;
}

/**
 * Eigendecomposition of the symmetric matrix already stored (full, row-major) in `work.a`: no
 * validation, no scaling; `work.a` is overwritten.
 * @internal used by the SVD, which writes its Gram matrix straight into `work.a`
 * @param n - the order (must equal `work.n`)
 * @param work - workspace from {@link createSymEigWorkspace}(n), matrix in `work.a`
 * @param values - output, eigenvalues in descending order (length ≥ n)
 * @param vectorsT - output, eigenvectors as rows (n×n), or `null` for eigenvalues only
 * @example
 * ```ts
 * const w = createSymEigWorkspace(2); w.a.set([2, 1, 1, 2]);
 * const vals = new Float64Array(2); symEigCore(2, w, vals, null); // vals = [3, 1]
 * ```
 * @see {@link symEigInto} (the validated entry point)
 */
export function symEigCore(n: number, work: SymEigWorkspace, values: Float64Array, vectorsT: Float64Array | null): void {
  const { a, q, d, e, tau, v, w, cs, sn, perm } = work;
  if (n === 0) return;
  tridiagonalize(n, a, d, e, tau, v, w);
  if (vectorsT !== null) accumulateQ(n, a, tau, q, work);
  // with the WebAssembly kernels, rotate the rows of Qᵀ (SIMD across columns; bit-identical results)
  const rows = vectorsT !== null && n >= 8 && kernelBackend() === 'wasm' && isWasmResident(work.pk) && isWasmResident(cs);
  if (rows) {
    const { pk } = work;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pk[j * n + i] = q[i * n + j]!; // pk = Qᵀ
  }
  tridiagonalQR(n, d, e, vectorsT !== null ? (rows ? work.pk : q) : null, cs, sn, rows);
  // sort descending (insertion sort on the permutation: n is at most a few hundred)
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 1; i < n; i++) {
    const pi = perm[i]!;
    const di = d[pi]!;
    let j = i - 1;
    while (j >= 0 && d[perm[j]!]! < di) {
      perm[j + 1] = perm[j]!;
      j--;
    }
    perm[j + 1] = pi;
  }
  for (let j = 0; j < n; j++) values[j] = d[perm[j]!]!;
  if (vectorsT !== null && rows) {
    for (let j = 0; j < n; j++) vectorsT.set(work.pk.subarray(perm[j]! * n, perm[j]! * n + n), j * n);
  } else if (vectorsT !== null) {
    for (let j = 0; j < n; j++) {
      const col = perm[j]!;
      const ro = j * n;
      for (let i = 0; i < n; i++) vectorsT[ro + i] = q[i * n + col]!;
    }
  }
}

/**
 * Symmetric eigendecomposition A = V·diag(λ)·Vᵀ: Householder tridiagonalisation, then the implicit
 * QR iteration with Wilkinson shifts; backward stable, eigenvalues accurate to about 1e-15·‖A‖ and
 * eigenvectors orthonormal to about 1e-14.
 *
 * @param A - symmetric n×n {@link Mat} (row-major; its symmetric part (A + Aᵀ)/2 is used)
 * @returns `values` (length n, descending) and `vectors` (n×n, column j is the unit eigenvector of
 *   `values[j]`)
 * @throws TypeError when `A` is not a Mat; RangeError when `A` is not square, not symmetric (to 1e-8
 *   relative) or has non-finite entries
 * @example
 * ```ts
 * const { values, vectors } = symEig({ rows: 2, cols: 2, data: new Float64Array([2, 1, 1, 2]) });
 * // values = [3, 1]; vectors columns = ±[1, 1]/√2, ±[1, −1]/√2
 * ```
 * @see {@link symEigInto} (no allocation), {@link symMatrixFunction}; Golub & Van Loan,
 *   *Matrix Computations* (4th ed., 2013), §8.3.
 */
export function symEig(A: Mat): { values: Float64Array; vectors: Mat } {
  const n = checkSquare(A, 'A');
  const work = createSymEigWorkspace(n);
  const values = new Float64Array(n);
  const vt = new Float64Array(n * n);
  symEigInto(A, values, vt, work);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) vectors[i * n + j] = vt[j * n + i]!;
  return { values, vectors: { rows: n, cols: n, data: vectors } };
}

/**
 * A spectral function of a symmetric matrix: f(A) = V·diag(f(λ₁), …, f(λₙ))·Vᵀ for A = V·diag(λ)·Vᵀ.
 * Used for (ηI + M)⁻¹ (clustered / convex ASO models) and (WWᵀ + εI)^{1/2} (multi-task feature
 * learning). The result is exactly symmetric.
 *
 * @param A - symmetric n×n {@link Mat}
 * @param f - scalar function applied to each eigenvalue (its second argument is the eigenvalue's rank,
 *   0 = largest); must return finite numbers
 * @param out - optional n×n output (may be `A` itself)
 * @returns f(A) as an n×n {@link Mat} (`out` when given)
 * @throws TypeError when `A` is not a Mat or `f` is not a function; RangeError as in {@link symEig},
 *   when `out` has the wrong shape, or when `f` returns a non-finite value
 * @example
 * ```ts
 * const M = { rows: 2, cols: 2, data: new Float64Array([2, 1, 1, 2]) };
 * const inv = symMatrixFunction(M, (l) => 1 / (0.5 + l)); // (0.5 I + M)⁻¹
 * const root = symMatrixFunction(M, (l) => Math.sqrt(Math.max(l, 0))); // M^{1/2}
 * ```
 * @see {@link symEig}; Higham, *Functions of Matrices* (SIAM 2008), §1.2 and §4.
 */
export function symMatrixFunction(A: Mat, f: (lambda: number, index: number) => number, out?: Mat): Mat {
  const n = checkSquare(A, 'A');
  if (typeof f !== 'function') throw new TypeError('f: expected a function (lambda, index) => number');
  if (out !== undefined) {
    if (typeof out !== 'object' || out === null || !(out.data instanceof Float64Array)) throw new TypeError('out: expected a Mat');
    if (out.rows !== n || out.cols !== n || out.data.length < n * n) throw new RangeError(`out: expected a ${n}×${n} Mat, got ${out.rows}×${out.cols}`);
  }
  const work = createSymEigWorkspace(n);
  const values = new Float64Array(n);
  const vt = new Float64Array(n * n);
  symEigInto(A, values, vt, work);
  const fv = work.d;
  for (let j = 0; j < n; j++) {
    const y = f(values[j]!, j);
    if (typeof y !== 'number' || !Number.isFinite(y)) throw new RangeError(`f: returned ${y} for eigenvalue ${values[j]} (index ${j}); expected a finite number`);
    fv[j] = y;
  }
  const res = out ?? { rows: n, cols: n, data: new Float64Array(n * n) };
  const r = res.data;
  // r = Σ_j f_j v_j v_jᵀ, computed on the upper triangle (rows of vt contiguous), then mirrored
  r.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    const fj = fv[j]!;
    if (fj === 0) continue;
    const vo = j * n;
    for (let i = 0; i < n; i++) {
      const a = fj * vt[vo + i]!;
      if (a === 0) continue;
      const ro = i * n;
      for (let k = i; k < n; k++) r[ro + k]! += a * vt[vo + k]!;
    }
  }
  for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) r[k * n + i] = r[i * n + k]!;
  return res;
}
