/**
 * An alternating-minimisation driver for the non-convex models (ASO, feature projection, clustered
 * mean-regularised, multi-level lasso, …): sweeps over block updates, each of which must not increase
 * the objective (an exact block minimisation, or a descent step with a line search).
 *
 * What it certifies: `converged: true` means the model's stationarity certificate (e.g. the norm of the
 * block gradients, or a fixed-point residual of each block) is finite and ≤ `tol` — a stationary point
 * to that tolerance, not a global minimum. A sweep that stops lowering the objective (relative decrease
 * ≤ `stallTol`) while the certificate is above `tol` ends the run with `status: 'stalled'` (when `stallTol` > 0). A sweep that
 * *raises* the objective beyond rounding is undone (when `save`/`restore` are given) and ends the run
 * with `'stalled'`, so the objective of the returned state is never above that of any earlier sweep.
 *
 * Reference: J. Bolte, S. Sabach & M. Teboulle, "Proximal alternating linearized minimization for
 * nonconvex and nonsmooth problems", Math. Program. 146 (2014) (monotone descent, stationarity).
 *
 * @packageDocumentation
 */
import type { FitStatus, HistoryEntry, ProgressCallback } from '../types.js';
import { certified } from './certificates.js';

/** A problem for {@link alternatingMinimization} over a mutable state S. */
export interface AlternatingProblem<S> {
  /** The block updates, applied in order in every sweep; none may increase the objective. */
  readonly steps: readonly ((state: S, sweep: number) => void)[];
  /** The objective at the state. */
  objective(state: S): number;
  /** The stationarity certificate at the state (≥ 0, 0 at a stationary point). */
  certificate(state: S): number;
  /** Saves the state (before a sweep), so a non-monotone sweep can be undone. */
  save?(state: S): void;
  /** Restores the last saved state. */
  restore?(state: S): void;
}

/** Options of {@link alternatingMinimization}. */
export interface AlternatingOptions {
  /** Absolute tolerance of the certificate. @default 1e-6 */
  tol?: number;
  /** Sweeps budget. @default 1000 */
  maxIter?: number;
  /**
   * A sweep whose relative objective decrease is ≤ this ends the run (`'stalled'`); 0 disables the
   * rule (the budget and the certificate decide). @default 0
   */
  stallTol?: number;
  /** Certificate every this many sweeps (and at the end). @default 1 */
  checkEvery?: number;
  /** Record objective and certificate at every check. @default true */
  recordHistory?: boolean;
  /** Called at every check; never prints. @default undefined */
  onProgress?: ProgressCallback;
}

/** What {@link alternatingMinimization} returns. */
export interface AlternatingResult {
  /** Sweeps performed. */
  readonly iterations: number;
  /** Objective of the returned state. */
  readonly objective: number;
  /** Certificate of the returned state. */
  readonly certificate: number;
  /** How the run ended. */
  readonly status: FitStatus;
  /** status === 'converged'. */
  readonly converged: boolean;
  /** Objective and certificate at each check. */
  readonly history: HistoryEntry[];
}

/**
 * Runs block sweeps until the certificate is ≤ tol, the objective stalls, a value is not finite, or the
 * budget runs out. The state is modified in place.
 *
 * @param problem - the blocks, objective and certificate (see {@link AlternatingProblem})
 * @param state - the mutable state
 * @param options - see {@link AlternatingOptions}
 * @returns iterations, objective, certificate, status, history
 * @example
 * ```ts
 * const res = alternatingMinimization({ steps: [updateU, updateTheta], objective, certificate }, st, { tol: 1e-8 });
 * res.converged; // a stationary point to 1e-8
 * ```
 * @see {@link AlternatingProblem}
 */
export function alternatingMinimization<S>(problem: AlternatingProblem<S>, state: S, options: AlternatingOptions = {}): AlternatingResult {
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 1000;
  const stallTol = options.stallTol ?? 0;
  const checkEvery = Math.max(1, options.checkEvery ?? 1);
  const record = options.recordHistory ?? true;
  const history: HistoryEntry[] = [];
  const start = performance.now();
  const report = (it: number, obj: number, cert: number): void => {
    if (record) history.push({ iteration: it, objective: obj, certificate: cert, time: (performance.now() - start) / 1000 });
    if (options.onProgress) options.onProgress({ iteration: it, maxIter, objective: obj, certificate: cert, tol });
  };
  let obj = problem.objective(state);
  let cert = Number.isFinite(obj) ? problem.certificate(state) : NaN;
  report(0, obj, cert);
  let status: FitStatus = 'max-iterations';
  if (!Number.isFinite(obj) || !(cert < Infinity)) status = 'non-finite';
  else if (certified(cert, tol)) status = 'converged';
  let it = 0;
  let checkedAt = 0;
  while (status === 'max-iterations' && it < maxIter) {
    problem.save?.(state);
    for (const step of problem.steps) step(state, it);
    it++;
    const next = problem.objective(state);
    if (!Number.isFinite(next)) {
      if (problem.restore) problem.restore(state);
      status = 'non-finite';
      break;
    }
    if (next > obj + 1e-12 * Math.max(1, Math.abs(obj))) {
      // a non-monotone sweep: undo it when possible and stop
      if (problem.restore) problem.restore(state);
      else obj = next;
      status = 'stalled';
      break;
    }
    const decrease = obj - next;
    obj = next;
    const stall = stallTol > 0 && decrease <= stallTol * Math.max(1, Math.abs(obj));
    if (it - checkedAt >= checkEvery || it >= maxIter || stall) {
      checkedAt = it;
      cert = problem.certificate(state);
      report(it, obj, cert);
      if (!(cert < Infinity)) status = 'non-finite';
      else if (certified(cert, tol)) status = 'converged';
      else if (stall) status = 'stalled';
    }
  }
  if (checkedAt !== it || status === 'stalled' || status === 'non-finite') {
    obj = problem.objective(state);
    cert = Number.isFinite(obj) ? problem.certificate(state) : NaN;
    if (checkedAt !== it) report(it, obj, cert);
    if (status !== 'non-finite' && certified(cert, tol)) status = 'converged';
  }
  return { iterations: it, objective: obj, certificate: cert, status, converged: status === 'converged', history };
}
