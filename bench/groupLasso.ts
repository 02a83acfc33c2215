/**
 * Group-lasso benchmark: time to certificate (duality gap ≤ 1e-6 · F(0)) for FISTA, BCD and 'auto'
 * on seeded shared-design problems and on School, plus scikit-learn's MultiTaskLasso on the same
 * data in the same run when Debian's python3-sklearn is installed (/usr/bin/python3).
 *
 * Usage: node build/bench/groupLasso.js [--quick]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiTaskData, groupLasso, groupLassoLambdaMax } from '../src/index.js';
import { sharedProblem } from '../test/helpers/random.js';
import { loadSchool } from './schoolData.js';
import { isMain, median, printTable, writeJson } from './util.js';

const PY = '/usr/bin/python3';

function sklearnAvailable(): boolean {
  if (!existsSync(PY)) return false;
  const r = spawnSync(PY, ['-c', 'import sklearn'], { encoding: 'utf8' });
  return r.status === 0;
}

/**
 * Runs scikit-learn's MultiTaskLasso (fit_intercept=False, tol=1e-6) on the same X, Y; returns the
 * median seconds of 3 fits and its primal objective in our 'mean' scaling.
 */
function sklearnTime(data: MultiTaskData, alpha: number): { seconds: number; objective: number; iters: number } | null {
  const dir = mkdtempSync(join(tmpdir(), 'mtlearn-bench-'));
  try {
    writeFileSync(join(dir, 'X.bin'), Buffer.from(data.X!.buffer, data.X!.byteOffset, data.X!.byteLength));
    writeFileSync(join(dir, 'Y.bin'), Buffer.from(data.Y!.buffer, data.Y!.byteOffset, data.Y!.byteLength));
    const script = `
import json, time, sys, numpy as np
from sklearn.linear_model import MultiTaskLasso
n, d, T, alpha = ${data.n}, ${data.d}, ${data.T}, ${alpha}
X = np.fromfile(sys.argv[1] + '/X.bin', dtype='<f8').reshape(n, d)
Y = np.fromfile(sys.argv[1] + '/Y.bin', dtype='<f8').reshape(n, T)
X = np.asfortranarray(X)
times = []
for _ in range(3):
    m = MultiTaskLasso(alpha=alpha, fit_intercept=False, tol=1e-6, max_iter=100000)
    t0 = time.perf_counter(); m.fit(X, Y); times.append(time.perf_counter() - t0)
W = m.coef_.T
R = Y - X @ W
obj = 0.5 / n * (R ** 2).sum() + alpha * np.sqrt((W ** 2).sum(axis=1)).sum()
print(json.dumps({"seconds": sorted(times)[1], "objective": float(obj), "iters": int(m.n_iter_)}))
`;
    const r = spawnSync(PY, ['-c', script, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) return null;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; objective: number; iters: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Row {
  problem: string; ratio: number; solver: string; seconds: number; gapRel: number; iters: number; nnzRows: number; converged: string;
}

/** A copy of the data: a new object, so no fit profits from the per-data cache of another. */
function fresh(data: MultiTaskData): MultiTaskData {
  if (data.kind === 'shared') {
    return MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: data.T, data: data.Y! });
  }
  return MultiTaskData.fromTasks(data.tasks.map((t) => ({ X: { rows: t.n, cols: data.d, data: t.X }, y: t.y })));
}

function timeFit(data: MultiTaskData, lambda: number, solver: 'fista' | 'bcd' | 'auto', fitIntercept: boolean, reps: number) {
  const times: number[] = [];
  // warm-up (JIT: several calls on small problems, where compilation would dominate) on copies, then
  // each timed fit on its own copy: the time includes XᵀY and the Gram columns
  const warmups = data.totalSize * data.d <= 5e6 ? 5 : 1;
  let fit = groupLasso(fresh(data), { lambda, q: 2, solver, tol: 1e-6, fitIntercept, maxIter: 20000 });
  for (let w = 1; w < warmups; w++) fit = groupLasso(fresh(data), { lambda, q: 2, solver, tol: 1e-6, fitIntercept, maxIter: 20000 });
  for (let r = 0; r < reps; r++) {
    const D = fresh(data);
    const t0 = performance.now();
    fit = groupLasso(D, { lambda, q: 2, solver, tol: 1e-6, fitIntercept, maxIter: 20000 });
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), fit };
}

