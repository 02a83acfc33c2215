// The thinSvd of the tree before the WebAssembly kernels (commit 89376e2~1), with the JavaScript kernels:
// kept only as the same-run baseline of bench/svd.ts. Not part of the library.
/**
 * Thin singular value decomposition for the hot loops of the low-rank models (trace-norm prox,
 * rank-constrained projection, ASO subspace step).
 *
 * ## Algorithm
 * Let T be the tall orientation of the input (T = A when m ≥ n, T = Aᵀ otherwise), L×k with k ≤ L.
 * T's k columns are stored as the rows of a k×L buffer, so every vector operation below runs over
 * contiguous memory.
 *
 * 1. **Warm start.** G = TᵀT (k×k, level-3 kernel, upper triangle only) and its eigendecomposition
 *    G = V₀ Λ V₀ᵀ ({@link symEigCore}: Householder tridiagonalisation + implicit QR).
 * 2. **B = T V₀** (level-3). Its columns are orthogonal up to rounding whenever T is reasonably
 *    conditioned; where they are not (tiny or clustered singular values, rank deficiency) the
 *    next step repairs them.
 * 3. **Jacobi repairs and certificate.** One Gram matrix C = BᵀB (level-3) checks every pair
 *    (p, q) for |b_pᵀb_q| ≤ tol·‖b_p‖‖b_q‖, tol = max(2ε, ε·√L) (about 1e-15 … 1e-14). Random and
 *    well-conditioned inputs pass at once: no rotation at all. When many pairs fail (tiny or
 *    clustered singular values), two-sided cyclic Jacobi is run on C itself — O(k) per rotation,
 *    relatively accurate because C was freshly formed from B (Demmel & Veselić 1992) — and its
 *    rotations are applied to B and V with one level-3 product each, then C is recomputed. Finally
 *    **one-sided (Hestenes) Jacobi** sweeps on the columns of B (rotations accumulated into V) run
 *    until a sweep performs no rotation; a sweep takes its inner products from the fresh Gram matrix
 *    for columns not yet moved in that sweep and from dot products otherwise, and each rotation
 *    recomputes the two column norms in the same pass. On exit every pair of columns of B is
 *    orthogonal to `tol` relative, so U = B·diag(1/‖b_j‖) has orthonormal columns, s_j = ‖b_j‖ and
 *    T = U·diag(s)·Vᵀ up to rounding (T·V = B up to rounding and V is orthogonal: the backward
 *    stability of one-sided Jacobi).
 * 4. Columns of B whose norm is below 1e-150·max|a_ij| count as zero: their singular value is set
 *    to 0 and U gets orthonormal completions there (so U always has orthonormal columns); the triplets
 *    are sorted by decreasing s.
 *
 * The input is first scaled by a power of two (exact) so the Gram matrix cannot overflow or
 * underflow. Cost ≈ 4·L·k² flops for the three level-3 products (G, B, BᵀB) + about 9k³ for the
 * eigendecomposition, + the Jacobi repairs when needed — against 6Lk² + O(k³) for a QR-first
 * Golub–Kahan or Jacobi SVD. Note: the warm start does not preserve the high *relative* accuracy of
 * tiny singular values that plain one-sided Jacobi has; singular values are accurate to about
 * 1e-15·‖A‖ in absolute terms (like LAPACK's `dgesvd`).
 *
 * @packageDocumentation
 */
import type { Mat } from '../../src/types.js';
import { dot, gemmNN, gemmTN } from '../../src/linalg/jsKernels.js';
import { createSymEigWorkspace, powerOfTwoScale, symEigCore, type SymEigWorkspace } from './eigBefore.js';

const EPS = 2.220446049250313e-16;
/** Squared column norms below this (after scaling to max |a| ∈ [0.5, 1)) count as zero. */
const TINY2 = 1e-300;
/** Maximum number of Jacobi sweeps (the warm start usually needs none, rank-deficient inputs a few). */
const MAX_SWEEPS = 80;

