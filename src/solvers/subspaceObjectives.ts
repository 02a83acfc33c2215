/**
 * Reduced objectives f(Q) = min_V F(Q, V) of the subspace models, in the per-task normal-equation form
 * L_t(w) = s_t (wᵀG_t w − 2c_tᵀw + ‖ỹ_t‖²) ({@link TaskNormalEquations}), for {@link grassmannLbfgs}.
 * Each inner block is solved exactly (small Cholesky systems), so by the envelope theorem the gradient
 * of f in Q is the partial gradient of F at the inner solution (variable projection; Golub & Pereyra
 * 1973). Q is k×d with orthonormal rows; every f depends on the row space of Q only.
 *
 * - {@link rankReducedObjective}: rank(W) ≤ k, F = L(W) + ρ‖W‖²_F, W = Qᵀ B — per task
 *   b_t = (Q G_t Qᵀ + (ρ/s_t) I)⁻¹ Q c_t (‖Qᵀb‖ = ‖b‖); ∇_Q f = Σ_t 2 s_t b_t (G_t w_t − c_t)ᵀ.
 * - {@link asoReducedObjective}: ASO, F = L(W) + λ‖(I − QᵀQ)W‖²_F + ρ‖W‖²_F — per task
 *   w_t = (s_t G_t + λ(I − QᵀQ) + ρI)⁻¹ s_t c_t; ∇_Q f = −2λ (QW) Wᵀ (the ridge does not depend on Q).
 *
 * A system singular to rounding gets a diagonal jitter (counted in `jittered`).
 *
 * Reference: G. Golub & V. Pereyra, SIAM J. Numer. Anal. 10(2), 1973; R. K. Ando & T. Zhang,
 * J. Mach. Learn. Res. 6, 2005 (ASO).
 *
 * @packageDocumentation
 */
import type { TaskNormalEquations } from '../datafits/normalEquations.js';
import { gemmNN, gemmNT } from '../linalg/blas.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';

/** A reduced objective with its inner solution W (d×T) after each `evaluate`. */
export interface SubspaceReducedObjective {
  /** k (rows of Q). */
  readonly k: number;
  /** d (columns of Q). */
  readonly d: number;
  /** f(Q) and ∇_Q f (k×d) into `grad`; the inner solution goes to `W`. */
  evaluate(Qt: Float64Array, grad: Float64Array): number;
  /** The weights d×T of the last `evaluate` (row-major; overwritten by the next call). */
  readonly W: Float64Array;
  /** Number of systems that needed a jitter so far. */
  readonly jittered: number;
}

/**
 * Factors the k×k SPD matrix `A` (built by `fill`) in place, adding a growing diagonal jitter when it is
 * singular to rounding.
 * @param k - order
 * @param A - buffer (k×k; receives the factor)
 * @param fill - writes the matrix into A
 * @returns whether a jitter was needed
 * @example
 * ```ts
 * const jit = factorJittered(3, A, (M) => M.set(H));
 * ```
 * @see {@link choleskyFactor}
 */
export function factorJittered(k: number, A: Float64Array, fill: (A: Float64Array) => void): boolean {
  fill(A);
  if (choleskyFactor(k, A)) return false;
  fill(A);
  let dmax = 0;
  for (let i = 0; i < k; i++) dmax = Math.max(dmax, Math.abs(A[i * k + i]!));
  for (let eps = 1e-12; eps <= 1; eps *= 100) {
    fill(A);
    for (let i = 0; i < k; i++) A[i * k + i]! += eps * Math.max(dmax, 1e-300);
    if (choleskyFactor(k, A)) break;
  }
  return true;
}

/**
 * The reduced objective of rank(W) ≤ k: f(Q) = Σ_t min_b L_t(Qᵀb) + ρ‖b‖² (W = QᵀB).
 * @param ne - the per-task normal equations
 * @param scales - s_t (length T)
 * @param k - the rank bound
 * @param exactLoss - L(W) + ρ‖W‖²_F from the residuals (more accurate than the normal-equation form, whose
 *   cancellation ‖ỹ‖² − … limits line searches near convergence); omitted: the normal-equation form
 * @param rho - ρ ≥ 0, the weight of ‖W‖²_F @default 0
 * @returns the objective (see {@link SubspaceReducedObjective})
 * @example
 * ```ts
 * const obj = rankReducedObjective(taskNormalEquations(loss), loss.scales, 3);
 * ```
 * @see {@link grassmannLbfgs}
 */
