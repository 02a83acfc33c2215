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
import { gemmNN, gemmTN, kernelBackend, rotateRows } from './blas.js';
import { allocF64, isWasmResident } from './wasm/matrix.js';

const EPS = 2.220446049250313e-16;
/** Reflectors per block when accumulating the orthogonal factor. */
const NB = 32;

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
    // p = t · A22 v, A22 = trailing block (upper triangle stored): two rows at a time, each row
    // contributing a dot product (to p_i) and an axpy (to p_j, j > i) over contiguous memory
    p.fill(0, 0, len);
    const base = (k + 1) * n + (k + 1);
    let i = 0;
    for (; i + 1 < len; i += 2) {
      const r0 = base + i * n, r1 = r0 + n;
      const v0 = v[i]!, v1 = v[i + 1]!;
      const a01 = a[r0 + i + 1]!;
      let s0 = a[r0 + i]! * v0 + a01 * v1;
      let s1 = a[r1 + i + 1]! * v1;
      p[i + 1]! += a01 * v0;
      for (let j = i + 2; j < len; j++) {
        const x0 = a[r0 + j]!, x1 = a[r1 + j]!, vj = v[j]!;
        s0 += x0 * vj;
        s1 += x1 * vj;
        p[j]! += x0 * v0 + x1 * v1;
      }
      p[i]! += s0;
      p[i + 1]! += s1;
    }
    if (i < len) p[i]! += a[base + i * n + i]! * v[i]!;
    let pv = 0;
    for (let j = 0; j < len; j++) {
      p[j]! *= t;
      pv += p[j]! * v[j]!;
    }
    // w = p − (t/2)(pᵀv) v, stored in p
    const h = 0.5 * t * pv;
    for (let j = 0; j < len; j++) p[j]! -= h * v[j]!;
    // A22 ← A22 − v wᵀ − w vᵀ on the upper triangle, two rows at a time
    i = 0;
    for (; i + 1 < len; i += 2) {
      const r0 = base + i * n, r1 = r0 + n;
      const v0 = v[i]!, w0 = p[i]!, v1 = v[i + 1]!, w1 = p[i + 1]!;
      a[r0 + i]! -= 2 * v0 * w0;
      a[r0 + i + 1]! -= v0 * w1 + w0 * v1;
      a[r1 + i + 1]! -= 2 * v1 * w1;
      for (let j = i + 2; j < len; j++) {
        const wj = p[j]!, vj = v[j]!;
        a[r0 + j]! -= v0 * wj + w0 * vj;
        a[r1 + j]! -= v1 * wj + w1 * vj;
      }
    }
    if (i < len) {
      const ro = base + i * n;
      a[ro + i]! -= 2 * v[i]! * p[i]!;
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

/**
 * Q = H_0 H_1 ⋯ H_{n-3} from the reflectors left in `a` by {@link tridiagonalize}, accumulated
 * backwards in blocks of NB reflectors with the compact WY form H_{k0} ⋯ H_{k1-1} = I − V·T·Vᵀ
 * (Schreiber & Van Loan 1989), so the O(n³) work runs in the register-blocked level-3 kernels.
 */
function accumulateQ(n: number, a: Float64Array, tau: Float64Array, q: Float64Array, work: SymEigWorkspace): void {
  q.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const nref = n - 2; // reflectors k = 0 .. n-3
  if (nref <= 0) return;
  const { vb, tb, wb, pk } = work;
  for (let k1 = nref; k1 > 0; k1 -= NB) {
    const k0 = Math.max(0, k1 - NB);
    const nb = k1 - k0;
    const c0 = k0 + 1; // the block acts on rows/columns c0 .. n-1
    const len = n - c0;
    // V (len×nb, row-major): column r is reflector k0+r, zero above local row r, 1 at row r
    for (let i = 0; i < len; i++) {
      const ro = i * nb;
      for (let r = 0; r < nb; r++) {
        vb[ro + r] = i < r ? 0 : i === r ? 1 : a[(k0 + r) * n + c0 + i]!;
      }
    }
    // T (nb×nb, upper triangular): T[r, r] = τ_r, T[0:r, r] = −τ_r · T[0:r, 0:r] · (V[:, 0:r]ᵀ v_r)
    tb.fill(0, 0, nb * nb);
    for (let r = 0; r < nb; r++) {
      const tr = tau[k0 + r]!;
      tb[r * nb + r] = tr;
      if (tr === 0 || r === 0) continue;
      // z = V[:, 0:r]ᵀ v_r (v_r is zero above row r), kept in column r of T temporarily
      for (let c = 0; c < r; c++) {
        let z = 0;
        for (let i = r; i < len; i++) z += vb[i * nb + c]! * vb[i * nb + r]!;
        tb[c * nb + r] = z;
      }
      // T[0:r, r] = −τ_r T[0:r, 0:r] z  (upper triangular: row c uses z[c..r))
      for (let c = 0; c < r; c++) {
        let acc = 0;
        for (let j = c; j < r; j++) acc += tb[c * nb + j]! * tb[j * nb + r]!;
        tb[c * nb + r] = -tr * acc;
      }
    }
    // P = Q[c0:, c0:] packed; W = Vᵀ P; W = −T W; P += V W; Q[c0:, c0:] = P
    for (let i = 0; i < len; i++) {
      const so = (c0 + i) * n + c0, po = i * len;
      for (let j = 0; j < len; j++) pk[po + j] = q[so + j]!;
    }
    gemmTN(nb, len, len, vb, pk, wb, 0);
    for (let r = 0; r < nb; r++) {
      for (let j = 0; j < len; j++) {
        let acc = 0;
        for (let c = r; c < nb; c++) acc += tb[r * nb + c]! * wb[c * len + j]!;
        wb[r * len + j] = -acc;
      }
    }
    gemmNN(len, len, nb, vb, wb, pk, 1);
    for (let i = 0; i < len; i++) {
      const so = (c0 + i) * n + c0, po = i * len;
      for (let j = 0; j < len; j++) q[so + j] = pk[po + j]!;
    }
  }
}

/**
 * Implicit symmetric QR iteration with Wilkinson shifts on the tridiagonal (d, e); when `q` is given,
 * the rotations are applied to its columns (q ← q·J), so q's columns become the eigenvectors of the
 * original matrix — or, with `rowsLayout`, q holds Qᵀ and the rotations act on its rows (the same
 * arithmetic in the same order, by the SIMD kernel {@link rotateRows}). Eigenvalues are left unsorted in d.
 */
function tridiagonalQR(n: number, d: Float64Array, e: Float64Array, q: Float64Array | null, cs: Float64Array, sn: Float64Array, rowsLayout: boolean): void {
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
      if (rowsLayout) rotateRows(n, q, lo, hi, cs, sn); // q holds the eigenvectors as rows: Qᵀ ← Jᵀ Qᵀ
      else applyRotationSequence(n, q, lo, hi, cs, sn); // q ← q J
    }
  }
}

