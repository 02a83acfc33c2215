/**
 * The weighted lasso min_W L(W) + Σ_j λ_j ‖w^j‖₁ (λ_j ∈ [0, ∞]) solved task by task on the per-task
 * Hessians: with q = 1 the problem separates over the tasks, min_x ½xᵀH_t x − g_tᵀx + Σ_j λ_j|x_j| with
 * H_t = 2s_t X̃_tᵀX̃_t (d×d) and g_t = 2s_t X̃_tᵀỹ_t, read off the row-wise state as V(0) − V(E_j) and V(0)
 * (V = −∇L; d + 1 full gradients, once per fit). Each task runs cyclic coordinate descent on its Gram
 * matrix (O(d) a coordinate) and, every few epochs, an exact face step: with S the support and σ its
 * signs, x_S ← x_S + θδ, H_SS δ = r_S − λ_S ⊙ σ_S (r = g − Hx), θ ≤ 1 shortened at the first sign
 * change — the active-set step of the feature-sign search (Lee, Battle, Raina & Ng, "Efficient sparse
 * coding algorithms", NIPS 2006), which lowers the objective and, once the support is right, lands on
 * the exact solution where coordinate descent on correlated features crawls (School: thousands of epochs
 * a stage of the multi-level lasso).
 *
 * @packageDocumentation
 */
import type { BcdDatafit } from './bcdDatafit.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';

/** Coordinate-descent epochs between face steps. */
const FACE_EVERY = 5;

/** The per-task Hessians of the squared loss and the task-wise weighted lasso solver (see the module comment). */
export class TaskLassos {
  /** H_t (T blocks of d×d, row-major). */
  readonly H: Float64Array;
  /** g = −∇L(0) (d×T). */
  readonly g: Float64Array;
  readonly d: number;
  readonly T: number;
  private readonly x: Float64Array; private readonly r: Float64Array; private readonly lw: Float64Array;
  private unit = 1;
  private readonly S: Int32Array; private readonly Hs: Float64Array; private readonly rhs: Float64Array; private readonly dx: Float64Array;

  /**
   * Whether the Hessians fit (d ≤ 256 and T·d² ≤ 2²³ doubles).
   * @param d - features
   * @param T - tasks
   * @returns true when {@link TaskLassos} may be built
   */
  static fits(d: number, T: number): boolean {
    return d <= 256 && T * d * d <= 1 << 23;
  }

  /**
   * @param f - the row-wise state of the loss (its internal W is changed)
   */
  constructor(f: BcdDatafit) {
    const { d, T } = f, n = d * T;
    this.d = d; this.T = T;
    const E = new Float64Array(n), V = new Float64Array(n);
    this.g = new Float64Array(n);
    this.H = new Float64Array(T * d * d);
    f.reset(E);
    f.fullNegGradient(E, this.g);
    for (let j = 0; j < d; j++) {
      // column j of every H_t: V(0) − V(E_j), E_j = the indicator of row j
      E.fill(1, j * T, j * T + T);
      f.reset(E);
      f.fullNegGradient(E, V);
      E.fill(0, j * T, j * T + T);
      for (let i = 0; i < d; i++) for (let t = 0; t < T; t++) this.H[t * d * d + i * d + j] = this.g[i * T + t]! - V[i * T + t]!;
    }
    this.x = new Float64Array(d); this.r = new Float64Array(d); this.lw = new Float64Array(d);
    this.S = new Int32Array(d); this.Hs = new Float64Array(d * d); this.rhs = new Float64Array(d); this.dx = new Float64Array(d);
  }

