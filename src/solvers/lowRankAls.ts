/**
 * Alternating exact least squares for the rank-constrained squared loss
 *
 *   min_{A ∈ ℝ^{d×r}, B ∈ ℝ^{T×r}} Σ_t s_t ‖ỹ_t − X̃_t A b_t‖²,   W = A Bᵀ,
 *
 * from the per-task normal equations (G_t = X̃_tᵀX̃_t, c_t = X̃_tᵀỹ_t):
 * - **B step**, per task: (AᵀG_tA) b_t = Aᵀc_t (r×r);
 * - **A step**: Σ_t s_t G_t A b_t b_tᵀ = Σ_t s_t c_t b_tᵀ, one (d·r)×(d·r) system
 *   H = Σ_t s_t (b_t b_tᵀ ⊗ G_t) (for a shared G: G A M = C' with M = Σ_t s_t b_t b_tᵀ, solved in the
 *   eigenbases of G and M).
 * A is re-orthonormalised after each A step (its triangular factor moves into B, W unchanged). Both
 * steps are exact minimisations, so the loss never increases; each system is solved by Cholesky with
 * pivots below 1e-13·max diag dropped (directions singular to rounding, such as a centred constant feature). Every
 * step costs O(T·d²·r + (d·r)³) for per-task designs, O(d²·r + d·T·r) for a shared one — independent of
 * the conditioning of the designs, which is what makes the method fast where projected gradient
 * crawls. Non-convex: the result is a stationary point.
 *
 * References: P. Jain, P. Netrapalli & S. Sanghavi, "Low-rank matrix completion using alternating
 * minimization", STOC 2013; I. Markovsky, *Low Rank Approximation* (2nd ed.), Springer 2019, §5
 * (variable projection and alternating projections for structured low-rank problems).
 *
 * @packageDocumentation
 */
import { gemmNN, gemmTN } from '../linalg/blas.js';

/** The per-task normal equations the steps read. */
export interface NormalEquationsView {
  /** G_t (d×d row-major); may return a shared or recomputed buffer. */
  gram(t: number): Float64Array;
  /** c_t as the columns of a d×T matrix. */
  readonly C: Float64Array;
  /** Whether every task has the same G. */
  readonly sharedGram: boolean;
}

/**
 * Minimises ½xᵀMx − bᵀx for a symmetric positive semidefinite n×n M by a Cholesky factorisation
 * that drops pivots ≤ 1e-13·max diag (their variables are set to 0: directions in which M is
 * singular to rounding, e.g. a constant feature removed by centring). M is overwritten by the factor.
 * @returns false on a non-finite system
 */
