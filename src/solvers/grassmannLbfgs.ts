/**
 * Variable projection on the Grassmann manifold: minimise f(U) over the r-dimensional subspaces
 * span(U) ⊂ ℝ^d, where f(U) = min_B F(U, B) has already eliminated the other block exactly (a
 * least-squares or ridge solve per task) and depends on U only through span(U).
 *
 * The iterate is U = U₀ + Δ with Δ in the horizontal space {Δ : U₀ᵀΔ = 0} of a base point U₀ with
 * orthonormal columns (every subspace not orthogonal to span(U₀) has exactly one such
 * representative). L-BFGS (Nocedal 1980; Nocedal & Wright, *Numerical Optimization*, 2nd ed., 2006,
 * Algorithm 7.4) runs on Δ with the projected gradient (I − U₀U₀ᵀ)∇_U f and an Armijo backtracking
 * line search (so f never increases); the chart is re-centred (U₀ ← orth(U₀ + Δ), memory cleared)
 * when ‖Δ‖_F exceeds 0.5. Eliminating the inner block exactly removes the ill-conditioning of the
 * per-task designs from the outer problem, which has only (d − r)·r degrees of freedom.
 *
 * References: G. Golub & V. Pereyra, "Separable nonlinear least squares: the variable projection
 * method and its applications", Inverse Problems 19, 2003; P.-A. Absil, R. Mahony & R. Sepulchre,
 * *Optimization Algorithms on Matrix Manifolds*, Princeton 2008 (§3.4, the Grassmann manifold as a
 * quotient; horizontal lifts).
 *
 * @packageDocumentation
 */
import type { SolverStatus } from './spectralProxGrad.js';

/** An objective on subspaces, with the Euclidean gradient in U. */
export interface SubspaceObjective {
  /** Ambient dimension d. */
  readonly d: number;
  /** Subspace dimension r. */
  readonly r: number;
  /**
   * f(U) for a full-rank U (d×r row-major), and ∇_U f into `grad`; NaN when the inner solve fails or
   * a value is not finite.
   */
  evaluate(U: Float64Array, grad: Float64Array): number;
}

/** Options of {@link grassmannLbfgs}. */
export interface GrassmannLbfgsOptions {
  /** Iteration cap (accepted L-BFGS steps). */
  maxIter: number;
  /** Absolute tolerance on the certificate. */
  tol: number;
  /** The model's certificate at U (evaluated after every step; U has orthonormal columns). */
  certificate: (U: Float64Array) => number;
  /** L-BFGS memory. @default 10 */
  memory?: number;
}

/** Result of {@link grassmannLbfgs}. */
export interface GrassmannLbfgsResult {
  /** Final U (orthonormal columns, d×r). */
  readonly U: Float64Array;
  /** f(U). */
  readonly value: number;
  /** Last certificate. */
  readonly certificate: number;
  /** Accepted steps. */
  readonly iterations: number;
  /** Why it stopped (`'max-iterations'` also when no descent step could be found). */
  readonly status: SolverStatus;
  /** f and the certificate after every step. */
  readonly history: { iteration: number; objective: number; certificate: number; time: number }[];
}

/**
 * Orthonormalises the r columns of U (d×r) in place by modified Gram–Schmidt applied twice.
 * @returns false when a column is numerically dependent
 */
function orthonormalizeColumns(U: Float64Array, d: number, r: number): boolean {
  for (let a = 0; a < r; a++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < a; p++) {
        let ip = 0;
        for (let j = 0; j < d; j++) ip += U[j * r + p]! * U[j * r + a]!;
        for (let j = 0; j < d; j++) U[j * r + a]! -= ip * U[j * r + p]!;
      }
    }
    let nrm = 0;
    for (let j = 0; j < d; j++) nrm += U[j * r + a]! ** 2;
    nrm = Math.sqrt(nrm);
    if (!(nrm > 1e-300) || !Number.isFinite(nrm)) return false;
    for (let j = 0; j < d; j++) U[j * r + a]! /= nrm;
  }
  return true;
}

/**
 * Minimises a subspace objective by L-BFGS in a horizontal chart (see the module documentation).
 * @param obj - the objective
 * @param Ustart - starting U (d×r, full rank; copied and orthonormalised)
 * @param options - see {@link GrassmannLbfgsOptions}
 * @returns the final subspace, value, certificate, status
 * @example
 * ```ts
 * const res = grassmannLbfgs(objective, U0, { maxIter: 500, tol: 1e-8, certificate: (U) => stationarity(U) });
 * ```
 * @see {@link SubspaceObjective}
 */
