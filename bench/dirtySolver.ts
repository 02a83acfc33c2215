/**
 * Dirty-model solver benchmark: FISTA over the stacked (P, Q) against block coordinate descent over the
 * rows of (P, Q) (`dirty(…, { solver })`), both to the same duality gap (tol 1e-8 relative), q = ∞ and
 * q = 2, at λ = (0.3, 0.5) × λ_max per block. Problems: a shared design (n = 400, d = 60, T = 8), per-task
 * designs (n_t = 60, d = 40, T = 10) and School (139 tasks, d = 28; skipped when the CSV is absent). Each
 * fit is timed on a fresh data object; the two solvers alternate, `reps` times each, medians reported with
 * their ratio — the machine is shared, only these same-run ratios mean anything. Writes
 * bench/results/dirtySolver.json.
 *
 * Usage: node build/bench/dirtySolver.js [--quick] [--no-school]
 */
import { dirty, dirtyLambdaMax, type MultiTaskData } from '../src/index.js';
import { perTaskProblem, sharedProblem } from '../test/helpers/random.js';
import { loadSchool } from './schoolData.js';
import { isMain, median, printTable, writeJson } from './util.js';

/**
 * Runs the benchmark.
 * @param argv - `--quick` for one repetition, `--no-school` for the synthetic problems only
 * @returns the JSON payload written to bench/results/dirtySolver.json
 * @example
 * ```ts
 * import { main } from './dirtySolver.js';
 * main(['--quick']);
 * ```
 * @see {@link dirty}
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const reps = argv.includes('--quick') ? 1 : 5;
  const problems: { name: string; make: () => MultiTaskData }[] = [
    { name: 'shared n=400 d=60 T=8', make: () => sharedProblem(400, 60, 8, 6, 1).data },
    { name: 'per-task n_t=60 d=40 T=10', make: () => perTaskProblem(Array.from({ length: 10 }, () => 60), 40, 5, 2).data },
  ];
  if (argv.includes('--no-school')) console.log('--no-school: skipping School');
  else if (loadSchool()) problems.push({ name: 'School T=139 d=28', make: () => loadSchool()! });
  else console.log('School data not found: skipping');
  const rows: Record<string, string | number>[] = [];
  for (const { name, make } of problems) {
    for (const q of [Infinity, 2]) {
      const lm = dirtyLambdaMax(make(), { q });
      const o = { lambda1: 0.3 * lm.lambda1, lambda2: 0.5 * lm.lambda2, q, tol: 1e-8, maxIter: 100000 };
      const times: Record<'fista' | 'bcd' | 'admm', number[]> = { fista: [], bcd: [], admm: [] };
      const last: Record<string, { objective: number; iterations: number; converged: boolean }> = {};
      dirty(make(), o); // warm-up (JIT)
      dirty(make(), { ...o, solver: 'bcd' });
      dirty(make(), { ...o, solver: 'admm' });
      for (let r = 0; r < reps; r++) {
        for (const solver of r % 2 === 0 ? (['fista', 'bcd', 'admm'] as const) : (['admm', 'bcd', 'fista'] as const)) {
          const data = make(); // fresh: the package caches XᵀY and Gram columns per data object
          const t0 = performance.now();
          const fit = dirty(data, { ...o, solver });
          times[solver].push((performance.now() - t0) / 1000);
          last[solver] = fit;
        }
      }
      const f = median(times.fista), b = median(times.bcd), a = median(times.admm);
      rows.push({
        problem: name, q: String(q), fistaSeconds: f, bcdSeconds: b, admmSeconds: a, bcdOverFista: b / f, admmOverBcd: a / b,
        fistaIters: last['fista']!.iterations, bcdSweeps: last['bcd']!.iterations, admmIters: last['admm']!.iterations,
        relObjectiveDiff: (last['bcd']!.objective - last['fista']!.objective) / last['fista']!.objective,
        converged: `${last['fista']!.converged}/${last['bcd']!.converged}/${last['admm']!.converged}`,
      });
    }
  }
  printTable('dirty model: FISTA vs BCD (median seconds, same run, alternating)', rows);
  const payload = { reps, rows };
  writeJson('dirtySolver', payload);
  return payload;
}

if (isMain(import.meta.url)) main();
