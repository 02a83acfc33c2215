/**
 * Time to accuracy of the task-relation solvers (#12): the structured solvers against the previous
 * generic ones (FISTA), in the same run, on School and on seeded synthetic problems of the shapes:
 * - graph-regularized on School (mean graph R = I − 11ᵀ/T, ρ₁ = 10, `lossScale: 'sum'`, no intercept):
 *   ρ₂ = 0 (CG) to relative certificates 1e-6 and 1e-10; ρ₂ = 2000 (coordinate descent) to 1e-8;
 * - convex ASO, d = 100, T = 50, n_t = 40, ρ₁ = 100, ρ₂ = 1, h = 3, sum loss, to 1e-6;
 * - clustered convex on School, k = 3, ρ₁ = 0.1, ρ₂ = 0.01, to 1e-6 and 1e-10 (and on the synthetic shape);
 * - feature learning (γ = 0.01) on School and the synthetic problem, the default solver vs the
 *   paper's alternation (capped), gap relative to F(0, b₀) = the first history entry;
 * - the non-convex models at their defaults, the Grassmann L-BFGS against the previous solver
 *   (featureProjection h = 5, λ = 0.1: default vs `solver: 'alternating'`; lowRank rank 3 and aso
 *   h = 3, λ = 0.1: the default (Grassmann, ridge 'auto') vs the earlier default, projected gradient /
 *   the alternation with ridge 0), on School and the synthetic problem; for
 *   these the relative certificate is the certificate over the start's certificate, and the
 *   tolerance is the model's default (1e-6, relative to the model's own scale).
 * Every timed fit gets a fresh data object (no cached statistics); the new solver is timed `reps`
 * times (median), alternating with the baseline, which runs once per row (FISTA with an iteration
 * cap; `--quick`: smaller caps and one repetition). Prints tables and writes
 * bench/results/taskRelationsSolvers.json.
 *
 * Usage: node build/bench/taskRelationsSolvers.js [--quick]
 */
import { aso, asoConvex, clusteredConvex, featureLearning, featureProjection, graphRegularized, lowRank, MultiTaskData } from '../src/index.js';
import { lowRankProblem } from '../test/helpers/lowrankData.js';
import { loadSchool } from './schoolData.js';
import { isMain, median, printTable, writeJson } from './util.js';

interface Row {
  problem: string; solver: string; tol: number; seconds: number; iterations: number; certRel: number; converged: string; objective: number;
}

/** A fresh copy of the data (fits cache statistics per data object). */
function fresh(D: MultiTaskData): MultiTaskData {
  return MultiTaskData.fromTasks(Array.from({ length: D.T }, (_, t) => D.task(t)));
}

type Fit = { iterations: number; certificate: number; converged: boolean; objective: number };

function timed(fit: () => Fit): { seconds: number; fit: Fit } {
  const t0 = performance.now();
  const f = fit();
  return { seconds: (performance.now() - t0) / 1000, fit: f };
}

