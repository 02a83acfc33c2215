/**
 * The kernels of the symmetric eigensolver ({@link symEigCore} in `eig.ts`): Householder reduction to
 * tridiagonal form, blocked accumulation of the orthogonal factor (compact WY), and the implicit
 * symmetric QR iteration with Wilkinson shifts whose Givens rotations are recorded per sweep and applied
 * row by row (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.3; Schreiber & Van Loan 1989).
 * Row-major `Float64Array` storage throughout; nothing here validates its arguments.
 *
 * @packageDocumentation
 */
import { gemmNN, gemmTN, rotateRows } from './blas.js';
import type { SymEigWorkspace } from './eig.js';

const EPS = 2.220446049250313e-16;
/** Reflectors per block when accumulating the orthogonal factor (the workspace's block buffers are sized by it). */
export const NB = 32;

/**
 * Householder reduction of the symmetric n×n matrix held (upper triangle) in `a` to tridiagonal form
 * T = Qᵀ A Q. Writes diag(T) to d[0..n), the superdiagonal to e[0..n-1), the reflectors to the upper
 * triangle of `a` (row k holds v_k from column k+2 on, v_k(0) = 1 implicit) and their scalars to tau.
 * @internal
 * @param n - order
 * @param a - n×n symmetric (upper triangle read), overwritten by the reflectors
 * @param d - output diagonal (n)
 * @param e - output superdiagonal (n)
 * @param tau - output reflector scalars (n)
 * @param v - scratch (n)
 * @param p - scratch (n)
 * @example
 * ```ts
 * tridiagonalize(n, w.a, w.d, w.e, w.tau, w.v, w.w);
 * ```
 * @see {@link accumulateQ}; Golub & Van Loan, Algorithm 8.3.1
 */
export function tridiagonalize(n: number, a: Float64Array, d: Float64Array, e: Float64Array, tau: Float64Array, v: Float64Array, p: Float64Array): void {
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
 * @internal
 * @param n - order
 * @param a - the reflectors from {@link tridiagonalize}
 * @param tau - their scalars
 * @param q - n×n output
 * @param work - the eigensolver workspace (block buffers)
 * @example
 * ```ts
 * accumulateQ(n, w.a, w.tau, w.q, w);
 * ```
 * @see {@link tridiagonalQR}
 */
export function accumulateQ(n: number, a: Float64Array, tau: Float64Array, q: Float64Array, work: SymEigWorkspace): void {
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
 * @internal
 * @param n - order
 * @param d - diagonal, overwritten by the eigenvalues
 * @param e - superdiagonal (destroyed)
 * @param q - n×n factor to rotate, or `null` for eigenvalues only
 * @param cs - scratch for the rotation cosines (n)
 * @param sn - scratch for the rotation sines (n)
 * @param rowsLayout - q holds Qᵀ (rotate rows)
 * @example
 * ```ts
 * tridiagonalQR(n, w.d, w.e, w.q, w.cs, w.sn, false);
 * ```
 * @see Golub & Van Loan, Algorithm 8.3.3
 */
export function tridiagonalQR(n: number, d: Float64Array, e: Float64Array, q: Float64Array | null, cs: Float64Array, sn: Float64Array, rowsLayout: boolean): void {
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