/**
 * Preallocated buffers for the SVD routines on m×n inputs, so a solver loop performs no allocation
 * per decomposition (besides the returned arrays of {@link thinSvd}; {@link thinSvdInto} and
 * {@link singularValueThreshold} allocate nothing sizeable). Create with {@link createSvdWorkspace}.
 * Not safe to share between two computations running interleaved (e.g. across `await`s).
 */
export interface SvdWorkspace {
  /** Rows of the matrices this workspace is for. */
  readonly m: number;
  /** Columns of the matrices this workspace is for. */
  readonly n: number;
  /** @internal min(m, n). */
  readonly k: number;
  /** @internal max(m, n). */
  readonly L: number;
  /** @internal scaled input, k×L (the columns of the tall orientation as rows). */
  readonly x: Float64Array;
  /** @internal B = T V, k×L (rows = columns of B), then U's columns. */
  readonly b: Float64Array;
  /** @internal Vᵀ (rows = columns of V), k×k. */
  readonly vt: Float64Array;
  /** @internal Gram matrix BᵀB, k×k. */
  readonly c: Float64Array;
  /** @internal squared column norms, then singular values (unsorted). */
  readonly nrm: Float64Array;
  /** @internal eigenvalues of the Gram matrix. */
  readonly vals: Float64Array;
  /** @internal which columns moved in the current sweep. */
  readonly dirty: Uint8Array;
  /** @internal sort permutation (descending singular values). */
  readonly perm: Int32Array;
  /** @internal eigensolver buffers (k×k). */
  readonly eig: SymEigWorkspace;
}

/**
 * Allocates the buffers for decomposing m×n matrices (about 2·m·n + 4·min(m,n)² doubles).
 * @param m - number of rows (non-negative integer)
 * @param n - number of columns (non-negative integer)
 * @returns a workspace for {@link thinSvd}, {@link thinSvdInto}, {@link singularValueThreshold} and
 *   {@link spectralNorm} on m×n inputs
 * @throws RangeError when `m` or `n` is not a non-negative integer
 * @example
 * ```ts
 * const work = createSvdWorkspace(W.rows, W.cols);
 * for (let it = 0; it < maxIter; it++) singularValueThreshold(Z, step * lambda, W, work);
 * ```
 * @see {@link thinSvd}
 */
