/**
 * Coordinate descent with Gram columns for the ℓ1-penalised quadratic multi-task problem
 *
 *   F(W) = L(W) + ½ ⟨W, W K₂⟩ + ρ ‖W‖²_F + ρ₂ ‖W‖₁,
 *
 * L the squared loss in Gram form ({@link TaskQuadratic}: ∇L(W)_t = H_t w_t − b_t) and K₂ a T×T
 * symmetric positive semi-definite task coupling (2ρ₁ R Rᵀ for the graph penalty ρ₁‖WR‖²). The
 * coordinate (j, t) sees the gradient g_jt = (H_t w_t)_j − B_jt + (W K₂)_jt + 2ρ w_jt and the
 * curvature a_jt = (H_t)_jj + (K₂)_tt + 2ρ, and moves to soft(w_jt − g_jt/a_jt, ρ₂/a_jt). Both H W
 * and W K₂ are kept up to date: a move δ adds δ·(column j of H_t) to column t of H W (d numbers) and
 * δ·(row t of K₂) to row j of W K₂ (T numbers, fewer for a sparse coupling).
 *
 * Sweeps alternate between all coordinates and the active set (non-zero coordinates), as glmnet
 * does; the stopping rule is the duality gap ({@link l1RidgeGap}), checked after every full sweep,
 * with H W and W K₂ recomputed from W first (no drift).
 *
 * References: J. Friedman, T. Hastie & R. Tibshirani, "Regularization paths for generalized linear
 * models via coordinate descent", J. Stat. Softw. 33(1), 2010; P. Tseng, "Convergence of a block
 * coordinate descent method for nondifferentiable minimization", JOTA 109, 2001.
 *
 * @packageDocumentation
 */
import { gemmNN } from '../linalg/blas.js';
import type { TaskQuadratic } from './taskQuadratic.js';

/** Options of {@link cdCoupledL1}. */
export interface CdCoupledL1Options {
  /** Stop when the duality gap ≤ tolAbs. */
  tolAbs: number;
  /** Maximum full sweeps (each followed by active-set sweeps). */
  maxEpochs: number;
  /** Active-set sweeps after each full sweep (before the Newton step on the support), at most. @default 5 */
  innerSweeps?: number;
  /** Called after each gap check with (epoch, gap, primal). @default none */
  onCheck?: (epoch: number, gap: number, primal: number) => void;
}

/** The outcome of {@link cdCoupledL1}. */
export interface CdCoupledL1Result {
  /** Full sweeps taken. */
  epochs: number;
  /** Duality gap at the returned W. */
  gap: number;
  /** F(W) (Gram form). */
  primal: number;
  /** `'converged'`, `'max-iterations'` or `'non-finite'`. */
  status: 'converged' | 'max-iterations' | 'non-finite';
}

/**
 * The duality gap of min L(W) + S(W) + ρ₂‖W‖₁ + ρ‖W‖² at W, S a smooth term written as a
 * least-squares residual (S = ρ₁‖WR‖², target 0), from the Gram quantities: the dual point is the
 * natural one (residuals times 2s) scaled by the best α of a small candidate set (feasible for ρ = 0).
 * The dual is D(αU) = α⟨U, Y⟩ − α² (L + S) − Σ_jt (|αV_jt| − ρ₂)₊² / (4ρ) (ρ > 0; for ρ = 0 the
 * indicator of ‖αV‖_∞ ≤ ρ₂), V = −∇(L + S)(W).
 * @param smooth - L(W) + S(W)
 * @param innerY - ⟨U, Y⟩ = Σ_t 2 s_t ⟨r_t, y_t⟩ = 2L(0) − ⟨B, W⟩
 * @param V - −∇(L + S)(W), d×T
 * @param W - d×T
 * @param rho2 - ρ₂ ≥ 0
 * @param ridge - ρ ≥ 0
 * @returns `{ primal, dual, gap }`
 * @example
 * ```ts
 * l1RidgeGap(f, 2 * q.valueAtZero - dotBW, V, W, 0.1, 0).gap;
 * ```
 * @see {@link cdCoupledL1}
 */
export function l1RidgeGap(
  smooth: number, innerY: number, V: Float64Array, W: Float64Array, rho2: number, ridge: number,
): { primal: number; dual: number; gap: number } {
  let l1 = 0, fro = 0, vmax = 0;
  for (let k = 0; k < W.length; k++) {
    l1 += Math.abs(W[k]!);
    fro += W[k]! * W[k]!;
    vmax = Math.max(vmax, Math.abs(V[k]!));
  }
  const primal = smooth + rho2 * l1 + ridge * fro;
  const A = innerY, B = smooth;
  const alphaFree = B > 0 ? A / (2 * B) : 1;
  const candidates = [Math.max(0, Math.min(alphaFree, vmax > 0 ? rho2 / vmax : Infinity))];
  if (ridge > 0) candidates.push(1, Math.max(alphaFree, 0));
  let best = -Infinity;
  for (const a0 of candidates) {
    const alpha = Number.isFinite(a0) ? a0 : 1;
    let phi = 0;
    if (ridge > 0) {
      for (let k = 0; k < V.length; k++) {
        const e = Math.abs(alpha * V[k]!) - rho2;
        if (e > 0) phi += e * e;
      }
      phi /= 4 * ridge;
    } else if (alpha * vmax > rho2 * (1 + 1e-12)) {
      continue; // infeasible
    }
    best = Math.max(best, alpha * A - alpha * alpha * B - phi);
  }
  return { primal, dual: best, gap: Math.max(0, primal - best) };
}

