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
 * Usage: node build/bench/lowrank.js [--quick]
 */
import {
  traceNorm, traceNormLambdaMax, lowRank, aso, asoConvex, type MultiTaskData,
} from '../src/index.js';
import { QuadraticLoss } from '../src/datafits/quadratic.js';
import { createLossBackend } from '../src/models/lowRankCore.js';
import { lowRankProblem } from '../test/helpers/lowrankData.js';
import { loadSchool } from './schoolData.js';
import { isMain, median, printTable, writeJson } from './util.js';

interface TraceRow {
  problem: string; ratio: number; restart: string; backend: string; seconds: number; gapRel: number; iters: number; rank: number; converged: string;
}

/** Times one trace-norm fit; fits faster than 1 s are repeated `reps` times (median). */
function timeTrace(data: MultiTaskData, lambda: number, restart: boolean, reps: number): { seconds: number; fit: ReturnType<typeof traceNorm> } {
  const run = () => traceNorm(data, { lambda, restart, tol: 1e-6, maxIter: 20000 });
  let t0 = performance.now();
  let fit = run();
  const first = (performance.now() - t0) / 1000;
  if (first > 1 || reps <= 1) return { seconds: first, fit };
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    t0 = performance.now();
    fit = run();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), fit };
}

/** The loss backend 'auto' picks for these data. */
function backendOf(data: MultiTaskData): string {
  return createLossBackend(new QuadraticLoss(data), 'auto').kind;
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
  const problems: { name: string; data: MultiTaskData }[] = [
    { name: 'synthetic d=100 T=50 r=3 n_t=40', data: lowRankProblem({ d: 100, T: 50, r: 3, n: 40, seed: 1, noise: 0.1 }).data },
    { name: 'shared n=1000 d=500 T=50 r=3', data: lowRankProblem({ d: 500, T: 50, r: 3, n: 1000, seed: 2, noise: 0.5, shared: true }).data },
  ];
  const school = loadSchool();
  if (school) problems.push({ name: 'School (139 tasks)', data: school });
  else console.log('School data not found (../shared/data/school/school.csv): skipping School rows');

  const rows: TraceRow[] = [];
  for (const { name, data } of problems) {
    const lmax = traceNormLambdaMax(data);
    for (const ratio of ratios) {
      for (const restart of [true, false]) {
        const { seconds, fit } = timeTrace(data, ratio * lmax, restart, reps);
        rows.push({
          problem: name, ratio, restart: String(restart), backend: backendOf(data), seconds, gapRel: fit.gap / fit.objectiveAtZero,
          iters: fit.iterations, rank: fit.rank, converged: String(fit.converged),
        });
      }
    }
  }
  printTable('Trace norm (FISTA + singular value soft-thresholding), time to certificate (gap ≤ 1e-6·F(0)); median seconds', rows as unknown as Record<string, string | number>[]);

  // the other models of the family, on the synthetic problem (tol 1e-6 on their own certificates)
  const syn = problems[0]!.data;
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

  const out = { date: new Date().toISOString(), traceNorm: rows, otherModels: other };
  writeJson('lowrank', out);
  return out;
}

if (isMain(import.meta.url)) main();
