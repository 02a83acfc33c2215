/**
 * The spectral capped simplex {M ∈ Sⁿ : 0 ⪯ M ⪯ I, tr M = k} as a penalty (its indicator): the
 * constraint set of convex ASO (Chen, Tang, Liu & Ye 2009) and of convex clustered multi-task learning
 * (Zhou, Chen & Ye 2011). Prox = Euclidean projection: symmetrise, eigendecompose, project the
 * eigenvalues onto the capped simplex {0 ≤ σ ≤ 1, Σσ = k}, rebuild.
 *
 * @packageDocumentation
 */
import type { Penalty } from './types.js';
import { createSymEigWorkspace, symEigInto, type SymEigWorkspace } from '../linalg/eig.js';
import { projectCappedSimplex } from '../linalg/cappedSimplex.js';
import { symmetrize } from '../linalg/symmetrize.js';
import type { Mat } from '../types.js';

/**
 * The indicator of {0 ⪯ M ⪯ I, tr M = k} over n×n matrices (row-major). After a prox, `values` and
 * `vectorsT` hold the eigendecomposition of the output (M = Σ_i σ_i q_i q_iᵀ, row i of `vectorsT` = q_i).
 *
 * @example
 * ```ts
 * const C = new SpectralCappedSimplex(T, 2);
 * C.prox(V, 1, M); // the nearest M with 0 ⪯ M ⪯ I, tr M = 2
 * ```
 * @see {@link projectCappedSimplex}; J. Chen, L. Tang, J. Liu & J. Ye, ICML 2009; J. Zhou, J. Chen & J. Ye, NIPS 2011
 */
export class SpectralCappedSimplex implements Penalty {
  /** Eigenvalues of the last prox output (descending eigenvalues of the input, projected). */
  readonly values: Float64Array;
  /** Eigenvectors of the last prox output, as rows (n×n). */
  readonly vectorsT: Float64Array;
  private readonly work: SymEigWorkspace;
  private readonly raw: Float64Array;
  private readonly sym: Float64Array;
  private readonly sortWork: Float64Array;
  /**
   * @param n - order of M
   * @param k - the trace, 0 ≤ k ≤ n
   * @param tol - feasibility tolerance of {@link SpectralCappedSimplex.value} @default 1e-9
   */
  constructor(readonly n: number, readonly k: number, readonly tol = 1e-9) {
    this.values = new Float64Array(n);
    this.vectorsT = new Float64Array(n * n);
    this.work = createSymEigWorkspace(n);
    this.raw = new Float64Array(n);
    this.sym = new Float64Array(n * n);
    this.sortWork = new Float64Array(n);
  }
  private decompose(M: Float64Array): void {
    const n = this.n;
    this.sym.set(M.subarray(0, n * n));
    symmetrize(this.sym, n); // (M + Mᵀ)/2
    const A: Mat = { rows: n, cols: n, data: this.sym };
    symEigInto(A, this.raw, this.vectorsT, this.work);
  }
  value(M: Float64Array): number {
    const n = this.n;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      if (Math.abs(M[i * n + j]! - M[j * n + i]!) > this.tol) return Infinity;
    }
    this.decompose(M);
    let tr = 0;
    for (let i = 0; i < n; i++) {
      const s = this.raw[i]!;
      if (s < -this.tol || s > 1 + this.tol) return Infinity;
      tr += s;
    }
    return Math.abs(tr - this.k) <= this.tol * Math.max(1, this.k) ? 0 : Infinity;
  }
  prox(V: Float64Array, _step: number, out: Float64Array): void {
    const n = this.n;
    this.decompose(V);
    projectCappedSimplex(this.raw, this.k, this.values, this.sortWork);
    // M = Qᵀ diag(σ) Q  (rows of vectorsT = q_i)
    const Q = this.vectorsT, s = this.values;
    out.fill(0, 0, n * n);
    for (let a = 0; a < n; a++) {
      const sa = s[a]!;
      if (sa === 0) continue;
      const qa = a * n;
      for (let i = 0; i < n; i++) {
        const f = sa * Q[qa + i]!;
        if (f === 0) continue;
        for (let j = i; j < n; j++) out[i * n + j]! += f * Q[qa + j]!;
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i]!;
  }
}
