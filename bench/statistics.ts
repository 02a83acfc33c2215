/**
 * Sufficient statistics at scale: streaming throughput of a long CSV (MB/s, rows/s) and peak RSS for
 * 1e5 and 1e6 rows (and 1e7 with `--full`), d = 50, T = 100; DuckDB's query time for the same
 * statistics on the same file beside it (when the optional @duckdb/node-api is installed).
 * Each measurement runs in a child process so its peak RSS is its own. The baseline `csv-parse`
 * column is the earlier reader (bench/legacy/statisticsStreamCsvParse.ts), run alternately with the
 * current one in the same run (medians of 3 at 1e5 rows, one run each above).
 *
 * `node build/bench/statistics.js [--full | --sizes 10000000] [--no-baseline]` (`--sizes`: those files only,
 * no fit comparison, JSON `statistics-<sizes>.json`; a 1e7-row file can be made from ten copies of the 1e6 one)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streamStatistics } from '../src/io/statisticsStream.js';
import { streamStatisticsCsvParse } from './legacy/statisticsStreamCsvParse.js';
import { statisticsSql, statisticsFromRows } from '../src/data/statisticsSql.js';
import { isMain, median, printTable, timeIt, writeJson } from './util.js';
import { MultiTaskData } from '../src/data/MultiTaskData.js';
import { statisticsOf } from '../src/data/statisticsOf.js';
import { groupLasso, groupLassoLambdaMax } from '../src/models/groupLasso.js';
import { perTaskProblem } from '../test/helpers/random.js';

const D = 50;
const T = 100;

/** Writes a seeded long CSV (task,y,x1..x50; 3-decimal values) of n rows, unless it exists. */
async function generate(n: number): Promise<string> {
  const file = join(tmpdir(), `mtlearn-bench-stats-${n}.csv`);
  if (existsSync(file)) return file;
  const out = createWriteStream(file + '.tmp');
  let s = 12345;
  const rand = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  out.write(['task', 'y', ...Array.from({ length: D }, (_, j) => `x${j + 1}`)].join(',') + '\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    let y = 0;
    let line = `${i % T},`;
    const xs: string[] = [];
    for (let j = 0; j < D; j++) {
      const x = Math.round((rand() * 2 - 1) * 1000) / 1000;
      if (j < 5) y += x * (1 + (i % T) / T);
      xs.push(String(x));
    }
    line += (y + rand() - 0.5).toFixed(3) + ',' + xs.join(',') + '\n';
    buf += line;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(r));
  const { renameSync } = await import('node:fs');
  renameSync(file + '.tmp', file);
  return file;
}

interface ChildResult { seconds: number; rows: number; maxRssMB: number; tasks: number }

/** The child: one measurement, printed as JSON. */
async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  let rows = 0, tasks = 0;
  if (mode === 'stream' || mode === 'csv-parse') {
    const s = await (mode === 'stream' ? streamStatistics : streamStatisticsCsvParse)(file, { chunkRows: 4096 });
    for (let t = 0; t < s.T; t++) rows += s.n[t]!;
    tasks = s.T;
  } else {
    const duck = await import('@duckdb/node-api');
    const inst = await duck.DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const features = Array.from({ length: D }, (_, j) => `x${j + 1}`);
    const reader = await con.runAndReadAll(statisticsSql({ task: 'task', y: 'y', features }, { table: `read_csv('${file}', header = true)` }));
    const s = statisticsFromRows(reader.getRowObjects() as Record<string, unknown>[], features);
    for (let t = 0; t < s.T; t++) rows += s.n[t]!;
    tasks = s.T;
  }
  const seconds = (performance.now() - t0) / 1000;
  const res: ChildResult = { seconds, rows, tasks, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(res));
}

function measure(mode: string, file: string): ChildResult | null {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout) as ChildResult;
}

