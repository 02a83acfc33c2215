/**
 * Proximal gradient with Anderson extrapolation for spectral problems
 *
 *   min_W f(W) + h(σ(W)),   W ∈ ℝ^{d×T},
 *
 * f a quadratic datafit evaluated through an affine state (residuals or Gram products), h a function
 * of the singular values with a closed-form prox on them (trace norm: soft-thresholding; rank
 * constraint: truncation; squared trace norm: a shifted soft-thresholding). Used by the trace-norm,
 * rank-constrained and feature-learning models.
 *
 * - **Prox through the small Gram matrix.** Z (d×T) is decomposed through the eigendecomposition of
 *   ZZᵀ (d ≤ T) or ZᵀZ (d > T), after an exact power-of-two scaling: cost d·T·min(d, T) + O(min(d, T)³).
 *   The output is kept in factored form W = P·Qᵀ (P d×k, Qᵀ k×T, k the number of non-zero
 *   singular values after the prox), which lets a shared-design Gram backend compute the state G·W as
 *   (G·P)·Qᵀ in d²k + dTk operations instead of d²T.
 * - **Steps.** Plain proximal gradient steps 1/L (L from the datafit, doubled by backtracking when the
 *   quadratic upper bound fails; at most 60 doublings per iteration); the objective never increases.
 * - **Anderson extrapolation** every `andersonMemory` steps (Anderson 1965; Walker & Ni 2011; applied to
 *   proximal gradient as in Bertrand & Massias, "Anderson acceleration of coordinate descent",
 *   AISTATS 2021, and skglm): x_e = Σ c_i x_i with c = (UᵀU)⁻¹1 / 1ᵀ(UᵀU)⁻¹1, U the differences of
 *   the last iterates; accepted only when it lowers the objective (for a constraint h, x_e is projected
 *   first). Once the rank is identified the proximal gradient map is smooth and the extrapolation
 *   removes most of the linear-rate iterations of an ill-conditioned problem.
 * - **Stopping** on a certificate computed by the caller (duality gap, fixed-point residual) every
 *   `checkEvery` iterations; status `'converged'` only when a finite certificate ≤ a finite tolerance,
 *   `'non-finite'` as soon as an objective, gradient or certificate is not finite,
 *   `'max-iterations'` otherwise.
 *
 * @packageDocumentation
 */
import type { FitStatus, ProgressCallback } from '../types.js';
import { thinSvd } from '../linalg/svd.js';
import { choleskyFactor, choleskySolveFactored } from '../linalg/cholesky.js';
import type { SpectralPenalty } from './spectralPenalties.js';
import { SpectralWorkspace } from './spectralWorkspace.js';

export { SpectralWorkspace } from './spectralWorkspace.js';
export { asoSpectralValues, rankConstraintValues, squaredTraceNormValues, traceNormValues, type SpectralPenalty } from './spectralPenalties.js';

/** Why a solver stopped (the core's {@link FitStatus}). */
export type SolverStatus = FitStatus;

/** The smooth part: an affine state and the quadratic's value and gradient (no allocation per call). */
export interface AffineSmooth {
  /** Number of variables d·T. */
  readonly dim: number;
  /** Length of the state. */
  readonly stateSize: number;
  /** state ← A(W). */
  computeState(W: Float64Array, state: Float64Array): void;
  /** state ← A(P·Qᵀ) for W = P·Qᵀ (P d×k, Qt k×T); optional fast path for low-rank iterates. */
  computeStateFactored?(P: Float64Array, Qt: Float64Array, k: number, state: Float64Array): void;
  /** f(W) from W and its state. */
  value(W: Float64Array, state: Float64Array): number;
  /** G ← ∇f(W). */
  gradient(W: Float64Array, state: Float64Array, G: Float64Array): void;
}

/** Options of {@link spectralProxGrad}. */
export interface SpectralProxGradOptions {
  /** Initial Lipschitz constant of ∇f (backtracking doubles it when needed). */
  lipschitz: number;
  /** Absolute tolerance on the certificate. */
  tol: number;
  /** Iteration cap (each iteration is one proximal gradient step). */
  maxIter: number;
  /**
   * Certificate at W with its state (e.g. a duality gap), given the current Lipschitz estimate L and
   * the penalty value h(W); ≥ 0. When omitted: the fixed-point residual ‖W − prox_{h/L}(W − ∇f(W)/L)‖_F·L.
   */
  certificate?: (W: Float64Array, state: Float64Array, L: number, penaltyValue: number) => number;
  /** Certificate every this many iterations. @default 10 */
  checkEvery?: number;
  /** Anderson memory K (extrapolation every K steps); 0 disables it. @default 5 */
  andersonMemory?: number;
  /**
   * FISTA momentum with O'Donoghue–Candès gradient restart instead of plain steps (the objective may
   * then increase between restarts). @default false
   */
  accelerate?: boolean;
  /** Called after every certificate with { iteration, maxIter, objective, certificate, tol }. @default undefined */
  onProgress?: ProgressCallback;
}