/**
 * Minimises L(W) + ½⟨W, W K₂⟩ + ρ‖W‖² + ρ₂‖W‖₁ by cyclic coordinate descent with Gram columns and
 * active-set sweeps, from the warm start in `W` (see the module documentation).
 *
 * @param q - Gram statistics of the loss
 * @param K2 - the coupling K₂ (T×T, symmetric PSD; 2ρ₁RRᵀ for a graph)
 * @param rho2 - ρ₂ > 0
 * @param ridge - ρ ≥ 0
 * @param W - in: the start; out: the solution (d×T)
 * @param options - tolerance, sweep caps
 * @returns sweeps, gap, primal value, status
 * @example
 * ```ts
 * const res = cdCoupledL1(q, K2, 2000, 0, W, { tolAbs: 1e-8 * q.valueAtZero, maxEpochs: 10000 });
 * ```
 * @see {@link l1RidgeGap}
 */
export function cdCoupledL1(
  q: TaskQuadratic, K2: Float64Array, rho2: number, ridge: number, W: Float64Array, options: CdCoupledL1Options,
): CdCoupledL1Result {
  const { d, T } = q;
  const dT = d * T;
  const B = q.B, G = q.G, s2 = q.scale2;
  const HW = new Float64Array(dT), WK = new Float64Array(dT), V = new Float64Array(dT);
  const diagH = new Float64Array(dT); // (H_t)_jj at [j*T + t]
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < d; j++) diagH[j * T + t] = G !== null ? s2[t]! * G[j * d + j]! : q.H[t]![j * d + j]!;
  }
  // K₂ rows in compressed form (symmetric: row t = column t)
  const ptr = new Int32Array(T + 1);
  let nnz = 0;
  for (let k = 0; k < T * T; k++) if (K2[k] !== 0) nnz++;
  const idx = new Int32Array(nnz), val = new Float64Array(nnz);
  for (let t = 0, p = 0; t < T; t++) {
    ptr[t] = p;
    for (let u = 0; u < T; u++) if (K2[t * T + u] !== 0) { idx[p] = u; val[p] = K2[t * T + u]!; p++; }
    ptr[t + 1] = p;
  }
  const refresh = (): void => {
    q.apply(W, HW); // H W
    gemmNN(d, T, T, W, K2, WK, 0); // W K₂
  };
  /** One pass over the coordinates (all, or the non-zero ones); returns the largest |δ|·√a. */
  const sweep = (activeOnly: boolean): number => {
    let maxStep = 0;
    for (let t = 0; t < T; t++) {
      const Ht = G !== null ? null : q.H[t]!;
      const c = s2[t]!;
      const ktt = K2[t * T + t]!;
      for (let j = 0; j < d; j++) {
        const jt = j * T + t;
        const w = W[jt]!;
        if (activeOnly && w === 0) continue;
        const a = diagH[jt]! + ktt + 2 * ridge;
        if (!(a > 0)) continue;
        // g_jt = (H_t w_t)_j − B_jt + (W K₂)_jt + 2ρ w_jt
        const g = HW[jt]! - B[jt]! + WK[jt]! + 2 * ridge * w;
        const z = w - g / a;
        const thr = rho2 / a;
        const wNew = z > thr ? z - thr : z < -thr ? z + thr : 0;
        const delta = wNew - w;
        if (delta === 0) continue;
        W[jt] = wNew;
        // column t of H W += δ · (H_t)_{:, j}
        if (Ht !== null) {
          const o = j * d;
          for (let i = 0; i < d; i++) HW[i * T + t]! += delta * Ht[o + i]!;
        } else {
          const o = j * d, cd = c * delta;
          for (let i = 0; i < d; i++) HW[i * T + t]! += cd * G![o + i]!;
        }
        // row j of W K₂ += δ · K₂[t, :]
        const ro = j * T;
        for (let p = ptr[t]!; p < ptr[t + 1]!; p++) WK[ro + idx[p]!]! += delta * val[p]!;
        const step = Math.abs(delta) * Math.sqrt(a);
        if (step > maxStep) maxStep = step;
      }
    }
    return maxStep;
  };
  const gapNow = (): { gap: number; primal: number } => {
    refresh();
    // V = −∇(L + S) = B − H W − W K₂;  L + S = L(0) − ⟨B, W⟩ + ½⟨W, H W + W K₂⟩
    let bw = 0, quad = 0;
    for (let k = 0; k < dT; k++) {
      V[k] = B[k]! - HW[k]! - WK[k]!;
      bw += B[k]! * W[k]!;
      quad += W[k]! * (HW[k]! + WK[k]!);
    }
    const smooth = q.valueAtZero - bw + 0.5 * quad;
    const r = l1RidgeGap(smooth, 2 * q.valueAtZero - bw, V, W, rho2, ridge);
    return { gap: r.gap, primal: r.primal };
  };
  // ---- active-set Newton step: on the support S with signs σ, the objective is the quadratic
  // ½⟨W, Op W⟩ − ⟨B − ρ₂σ, W⟩ (Op W = H W + W K₂ + 2ρW); solve Op_SS W_S = (B − ρ₂σ)_S by
  // Jacobi-preconditioned CG and move towards that solution up to the first sign change ----
  const Rn = new Float64Array(dT), Zn = new Float64Array(dT), Pn = new Float64Array(dT), Qn = new Float64Array(dT);
  const Wn = new Float64Array(dT), mask = new Uint8Array(dT), Qk = new Float64Array(dT);
  const opMasked = (X: Float64Array, out: Float64Array): void => {
    q.apply(X, out); // H X
    gemmNN(d, T, T, X, K2, Qk, 0); // X K₂
    for (let k = 0; k < dT; k++) out[k] = mask[k] ? out[k]! + Qk[k]! + 2 * ridge * X[k]! : 0;
  };
  const newtonStep = (): void => {
    let count = 0;
    for (let k = 0; k < dT; k++) { mask[k] = W[k] !== 0 ? 1 : 0; count += mask[k]!; }
    if (count === 0) return;
    Wn.set(W);
    // R = (B − ρ₂σ − Op W)_S, using the maintained H W and W K₂
    let rr0 = 0;
    for (let k = 0; k < dT; k++) {
      Rn[k] = mask[k] ? B[k]! - rho2 * Math.sign(W[k]!) - HW[k]! - WK[k]! - 2 * ridge * W[k]! : 0;
      rr0 += Rn[k]! * Rn[k]!;
    }
    const stop = 1e-16 * rr0;
    const diag = (k: number): number => diagH[k]! + K2[(k % T) * T + (k % T)]! + 2 * ridge;
    let rz = 0;
    for (let k = 0; k < dT; k++) { Zn[k] = mask[k] ? Rn[k]! / diag(k) : 0; rz += Rn[k]! * Zn[k]!; }
    Pn.set(Zn);
    for (let it = 0; it < Math.min(4 * count + 10, 30); it++) {
      opMasked(Pn, Qn);
      let pq = 0;
      for (let k = 0; k < dT; k++) pq += Pn[k]! * Qn[k]!;
      if (!(pq > 0)) break;
      const alpha = rz / pq;
      let rr = 0;
      for (let k = 0; k < dT; k++) { Wn[k]! += alpha * Pn[k]!; Rn[k]! -= alpha * Qn[k]!; rr += Rn[k]! * Rn[k]!; }
      if (!(rr > stop)) break;
      let rzNew = 0;
      for (let k = 0; k < dT; k++) { Zn[k] = mask[k] ? Rn[k]! / diag(k) : 0; rzNew += Rn[k]! * Zn[k]!; }
      const beta = rzNew / rz;
      rz = rzNew;
      for (let k = 0; k < dT; k++) Pn[k] = Zn[k]! + beta * Pn[k]!;
    }
    // largest τ ≤ 1 keeping every sign: W + τ (Wn − W)
    let tau = 1;
    for (let k = 0; k < dT; k++) {
      if (!mask[k]) continue;
      const w = W[k]!, wn = Wn[k]!;
      if (!Number.isFinite(wn)) return;
      if (w * wn < 0 || wn === 0) tau = Math.min(tau, w / (w - wn));
    }
    for (let k = 0; k < dT; k++) {
      if (!mask[k]) continue;
      const w = W[k]!, v = w + tau * (Wn[k]! - w);
      W[k] = v * w > 0 ? v : 0; // a coordinate reaching zero leaves the support
    }
    refresh();
  };

  const inner = options.innerSweeps ?? 5;
  let { gap, primal } = gapNow();
  let epochs = 0;
  let status: CdCoupledL1Result['status'] = 'max-iterations';
  for (;;) {
    if (!Number.isFinite(gap) || !Number.isFinite(primal)) { status = 'non-finite'; break; }
    options.onCheck?.(epochs, gap, primal);
    if (gap <= options.tolAbs) { status = 'converged'; break; }
    if (epochs >= options.maxEpochs) break;
    epochs++;
    const full = sweep(false);
    // a few active-set sweeps settle the support, then one Newton step solves the quadratic on it
    for (let s = 0; s < inner; s++) {
      const m = sweep(true);
      if (!(m > 1e-3 * full)) break;
    }
    newtonStep();
    ({ gap, primal } = gapNow());
  }
  return { epochs, gap, primal, status };
}
