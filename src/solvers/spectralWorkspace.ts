/**
 * The spectral decomposition used by the spectral solvers ({@link spectralProxGrad},
 * `spectralAdmm`): Z (d×T) through the eigendecomposition of its small Gram matrix ZZᵀ or ZᵀZ after an
 * exact power-of-two scaling, and the application of a map on the singular values with the result kept
 * in factored form W = P·Qᵀ (so a shared-design Gram backend can evaluate G·W as (G·P)·Qᵀ).
 *
 * @packageDocumentation
 */
import { gemmNN, gemmNT, gemmTN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigCore, type SymEigWorkspace } from '../linalg/eig.js';

/**
 * Workspace for the spectral decomposition of d×T matrices through their small Gram matrix, and the
 * application of a map on the singular values.
 */
export class SpectralWorkspace {
  /** min(d, T). */
  readonly k: number;
  /** Singular values of the last decomposed matrix (descending), then the mapped values. */
  readonly s: Float64Array;
  /** Factor P (d×k) of the last {@link SpectralWorkspace.applyMap} output. */
  readonly P: Float64Array;
  /** Factor Qᵀ (k×T) of the last {@link SpectralWorkspace.applyMap} output. */
  readonly Qt: Float64Array;
  /** Rank of the last mapped output. */
  rank = 0;
  private readonly eig: SymEigWorkspace;
  private readonly vecT: Float64Array;
  private readonly sOrig: Float64Array;
  private readonly Zs: Float64Array;
  private scale = 1;

  /**
   * @param d - rows
   * @param T - columns
   */
  constructor(readonly d: number, readonly T: number) {
    const k = Math.min(d, T);
    this.k = k;
    this.s = new Float64Array(k);
    this.sOrig = new Float64Array(k);
    this.P = new Float64Array(d * k);
    this.Qt = new Float64Array(k * T);
    this.eig = createSymEigWorkspace(k);
    this.vecT = new Float64Array(k * k);
    this.Zs = new Float64Array(d * T);
  }

  /**
   * Decomposes Z: fills {@link SpectralWorkspace.s} with its singular values (descending).
   * @param Z - d×T row-major (finite)
   * @returns false when Z has a non-finite entry
   */
  decompose(Z: Float64Array): boolean {
    const { d, T, k, Zs, eig } = this;
    let amax = 0;
    for (let i = 0; i < Z.length; i++) {
      const a = Math.abs(Z[i]!);
      if (!(a <= amax)) amax = a; // NaN and ±∞ propagate
    }
    if (!Number.isFinite(amax)) return false;
    // exact power-of-two scaling so that the Gram matrix neither overflows nor underflows
    const sc = amax > 0 ? 2 ** -Math.round(Math.log2(amax)) : 1;
    this.scale = sc;
    for (let i = 0; i < Z.length; i++) Zs[i] = Z[i]! * sc;
    // M = Z Zᵀ (d ≤ T) or Zᵀ Z (d > T), k×k, into the eigensolver's buffer
    if (d <= T) gemmNT(d, d, T, Zs, Zs, eig.a, 0);
    else gemmTN(T, T, d, Zs, Zs, eig.a, 0);
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const v = 0.5 * (eig.a[i * k + j]! + eig.a[j * k + i]!);
        eig.a[i * k + j] = v;
        eig.a[j * k + i] = v;
      }
    }
    symEigCore(k, eig, this.sOrig, this.vecT);
    const inv = 1 / sc;
    for (let i = 0; i < k; i++) {
      const v = Math.sqrt(Math.max(this.sOrig[i]!, 0));
      this.sOrig[i] = v; // singular values of the scaled Z
      this.s[i] = v * inv;
    }
    return true;
  }

  /**
   * out ← U diag(s') Vᵀ for the matrix last passed to {@link SpectralWorkspace.decompose}, where s'
   * is the current content of {@link SpectralWorkspace.s} (mapped values, descending, zeros dropped);
   * the factors P, Qᵀ of out = P·Qᵀ are kept.
   * @param out - d×T output (may not alias the decomposed Z, which is read from the scaled copy)
   * @returns the rank of out
   */
  applyMap(out: Float64Array): number {
    const { d, T, k, Zs, vecT, P, Qt } = this;
    const sc = this.scale;
    let r = k;
    while (r > 0 && !(this.s[r - 1]! > 0)) r--; // the last non-zero mapped value (zeros inside are kept as zero columns)
    this.rank = r;
    if (r === 0) {
      out.fill(0);
      return 0;
    }
    if (d <= T) {
      // out = U_r diag(f) U_rᵀ Z, f_i = s'_i / σ_i; P = U_r diag(f) (d×r), Qᵀ = U_rᵀ Z (r×T)
      for (let j = 0; j < d; j++) {
        for (let i = 0; i < r; i++) {
          const sig = this.sOrig[i]!;
          const f = sig > 0 ? (this.s[i]! * sc) / sig : 0;
          P[j * r + i] = vecT[i * d + j]! * f;
        }
      }
      gemmNN(r, T, d, vecT, Zs, Qt, 0);
      for (let i = 0; i < r * T; i++) Qt[i]! /= sc;
    } else {
      // out = Z V_r diag(f) V_rᵀ; P = Z V_r diag(f) (d×r), Qᵀ = V_rᵀ (r×T)
      gemmNT(d, r, T, Zs, vecT, P, 0);
      for (let j = 0; j < d; j++) {
        for (let i = 0; i < r; i++) {
          const sig = this.sOrig[i]!;
          P[j * r + i]! *= sig > 0 ? this.s[i]! / sig : 0;
        }
      }
      Qt.set(vecT.subarray(0, r * T));
    }
    gemmNN(d, T, r, P, Qt, out, 0); // out = P Qᵀ
    return r;
  }
}
