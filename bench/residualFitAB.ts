/**
 * Same-run A/B timing of group-lasso fits on shared designs (issue #13 item 8: the residual backend
 * without a feature-major copy of X must be no slower): for each size, child processes of the old and
 * the new build alternate (old, new, old, new, …), each building a fresh data object (the data of
 * bench/memory.ts) and fitting at 0.1·λ_max; the table gives the median wall and CPU seconds (data
 * object and fit) of each side, their ratios new/old, and the relative difference of the objectives.
 * Prints a table and writes bench/results/residualFitAB.json.
 *
 * With a fourth number (n×d×T×ratio) a size is a cell of bench/groupLassoGrid.ts instead (its problem, no
 * intercept, tol 1e-6, λ = ratio·λ_max): each child warms up with 20 fits and reports the median of 5.
 *
 * Usage: node build/bench/residualFitAB.js --old /work/wt/base/build [--sizes 8000x1100x5,20000x2000x5,200x500x5x0.1] [--reps 3]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { isMain, printTable, writeJson } from './util.js';

interface ChildResult { seconds: number; cpuSeconds: number; objective: number; converged: boolean }

/**
 * A cell of bench/groupLassoGrid.ts (its problem and options: no intercept, tol 1e-6): 20 warm-up fits,
 * then the median of 5 timed fits, each on a fresh data object.
 */
async function gridChild(build: string, n: number, d: number, T: number, ratio: number): Promise<ChildResult> {
  const lib = (await import(pathToFileURL(join(build, 'src/index.js')).href)) as typeof import('../src/index.js');
  const { sharedProblem } = await import('../test/helpers/random.js');
  const data = sharedProblem(n, d, T, Math.max(1, Math.round(d / 10)), 1000 + n + d + T, 1, 0).data;
  const fresh = () => lib.MultiTaskData.fromShared({ rows: n, cols: d, data: data.X! }, { rows: n, cols: T, data: data.Y! });
  const opts = { lambda: ratio * lib.groupLassoLambdaMax(fresh(), { q: 2, fitIntercept: false }), q: 2 as const, fitIntercept: false, tol: 1e-6, maxIter: 100000 };
  for (let r = 0; r < 20; r++) lib.groupLasso(fresh(), opts);
  const wall: number[] = [], cpu: number[] = [];
  let fit = lib.groupLasso(fresh(), opts);
  for (let r = 0; r < 5; r++) {
    const D = fresh();
    const t0 = performance.now(), c0 = process.cpuUsage();
    fit = lib.groupLasso(D, opts);
    const c = process.cpuUsage(c0);
    wall.push((performance.now() - t0) / 1000);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { seconds: median(wall), cpuSeconds: median(cpu), objective: fit.objective, converged: fit.converged };
}

async function child(build: string, n: number, d: number, T: number): Promise<ChildResult> {
  const lib = (await import(pathToFileURL(join(build, 'src/index.js')).href)) as typeof import('../src/index.js');
  const X = new Float64Array(n * d), Y = new Float64Array(n * T);
  let s = 12345;
  for (let i = 0; i < X.length; i++) { s = (Math.imul(s, 1103515245) + 12345) | 0; X[i] = ((s >>> 8) / 16777216) - 0.5; }
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) Y[i * T + t] = X[i * d + (t % d)]! + 0.1 * X[i * d + ((t + 1) % d)]!;
  const t0 = performance.now(), c0 = process.cpuUsage();
  const data = lib.MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
  const fit = lib.groupLasso(data, { lambda: 0.1 * lib.groupLassoLambdaMax(data), maxIter: 200 });
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, objective: fit.objective, converged: fit.converged };
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Runs the benchmark (or, with `--child build n d T`, one fit).
 * @param argv - command-line arguments
 * @returns the JSON payload
 * @example
 * ```ts
 * await main(['--old', '/work/wt/base/build', '--sizes', '8000x1100x5']);
 * ```
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<unknown> {
  if (argv[0] === '--child') {
    const r = argv[5] !== undefined
      ? await gridChild(argv[1]!, Number(argv[2]), Number(argv[3]), Number(argv[4]), Number(argv[5]))
      : await child(argv[1]!, Number(argv[2]), Number(argv[3]), Number(argv[4]));
    process.stdout.write(JSON.stringify(r));
    return r;
  }
  const arg = (k: string, def: string): string => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1]! : def; };
  const self = fileURLToPath(import.meta.url);
  const builds = { old: resolve(arg('--old', '/work/wt/base/build')), new: resolve(self, '../..') };
  // n×d×T, or n×d×T×ratio for a cell of bench/groupLassoGrid.ts (no intercept, λ = ratio·λ_max)
  const sizes = arg('--sizes', '8000x1100x5,20000x2000x5').split(',').map((x) => x.split('x').map(Number) as [number, number, number, number?]);
  const reps = Number(arg('--reps', '3'));
  const rows: Record<string, string | number>[] = [];
  const out: unknown[] = [];
  for (const [n, d, T, ratio] of sizes) {
    const res: Record<'old' | 'new', ChildResult[]> = { old: [], new: [] };
    for (let r = 0; r < reps; r++) {
      for (const side of ['old', 'new'] as const) {
        const p = spawnSync(process.execPath, [self, '--child', builds[side], String(n), String(d), String(T), ...(ratio === undefined ? [] : [String(ratio)])], { encoding: 'utf8' });
        if (p.status !== 0) throw new Error(`${side} ${n}×${d}×${T}: child failed (${p.status}): ${p.stderr.slice(0, 400)}`);
        res[side].push(JSON.parse(p.stdout) as ChildResult);
      }
    }
    const mo = median(res.old.map((c) => c.seconds)), mn = median(res.new.map((c) => c.seconds));
    const co = median(res.old.map((c) => c.cpuSeconds)), cn = median(res.new.map((c) => c.cpuSeconds));
    const fo = res.old[0]!.objective, fn = res.new[0]!.objective;
    rows.push({
      'n×d×T': `${n}×${d}×${T}${ratio === undefined ? '' : ` at ${ratio}·λmax`}`, 'old s': mo, 'new s': mn, 'new/old': mn / mo, 'old CPU s': co, 'new CPU s': cn, 'CPU new/old': cn / co,
      '|Δ objective| / objective': Math.abs(fn - fo) / Math.abs(fo), converged: `${res.old[0]!.converged}/${res.new[0]!.converged}`,
    });
    out.push({ n, d, T, lambdaRatio: ratio ?? 0.1, old: res.old, new: res.new, ratio: mn / mo, cpuRatio: cn / co });
  }
  printTable(`group lasso at 0.1·λ_max, ${reps} alternating child processes per side, medians (shared machine: same-run ratios only)`, rows);
  const payload = { builds, results: out };
  writeJson('residualFitAB', payload);
  return payload;
}

if (isMain(import.meta.url)) void main();