  /**
   * Solves the weighted lasso task by task from W, in place, until each task's squared stationarity
   * residual Σ_j dist(r_j, λ_j ∂|x_j|)² is ≤ tol²/T (so the Frobenius residual over all tasks is ≤ tol).
   * @param W - d×T, the start on entry, the solution on exit
   * @param weight - λ_j of row j (∞: the row is held at 0)
   * @param tol - the Frobenius stationarity tolerance
   * @param maxEpochs - epochs per task at most
   * @returns the largest number of epochs a task took, and whether every task met the tolerance
   * @example
   * ```ts
   * const tl = new TaskLassos(f);
   * tl.solve(W, (j) => h.rowWeight(j), 1e-8, 10000);
   * ```
   */
  solve(W: Float64Array, weight: (j: number) => number, tol: number, maxEpochs: number): { epochs: number; converged: boolean } {
    const { d, T } = this, x = this.x, r = this.r, lw = this.lw;
    // residuals in units of tol (no overflow of the squares at data scales ~1e78): Σ (e/tol)² ≤ 1/T
    this.unit = tol > 0 && Number.isFinite(tol) ? tol : 1;
    const tol2 = ((tol / this.unit) ** 2) / T;
    for (let j = 0; j < d; j++) lw[j] = weight(j);
    let most = 0, all = true;
    for (let t = 0; t < T; t++) {
      const H = this.H.subarray(t * d * d, (t + 1) * d * d);
      for (let j = 0; j < d; j++) x[j] = lw[j] === Infinity ? 0 : W[j * T + t]!;
      this.residual(H, t);
      let e = 0, ok = this.kkt() <= tol2;
      while (!ok && e < maxEpochs) {
        e++;
        for (let i = 0; i < d; i++) {
          // x_i ← soft(r_i + H_ii x_i, λ_i) / H_ii;  r −= H[:, i] Δ
          const hii = H[i * d + i]!, l = lw[i]!;
          const xn = !(hii > 0) || l === Infinity ? 0 : softThreshold(r[i]! + hii * x[i]!, l) / hii;
          const dlt = xn - x[i]!;
          if (dlt === 0) continue;
          x[i] = xn;
          for (let k = 0; k < d; k++) r[k]! -= H[k * d + i]! * dlt;
        }
        if (e % FACE_EVERY === 0) this.faceStep(H, t);
        ok = this.kkt() <= tol2;
      }
      most = Math.max(most, e);
      all &&= ok;
      for (let j = 0; j < d; j++) W[j * T + t] = x[j]!;
    }
    return { epochs: most, converged: all };
  }

  /** r = g_t − H_t x. */
  private residual(H: Float64Array, t: number): void {
    const { d, T } = this, x = this.x, r = this.r;
    for (let i = 0; i < d; i++) {
      let s = this.g[i * T + t]!;
      for (let k = 0; k < d; k++) s -= H[i * d + k]! * x[k]!;
      r[i] = s;
    }
  }

  /** Σ_i (dist(r_i, λ_i ∂|x_i|) / unit)². */
  private kkt(): number {
    const { d } = this, x = this.x, r = this.r, lw = this.lw, u = this.unit;
    let s = 0;
    for (let i = 0; i < d; i++) {
      const l = lw[i]!;
      if (l === Infinity) continue;
      const e = (x[i] !== 0 ? r[i]! - l * Math.sign(x[i]!) : Math.max(Math.abs(r[i]!) - l, 0)) / u;
      s += e * e;
    }
    return s;
  }

  /** The exact face step of the module comment (H_SS + 1e-10·max diag·I when H_SS is singular). */
  private faceStep(H: Float64Array, t: number): void {
    const { d } = this, x = this.x, r = this.r, lw = this.lw, S = this.S, Hs = this.Hs, rhs = this.rhs, dx = this.dx;
    let k = 0, dmax = 0;
    for (let i = 0; i < d; i++) if (x[i] !== 0) { S[k++] = i; dmax = Math.max(dmax, H[i * d + i]!); }
    if (k === 0 || !(dmax > 0) || !Number.isFinite(dmax)) return;
    // (H_SS / m) δ = (r_S − λ_S ⊙ σ_S) / m, m = max diag (no overflow in the factor at large data scales)
    const fill = (): void => {
      for (let a = 0; a < k; a++) {
        const i = S[a]!;
        rhs[a] = (r[i]! - lw[i]! * Math.sign(x[i]!)) / dmax;
        for (let b = 0; b < k; b++) Hs[a * k + b] = H[i * d + S[b]!]! / dmax;
      }
    };
    fill();
    if (!choleskyFactor(k, Hs)) {
      // singular face (collinear features, n_t < |S|): H_SS + εI still gives a descent direction, along
      // which the objective falls until the first sign change
      fill();
      for (let a = 0; a < k; a++) Hs[a * k + a]! += 1e-10;
      if (!choleskyFactor(k, Hs, 0)) return;
    }
    choleskySolveFactored(k, Hs, rhs, dx);
    let theta = 1, stop = -1;
    for (let a = 0; a < k; a++) {
      const w = x[S[a]!]!;
      if ((w + dx[a]!) * w < 0 && -w / dx[a]! < theta) { theta = -w / dx[a]!; stop = a; }
    }
    for (let a = 0; a < k; a++) x[S[a]!] = a === stop ? 0 : x[S[a]!]! + theta * dx[a]!;
    this.residual(H, t);
  }
}

/** sign(z)·max(|z| − l, 0). */
function softThreshold(z: number, l: number): number {
  return z > l ? z - l : z < -l ? z + l : 0;
}
