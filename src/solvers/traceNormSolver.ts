/**
 * Solvers of the trace-norm problem min_W L(W) + λ‖W‖_* + ρ‖W‖²_F (the model is
 * {@link traceNorm}), all stopping on the same duality gap ({@link traceNormGap}):
 * - `'admm'`: {@link spectralAdmm} with exact per-task solves in the eigenbases of the task Gram
 *   matrices — for small d (per-task d³ work), insensitive to the conditioning of the designs;
 * - `'fista'`: accelerated proximal gradient with adaptive restart and the prox through the small Gram
 *   matrix, low-rank iterates kept factored for shared designs ({@link spectralProxGrad});
 * - `'fista-svd'`: the earlier FISTA with a full thin SVD per prox (kept as the baseline of the
 *   benchmark).
 *
 * ## Dual and duality gap
 * With U = [u_1 … u_T] (one vector per task's residual space) and V = [X_1ᵀu_1 … X_Tᵀu_T] (d×T),
 *   D(U) = Σ_t ⟨u_t, y_t⟩ − Σ_t ‖u_t‖²/(4 s_t) − Φ*(V),   Φ = λ‖·‖_* + ρ‖·‖²_F,
 *   Φ*(V) = indicator{σ_max(V) ≤ λ}                     (ρ = 0),
 *   Φ*(V) = Σ_i (σ_i(V) − λ)₊² / (4ρ) = ‖SVT_λ(V)‖²_F/(4ρ)  (ρ > 0).
 * The dual point is U = α·2s⊙R (R the centred residuals, so the intercept constraints Σ_i u_ti = 0
 * hold); α maximises D along that ray: α = clamp(A/(2B), 0, λ/σ_max(V)) for ρ = 0, the exact
 * maximiser of the concave piecewise quadratic for ρ > 0 (A = ⟨2s⊙R, Y⟩, B = L(W)). Lewis, "The
 * convex analysis of unitarily invariant matrix functions", J. Convex Anal. 2, 1995 (the conjugates).
 *
 * References: S. Ji & J. Ye, ICML 2009; T. K. Pong, P. Tseng, S. Ji & J. Ye, SIAM J. Optim. 20(6),
 * 2010; J.-F. Cai, E. Candès & Z. Shen, SIAM J. Optim. 20(4), 2010; S. Boyd et al., Found. Trends
 * Mach. Learn. 3(1), 2011.
 *
 * @packageDocumentation
 */
