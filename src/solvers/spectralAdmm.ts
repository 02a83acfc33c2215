/**
 * ADMM with exact per-task solves for spectral problems on small designs
 *
 *   min_W Σ_t s_t ‖ỹ_t − X̃_t w_t‖² + ρ_r‖W‖²_F + h(σ(W))
 *
 * split as W = Z (Boyd, Parikh, Chu, Peleato & Eckstein, "Distributed optimization and statistical
 * learning via the alternating direction method of multipliers", Found. Trends Mach. Learn. 3(1),
 * 2011, §3 and §4.4):
 * - **W step**, per task: (2s_tG_t + 2ρ_r + ρ) w_t = 2s_t c_t + ρ(z_t − u_t), solved in the
 *   eigenbasis of G_t = Q_tΛ_tQ_tᵀ computed once (so ρ can change for free);
 * - **Z step**: Z = prox_{h/ρ}(W + U) through the small Gram matrix ({@link SpectralWorkspace});
 * - **U step**: U ← U + W − Z;
 * - ρ by residual balancing every `checkEvery` iterations (×2 or ÷2 when one residual exceeds the
 *   other tenfold, §3.4.1), at most 40 changes.
 * The W step inverts each task's curvature exactly, so the iteration count does not grow with the
 * condition number of the designs — the reason to prefer it to proximal gradient on data such as
 * School (one-hot and count features with scales differing by orders of magnitude). The certificate
 * is evaluated at Z, which is a prox output (its singular values are known exactly).
 *
 * @packageDocumentation
 */
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';
import { thinSvd } from '../linalg/svd.js';
import { gemv } from '../linalg/blas.js';
import type { SolverStatus } from './spectralProxGrad.js';
import type { SpectralPenalty } from './spectralPenalties.js';
import { SpectralWorkspace } from './spectralWorkspace.js';
import type { ProgressCallback } from '../types.js';

/** The per-task normal equations the W step reads (G_t = X̃_tᵀX̃_t, c_t = X̃_tᵀỹ_t). */
export interface NormalEquationsView {
  /** G_t (d×d row-major); may return a shared or recomputed buffer. */
  gram(t: number): Float64Array;
  /** c_t as the columns of a d×T matrix. */
  readonly C: Float64Array;
  /** Whether every task has the same G. */
  readonly sharedGram: boolean;
}

/** Options of {@link spectralAdmm}. */
export interface SpectralAdmmOptions {
  /** ρ_r ≥ 0, the ridge weight inside the smooth part. @default 0 */
  ridge?: number;
  /** Absolute tolerance on the certificate. */
  tol: number;
  /** Iteration cap. */
  maxIter: number;
  /** Certificate at Z given h(Z) (e.g. the duality gap); NaN / ∞ end the run as 'non-finite'. */
  certificate: (Z: Float64Array, penaltyValue: number) => number;
  /** Certificate and ρ update every this many iterations. @default 10 */
  checkEvery?: number;
  /** Starting point (d·T; copied). @default zeros */
  start?: Float64Array | null;
  /** Called after every certificate with { iteration, maxIter, objective (NaN: not tracked), certificate, tol }. @default undefined */
  onProgress?: ProgressCallback;
}

/** Result of {@link spectralAdmm}. */
export interface SpectralAdmmResult {
  /** The solution Z (a prox output). */
  readonly x: Float64Array;
  /** Singular values of Z (descending). */
  readonly singularValues: Float64Array;
  /** h(Z). */
  readonly penaltyValue: number;
  /** Last certificate. */
  readonly certificate: number;
  /** Iterations done. */
  readonly iterations: number;
  /** Why it stopped. */
  readonly status: SolverStatus;
  /** Final ρ. */
  readonly rho: number;
  /** Certificates at the checks. */
  readonly history: { iteration: number; certificate: number; time: number }[];
}

/** Eigendecompositions of the task Gram matrices (one for a shared design). */
export interface TaskEigen {
  /** Per distinct Gram: eigenvectors as rows (d×d). */
  readonly vecT: readonly Float64Array[];
  /** Per distinct Gram: eigenvalues. */
  readonly vals: readonly Float64Array[];
  /** Index of task t's Gram in the arrays above. */
  readonly index: (t: number) => number;
}

/**
 * Eigendecomposes every task's Gram matrix (once for a shared design).
 * @param ne - the normal equations
 * @param d - features
 * @param T - tasks
 * @returns the decompositions
 * @example
 * ```ts
 * const eig = taskEigen(ne, d, T);
 * ```
 * @see {@link spectralAdmm}
 */
