/**
 * Preconditioned conjugate gradients for quadratic multi-task problems with a task coupling:
 *
 *   minimise  L(W) + ½ ⟨W, W A⟩ − ⟨C, W⟩,   i.e. solve  H(W) + W A = B + C,
 *
 * H(W)_t = H_t w_t the per-task Hessian of the squared loss ({@link TaskQuadratic}) and A (T×T,
 * symmetric positive semi-definite) the coupling: A = 2ρ₁ R Rᵀ + 2ρ I for the graph penalty
 * ρ₁‖WR‖² + ρ‖W‖², A = 2c (ηI + M)⁻¹ for the clustered relaxation at fixed M. The Hessian of the
 * whole problem is blockdiag(H_t) + A ⊗ I_d (task-major).
 *
 * Preconditioner: for a shared design without missing responses, the exact inverse (a symmetric
 * Sylvester solve, {@link SylvesterSolver}: CG stops after one or two steps, iterative refinement);
 * for per-task designs, block Jacobi: per task (H_t + A_tt I)⁻¹ from one eigendecomposition of H_t
 * (re-shifted, not refactored, when A changes). A sparse coupling (a graph with few edges) is
 * applied in compressed rows.
 *
 * Reference: M. R. Hestenes & E. Stiefel, "Methods of conjugate gradients for solving linear
 * systems", J. Res. NBS 49, 1952; Y. Saad, *Iterative Methods for Sparse Linear Systems* (2nd ed.,
 * 2003), Alg. 9.1.
 *
 * @packageDocumentation
 */
import { gemmNN, gemv, gemvT } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import { SylvesterSolver } from './sylvester.js';
import type { TaskQuadratic } from './taskQuadratic.js';

/** The outcome of {@link TaskCoupledSolver.solve}. */
export interface PcgResult {
  /** CG iterations taken. */
  iterations: number;
  /** ‖B + C − H(W) − W A‖_F at the returned W (recomputed from W, not the recursion). */
  residualNorm: number;
  /** `'converged'`, `'max-iterations'` or `'non-finite'`. */
  status: 'converged' | 'max-iterations' | 'non-finite';
}

/**
 * Solves H(W) + W A = rhs by preconditioned conjugate gradients, warm-started; buffers are allocated
 * once per solver, so repeated solves (a path, an alternation) allocate nothing.
 *
 * @example
 * ```ts
 * const q = new TaskQuadratic(loss);
 * const s = new TaskCoupledSolver(q);
 * s.setCoupling(A);                      // T×T
 * const res = s.solve(q.B, W, 1e-12);    // W: warm start in, solution out
 * ```
 * @see {@link SylvesterSolver}, {@link TaskQuadratic}
 */
export class TaskCoupledSolver {
  /** The Gram statistics of the loss. */
  readonly q: TaskQuadratic;
  private readonly pre: SylvesterSolver | null;
  private readonly jac: BlockJacobi | null;
  private readonly sparse: { ptr: Int32Array; idx: Int32Array; val: Float64Array; use: boolean };
  private A: Float64Array;
  private readonly R: Float64Array;
  private readonly Z: Float64Array;
  private readonly P: Float64Array;
  private readonly Q: Float64Array;
  private readonly WA: Float64Array;
  /** True when the preconditioner is the exact inverse (shared design). */
  readonly exact: boolean;

  /**
   * @param q - the Gram statistics of the loss
   */
  constructor(q: TaskQuadratic) {
    const { d, T } = q;
    this.q = q;
    const dT = d * T;
    this.R = new Float64Array(dT);
    this.Z = new Float64Array(dT);
    this.P = new Float64Array(dT);
    this.Q = new Float64Array(dT);
    this.WA = new Float64Array(dT);
    this.A = new Float64Array(T * T);
    this.sparse = { ptr: new Int32Array(T + 1), idx: new Int32Array(0), val: new Float64Array(0), use: false };
    if (!q.finite) {
      // overflowed statistics: no preconditioner (solve() reports 'non-finite' at once)
      this.pre = null;
      this.jac = null;
    } else if (q.G !== null) {
      this.pre = new SylvesterSolver(d, T, q.G, q.scale2);
      this.jac = null;
    } else {
      this.pre = null;
      this.jac = new BlockJacobi(q);
    }
    this.exact = q.G !== null;
  }

