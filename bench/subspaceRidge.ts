/**
 * The ridge of the non-convex subspace models (`lowRank` rank 3, `aso` h = 3, λ = 0.1) at their School
 * defaults: for each factor c of ρ = c·L (L the loss's curvature scale, the Lipschitz constant of ∇L)
 * in {0, 1e-6, 1e-5, 1e-4, 1e-3}, and for each solver, the time, iterations, status and the relative
 * change of the in-sample loss against the ridge-free run (c = 0) at its iteration cap. Also on a seeded
 * synthetic problem (d = 100, T = 50, rank 3, n_t = 40). Each fit runs on a fresh data object; one run
 * per cell (these are seconds-long fits; the machine may be loaded, so only same-run ratios mean anything;
 * `cpuSeconds`, the process's CPU time during the fit, is the closer proxy for a quiet machine's wall time).
 *
 * Usage: node build/bench/subspaceRidge.js [--school=PATH] [--factors=1e-6,1e-4] [--no-synthetic] [--solvers=grassmann,alternating]
 */
import { aso, lowRank, type MultiTaskData } from '../src/index.js';
import { QuadraticLoss, multiTaskLoss } from '../src/datafits/quadratic.js';
import { lowRankProblem } from '../test/helpers/lowrankData.js';
import { loadSchool } from './schoolData.js';
import { isMain, printTable, writeJson } from './util.js';

type Model = 'lowRank' | 'aso';
interface Cell {
  problem: string; model: Model; solver: string; c: number; ridge: number; seconds: number; cpuSeconds: number; iters: number; status: string;
  certRel: number; loss: number; lossChange: number; normW: number;
}

/** One fit of `model` with ridge ρ = c·L on fresh data; the in-sample loss (without penalties) of its W. */
function run(make: () => MultiTaskData, model: Model, solver: string, c: number): Omit<Cell, 'problem' | 'lossChange'> {
  const data = make();
  const L = new QuadraticLoss(data).lipschitz();
  const ridge = c * L;
  const t0 = performance.now(), u0 = process.cpuUsage();
  const fit = model === 'lowRank'
    ? lowRank(data, { rank: 3, ridge, solver: solver as 'grassmann' | 'projected-gradient' })
    : aso(data, { lambda: 0.1, h: 3, ridge, solver: solver as 'grassmann' | 'alternating' });
  const seconds = (performance.now() - t0) / 1000, u = process.cpuUsage(u0);
  let nw = 0;
  for (const v of fit.W.data) nw += v * v;
  return {
    model, solver, c, ridge, seconds, cpuSeconds: (u.user + u.system) / 1e6, iters: fit.iterations, status: fit.status, certRel: fit.certificate / fit.gradientScale,
    loss: multiTaskLoss(data, fit.W, fit.intercepts, 'mean'), normW: Math.sqrt(nw),
  };
}

/**
 * Runs the scan.
 * @param argv - `--school=PATH`, `--factors=a,b,…`, `--no-synthetic`, `--solvers=a,b` (default: all four)
 * @returns the JSON payload written to bench/results/subspaceRidge.json
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const schoolPath = argv.find((a) => a.startsWith('--school='))?.slice('--school='.length);
  const factorArg = argv.find((a) => a.startsWith('--factors='))?.slice('--factors='.length);
  const factors = factorArg ? factorArg.split(',').map(Number) : [1e-6, 1e-5, 1e-4, 1e-3];
  const problems: { name: string; make: () => MultiTaskData }[] = [];
  if (loadSchool(schoolPath)) problems.push({ name: 'School', make: () => loadSchool(schoolPath)! });
  else console.log('School data not found (../shared/data/school/school.csv; or --school=PATH): skipping School');
  if (!argv.includes('--no-synthetic')) {
    problems.push({ name: 'synthetic d=100 T=50 r=3 n_t=40', make: () => lowRankProblem({ d: 100, T: 50, r: 3, n: 40, seed: 1, noise: 0.1 }).data });
  }
  const solversArg = argv.find((a) => a.startsWith('--solvers='))?.slice('--solvers='.length);
  const keep = (s: string): boolean => solversArg === undefined || solversArg.split(',').includes(s);
  const cells: Cell[] = [];
  for (const { name, make } of problems) {
    for (const [model, solvers] of [['lowRank', ['projected-gradient', 'grassmann']], ['aso', ['alternating', 'grassmann']]] as const) {
      for (const solver of solvers.filter(keep)) {
        const base = run(make, model, solver, 0);
        cells.push({ problem: name, ...base, lossChange: 0 });
        for (const c of factors) {
          const r = run(make, model, solver, c);
          cells.push({ problem: name, ...r, lossChange: (r.loss - base.loss) / base.loss });
        }
      }
    }
  }
  printTable('lowRank (rank 3) and aso (h = 3, λ = 0.1) at defaults with ρ = c·L; lossChange = relative change of the in-sample loss vs c = 0 at its cap (one run each, loaded machine)',
    cells as unknown as Record<string, string | number>[]);
  const out = { date: new Date().toISOString(), note: 'one run per cell; the machine was shared with other sessions', cells };
  writeJson('subspaceRidge', out);
  return out;
}

if (isMain(import.meta.url)) main();
