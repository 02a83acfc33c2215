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

const EPS = 2.220446049250313e-16;

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
    q: new Float64Array(n * n),
    d: new Float64Array(n),
    e: new Float64Array(n),
    tau: new Float64Array(n),
    v: new Float64Array(n),
    w: new Float64Array(n),
    cs: new Float64Array(n),
    sn: new Float64Array(n),
    perm: new Int32Array(n),
  };
}

/** Power of two 2^p with 2^p · amax in [0.5, 1) (exact scaling); 1 when amax is 0. */
export function powerOfTwoScale(amax: number): number {
  if (!(amax > 0) || !Number.isFinite(amax)) return 1;
  const p = Math.floor(Math.log2(amax)) + 1;
  // split the exponent so neither factor under/overflows
  return Math.pow(2, -Math.trunc(p / 2)) * Math.pow(2, -(p - Math.trunc(p / 2)));
}

/**
 * Householder reduction of the symmetric n×n matrix held (upper triangle) in `a` to tridiagonal form
 * T = Qᵀ A Q. Writes diag(T) to d[0..n), the superdiagonal to e[0..n-1), the reflectors to the upper
 * triangle of `a` (row k holds v_k from column k+2 on, v_k(0) = 1 implicit) and their scalars to tau.
 */
function tridiagonalize(n: number, a: Float64Array, d: Float64Array, e: Float64Array, tau: Float64Array, v: Float64Array, p: Float64Array): void {
  for (let k = 0; k + 2 < n; k++) {
    const rk = k * n;
    const len = n - k - 1; // size of the trailing block
    const alpha = a[rk + k + 1]!;
    let sigma = 0;
    for (let j = k + 2; j < n; j++) sigma += a[rk + j]! * a[rk + j]!;
    d[k] = a[rk + k]!;
    if (sigma === 0) {
      // already in tridiagonal form in this column: H = I
      e[k] = alpha;
      tau[k] = 0;
      continue;
    }
    const xnorm = Math.sqrt(alpha * alpha + sigma);
    const beta = alpha >= 0 ? -xnorm : xnorm; // H x = beta e1
    const t = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    e[k] = beta;
    tau[k] = t;
    v[0] = 1;
    for (let j = 1; j < len; j++) {
      const vj = a[rk + k + 1 + j]! * scale;
      v[j] = vj;
      a[rk + k + 1 + j] = vj; // keep the reflector for the accumulation of Q
    }
    // p = t · A22 v, A22 = trailing block (upper triangle stored), rows contiguous
    p.fill(0, 0, len);
    for (let i = 0; i < len; i++) {
      const ro = (k + 1 + i) * n + (k + 1);
      const vi = v[i]!;
      let s = a[ro + i]! * vi;
      for (let j = i + 1; j < len; j++) {
        const aij = a[ro + j]!;
        s += aij * v[j]!;
        p[j]! += aij * vi;
      }
      p[i]! += s;
    }
    let pv = 0;
    for (let i = 0; i < len; i++) {
      p[i]! *= t;
      pv += p[i]! * v[i]!;
    }
    // w = p − (t/2)(pᵀv) v, stored in p
    const h = 0.5 * t * pv;
    for (let i = 0; i < len; i++) p[i]! -= h * v[i]!;
    // A22 ← A22 − v wᵀ − w vᵀ on the upper triangle
    for (let i = 0; i < len; i++) {
      const ro = (k + 1 + i) * n + (k + 1);
      const vi = v[i]!, wi = p[i]!;
      for (let j = i; j < len; j++) a[ro + j]! -= vi * p[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 2) * n + n - 1]!;
    tau[n - 2] = 0;
  }
  if (n >= 1) {
    d[n - 1] = a[(n - 1) * n + n - 1]!;
    e[n - 1] = 0;
  }
}

/** Q = H_0 H_1 ⋯ H_{n-3} from the reflectors left in `a` by {@link tridiagonalize} (backward accumulation). */
function accumulateQ(n: number, a: Float64Array, tau: Float64Array, q: Float64Array, w: Float64Array): void {
  q.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const t = tau[k]!;
    if (t === 0) continue;
    const c0 = k + 1; // the reflector acts on rows/columns c0..n-1
    const len = n - c0;
    const rk = k * n + c0; // v(0) = 1 at a[rk] (implicit), v(j) = a[rk + j]
    // w = t · vᵀ Q[c0:, c0:]  (row axpys)
    w.fill(0, 0, len);
    for (let i = 0; i < len; i++) {
      const vi = i === 0 ? 1 : a[rk + i]!;
      if (vi === 0) continue;
      const ro = (c0 + i) * n + c0;
      for (let j = 0; j < len; j++) w[j]! += vi * q[ro + j]!;
    }
    for (let j = 0; j < len; j++) w[j]! *= t;
    // Q[c0:, c0:] −= v wᵀ
    for (let i = 0; i < len; i++) {
      const vi = i === 0 ? 1 : a[rk + i]!;
      if (vi === 0) continue;
      const ro = (c0 + i) * n + c0;
      for (let j = 0; j < len; j++) q[ro + j]! -= vi * w[j]!;
    }
  }
}