  /**
   * Sets the coupling A (T×T symmetric positive semi-definite; copied) and refactors the
   * preconditioner (one T×T eigendecomposition).
   * @param A - T×T row-major
   */
  setCoupling(A: Float64Array): void {
    const T = this.q.T;
    this.A = Float64Array.from(A.subarray(0, T * T));
    let nnz = 0;
    for (let k = 0; k < T * T; k++) if (this.A[k] !== 0) nnz++;
    const sp = this.sparse;
    sp.use = nnz * 4 <= T * T;
    if (sp.use) {
      // rows of A in compressed form (A is symmetric: row i = column i)
      sp.idx = new Int32Array(nnz);
      sp.val = new Float64Array(nnz);
      let p = 0;
      for (let i = 0; i < T; i++) {
        sp.ptr[i] = p;
        for (let j = 0; j < T; j++) if (this.A[i * T + j] !== 0) { sp.idx[p] = j; sp.val[p] = this.A[i * T + j]!; p++; }
      }
      sp.ptr[T] = p;
    }
    if (this.jac) this.jac.setShift(this.A);
    else if (this.pre && this.A.every(Number.isFinite)) this.pre.setCoupling(this.A);
  }

  private precondition(R: Float64Array, Z: Float64Array): void {
    if (this.jac) this.jac.solve(R, Z);
    else if (this.pre) this.pre.solve(R, Z);
    else Z.set(R);
  }

  /**
   * out = H(W) + W A.
   * @param W - d×T
   * @param out - output d×T (must not alias W)
   */
  apply(W: Float64Array, out: Float64Array): void {
    const { d, T } = this.q;
    this.q.apply(W, out);
    const sp = this.sparse;
    if (sp.use) {
      // out_jt += Σ_s W_js A_st  (A sparse, symmetric: column t = row t)
      const { ptr, idx, val } = sp;
      for (let j = 0; j < d; j++) {
        const o = j * T;
        for (let t = 0; t < T; t++) {
          let s = 0;
          for (let p = ptr[t]!; p < ptr[t + 1]!; p++) s += W[o + idx[p]!]! * val[p]!;
          out[o + t]! += s;
        }
      }
      return;
    }
    gemmNN(d, T, T, W, this.A, this.WA, 0); // W A
    const WA = this.WA;
    for (let k = 0; k < out.length; k++) out[k]! += WA[k]!;
  }

  /**
   * Solves H(W) + W A = rhs from the warm start in W, stopping at ‖rhs − H(W) − W A‖_F ≤ tolAbs.
   * @param rhs - d×T (not modified)
   * @param W - in: the starting point; out: the solution
   * @param tolAbs - absolute tolerance on the residual norm
   * @param maxIter - iteration cap @default 2000
   * @returns iterations, the recomputed residual norm and the status
   */
  solve(rhs: Float64Array, W: Float64Array, tolAbs: number, maxIter = 2000): PcgResult {
    const { R, Z, P, Q } = this;
    const n = R.length;
    if (!this.q.finite) return { iterations: 0, residualNorm: NaN, status: 'non-finite' };
    // R = rhs − Op(W)
    this.apply(W, Q);
    let rr = 0;
    for (let k = 0; k < n; k++) { R[k] = rhs[k]! - Q[k]!; rr += R[k]! * R[k]!; }
    if (!Number.isFinite(rr)) return { iterations: 0, residualNorm: NaN, status: 'non-finite' };
    let it = 0;
    if (Math.sqrt(rr) <= tolAbs) return { iterations: 0, residualNorm: Math.sqrt(rr), status: 'converged' };
    this.precondition(R, Z); // Z = M⁻¹ R
    P.set(Z);
    let rz = 0;
    for (let k = 0; k < n; k++) rz += R[k]! * Z[k]!;
    let status: PcgResult['status'] = 'max-iterations';
    while (it < maxIter) {
      it++;
      this.apply(P, Q); // Q = Op(P)
      let pq = 0;
      for (let k = 0; k < n; k++) pq += P[k]! * Q[k]!;
      if (!(pq > 0)) {
        status = Number.isFinite(pq) ? 'converged' : 'non-finite'; // zero curvature: nothing left to reduce
        break;
      }
      const alpha = rz / pq;
      rr = 0;
      // W += α P, R −= α Q
      for (let k = 0; k < n; k++) {
        W[k]! += alpha * P[k]!;
        R[k]! -= alpha * Q[k]!;
        rr += R[k]! * R[k]!;
      }
      if (!Number.isFinite(rr)) { status = 'non-finite'; break; }
      if (Math.sqrt(rr) <= tolAbs) { status = 'converged'; break; }
      this.precondition(R, Z);
      let rzNew = 0;
      for (let k = 0; k < n; k++) rzNew += R[k]! * Z[k]!;
      const beta = rzNew / rz;
      rz = rzNew;
      // P = Z + β P
      for (let k = 0; k < n; k++) P[k] = Z[k]! + beta * P[k]!;
    }
    // the true residual (the recursion drifts at the level of round-off)
    this.apply(W, Q);
    rr = 0;
    for (let k = 0; k < n; k++) { const r = rhs[k]! - Q[k]!; rr += r * r; }
    const residualNorm = Math.sqrt(rr);
    if (!Number.isFinite(residualNorm)) status = 'non-finite';
    else if (status === 'converged' && residualNorm > tolAbs && it < maxIter) {
      // restart once from the true residual
      const again = this.solve(rhs, W, tolAbs, maxIter - it);
      return { iterations: it + again.iterations, residualNorm: again.residualNorm, status: again.status };
    }
    return { iterations: it, residualNorm, status };
  }
}