export function taskEigen(ne: NormalEquationsView, d: number, T: number): TaskEigen {
  const work = createSymEigWorkspace(d);
  const count = ne.sharedGram ? 1 : T;
  const vecT: Float64Array[] = [];
  const vals: Float64Array[] = [];
  for (let t = 0; t < count; t++) {
    const v = new Float64Array(d * d), e = new Float64Array(d);
    symEigInto({ rows: d, cols: d, data: ne.gram(t) }, e, v, work);
    for (let k = 0; k < d; k++) e[k] = Math.max(e[k]!, 0);
    vecT.push(v);
    vals.push(e);
  }
  return { vecT, vals, index: ne.sharedGram ? () => 0 : (t) => t };
}

/**
 * Minimises Σ_t s_t‖ỹ_t − X̃_tw_t‖² + ρ_r‖W‖²_F + h(σ(W)) by ADMM (see the module documentation).
 * @param ne - normal equations (c_t in `ne.C`)
 * @param eig - {@link taskEigen} of the same Grams
 * @param scales - s_t
 * @param d - features
 * @param T - tasks
 * @param h - the spectral penalty (convex for the guarantees of ADMM; a rank constraint gives a heuristic)
 * @param rho0 - initial ρ > 0
 * @param options - see {@link SpectralAdmmOptions}
 * @returns Z, its singular values, certificate, status
 * @example
 * ```ts
 * const res = spectralAdmm(ne, taskEigen(ne, d, T), loss.scales, d, T, traceNormValues(0.1), 1, { tol, maxIter: 10000, certificate });
 * ```
 * @see {@link taskEigen}; Boyd et al., Found. Trends Mach. Learn. 3(1), 2011.
 */
export function spectralAdmm(
  ne: NormalEquationsView, eig: TaskEigen, scales: Float64Array, d: number, T: number, h: SpectralPenalty, rho0: number,
  options: SpectralAdmmOptions,
): SpectralAdmmResult {
  const n = d * T;
  const ridge = options.ridge ?? 0;
  const checkEvery = Math.max(1, Math.floor(options.checkEvery ?? 10));
  const startTime = performance.now();
  const W = new Float64Array(n), U = new Float64Array(n), M = new Float64Array(n);
  let Z = options.start ? Float64Array.from(options.start) : new Float64Array(n);
  let Zold = new Float64Array(n);
  const rhs = new Float64Array(d), tmp = new Float64Array(d), resid = new Float64Array(2);
  // per-task inverses A_t = (2s_tG_t + (2ρ_r + ρ)I)⁻¹ (rebuilt when ρ changes) when they fit in memory:
  // one d×d product per task and iteration instead of two
  const inverses = T * d * d <= INVERSE_BUDGET ? Array.from({ length: T }, () => new Float64Array(d * d)) : null;
  let inverseRho = NaN;
  const sw = new SpectralWorkspace(d, T);
  const k = sw.k;
  const sv = new Float64Array(k);
  let rho = rho0 > 0 && Number.isFinite(rho0) ? rho0 : 1;
  let changes = 0;
  let hz = NaN;
  let cert = NaN;
  let status: SolverStatus = 'max-iterations';
  const history: { iteration: number; certificate: number; time: number }[] = [];
  let it = 0;
  if (!Number.isFinite(options.tol)) status = 'non-finite'; // an overflowed tolerance can never certify
  else if (options.start) {
    // certificate at the start when it is already a valid point of h
    if (sw.decompose(Z)) {
      sv.set(sw.s);
      hz = h.value(sv, k);
      if (Number.isFinite(hz)) {
        cert = options.certificate(Z, hz);
        history.push({ iteration: 0, certificate: cert, time: 0 });
        if (!Number.isFinite(cert)) status = 'non-finite';
        else if (cert <= options.tol) status = 'converged';
      }
    } else status = 'non-finite';
    // a warm start also starts the scaled dual: U = −∇f(Z)/ρ (zero for a cold start, as before)
    if (status === 'max-iterations' && Z.some((z) => z !== 0)) dualFromStart(ne.C, eig, scales, d, T, ridge, rho, Z, U, rhs, tmp);
  }
  while (status === 'max-iterations' && it < options.maxIter) {
    it++;
    if (inverses !== null && inverseRho !== rho) {
      buildInverses(eig, scales, d, T, ridge, rho, inverses);
      inverseRho = rho;
    }
    if (inverses !== null) wStepInverses(ne.C, inverses, scales, d, T, rho, Z, U, W, rhs, tmp);
    else wStep(ne.C, eig, scales, d, T, ridge, rho, Z, U, W, rhs, tmp);
    // Z step: Z = prox_{h/ρ}(W + U)
    const sw0 = Zold; Zold = Z; Z = sw0;
    for (let i = 0; i < n; i++) M[i] = W[i]! + U[i]!;
    if (!sw.decompose(M)) {
      status = 'non-finite';
      Z.set(Zold);
      break;
    }
    h.proxValues(sw.s, k, 1 / rho);
    sv.set(sw.s);
    hz = h.value(sv, k);
    sw.applyMap(Z);
    // U step and residuals r = ‖W − Z‖, s = ρ‖Z − Z_old‖
    uStep(W, Z, Zold, U, resid);
    const rp = Math.sqrt(resid[0]!), rd = rho * Math.sqrt(resid[1]!);
    if (it % checkEvery === 0 || it === options.maxIter) {
      cert = Number.isFinite(hz) ? options.certificate(Z, hz) : NaN;
      history.push({ iteration: it, certificate: cert, time: (performance.now() - startTime) / 1000 });
      options.onProgress?.({ iteration: it, maxIter: options.maxIter, objective: NaN, certificate: cert, tol: options.tol });
      if (!Number.isFinite(cert)) {
        status = 'non-finite';
        break;
      }
      if (cert <= options.tol) {
        status = 'converged';
        break;
      }
      if (changes < 40) {
        // residual balancing (the scaled dual U = Y/ρ rescales with ρ)
        if (rp > 10 * rd) {
          rho *= 2;
          for (let i = 0; i < n; i++) U[i]! *= 0.5;
          changes++;
        } else if (rd > 10 * rp) {
          rho *= 0.5;
          for (let i = 0; i < n; i++) U[i]! *= 2;
          changes++;
        }
      }
    }
  }
  // Z is a prox output after the first iteration: its singular values are the mapped ones (exact zeros)
  const singularValues = new Float64Array(k);
  if (it > 0 && status !== 'non-finite') singularValues.set(sv);
  else {
    const full = thinSvd({ rows: d, cols: T, data: Z }).s;
    if (full.every(Number.isFinite)) singularValues.set(full);
    else singularValues.fill(NaN);
    hz = h.value(singularValues, k);
  }
  return { x: Z, singularValues, penaltyValue: hz, certificate: cert, iterations: it, status, rho, history };
}