/** The benchmark. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const sizesAt = argv.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? argv[sizesAt + 1]!.split(',').map(Number) : argv.includes('--full') ? [1e5, 1e6, 1e7] : [1e5, 1e6];
  const fitToo = sizesAt < 0;
  let haveDuck = true;
  try { await import('@duckdb/node-api'); } catch { haveDuck = false; }
  if (!haveDuck) console.log('DuckDB column skipped: @duckdb/node-api (optional dependency) is not installed');
  const rows: Record<string, string | number>[] = [];
  for (const n of sizes) {
    const file = await generate(n);
    const mb = statSync(file).size / 2 ** 20;
    // alternate the two readers; medians
    const reps = n <= 1e5 ? 3 : 1;
    const cur: ChildResult[] = [], old: ChildResult[] = [];
    for (let r = 0; r < reps; r++) {
      const a = measure('stream', file); if (a) cur.push(a);
      if (n <= 1e6 && !argv.includes('--no-baseline')) { const b = measure('csv-parse', file); if (b) old.push(b); }
    }
    const med = (xs: ChildResult[]): ChildResult | null => (xs.length === 0 ? null : { ...xs[0]!, seconds: median(xs.map((x) => x.seconds)), maxRssMB: Math.max(...xs.map((x) => x.maxRssMB)) });
    const s = med(cur), b = med(old);
    const q = haveDuck ? measure('duckdb', file) : null;
    rows.push({
      rows: n, 'file MB': Math.round(mb),
      'stream s': s ? s.seconds : NaN, 'MB/s': s ? mb / s.seconds : NaN, 'rows/s': s ? Math.round(n / s.seconds) : NaN,
      'stream peak RSS MB': s ? Math.round(s.maxRssMB) : NaN,
      'csv-parse s': b ? b.seconds : NaN, 'csv-parse MB/s': b ? mb / b.seconds : NaN, 'speed-up': b && s ? b.seconds / s.seconds : NaN,
      'csv-parse peak RSS MB': b ? Math.round(b.maxRssMB) : NaN,
      'duckdb s': q ? q.seconds : NaN, 'duckdb peak RSS MB': q ? Math.round(q.maxRssMB) : NaN,
      'rows check': s && s.rows === n && (!b || b.rows === n) && (!q || q.rows === n) ? 'ok' : 'MISMATCH',
    });
  }
  if (!fitToo) {
    printTable(`Streaming statistics of a long CSV (d = ${D}, T = ${T}; child processes; machine load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`, rows);
    console.log(`JSON: ${writeJson(`statistics-${sizes.join('-')}`, { d: D, T, rows })}`);
    return;
  }
  // Fit from statistics against the fit from rows, 1e5 rows (per-task, d = 50, T = 100), group lasso at 0.1·λmax, tol 1e-8
  const data = perTaskProblem(Array.from({ length: T }, () => 1000), D, 5, 1).data;
  const lambda = 0.1 * groupLassoLambdaMax(data, { q: 2 });
  const fitRows: Record<string, string | number>[] = [];
  const copy = (): MultiTaskData => MultiTaskData.fromTasks(data.tasks.map((v) => ({ X: { rows: v.n, cols: D, data: v.X }, y: v.y })));
  const rowsFit = timeIt(() => groupLasso(copy(), { lambda, q: 2, tol: 1e-8 }), 3, 1);
  const statsOnly = timeIt(() => statisticsOf(copy()), 3, 1);
  const stats = statsOnly.result;
  const statsFit = timeIt(() => groupLasso(MultiTaskData.fromStatistics(stats), { lambda, q: 2, tol: 1e-8 }), 3, 1);
  let dw = 0, wmax = 0;
  for (let i = 0; i < D * T; i++) { dw = Math.max(dw, Math.abs(statsFit.result.W.data[i]! - rowsFit.result.W.data[i]!)); wmax = Math.max(wmax, Math.abs(rowsFit.result.W.data[i]!)); }
  fitRows.push({
    problem: '1e5 rows, d=50, T=100, group lasso 0.1·λmax', 'fit from rows s': rowsFit.seconds, 'statistics s': statsOnly.seconds,
    'fit from statistics s': statsFit.seconds, 'max |ΔW| / max |W|': dw / wmax,
    'objective rel diff': Math.abs(statsFit.result.objective - rowsFit.result.objective) / rowsFit.result.objective,
  });
  printTable('Fit from sufficient statistics against the fit from rows (fresh data objects, medians of 3)', fitRows);
  printTable(`Streaming statistics of a long CSV (d = ${D}, T = ${T}; child processes; machine load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`, rows);
  console.log(`JSON: ${writeJson('statistics', { d: D, T, rows, fit: fitRows })}`);
}

if (isMain(import.meta.url)) {
  const a = process.argv.slice(2);
  if (a[0] === '--child') await child(a[1]!, a[2]!);
  else await main(a);
}