import type { Mat, ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import { fista, type FistaResult, type ProxFunction, type SmoothFunction } from './fista.js';
import { singularValueThreshold, spectralNorm, thinSvdInto } from '../linalg/svd.js';
import { traceNormValues } from './spectralPenalties.js';
import { rescaledDual } from './certificates.js';
import { solveSpectral } from './spectralModel.js';
import { createSvdBuffers, frobeniusSq, type SvdBuffers } from './spectralTools.js';
import type { KindedDatafit } from './spectralModel.js';

/** Result of {@link traceNormGap}. */
export interface TraceNormGapResult {
  /** Primal objective P(W). */
  primal: number;
  /** Dual objective at the scaled dual point. */
  dual: number;
  /** max(P − D, 0). */
  gap: number;
  /** The dual scaling α. */
  alpha: number;
}

/**
 * The duality gap of the trace-norm problem at W, from the dual point U = α·2s⊙R.
 *
 * @param lossValue - B = L(W) = Σ_t s_t ‖r_t‖²
 * @param innerY - A = ⟨2s⊙R, Y⟩ (centred responses)
 * @param sV - singular values of V = Xᵀ(2s⊙R), descending
 * @param nuclearW - ‖W‖_*
 * @param froW - ‖W‖²_F
 * @param lambda - λ
 * @param ridge - ρ
 * @returns primal, dual, gap and α
 * @example
 * ```ts
 * traceNormGap(B, A, singularValuesOfV, nucW, froW, 0.1, 0).gap;
 * ```
 * @see {@link traceNorm}
 */
export function traceNormGap(
  lossValue: number, innerY: number, sV: Float64Array, nuclearW: number, froW: number, lambda: number, ridge: number,
): TraceNormGapResult {
  const A = innerY, B = lossValue;
  const primal = B + lambda * nuclearW + ridge * froW;
  const smax = sV.length > 0 ? sV[0]! : 0;
  let alpha: number;
  let dual: number;
  if (ridge === 0) {
    // D(α) = αA − α²B on 0 ≤ α ≤ λ/σ_max(V): the package's one rescaling
    ({ dual, alpha } = rescaledDual(A, B, lambda, smax, null));
  } else {
    // D(α) = αA − α²B − Σ_i (ασ_i − λ)₊²/(4ρ), concave; D'(α) decreasing, piecewise linear with
    // breakpoints λ/σ_i. On the piece where the m largest σ_i are active:
    // D'(α) = A + λ S1/(2ρ) − α (2B + S2/(2ρ)) with S1 = Σ_{i<m} σ_i, S2 = Σ_{i<m} σ_i².
    alpha = 0;
    let S1 = 0, S2 = 0;
    for (let m = 0; m <= sV.length; m++) {
      if (m > 0) {
        const sg = sV[m - 1]!;
        S1 += sg;
        S2 += sg * sg;
      }
      const lo = m > 0 ? (sV[m - 1]! > 0 ? lambda / sV[m - 1]! : Infinity) : 0;
      const hi = m < sV.length && sV[m]! > 0 ? lambda / sV[m]! : Infinity;
      if (!(lo < Infinity)) break;
      const den = 2 * B + S2 / (2 * ridge);
      const num = A + (lambda * S1) / (2 * ridge);
      const root = den > 0 ? num / den : (num > 0 ? Infinity : lo);
      if (root <= lo) {
        alpha = lo; // D' ≤ 0 already at the start of this piece (only possible for m = 0 here)
        break;
      }
      if (root <= hi) {
        alpha = root;
        break;
      }
      alpha = hi;
    }
    if (!Number.isFinite(alpha)) alpha = 0;
    alpha = Math.max(0, alpha);
    let phi = 0;
    for (let i = 0; i < sV.length; i++) {
      const e = alpha * sV[i]! - lambda;
      if (e > 0) phi += e * e;
    }
    dual = alpha * A - alpha * alpha * B - phi / (4 * ridge);
  }
  return { primal, dual, gap: Math.max(0, primal - dual), alpha };
}

/** Result of {@link fistaTraceNorm}: the FISTA result plus the singular values of the final W when known. */
export interface FistaTraceNormResult extends FistaResult {

  /**
   * Singular values of the returned W (descending) when it is the output of a prox step: exactly the
   * soft-thresholded values (σ_i − τ)₊ of the prox input; `null` when W is the starting point.
   */
  singularValues: Float64Array | null;
}

/**
 * FISTA for the trace-norm problem: smooth part L(W) + ρ‖W‖²_F through the backend's affine state,
 * prox = singular value soft-thresholding, duality gap as certificate (or the fixed-point residual
 * when `useGap` is false). All buffers are allocated once; each prox step allocates only the
 * singular value array returned by {@link singularValueThreshold}. The nuclear norm of a prox output
 * is known from the thresholded singular values, so objective values and gaps at the iterates need
 * no extra SVD.
 * @param loss - the datafit
 * @param backend - residual or Gram evaluation of the loss ({@link quadraticDatafit})
 * @param W0 - start (d×T row-major)
 * @param lambda - λ
 * @param ridge - ρ
 * @param tolAbs - absolute tolerance on the certificate
 * @param maxIter - iteration cap
 * @param restart - adaptive restart
 * @param useGap - certificate = duality gap (else fixed-point residual)
 * @param onProgress - progress callback at every certificate check
 * @returns the FISTA result and the singular values of the final iterate
 * @example
 * ```ts
 * const res = fistaTraceNorm(loss, quadraticDatafit(loss), new Float64Array(d * T), 0.1, 0, 1e-8, 10000, true, true);
 * ```
 * @see {@link traceNorm}, {@link fista}
 */
export function fistaTraceNorm(
  loss: QuadraticLoss, backend: KindedDatafit, W0: Float64Array, lambda: number, ridge: number, tolAbs: number,
  maxIter: number, restart: boolean, useGap: boolean, onProgress?: ProgressCallback,
): FistaTraceNormResult {
  const { d, T } = loss;
  const k = Math.min(d, T);
  const V = new Float64Array(d * T);
  const Vm: Mat = { rows: d, cols: T, data: V };
  const svdBuf: SvdBuffers = createSvdBuffers(d, T);
  // Mat views whose data field is re-pointed at FISTA's buffers (no allocation per call)
  const inView = { rows: d, cols: T, data: V } as { rows: number; cols: number; data: Float64Array };
  const outView = { rows: d, cols: T, data: V } as { rows: number; cols: number; data: Float64Array };
  // the last prox output (a copy) and its singular values, to answer ‖x‖_* without an SVD
  const lastOut = new Float64Array(d * T);
  const lastSv = new Float64Array(k);
  let lastValid = false;
  const isLastOut = (x: Float64Array): boolean => {
    if (!lastValid) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== lastOut[i]) return false;
    return true;
  };
  const nuclear = (x: Float64Array): number => {
    let sum = 0;
    if (isLastOut(x)) {
      for (let i = 0; i < k; i++) sum += lastSv[i]!;
      return sum;
    }
    inView.data = x;
    thinSvdInto(inView, svdBuf.U, svdBuf.s, svdBuf.V, svdBuf.work);
    for (let i = 0; i < k; i++) sum += svdBuf.s[i]!;
    return sum;
  };
  const smooth: SmoothFunction = {
    dim: d * T,
    stateSize: backend.stateSize,
    computeState: (x, s) => backend.computeState(x, s),
    value: (x, s) => backend.value(x, s) + (ridge > 0 ? ridge * frobeniusSq(x) : 0),
    gradient: (x, s, g) => {
      backend.gradient(x, s, g);
      if (ridge > 0) for (let i = 0; i < x.length; i++) g[i]! += 2 * ridge * x[i]!;
    },
  };
  const prox: ProxFunction = {
    value: (x) => (lambda > 0 ? lambda * nuclear(x) : 0),
    prox: (v, step, out) => {
      if (lambda === 0) {
        out.set(v);
        lastValid = false;
        return;
      }
      inView.data = v;
      outView.data = out;
      const tau = step * lambda;
      const { s } = singularValueThreshold(inView, tau, outView, svdBuf.work);
      lastOut.set(out);
      for (let i = 0; i < k; i++) lastSv[i] = Math.max(s[i]! - tau, 0);
      lastValid = true;
    },
  };
  const certificate = useGap
    ? (x: Float64Array, s: Float64Array): number => {
      const terms = backend.dualTerms(x, s, V); // V = −∇L(W)
      const A = terms.innerY, B = terms.value;
      const nucW = nuclear(x);
      const froW = frobeniusSq(x);
      let sV: Float64Array;
      if (ridge === 0) {
        svdBuf.s[0] = spectralNorm(Vm, svdBuf.work);
        sV = svdBuf.s.subarray(0, Math.min(1, k));
      } else {
        thinSvdInto(Vm, svdBuf.U, svdBuf.s, svdBuf.V, svdBuf.work);
        sV = svdBuf.s;
      }
      return traceNormGap(B, A, sV, nucW, froW, lambda, ridge).gap;
    }
    : undefined;
  const res = fista(smooth, prox, W0, {
    lipschitz: loss.lipschitz() + 2 * ridge,
    tol: tolAbs,
    maxIter,
    restart,
    checkEvery: 10,
    ...(certificate ? { certificate } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { ...res, singularValues: isLastOut(res.x) ? Float64Array.from(lastSv) : null };
}

/**
 * The trace-norm problem by {@link solveSpectral} with the duality gap of {@link traceNormGap}
 * (`useGap`; else the gradient norm, the certificate for λ = ρ = 0), by FISTA ({@link spectralProxGrad})
 * or ADMM ({@link spectralAdmm}).
 * @param loss - the datafit
 * @param backend - residual or Gram evaluation of the loss
 * @param W0 - start (d×T row-major)
 * @param lambda - λ
 * @param ridge - ρ
 * @param tolAbs - absolute tolerance on the certificate
 * @param maxIter - iteration cap
 * @param useGap - certificate = duality gap
 * @param solver - `'fista'` or `'admm'`
 * @param onProgress - progress callback at every certificate check
 * @returns the result in the shape of {@link fistaTraceNorm}'s
 * @example
 * ```ts
 * const res = spectralTraceNorm(loss, quadraticDatafit(loss), new Float64Array(d * T), 0.1, 0, 1e-8, 10000, true, 'fista');
 * ```
 * @see {@link traceNorm}
 */
export function spectralTraceNorm(
  loss: QuadraticLoss, backend: KindedDatafit, W0: Float64Array, lambda: number, ridge: number, tolAbs: number,
  maxIter: number, useGap: boolean, solver: 'fista' | 'admm', onProgress?: ProgressCallback,
): FistaTraceNormResult {
  const gap = useGap
    ? (B: number, A: number, sV: Float64Array, hx: number, froW: number) => traceNormGap(B, A, sV, lambda > 0 ? hx / lambda : 0, froW, lambda, ridge)
    : null;
  const res = solveSpectral(loss, backend, W0, traceNormValues(lambda), ridge, gap, ridge > 0, tolAbs, maxIter, useGap ? solver : 'fista', onProgress);
  return {
    x: res.x, state: res.state, objective: res.objective, certificate: res.certificate, iterations: res.iterations,
    converged: res.status === 'converged', status: res.status, lipschitz: NaN, history: res.history, singularValues: res.singularValues,
  };
}
