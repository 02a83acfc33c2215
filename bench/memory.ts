/**
 * Peak memory of a fit per problem size (issue #13 item 8): for each size a fresh child process
 * allocates the caller's X (n×d) and Y (n×T), records its resident set, then builds the data object
 * and fits (a group lasso at 0.1·λ_max, or a 3-fold cross-validation over 3 grid points with 1 or 2
 * worker threads) and reports its peak resident set (`process.resourceUsage().maxRSS`). The table
 * gives the peak beyond the caller's arrays as a multiple of their size (8·n·(d + T) bytes).
 * Prints a table and writes bench/results/memory.json.
 *
 * Usage: node build/bench/memory.js [--sizes 20000x100x10,100000x200x20]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MultiTaskData, groupLasso, groupLassoLambdaMax, crossValidate } from '../src/index.js';
import { isMain, printTable, writeJson } from './util.js';

interface ChildResult { baseRss: number; peakRss: number; seconds: number }

async function child(n: number, d: number, T: number, mode: string): Promise<ChildResult> {
  // the caller's arrays (a seeded pseudo-random fill, no extra copies)
  const X = new Float64Array(n * d), Y = new Float64Array(n * T);
  let s = 12345;
  for (let i = 0; i < X.length; i++) { s = (Math.imul(s, 1103515245) + 12345) | 0; X[i] = ((s >>> 8) / 16777216) - 0.5; }
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) Y[i * T + t] = X[i * d + (t % d)]! + 0.1 * X[i * d + ((t + 1) % d)]!;
  globalThis.gc?.();
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const data = MultiTaskData.fromShared({ rows: n, cols: d, data: X }, { rows: n, cols: T, data: Y });
  const lmax = groupLassoLambdaMax(data);
  if (mode === 'fit') groupLasso(data, { lambda: 0.1 * lmax, maxIter: 200 });
  else await crossValidate(data, groupLasso, { folds: 3, grid: [0.5 * lmax, 0.2 * lmax, 0.1 * lmax], workers: mode === 'cv2' ? 2 : 1, refit: false }, { maxIter: 200 });
  return { baseRss, peakRss: process.resourceUsage().maxRSS * 1024, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Runs the benchmark (or, with `--child n d T mode`, one measurement).
 * @param argv - command-line arguments
 * @returns the JSON payload
 * @example
 * ```ts
 * await main(['--sizes', '20000x100x10']);
 * ```
 * @see {@link MultiTaskData}
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<unknown> {
  if (argv[0] === '--child') {
    const r = await child(Number(argv[1]), Number(argv[2]), Number(argv[3]), argv[4]!);
    process.stdout.write(JSON.stringify(r));
    return r;
  }
  const i = argv.indexOf('--sizes');
  const sizes = (i >= 0 ? argv[i + 1]! : '20000x100x10,100000x100x20,200000x200x20').split(',').map((x) => x.split('x').map(Number) as [number, number, number]);
  const self = fileURLToPath(import.meta.url);
  const rows: Record<string, string | number>[] = [];
  const out: unknown[] = [];
  for (const [n, d, T] of sizes) {
    const bytes = 8 * n * (d + T);
    for (const mode of ['fit', 'cv1', 'cv2']) {
      const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', String(n), String(d), String(T), mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) { console.log(`${n}×${d}×${T} ${mode}: child failed (${r.status}): ${r.stderr.slice(0, 300)}`); continue; }
      const c = JSON.parse(r.stdout) as ChildResult;
      const beyond = (c.peakRss - c.baseRss) / bytes;
      rows.push({
        'n×d×T': `${n}×${d}×${T}`, run: mode === 'fit' ? 'group lasso fit' : `3-fold CV, workers ${mode === 'cv2' ? 2 : 1}`,
        'X+Y MB': bytes / 2 ** 20, 'peak beyond caller MB': (c.peakRss - c.baseRss) / 2 ** 20, '× size of X+Y': beyond, seconds: c.seconds,
      });
      out.push({ n, d, T, mode, bytes, ...c, beyondRatio: beyond });
    }
  }
  printTable('peak resident memory beyond the caller\'s X and Y (maxRSS − RSS after allocating them), one child process per run', rows);
  const payload = { results: out };
  writeJson('memory', payload);
  return payload;
}

if (isMain(import.meta.url)) void main();
