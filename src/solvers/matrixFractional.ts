/**
 * The matrix-fractional penalty of convex ASO and convex clustered MTL, with M minimised out:
 *
 *   p(W) = c · min { tr(Zᵀ (ηI + M)⁻¹ Z) : 0 ⪯ M ⪯ I, tr M = k },
 *
 * Z = W (M d×d, convex ASO; Chen et al. 2009) or Z = Wᵀ (M T×T, clustered; Zhou, Chen & Ye 2011).
 * With the eigendecomposition Z Zᵀ = Q diag(a) Qᵀ (a_i = σ_i(W)²) the minimiser is M = Q diag(γ) Qᵀ,
 * γ the minimiser of Σ_i a_i/(η + γ_i) over the capped simplex {0 ≤ γ ≤ 1, Σγ = k}; its KKT
 * conditions give γ_i = clip(θ σ_i − η, 0, 1) with θ chosen so that Σγ = k (a piecewise-linear
 * equation in θ, solved exactly on its piece).
 *
 * p is convex and smooth (it is the conjugate of a strongly convex function, below), with
 * ∇p(W) = 2c (ηI + M)⁻¹ W (Z = W) or 2c W (ηI + M)⁻¹ (Z = Wᵀ) and a 2c/η-Lipschitz gradient.
 * Its conjugate is finite everywhere: writing tr(ZᵀP⁻¹Z) = sup_Y 2⟨Y, Z⟩ − tr(YᵀPY) and exchanging
 * min over M and sup over Y (Sion), p(W) = c·φ*(2W) with φ(Y) = η‖Y‖² + Σ_{i≤k} σ_i(Y)², hence
 *
 *   p*(V) = ( η ‖V‖²_F + Σ_{i ≤ k} σ_i(V)² ) / (4c),
 *
 * which gives the duality gap of min L(W) + p(W) at the natural dual point V = −∇L(W):
 * gap = p(W) + p*(V) − ⟨W, V⟩ ≥ F(W) − F* (Fenchel–Young; no rescaling is needed).
 *
 * References: J. Chen, L. Tang, J. Liu & J. Ye, "A convex formulation for learning shared
 * structures from multiple tasks", ICML 2009; J. Zhou, J. Chen & J. Ye, "Clustered multi-task
 * learning via alternating structure optimization", NIPS 2011 (Theorem 3.1: the M-step in closed
 * form).
 *
 * @packageDocumentation
 */
import { gemmNN, gemmNT, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto, type SymEigWorkspace } from '../linalg/eig.js';
import { symmetrize } from '../linalg/symmetrize.js';

/**
 * γ = argmin Σ_i a_i/(η + γ_i) over {0 ≤ γ ≤ 1, Σγ = k}, a ≥ 0 (eigenvalues of Z Zᵀ, any order).
 * When fewer than k entries of a are positive, those get γ = 1 and the remaining mass is spread
 * evenly over the zero entries (every such split is optimal).
 * @param a - a_i ≥ 0 (length n)
 * @param k - 0 ≤ k ≤ n
 * @param eta - η > 0
 * @param gamma - output, length n
 * @returns the minimum Σ_i a_i/(η + γ_i)
 * @example
 * ```ts
 * const g = new Float64Array(3);
 * fractionalWeights(new Float64Array([4, 1, 0]), 1, 0.5, g); // g ≈ [0.83, 0.17, 0]
 * ```
 * @see {@link MatrixFractional}
 */
