/**
 * The thin SVD's algorithm (used by `svd.ts`: {@link thinSvd}, {@link singularValueThreshold},
 * {@link spectralNorm}): eigen-warm-started one-sided Jacobi on the columns of the tall orientation.
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
import type { Mat } from '../types.js';
import { dot, gemmNN, syrkNT } from './blas.js';
import { symEigCore } from './eig.js';
import { loadScaled, type SvdWorkspace } from './svdWorkspace.js';

const EPS = 2.220446049250313e-16;
/** Squared column norms below this (after scaling to max |a| ∈ [0.5, 1)) count as zero. */
const TINY2 = 1e-300;
/** Maximum number of Jacobi sweeps (the warm start usually needs none, rank-deficient inputs a few). */
const MAX_SWEEPS = 80;

// ---------------------------------------------------------------------------------------------
// kernels

/**
 * @internal C = X·Xᵀ (k×k, exactly symmetric) for X k×L row-major: the Gram matrix of the rows ({@link syrkNT}).
 * @param k - rows of X
 * @param L - columns of X
 * @param X - k×L row-major
 * @param C - k×k output
 * @example
 * ```ts
 * gramRows(k, L, w.x, w.eig.a); // eig.a = T ᵀT of the tall orientation
 * ```
 * @see {@link decompose}
 */
export function gramRows(k: number, L: number, X: Float64Array, C: Float64Array): void {
  syrkNT(k, L, X, C, 0);
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
 * @internal
 * @param A - the m×n input (finite)
 * @param w - workspace for m×n
 * @returns the scale factor applied to A
 * @throws RangeError on a non-finite entry of A
 * @example
 * ```ts
 * const sc = decompose(A, w); // s_j = w.nrm[w.perm[j]] / sc
 * ```
 * @see {@link thinSvdInto}
 */
export function decompose(A: Mat, w: SvdWorkspace): number {
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
