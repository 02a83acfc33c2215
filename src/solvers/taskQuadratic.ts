/**
 * The squared loss in Gram form, per task: L(W) = Σ_t ( ½ w_tᵀ H_t w_t − b_tᵀ w_t ) + L(0), with
 * H_t = 2 s_t X_tᵀX_t and b_t = 2 s_t X_tᵀ y_t (centred designs and responses when intercepts are
 * profiled out). This is what structured solvers of quadratic task-coupling problems need
 * (conjugate gradients, Sylvester solves, coordinate descent with Gram columns): the gradient is
 * ∇L(W) = H(W) − B with H(W)_t = H_t w_t, at O(d²T) instead of O(nd) per evaluation.
 *
 * A shared design without missing responses keeps one G = XᵀX (H_t = 2 s_t G); per-task designs (or
 * a shared design with missing responses) keep one d×d block per task.
 *
 * @packageDocumentation
 */
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { taskNormalEquations } from '../datafits/normalEquations.js';
import { gemmNN, gemv } from '../linalg/blas.js';
import { symmetrize } from '../linalg/symmetrize.js';

/**
 * Gram statistics of a {@link QuadraticLoss}: per-task H_t (or one shared G), B = −∇L(0) and the
 * per-task scales. Built once per loss (O(nd²)); the products are allocation-free.
 *
 * @example
 * ```ts
 * const q = new TaskQuadratic(new QuadraticLoss(data));
 * const G = new Float64Array(data.d * data.T);
 * q.gradient(W.data, G); // ∇L(W) = H(W) − B
 * ```
 * @see {@link QuadraticLoss}
 */
export class TaskQuadratic {
  /** Features d. */
  readonly d: number;
  /** Tasks T. */
  readonly T: number;
  /** 2 s_t per task (length T). */
  readonly scale2: Float64Array;
  /** Shared design: G = XᵀX (d×d, unscaled); null for per-task blocks. */
  readonly G: Float64Array | null;
  /** Per-task blocks H_t = 2 s_t X_tᵀX_t (d×d each); empty for a shared design. */
  readonly H: readonly Float64Array[];
  /** B = −∇L(0), d×T: column t is 2 s_t X_tᵀ y_t. */
  readonly B: Float64Array;
  /** L(0) (with optimal intercepts when they are fitted). */
  readonly valueAtZero: number;
  /** False when a statistic overflowed (data near the floating-point range): solvers stop at once. */
  readonly finite: boolean;
  private readonly col: Float64Array;
  private readonly out: Float64Array;

  /**
   * @param loss - the squared-loss datafit (its centring and scales are used; not modified)
   */
  constructor(loss: QuadraticLoss) {
    const { d, T } = loss;
    this.d = d;
    this.T = T;
    this.scale2 = loss.scales.map((s) => 2 * s);
    this.col = new Float64Array(d);
    this.out = new Float64Array(d);
    // G_t = X̃_tᵀX̃_t, C = X̃ᵀỸ from the datafit's normal equations (cached per-task Grams)
    const ne = taskNormalEquations(loss, Infinity);
    this.B = new Float64Array(d * T);
    // B = C diag(2s)
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) this.B[j * T + t] = this.scale2[t]! * ne.C[j * T + t]!;
    let v0 = 0;
    for (let t = 0; t < T; t++) v0 += loss.scales[t]! * ne.yy[t]!;
    this.valueAtZero = v0;
    if (ne.sharedGram) {
      this.G = symmetrize(Float64Array.from(ne.gram(0).subarray(0, d * d)), d);
      this.H = [];
      this.finite = allFinite(this.G) && allFinite(this.B) && Number.isFinite(this.valueAtZero);
      return;
    }
    this.G = null;
    const H: Float64Array[] = [];
    for (let t = 0; t < T; t++) {
      // H_t = 2 s_t X̃_tᵀX̃_t
      const Ht = Float64Array.from(ne.gram(t).subarray(0, d * d));
      const c = this.scale2[t]!;
      for (let k = 0; k < d * d; k++) Ht[k]! *= c;
      H.push(symmetrize(Ht, d));
    }
    this.H = H;
    this.finite = H.every(allFinite) && allFinite(this.B) && Number.isFinite(this.valueAtZero);
  }

  /**
   * The d×d block of task t, H_t = 2 s_t X_tᵀX_t, written into `out`.
   * @param t - task index
   * @param out - output, length d²
   * @returns `out`
   */
  block(t: number, out: Float64Array): Float64Array {
    const d = this.d;
    if (this.G !== null) {
      const c = this.scale2[t]!;
      for (let k = 0; k < d * d; k++) out[k] = c * this.G[k]!;
    } else {
      out.set(this.H[t]!.subarray(0, d * d));
    }
    return out;
  }

  /**
   * out = H(W): column t is H_t w_t.
   * @param W - d×T row-major
   * @param out - output d×T (must not alias W)
   */
  apply(W: Float64Array, out: Float64Array): void {
    const { d, T } = this;
    if (this.G !== null) {
      // out = G W diag(2s)
      gemmNN(d, T, d, this.G, W, out, 0);
      for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) out[j * T + t]! *= this.scale2[t]!;
      return;
    }
    const col = this.col, o = this.out;
    for (let t = 0; t < T; t++) {
      // (H W)_t = H_t w_t
      for (let j = 0; j < d; j++) col[j] = W[j * T + t]!;
      gemv(d, d, this.H[t]!, 0, col, 0, o, 0, 0);
      for (let j = 0; j < d; j++) out[j * T + t] = o[j]!;
    }
  }

  /**
   * ∇L(W) = H(W) − B.
   * @param W - d×T
   * @param out - output d×T (must not alias W)
   */
  gradient(W: Float64Array, out: Float64Array): void {
    this.apply(W, out);
    const B = this.B;
    for (let k = 0; k < out.length; k++) out[k]! -= B[k]!;
  }

  /**
   * L(W) from the gradient at W: L(W) = L(0) + ½⟨W, ∇L(W) − B⟩ (= L(0) − ⟨B, W⟩ + ½⟨W, H(W)⟩).
   * @param W - d×T
   * @param grad - ∇L(W) from {@link TaskQuadratic.gradient}
   * @returns the loss value
   */
  valueFromGradient(W: Float64Array, grad: Float64Array): number {
    const B = this.B;
    let s = 0;
    for (let k = 0; k < W.length; k++) s += W[k]! * (grad[k]! - B[k]!);
    return this.valueAtZero + 0.5 * s;
  }
}

function allFinite(A: Float64Array): boolean {
  for (let i = 0; i < A.length; i++) if (!Number.isFinite(A[i]!)) return false;
  return true;
}