/**
 * q ← q · J_lo ⋯ J_{hi-1} for the Givens rotations J_k = (c_k, s_k) acting on columns k, k+1:
 * new col k = c col k + s col k+1, new col k+1 = −s col k + c col k+1. Each row is one contiguous walk
 * carrying the running column in a register; four rows at a time share the loads of c and s.
 */
function applyRotationSequence(n: number, q: Float64Array, lo: number, hi: number, cs: Float64Array, sn: Float64Array): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    let t0 = q[r0 + lo]!, t1 = q[r1 + lo]!, t2 = q[r2 + lo]!, t3 = q[r3 + lo]!;
    for (let k = lo; k < hi; k++) {
      const c = cs[k]!, s = sn[k]!;
      const y0 = q[r0 + k + 1]!, y1 = q[r1 + k + 1]!, y2 = q[r2 + k + 1]!, y3 = q[r3 + k + 1]!;
      q[r0 + k] = c * t0 + s * y0;
      t0 = c * y0 - s * t0;
      q[r1 + k] = c * t1 + s * y1;
      t1 = c * y1 - s * t1;
      q[r2 + k] = c * t2 + s * y2;
      t2 = c * y2 - s * t2;
      q[r3 + k] = c * t3 + s * y3;
      t3 = c * y3 - s * t3;
    }
    q[r0 + hi] = t0;
    q[r1 + hi] = t1;
    q[r2 + hi] = t2;
    q[r3 + hi] = t3;
  }
  for (; i < n; i++) {
    const ro = i * n;
    let t = q[ro + lo]!;
    for (let k = lo; k < hi; k++) {
      const c = cs[k]!, s = sn[k]!;
      const y = q[ro + k + 1]!;
      q[ro + k] = c * t + s * y;
      t = c * y - s * t;
    }
    q[ro + hi] = t;
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