/*
 * The two O(d²T) / O(dT) steps of an ADMM iteration live in small functions of their own: the
 * optimising compiler then compiles them once, early, instead of recompiling the whole driver several
 * times (hundreds of milliseconds each) as its rarely taken branches (checks, ρ updates) first run.
 */

/** W step: w_t = Q_t (2s_tΛ_t + 2ρ_r + ρ)⁻¹ Q_tᵀ (2s_t c_t + ρ(z_t − u_t)) for every task t. */
function wStep(
  C: Float64Array, eig: TaskEigen, scales: Float64Array, d: number, T: number, ridge: number, rho: number,
  Z: Float64Array, U: Float64Array, W: Float64Array, rhs: Float64Array, tmp: Float64Array,
): void {
  for (let t = 0; t < T; t++) {
    const s2 = 2 * scales[t]!;
    const e = eig.index(t);
    const Qt = eig.vecT[e]!, lam = eig.vals[e]!;
    for (let j = 0; j < d; j++) {
      const q = j * T + t;
      rhs[j] = s2 * C[q]! + rho * (Z[q]! - U[q]!);
    }
    for (let a = 0; a < d; a++) {
      let acc = 0;
      const o = a * d;
      for (let j = 0; j < d; j++) acc += Qt[o + j]! * rhs[j]!;
      tmp[a] = acc / (s2 * lam[a]! + 2 * ridge + rho);
    }
    rhs.fill(0);
    for (let a = 0; a < d; a++) {
      const c = tmp[a]!, o = a * d;
      for (let j = 0; j < d; j++) rhs[j]! += c * Qt[o + j]!;
    }
    for (let j = 0; j < d; j++) W[j * T + t] = rhs[j]!;
  }
}