/** One recorded check of {@link spectralProxGrad}. */
export interface SpectralHistoryEntry {
  /** Iteration. */
  readonly iteration: number;
  /** f + h at that iterate. */
  readonly objective: number;
  /** The certificate. */
  readonly certificate: number;
  /** Seconds since the start. */
  readonly time: number;
}

/** Result of {@link spectralProxGrad}. */
export interface SpectralProxGradResult {
  /** Final W. */
  readonly x: Float64Array;
  /** Its state. */
  readonly state: Float64Array;
  /** Singular values of x (descending, length min(d, T)). */
  readonly singularValues: Float64Array;
  /** f(x) + h(x). */
  readonly objective: number;
  /** Last certificate. */
  readonly certificate: number;
  /** Iterations done. */
  readonly iterations: number;
  /** Why the loop stopped. */
  readonly status: SolverStatus;
  /** Anderson extrapolations accepted. */
  readonly accepted: number;
  /** Checks. */
  readonly history: SpectralHistoryEntry[];
}

/**
 * Minimises f(W) + h(σ(W)) by proximal gradient with backtracking and safeguarded Anderson
 * extrapolation (see the module documentation). Allocates its buffers once.
 *
 * @param f - the smooth part (affine state)
 * @param d - rows of W
 * @param T - columns of W
 * @param h - the spectral penalty
 * @param x0 - start (d·T, copied; a constraint h projects it first)
 * @param options - see {@link SpectralProxGradOptions}
 * @returns the final iterate, its singular values, certificate, status and history
 * @example
 * ```ts
 * const res = spectralProxGrad(smooth, d, T, traceNormValues(lambda), new Float64Array(d * T),
 *   { lipschitz: L, tol: 1e-8, maxIter: 1000, certificate: gapAt });
 * res.status; // 'converged' when a finite certificate ≤ tol
 * ```
 * @see {@link SpectralWorkspace}; Beck & Teboulle, SIAM J. Imaging Sci. 2(1), 2009 (backtracking);
 *   Bertrand & Massias, AISTATS 2021 (Anderson extrapolation of proximal methods).
 */