export function grassmannLbfgs(obj: SubspaceObjective, Ustart: Float64Array, options: GrassmannLbfgsOptions): GrassmannLbfgsResult {
  const { d, r } = obj;
  const n = d * r;
  const m = Math.max(1, Math.floor(options.memory ?? 10));
  const start = performance.now();
  const U0 = Float64Array.from(Ustart);
  const U = new Float64Array(n), Uc = new Float64Array(n);
  const Delta = new Float64Array(n), trial = new Float64Array(n);
  const g = new Float64Array(n), gNew = new Float64Array(n), dir = new Float64Array(n);
  const Sm = new Float64Array(m * n), Ym = new Float64Array(m * n);
  const rhoM = new Float64Array(m), alphaM = new Float64Array(m);
  const proj = new Float64Array(r * r); // scratch U₀ᵀX
  let count = 0, head = 0;
  let status: SolverStatus = 'max-iterations';
  const history: { iteration: number; objective: number; certificate: number; time: number }[] = [];

  /** X ← (I − U₀U₀ᵀ)X, X d×r. */
  const horizontal = (X: Float64Array): void => {
    proj.fill(0);
    for (let j = 0; j < d; j++) for (let a = 0; a < r; a++) {
      const u = U0[j * r + a]!;
      for (let b = 0; b < r; b++) proj[a * r + b]! += u * X[j * r + b]!;
    }
    for (let j = 0; j < d; j++) for (let a = 0; a < r; a++) {
      let s = 0;
      for (let c = 0; c < r; c++) s += U0[j * r + c]! * proj[c * r + a]!;
      X[j * r + a]! -= s;
    }
  };
  const evalAt = (D: Float64Array, grad: Float64Array): number => {
    for (let i = 0; i < n; i++) U[i] = U0[i]! + D[i]!;
    const v = obj.evaluate(U, grad);
    if (!Number.isFinite(v)) return NaN;
    horizontal(grad);
    return v;
  };
  const certAt = (D: Float64Array): number => {
    for (let i = 0; i < n; i++) Uc[i] = U0[i]! + D[i]!;
    if (!orthonormalizeColumns(Uc, d, r)) return NaN;
    return options.certificate(Uc);
  };

  if (!orthonormalizeColumns(U0, d, r)) {
    return { U: U0, value: NaN, certificate: NaN, iterations: 0, status: 'non-finite', history };
  }
  let f = evalAt(Delta, g);
  let cert = Number.isFinite(f) ? certAt(Delta) : NaN;
  history.push({ iteration: 0, objective: f, certificate: cert, time: 0 });
  if (!Number.isFinite(f) || !Number.isFinite(cert)) status = 'non-finite';
  else if (cert <= options.tol) status = 'converged';
  let it = 0;
  while (status === 'max-iterations' && it < options.maxIter) {
    // two-loop recursion: dir = −H g
    for (let i = 0; i < n; i++) dir[i] = -g[i]!;
    for (let c = 0; c < count; c++) {
      const idx = (head - 1 - c + m) % m;
      let a = 0;
      for (let i = 0; i < n; i++) a += Sm[idx * n + i]! * dir[i]!;
      a *= rhoM[idx]!;
      alphaM[idx] = a;
      for (let i = 0; i < n; i++) dir[i]! -= a * Ym[idx * n + i]!;
    }
    if (count > 0) {
      const idx = (head - 1 + m) % m;
      let sy = 0, yy = 0;
      for (let i = 0; i < n; i++) {
        sy += Sm[idx * n + i]! * Ym[idx * n + i]!;
        yy += Ym[idx * n + i]! ** 2;
      }
      const gammaK = sy / yy;
      for (let i = 0; i < n; i++) dir[i]! *= gammaK;
    } else {
      // first step: a unit-size move in the chart
      let gn = 0;
      for (let i = 0; i < n; i++) gn += g[i]! * g[i]!;
      gn = Math.sqrt(gn);
      const sc = gn > 0 ? 0.1 / gn : 0;
      for (let i = 0; i < n; i++) dir[i]! *= sc;
    }
    for (let c = count - 1; c >= 0; c--) {
      const idx = (head - 1 - c + m) % m;
      let b = 0;
      for (let i = 0; i < n; i++) b += Ym[idx * n + i]! * dir[i]!;
      b *= rhoM[idx]!;
      const a = alphaM[idx]!;
      for (let i = 0; i < n; i++) dir[i]! += (a - b) * Sm[idx * n + i]!;
    }
    horizontal(dir);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i]! * dir[i]!;
    if (!(slope < 0)) {
      // not a descent direction: restart from the steepest descent
      count = 0;
      let gn = 0;
      for (let i = 0; i < n; i++) gn += g[i]! * g[i]!;
      gn = Math.sqrt(gn);
      if (!(gn > 0)) break;
      for (let i = 0; i < n; i++) dir[i] = (-0.1 * g[i]!) / gn;
      slope = -0.1 * gn;
    }
    // Armijo backtracking: f(Δ + t·dir) ≤ f(Δ) + 1e-4·t·slope
    let t = 1, fNew = NaN, ok = false;
    for (let bt = 0; bt < 40; bt++) {
      for (let i = 0; i < n; i++) trial[i] = Delta[i]! + t * dir[i]!;
      fNew = evalAt(trial, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * t * slope) {
        ok = true;
        break;
      }
      t *= 0.5;
    }
    if (!ok) break; // no descent at the resolution of f: stop (the certificate says how far)
    it++;
    // memory update with s = t·dir, y = g_new − g
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const s = t * dir[i]!, y = gNew[i]! - g[i]!;
      Sm[head * n + i] = s;
      Ym[head * n + i] = y;
      sy += s * y;
    }
    if (sy > 1e-16) {
      rhoM[head] = 1 / sy;
      head = (head + 1) % m;
      count = Math.min(count + 1, m);
    }
    Delta.set(trial);
    g.set(gNew);
    f = fNew;
    cert = certAt(Delta);
    history.push({ iteration: it, objective: f, certificate: cert, time: (performance.now() - start) / 1000 });
    if (!Number.isFinite(cert)) {
      status = 'non-finite';
      break;
    }
    if (cert <= options.tol) {
      status = 'converged';
      break;
    }
    let dn = 0;
    for (let i = 0; i < n; i++) dn += Delta[i]! * Delta[i]!;
    if (dn > 0.25) {
      // re-centre the chart at the current subspace
      for (let i = 0; i < n; i++) U0[i] = U0[i]! + Delta[i]!;
      if (!orthonormalizeColumns(U0, d, r)) {
        status = 'non-finite';
        break;
      }
      Delta.fill(0);
      f = evalAt(Delta, g);
      count = 0;
      head = 0;
    }
  }
  for (let i = 0; i < n; i++) Uc[i] = U0[i]! + Delta[i]!;
  orthonormalizeColumns(Uc, d, r);
  return { U: Uc, value: f, certificate: cert, iterations: it, status, history };
}