export function rankReducedObjective(
  ne: TaskNormalEquations, scales: Float64Array, k: number, exactLoss?: (W: Float64Array) => number, rho = 0,
): SubspaceReducedObjective {
  const T = scales.length, d = ne.C.length / T;
  const W = new Float64Array(d * T);
  const GQ = new Float64Array(d * k), H = new Float64Array(k * k), Hs = new Float64Array(k * k);
  const e = new Float64Array(k), b = new Float64Array(k), r = new Float64Array(d);
  let jittered = 0;
  const obj = {
    k, d, W,
    get jittered() { return jittered; },
    evaluate(Qt: Float64Array, grad: Float64Array): number {
      grad.fill(0);
      let f = 0, factoredFor: Float64Array | null = null, factoredS = NaN;
      for (let t = 0; t < T; t++) {
        const G = ne.gram(t), s = scales[t]!;
        if (G !== factoredFor || (rho > 0 && s !== factoredS) || !ne.sharedGram) {
          if (G !== factoredFor || !ne.sharedGram) {
            gemmNT(d, k, d, G, Qt, GQ, 0); // GQ = G Qᵀ (d×k)
            gemmNN(k, k, d, Qt, GQ, H, 0); // H = Q G Qᵀ
          }
          factoredFor = G;
          factoredS = s;
          // Hs = H + (ρ/s) I
          if (factorJittered(k, Hs, (A) => {
            A.set(H);
            if (rho > 0) for (let i = 0; i < k; i++) A[i * k + i]! += rho / s;
          })) jittered++;
        }
        // e = Q c_t; b = (H + (ρ/s) I)⁻¹ e; w_t = Qᵀ b
        for (let i = 0; i < k; i++) {
          let v = 0;
          for (let j = 0; j < d; j++) v += Qt[i * d + j]! * ne.C[j * T + t]!;
          e[i] = v;
        }
        choleskySolveFactored(k, Hs, e, b);
        // r = G w − c = GQ b − c; f_t = s (wᵀGw − 2cᵀw + yy) + ρ‖w‖² = s (bᵀHb − 2eᵀb + yy) + ρ‖b‖²
        let bHb = 0, eb = 0, bb = 0;
        for (let i = 0; i < k; i++) {
          eb += e[i]! * b[i]!;
          bb += b[i]! * b[i]!;
          let v = 0;
          for (let l = 0; l < k; l++) v += H[i * k + l]! * b[l]!;
          bHb += b[i]! * v;
        }
        f += s * (bHb - 2 * eb + ne.yy[t]!) + rho * bb;
        for (let j = 0; j < d; j++) {
          let v = -ne.C[j * T + t]!, w = 0;
          for (let i = 0; i < k; i++) {
            v += GQ[j * k + i]! * b[i]!;
            w += Qt[i * d + j]! * b[i]!;
          }
          r[j] = v;
          W[j * T + t] = w;
        }
        // ∇_Q f += 2 s b rᵀ
        for (let i = 0; i < k; i++) {
          const c = 2 * s * b[i]!;
          for (let j = 0; j < d; j++) grad[i * d + j]! += c * r[j]!;
        }
      }
      return exactLoss ? exactLoss(W) : f;
    },
  };
  return obj;
}

/**
 * The reduced ASO objective f(Θ) = Σ_t min_w L_t(w) + λ‖(I − ΘᵀΘ)w‖² + ρ‖w‖² (Ando & Zhang 2005, with a ridge).
 * @param ne - the per-task normal equations
 * @param scales - s_t (length T)
 * @param h - the subspace dimension
 * @param lambda - λ > 0
 * @param exactLoss - L(W) from the residuals (see {@link rankReducedObjective}); omitted: normal equations
 * @param rho - ρ ≥ 0, the weight of ‖W‖²_F @default 0
 * @returns the objective (see {@link SubspaceReducedObjective})
 * @example
 * ```ts
 * const obj = asoReducedObjective(taskNormalEquations(loss), loss.scales, 3, 0.1);
 * ```
 * @see {@link grassmannLbfgs}
 */