function psdSolve(n: number, M: Float64Array, b: Float64Array, x: Float64Array): boolean {
  let dmax = 0;
  for (let i = 0; i < n; i++) dmax = Math.max(dmax, Math.abs(M[i * n + i]!));
  if (!Number.isFinite(dmax)) return false;
  const floor = 1e-13 * dmax;
  for (let j = 0; j < n; j++) {
    const jo = j * n;
    let s = M[jo + j]!;
    for (let k = 0; k < j; k++) s -= M[jo + k]! * M[jo + k]!;
    if (!(s > floor)) {
      // dropped pivot: column j of the factor is zero
      for (let i = j; i < n; i++) M[i * n + j] = 0;
      continue;
    }
    const ljj = Math.sqrt(s);
    M[jo + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const io = i * n;
      let t = M[io + j]!;
      for (let k = 0; k < j; k++) t -= M[io + k]! * M[jo + k]!;
      M[io + j] = t / ljj;
    }
  }
  // L Lᵀ x = b with the dropped variables fixed at 0
  for (let i = 0; i < n; i++) {
    const lii = M[i * n + i]!;
    if (lii === 0) {
      x[i] = 0;
      continue;
    }
    let s = b[i]!;
    for (let l = 0; l < i; l++) s -= M[i * n + l]! * x[l]!;
    x[i] = s / lii;
  }
  for (let i = n - 1; i >= 0; i--) {
    const lii = M[i * n + i]!;
    if (lii === 0) {
      x[i] = 0;
      continue;
    }
    let s = x[i]!;
    for (let l = i + 1; l < n; l++) s -= M[l * n + i]! * x[l]!;
    x[i] = s / lii;
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/**
 * Buffers and the two exact steps of the alternation (see the module documentation).
 */
export class LowRankAls {
  /** A, d×r (orthonormal columns after {@link LowRankAls.stepA}). */
  readonly A: Float64Array;
  /** B, T×r (row t = b_t). */
  readonly B: Float64Array;
  private readonly GA: Float64Array;
  private readonly M: Float64Array;
  private readonly rhs: Float64Array;
  private readonly sol: Float64Array;
  private readonly H: Float64Array;
  private readonly hr: Float64Array;
  private readonly hx: Float64Array;

  /**
   * @param d - features
   * @param T - tasks
   * @param r - rank
   * @param ne - normal equations
   * @param scales - s_t
   */
  constructor(readonly d: number, readonly T: number, readonly r: number, readonly ne: NormalEquationsView, readonly scales: Float64Array) {
    this.A = new Float64Array(d * r);
    this.B = new Float64Array(T * r);
    this.GA = new Float64Array(d * r);
    this.M = new Float64Array(r * r);
    this.rhs = new Float64Array(r);
    this.sol = new Float64Array(r);
    const dr = d * r;
    this.H = new Float64Array(dr * dr);
    this.hr = new Float64Array(dr);
    this.hx = new Float64Array(dr);
  }

  /**
   * B step: b_t = (AᵀG_tA)⁻¹Aᵀc_t for every task.
   * @returns false on a non-finite system
   */
  stepB(): boolean {
    const { d, T, r, A, B, GA, M, rhs, sol, ne } = this;
    for (let t = 0; t < T; t++) {
      if (t === 0 || !ne.sharedGram) {
        gemmNN(d, r, d, ne.gram(t), A, GA, 0); // GA = G_t A
      }
      gemmTN(r, r, d, A, GA, M, 0); // M = Aᵀ G_t A
      for (let i = 0; i < r; i++) {
        let s = 0; // (Aᵀ c_t)_i
        for (let j = 0; j < d; j++) s += A[j * r + i]! * ne.C[j * T + t]!;
        rhs[i] = s;
      }
      if (!psdSolve(r, M, rhs, sol)) return false;
      for (let i = 0; i < r; i++) B[t * r + i] = sol[i]!;
    }
    return true;
  }

  /**
   * A step: Σ_t s_t G_t A b_t b_tᵀ = Σ_t s_t c_t b_tᵀ, then A ← orthonormal Q with B ← B Rᵀ.
   * @returns false on a non-finite system
   */
  stepA(): boolean {
    const { d, T, r, A, B, H, hr, hx, ne, scales } = this;
    const dr = d * r;
    // unknown x = vec(A) row-major: x[j·r + a] = A[j, a]
    // H[(j,a),(k,b)] = Σ_t s_t G_t[j,k] b_t[a] b_t[b];  rhs[(j,a)] = Σ_t s_t c_t[j] b_t[a]
    H.fill(0);
    hr.fill(0);
    if (ne.sharedGram) {
      const G = ne.gram(0);
      const Mb = this.M;
      Mb.fill(0);
      for (let t = 0; t < T; t++) {
        const s = scales[t]!;
        for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) Mb[a * r + b]! += s * B[t * r + a]! * B[t * r + b]!;
      }
      for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) {
        const g = G[j * d + k]!;
        if (g === 0) continue;
        for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) H[(j * r + a) * dr + k * r + b]! += g * Mb[a * r + b]!;
      }
    } else {
      for (let t = 0; t < T; t++) {
        const s = scales[t]!;
        const G = ne.gram(t);
        for (let j = 0; j < d; j++) {
          for (let k = 0; k < d; k++) {
            const g = s * G[j * d + k]!;
            if (g === 0) continue;
            for (let a = 0; a < r; a++) {
              const ga = g * B[t * r + a]!;
              const row = (j * r + a) * dr + k * r;
              for (let b = 0; b < r; b++) H[row + b]! += ga * B[t * r + b]!;
            }
          }
        }
      }
    }
    for (let t = 0; t < T; t++) {
      const s = scales[t]!;
      for (let j = 0; j < d; j++) {
        const c = s * ne.C[j * T + t]!;
        for (let a = 0; a < r; a++) hr[j * r + a]! += c * B[t * r + a]!;
      }
    }
    if (!psdSolve(dr, H, hr, hx)) return false;
    A.set(hx);
    this.orthonormalizeA();
    return true;
  }

  /** A = QR (modified Gram–Schmidt, twice), B ← B Rᵀ so that A Bᵀ is unchanged. */
  orthonormalizeA(): void {
    const { d, T, r, A, B } = this;
    const R = this.M;
    R.fill(0);
    for (let a = 0; a < r; a++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < a; p++) {
          let ip = 0;
          for (let j = 0; j < d; j++) ip += A[j * r + p]! * A[j * r + a]!;
          for (let j = 0; j < d; j++) A[j * r + a]! -= ip * A[j * r + p]!;
          R[p * r + a]! += ip;
        }
      }
      let nrm = 0;
      for (let j = 0; j < d; j++) nrm += A[j * r + a]! ** 2;
      nrm = Math.sqrt(nrm);
      R[a * r + a] = nrm;
      if (nrm > 0) for (let j = 0; j < d; j++) A[j * r + a]! /= nrm;
    }
    // B ← B Rᵀ: b_t ← R b_t
    const tmp = this.rhs;
    for (let t = 0; t < T; t++) {
      for (let a = 0; a < r; a++) {
        let s = 0;
        for (let b = a; b < r; b++) s += R[a * r + b]! * B[t * r + b]!;
        tmp[a] = s;
      }
      for (let a = 0; a < r; a++) B[t * r + a] = tmp[a]!;
    }
  }

  /**
   * W ← A Bᵀ.
   * @param W - d×T output
   */
  product(W: Float64Array): void {
    const { d, T, r, A, B } = this;
    // W[j, t] = Σ_a A[j, a] B[t, a]
    for (let j = 0; j < d; j++) {
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let a = 0; a < r; a++) s += A[j * r + a]! * B[t * r + a]!;
        W[j * T + t] = s;
      }
    }
  }
}