/** Block-Jacobi preconditioner: per task (H_t + A_tt I)⁻¹ from an eigendecomposition of H_t. */
class BlockJacobi {
  private readonly d: number;
  private readonly T: number;
  /** Eigenvectors of each H_t as rows: T blocks of d×d, task t at t·d². */
  private readonly Q: Float64Array;
  /** Eigenvalues λ_tk of H_t, T×d. */
  private readonly lam: Float64Array;
  /** 1/(λ_tk + A_tt), T×d. */
  private readonly inv: Float64Array;
  private readonly c: Float64Array;
  private readonly e: Float64Array;

  constructor(q: TaskQuadratic) {
    const { d, T } = q;
    this.d = d;
    this.T = T;
    this.Q = new Float64Array(T * d * d);
    this.lam = new Float64Array(T * d);
    const ws = createSymEigWorkspace(d);
    const blk = new Float64Array(d * d);
    // H_t = Q_tᵀ diag(λ_t) Q_t, one eigendecomposition per task into its block
    for (let t = 0; t < T; t++) {
      symEigInto({ rows: d, cols: d, data: q.block(t, blk) }, this.lam.subarray(t * d, (t + 1) * d), this.Q.subarray(t * d * d, (t + 1) * d * d), ws);
    }
    this.inv = new Float64Array(T * d);
    this.c = new Float64Array(d);
    this.e = new Float64Array(d);
  }

  setShift(A: Float64Array): void {
    const { d, T } = this;
    for (let t = 0; t < T; t++) {
      const a = A[t * T + t]!, lt = this.lam, o = t * d;
      let top = 0;
      for (let k = 0; k < d; k++) top = Math.max(top, Math.max(lt[o + k]!, 0) + a);
      for (let k = 0; k < d; k++) {
        const v = Math.max(lt[o + k]!, 0) + a;
        this.inv[t * d + k] = v > 1e-14 * top ? 1 / v : 0;
      }
    }
  }

  solve(R: Float64Array, Z: Float64Array): void {
    const { d, T, c, e } = this;
    for (let t = 0; t < T; t++) {
      // z_t = Q_t diag(1/(λ + a)) Q_tᵀ r_t
      for (let j = 0; j < d; j++) c[j] = R[j * T + t]!;
      gemv(d, d, this.Q, t * d * d, c, 0, e, 0, 0);
      for (let k = 0; k < d; k++) e[k]! *= this.inv[t * d + k]!;
      gemvT(d, d, this.Q, t * d * d, e, 0, c, 0, 0);
      for (let j = 0; j < d; j++) Z[j * T + t] = c[j]!;
    }
  }
}