/**
 * Runs the benchmark.
 * @param argv - `--quick` for smaller baseline caps and one repetition
 * @returns the JSON payload
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const quick = argv.includes('--quick');
  const reps = quick ? 1 : 3;
  const cap = quick ? 100 : 1000;
  const rows: Row[] = [];
  const school = loadSchool();
  if (!school) console.log('School data not found (../shared/data/school/school.csv): skipping School rows');
  const cases: {
    problem: string; data: MultiTaskData; tol: number; run: (D: MultiTaskData, tol: number, base: boolean) => Fit; scale: (f: Fit) => number;
    newName?: string; baseName?: string;
  }[] = [];
  const startScale = (f: Fit) => (f as unknown as { history: { certificate: number }[] }).history[0]!.certificate;
  const gradScale = (f: Fit) => (f as unknown as { gradientScale: number }).gradientScale;
  /** The non-convex models at their defaults: new solver vs the previous one. */
  const nonConvex = (name: string, D: MultiTaskData) => {
    cases.push({
      problem: `featureProjection ${name} h=5 λ=0.1`, data: D, tol: 1e-6, newName: 'grassmann', baseName: 'alternating',
      run: (X, _tol, base) => featureProjection(X, { h: 5, lambda: 0.1, ...(base ? { solver: 'alternating' as const } : {}) }), scale: startScale,
    });
    cases.push({
      problem: `lowRank ${name} rank 3`, data: D, tol: 1e-6, newName: 'grassmann', baseName: 'projected-gradient',
      run: (X, _tol, base) => lowRank(X, { rank: 3, ...(base ? { solver: 'projected-gradient' as const, ridge: 0 } : {}) }), scale: gradScale,
    });
    cases.push({
      problem: `aso ${name} h=3 λ=0.1`, data: D, tol: 1e-6, newName: 'grassmann', baseName: 'alternating',
      run: (X, _tol, base) => aso(X, { h: 3, lambda: 0.1, ...(base ? { solver: 'alternating' as const, ridge: 0 } : {}) }), scale: gradScale,
    });
    for (const tol of [1e-6, 1e-8]) { // #12: "the gap reaches 1e-8·F(0)"
      cases.push({
        problem: `featureLearning ${name} γ=0.01`, data: D, tol, newName: 'default', baseName: `alternating (cap ${cap})`,
        run: (X, tol, base) => featureLearning(X, { gamma: 0.01, tol, ...(base ? { solver: 'alternating' as const, maxIter: cap } : {}) }),
        scale: (f) => (f as unknown as { history: { objective: number }[] }).history[0]!.objective, // F(0, b₀): the gap's scale
      });
    }
  };
  if (school) {
    const T = school.T;
    const R = new Float64Array(T * T);
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) R[i * T + j] = (i === j ? 1 : 0) - 1 / T;
    const graph = { R: { rows: T, cols: T, data: R } };
    const g = (rho2: number) => (D: MultiTaskData, tol: number, base: boolean) => graphRegularized(D, {
      rho1: 10, rho2, graph, lossScale: 'sum', fitIntercept: false, tol, ...(base ? { solver: 'fista' as const, maxIter: cap } : {}),
    });
    const gs = (f: Fit) => (f as unknown as { certificateScale: number }).certificateScale;
    for (const tol of [1e-6, 1e-10]) cases.push({ problem: 'graph School ρ₂=0', data: school, tol, run: g(0), scale: gs });
    cases.push({ problem: 'graph School ρ₂=2000', data: school, tol: 1e-8, run: g(2000), scale: gs });
    for (const tol of [1e-6, 1e-10]) {
      cases.push({
        problem: 'clustered School k=3 ρ₁=0.1 ρ₂=0.01', data: school, tol,
        run: (D, tol, base) => clusteredConvex(D, { rho1: 0.1, rho2: 0.01, k: 3, tol, ...(base ? { solver: 'fista' as const, maxIter: cap } : {}) }),
        scale: (f) => (f as unknown as { certificateScale: number }).certificateScale,
      });
    }
    nonConvex('School', school);
  }
  const synth = lowRankProblem({ d: 100, T: 50, r: 3, n: 40, seed: 1, noise: 0.1 }).data;
  for (const tol of [1e-6, 1e-10]) {
    cases.push({
      problem: 'convex ASO d=100 T=50 n_t=40', data: synth, tol,
      run: (D, tol, base) => asoConvex(D, { rho1: 100, rho2: 1, h: 3, lossScale: 'sum', tol, ...(base ? { solver: 'fista' as const, maxIter: cap } : {}) }),
      scale: gradScale,
    });
  }
  cases.push({
    problem: 'clustered d=100 T=50 n_t=40 k=3', data: synth, tol: 1e-6,
    run: (D, tol, base) => clusteredConvex(D, { rho1: 100, rho2: 1, k: 3, lossScale: 'sum', tol, ...(base ? { solver: 'fista' as const, maxIter: cap } : {}) }),
    scale: (f) => (f as unknown as { certificateScale: number }).certificateScale,
  });
  nonConvex('synthetic d=100 T=50 n_t=40', synth);
  const ratios: { problem: string; tol: number; speedup: number; baselineConverged: string }[] = [];
  for (const c of cases) {
    c.run(c.data, c.tol, false); // JIT warm-up on the shared object
    const times: number[] = [];
    let last: Fit | null = null, baseRes: { seconds: number; fit: Fit } | null = null;
    for (let r = 0; r < reps; r++) {
      const t = timed(() => c.run(fresh(c.data), c.tol, false));
      times.push(t.seconds);
      last = t.fit;
      if (r === 0) baseRes = timed(() => c.run(fresh(c.data), c.tol, true)); // alternate with the baseline
    }
    const scaleOf = c.scale;
    const sec = median(times);
    rows.push({ problem: c.problem, solver: c.newName ?? 'structured', tol: c.tol, seconds: sec, iterations: last!.iterations, certRel: last!.certificate / scaleOf(last!), converged: String(last!.converged), objective: last!.objective });
    const b = baseRes!;
    rows.push({ problem: c.problem, solver: c.baseName ?? `fista (cap ${cap})`, tol: c.tol, seconds: b.seconds, iterations: b.fit.iterations, certRel: b.fit.certificate / scaleOf(b.fit), converged: String(b.fit.converged), objective: b.fit.objective });
    ratios.push({ problem: c.problem, tol: c.tol, speedup: b.seconds / sec, baselineConverged: String(b.fit.converged) });
    console.log(JSON.stringify(rows.slice(-2))); // progress: the two rows of this case
  }
  printTable('Task relations and non-convex models: new solvers vs the previous ones (same run; machine shared with other jobs)', rows as unknown as Record<string, string | number>[]);
  printTable('Speed-up (baseline seconds / new seconds; a capped baseline that did not converge is a lower bound)', ratios as unknown as Record<string, string | number>[]);
  const payload = { date: new Date().toISOString(), quick, node: process.version, reps, cap, rows, ratios };
  console.log(`\nwrote ${writeJson('taskRelationsSolvers', payload)}`);
  return payload;
}

if (isMain(import.meta.url)) main();
