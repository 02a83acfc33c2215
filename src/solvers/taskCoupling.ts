/**
 * The optimality system of quadratic task-coupling penalties on top of the squared loss (mean
 * regularisation, cluster means): (H_t + 2αI) w_t + γ w̄_S = r_t for the tasks t of a subset S, w̄_S
 * their mean. Eliminating the tasks leaves the d×d Schur complement Σ_t A_t⁻¹(H_t + δI), δ = 2α + γ,
 * whose terms are all positive semi-definite; a shared design is diagonalised by one
 * eigendecomposition of XᵀX, per-task designs factor every block by Cholesky.
 *
 * References: T. Evgeniou & M. Pontil, "Regularized multi-task learning", KDD 2004; G. H. Golub &
 * C. F. Van Loan, *Matrix Computations* (4th ed.), §4.2 (Cholesky) and §8.1 (symmetric eigenproblem).
 *
 * @packageDocumentation
 */
import { gemmNN, gemmTN, gemv, gemvT } from '../linalg/blas.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';
import { symEig } from '../linalg/eig.js';
import { symmetrize } from '../linalg/symmetrize.js';
import type { TaskQuadratic } from './taskQuadratic.js';

/**
 * A factored solver of the coupled system (H_t + 2αI) w_t + γ w̄_S = r_t for the tasks t of a subset
 * S, w̄_S their mean; built by {@link TaskCouplingSystem.prepare}. Allocation-free.
 */
export interface CoupledSolve {
  /** The tasks of the subset, in increasing order. */
  readonly tasks: Int32Array;
  /**
   * Solves for the right-hand sides r_t = column t of `rhs` (d×T) for t in `tasks`; writes the
   * columns t of `W` (d×T; the other columns are untouched) and the subset mean into `wbar` (length d).
   * @param rhs - right-hand sides, d×T
   * @param W - output, d×T
   * @param wbar - output, length d
   */
  solve(rhs: Float64Array, W: Float64Array, wbar: Float64Array): void;
}

/**
 * The optimality system of quadratic task-coupling penalties on top of the squared loss:
 * per-task Gram blocks H_t = 2 s_t X_tᵀX_t (centred when fitting intercepts) and right-hand sides
 * g_t = 2 s_t X_tᵀ y_t, and a structured solver for (H_t + 2αI) w_t + γ w̄_S = r_t over any subset S
 * of tasks (Schur complement on w̄_S; see the module documentation). Shared designs without missing
 * responses use one eigendecomposition of XᵀX; otherwise every block is factored by Cholesky
 * (memory 3·T·d² numbers). Used by {@link meanRegularized} and `clusteredMeanRegularized`.
 *
 * @example
 * ```ts
 * const sys = new TaskCouplingSystem(new TaskQuadratic(new QuadraticLoss(data)));
 * const all = Int32Array.from({ length: data.T }, (_, t) => t);
 * const solver = sys.prepare(all, 0.1, -0.18); // α, γ
 * solver?.solve(sys.rhs, W, wbar);
 * ```
 * @see {@link meanRegularized}
 */
export class TaskCouplingSystem {
  /** Features d. */
  readonly d: number;
  /** Tasks T. */
  readonly T: number;
  /** Per-task loss scales s_t. */
  readonly scales: Float64Array;
  /** g = Xᵀ(2 s ⊙ Y) (centred responses), d×T: the right-hand side of the optimality system. */
  readonly rhs: Float64Array;
  /** `'shared'` (one eigendecomposition of XᵀX) or `'tasks'` (per-task Cholesky). */
  readonly kind: 'shared' | 'tasks';
  private readonly q: TaskQuadratic;
  private readonly U: Float64Array; // shared: eigenvectors of G as columns (d×d)
  private readonly e: Float64Array; // shared: eigenvalues of G (≥ 0)
  private factoredAlpha = NaN;
  private factorOk = false;
  private readonly Ainv: Float64Array[] = [];
  private readonly N: Float64Array[] = [];

  /**
   * @param q - the Gram statistics of the squared loss ({@link TaskQuadratic})
   */
  constructor(q: TaskQuadratic) {
    const { d, T } = q;
    this.q = q;
    this.d = d;
    this.T = T;
    this.rhs = q.B;
    this.scales = Float64Array.from(q.scale2, (c) => c / 2);
    if (q.G !== null) {
      this.kind = 'shared';
      const { values, vectors } = symEig({ rows: d, cols: d, data: q.G });
      this.U = vectors.data;
      this.e = values.map((v) => Math.max(v, 0));
    } else {
      this.kind = 'tasks';
      this.U = new Float64Array(0);
      this.e = new Float64Array(0);
    }
  }

  /** Factors A_t = H_t + 2αI for every task (per-task backend); false when one is singular. */
  private factor(alpha: number): boolean {
    if (this.kind === 'shared') return true;
    if (alpha === this.factoredAlpha) return this.factorOk;
    const { d, T } = this;
    const L = new Float64Array(d * d), col = new Float64Array(d);
    this.factoredAlpha = alpha;
    this.factorOk = false;
    for (let t = 0; t < T; t++) {
      const Ht = this.q.H[t]!;
      // L Lᵀ = A_t = H_t + 2αI
      L.set(Ht);
      for (let i = 0; i < d; i++) L[i * d + i]! += 2 * alpha;
      if (!choleskyFactor(d, L)) return false;
      const Ainv = this.Ainv[t] ?? new Float64Array(d * d);
      const N = this.N[t] ?? new Float64Array(d * d);
      // A_t⁻¹ column by column (symmetric: column i = row i)
      for (let i = 0; i < d; i++) {
        col.fill(0);
        col[i] = 1;
        choleskySolveFactored(d, L, col, col);
        Ainv.set(col, i * d);
      }
      symmetrize(Ainv, d);
      gemmNN(d, d, d, Ht, Ainv, N, 0); // N_t = H_t A_t⁻¹ (= A_t⁻¹ H_t)
      symmetrize(N, d);
      this.Ainv[t] = Ainv;
      this.N[t] = N;
    }
    this.factorOk = true;
    return true;
  }

