/**
 * Riemannian L-BFGS on the Grassmann manifold Gr(d, k) for a *reduced* objective f(Q) = min_V F(Q, V)
 * whose inner block V is solved exactly inside `evaluate` (variable projection; Golub & Pereyra 1973).
 * A point is an orthonormal basis Q (k×d, orthonormal rows); f must depend on the row space only.
 *
 * - Riemannian gradient (embedded metric): ξ = g − (g Qᵀ) Q, g the Euclidean gradient of f (by the
 *   envelope theorem, the gradient of F in Q at the exact inner solution).
 * - Retraction: the polar factor R_Q(η) = (M Mᵀ)^{-1/2} M, M = Q + η — the orthonormal basis of the
 *   moved row space closest to M, so stored tangent vectors keep their basis and are transported by
 *   projection onto the new tangent space (Absil, Mahony & Sepulchre 2008, §4.1.2 and §8.1.3).
 * - Direction: the two-loop recursion of L-BFGS on the transported pairs (s_i, y_i) (Nocedal 1980;
 *   Huang, Gallivan & Absil 2015 for the Riemannian version), scaled by γ = ⟨s, y⟩/⟨y, y⟩; pairs with
 *   ⟨s, y⟩ ≤ 1e-12‖s‖‖y‖ are skipped, a non-descent direction resets the memory.
 * - Step: Armijo backtracking f(R_Q(tp)) ≤ f(Q) + 1e-4 t⟨ξ, p⟩ + 2⁻⁵⁰|f(Q)| (the last term admits
 *   rounding-level changes of f), first trial t = 1 (γ or 0.1/‖ξ‖ after a memory reset). Near
 *   convergence, where f changes only at rounding level, a step with f(R_Q(tp)) ≤ f(Q)(1 + 1e-10) is
 *   also accepted when its slope meets the approximate Wolfe conditions (Hager & Zhang 2005); so
 *   the objective never increases by more than 1e-10 relative per step.
 * - Stopping: `certificate(Q)` (a stationarity residual chosen by the model, evaluated right after
 *   `evaluate` at the accepted Q) ≤ `tolerance()`; status `'converged'` only when both are finite;
 *   `'non-finite'` when f, the gradient or the certificate is not finite; `'stalled'` when 40 halvings
 *   find no acceptable step; `'max-iterations'` otherwise.
 *
 * References: P.-A. Absil, R. Mahony & R. Sepulchre, *Optimization Algorithms on Matrix Manifolds*,
 * Princeton 2008; W. Huang, K. A. Gallivan & P.-A. Absil, "A Broyden class of quasi-Newton methods for
 * Riemannian optimization", SIAM J. Optim. 25(3), 2015; W. W. Hager & H. Zhang, "A new conjugate
 * gradient method with guaranteed descent and an efficient line search", SIAM J. Optim. 16(1), 2005; J. Nocedal, "Updating quasi-Newton matrices
 * with limited storage", Math. Comp. 35, 1980; G. Golub & V. Pereyra, "The differentiation of
 * pseudo-inverses and nonlinear least squares problems whose variables separate", SIAM J. Numer.
 * Anal. 10(2), 1973.
 *
 * @packageDocumentation
 */
import type { FitStatus, HistoryEntry, ProgressCallback } from '../types.js';
import { gemmNT, gemmNN } from '../linalg/blas.js';
import { createSymEigWorkspace, symEigInto } from '../linalg/eig.js';

/** A reduced objective on Gr(d, k) (see the module documentation). */
export interface GrassmannObjective {
  /** k, the subspace dimension (rows of Q). */
  readonly k: number;
  /** d, the ambient dimension (columns of Q). */
  readonly d: number;
  /**
   * f(Q) with its inner block solved exactly, and the Euclidean gradient of f in Q (k×d) into `grad`.
   * The model keeps the inner solution of the last call (the solver's last call is at the returned Q).
   */
  evaluate(Qt: Float64Array, grad: Float64Array): number;
  /** The stopping certificate at Q, right after `evaluate(Q)`; gets ‖ξ‖_F. */
  certificate(Qt: Float64Array, riemannianGradientNorm: number): number;
  /** The absolute tolerance on the certificate (may depend on the last inner solution). */
  tolerance(): number;
}