export function main(argv: string[] = process.argv.slice(2)): unknown {
  const quick = argv.includes('--quick');
  const withSk = sklearnAvailable();
  const shapes: [number, number, number][] = quick
    ? [[1000, 100, 10], [20000, 500, 50]]
    : [[1000, 100, 10], [5000, 200, 20], [5000, 1000, 50], [20000, 500, 50], [20000, 100, 100]];
  const rows: Row[] = [];
  const sk: Record<string, unknown>[] = [];
  for (const [n, d, T] of shapes) {
    const { data } = sharedProblem(n, d, T, 10, 1234 + n + d + T, 1, 0);
    const lmax = groupLassoLambdaMax(data, { q: 2, fitIntercept: false });
    for (const ratio of [0.1, 0.01]) {
      const lambda = ratio * lmax;
      const name = `n=${n} d=${d} T=${T}`;
      const solvers: ('auto' | 'bcd' | 'fista')[] = n * d * T > 2e8 && ratio === 0.01 ? ['auto'] : ['auto', 'bcd', 'fista'];
      let autoSeconds = NaN, autoObj = NaN;
      for (const solver of solvers) {
        if (solver === 'bcd') continue; // 'auto' is 'bcd' on these shapes; timed once
        const reps = n * d * T > 1e8 ? 3 : 5;
        const { seconds, fit } = timeFit(data, lambda, solver, false, solver === 'fista' && n * d * T > 1e8 ? 1 : reps);
        if (solver === 'auto') { autoSeconds = seconds; autoObj = fit.objective; }
        rows.push({
          problem: name, ratio, solver, seconds, gapRel: fit.gap / fit.objectiveAtZero, iters: fit.iterations,
          nnzRows: fit.nonzeroRows, converged: String(fit.converged),
        });
      }
      if (withSk && (ratio === 0.1 || n * d * T <= 2e7)) {
        const s = sklearnTime(data, lambda);
        if (s) {
          sk.push({
            problem: name, ratio, sklearnSeconds: s.seconds, mtlearnAutoSeconds: autoSeconds,
            speedup: s.seconds / autoSeconds, sklearnIters: s.iters,
            objectiveRelDiff: (s.objective - autoObj) / Math.abs(autoObj),
          });
        }
      }
    }
  }
  const school = loadSchool();
  if (school) {
    for (const ratio of [0.1, 0.01]) {
      const lmax = groupLassoLambdaMax(school, { q: 2 });
      for (const solver of ['auto', 'fista'] as const) {
        const { seconds, fit } = timeFit(school, ratio * lmax, solver, true, solver === 'fista' ? 1 : 3);
        rows.push({
          problem: 'School (139 tasks)', ratio, solver, seconds, gapRel: fit.gap / fit.objectiveAtZero, iters: fit.iterations,
          nnzRows: fit.nonzeroRows, converged: String(fit.converged),
        });
      }
    }
  } else {
    console.log('School data not found (../shared/data/school/school.csv): skipping School rows');
  }
  printTable('Group lasso L1/L2, time to certificate (gap ≤ 1e-6·F(0)); median seconds', rows as unknown as Record<string, string | number>[]);
  if (withSk) {
    printTable('Side by side with scikit-learn MultiTaskLasso (tol=1e-6, fit_intercept=False, same data, same run)', sk as Record<string, string | number>[]);
  } else {
    console.log('\nscikit-learn not found at /usr/bin/python3 (apt-get install -y python3-sklearn): skipping the side-by-side');
  }
  const out = { date: new Date().toISOString(), rows, sklearn: sk };
  writeJson('groupLasso', out);
  return out;
}

if (isMain(import.meta.url)) main();