export function fractionalWeights(a: Float64Array, k: number, eta: number, gamma: Float64Array): number {
  const n = a.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (a[i]! > 0) pos++;
  if (pos <= k) {
    // γ = 1 on the support, the rest spread over the null directions
    const rest = n > pos ? (k - pos) / (n - pos) : 0;
    for (let i = 0; i < n; i++) gamma[i] = a[i]! > 0 ? 1 : rest;
  } else {
    // Σ_i clip(θ s_i − η, 0, 1) = k, s_i = √a_i: bisection on θ brackets the piece, then solve it
    let lo = 0, hi = 0;
    for (let i = 0; i < n; i++) if (a[i]! > 0) hi = Math.max(hi, (1 + eta) / Math.sqrt(a[i]!));
    let smin = Infinity;
    for (let i = 0; i < n; i++) if (a[i]! > 0) smin = Math.min(smin, Math.sqrt(a[i]!));
    hi = Math.max(hi, (1 + eta) / smin); // at θ = hi every positive entry is at 1: sum = pos > k
    const sum = (th: number): number => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const g = th * Math.sqrt(a[i]!) - eta;
        s += g <= 0 ? 0 : g >= 1 ? 1 : g;
      }
      return s;
    };
    for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      if (sum(mid) < k) lo = mid;
      else hi = mid;
    }
    // on the piece at θ ∈ [lo, hi]: the free set F (0 < γ < 1) and the saturated count u give
    // θ Σ_F s_i − η|F| + u = k
    const th0 = 0.5 * (lo + hi);
    let sFree = 0, nFree = 0, nOne = 0;
    for (let i = 0; i < n; i++) {
      const g = th0 * Math.sqrt(a[i]!) - eta;
      if (g >= 1) nOne++;
      else if (g > 0) { nFree++; sFree += Math.sqrt(a[i]!); }
    }
    let th = nFree > 0 && sFree > 0 ? (k - nOne + eta * nFree) / sFree : th0;
    if (!(th >= lo && th <= hi)) th = th0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const g = th * Math.sqrt(a[i]!) - eta;
      gamma[i] = g <= 0 ? 0 : g >= 1 ? 1 : g;
      total += gamma[i]!;
    }
    // exact trace: put the rounding residue on the free entries
    if (nFree > 0 && total !== k) {
      const corr = (k - total) / nFree;
      for (let i = 0; i < n; i++) if (gamma[i]! > 0 && gamma[i]! < 1) gamma[i] = Math.min(1, Math.max(0, gamma[i]! + corr));
    }
  }
  let value = 0;
  for (let i = 0; i < n; i++) value += a[i]! / (eta + gamma[i]!);
  return value;
}

/**
 * The penalty p(W) = c·min_M tr(Zᵀ(ηI + M)⁻¹Z) with M eliminated in closed form (see the module
 * documentation): value, gradient, the optimal M, and the conjugate for the duality gap. Holds its
 * buffers; not re-entrant.
 *
 * @example
 * ```ts
 * const p = new MatrixFractional(d, T, 'cols', k, eta, c); // clustered: M is T×T
 * const v = p.evaluate(W);        // also fixes M = M*(W)
 * p.gradient(W, G);               // 2c W (ηI + M)⁻¹ (M = M*(W) of the last evaluate)
 * const gap = v + p.conjugate(V) - dot(W, V);
 * ```
 * @see {@link fractionalWeights}
 */
export class MatrixFractional {
  /** Rows d of W. */
  readonly d: number;
  /** Columns T of W. */
  readonly T: number;
  /** `'rows'`: M is d×d (tr WᵀPW, convex ASO); `'cols'`: M is T×T (tr WPWᵀ, clustered). */
  readonly side: 'rows' | 'cols';
  /** tr M. */
  readonly k: number;
  /** η > 0. */
  readonly eta: number;
  /** c > 0. */
  readonly c: number;
  /** The order n of M. */
  readonly n: number;
  private readonly a: Float64Array; // eigenvalues of Z Zᵀ (n, zero-padded)
  /** γ: the eigenvalues of the current M, descending with the singular values of W (length n). */
  readonly gamma: Float64Array;
  private readonly P: Float64Array; // (ηI + M)⁻¹, n×n
  private readonly B: Float64Array;
  private readonly U: Float64Array; // correction directions, rows (≤ min(d, T) × n)
  private readonly coef: Float64Array;
  private rank = 0;
  private g0 = NaN;
  private readonly small: { S: Float64Array; a: Float64Array; Q: Float64Array; ws: SymEigWorkspace; m: number };

