/**
 * Block coordinate descent over the rows of W for min_W L(W) + Σ_j P_j(w^j), with any convex row
 * penalty P_j given by its row solve: the squared loss restricted to row j is exactly separable over
 * the tasks, L(W + e_j δᵀ) = L(W) − vᵀδ + Σ_t (L_jt/2) δ_t² (v = −∇_j L, L_jt = 2 s_t ‖x̃_tj‖²), so
 * the block step
 *   w^j ← argmin_u Σ_t (L_jt/2) u_t² − c_t u_t + P_j(u),   c_t = L_jt w_jt + v_t,
 * is the exact minimisation of F over row j with every task at its own curvature (Tseng, "Convergence
 * of a block coordinate descent method for nondifferentiable minimization", JOTA 109, 2001; the
 * per-task-scale defect of one step 1/max_t L_jt, issue #11, does not arise). The row solve is the
 * model's (an exact secular equation, an inner method); this file only sweeps, keeps the residual
 * state ({@link BcdDatafit}) and asks the model's certificate every `checkEvery` sweeps. Anderson
 * extrapolation of the sweeps (Bertrand & Massias, AISTATS 2021) is tried every K sweeps and kept
 * only when it lowers F.
 *
 * @packageDocumentation
 */
import type { FitResultBase, FitStatus, HistoryEntry, ProgressCallback } from '../types.js';
import type { BcdDatafit, RowDualTerms } from './bcdDatafit.js';
import { AndersonMemory } from './anderson.js';
import { certified } from './certificates.js';

/** The model's part of {@link rowBcd}. */
export interface RowBcdProblem {
  /**
   * out ← argmin_u Σ_t (L_t/2) u_t² − c_t u_t + P_j(u) (L_t ≥ 0); `out` holds the current row on entry.
   * @param j - the row
   * @param c - the linear term (length T)
   * @param L - the per-task curvatures L_jt (length T)
   * @param out - the current row on entry, the new row on exit
   */
  solveRow(j: number, c: Float64Array, L: Float64Array, out: Float64Array): void;
  /** Σ_j P_j(w^j). */
  penalty(W: Float64Array): number;
  /**
   * The certificate at W: V = −∇L(W) and the loss's dual terms are given.
   * @returns the objective F(W) and the certificate (e.g. a duality gap)
   */
  certificate(W: Float64Array, V: Float64Array, terms: RowDualTerms): { objective: number; certificate: number };
}

/** Options of {@link rowBcd}. */
export interface RowBcdOptions {
  /** Absolute tolerance on the certificate. */
  readonly tolAbs: number;
  /** Maximum number of sweeps. */
  readonly maxIter: number;
  /** Certificate every this many sweeps. @default 5 */
  readonly checkEvery?: number;
  /** Anderson extrapolation every K sweeps. @default true */
  readonly anderson?: boolean;
  /** Progress callback at every certificate check. @default undefined */
  readonly onProgress?: ProgressCallback;
}

/** What {@link rowBcd} returns: W, and the fit fields objective, certificate, iterations (sweeps), converged, status, history. */
export interface RowBcdResult extends Pick<FitResultBase<unknown>, 'objective' | 'certificate' | 'iterations' | 'converged' | 'status' | 'history'> {
  readonly W: Float64Array;
}

/**
 * Runs the row sweeps (see the module comment) from W0.
 * @param f - the row-wise state of the loss (reset from W0 here)
 * @param problem - the row solve, penalty and certificate
 * @param W0 - the start (d×T, not modified)
 * @param opts - tolerance, sweeps, check period
 * @returns the final W, objective, certificate and status (`'max-iterations'` with the last certificate at the cap)
 * @example
 * ```ts
 * const r = rowBcd(createBcdDatafit(loss), problem, new Float64Array(d * T), { tolAbs: 1e-6 * F0, maxIter: 10000 });
 * r.converged; r.certificate;
 * ```
 * @see {@link createBcdDatafit}
 */
export function rowBcd(f: BcdDatafit, problem: RowBcdProblem, W0: Float64Array, opts: RowBcdOptions): RowBcdResult {
  const { d, T } = f;
  const n = d * T, W = Float64Array.from(W0);
  const checkEvery = opts.checkEvery ?? 5, useAnderson = opts.anderson ?? true;
  f.reset(W);
  const all = Int32Array.from({ length: d }, (_, j) => j);
  f.prepare(all, d);
  const Lc = f.coordinateLipschitz();
  const v = new Float64Array(T), c = new Float64Array(T), L = new Float64Array(T), u = new Float64Array(T), delta = new Float64Array(T);
  const V = new Float64Array(n), terms: RowDualTerms = { value: 0, innerY: 0 };
  const mem = new AndersonMemory(), ext = new Float64Array(n);
  mem.begin(n);
  const history: HistoryEntry[] = [];
  const start = performance.now();
  let cert = Infinity, objective = NaN, it = 0, status = 'max-iterations' as FitStatus;
  const check = (): boolean => {
    f.fullNegGradient(W, V);
    f.internalDualTerms(W, terms);
    ({ objective, certificate: cert } = problem.certificate(W, V, terms));
    history.push({ iteration: it, objective, certificate: cert, time: (performance.now() - start) / 1000 });
    opts.onProgress?.({ iteration: it, maxIter: opts.maxIter, objective, certificate: cert, tol: opts.tolAbs });
    if (!Number.isFinite(cert) || !Number.isFinite(objective)) { status = 'non-finite'; return true; }
    if (certified(cert, opts.tolAbs)) { status = 'converged'; return true; }
    return false;
  };
  const value = (): number => {
    f.internalDualTerms(W, terms);
    return terms.value + problem.penalty(W);
  };
  if (!check()) {
    for (it = 1; it <= opts.maxIter; it++) {
      for (let j = 0; j < d; j++) {
        const o = j * T;
        // c = L_j ⊙ w^j + v_j, v_j = −∇_j L(W): the row's exact quadratic model
        f.rowNegGradient(j, v);
        for (let t = 0; t < T; t++) {
          L[t] = Lc[o + t]!;
          c[t] = L[t]! * W[o + t]! + v[t]!;
          u[t] = W[o + t]!;
        }
        problem.solveRow(j, c, L, u);
        let moved = false;
        for (let t = 0; t < T; t++) {
          delta[t] = u[t]! - W[o + t]!;
          if (delta[t] !== 0) moved = true;
          W[o + t] = u[t]!;
        }
        if (moved) f.updateRow(j, delta, all, d);
      }
      if (useAnderson) {
        // record W; every K sweeps try the extrapolated point, kept only if it lowers F
        mem.next().set(W);
        mem.commit();
        if (mem.ready() && mem.extrapolate(ext)) {
          const before = value();
          W.set(ext);
          f.reset(W);
          if (!(value() < before)) {
            W.set(mem.newest());
            f.reset(W);
          }
        }
      }
      if ((it % checkEvery === 0 || it === opts.maxIter) && check()) break;
    }
    it = Math.min(it, opts.maxIter);
  }
  return { W, objective, certificate: cert, iterations: it, converged: status === 'converged', status, history };
}
