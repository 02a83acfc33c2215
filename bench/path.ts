/**
 * Regularisation-path benchmark: a 50-point L1/L2 group-lasso path from λ_max down to 0.01·λ_max
 * (tol 1e-6) on a seeded shared-design problem, computed (a) by `path` with warm starts and
 * the solver's gap-safe screening (the default), (b) by `path` with sequential strong rules and a KKT
 * check, (c) as 50 cold fits on one data object, (d) as independent cold fits (each on its own copy of
 * the data), and (e) by scikit-learn's enet_path on the same data when /usr/bin/python3 has sklearn.
 * Prints a table and writes bench/results/path.json.
 *
 * Usage: node build/bench/path.js [--n 20000] [--d 500] [--T 50] [--k 20] [--points 50] [--cold-every 1]
 *   --cold-every m: time only every m-th independent cold fit and scale the sum by m (default 10).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiTaskData, groupLasso, groupLassoLambdaMax } from '../src/index.js';
import { path } from '../src/selection/path.js';
import { sharedProblem } from '../test/helpers/random.js';
import { printTable, writeJson } from './util.js';

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= argv.length) return def;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`--${name}: expected a positive number, got ${argv[i + 1]}`);
  return v;
}

/**
 * Runs the benchmark.
 * @param argv - command-line arguments
 * @returns the JSON payload
 * @example
 * ```ts
 * main(['--n', '5000']);
 * ```
 * @see {@link path}
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const n = arg(argv, 'n', 20000), d = arg(argv, 'd', 500), T = arg(argv, 'T', 50), k = arg(argv, 'k', 20);
  const points = arg(argv, 'points', 50), coldEvery = arg(argv, 'cold-every', 10);
  const tol = 1e-6, ratio = 0.01;
  // JIT warm-up on a small problem so that the first method timed is not penalised
  const small = sharedProblem(500, 50, 5, 5, 1).data;
  path(small, groupLasso, { nLambdas: 10, lambdaMinRatio: ratio }, { tol });
  path(small, groupLasso, { nLambdas: 10, lambdaMinRatio: ratio, strongRules: false }, { tol });
  for (let i = 0; i < 5; i++) groupLasso(small, { lambda: 0.1 * groupLassoLambdaMax(small), tol });
  const t0 = performance.now();
  const { data } = sharedProblem(n, d, T, k, 2024);
  const genSeconds = (performance.now() - t0) / 1000;
  // every method starts from its own copy of the data, so none profits from another's cached XᵀY / Gram columns
  const fresh = (): MultiTaskData => MultiTaskData.fromShared({ rows: n, cols: d, data: data.X! }, { rows: n, cols: T, data: data.Y! });
  const opts = { q: 2, tol, fitIntercept: false };
  const lmax = groupLassoLambdaMax(data, opts);

  const warm = path(fresh(), groupLasso, { nLambdas: points, lambdaMinRatio: ratio, strongRules: false }, opts);
  const strong = path(fresh(), groupLasso, { nLambdas: points, lambdaMinRatio: ratio }, opts);
  // cold fits on one data object (they share its cached XᵀY and Gram columns, as repeated user calls do)
  const shared = fresh();
  let coldSharedSeconds = 0, coldIters = 0, maxRelDiff = 0;
  for (let i = 0; i < points; i++) {
    const c0 = performance.now();
    const fit = groupLasso(shared, { lambda: warm.points[i]!.lambda, ...opts });
    coldSharedSeconds += (performance.now() - c0) / 1000;
    coldIters += fit.iterations;
    maxRelDiff = Math.max(maxRelDiff, Math.abs(warm.points[i]!.objective - fit.objective) / fit.objective);
  }
  // independent cold fits, each on its own data object (nothing reused): every coldEvery-th, scaled
  let coldFreshSeconds = 0, coldFreshTimed = 0;
  for (let i = 0; i < points; i += coldEvery) {
    const D = fresh();
    const c0 = performance.now();
    groupLasso(D, { lambda: warm.points[i]!.lambda, ...opts });
    coldFreshSeconds += (performance.now() - c0) / 1000;
    coldFreshTimed++;
  }
  const coldFreshEstimate = coldFreshSeconds * (points / coldFreshTimed);
  const sk = sklearnPath(data, points, ratio);
  const sum = (xs: readonly { iterations: number }[]) => xs.reduce((a, p) => a + p.iterations, 0);
  const rows: Record<string, string | number>[] = [
    { method: 'path: warm starts + gap-safe screening (default)', seconds: warm.time, iterations: sum(warm.points), 'vs independent cold': coldFreshEstimate / warm.time },
    { method: 'path: warm starts + strong rules + KKT check', seconds: strong.time, iterations: sum(strong.points), 'vs independent cold': coldFreshEstimate / strong.time },
    { method: 'cold fits, one data object (cache shared)', seconds: coldSharedSeconds, iterations: coldIters, 'vs independent cold': coldFreshEstimate / coldSharedSeconds },
    { method: `independent cold fits (every ${coldEvery}th timed, ×${coldEvery})`, seconds: coldFreshEstimate, iterations: NaN, 'vs independent cold': 1 },
  ];
  if (sk) rows.push({ method: 'scikit-learn enet_path (l1_ratio=1, tol=1e-6, warm starts)', seconds: sk.seconds, iterations: NaN, 'vs independent cold': coldFreshEstimate / sk.seconds });
  printTable(`group lasso L1/L2 path: n=${n} d=${d} T=${T} k=${k}, ${points} points to ${ratio}·λ_max, tol ${tol}, no intercept`, rows);
  if (sk) console.log(`scikit-learn / mtlearn path (default) time ratio in this run: ${(sk.seconds / warm.time).toFixed(2)}`);
  else console.log('scikit-learn not found at /usr/bin/python3 (apt-get install -y python3-sklearn): no side-by-side');
  printTable('path points (every 5th, default path)', warm.points.filter((_, i) => i % 5 === 0 || i === points - 1).map((p, i) => ({
    'λ/λmax': p.lambda / lmax, nonzeroRows: p.nonzeroRows, screened: p.screened,
    strongDiscarded: strong.points[i * 5 < points ? i * 5 : points - 1]!.discarded,
    iterations: p.iterations, gap: p.certificate, seconds: p.time,
  })));
  console.log(`max relative objective difference path vs cold: ${maxRelDiff.toExponential(2)}; data generation ${genSeconds.toFixed(1)} s`);
  const payload = {
    problem: { n, d, T, k, seed: 2024, points, lambdaMinRatio: ratio, tol, q: 2, lambdaMax: lmax, fitIntercept: false },
    seconds: {
      pathGapSafe: warm.time, pathStrongRules: strong.time, coldShared: coldSharedSeconds,
      coldIndependentEstimate: coldFreshEstimate, coldIndependentTimed: coldFreshTimed, sklearnEnetPath: sk ? sk.seconds : null,
    },
    maxRelativeObjectiveDifference: maxRelDiff,
    totals: {
      strongDiscarded: strong.points.reduce((a, p) => a + p.discarded, 0),
      kktViolations: strong.points.reduce((a, p) => a + p.kktViolations, 0),
      gapSafeScreened: warm.points.reduce((a, p) => a + p.screened, 0),
    },
    points: warm.points.map((p, i) => ({
      lambda: p.lambda, nonzeroRows: p.nonzeroRows, screened: p.screened, strongDiscarded: strong.points[i]!.discarded,
      kktViolations: strong.points[i]!.kktViolations, iterations: p.iterations, gap: p.certificate, objective: p.objective,
      seconds: p.time, strongRulesSeconds: strong.points[i]!.time,
    })),
    node: process.version,
  };
  const out = writeJson('path', payload);
  console.log(`wrote ${out}`);
  return payload;
}

/** scikit-learn's enet_path on the same data (l1_ratio = 1: the multi-task lasso path), or null. */
function sklearnPath(data: MultiTaskData, points: number, ratio: number): { seconds: number } | null {
  const PY = '/usr/bin/python3';
  if (!existsSync(PY) || spawnSync(PY, ['-c', 'import sklearn']).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'mtlearn-path-'));
  try {
    writeFileSync(join(dir, 'X.bin'), Buffer.from(data.X!.buffer, data.X!.byteOffset, data.X!.byteLength));
    writeFileSync(join(dir, 'Y.bin'), Buffer.from(data.Y!.buffer, data.Y!.byteOffset, data.Y!.byteLength));
    const script = `
import json, time, sys, numpy as np
from sklearn.linear_model import enet_path
n, d, T = ${data.n}, ${data.d}, ${data.T}
X = np.asfortranarray(np.fromfile(sys.argv[1] + '/X.bin', dtype='<f8').reshape(n, d))
Y = np.fromfile(sys.argv[1] + '/Y.bin', dtype='<f8').reshape(n, T)
t0 = time.perf_counter()
enet_path(X, Y, l1_ratio=1.0, eps=${ratio}, n_alphas=${points}, tol=1e-6, max_iter=100000)
print(json.dumps({"seconds": time.perf_counter() - t0}))
`;
    const r = spawnSync(PY, ['-c', script, dir], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