export function spectralProxGrad(
  f: AffineSmooth, d: number, T: number, h: SpectralPenalty, x0: Float64Array, options: SpectralProxGradOptions,
): SpectralProxGradResult {
  const n = d * T, m = f.stateSize;
  const K = Math.max(0, Math.floor(options.andersonMemory ?? 5));
  const checkEvery = Math.max(1, Math.floor(options.checkEvery ?? 10));
  const maxIter = options.maxIter;
  const tol = options.tol;
  const start = performance.now();
  const sw = new SpectralWorkspace(d, T);
  const k = sw.k;
  let L = options.lipschitz > 0 && Number.isFinite(options.lipschitz) ? options.lipschitz : 1;

  let x = Float64Array.from(x0);
  let xNew = new Float64Array(n);
  let S = new Float64Array(m);
  let SNew = new Float64Array(m);
  const g = new Float64Array(n);
  const z = new Float64Array(n);
  const sv = new Float64Array(k); // singular values of the last prox output / decomposed matrix
  const svx = new Float64Array(k); // singular values of x when it is a prox output
  let xIsProx = false;
  // Anderson buffers: the last K + 1 iterates and states
  const X = K > 0 ? new Float64Array((K + 1) * n) : new Float64Array(0);
  const SX = K > 0 ? new Float64Array((K + 1) * m) : new Float64Array(0);
  const UtU = new Float64Array(K * K);
  const coef = new Float64Array(K + 1);
  const xe = K > 0 ? new Float64Array(n) : new Float64Array(0);
  const Se = K > 0 ? new Float64Array(m) : new Float64Array(0);
  let stored = 0;

  /** x ← prox of h at x's own singular values with step 0 (projection of a constraint). */
  const projectInto = (src: Float64Array, dst: Float64Array, state: Float64Array): boolean => {
    if (!sw.decompose(src)) return false;
    h.proxValues(sw.s, k, 0);
    sv.set(sw.s); // the projection's singular values (exact zeros beyond the rank)
    sw.applyMap(dst);
    stateOfMap(dst, state);
    return true;
  };
  const stateOfMap = (W: Float64Array, state: Float64Array): void => {
    if (f.computeStateFactored) f.computeStateFactored(sw.P, sw.Qt, sw.rank, state);
    else f.computeState(W, state);
  };
  const hOf = (W: Float64Array): number => {
    if (!sw.decompose(W)) return NaN;
    sv.set(sw.s);
    return h.value(sv, k);
  };

  const fpr = (W: Float64Array, state: Float64Array): number => {
    // ‖W − prox_{h/L}(W − ∇f(W)/L)‖_F · L
    f.gradient(W, state, g);
    for (let i = 0; i < n; i++) z[i] = W[i]! - g[i]! / L;
    if (!sw.decompose(z)) return NaN;
    h.proxValues(sw.s, k, 1 / L);
    sw.applyMap(xNew);
    let r = 0;
    for (let i = 0; i < n; i++) r += (W[i]! - xNew[i]!) ** 2;
    return Math.sqrt(r) * L;
  };
  const certOf = options.certificate ?? ((W: Float64Array, state: Float64Array) => fpr(W, state));
  let status: SolverStatus = 'max-iterations';
  let hx: number;
  if (h.isConstraint) {
    if (!projectInto(x, xNew, S)) hx = NaN;
    else {
      const t = x; x = xNew; xNew = t;
      hx = h.value(sv, k);
    }
  } else {
    f.computeState(x, S);
    hx = hOf(x);
  }
  let fx = f.value(x, S);
  let cert = Number.isFinite(fx + hx) ? certOf(x, S, L, hx) : NaN;
  const history: SpectralHistoryEntry[] = [{ iteration: 0, objective: fx + hx, certificate: cert, time: 0 }];
  let it = 0;
  let acceptedCount = 0;
  // 'converged' needs a finite certificate ≤ a finite tolerance: a tolerance that overflowed (data
  // scaled beyond ~1e150) ends the run at once
  if (!Number.isFinite(fx + hx) || !Number.isFinite(cert) || !Number.isFinite(tol)) status = 'non-finite';
  else if (cert <= tol) status = 'converged';
  const pushIterate = (): void => {
    if (K === 0) return;
    if (stored === K + 1) {
      // drop the oldest
      X.copyWithin(0, n, (K + 1) * n);
      SX.copyWithin(0, m, (K + 1) * m);
      stored = K;
    }
    X.set(x, stored * n);
    SX.set(S, stored * m);
    stored++;
  };
  if (status === 'max-iterations') pushIterate();

  const accelerate = options.accelerate ?? false;
  const xPrev = accelerate ? Float64Array.from(x) : new Float64Array(0);
  const SPrev = accelerate ? Float64Array.from(S) : new Float64Array(0);
  const y = accelerate ? new Float64Array(n) : x;
  const Sy = accelerate ? new Float64Array(m) : S;
  let tk = 1;
  while (status === 'max-iterations' && it < maxIter) {
    it++;
    let yv = x, Syv = S, fy = fx, tNext = 1;
    if (accelerate) {
      // y = x + β(x − x_prev), its state likewise (affine)
      tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      const beta = (tk - 1) / tNext;
      for (let i = 0; i < n; i++) y[i] = x[i]! + beta * (x[i]! - xPrev[i]!);
      for (let i = 0; i < m; i++) Sy[i] = S[i]! + beta * (S[i]! - SPrev[i]!);
      yv = y;
      Syv = Sy;
      fy = beta === 0 ? fx : f.value(y, Sy);
    }
    f.gradient(yv, Syv, g);
    // backtracking on L: f(x+) ≤ f(y) + ⟨g, x+ − y⟩ + L/2 ‖x+ − y‖²
    let fNew = NaN, hNew = NaN, ok = false;
    for (let bt = 0; bt < 60; bt++) {
      const step = 1 / L;
      for (let i = 0; i < n; i++) z[i] = yv[i]! - step * g[i]!; // Z = Y − ∇f(Y)/L
      if (!sw.decompose(z)) break;
      h.proxValues(sw.s, k, step);
      sv.set(sw.s);
      hNew = h.value(sv, k);
      sw.applyMap(xNew);
      stateOfMap(xNew, SNew);
      fNew = f.value(xNew, SNew);
      if (!Number.isFinite(fNew)) break;
      let lin = 0, sq = 0;
      for (let i = 0; i < n; i++) {
        const dl = xNew[i]! - yv[i]!;
        lin += g[i]! * dl;
        sq += dl * dl;
      }
      if (fNew <= fy + lin + 0.5 * L * sq + 1e-12 * Math.max(1, Math.abs(fy)) || sq === 0) {
        ok = true;
        break;
      }
      L *= 2;
    }
    if (!ok || !Number.isFinite(hNew)) {
      status = 'non-finite';
      break;
    }
    if (accelerate) {
      // gradient restart: ⟨y − x+, x+ − x⟩ > 0 resets the momentum
      let ip = 0;
      for (let i = 0; i < n; i++) ip += (yv[i]! - xNew[i]!) * (xNew[i]! - x[i]!);
      tk = ip > 0 ? 1 : tNext;
      xPrev.set(x);
      SPrev.set(S);
    }
    const t = x; x = xNew; xNew = t;
    const ts = S; S = SNew; SNew = ts;
    fx = fNew;
    hx = hNew;
    svx.set(sv);
    xIsProx = true;
    if (it % checkEvery === 0 || it === maxIter) {
      cert = certOf(x, S, L, hx);
      history.push({ iteration: it, objective: fx + hx, certificate: cert, time: (performance.now() - start) / 1000 });
      options.onProgress?.({ iteration: it, maxIter, objective: fx + hx, certificate: cert, tol });
      if (!Number.isFinite(cert) || !Number.isFinite(fx + hx)) status = 'non-finite';
      else if (cert <= tol) status = 'converged';
    }
    pushIterate();
    if (status === 'max-iterations' && it < maxIter && K > 0 && stored === K + 1) {
      // Anderson: U = [x_1 − x_0, …, x_K − x_{K−1}], c ∝ (UᵀU)⁻¹1, x_e = Σ_i c_i x_{i+1}
      if (andersonCoefficients(X, n, K, UtU, coef)) {
        xe.fill(0);
        Se.fill(0);
        for (let i = 0; i < K; i++) {
          const c = coef[i]!, xo = (i + 1) * n, so = (i + 1) * m;
          for (let j = 0; j < n; j++) xe[j]! += c * X[xo + j]!;
          for (let j = 0; j < m; j++) Se[j]! += c * SX[so + j]!;
        }
        let he: number;
        let okE = true;
        if (h.isConstraint) {
          okE = projectInto(xe, z, Se);
          if (okE) xe.set(z);
          he = okE ? h.value(sv, k) : NaN;
        } else {
          he = hOf(xe);
        }
        const fe = okE ? f.value(xe, Se) : NaN;
        if (Number.isFinite(fe + he) && fe + he < fx + hx) {
          if (accelerate) {
            xPrev.set(x);
            SPrev.set(S);
            tk = 1;
          }
          x.set(xe);
          S.set(Se);
          fx = fe;
          hx = he;
          xIsProx = h.isConstraint;
          if (xIsProx) svx.set(sv);
          acceptedCount++;
        }
      }
      stored = 0;
      pushIterate();
    }
  }
  if (status === 'max-iterations' && history[history.length - 1]!.iteration !== it) {
    cert = certOf(x, S, L, hx);
    history.push({ iteration: it, objective: fx + hx, certificate: cert, time: (performance.now() - start) / 1000 });
    if (!Number.isFinite(cert)) status = 'non-finite';
    else if (cert <= tol) status = 'converged';
  }
  // x is a prox output unless it is the start: its singular values are the mapped ones (exact zeros
  // included, which a Gram-based decomposition of x would only resolve to about √ε·σ_max)
  const singularValues = new Float64Array(k);
  if (it > 0 && xIsProx) singularValues.set(svx);
  else {
    const full = thinSvd({ rows: d, cols: T, data: x }).s;
    if (full.every(Number.isFinite)) singularValues.set(full);
    else singularValues.fill(NaN);
  }
  return {
    x, state: S, singularValues, objective: fx + hx, certificate: cert, iterations: it, status, accepted: acceptedCount, history,
  };
}