/** Options of {@link grassmannLbfgs}. */
export interface GrassmannLbfgsOptions {
  /** Maximum iterations (accepted steps). */
  readonly maxIter: number;
  /** Number of stored (s, y) pairs. @default 20 */
  readonly memory?: number;
  /** `performance.now()` at the start of the fit (history times). @default now */
  readonly start?: number;
  /** Called after every accepted step with { iteration, maxIter, objective, certificate, tol }. @default undefined */
  readonly onProgress?: ProgressCallback | undefined;
}

/** One history entry of {@link grassmannLbfgs} (entry 0 = the start). */
export interface GrassmannHistoryEntry extends HistoryEntry {
  /** max |QQᵀ − I_k| at this iterate. */
  readonly orthogonalityError: number;
  /** The accepted step length t (0 at the start). */
  readonly stepSize: number;
}

/** The result of {@link grassmannLbfgs}. */
export interface GrassmannLbfgsResult {
  /** The returned basis Q (k×d, orthonormal rows); the objective's last `evaluate` was at it. */
  readonly Qt: Float64Array;
  /** f(Q). */
  readonly value: number;
  /** The certificate at Q. */
  readonly certificate: number;
  /** Accepted steps. */
  readonly iterations: number;
  /** Calls of `evaluate`. */
  readonly evaluations: number;
  /** Why the solver stopped. */
  readonly status: FitStatus;
  /** One entry per iterate. */
  readonly history: GrassmannHistoryEntry[];
}

/**
 * Minimises a reduced objective over Gr(d, k) by Riemannian L-BFGS with the polar retraction and
 * Armijo backtracking (see the module documentation).
 * @param obj - the objective (evaluate, certificate, tolerance)
 * @param Q0 - the starting basis (k×d, orthonormal rows; copied)
 * @param options - maxIter, memory, start
 * @returns Q, f(Q), the certificate, iterations, status and history
 * @example
 * ```ts
 * const res = grassmannLbfgs(objective, Pt0, { maxIter: 500 });
 * res.status; // 'converged' when a finite certificate ≤ a finite tolerance
 * ```
 * @see Absil, Mahony & Sepulchre (2008); Huang, Gallivan & Absil, SIAM J. Optim. 25(3), 2015.
 */