/**
 * The scaled dual of a start Z: U = −∇f(Z)/ρ with f = Σ_t s_t‖ỹ_t − X̃_tz_t‖² + ρ_r‖Z‖²_F, i.e.
 * u_t = (2s_t(c_t − G_tz_t) − 2ρ_r z_t)/ρ, G_tz_t = Q_tᵀΛ_tQ_tz_t. This is the iteration's fixed point
 * when Z is optimal (ρU* = −∇f(Z*) ∈ ∂h(Z*)): the first W step returns Z and the first Z step is a
 * proximal gradient step from Z, so a start near the solution (a warm start along a path) stays near it.
 */
function dualFromStart(
  C: Float64Array, eig: TaskEigen, scales: Float64Array, d: number, T: number, ridge: number, rho: number,
  Z: Float64Array, U: Float64Array, p: Float64Array, g: Float64Array,
): void {
  for (let t = 0; t < T; t++) {
    const s2 = 2 * scales[t]!;
    const e = eig.index(t);
    const Qt = eig.vecT[e]!, lam = eig.vals[e]!;
    for (let a = 0; a < d; a++) {
      // p = Λ_t Q_t z_t
      let acc = 0;
      const o = a * d;
      for (let j = 0; j < d; j++) acc += Qt[o + j]! * Z[j * T + t]!;
      p[a] = lam[a]! * acc;
    }
    g.fill(0);
    for (let a = 0; a < d; a++) {
      // g = Q_tᵀ p = G_t z_t
      const c = p[a]!, o = a * d;
      for (let j = 0; j < d; j++) g[j]! += c * Qt[o + j]!;
    }
    for (let j = 0; j < d; j++) {
      const q = j * T + t;
      U[q] = (s2 * (C[q]! - g[j]!) - 2 * ridge * Z[q]!) / rho; // u_t = −∇f(z_t)/ρ
    }
  }
}

/** U ← U + (W − Z); out = [‖W − Z‖², ‖Z − Z_old‖²]. */
function uStep(W: Float64Array, Z: Float64Array, Zold: Float64Array, U: Float64Array, out: Float64Array): void {
  let rp = 0, rd = 0;
  for (let i = 0; i < W.length; i++) {
    const dw = W[i]! - Z[i]!;
    U[i]! += dw;
    rp += dw * dw;
    const dz = Z[i]! - Zold[i]!;
    rd += dz * dz;
  }
  out[0] = rp;
  out[1] = rd;
}

/** Doubles the per-task inverses of the W step may take (32 MB). */
const INVERSE_BUDGET = 4e6;

/** A_t = Q_tᵀ diag(1/(2s_tλ_ta + 2ρ_r + ρ)) Q_t for every task (Q_t's rows are the eigenvectors). */
function buildInverses(
  eig: TaskEigen, scales: Float64Array, d: number, T: number, ridge: number, rho: number, out: Float64Array[],
): void {
  for (let t = 0; t < T; t++) {
    const s2 = 2 * scales[t]!;
    const e = eig.index(t);
    const Qt = eig.vecT[e]!, lam = eig.vals[e]!, A = out[t]!;
    if (t > 0 && e === eig.index(t - 1) && scales[t] === scales[t - 1]) {
      A.set(out[t - 1]!); // a shared Gram with the same scale: the same inverse (d² instead of d³)
      continue;
    }
    A.fill(0);
    for (let a = 0; a < d; a++) {
      // A += q_a q_aᵀ / den_a (upper triangle, mirrored below)
      const inv = 1 / (s2 * lam[a]! + 2 * ridge + rho), o = a * d;
      for (let i = 0; i < d; i++) {
        const f = Qt[o + i]! * inv;
        if (f === 0) continue;
        const io = i * d;
        for (let j = i; j < d; j++) A[io + j]! += f * Qt[o + j]!;
      }
    }
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) A[j * d + i] = A[i * d + j]!;
  }
}

/** W step with the precomputed inverses: w_t = A_t (2s_t c_t + ρ(z_t − u_t)). */
function wStepInverses(
  C: Float64Array, inverses: readonly Float64Array[], scales: Float64Array, d: number, T: number, rho: number,
  Z: Float64Array, U: Float64Array, W: Float64Array, rhs: Float64Array, tmp: Float64Array,
): void {
  for (let t = 0; t < T; t++) {
    const s2 = 2 * scales[t]!;
    const A = inverses[t]!;
    for (let j = 0; j < d; j++) {
      const q = j * T + t;
      rhs[j] = s2 * C[q]! + rho * (Z[q]! - U[q]!);
    }
    gemv(d, d, A, 0, rhs, 0, tmp, 0, 0); // w_t = A_t rhs
    for (let i = 0; i < d; i++) W[i * T + t] = tmp[i]!;
  }
}