/**
 * Anderson coefficients from the K + 1 stored iterates (rows of X, n each): solves (UᵀU + δI) z = 1
 * by Cholesky (δ = 1e-12·tr(UᵀU)/K) and returns c = z/Σz in `coef`.
 * @returns false when the system is degenerate
 */
function andersonCoefficients(X: Float64Array, n: number, K: number, UtU: Float64Array, coef: Float64Array): boolean {
  // UtU[i, j] = ⟨x_{i+1} − x_i, x_{j+1} − x_j⟩
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j++) {
      let s = 0;
      const a = i * n, b = j * n;
      for (let l = 0; l < n; l++) s += (X[a + n + l]! - X[a + l]!) * (X[b + n + l]! - X[b + l]!);
      UtU[i * K + j] = s;
      UtU[j * K + i] = s;
    }
  }
  let tr = 0;
  for (let i = 0; i < K; i++) tr += UtU[i * K + i]!;
  if (!(tr > 0) || !Number.isFinite(tr)) return false;
  for (let i = 0; i < K; i++) UtU[i * K + i]! += 1e-12 * tr / K;
  // z = (UᵀU + δI)⁻¹1 by the package's Cholesky (pivots must stay > 0)
  if (!choleskyFactor(K, UtU, 0)) return false;
  coef.fill(1, 0, K);
  choleskySolveFactored(K, UtU, coef, coef);
  let sum = 0;
  for (let i = 0; i < K; i++) sum += coef[i]!;
  if (!(Math.abs(sum) > 0) || !Number.isFinite(sum)) return false;
  for (let i = 0; i < K; i++) coef[i]! /= sum;
  return true;
}
