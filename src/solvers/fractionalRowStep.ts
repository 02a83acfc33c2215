/**
 * The W-step of the matrix-fractional alternation on the row side (M d×d; convex ASO, and convex
 * clustered MTL through the same reduced problem, see {@link solveFractional}):
 *
 *   (H_t + 2c P) w_t = b_t  for every task t,   P = (ηI + M)⁻¹.
 *
 * {@link MatrixFractional} assembles P as β I plus a correction of rank r ≤ min(d, T) along the
 * singular directions of W whose weight γ_i differs from the weight γ₀ of W's null directions:
 * P = β I + U diag(ω) Uᵀ, β = 1/(η + γ₀), ω_i = 1/(η + γ_i) − β ≤ 0, U orthonormal (d×r). Two ways:
 * - **direct**: a Cholesky factorisation of H_t + 2cP per distinct block per step (d³/3 each);
 * - **Woodbury** (when d > T, so β > 0): with K_t = H_t + 2cβ I inverted once per β
 *   (β is the same at almost every step: γ₀ = 0 as soon as W has more than tr M significant
 *   directions),
 *     (K_t + U D Uᵀ)⁻¹ b = y + Y S⁻¹ Uᵀ y,   y = K_t⁻¹ b, Y = K_t⁻¹ U, S = −(D⁻¹ + UᵀY) ≻ 0,
 *   D = 2c diag(ω): one product K_t⁻¹[b_t U] (d²(r+1)) and an r×r Cholesky per task instead of a d×d
 *   factorisation. S is positive definite because K_t + UDUᵀ is and D ≺ 0 (inertia of the bordered
 *   matrix [K U; Uᵀ −D⁻¹]); a failed factorisation falls back to the direct solve.
 * Both solve the same system exactly (up to rounding).
 *
 * References: M. A. Woodbury, "Inverting modified matrices", Memo. Rep. 42, Princeton, 1950;
 * W. W. Hager, "Updating the inverse of a matrix", SIAM Rev. 31(2), 1989.
 *
 * @packageDocumentation
 */
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';
import { gemmNN, gemmTN } from '../linalg/blas.js';
import type { MatrixFractional } from './matrixFractional.js';
import type { TaskQuadratic } from './taskQuadratic.js';

/**
 * Solves the row-side W-step for the P held by a {@link MatrixFractional} (see the module
 * documentation). Holds its buffers (and, on the Woodbury path, one d×d inverse per distinct task
 * block); not re-entrant.
 *
 * @example
 * ```ts
 * const step = new FractionalRowStep(q, pen); // pen: new MatrixFractional(d, T, 'rows', h, eta, c)
 * pen.evaluate(W);
 * step.solve(W); // W ← argmin L(W) + c tr(Wᵀ P W)
 * ```
 * @see {@link fractionalMM}
 */
export class FractionalRowStep {
  /** Steps solved by the Woodbury formula (the rest directly). */
  woodburySteps = 0;
  private readonly d: number;
  private readonly T: number;
  private readonly c2: number;
  private readonly equal: boolean;
  private readonly Am: Float64Array;
  private readonly blk: Float64Array;
  private readonly col: Float64Array;
  private readonly maxRank: number;
  private Kinv: Float64Array[] = [];
  private shift = NaN;
  private lastSigma = NaN;
  private readonly R: Float64Array;
  private readonly Y: Float64Array;
  private readonly S: Float64Array;
  private readonly z: Float64Array;

  /**
   * @param q - Gram statistics of the loss
   * @param pen - the penalty (row side) whose P the steps use
   */
  constructor(private readonly q: TaskQuadratic, private readonly pen: MatrixFractional) {
    const { d, T } = q;
    this.d = d;
    this.T = T;
    this.c2 = 2 * pen.c;
    let equal = q.G !== null;
    for (let t = 1; t < T && equal; t++) equal = q.scale2[t] === q.scale2[0];
    this.equal = equal;
    this.Am = new Float64Array(d * d);
    this.blk = new Float64Array(d * d);
    this.col = new Float64Array(d);
    // Woodbury needs null directions (d > T, so β > 0) and then pays at every r ≤ min(d, T) = T: its
    // d²(r+1) product runs in the WebAssembly gemm, the direct step's d³/3 factorisation in scalar code
    // (the inverses double the memory of the task blocks: not beyond 2.5e7 doubles, 200 MB)
    this.maxRank = d > T && (equal ? 1 : T) * d * d <= 2.5e7 ? T : 0;
    const rmax = Math.max(1, Math.min(this.maxRank, Math.min(d, T)));
    const cols = equal ? T + rmax : 1 + rmax;
    this.R = new Float64Array(d * cols);
    this.Y = new Float64Array(d * cols);
    this.S = new Float64Array(rmax * rmax);
    this.z = new Float64Array(rmax);
  }

  /**
   * W ← argmin_W L(W) + c tr(Wᵀ P W) for the P of the penalty's last evaluate.
   * @param W - d×T output (row-major)
   */
  solve(W: Float64Array): void {
    const parts = this.pen.shiftedInverseParts();
    if (parts.beta > 0 && parts.rank <= this.maxRank && this.woodbury(W, parts.beta, parts.U, parts.gamma, parts.rank)) {
      this.woodburySteps++;
      return;
    }
    this.direct(W);
  }

