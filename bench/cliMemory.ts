/**
 * Peak memory of the command line on a large long CSV (#13 item 8): generates a CSV of about
 * `--mb` MB (default 200; T = 50 tasks, d = 20 features), then runs in child processes, each measured
 * by its own `process.resourceUsage().maxRSS`:
 * - `read`: the strict typed-array reader alone (`readLongCsv` + `MultiTaskData`),
 * - `fit`: `mtlearn fit --model group-lasso --lambda-ratio 0.5` (reading, data, fit, JSON),
 * - `predict`: `mtlearn predict` on the same file (output to /dev/null),
 * - `csv-parse rows`: the previous approach (the whole text, csv-parse's array of rows of strings) as
 *   the baseline of the same run,
 * - `fit, small heap`: the executable (`cli/bin.js`) under `--max-old-space-size` below the file size
 *   (a clean error, exit 2; peak RSS not measured).
 * Prints peak RSS / file size per run and writes bench/results/cliMemory.json. Memory, not time, so
 * the load of the machine matters little.
 *
 * Usage: `node build/bench/cliMemory.js [--mb 200] [--keep]`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain, printTable, writeJson } from './util.js';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));

/** Writes a long CSV of about `mb` MB: T tasks, d features, 6-digit numbers. */
function generate(file: string, mb: number, T: number, d: number): number {
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const fd = openSync(file, 'w');
  writeSync(fd, `task,y,${Array.from({ length: d }, (_, j) => `x${j + 1}`).join(',')}\n`);
  let bytes = 0, rows = 0;
  const target = mb * 1e6;
  const parts: string[] = [];
  while (bytes < target) {
    const t = 1 + (rows % T);
    const x = Array.from({ length: d }, () => (rnd() * 4 - 2).toFixed(5));
    const y = (Number(x[0]) * (1 + 0.01 * t) - 2 * Number(x[1]) + rnd() - 0.5).toFixed(5);
    const line = `${t},${y},${x.join(',')}\n`;
    parts.push(line);
    bytes += line.length;
    rows++;
    if (parts.length === 10000) { writeSync(fd, parts.join('')); parts.length = 0; }
  }
  writeSync(fd, parts.join(''));
  closeSync(fd);
  return rows;
}

/** Child mode: runs one job and writes { code, maxRSS (bytes), seconds, stderr } to `resultFile`. */
async function child(resultFile: string, job: string, args: string[]): Promise<void> {
  const t0 = performance.now();
  let code = 0, stderr = '';
  if (job === 'cli') {
    const { run } = await import('../src/cli/main.js');
    code = await run(args, { stdout: { write: () => true }, stderr: { write: (s: string) => { stderr += s; return true; } } });
  } else if (job === 'read') {
    const { readLongCsvFile } = await import('../src/io/node.js');
    const { data } = readLongCsvFile(args[0]!);
    if (data.T < 1) code = 1;
  } else if (job === 'csv-parse') {
    const { parse } = await import('csv-parse/sync');
    const rows = parse(readFileSync(args[0]!, 'utf8'), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    if (rows.length < 2) code = 1;
  }
  writeFileSync(resultFile, JSON.stringify({ code, maxRSS: process.resourceUsage().maxRSS * 1024, seconds: (performance.now() - t0) / 1000, stderr }));
}

interface Row { run: string; code: number; peakMB: number; ratio: number; seconds: number; note: string }

/**
 * Runs the benchmark.
 * @param argv - `--mb N`, `--keep`
 * @returns the rows of the table
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<Row[]> {
  const mbArg = argv.indexOf('--mb');
  const mb = mbArg >= 0 ? Number(argv[mbArg + 1]) : argv.includes('--quick') ? 40 : 200;
  const dir = mkdtempSync(join(tmpdir(), 'mtlearn-climem-'));
  const csv = join(dir, 'big.csv');
  const rows = generate(csv, mb, 50, 20);
  const size = statSync(csv).size;
  console.log(`generated ${csv}: ${(size / 1e6).toFixed(1)} MB, ${rows} rows, T = 50, d = 20`);
  const heapForSmall = Math.max(16, Math.floor(size / 2 ** 20 / 2));
  const jobs: { run: string; job: string; args: string[]; node?: string[]; note: string }[] = [
    { run: 'read (typed arrays)', job: 'read', args: [csv], note: 'readLongCsvFile → MultiTaskData' },
    { run: 'fit group-lasso', job: 'cli', args: ['fit', '--model', 'group-lasso', '--data', csv, '--lambda-ratio', '0.5', '--tol', '1e-4', '--out', join(dir, 'fit.json')], note: 'λ = 0.5 λ_max' },
    { run: 'predict', job: 'cli', args: ['predict', '--fit', join(dir, 'fit.json'), '--data', csv, '--out', '/dev/null'], note: 'written through to /dev/null' },
    { run: 'csv-parse rows (before)', job: 'csv-parse', args: [csv], note: 'baseline: text + array of rows of strings' },
    { run: `fit, --max-old-space-size=${heapForSmall}`, job: 'bin', node: [`--max-old-space-size=${heapForSmall}`], args: ['fit', '--model', 'group-lasso', '--data', csv, '--lambda-ratio', '0.5', '--out', join(dir, 'small.json')], note: 'the executable (cli/bin.js): expect exit 2, one clean line' },
  ];
  const out: Row[] = [];
  for (const j of jobs) {
    if (j.job === 'bin') {
      // the executable itself, as `mtlearn` runs it: its heap check comes before the command line loads
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [...(j.node ?? []), BIN, ...j.args], { encoding: 'utf8' });
      const line = (r.stderr ?? '').trim().split('\n')[0] ?? '';
      out.push({ run: j.run, code: r.status ?? -1, peakMB: NaN, ratio: NaN, seconds: (performance.now() - t0) / 1000, note: `${j.note}; ${line}` });
      continue;
    }
    const resultFile = join(dir, 'result.json');
    rmSync(resultFile, { force: true });
    const r = spawnSync(process.execPath, [...(j.node ?? []), SELF, '--child', resultFile, j.job, ...j.args], { encoding: 'utf8' });
    let res: { code: number; maxRSS: number; seconds: number; stderr: string };
    try {
      res = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch {
      res = { code: r.status ?? -1, maxRSS: NaN, seconds: NaN, stderr: (r.stderr ?? '').split('\n').slice(-3).join(' ') };
    }
    const note = res.code === 0 ? j.note : `${j.note}; ${res.stderr.trim().split('\n')[0] ?? ''}`;
    out.push({ run: j.run, code: res.code, peakMB: res.maxRSS / 1e6, ratio: res.maxRSS / size, seconds: res.seconds, note });
  }
  printTable(`CLI peak RSS on a ${(size / 1e6).toFixed(0)} MB long CSV (ratio = peak RSS / file size; target ≤ 3)`, out.map((r) => ({ ...r })));
  writeJson('cliMemory', { fileBytes: size, rows, T: 50, d: 20, runs: out });
  if (!argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  return out;
}

if (isMain(import.meta.url)) {
  const a = process.argv.slice(2);
  if (a[0] === '--child') await child(a[1]!, a[2]!, a.slice(3));
  else await main(a);
}