  /**
   * Factors the coupled system for a subset of tasks.
   * @param tasks - the subset S (distinct task indices in [0, T), any order; copied and sorted)
   * @param alpha - α ≥ 0: the diagonal shift 2α of each block
   * @param gamma - γ: the coupling through the subset mean (δ = 2α + γ must be ≥ 0)
   * @returns the solver, or `null` when α = 0 and a task block H_t is singular (per-task backend)
   */
  prepare(tasks: Int32Array, alpha: number, gamma: number): CoupledSolve | null {
    const S = Int32Array.from(tasks).sort();
    const { d, T } = this;
    const m = S.length;
    const delta = 2 * alpha + gamma;
    const cols = new Float64Array(d * Math.max(m, 1));
    const tmp = new Float64Array(d);
    if (this.kind === 'shared') {
      // everything diagonal in the eigenbasis of G: a_tk = 2 s_t e_k + 2α
      const U = this.U, e = this.e, s = this.scales;
      let amax = 0;
      for (let k = 0; k < d; k++) for (let i = 0; i < m; i++) amax = Math.max(amax, 2 * s[S[i]!]! * e[k]! + 2 * alpha);
      const aFloor = 1e-13 * amax;
      const schurInv = new Float64Array(d);
      let smax = 0;
      const schur = new Float64Array(d);
      for (let k = 0; k < d; k++) {
        let sk = 0;
        for (let i = 0; i < m; i++) {
          const a = 2 * s[S[i]!]! * e[k]! + 2 * alpha;
          if (a > aFloor) sk += (a - 2 * alpha + delta) / a;
        }
        schur[k] = sk;
        smax = Math.max(smax, sk);
      }
      for (let k = 0; k < d; k++) schurInv[k] = schur[k]! > 1e-12 * smax ? 1 / schur[k]! : 0;
      const h = new Float64Array(d * Math.max(m, 1));
      return {
        tasks: S,
        solve(rhs: Float64Array, W: Float64Array, wbar: Float64Array): void {
          // gather the subset's right-hand sides (d×m), h = Uᵀ r
          for (let j = 0; j < d; j++) for (let i = 0; i < m; i++) cols[j * m + i] = rhs[j * T + S[i]!]!;
          gemmTN(d, m, d, U, cols, h, 0);
          for (let k = 0; k < d; k++) {
            let num = 0;
            const ko = k * m;
            for (let i = 0; i < m; i++) {
              const a = 2 * s[S[i]!]! * e[k]! + 2 * alpha;
              if (a > aFloor) num += h[ko + i]! / a;
            }
            const zbar = num * schurInv[k]!;
            tmp[k] = zbar;
            for (let i = 0; i < m; i++) {
              const a = 2 * s[S[i]!]! * e[k]! + 2 * alpha;
              h[ko + i] = a > aFloor ? (h[ko + i]! - gamma * zbar) / a : 0;
            }
          }
          gemmNN(d, m, d, U, h, cols, 0);
          for (let j = 0; j < d; j++) for (let i = 0; i < m; i++) W[j * T + S[i]!] = cols[j * m + i]!;
          gemv(d, d, U, 0, tmp, 0, wbar, 0, 0);
        },
      };
    }
    if (!this.factor(alpha)) return null;
    // Schur complement Σ_t (N_t + δ A_t⁻¹), symmetric PSD; pseudo-inverse by eigendecomposition
    const Sm = new Float64Array(d * d);
    for (let i = 0; i < m; i++) {
      const N = this.N[S[i]!]!, Ai = this.Ainv[S[i]!]!;
      for (let k = 0; k < d * d; k++) Sm[k]! += N[k]! + delta * Ai[k]!;
    }
    symmetrize(Sm, d);
    const { values, vectors } = symEig({ rows: d, cols: d, data: Sm });
    const Q = vectors.data;
    const qmax = Math.max(values[0]!, 0);
    const qInv = values.map((q) => (q > 1e-12 * qmax ? 1 / q : 0));
    const sumU = new Float64Array(d);
    const col = new Float64Array(d);
    const Ainv = this.Ainv;
    return {
      tasks: S,
      solve(rhs: Float64Array, W: Float64Array, wbar: Float64Array): void {
        sumU.fill(0);
        for (let i = 0; i < m; i++) {
          const t = S[i]!;
          for (let j = 0; j < d; j++) col[j] = rhs[j * T + t]!;
          gemv(d, d, Ainv[t]!, 0, col, 0, cols, i * d, 0); // u_t = A_t⁻¹ r_t
          for (let j = 0; j < d; j++) sumU[j]! += cols[i * d + j]!;
        }
        gemvT(d, d, Q, 0, sumU, 0, tmp, 0, 0);
        for (let k = 0; k < d; k++) tmp[k]! *= qInv[k]!;
        gemv(d, d, Q, 0, tmp, 0, wbar, 0, 0);
        for (let i = 0; i < m; i++) {
          const t = S[i]!;
          gemv(d, d, Ainv[t]!, 0, wbar, 0, col, 0, 0); // A_t⁻¹ w̄
          for (let j = 0; j < d; j++) W[j * T + t] = cols[i * d + j]! - gamma * col[j]!;
        }
      },
    };
  }
}