  /**
   * @param d - rows of W
   * @param T - columns of W
   * @param side - which side M acts on
   * @param k - tr M, in [0, n]
   * @param eta - η > 0
   * @param c - c > 0
   */
  constructor(d: number, T: number, side: 'rows' | 'cols', k: number, eta: number, c: number) {
    this.d = d;
    this.T = T;
    this.side = side;
    this.k = k;
    this.eta = eta;
    this.c = c;
    const n = side === 'rows' ? d : T;
    this.n = n;
    this.a = new Float64Array(n);
    this.gamma = new Float64Array(n);
    this.P = new Float64Array(n * n);
    const m = Math.min(d, T);
    this.B = new Float64Array(m * n);
    this.U = new Float64Array(m * n);
    this.coef = new Float64Array(m);
    this.small = { S: new Float64Array(m * m), a: new Float64Array(m), Q: new Float64Array(m * m), ws: createSymEigWorkspace(m), m };
  }

  /**
   * Fixes M = M*(W) and returns p(W). The eigendecomposition is of the smaller Gram matrix of W
   * (min(d, T) square); when M lives on the larger side, P = (ηI + M)⁻¹ is assembled as
   * (η + γ₀)⁻¹ I plus a correction of rank ≤ min(d, T) along the singular vectors u_i = Z v_i / σ_i
   * whose γ_i differs from the weight γ₀ of the null directions of Z.
   * @param W - d×T row-major
   * @returns c · Σ_i a_i/(η + γ_i)
   */
  evaluate(W: Float64Array): number {
    const { d, T, n, a, gamma, P, eta } = this;
    const sm = this.small;
    const m = sm.m;
    // the small Gram, in M's space when M is the smaller side: W Wᵀ (d×d) or Wᵀ W (T×T)
    const sameSide = n === m; // the small Gram lives in M's space
    const rowsGram = this.side === 'rows' ? sameSide : !sameSide;
    if (rowsGram) gemmNT(d, d, T, W, W, sm.S, 0);
    else gemmTN(T, T, d, W, W, sm.S, 0);
    symmetrize(sm.S, m);
    if (!allFinite(sm.S, m * m)) return NaN; // overflow: the caller stops with status 'non-finite'
    symEigInto({ rows: m, cols: m, data: sm.S }, sm.a, sm.Q, sm.ws);
    a.fill(0);
    for (let i = 0; i < m; i++) a[i] = Math.max(sm.a[i]!, 0);
    const value = fractionalWeights(a, this.k, eta, gamma);
    const g0 = n > m ? gamma[n - 1]! : 0; // the weight of Z's null directions
    // U (rows): unit vectors in M's space of the directions i < m
    const U = this.U;
    let r = 0;
    for (let i = 0; i < m; i++) {
      if (n > m && gamma[i] === g0) continue;
      if (sameSide) {
        U.set(sm.Q.subarray(i * m, (i + 1) * m), r * n);
      } else {
        const sig = Math.sqrt(a[i]!);
        if (!(sig > 0)) continue;
        // u_i = Z v_i / σ_i: Z = W (rows, v_i ∈ ℝ^T) or Z = Wᵀ (cols, v_i ∈ ℝ^d)
        const v = sm.Q.subarray(i * m, (i + 1) * m);
        if (this.side === 'rows') {
          for (let j = 0; j < d; j++) { let s = 0; for (let t = 0; t < T; t++) s += W[j * T + t]! * v[t]!; U[r * n + j] = s / sig; }
        } else {
          for (let t = 0; t < T; t++) U[r * n + t] = 0;
          for (let j = 0; j < d; j++) { const vj = v[j]! / sig; for (let t = 0; t < T; t++) U[r * n + t]! += W[j * T + t]! * vj; }
        }
      }
      this.coef[r] = gamma[i]!;
      r++;
    }
    this.rank = r;
    this.g0 = n > m ? g0 : NaN;
    // P = (η + γ₀)⁻¹ I + Σ_r ((η + γ_r)⁻¹ − (η + γ₀)⁻¹) u_r u_rᵀ  (γ₀ term absent when n = m)
    const base = n > m ? 1 / (eta + g0) : 0;
    const B = this.B;
    for (let i = 0; i < r; i++) {
      const w = 1 / (eta + this.coef[i]!) - base;
      for (let j = 0; j < n; j++) B[i * n + j] = w * U[i * n + j]!;
    }
    gemmTN(n, n, r, U, B, P, 0);
    for (let i = 0; i < n; i++) P[i * n + i]! += base;
    symmetrize(P, n);
    return this.c * value;
  }