export function asoReducedObjective(
  ne: TaskNormalEquations, scales: Float64Array, h: number, lambda: number, exactLoss?: (W: Float64Array) => number, rho = 0,
): SubspaceReducedObjective {
  const T = scales.length, d = ne.C.length / T;
  const W = new Float64Array(d * T);
  const QtQ = new Float64Array(d * d), A = new Float64Array(d * d);
  const rhs = new Float64Array(d), w = new Float64Array(d), v = new Float64Array(h);
  let jittered = 0;
  return {
    k: h, d, W,
    get jittered() { return jittered; },
    evaluate(Qt: Float64Array, grad: Float64Array): number {
      // QtQ = ΘᵀΘ (d×d)
      for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) {
        let s = 0;
        for (let i = 0; i < h; i++) s += Qt[i * d + a]! * Qt[i * d + c]!;
        QtQ[a * d + c] = s;
      }
      grad.fill(0);
      let f = 0, pen = 0, factoredFor: Float64Array | null = null, factoredS = NaN;
      for (let t = 0; t < T; t++) {
        const G = ne.gram(t), s = scales[t]!;
        if (G !== factoredFor || s !== factoredS || !ne.sharedGram) {
          factoredFor = G;
          factoredS = s;
          // A = s G + λ(I − ΘᵀΘ) + ρI
          if (factorJittered(d, A, (M) => {
            for (let i = 0; i < d * d; i++) M[i] = s * G[i]! - lambda * QtQ[i]!;
            for (let i = 0; i < d; i++) M[i * d + i]! += lambda + rho;
          })) jittered++;
        }
        for (let j = 0; j < d; j++) rhs[j] = s * ne.C[j * T + t]!;
        choleskySolveFactored(d, A, rhs, w);
        // f_t = s (wᵀGw − 2cᵀw + yy) + λ(‖w‖² − ‖Θw‖²) + ρ‖w‖²; v = Θw
        let wGw = 0, cw = 0, ww = 0, vv = 0;
        for (let a = 0; a < d; a++) {
          let gw = 0;
          for (let c = 0; c < d; c++) gw += G[a * d + c]! * w[c]!;
          wGw += w[a]! * gw;
          cw += ne.C[a * T + t]! * w[a]!;
          ww += w[a]! * w[a]!;
          W[a * T + t] = w[a]!;
        }
        for (let i = 0; i < h; i++) {
          let x = 0;
          for (let a = 0; a < d; a++) x += Qt[i * d + a]! * w[a]!;
          v[i] = x;
          vv += x * x;
        }
        f += s * (wGw - 2 * cw + ne.yy[t]!);
        pen += lambda * (ww - vv) + rho * ww;
        // ∇_Θ f += −2λ v wᵀ
        for (let i = 0; i < h; i++) {
          const c = -2 * lambda * v[i]!;
          for (let a = 0; a < d; a++) grad[i * d + a]! += c * w[a]!;
        }
      }
      return (exactLoss ? exactLoss(W) : f) + pen;
    },
  };
}

/** {@link projectedMeanRegularizedObjective}: the inner solution of the last `evaluate`. */
export interface ProjectedMeanRegularizedObjective extends SubspaceReducedObjective {
  /** V = w₀1ᵀ + ΔW (h×T) of the last `evaluate`. */
  readonly V: Float64Array;
  /** w₀ (length h) of the last `evaluate`. */
  readonly w0: Float64Array;
}

/**
 * The reduced feature-projection objective (Li, Tian, Liu & Tao 2015) f(P) = min_{w₀, ΔW}
 * Σ_t L_t(P(w₀ + Δw_t)) + λ‖ΔW‖²_F + μ‖w₀‖², with Q = Pᵀ (h×d). The inner problem is mean-regularized
 * MTL form B on the projected statistics H_t = PᵀG_tP, e_t = Pᵀc_t, solved in closed form: with
 * M_t = s_tH_t + λI, v_t = M_t⁻¹(s_t e_t + λw₀) and w₀ = A₀⁻¹b₀, A₀ = Σ_t λM_t⁻¹s_tH_t + μI,
 * b₀ = λΣ_t M_t⁻¹ s_t e_t (λ = 0: w₀ = 0). ∇_Q f = Σ_t 2 s_t v_t (G_t P v_t − c_t)ᵀ.
 * @param ne - the per-task normal equations
 * @param scales - s_t (length T)
 * @param h - the projected dimension
 * @param lambda - λ ≥ 0 (weight of ‖ΔW‖²_F)
 * @param mu - μ ≥ 0 (weight of ‖w₀‖²)
 * @param exactLoss - L(W) from the residuals (see {@link rankReducedObjective}); omitted: normal equations
 * @returns the objective, with V and w₀ of the last evaluation
 * @example
 * ```ts
 * const obj = projectedMeanRegularizedObjective(taskNormalEquations(loss), loss.scales, 5, 0.1, 0);
 * ```
 * @see {@link grassmannLbfgs}; Evgeniou & Pontil, KDD 2004 (form B).
 */