/**
 * Implicit symmetric QR iteration with Wilkinson shifts on the tridiagonal (d, e); when `q` is given,
 * the rotations are applied to its columns (q ← q·J), so q's columns become the eigenvectors of the
 * original matrix. Eigenvalues are left unsorted in d.
 */
function tridiagonalQR(n: number, d: Float64Array, e: Float64Array, q: Float64Array | null, cs: Float64Array, sn: Float64Array): void {
  let hi = n - 1;
  let iter = 0;
  const maxIter = 40 * Math.max(n, 1);
  while (hi > 0) {
    // deflate converged off-diagonals at the bottom
    const bq = e[hi - 1]!;
    if (Math.abs(bq) <= EPS * (Math.abs(d[hi - 1]!) + Math.abs(d[hi]!)) || Math.abs(bq) < 1e-300) {
      e[hi - 1] = 0;
      hi--;
      continue;
    }
    // the unreduced block is lo..hi
    let lo = hi - 1;
    while (lo > 0) {
      const b = e[lo - 1]!;
      if (Math.abs(b) <= EPS * (Math.abs(d[lo - 1]!) + Math.abs(d[lo]!)) || Math.abs(b) < 1e-300) {
        e[lo - 1] = 0;
        break;
      }
      lo--;
    }
    if (++iter > maxIter) throw new Error('symEig: the QR iteration did not converge');
    // Wilkinson shift from the trailing 2×2 block
    const delta = 0.5 * (d[hi - 1]! - d[hi]!);
    const b2 = bq * bq;
    const den = delta + (delta >= 0 ? 1 : -1) * Math.sqrt(delta * delta + b2);
    const mu = d[hi]! - (den === 0 ? 0 : b2 / den);
    // bulge chase
    let x = d[lo]! - mu;
    let z = e[lo]!;
    for (let k = lo; k < hi; k++) {
      let r = Math.sqrt(x * x + z * z);
      if (r < 1e-150 || r > 1e150) r = Math.hypot(x, z);
      let c: number, s: number;
      if (r === 0) {
        c = 1;
        s = 0;
      } else {
        c = x / r;
        s = z / r;
      }
      cs[k] = c;
      sn[k] = s;
      if (k > lo) e[k - 1] = r;
      const ak = d[k]!, bk = e[k]!, ak1 = d[k + 1]!;
      const cc = c * c, ss = s * s, c2s = 2 * c * s;
      d[k] = cc * ak + c2s * bk + ss * ak1;
      d[k + 1] = ss * ak - c2s * bk + cc * ak1;
      e[k] = c * s * (ak1 - ak) + (cc - ss) * bk;
      if (k + 1 < hi) {
        const bnext = e[k + 1]!;
        x = e[k]!;
        z = s * bnext;
        e[k + 1] = c * bnext;
      }
    }
    if (q !== null) {
      // q ← q · J_lo ⋯ J_{hi-1}: new col k = c col k + s col k+1, new col k+1 = −s col k + c col k+1
      for (let i = 0; i < n; i++) {
        const ro = i * n;
        let carry = q[ro + lo]!;
        for (let k = lo; k < hi; k++) {
          const c = cs[k]!, s = sn[k]!;
          const y = q[ro + k + 1]!;
          q[ro + k] = c * carry + s * y;
          carry = c * y - s * carry;
        }
        q[ro + hi] = carry;
      }
    }
  }
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
 * Eigendecomposition of the symmetric matrix already in work.a (full storage), no validation, no scaling.
 * Eigenvalues descending into `values`, eigenvectors as rows into `vectorsT` (if not null).
 * @internal used by the SVD.
 */
export function symEigCore(n: number, work: SymEigWorkspace, values: Float64Array, vectorsT: Float64Array | null): void {
  const { a, q, d, e, tau, v, w, cs, sn, perm } = work;
  if (n === 0) return;
  tridiagonalize(n, a, d, e, tau, v, w);
  if (vectorsT !== null) accumulateQ(n, a, tau, q, w);
  tridiagonalQR(n, d, e, vectorsT !== null ? q : null, cs, sn);
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
  if (vectorsT !== null) {
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