  /**
   * ∇p(W) at the W of the last {@link MatrixFractional.evaluate}: 2c P W (rows) or 2c W P (cols).
   * @param W - d×T (the same W)
   * @param out - output d×T
   */
  gradient(W: Float64Array, out: Float64Array): void {
    const { d, T, P, c } = this;
    if (this.side === 'rows') gemmNN(d, T, d, P, W, out, 0);
    else gemmNN(d, T, T, W, P, out, 0);
    for (let q = 0; q < d * T; q++) out[q]! *= 2 * c;
  }

  /**
   * (ηI + M)⁻¹ for the current M (n×n; do not modify).
   * @returns the matrix
   */
  shiftedInverse(): Float64Array {
    return this.P;
  }

  /**
   * The parts of P = (ηI + M)⁻¹ = β I + Σ_{i<r} (1/(η + γ_i) − β) u_i u_iᵀ for the current M:
   * β = 1/(η + γ₀) (0 when M lives on the smaller side, where the u_i span the whole space), the
   * orthonormal u_i (rows of U, length n each) and their weights γ_i (do not modify).
   * @returns β, U (r rows of length n), γ (length ≥ r) and r
   */
  shiftedInverseParts(): { beta: number; U: Float64Array; gamma: Float64Array; rank: number } {
    return { beta: Number.isNaN(this.g0) ? 0 : 1 / (this.eta + this.g0), U: this.U, gamma: this.coef, rank: this.rank };
  }

  /**
   * M = γ₀ I + Σ_r (γ_r − γ₀) u_r u_rᵀ for the current W, exactly symmetric.
   * @param out - output n×n
   * @returns `out`
   */
  optimalM(out: Float64Array): Float64Array {
    const { n, U, B } = this;
    const r = this.rank;
    const base = Number.isNaN(this.g0) ? 0 : this.g0;
    for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) B[i * n + j] = (this.coef[i]! - base) * U[i * n + j]!;
    gemmTN(n, n, r, U, B, out, 0);
    for (let i = 0; i < n; i++) out[i * n + i]! += base;
    symmetrize(out, n);
    return out;
  }

  /**
   * p*(V) = (η‖V‖² + Σ_{i≤k} σ_i(V)²) / (4c) (fractional k: the (k − ⌊k⌋) share of σ_{⌊k⌋+1}²).
   * @param V - d×T
   * @returns the conjugate value
   */
  conjugate(V: Float64Array): number {
    const { d, T, eta, c, k } = this;
    const { S, a, ws, m } = this.small;
    // eigenvalues of the smaller Gram of V (overwrites the small workspace, not the current M)
    if (d <= T) gemmNT(d, d, T, V, V, S, 0);
    else gemmTN(T, T, d, V, V, S, 0);
    symmetrize(S, m);
    if (!allFinite(S, m * m)) return NaN;
    symEigInto({ rows: m, cols: m, data: S }, a, null, ws);
    let fro = 0;
    for (let q = 0; q < d * T; q++) fro += V[q]! * V[q]!;
    let top = 0;
    const kf = Math.floor(k);
    for (let i = 0; i < Math.min(kf, m); i++) top += Math.max(a[i]!, 0);
    if (kf < m && k > kf) top += (k - kf) * Math.max(a[kf]!, 0);
    return (eta * fro + top) / (4 * c);
  }
}

function allFinite(A: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(A[i]!)) return false;
  return true;
}
