/**
 * Symmetric Sylvester equations with a task scaling: G W Θ + W A = R, G d×d and A T×T symmetric
 * positive semi-definite, Θ = diag(θ) > 0. With Z = W Θ^{1/2} it is G Z + Z Ã = R Θ^{-1/2},
 * Ã = Θ^{-1/2} A Θ^{-1/2}, which the eigendecompositions G = U Λ Uᵀ and Ã = V Σ Vᵀ diagonalise:
 * (Uᵀ Z V)_ij = (Uᵀ R Θ^{-1/2} V)_ij / (λ_i + σ_j) (Bartels & Stewart 1972, in the symmetric case).
 *
 * It is the exact solve of a quadratic multi-task problem with a shared design (Hessian
 * H_t = 2 s_t XᵀX per task plus a task coupling A ⊗ I) and, with G an average Gram matrix and θ_t the
 * tasks' relative sizes, a preconditioner for per-task designs ({@link pcgTaskCoupled}).
 *
 * @packageDocumentation
 */
import { gemmNN, gemmNT, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';

/**
 * A factored symmetric Sylvester operator W ↦ G W Θ + W A and its (pseudo-)inverse. A zero
 * denominator λ_i + σ_j (both operators singular in the same direction) gives the minimum-norm
 * solution in that direction.
 *
 * @example
 * ```ts
 * const s = new SylvesterSolver(d, T, G, theta);
 * s.setCoupling(A);   // T×T, symmetric PSD
 * s.solve(R, W);      // G W diag(θ) + W A = R
 * ```
 * @see R. H. Bartels & G. W. Stewart, "Solution of the matrix equation AX + XB = C", CACM 15, 1972.
 */
export class SylvesterSolver {
  /** Rows d of W. */
  readonly d: number;
  /** Columns T of W. */
  readonly T: number;
  private readonly U: Float64Array; // eigenvectors of G as rows (d×d)
  private readonly lam: Float64Array;
  private readonly V: Float64Array; // eigenvectors of Ã as rows (T×T)
  private readonly sig: Float64Array;
  private readonly rs: Float64Array; // θ^{-1/2}
  private readonly At: Float64Array;
  private readonly tmp: Float64Array;
  private readonly tmp2: Float64Array;
  private readonly wsT: ReturnType<typeof createSymEigWorkspace>;
  private floor = 0;

  /**
   * @param d - rows of W
   * @param T - columns of W
   * @param G - d×d symmetric positive semi-definite (copied)
   * @param theta - θ (length T), every entry > 0
   */
  constructor(d: number, T: number, G: Float64Array, theta: Float64Array) {
    this.d = d;
    this.T = T;
    this.U = new Float64Array(d * d);
    this.lam = new Float64Array(d);
    symEigInto({ rows: d, cols: d, data: Float64Array.from(G.subarray(0, d * d)) }, this.lam, this.U, createSymEigWorkspace(d));
    for (let i = 0; i < d; i++) this.lam[i] = Math.max(this.lam[i]!, 0);
    this.rs = new Float64Array(T);
    for (let t = 0; t < T; t++) this.rs[t] = 1 / Math.sqrt(theta[t]!);
    this.V = new Float64Array(T * T);
    this.sig = new Float64Array(T);
    this.At = new Float64Array(T * T);
    this.tmp = new Float64Array(d * T);
    this.tmp2 = new Float64Array(d * T);
    this.wsT = createSymEigWorkspace(T);
  }

  /**
   * Sets the coupling A (T×T, symmetric positive semi-definite) and factors Ã = Θ^{-1/2} A Θ^{-1/2}.
   * @param A - T×T row-major (read, not kept)
   */
  setCoupling(A: Float64Array): void {
    const T = this.T, rs = this.rs, At = this.At;
    // Ã = Θ^{-1/2} A Θ^{-1/2}, exactly symmetric
    for (let i = 0; i < T; i++) {
      for (let j = i; j < T; j++) {
        const v = 0.5 * (A[i * T + j]! + A[j * T + i]!) * rs[i]! * rs[j]!;
        At[i * T + j] = v;
        At[j * T + i] = v;
      }
    }
    symEigInto({ rows: T, cols: T, data: At }, this.sig, this.V, this.wsT);
    let top = 0;
    for (let j = 0; j < T; j++) { this.sig[j] = Math.max(this.sig[j]!, 0); top = Math.max(top, this.sig[j]!); }
    for (let i = 0; i < this.d; i++) top = Math.max(top, this.lam[i]!);
    this.floor = 1e-14 * top;
  }

  /**
   * W = the solution of G W Θ + W A = R (pseudo-inverse on a common null space).
   * @param R - d×T right-hand side (not modified)
   * @param W - output d×T (may alias R)
   */
  solve(R: Float64Array, W: Float64Array): void {
    const { d, T, U, V, lam, sig, rs, tmp, tmp2 } = this;
    // tmp2 = R Θ^{-1/2}
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) tmp2[j * T + t] = R[j * T + t]! * rs[t]!;
    gemmNN(d, T, d, U, tmp2, tmp, 0); // tmp = Uᵀ (R Θ^{-1/2})  (U holds the eigenvectors as rows)
    // tmp2 = tmp V  with V's eigenvectors as rows: (tmp Vcols) = tmp Vrowsᵀ
    gemmNT(d, T, T, tmp, V, tmp2, 0);
    // divide by λ_i + σ_j
    const floor = this.floor;
    for (let i = 0; i < d; i++) {
      const li = lam[i]!;
      for (let j = 0; j < T; j++) {
        const den = li + sig[j]!;
        tmp2[i * T + j] = den > floor ? tmp2[i * T + j]! / den : 0;
      }
    }
    gemmNN(d, T, T, tmp2, V, tmp, 0); // tmp = Z̃ Vᵀ (rows of V are eigenvectors)
    gemmTN(d, T, d, U, tmp, W, 0); // Z = U Z̃ Vᵀ
    // W = Z Θ^{-1/2}
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) W[j * T + t]! *= rs[t]!;
  }
}
