/**
 * Temporal / fused / multi-level lasso solver benchmark (#12): the new solvers against the old ones in
 * the same run, each to its model's default tolerance (relative 1e-6) and iteration cap.
 * - temporal group lasso and fused group lasso: row BCD (`solver: 'bcd'`, the default) against FISTA
 *   (`solver: 'fista'`, the previous default, unchanged);
 * - multi-level lasso: this build against a baseline build given by `--baseline DIR` (a build directory
 *   of an older commit, e.g. /work/wt/base/build; the row is skipped without it).
 * Problems: School (139 tasks, d = 28; skipped when the CSV is absent) at λ = 0.1 and 0.01 for every
 * weight (the CLI runs of #12), and a seeded synthetic problem (d = 100, T = 20 ordered tasks, n_t = 50) with
 * λ₂ = λ, λ₃ (multi-level: λ₁, λ₂) = λ·λ_max and the fused ℓ1 weight λ·λ_max/10. Each fit is timed on
 * a fresh data object; old and new alternate, `reps` times each (3, or 1 with `--quick`); medians. The
 * machine is shared: only these same-run ratios mean anything. Writes bench/results/temporalSolvers.json.
 *
 * Usage: node build/bench/temporalSolvers.js [--quick] [--baseline DIR]
 */
import { fusedGroupLasso, multiLevelLasso, temporalGroupLasso, groupLassoLambdaMax, MultiTaskData } from '../src/index.js';
import { perTaskProblem } from '../test/helpers/random.js';
import { loadSchool } from './schoolData.js';
import { isMain, median, printTable, writeJson } from './util.js';

interface FitLike { objective: number; iterations: number; converged: boolean; certificate: number }
type Fitter = (data: MultiTaskData) => FitLike;

/** The tasks as plain { X, y } (a baseline build's own MultiTaskData class is built from these). */
function plainTasks(D: MultiTaskData): { X: { rows: number; cols: number; data: Float64Array }; y: Float64Array }[] {
  return D.tasks.map((tk) => ({ X: { rows: tk.n, cols: D.d, data: Float64Array.from(tk.X) }, y: Float64Array.from(tk.y) }));
}

/**
 * Runs the benchmark.
 * @param argv - `--quick` for one repetition, `--baseline DIR` for the multi-level lasso's old side
 * @returns the JSON payload written to bench/results/temporalSolvers.json
 * @example
 * ```ts
 * import { main } from './temporalSolvers.js';
 * await main(['--quick', '--baseline', '/work/wt/base/build']);
 * ```
 * @see {@link temporalGroupLasso}, {@link fusedGroupLasso}, {@link multiLevelLasso}
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<unknown> {
  const reps = argv.includes('--quick') ? 1 : 3;
  const bi = argv.indexOf('--baseline');
  const base = bi >= 0
    ? (await import(`${argv[bi + 1]}/src/index.js`)) as { multiLevelLasso: typeof multiLevelLasso; MultiTaskData: typeof MultiTaskData }
    : null;
  const problems: { name: string; make: () => MultiTaskData; lams: number[] }[] = [];
  if (loadSchool()) problems.push({ name: 'School T=139 d=28', make: () => loadSchool()!, lams: [0.1, 0.01] });
  else console.log('School data not found: skipping');
  problems.push({
    name: 'synthetic d=100 T=20 n_t=50', lams: [0.1, 0.01],
    make: () => perTaskProblem(Array.from({ length: 20 }, () => 50), 100, 10, 12).data,
  });
  const rows: Record<string, string | number>[] = [];
  for (const { name, make, lams } of problems) {
    const lm = groupLassoLambdaMax(make(), { q: 2 });
    for (const l of lams) {
      // School: every weight = l (the CLI runs of #12); synthetic: λ₃ (and the ℓ1 weights) relative to λ_max
      const school = name.startsWith('School'), s = school ? 1 : lm, l1 = school ? l : (l * lm) / 10;
      const cases: { model: string; oldName: string; old: Fitter | null; fresh: Fitter; oldData?: (D: MultiTaskData) => MultiTaskData }[] = [
        {
          model: 'temporalGroupLasso', oldName: 'fista',
          old: (D) => temporalGroupLasso(D, { lambda1: l, lambda2: l, lambda3: l * s, solver: 'fista' }),
          fresh: (D) => temporalGroupLasso(D, { lambda1: l, lambda2: l, lambda3: l * s }),
        },
        {
          model: 'fusedGroupLasso', oldName: 'fista',
          old: (D) => fusedGroupLasso(D, { lambda1: l1, lambda2: l, lambda3: l * s, solver: 'fista' }),
          fresh: (D) => fusedGroupLasso(D, { lambda1: l1, lambda2: l, lambda3: l * s }),
        },
        {
          model: 'multiLevelLasso', oldName: 'baseline build',
          old: base ? (D) => base.multiLevelLasso(D, { lambda1: l * s, lambda2: l * s }) : null, oldData: base ? (D) => base.MultiTaskData.fromTasks(plainTasks(D)) : undefined,
          fresh: (D) => multiLevelLasso(D, { lambda1: l * s, lambda2: l * s }),
        },
      ];
      for (const c of cases) {
        const times: Record<'old' | 'new', number[]> = { old: [], new: [] };
        const last: Record<string, FitLike> = {};
        c.fresh(make()); // warm-up (JIT)
        for (let r = 0; r < reps; r++) {
          for (const side of r % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
            const fit = side === 'old' ? c.old : c.fresh;
            if (fit === null) continue;
            // fresh: the package caches XᵀY and Gram columns per data object (a baseline build needs its own class)
            const data = side === 'old' && c.oldData ? c.oldData(make()) : make();
            const t0 = performance.now();
            last[side] = fit(data);
            times[side].push((performance.now() - t0) / 1000);
          }
        }
        const o = last['old'], n = last['new']!;
        const to = o ? median(times.old) : NaN, tn = median(times.new);
        rows.push({
          problem: name, model: c.model, lambda: l, old: c.oldName, oldSeconds: to, newSeconds: tn, newOverOld: tn / to,
          oldIters: o ? o.iterations : NaN, newIters: n.iterations,
          converged: `${o ? o.converged : '-'}/${n.converged}`,
          relObjectiveDiff: o ? (n.objective - o.objective) / Math.abs(o.objective) : NaN,
        });
      }
    }
  }
  printTable('temporal / fused / multi-level lasso: old vs new (median seconds, same run, alternating)', rows);
  const payload = { reps, baseline: bi >= 0 ? argv[bi + 1] : null, rows };
  writeJson('temporalSolvers', payload);
  return payload;
}

if (isMain(import.meta.url)) await main();
