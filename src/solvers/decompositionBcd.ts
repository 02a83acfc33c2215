/**
 * Block coordinate descent for the dirty model W = P + Q, min L(P + Q) + λ₁ Σ_j ‖p^j‖_q + λ₂ ‖Q‖₁
 * (Jalali, Ravikumar, Sanghavi & Ruan, NIPS 2010, fit their model by coordinate descent too): a cyclic
 * sweep over the feature rows j, each updating p^j by minimising the row's exact quadratic majorant
 * with per-task curvatures L_jt ({@link solveRowDiag}; one prox step when they are equal), then q^j
 * entry by entry exactly (the ℓ1 penalty is
 * separable, each entry's curvature is L_jt) — Tseng & Yun's coordinate gradient descent (Math.
 * Program. 117, 2009) over the 2d row blocks of (P, Q), on the residual state of W = P + Q
 * ({@link createBcdDatafit}), with Anderson extrapolation of [P; Q] every 5 sweeps (Bertrand & Massias,
 * AISTATS 2021; kept only when it lowers F). Stopping: the duality gap of the block sum, as the FISTA route's.
 *
 * @packageDocumentation
 */
import type { FitStatus, HistoryEntry, ProgressCallback } from '../types.js';
import type { QuadraticLoss } from '../datafits/quadratic.js';
import type { GroupNormPenalty } from '../penalties/groupNorm.js';
import type { L1Penalty } from '../penalties/l1Penalty.js';
import { BlockNormSumPenalty } from '../penalties/blockSum.js';
import { createBcdDatafit } from './bcdDatafit.js';
import { solveRowDiag } from './rowDiag.js';
import { certified, normPenaltyGap } from './certificates.js';
import { AndersonMemory } from './anderson.js';

/** Options of {@link dirtyBcd}. */
export interface DirtyBcdOptions {
  /** Absolute tolerance on the duality gap. */
  readonly tolAbs: number;
  /** Maximum number of sweeps. */
  readonly maxIter: number;
  /** Gap check every this many sweeps. @default 5 */
  readonly checkEvery?: number;
  /** Progress callback at every gap check. @default undefined */
  readonly onProgress?: ProgressCallback;
}

/** What {@link dirtyBcd} returns (the fields the decomposition fit reads). */
export interface DirtyBcdResult {
  /** [P; Q] (2·d·T). */
  readonly x: Float64Array;
  /** F(P, Q). */
  readonly objective: number;
  /** The last duality gap. */
  readonly certificate: number;
  /** Sweeps done. */
  readonly iterations: number;
  readonly converged: boolean;
  readonly status: FitStatus;
  readonly history: HistoryEntry[];
}

/**
 * Fits the dirty model by block coordinate descent over the rows of (P, Q).
 * @param loss - the squared loss
 * @param hP - λ₁ Σ_j ‖p^j‖_q
 * @param hQ - λ₂ ‖Q‖₁
 * @param x0 - starting [P; Q] (2·d·T), not modified
 * @param opts - tolerance, sweeps, check period
 * @returns the final [P; Q], objective, gap and status
 * @example
 * ```ts
 * const r = dirtyBcd(loss, new GroupNormPenalty(0.1, Infinity, T), new L1Penalty(0.05, T), x0, { tolAbs: 1e-8, maxIter: 1000 });
 * ```
 * @see {@link normPenaltyGap}
 */