export function createSvdWorkspace(m: number, n: number): SvdWorkspace {
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`m: expected a non-negative integer, got ${m}`);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n: expected a non-negative integer, got ${n}`);
  const k = Math.min(m, n), L = Math.max(m, n);
  return {
    m, n, k, L,
    x: new Float64Array(k * L),
    b: new Float64Array(k * L),
    vt: new Float64Array(k * k),
    c: new Float64Array(k * k),
    nrm: new Float64Array(k),
    vals: new Float64Array(k),
    dirty: new Uint8Array(k),
    perm: new Int32Array(k),
    eig: createSymEigWorkspace(k),
  };
}

// ---------------------------------------------------------------------------------------------
// validation

function checkMat(A: unknown, name: string): Mat {
  const M = A as Mat;
  if (typeof A !== 'object' || A === null || !(M.data instanceof Float64Array)) {
    throw new TypeError(`${name}: expected a Mat { rows, cols, data: Float64Array }`);
  }
  if (!Number.isInteger(M.rows) || !Number.isInteger(M.cols) || M.rows < 0 || M.cols < 0 || M.data.length < M.rows * M.cols) {
    throw new RangeError(`${name}: expected rows, cols non-negative integers and data of length rows·cols, got ${M.rows}×${M.cols} (data length ${M.data.length})`);
  }
  return M;
}

function checkShape(M: unknown, rows: number, cols: number, name: string): Mat {
  const X = checkMat(M, name);
  if (X.rows !== rows || X.cols !== cols) throw new RangeError(`${name}: expected a ${rows}×${cols} Mat, got ${X.rows}×${X.cols}`);
  return X;
}

function getWork(A: Mat, work: SvdWorkspace | undefined): SvdWorkspace {
  if (work === undefined) return createSvdWorkspace(A.rows, A.cols);
  if (typeof work !== 'object' || work === null || !(work.x instanceof Float64Array)) {
    throw new TypeError('work: expected an SvdWorkspace from createSvdWorkspace(m, n)');
  }
  if (work.m !== A.rows || work.n !== A.cols) {
    throw new RangeError(`work: workspace is for ${work.m}×${work.n} matrices, but A is ${A.rows}×${A.cols}`);
  }
  return work;
}

/**
 * Copies A (scaled by a power of two) into w.x as the k×L matrix whose rows are the columns of the
 * tall orientation. Returns the scale factor. Throws on non-finite entries.
 */
function loadScaled(A: Mat, w: SvdWorkspace): number {
  const { m, n, k, L, x } = w;
  const a = A.data;
  const mn = m * n;
  let amax = 0;
  for (let i = 0; i < mn; i++) {
    const v = Math.abs(a[i]!);
    if (!(v <= Number.MAX_VALUE)) throw new RangeError(`A: entries must be finite numbers (entry (${Math.floor(i / n)}, ${i % n}) is ${a[i]})`);
    if (v > amax) amax = v;
  }
  const sc = powerOfTwoScale(amax);
  if (m < n) {
    // wide: the rows of A are the columns of T = Aᵀ
    for (let i = 0; i < mn; i++) x[i] = a[i]! * sc;
  } else {
    // tall: x = scaled Aᵀ (k = n rows of length L = m), in 32×32 tiles
    const TB = 32;
    for (let i0 = 0; i0 < L; i0 += TB) {
      const i1 = Math.min(L, i0 + TB);
      for (let j0 = 0; j0 < k; j0 += TB) {
        const j1 = Math.min(k, j0 + TB);
        for (let i = i0; i < i1; i++) {
          const ai = i * n;
          for (let j = j0; j < j1; j++) x[j * L + i] = a[ai + j]! * sc;
        }
      }
    }
  }
  return sc;
}

// ---------------------------------------------------------------------------------------------
// kernels

/**
 * C = X·Xᵀ (k×k, full symmetric result) for X k×L row-major: only the upper block triangle is computed
 * (4×4 register blocks, L blocked by 512), then mirrored.
 */
function gramRows(k: number, L: number, X: Float64Array, C: Float64Array): void {
  C.fill(0, 0, k * k);
  const KB = 512;
  const k4 = k - (k % 4);
  for (let p0 = 0; p0 < L; p0 += KB) {
    const p1 = Math.min(L, p0 + KB);
    for (let i = 0; i < k4; i += 4) {
      const a0 = i * L, a1 = a0 + L, a2 = a1 + L, a3 = a2 + L;
      let j = i;
      for (; j < k4; j += 4) {
        const b0o = j * L, b1o = b0o + L, b2o = b1o + L, b3o = b2o + L;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const x0 = X[a0 + p]!, x1 = X[a1 + p]!, x2 = X[a2 + p]!, x3 = X[a3 + p]!;
          const y0 = X[b0o + p]!, y1 = X[b1o + p]!, y2 = X[b2o + p]!, y3 = X[b3o + p]!;
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let o = i * k + j;
        C[o] += c00; C[o + 1] += c01; C[o + 2] += c02; C[o + 3] += c03; o += k;
        C[o] += c10; C[o + 1] += c11; C[o + 2] += c12; C[o + 3] += c13; o += k;
        C[o] += c20; C[o + 1] += c21; C[o + 2] += c22; C[o + 3] += c23; o += k;
        C[o] += c30; C[o + 1] += c31; C[o + 2] += c32; C[o + 3] += c33;
      }
      for (; j < k; j++) {
        const bo = j * L;
        let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (let p = p0; p < p1; p++) {
          const y = X[bo + p]!;
          c0 += X[a0 + p]! * y; c1 += X[a1 + p]! * y; c2 += X[a2 + p]! * y; c3 += X[a3 + p]! * y;
        }
        C[i * k + j] += c0; C[(i + 1) * k + j] += c1; C[(i + 2) * k + j] += c2; C[(i + 3) * k + j] += c3;
      }
    }
    for (let i = k4; i < k; i++) {
      for (let j = i; j < k; j++) C[i * k + j] += dot(p1 - p0, X, i * L + p0, X, j * L + p0);
    }
  }
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) C[j * k + i] = C[i * k + j]!;
}

/**
 * One-sided Jacobi on the rows of b (k×L), rotations accumulated into the rows of vt (k×k).
 * On return nrm[j] holds ‖b_j‖² and every pair of rows is orthogonal to tol relative (unless the
 * sweep limit was hit). Returns the number of sweeps that performed rotations.
 */
function jacobi(w: SvdWorkspace, tol: number, gramFresh: boolean): number {
  const { k, L, b, vt, c: C, nrm, dirty } = w;
  let useGram = true;
  let sweeps = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    if (useGram) {
      if (!gramFresh) gramRows(k, L, b, C);
      gramFresh = false;
      for (let j = 0; j < k; j++) {
        nrm[j] = C[j * k + j]!;
        dirty[j] = 0;
      }
    } else {
      for (let j = 0; j < k; j++) {
        nrm[j] = dot(L, b, j * L, b, j * L);
        dirty[j] = 1;
      }
    }
    let rotations = 0;
    for (let p = 0; p + 1 < k; p++) {
      const po = p * L;
      for (let q = p + 1; q < k; q++) {
        const np = nrm[p]!, nq = nrm[q]!;
        if (np < TINY2 || nq < TINY2) continue;
        const qo = q * L;
        const g = dirty[p]! | dirty[q]! ? dot(L, b, po, b, qo) : C[p * k + q]!;
        if (Math.abs(g) <= tol * Math.sqrt(np * nq)) continue;
        // rotation angle: zero the (p, q) inner product, |angle| ≤ π/4
        const zeta = (nq - np) / (2 * g);
        let t: number;
        if (Math.abs(zeta) > 1e150) t = 0.5 / zeta;
        else t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        // b_p ← c b_p − s b_q, b_q ← s b_p + c b_q, recomputing both norms in the same pass
        let sp = 0, sq = 0;
        for (let i = 0; i < L; i++) {
          const x = b[po + i]!, y = b[qo + i]!;
          const u = cs * x - sn * y, v = sn * x + cs * y;
          b[po + i] = u;
          b[qo + i] = v;
          sp += u * u;
          sq += v * v;
        }
        nrm[p] = sp;
        nrm[q] = sq;
        const vpo = p * k, vqo = q * k;
        for (let i = 0; i < k; i++) {
          const x = vt[vpo + i]!, y = vt[vqo + i]!;
          vt[vpo + i] = cs * x - sn * y;
          vt[vqo + i] = sn * x + cs * y;
        }
        dirty[p] = 1;
        dirty[q] = 1;
        rotations++;
      }
    }
    if (rotations === 0) break;
    sweeps++;
    // a fresh Gram matrix pays off when few columns will move in the next sweep
    useGram = rotations <= k;
  }
  return sweeps;
}

/** Number of pairs (p < q) of rows whose Gram entry fails the relative orthogonality test. */
function countViolations(k: number, C: Float64Array, tol: number): number {
  let count = 0;
  for (let p = 0; p + 1 < k; p++) {
    const cpp = C[p * k + p]!;
    if (cpp < TINY2) continue;
    for (let q = p + 1; q < k; q++) {
      const cqq = C[q * k + q]!;
      if (cqq < TINY2) continue;
      if (Math.abs(C[p * k + q]!) > tol * Math.sqrt(cpp * cqq)) count++;
    }
  }
  return count;
}

/**
 * Two-sided cyclic Jacobi on the k×k Gram matrix C = BᵀB (full storage, modified), with the same
 * relative threshold as the one-sided method, accumulating the rotations into the rows of `jt`
 * (Jᵀ, k×k). Working on the Gram matrix makes a rotation cost O(k) instead of O(L); because C was just
 * formed from B, its entries are accurate relative to the column norms, and Jacobi on such (scaled
 * diagonally dominant) matrices is relatively accurate (Demmel & Veselić 1992), so B·J is nearly
 * orthogonal even in the directions of tiny singular values, where the eigenvectors of TᵀT are not.
 */
function gramJacobi(k: number, C: Float64Array, jt: Float64Array, tol: number): number {
  jt.fill(0, 0, k * k);
  for (let i = 0; i < k; i++) jt[i * k + i] = 1;
  let total = 0;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotations = 0;
    for (let p = 0; p + 1 < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const cpp = C[p * k + p]!, cqq = C[q * k + q]!;
        if (cpp < TINY2 || cqq < TINY2) continue;
        const cpq = C[p * k + q]!;
        if (Math.abs(cpq) <= tol * Math.sqrt(cpp * cqq)) continue;
        const zeta = (cqq - cpp) / (2 * cpq);
        let t: number;
        if (Math.abs(zeta) > 1e150) t = 0.5 / zeta;
        else t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        const po = p * k, qo = q * k;
        for (let j = 0; j < k; j++) {
          const x = C[po + j]!, y = C[qo + j]!;
          C[po + j] = cs * x - sn * y;
          C[qo + j] = sn * x + cs * y;
        }
        C[po + p] = cpp - t * cpq;
        C[qo + q] = cqq + t * cpq;
        C[po + q] = 0;
        C[qo + p] = 0;
        // symmetry: columns p and q are the new rows p and q
        for (let j = 0; j < k; j++) {
          const jo = j * k;
          C[jo + p] = C[po + j]!;
          C[jo + q] = C[qo + j]!;
        }
        for (let j = 0; j < k; j++) {
          const x = jt[po + j]!, y = jt[qo + j]!;
          jt[po + j] = cs * x - sn * y;
          jt[qo + j] = sn * x + cs * y;
        }
        rotations++;
      }
    }
    total += rotations;
    if (rotations === 0) break;
  }
  return total;
}

/**
 * Makes the rows of w.b mutually orthogonal (relative tolerance), rotating w.vt alongside; on return
 * w.nrm holds the squared row norms. Strategy: check with one Gram matrix; when many pairs fail, do
 * the rotations on the Gram matrix (cheap) and apply them to B and V with one level-3 product each;
 * finish (and certify) with one-sided Jacobi sweeps.
 */
function orthogonalize(w: SvdWorkspace): void {
  const { k, L, b, vt, c: C, x, eig } = w;
  const tol = Math.max(2 * EPS, EPS * Math.sqrt(L));
  gramRows(k, L, b, C);
  for (let phase = 0; phase < 3; phase++) {
    const bad = countViolations(k, C, tol);
    if (bad <= k) break; // few rotations: the one-sided sweeps below are cheaper
    const jt = eig.a, tmp = eig.q; // free k×k buffers once the eigendecomposition is done
    gramJacobi(k, C, jt, tol);
    gemmNN(k, L, k, jt, b, x, 0); // B ← B J (rows: Jᵀ Bᵀ)
    b.set(x.subarray(0, k * L));
    gemmNN(k, k, k, jt, vt, tmp, 0); // V ← V J
    vt.set(tmp.subarray(0, k * k));
    gramRows(k, L, b, C);
  }
  jacobi(w, tol, true);
}

/**
 * The decomposition proper, on the workspace: after it, for j in [0, k): row perm[j] of w.b is the
 * j-th left singular vector of the tall orientation T (unit length), row perm[j] of w.vt the j-th right
 * singular vector of T, and w.nrm[perm[j]] the j-th singular value of the *scaled* input.
 * Returns the scale factor applied to A.
 */
function decompose(A: Mat, w: SvdWorkspace): number {
  const { k, L, x, b, vt, nrm, vals, perm, eig } = w;
  const sc = loadScaled(A, w);
  if (k === 0) return sc;
  // 1. warm start: eigenvectors of G = TᵀT (rows of vt)
  gramRows(k, L, x, eig.a);
  symEigCore(k, eig, vals, vt);
  // 2. B = T V₀, stored transposed: b = V₀ᵀ Tᵀ = vt · x
  gemmNN(k, L, k, vt, x, b, 0);
  // 3. Jacobi until every pair of columns is orthogonal
  orthogonalize(w);
  // 4. singular values, normalisation, completion of null columns
  let zeros = 0;
  for (let j = 0; j < k; j++) {
    const s = Math.sqrt(nrm[j]!); // squared norms as left by orthogonalize (Gram diagonal or fused sums)
    if (s * s < TINY2) {
      nrm[j] = 0;
      zeros++;
    } else {
      nrm[j] = s;
      const inv = 1 / s;
      const o = j * L;
      for (let i = 0; i < L; i++) b[o + i]! *= inv;
    }
  }
  if (zeros > 0) completeBasis(w);
  for (let i = 0; i < k; i++) perm[i] = i;
  for (let i = 1; i < k; i++) {
    const pi = perm[i]!;
    const si = nrm[pi]!;
    let j = i - 1;
    while (j >= 0 && nrm[perm[j]!]! < si) {
      perm[j + 1] = perm[j]!;
      j--;
    }
    perm[j + 1] = pi;
  }
  return sc;
}

/**
 * Replaces the rows of w.b whose singular value is zero by unit vectors orthogonal to all other rows
 * (classical Gram–Schmidt applied twice to the coordinate vector least represented in the current span).
 */
function completeBasis(w: SvdWorkspace): void {
  const { k, L, b, nrm, vals } = w;
  // vals (free now) marks which rows are already orthonormal
  for (let j = 0; j < k; j++) vals[j] = nrm[j]! > 0 ? 1 : 0;
  const coef = w.eig.w; // length k scratch
  for (let z = 0; z < k; z++) {
    if (vals[z] === 1) continue;
    // choose the coordinate e_i maximising ‖P⊥ e_i‖² = 1 − Σ_j u_j(i)²
    let best = 0, bestVal = -Infinity;
    for (let i = 0; i < L; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) if (vals[j] === 1) s += b[j * L + i]! * b[j * L + i]!;
      if (1 - s > bestVal) {
        bestVal = 1 - s;
        best = i;
      }
    }
    const zo = z * L;
    b.fill(0, zo, zo + L);
    b[zo + best] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) coef[j] = vals[j] === 1 ? dot(L, b, j * L, b, zo) : 0;
      for (let j = 0; j < k; j++) {
        const cj = coef[j]!;
        if (cj !== 0) for (let i = 0; i < L; i++) b[zo + i]! -= cj * b[j * L + i]!;
      }
    }
    const s = Math.sqrt(dot(L, b, zo, b, zo));
    for (let i = 0; i < L; i++) b[zo + i]! /= s;
    vals[z] = 1;
  }
}

/** out[i·k + j] = src[perm[j]·len + i] for i < len, j < k (a permuted transpose). */
function permutedTranspose(src: Float64Array, len: number, k: number, perm: Int32Array, out: Float64Array): void {
  const TB = 32;
  for (let i0 = 0; i0 < len; i0 += TB) {
    const i1 = Math.min(len, i0 + TB);
    for (let j = 0; j < k; j++) {
      const so = perm[j]! * len;
      for (let i = i0; i < i1; i++) out[i * k + j] = src[so + i]!;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// public API

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