export function projectedMeanRegularizedObjective(
  ne: TaskNormalEquations, scales: Float64Array, h: number, lambda: number, mu: number, exactLoss?: (W: Float64Array) => number,
): ProjectedMeanRegularizedObjective {
  const T = scales.length, d = ne.C.length / T;
  const W = new Float64Array(d * T), V = new Float64Array(h * T), w0 = new Float64Array(h);
  const GP = new Float64Array(T * d * h), Hs = new Float64Array(T * h * h), Mf = new Float64Array(T * h * h);
  const E = new Float64Array(T * h), A0 = new Float64Array(h * h), A0c = new Float64Array(h * h), b0 = new Float64Array(h);
  const unit = new Float64Array(h), col = new Float64Array(h), u = new Float64Array(h), v = new Float64Array(h);
  const r = new Float64Array(d);
  let jittered = 0;
  return {
    k: h, d, W, V, w0,
    get jittered() { return jittered; },
    evaluate(Qt: Float64Array, grad: Float64Array): number {
      A0.fill(0);
      b0.fill(0);
      for (let t = 0; t < T; t++) {
        const G = ne.gram(t), s = scales[t]!;
        const gp = GP.subarray(t * d * h, (t + 1) * d * h), H = Hs.subarray(t * h * h, (t + 1) * h * h);
        const M = Mf.subarray(t * h * h, (t + 1) * h * h), e = E.subarray(t * h, (t + 1) * h);
        gemmNT(d, h, d, G, Qt, gp, 0); // G P (d×h)
        gemmNN(h, h, d, Qt, gp, H, 0); // H_t = Pᵀ G P
        if (factorJittered(h, M, (A) => {
          for (let i = 0; i < h * h; i++) A[i] = s * H[i]!;
          for (let i = 0; i < h; i++) A[i * h + i]! += lambda;
        })) jittered++;
        for (let i = 0; i < h; i++) {
          let x = 0;
          for (let j = 0; j < d; j++) x += Qt[i * d + j]! * ne.C[j * T + t]!;
          e[i] = x;
          col[i] = s * x;
        }
        if (lambda > 0) {
          // b₀ += λ M⁻¹ s e; A₀ += λI − λ² M⁻¹ = λ M⁻¹ (s H) (column by column; no cancellation, no λ²)
          choleskySolveFactored(h, M, col, u);
          for (let i = 0; i < h; i++) b0[i]! += lambda * u[i]!;
          for (let j = 0; j < h; j++) {
            for (let i = 0; i < h; i++) unit[i] = s * H[i * h + j]!;
            choleskySolveFactored(h, M, unit, col);
            for (let i = 0; i < h; i++) A0[i * h + j]! += lambda * col[i]!;
          }
        }
      }
      w0.fill(0);
      if (lambda > 0) {
        for (let i = 0; i < h; i++) A0[i * h + i]! += mu;
        for (let i = 0; i < h; i++) for (let j = i + 1; j < h; j++) A0[j * h + i] = A0[i * h + j] = 0.5 * (A0[i * h + j]! + A0[j * h + i]!);
        A0c.set(A0);
        if (factorJittered(h, A0, (A) => A.set(A0c))) jittered++;
        choleskySolveFactored(h, A0, b0, w0);
      }
      grad.fill(0);
      let f = 0, pen = 0;
      for (let i = 0; i < h; i++) pen += mu * w0[i]! * w0[i]!;
      for (let t = 0; t < T; t++) {
        const s = scales[t]!;
        const gp = GP.subarray(t * d * h, (t + 1) * d * h), H = Hs.subarray(t * h * h, (t + 1) * h * h);
        const M = Mf.subarray(t * h * h, (t + 1) * h * h), e = E.subarray(t * h, (t + 1) * h);
        // v_t = M⁻¹(s e + λ w₀)
        for (let i = 0; i < h; i++) col[i] = s * e[i]! + lambda * w0[i]!;
        choleskySolveFactored(h, M, col, v);
        // f_t = s (vᵀHv − 2eᵀv + yy) + λ‖v − w₀‖²
        let vHv = 0, ev = 0, dev = 0;
        for (let i = 0; i < h; i++) {
          let x = 0;
          for (let l = 0; l < h; l++) x += H[i * h + l]! * v[l]!;
          vHv += v[i]! * x;
          ev += e[i]! * v[i]!;
          dev += (v[i]! - w0[i]!) ** 2;
          V[i * T + t] = v[i]!;
        }
        f += s * (vHv - 2 * ev + ne.yy[t]!);
        pen += lambda * dev;
        // r = G P v − c; w_t = P v
        for (let j = 0; j < d; j++) {
          let x = -ne.C[j * T + t]!, w = 0;
          for (let i = 0; i < h; i++) {
            x += gp[j * h + i]! * v[i]!;
            w += Qt[i * d + j]! * v[i]!;
          }
          r[j] = x;
          W[j * T + t] = w;
        }
        // ∇_Q f += 2 s v rᵀ
        for (let i = 0; i < h; i++) {
          const c = 2 * s * v[i]!;
          for (let j = 0; j < d; j++) grad[i * d + j]! += c * r[j]!;
        }
      }
      return (exactLoss ? exactLoss(W) : f) + pen;
    },
  };
}