export function dirtyBcd(loss: QuadraticLoss, hP: GroupNormPenalty, hQ: L1Penalty, x0: Float64Array, opts: DirtyBcdOptions): DirtyBcdResult {
  const { d, T } = loss;
  const n = d * T;
  const f = createBcdDatafit(loss, 'residual');
  const h = new BlockNormSumPenalty([hP, hQ], [n, n]);
  const x = Float64Array.from(x0);
  const P = x.subarray(0, n), Q = x.subarray(n);
  const W = new Float64Array(n);
  for (let i = 0; i < n; i++) W[i] = P[i]! + Q[i]!; // W = P + Q
  f.reset(W);
  const all = Int32Array.from({ length: d }, (_, j) => j);
  f.prepare(all, d);
  const Lc = f.coordinateLipschitz();
  const v = new Float64Array(T), z = new Float64Array(T), delta = new Float64Array(T);
  const Lt = new Float64Array(T), b = new Float64Array(T);
  const scratch = { y: new Float64Array(T), prev: new Float64Array(T), g: new Float64Array(T) };
  const V = new Float64Array(2 * n), terms = { value: 0, innerY: 0 };
  const l2 = hQ.weight, checkEvery = opts.checkEvery ?? 5;
  const history: HistoryEntry[] = [];
  const start = performance.now();
  let gap = Infinity, objective = NaN, it = 0, status = 'max-iterations' as FitStatus;
  const check = (): boolean => {
    f.fullNegGradient(W, V.subarray(0, n));
    V.copyWithin(n, 0, n); // −∇ w.r.t. Q = −∇ w.r.t. P
    f.internalDualTerms(W, terms);
    const g = normPenaltyGap({ value: terms.value, innerY: terms.innerY, quad: terms.value }, V, x, h);
    gap = g.gap;
    objective = g.primal;
    history.push({ iteration: it, objective, certificate: gap, time: (performance.now() - start) / 1000 });
    opts.onProgress?.({ iteration: it, maxIter: opts.maxIter, objective, certificate: gap, tol: opts.tolAbs });
    if (!Number.isFinite(gap) || !Number.isFinite(objective)) {
      status = 'non-finite';
      return true;
    }
    if (certified(gap, opts.tolAbs)) {
      status = 'converged';
      return true;
    }
    return false;
  };
  const mem = new AndersonMemory(), ext = new Float64Array(2 * n);
  mem.begin(2 * n);
  // x ← y, W = P + Q, the residual state moved row by row
  const setX = (y: Float64Array): void => {
    for (let j = 0; j < d; j++) {
      const o = j * T;
      let changed = false;
      for (let t = 0; t < T; t++) {
        const wn = y[o + t]! + y[n + o + t]!;
        delta[t] = wn - W[o + t]!;
        if (delta[t] !== 0) changed = true;
        W[o + t] = wn;
      }
      if (changed) f.updateRow(j, delta, all, d);
    }
    x.set(y);
  };
  if (!check()) {
    for (it = 1; it <= opts.maxIter; it++) {
      for (let j = 0; j < d; j++) {
        const o = j * T;
        let L = 0, Lmin = Infinity;
        for (let t = 0; t < T; t++) { L = Math.max(L, Lc[o + t]!); Lmin = Math.min(Lmin, Lc[o + t]!); }
        if (!(L > 0)) continue; // a zero column: the row does not enter the loss, 0 is optimal
        // p^j ← argmin_p Σ_t (L_jt/2)(p_t − p^j_t − v_t/L_jt)² + h_j(p), v = −∇_j L: the exact row majorant
        // with per-task curvatures (one step 1/max_t L_jt was far too short for tasks of smaller scale);
        // with equal curvatures (a shared design) it is one prox step, as in solvers/bcd.ts
        f.rowNegGradient(j, v);
        if (Lmin === L) {
          for (let t = 0; t < T; t++) z[t] = P[o + t]! + v[t]! / L;
          hP.proxRow(z, 1 / L, j, z);
        } else {
          for (let t = 0; t < T; t++) {
            Lt[t] = Lc[o + t]!;
            b[t] = Lt[t]! * P[o + t]! + v[t]!;
            z[t] = P[o + t]!;
          }
          solveRowDiag(hP, j, b, Lt, L, z, scratch);
        }
        let moved = false;
        for (let t = 0; t < T; t++) {
          delta[t] = z[t]! - P[o + t]!;
          if (delta[t] !== 0) moved = true;
          P[o + t] = z[t]!;
          W[o + t]! += delta[t]!;
        }
        if (moved) f.updateRow(j, delta, all, d);
        // q_jt ← soft(q_jt + v_t/L_jt, λ₂/L_jt), exact per entry
        f.rowNegGradient(j, v);
        moved = false;
        for (let t = 0; t < T; t++) {
          const c = Lc[o + t]!;
          if (!(c > 0)) { delta[t] = 0; continue; }
          const u = Q[o + t]! + v[t]! / c, a = l2 / c;
          const q = u > a ? u - a : u < -a ? u + a : 0;
          delta[t] = q - Q[o + t]!;
          if (delta[t] !== 0) moved = true;
          Q[o + t] = q;
          W[o + t]! += delta[t]!;
        }
        if (moved) f.updateRow(j, delta, all, d);
      }
      // Anderson extrapolation of x = [P; Q] (Bertrand & Massias 2021): every K sweeps try the
      // extrapolated point, kept only when it lowers F
      const slot = mem.next();
      slot.set(x);
      mem.commit();
      if (mem.ready() && mem.extrapolate(ext)) {
        f.internalDualTerms(W, terms);
        const before = terms.value + h.value(x);
        setX(ext);
        f.internalDualTerms(W, terms);
        if (!(terms.value + h.value(x) < before)) setX(mem.newest());
      }
      if ((it % checkEvery === 0 || it === opts.maxIter) && check()) break;
    }
    it = Math.min(it, opts.maxIter);
  }
  return { x, objective, certificate: gap, iterations: it, converged: status === 'converged', status, history };
}
