/**
 * Task-relation models benchmark:
 * - mean-regularized MTL, exact structured solve vs FISTA (both to the relative fixed-point residual
 *   1e-10), on School (139 tasks, per-task Cholesky backend) and on a shared-design problem
 *   n = 5000, d = 200, T = 100 (eigen backend);
 * - the convex clustered-MTL relaxation on the seeded 3-cluster problem of the tests and on School.
 * School rows are skipped with a message when the CSV is absent. Prints tables and writes
 * bench/results/taskRelations.json.
 *
 * Usage: node build/bench/taskRelations.js [--quick]
 */
import { pathToFileURL } from 'node:url';
import { clusteredConvex, meanRegularized, type MeanRegularizedOptions, type MultiTaskData } from '../src/index.js';
import { relatedTasks, samePartition, threeClusterProblem } from '../test/helpers/taskRelationsData.js';
import { loadSchool } from './schoolData.js';
import { printTable, writeJson } from './util.js';

interface MeanRow {
  problem: string; params: string; solver: string; seconds: number; iters: number; certRel: number; objective: number;
  objDiffRel: number; converged: string;
}
interface ClusterRow {
  problem: string; params: string; seconds: number; iters: number; certRel: number; objective: number; eig: string; recovered: string;
  converged: string;
}

function timeOnce<R>(fn: () => R): { seconds: number; result: R } {
  const t0 = performance.now();
  const result = fn();
  return { seconds: (performance.now() - t0) / 1000, result };
}

function meanRows(name: string, data: MultiTaskData, configs: { label: string; opts: MeanRegularizedOptions }[], fistaMaxIter: number): MeanRow[] {
  const rows: MeanRow[] = [];
  for (const { label, opts } of configs) {
    meanRegularized(data, opts); // warm-up (JIT)
    const ex = timeOnce(() => meanRegularized(data, { ...opts, solver: 'exact', tol: 1e-10 }));
    const fi = timeOnce(() => meanRegularized(data, { ...opts, solver: 'fista', tol: 1e-10, maxIter: fistaMaxIter }));
    for (const [solver, r] of [['exact', ex], ['fista', fi]] as const) {
      rows.push({
        problem: name, params: label, solver, seconds: r.seconds, iters: r.result.iterations,
        certRel: r.result.certificate / r.result.certificateScale, objective: r.result.objective,
        objDiffRel: (r.result.objective - ex.result.objective) / Math.abs(ex.result.objective), converged: String(r.result.converged),
      });
    }
  }
  return rows;
}

/**
 * Runs the benchmark.
 * @param argv - `--quick` for smaller problems and iteration caps
 * @returns the JSON payload written to bench/results/taskRelations.json
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const quick = argv.includes('--quick');
  const school = loadSchool();
  if (!school) console.log('School data not found (../shared/data/school/school.csv): skipping School rows');

  // ---- mean-regularized: exact vs FISTA ----
  const configs: { label: string; opts: MeanRegularizedOptions }[] = [
    { label: 'B λ=0.01 μ=0', opts: { form: 'B', lambda: 0.01 } },
    { label: 'A ρ=0.1 λ=5', opts: { form: 'A', rho: 0.1, lambda: 5 } },
  ];
  const mean: MeanRow[] = [];
  if (school) mean.push(...meanRows('School', school, configs, quick ? 2000 : 5000));
  const n = quick ? 1000 : 5000, d = quick ? 50 : 200, T = quick ? 20 : 100;
  const shared = relatedTasks({ d, T, n, seed: 1, shared: true, offsets: true, noise: 0.5 }).data;
  mean.push(...meanRows(`shared n=${n} d=${d} T=${T}`, shared, configs, quick ? 500 : 5000));
  printTable('Mean-regularized MTL: exact structured solve vs FISTA (tol: ‖∇F‖ ≤ 1e-10·‖∇F(0)‖)', mean as unknown as Record<string, string | number>[]);

  // ---- clustered convex ----
  const cluster: ClusterRow[] = [];
  const prob = threeClusterProblem(1);
  const cfgs: { name: string; data: MultiTaskData; rho1: number; rho2: number; k: number; tol: number; maxIter: number; groups?: Int32Array }[] = [
    { name: '3-cluster d=50 T=30', data: prob.data, rho1: 1, rho2: 0.1, k: 3, tol: 1e-8, maxIter: 10000, groups: prob.groups },
    { name: '3-cluster d=50 T=30', data: prob.data, rho1: 0.1, rho2: 0.01, k: 3, tol: 1e-8, maxIter: 10000, groups: prob.groups },
  ];
  if (school) cfgs.push({ name: 'School', data: school, rho1: 1, rho2: 0.1, k: 3, tol: 1e-6, maxIter: quick ? 300 : 2000 });
  for (const c of cfgs) {
    const r = timeOnce(() => clusteredConvex(c.data, { rho1: c.rho1, rho2: c.rho2, k: c.k, tol: c.tol, maxIter: c.maxIter, seed: 1 }));
    cluster.push({
      problem: c.name, params: `ρ1=${c.rho1} ρ2=${c.rho2} k=${c.k} tol=${c.tol}`, seconds: r.seconds, iters: r.result.iterations,
      certRel: r.result.certificate / r.result.certificateScale, objective: r.result.objective,
      eig: Array.from(r.result.eigenvalues.subarray(0, Math.min(5, c.data.T))).map((v) => v.toFixed(3)).join(' '),
      recovered: c.groups ? String(samePartition(r.result.clusters, c.groups)) : '-', converged: String(r.result.converged),
    });
  }
  printTable('Convex clustered MTL (accelerated projected gradient on (W, M))', cluster as unknown as Record<string, string | number>[]);

  const payload = { date: new Date().toISOString(), quick, node: process.version, meanRegularized: mean, clusteredConvex: cluster };
  const out = writeJson('taskRelations', payload);
  console.log(`\nwrote ${out}`);
  return payload;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
