/**
 * Shared-low-rank-subspace benchmark: trace-norm time to certificate (duality gap ≤ 1e-6·F(0)) with
 * and without adaptive restart, on
 * - the seeded synthetic low-rank problem of the tests (d = 100, T = 50, rank 3, n = 40 per task),
 * - a shared-design problem n = 1000, d = 500, T = 50 (rank 3),
 * - School (139 tasks, 28 features; skipped when the CSV is absent),
 * plus one row per non-convex / convex-relaxation model (rank constraint, ASO, convex ASO) on the
 * synthetic problem. Prints tables and writes bench/results/lowrank.json.
 *
 * Fits faster than 1 s are repeated (median of 3, after one warm-up run); slower ones are timed once.
 *
 * Usage: node build/bench/lowrank.js [--quick] [--school=PATH]
 */
import {
  traceNorm, traceNormLambdaMax, lowRank, aso, asoConvex, featureLearning, type MultiTaskData,
} from '../src/index.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { quadraticDatafit } from '../src/datafits/state.js';
import { lowRankProblem } from '../test/helpers/lowrankData.js';
import { loadSchool } from './schoolData.js';
import { isMain, median, printTable, writeJson } from './util.js';

interface TraceRow {
  problem: string; ratio: number; tol: number; solver: string; backend: string; seconds: number; ratioToOld: number; gapRel: number; iters: number;
  rank: number; status: string;
}

type Solver = 'auto' | 'fista-svd';

/**
 * Times trace-norm fits of the new default solver ('auto') and the earlier one ('fista-svd'),
 * alternating the two `reps` times, each on a fresh data object (`make`); medians.
 */
function timeTracePair(make: () => MultiTaskData, lambda: number, tol: number, reps: number): Record<Solver, { seconds: number; fit: ReturnType<typeof traceNorm> }> {
  const times: Record<Solver, number[]> = { auto: [], 'fista-svd': [] };
  const fits = {} as Record<Solver, ReturnType<typeof traceNorm>>;
  for (let r = 0; r < reps; r++) {
    for (const solver of ['auto', 'fista-svd'] as const) {
      const data = make();
      const t0 = performance.now();
      fits[solver] = traceNorm(data, { lambda, tol, maxIter: 20000, solver });
      times[solver].push((performance.now() - t0) / 1000);
    }
  }
  return {
    auto: { seconds: median(times.auto), fit: fits.auto },
    'fista-svd': { seconds: median(times['fista-svd']), fit: fits['fista-svd'] },
  };
}

/** The loss backend 'auto' picks for these data. */
function backendOf(data: MultiTaskData): string {
  return quadraticDatafit(new QuadraticLoss(data), 'auto').kind;
}

/**
 * Runs the benchmark.
 * @param argv - `--quick` for fewer repetitions and ratios
 * @returns the JSON payload written to bench/results/lowrank.json
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const quick = argv.includes('--quick');
  const reps = quick ? 1 : 3;
  const ratios = quick ? [0.1] : [0.1, 0.01];
  const problems: { name: string; make: () => MultiTaskData }[] = [
    { name: 'synthetic d=100 T=50 r=3 n_t=40', make: () => lowRankProblem({ d: 100, T: 50, r: 3, n: 40, seed: 1, noise: 0.1 }).data },
    { name: 'shared n=1000 d=500 T=50 r=3', make: () => lowRankProblem({ d: 500, T: 50, r: 3, n: 1000, seed: 2, noise: 0.5, shared: true }).data },
  ];
  const schoolPath = argv.find((a) => a.startsWith('--school='))?.slice('--school='.length);
  if (loadSchool(schoolPath)) problems.push({ name: 'School (139 tasks)', make: () => loadSchool(schoolPath)! });
  else console.log('School data not found (../shared/data/school/school.csv; or --school=PATH): skipping School rows');

  const rows: TraceRow[] = [];
  for (const { name, make } of problems) {
    const data0 = make();
    const lmax = traceNormLambdaMax(data0);
    for (const ratio of ratios) {
      for (const tol of [1e-6, 1e-10]) {
        const pair = timeTracePair(make, ratio * lmax, tol, reps);
        for (const solver of ['auto', 'fista-svd'] as const) {
          const { seconds, fit } = pair[solver];
          rows.push({
            problem: name, ratio, tol, solver, backend: backendOf(data0), seconds, ratioToOld: seconds / pair['fista-svd'].seconds,
            gapRel: fit.gap / fit.objectiveAtZero, iters: fit.iterations, rank: fit.rank, status: fit.status,
          });
        }
      }
    }
  }
  printTable('Trace norm: seconds to the relative duality gap tol (median of alternating runs on fresh data; auto = ADMM on small Gram designs, else FISTA with Gram-eig prox; fista-svd = the earlier solver)', rows as unknown as Record<string, string | number>[]);

  // feature learning: the spectral solvers against the ε-alternation (School when present)
  const flRows: Record<string, string | number>[] = [];
  const flData = problems[problems.length - 1]!;
  for (const solver of ['auto', 'alternating'] as const) {
    const data = flData.make();
    const t0 = performance.now();
    const fit = featureLearning(data, { gamma: 0.01, solver, tol: 1e-8 });
    flRows.push({ problem: flData.name, solver, seconds: (performance.now() - t0) / 1000, iters: fit.iterations, gapRel: fit.gap / fit.objective, status: fit.status });
  }
  printTable('Feature learning γ = 0.01, tol 1e-8 (relative gap): spectral solver vs the ε-alternation', flRows);

  // the other models of the family, on the synthetic problem (tol 1e-6 on their own certificates)
  const syn = problems[0]!.make();
  const other: Record<string, string | number>[] = [];
  const add = (model: string, f: () => { iterations: number; converged: boolean; certificate: number; objective: number }): void => {
    const t0 = performance.now();
    const fit = f();
    other.push({ model, seconds: (performance.now() - t0) / 1000, iters: fit.iterations, converged: String(fit.converged), objective: fit.objective });
  };
  add('lowRank rank=3 (plain)', () => lowRank(syn, { rank: 3 }));
  add('lowRank rank=3 (accelerated)', () => lowRank(syn, { rank: 3, accelerate: true }));
  add('aso h=3 λ=0.1', () => aso(syn, { lambda: 0.1, h: 3 }));
  add('asoConvex h=3 ρ₁=0.1 ρ₂=0.1', () => asoConvex(syn, { rho1: 0.1, rho2: 0.1, h: 3 }));
  printTable('Other low-rank models on the synthetic problem (one run each)', other);

  const out = { date: new Date().toISOString(), note: 'same-run medians; the machine may be loaded (see README)', traceNorm: rows, featureLearning: flRows, otherModels: other };
  writeJson('lowrank', out);
  return out;
}

if (isMain(import.meta.url)) main();
