/**
 * Strong rules on or off by default? Times `path` (group lasso L1/L2, 30 points from λ_max down to
 * 0.01·λ_max, tol 1e-6) with `strongRules: true` and `false`, alternating the two (each run on a fresh
 * data object, so neither profits from the other's cached XᵀY / Gram columns) and reporting medians and
 * the same-run ratio, on three shapes: n ≫ d shared design, d > n shared design, per-task designs.
 * Prints a table and writes bench/results/strongRules.json.
 *
 * Usage: node build/bench/strongRules.js [--reps 3]
 */
import { MultiTaskData, groupLasso } from '../src/index.js';
import { path } from '../src/selection/path.js';
import { sharedProblem, perTaskProblem } from '../test/helpers/random.js';
import { isMain, median, printTable, writeJson } from './util.js';

interface Shape { name: string; make: () => MultiTaskData }

function copyOf(data: MultiTaskData): () => MultiTaskData {
  if (data.kind === 'shared') return () => MultiTaskData.fromShared({ rows: data.n, cols: data.d, data: data.X! }, { rows: data.n, cols: data.T, data: data.Y! });
  return () => MultiTaskData.fromTasks(data.tasks.map((v) => ({ X: { rows: v.n, cols: data.d, data: v.X }, y: v.y })));
}

/**
 * Runs the benchmark.
 * @param argv - command-line arguments
 * @returns the JSON payload
 * @example
 * ```ts
 * main(['--reps', '5']);
 * ```
 * @see {@link path}
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const i = argv.indexOf('--reps');
  const reps = i >= 0 ? Number(argv[i + 1]) : 3;
  const shapes: Shape[] = [
    { name: 'shared n=5000 d=500 T=20', make: copyOf(sharedProblem(5000, 500, 20, 15, 11).data) },
    { name: 'shared n=500 d=3000 T=10', make: copyOf(sharedProblem(500, 3000, 10, 15, 12).data) },
    { name: 'per-task 10×300, d=1000', make: copyOf(perTaskProblem(Array.from({ length: 10 }, () => 300), 1000, 15, 13).data) },
  ];
  const small = sharedProblem(300, 60, 4, 5, 1).data;
  for (const s of [true, false]) path(small, groupLasso, { nLambdas: 10, lambdaMinRatio: 0.01, strongRules: s }, { tol: 1e-6 });
  const rows: Record<string, string | number>[] = [];
  const out: Record<string, unknown>[] = [];
  for (const shape of shapes) {
    const on: number[] = [], off: number[] = [];
    let discarded = 0, violations = 0, maxDiff = 0;
    for (let r = 0; r < reps; r++) {
      for (const strongRules of r % 2 === 0 ? [true, false] : [false, true]) {
        const p = path(shape.make(), groupLasso, { nLambdas: 30, lambdaMinRatio: 0.01, strongRules }, { q: 2, tol: 1e-6 });
        (strongRules ? on : off).push(p.time);
        if (strongRules) {
          discarded = p.points.reduce((a, q) => a + q.discarded, 0);
          violations = p.points.reduce((a, q) => a + q.kktViolations, 0);
        }
        maxDiff = Math.max(maxDiff, ...p.points.map((q) => q.certificate));
      }
    }
    const mOn = median(on), mOff = median(off);
    rows.push({ problem: shape.name, 'strong rules s': mOn, 'gap-safe only s': mOff, 'off/on': mOff / mOn, discarded, kktViolations: violations });
    out.push({ problem: shape.name, strongRules: on, gapSafeOnly: off, medianRatioOffOverOn: mOff / mOn, discarded, kktViolations: violations, maxGap: maxDiff });
  }
  printTable(`path with and without sequential strong rules (30 points to 0.01·λ_max, tol 1e-6; medians of ${reps} alternating runs)`, rows);
  const payload = { reps, results: out };
  writeJson('strongRules', payload);
  return payload;
}

if (isMain(import.meta.url)) main();
