/**
 * Reweighted row penalties by stages of block coordinate descent: each stage solves the convex problem
 * min_W L(W) + λ Σ_j c_j ‖w^j‖_q with the weights c of the previous stage's solution (a majorisation–
 * minimisation of a concave function of the row norms: the multi-stage convex relaxation of Gong, Ye &
 * Zhang, "Multi-stage multi-task feature learning", NIPS 2012 / JMLR 14, 2013; the multi-level lasso's
 * reweighting, Lozano & Swirszcz, ICML 2012), warm-started from it, and certifies it by its duality gap
 * ({@link weightedRowGap}). The caller says when to stop (the weights map to a fixed point).
 *
 * For q = 1 the stages separate over the tasks; when the per-task Hessians fit ({@link TaskLassos.fits})
 * each stage is solved task by task on them (coordinate descent with exact face steps) instead of by
 * BCD over the rows, whose epochs on correlated features (School) ran into the thousands per stage.
 *
 * @packageDocumentation
 */
import type { HistoryEntry, ProgressCallback } from '../types.js';
import { WeightedGroupNormPenalty } from '../penalties/weightedGroupNorm.js';
import type { BcdDatafit } from './bcdDatafit.js';
import { bcd, type BcdStatus } from './bcd.js';
import { weightedRowGap } from './bcdGap.js';
import { TaskLassos } from './taskLasso.js';

/** One stage of {@link bcdReweighted}. */
export interface ReweightedStage {
  /** The duality gap of the stage's convex problem at its solution (absolute). */
  readonly gap: number;
  /** The stage's convex objective L(W) + λ Σ_j c_j ‖w^j‖_q at its solution. */
  readonly stageObjective: number;
  /** BCD epochs of the stage. */
  readonly iterations: number;
  /** Whether gap ≤ the gap tolerance. */
  readonly certified: boolean;
  /** The non-convex objective at the stage's solution ({@link ReweightedOptions.objective}; NaN without it). */
  readonly objective: number;
}

/** Options of {@link bcdReweighted}. */
export interface ReweightedOptions {
  /** λ ≥ 0. */
  lambda: number;
  /** The row norm exponent q. */
  q: number;
  /** The first stage's weights c (length d, entries in [0, ∞]). */
  weights: Float64Array;
  /** Absolute tolerance on each stage's duality gap. */
  tolGap: number;
  /** The first BCD stationarity tolerance of a stage (divided by 100, up to 3 times, until the gap meets tolGap). */
  tolStationarity: number;
  /** Epochs over all stages. */
  maxIter: number;
  /** Stages at most. */
  maxStages: number;
  /**
   * The next stage's weights from this stage's solution, or null when the stages have reached their
   * fixed point (the next stage would solve the same problem).
   */
  next(W: Float64Array, weights: Float64Array): Float64Array | null;
  /** The non-convex objective the stages decrease, recorded per stage. @default none */
  objective?(W: Float64Array): number;
  /** Called at BCD's certificate checks, iterations counted over all stages (increasing), maxIter the total. @default undefined */
  onProgress?: ProgressCallback;
}

/** What {@link bcdReweighted} returns. */
export interface ReweightedResult {
  W: Float64Array;
  stages: ReweightedStage[];
  /**
   * `'converged'`: the fixed point was reached and every stage certified; `'max-iterations'`: the epoch
   * budget ran out before a stage's gap met its tolerance, or `maxStages` stages ran without a fixed point.
   */
  status: BcdStatus;
  /** The last stage's weights. */
  weights: Float64Array;
  iterations: number;
  /** The stages' BCD histories, concatenated (iterations counted over all stages). */
  history: HistoryEntry[];
}

/**
 * Runs the stages (see the module comment) from W = 0.
 * @param f - the BCD state of the loss
 * @param opts - see {@link ReweightedOptions}
 * @returns the last stage's solution, the stages with their gaps, the status
 * @example
 * ```ts
 * const r = bcdReweighted(f, { lambda, q: 1, weights: ones, tolGap, tolStationarity, maxIter: 10000, maxStages: 20,
 *   next: (W, c) => sameSet(W, c) ? null : newWeights(W) });
 * r.stages.map((s) => s.gap);
 * ```
 * @see {@link weightedRowGap}
 */
export function bcdReweighted(f: BcdDatafit, opts: ReweightedOptions): ReweightedResult {
  const { d, T } = f;
  let W: Float64Array = new Float64Array(d * T), weights = opts.weights, iterations = 0;
  const stages: ReweightedStage[] = [], history: HistoryEntry[] = [];
  let status: BcdStatus = 'max-iterations', reported = -1;
  const cb = opts.onProgress;
  // the stages' checks on one iteration count: stage k's epoch e is epoch (done before k) + e
  const progress = cb === undefined ? {} : {
    onProgress: (p: Parameters<ProgressCallback>[0]): void => {
      const it = p.iteration + iterations;
      if (it > reported) { reported = it; cb({ ...p, iteration: it, maxIter: opts.maxIter }); }
    },
  };
  const start = performance.now();
  const tasks = opts.q === 1 && TaskLassos.fits(d, T) ? new TaskLassos(f) : null;
  for (let s = 0; s < opts.maxStages; s++) {
    const h = new WeightedGroupNormPenalty(opts.lambda, opts.q, weights, T);
    let tolS = opts.tolStationarity, gap = Infinity, primal = NaN, its = 0, last: BcdStatus = 'max-iterations';
    for (let attempt = 0; attempt < 4; attempt++) {
      const budget = Math.max(0, opts.maxIter - iterations);
      if (tasks !== null) {
        const r = tasks.solve(W, (j) => h.rowWeight(j), tolS, budget);
        iterations += r.epochs;
        its += r.epochs;
        last = r.converged ? 'converged' : 'max-iterations';
        ({ gap, primal } = weightedRowGap(f, W, h));
        history.push({ iteration: iterations, objective: primal, certificate: gap, time: (performance.now() - start) / 1000 });
        cb?.({ iteration: iterations, maxIter: opts.maxIter, objective: primal, certificate: gap, tol: opts.tolGap });
      } else {
        const res = bcd(f, h, W, { tolAbs: tolS, maxIter: budget, screening: false, ...progress });
        for (const e of res.history) history.push({ ...e, iteration: e.iteration + iterations });
        iterations += res.iterations;
        its += res.iterations;
        W = res.W;
        last = res.status;
        ({ gap, primal } = weightedRowGap(f, W, h));
      }
      if (gap <= opts.tolGap || last === 'non-finite' || iterations >= opts.maxIter) break;
      tolS /= 100;
    }
    const certified = Number.isFinite(gap) && gap <= opts.tolGap;
    stages.push({ gap, stageObjective: primal, iterations: its, certified, objective: opts.objective ? opts.objective(W) : NaN });
    if (last === 'non-finite' || !Number.isFinite(primal)) { status = 'non-finite'; break; }
    if (!certified) { status = 'max-iterations'; break; }
    const c = opts.next(W, weights);
    if (c === null) { status = 'converged'; break; }
    weights = c;
  }
  return { W, stages, status, weights, iterations, history };
}
