/**
 * Joint-feature-projection benchmark: time per outer iteration and to convergence of
 * - featureProjection (Li et al. 2015; Stiefel alternation with the exact mean-regularized step),
 * - featureProjectionLowRank (trace-norm V step),
 * - featureLearning (Argyriou et al. 2008; alternation with ε continuation),
 * on School (139 tasks, 28 features; skipped when the CSV is absent) and on the seeded planted-subspace
 * problem (d = 50, T = 20, h = 5, n_t = 30; run to convergence, median of 3). School runs once with
 * an iteration budget (featureProjection 500, low-rank 20, featureLearning 1000 alternations). Prints a table and writes
 * bench/results/featureProjection.json.
 *
 * Usage: node build/bench/featureProjection.js [--quick]
 */
import { pathToFileURL } from 'node:url';
import { featureLearning, featureProjection, featureProjectionLowRank, type MultiTaskData } from '../src/index.js';
import { plantedSubspace, principalAngleCosines, testMse } from '../test/helpers/featureData.js';
import { loadSchool } from './schoolData.js';
import { median, printTable, writeJson } from './util.js';

interface Row {
  problem: string; model: string; params: string; seconds: number; iters: number; msPerIter: number;
  converged: string; objective: number; certificate: number; extra: string;
}

type AnyFit = { iterations: number; converged: boolean; objective: number; certificate: number };

function timeFit<F extends AnyFit>(run: () => F, reps: number, warmup: boolean): { seconds: number; fit: F } {
  let fit = warmup ? run() : (undefined as unknown as F); // warm-up (JIT)
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fit = run();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), fit };
}

function row(problem: string, model: string, params: string, seconds: number, fit: AnyFit, extra = ''): Row {
  return {
    problem, model, params, seconds, iters: fit.iterations, msPerIter: (1000 * seconds) / Math.max(fit.iterations, 1),
    converged: String(fit.converged), objective: fit.objective, certificate: fit.certificate, extra,
  };
}

/**
 * Runs the benchmark.
 * @param argv - `--quick` for a single repetition
 * @returns the JSON payload written to bench/results/featureProjection.json
 * @example
 * ```ts
 * import { main } from './featureProjection.js';
 * main(['--quick']);
 * ```
 * @see Li, Tian, Liu & Tao, IJCAI 2015; Argyriou, Evgeniou & Pontil, Machine Learning 73(3), 2008.
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const quick = argv.includes('--quick');
  const reps = quick ? 1 : 3;
  const rows: Row[] = [];
  const planted = plantedSubspace({ d: 50, T: 20, h: 5, n: 30, seed: 7, noise: 0.01 });
  const problems: { name: string; data: MultiTaskData; fitIntercept: boolean }[] = [
    { name: 'planted d=50 T=20 h=5 n_t=30', data: planted.train, fitIntercept: false },
  ];
  const school = loadSchool();
  if (school) problems.push({ name: 'School (139 tasks, d=28)', data: school, fitIntercept: true });
  else console.log('School data not found (../shared/data/school/school.csv): skipping School rows');

  for (const { name, data, fitIntercept } of problems) {
    const isPlanted = data === planted.train;
    // School is large (15 362 rows): one timed run with an iteration budget; the planted problem runs to convergence
    const r = isPlanted ? reps : 1;
    const warm = isPlanted;
    const budget = isPlanted ? { fp: 2000, lr: 300, fl: 5000 } : { fp: 500, lr: 20, fl: 1000 };
    for (const h of isPlanted ? [5] : [5, 10]) {
      const lambda = isPlanted ? 1e-3 : 1e-2;
      const { seconds, fit } = timeFit(() => featureProjection(data, { h, lambda, fitIntercept, maxIter: budget.fp }), r, warm);
      let extra = '';
      if (isPlanted) {
        const cos = principalAngleCosines(fit.P, planted.B);
        extra = `maxAngle=${Math.acos(Math.min(1, cos[cos.length - 1]!)).toExponential(2)} testMSE=${testMse(planted.test, fit.W, fit.intercepts).toExponential(3)}`;
      }
      rows.push(row(name, 'featureProjection', `h=${h} λ=${lambda}`, seconds, fit, extra));
    }
    {
      const h = 5, lambda = isPlanted ? 1e-3 : 1e-2;
      const { seconds, fit } = timeFit(
        () => featureProjectionLowRank(data, { h, lambda, fitIntercept, maxIter: budget.lr, innerTol: isPlanted ? 1e-10 : 1e-8 }), r, warm,
      );
      rows.push(row(name, 'featureProjectionLowRank', `h=${h} λ=${lambda}`, seconds, fit, `rank=${fit.rank}`));
    }
    {
      const gamma = isPlanted ? 1e-3 : 1e-2;
      const { seconds, fit } = timeFit(() => featureLearning(data, { gamma, lossScale: 'task-mean', fitIntercept, maxIter: budget.fl }), r, warm);
      rows.push(row(name, 'featureLearning', `γ=${gamma}`, seconds, fit, `gap/F=${(fit.gap / fit.objective).toExponential(2)}`));
    }
  }
  printTable('Joint feature projection: median seconds to convergence', rows as unknown as Record<string, string | number>[]);
  const payload = { date: new Date().toISOString(), node: process.version, reps, rows };
  const out = writeJson('featureProjection', payload);
  console.log(`\nwrote ${out}`);
  return payload;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
