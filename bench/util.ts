/** Shared helpers for the benchmarks: timing, tables, JSON output. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs fn `warmup` times, then `reps` timed times; returns the median seconds and the last result. */
export function timeIt<R>(fn: () => R, reps = 3, warmup = 1): { seconds: number; result: R } {
  let result!: R;
  for (let i = 0; i < warmup; i++) result = fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = fn();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), result };
}

/** Prints rows of objects as an aligned text table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const fmt = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c] ?? '').length)));
  console.log(cols.map((c, i) => c.padStart(width[i]!)).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => fmt(r[c] ?? '').padStart(width[i]!)).join('  '));
}

/** Writes bench/results/<name>.json (relative to the repository root). */
export function writeJson(name: string, payload: unknown): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // build/bench → repo root is two levels up
  const root = resolve(here, here.includes(`${'build'}`) ? '../..' : '..');
  const out = resolve(root, 'bench/results', `${name}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(payload, null, 2));
  return out;
}

/** True when the module at `url` is the process entry point. */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === pathToFileURL(resolve(process.argv[1])).href;
}