  /** Per task (H_t + 2cP) w_t = b_t by a Cholesky factorisation of the assembled d×d matrix. */
  private direct(W: Float64Array): void {
    const { d, T, q, Am, blk, col, c2 } = this;
    const P = this.pen.shiftedInverse();
    for (let t = 0; t < T; t++) {
      if (!this.equal || t === 0) {
        q.block(t, blk);
        for (let k = 0; k < d * d; k++) Am[k] = blk[k]! + c2 * P[k]!; // H_t + 2cP
        if (!choleskyFactor(d, Am, 0)) return; // cannot happen: 2cP ≻ 0
      }
      for (let j = 0; j < d; j++) col[j] = q.B[j * T + t]!;
      choleskySolveFactored(d, Am, col, col);
      for (let j = 0; j < d; j++) W[j * T + t] = col[j]!;
    }
  }

  /** K_t⁻¹ = (H_t + σI)⁻¹ for every distinct block, σ = 2cβ: L⁻¹ by substitution, then L⁻ᵀL⁻¹. */
  private invertBlocks(sigma: number): boolean {
    const { d, T, q, Am } = this;
    const count = this.equal ? 1 : T;
    if (this.Kinv.length !== count) this.Kinv = Array.from({ length: count }, () => new Float64Array(d * d));
    const Li = this.blk;
    for (let t = 0; t < count; t++) {
      q.block(t, Am);
      for (let j = 0; j < d; j++) Am[j * d + j]! += sigma; // K_t = H_t + σI
      if (!choleskyFactor(d, Am, 0)) return false;
      // Li = L⁻¹ (lower): Li[i, j] = −(Σ_{j≤k<i} L[i, k] Li[k, j]) / L[i, i], Li[j, j] = 1 / L[j, j]
      Li.fill(0);
      for (let j = 0; j < d; j++) {
        Li[j * d + j] = 1 / Am[j * d + j]!;
        for (let i = j + 1; i < d; i++) {
          let s = 0;
          for (let k = j; k < i; k++) s += Am[i * d + k]! * Li[k * d + j]!;
          Li[i * d + j] = -s / Am[i * d + i]!;
        }
      }
      gemmTN(d, d, d, Li, Li, this.Kinv[t]!, 0); // K_t⁻¹ = L⁻ᵀ L⁻¹
    }
    this.shift = sigma;
    return true;
  }

  /** The Woodbury step (module documentation); false when a capacitance factorisation fails. */
  private woodbury(W: Float64Array, beta: number, U: Float64Array, gamma: Float64Array, r: number): boolean {
    const { d, T, q, c2, R, Y, S, z } = this;
    const eta = this.pen.eta;
    const sigma = c2 * beta;
    if (sigma !== this.shift) {
      // invert for γ₀ = 0 (β = 1/η, the shift of almost every step) or a shift seen at two steps in a row
      const stable = sigma === this.lastSigma || beta === 1 / eta;
      this.lastSigma = sigma;
      if (!stable || !this.invertBlocks(sigma)) return false;
    }
    const tasks = this.equal ? 1 : T;
    const nb = this.equal ? T : 1; // right-hand sides b per product
    const cols = nb + r;
    for (let g = 0; g < tasks; g++) {
      // R = [b_g … | u_1 … u_r] (d×cols), Y = K⁻¹ R
      for (let j = 0; j < d; j++) {
        const o = j * cols;
        if (this.equal) for (let t = 0; t < T; t++) R[o + t] = q.B[j * T + t]!;
        else R[o] = q.B[j * T + g]!;
        for (let i = 0; i < r; i++) R[o + nb + i] = U[i * d + j]!;
      }
      gemmNN(d, cols, d, this.Kinv[g]!, R, Y, 0);
      // S = −(D⁻¹ + Uᵀ K⁻¹ U), D_ii = 2c ω_i = 2c (1/(η + γ_i) − β) < 0
      for (let a = 0; a < r; a++) {
        for (let b = 0; b <= a; b++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += R[j * cols + nb + a]! * Y[j * cols + nb + b]!;
          const v = -s - (a === b ? 1 / (c2 * (1 / (eta + gamma[a]!) - beta)) : 0);
          S[a * r + b] = v;
          S[b * r + a] = v;
        }
      }
      if (!choleskyFactor(r, S, 0)) return false;
      for (let e = 0; e < nb; e++) {
        const t = this.equal ? e : g;
        // z = S⁻¹ Uᵀ y;  w_t = y + Y_U z
        for (let a = 0; a < r; a++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += R[j * cols + nb + a]! * Y[j * cols + e]!;
          z[a] = s;
        }
        choleskySolveFactored(r, S, z, z);
        for (let j = 0; j < d; j++) {
          const o = j * cols;
          let s = Y[o + e]!;
          for (let a = 0; a < r; a++) s += Y[o + nb + a]! * z[a]!;
          W[j * T + t] = s;
        }
      }
    }
    return true;
  }
}