export function grassmannLbfgs(obj: GrassmannObjective, Q0: Float64Array, options: GrassmannLbfgsOptions): GrassmannLbfgsResult {
  const { k, d } = obj;
  const n = k * d;
  const m = options.memory ?? 20;
  const start = options.start ?? performance.now();
  const Q = Float64Array.from(Q0);
  const Qc = new Float64Array(n);
  const g = new Float64Array(n), gc = new Float64Array(n);
  const xi = new Float64Array(n), xic = new Float64Array(n);
  const p = new Float64Array(n), tmpP = new Float64Array(n);
  const S: Float64Array[] = [], Y: Float64Array[] = [];
  // preallocated pair buffers: a pair leaves S/Y back into the free list
  const freeS: Float64Array[] = [], freeY: Float64Array[] = [];
  for (let j = 0; j <= m; j++) {
    freeS.push(new Float64Array(n));
    freeY.push(new Float64Array(n));
  }
  const release = (j: number): void => {
    freeS.push(S[j]!);
    freeY.push(Y[j]!);
    S.splice(j, 1);
    Y.splice(j, 1);
    rho.splice(j, 1);
  };
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const kk = new Float64Array(k * k), evals = new Float64Array(k), evecs = new Float64Array(k * k);
  const eigWork = createSymEigWorkspace(k), tmpK = new Float64Array(k * k), tmpN = new Float64Array(n);
  let gamma = NaN;
  let evaluations = 0;

  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
    return s;
  };
  /** v ← v − (v Qᵀ) Q: the projection onto the tangent space at `basis`. */
  const horizontal = (basis: Float64Array, v: Float64Array): void => {
    gemmNT(k, k, d, v, basis, kk, 0); // v Qᵀ (k×k)
    gemmNN(k, d, k, kk, basis, tmpN, 0); // (v Qᵀ) Q
    for (let i = 0; i < n; i++) v[i]! -= tmpN[i]!;
  };
  /** dst ← (M Mᵀ)^{-1/2} M for M = src (k×d): the polar retraction; false when M is rank-deficient. */
  const polar = (src: Float64Array, dst: Float64Array): boolean => {
    gemmNT(k, k, d, src, src, kk, 0); // M Mᵀ
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) kk[j * k + i] = kk[i * k + j]!;
    symEigInto({ rows: k, cols: k, data: kk }, evals, evecs, eigWork);
    if (!(evals[k - 1]! > 1e-12 * evals[0]!)) return false;
    // (MMᵀ)^{-1/2} = Eᵀ diag(λ^{-1/2}) E with E's rows the eigenvectors
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += evecs[l * k + i]! * evecs[l * k + j]! / Math.sqrt(evals[l]!);
      tmpK[i * k + j] = s;
    }
    gemmNN(k, d, k, tmpK, src, dst, 0);
    return true;
  };
  const orthError = (basis: Float64Array): number => {
    gemmNT(k, k, d, basis, basis, kk, 0);
    let e = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) e = Math.max(e, Math.abs(kk[i * k + j]! - (i === j ? 1 : 0)));
    return e;
  };
  const finite = (v: Float64Array): boolean => {
    for (let i = 0; i < n; i++) if (!Number.isFinite(v[i]!)) return false;
    return true;
  };

  // the solver works on f/c₀ (c₀ = |f(Q₀)|) so that ‖ξ‖², ⟨p, ξ⟩ and ⟨s, y⟩ stay finite for data near the
  // overflow limit (f ~ 1e156 has gradients ~ 1e155, whose squares overflow)
  let c0 = 1;
  const evaluate = (basis: Float64Array, grad: Float64Array): number => {
    const v = obj.evaluate(basis, grad);
    evaluations++;
    for (let i = 0; i < n; i++) grad[i]! /= c0;
    return v / c0;
  };
  const f0 = obj.evaluate(Q, g);
  evaluations++;
  if (Number.isFinite(f0) && Math.abs(f0) > 0) {
    c0 = Math.abs(f0);
    for (let i = 0; i < n; i++) g[i]! /= c0;
  }
  let f = f0 / c0;
  xi.set(g);
  horizontal(Q, xi);
  let xiNorm = Math.sqrt(dot(xi, xi));
  let cert = obj.certificate(Q, c0 * xiNorm);
  const statusOf = (): FitStatus => {
    const tol = obj.tolerance();
    if (!Number.isFinite(f) || !finite(g) || !Number.isFinite(cert) || !Number.isFinite(tol)) return 'non-finite';
    return cert <= tol ? 'converged' : 'max-iterations';
  };
  let status = statusOf();
  const history: GrassmannHistoryEntry[] = [{
    iteration: 0, objective: f * c0, certificate: cert, time: (performance.now() - start) / 1000, orthogonalityError: orthError(Q), stepSize: 0,
  }];
  let it = 0;
  while (status === 'max-iterations' && it < options.maxIter) {
    // p = −H ξ (two-loop recursion)
    for (let i = 0; i < n; i++) p[i] = -xi[i]!;
    for (let j = S.length - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, p);
      alpha[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < n; i++) p[i]! -= a * y[i]!;
    }
    if (S.length > 0) for (let i = 0; i < n; i++) p[i]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = rho[j]! * dot(Y[j]!, p);
      const s = S[j]!, a = alpha[j]!;
      for (let i = 0; i < n; i++) p[i]! += (a - b) * s[i]!;
    }
    horizontal(Q, p);
    let slope = dot(p, xi);
    let t = 1;
    if (!(slope < 0) || S.length === 0) {
      // no curvature information yet, or not a descent direction: steepest descent, memory reset
      while (S.length > 0) release(S.length - 1);
      for (let i = 0; i < n; i++) p[i] = -xi[i]!;
      slope = -xiNorm * xiNorm;
      t = Number.isFinite(gamma) && gamma > 0 ? gamma : 0.1 / xiNorm;
    }
    let accepted = false;
    let fc = NaN;
    for (let bt = 0; bt < 40; bt++) {
      // Qc = R_Q(t p)
      for (let i = 0; i < n; i++) tmpN[i] = Q[i]! + t * p[i]!; // M = Q + t p
      if (polar(tmpN, Qc)) {
        fc = evaluate(Qc, gc);
        if (Number.isFinite(fc) && fc <= f + 1e-4 * t * slope + 2 ** -50 * Math.abs(f)) {
          accepted = true;
          break;
        }
        if (Number.isFinite(fc) && fc <= f + 1e-10 * Math.abs(f)) {
          // f changes at rounding level: the approximate Wolfe test of Hager & Zhang on the slope
          // φ'(t) = ⟨∇f(Qc), p⟩ (p transported by projection): σφ'(0) ≤ φ'(t) ≤ (2δ − 1)φ'(0)
          tmpP.set(p);
          horizontal(Qc, tmpP);
          const dphi = dot(gc, tmpP);
          if (dphi >= 0.9 * slope && dphi <= -0.8 * slope) {
            accepted = true;
            break;
          }
        }
      }
      t *= 0.5;
    }
    if (!accepted) {
      evaluate(Q, g); // the objective's last call is at the returned Q
      status = 'stalled';
      break;
    }
    it++;
    // s = t p and y = ξ_new − ξ_old, both transported to the tangent space at Qc by projection
    xic.set(gc);
    horizontal(Qc, xic);
    const s = freeS.pop()!, y = freeY.pop()!;
    for (let i = 0; i < n; i++) {
      s[i] = t * p[i]!;
      y[i] = -xi[i]!;
    }
    horizontal(Qc, s);
    horizontal(Qc, y);
    for (let i = 0; i < n; i++) y[i]! += xic[i]!;
    for (let j = 0; j < S.length; j++) {
      horizontal(Qc, S[j]!);
      horizontal(Qc, Y[j]!);
      rho[j] = 1 / dot(S[j]!, Y[j]!);
    }
    // drop pairs whose curvature the transport destroyed
    for (let j = S.length - 1; j >= 0; j--) {
      if (!(rho[j]! > 0) || !Number.isFinite(rho[j]!)) release(j);
    }
    const sy = dot(s, y), yy = dot(y, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * yy)) {
      if (S.length === m) release(0);
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      gamma = sy / yy;
    } else {
      freeS.push(s);
      freeY.push(y);
    }
    Q.set(Qc);
    g.set(gc);
    xi.set(xic);
    f = fc;
    xiNorm = Math.sqrt(dot(xi, xi));
    cert = obj.certificate(Q, c0 * xiNorm);
    status = statusOf();
    history.push({
      iteration: it, objective: f * c0, certificate: cert, time: (performance.now() - start) / 1000, orthogonalityError: orthError(Q), stepSize: t,
    });
    options.onProgress?.({ iteration: it, maxIter: options.maxIter, objective: f * c0, certificate: cert, tol: obj.tolerance() });
  }
  return { Qt: Q, value: f * c0, certificate: cert, iterations: it, evaluations, status, history };
}
