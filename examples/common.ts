/**
 * Helpers shared by the reproducible experiments under `examples/`: where an example writes its
 * results, a seeded synthetic daily sales series with shared seasonality, Prophet-style features
 * (Fourier terms and a piecewise-linear trend basis), and Markdown tables.
 *
 * The feature construction follows Taylor & Letham, "Forecasting at scale", The American
 * Statistician 72(1), 2018 (Prophet): yearly and weekly seasonality as truncated Fourier series,
 * trend as a linear function plus hinge functions max(0, t − s_j) at candidate changepoints s_j,
 * whose coefficients a sparse penalty selects.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gaussianSampler, mulberry32 } from '../src/util/random.js';
import type { Mat } from '../src/types.js';

/**
 * Where an example writes its results: `examples/<name>/output/` (untracked, gitignored) by default,
 * so running an example never modifies a checkout; with the flag `--update-results` the tracked
 * files in `examples/<name>/` (the committed RESULTS.md and figures). The folder is created if needed.
 * Works from the esbuild bundle of `scripts/run-ts.mjs`, from `build/examples/` and from the source.
 * @param name - the example's folder name under `examples/` (e.g. `'seasonal'`)
 * @returns the absolute folder path
 * @example
 * ```ts
 * writeOut(exampleDir('seasonal'), 'RESULTS.md', md); // examples/seasonal/output/RESULTS.md
 * ```
 */
export function exampleDir(name: string): string {
  // the repository root: the first ancestor of this module with package.json and examples/<name>/run.ts
  let root = dirname(fileURLToPath(import.meta.url));
  const isRoot = (r: string): boolean => existsSync(resolve(r, 'package.json')) && existsSync(resolve(r, 'examples', name, 'run.ts'));
  while (!isRoot(root) && dirname(root) !== root) root = dirname(root);
  const base = resolve(root, 'examples', name);
  const dir = updateResults() ? base : resolve(base, 'output');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Whether the example was asked to rewrite its tracked results (`--update-results` on the command line).
 * @returns true when the flag is present
 * @example
 * ```ts
 * if (updateResults()) console.log('rewriting the committed RESULTS.md');
 * ```
 */
export function updateResults(): boolean {
  return process.argv.slice(2).includes('--update-results');
}

/**
 * The positional command-line arguments of an example (flags such as `--update-results` removed).
 * @returns the arguments after the script name that do not start with `--`
 * @example
 * ```ts
 * const file = exampleArgs()[0] ?? defaultPath;
 * ```
 */
export function exampleArgs(): string[] {
  return process.argv.slice(2).filter((a) => !a.startsWith('--'));
}

/**
 * Writes a text file in `dir` and logs its path (examples may print).
 * @param dir - folder
 * @param file - file name
 * @param text - contents
 */
export function writeOut(dir: string, file: string, text: string): void {
  const p = resolve(dir, file);
  writeFileSync(p, text.endsWith('\n') ? text : `${text}\n`);
  console.log(`wrote ${p}`);
}

/**
 * A Markdown table.
 * @param header - column titles
 * @param rows - cells
 * @returns the table text
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Synthetic daily series of several related vendors. */
export interface VendorSeries {
  /** Number of days. */
  readonly days: number;
  /** Values, days×T row-major (column t = vendor t). */
  readonly Y: Float64Array;
  /** The noise-free signal, days×T. */
  readonly signal: Float64Array;
  /** Vendor names. */
  readonly names: string[];
  /** The true changepoints (days). */
  readonly changepoints: number[];
}

/**
 * A seeded daily series for `T` related vendors: a level per vendor, a shared yearly seasonality
 * (a smooth curve with a summer peak and a December peak) and weekly seasonality (weekend effect),
 * each scaled by a vendor-specific amplitude close to 1, a piecewise-linear trend whose changepoints
 * are shared by all vendors (slope changes of the same sign, vendor-specific sizes) and Gaussian noise.
 * @param days - number of days
 * @param T - number of vendors
 * @param seed - seed of every random choice
 * @param noise - noise standard deviation
 * @returns the series
 */
export function vendorSeries(days: number, T: number, seed: number, noise = 1.5): VendorSeries {
  const u = mulberry32(seed);
  const g = gaussianSampler(mulberry32(seed + 1));
  const changepoints = [Math.round(days * 0.23), Math.round(days * 0.48), Math.round(days * 0.74)];
  const baseDeltas = [0.012, -0.02, 0.015]; // slope changes per day
  const Y = new Float64Array(days * T), signal = new Float64Array(days * T);
  const names = Array.from({ length: T }, (_, t) => `vendor ${String.fromCharCode(65 + t)}`);
  for (let t = 0; t < T; t++) {
    const level = 40 + 10 * u();
    const ampYear = 0.8 + 0.4 * u(), ampWeek = 0.8 + 0.4 * u();
    const slope0 = 0.004 + 0.004 * u();
    const deltas = baseDeltas.map((dlt) => dlt * (0.7 + 0.6 * u()));
    for (let i = 0; i < days; i++) {
      const yr = (2 * Math.PI * i) / 365.25;
      const yearly = 6 * Math.exp(-((Math.cos(yr - 3.3) - 1) ** 2) * 3) + 4 * Math.exp(5 * (Math.cos(yr - 6.1) - 1)) - 1.5 * Math.sin(yr);
      const dow = i % 7;
      const weekly = dow === 5 ? 3 : dow === 6 ? 4 : dow === 0 ? -1 : 0;
      let trend = slope0 * i;
      changepoints.forEach((c, j) => { if (i > c) trend += deltas[j]! * (i - c); });
      const s = level + trend + ampYear * yearly + ampWeek * weekly;
      signal[i * T + t] = s;
      Y[i * T + t] = s + noise * g();
    }
  }
  return { days, Y, signal, names, changepoints };
}

/** Feature matrix with names and the standardisation used. */
export interface Features {
  /** days×p, standardised columns. */
  readonly X: Mat;
  /** Column names. */
  readonly names: string[];
}

/**
 * Prophet-style features of day indices 0 … days−1 (Taylor & Letham 2018): yearly Fourier terms of
 * order `yearlyOrder` (sin and cos of 2πki/365.25), weekly terms of order `weeklyOrder` (period 7), a
 * linear trend and hinges max(0, i − s_j) at `changepoints` candidate days evenly spaced over
 * [margin, days − margin). Each column is standardised by the mean and standard deviation over the
 * whole horizon: the features are deterministic functions of the calendar, known in advance for
 * future days, so no response information leaks into the scaling.
 * @param days - number of days
 * @param yearlyOrder - yearly Fourier order (2·order columns)
 * @param weeklyOrder - weekly Fourier order (2·order columns)
 * @param changepoints - number of candidate changepoints
 * @param margin - days left free of candidates at both ends
 * @returns the standardised design and column names
 */
export function seasonalFeatures(days: number, yearlyOrder: number, weeklyOrder: number, changepoints: number, margin = 30): Features {
  const cols: { name: string; f: (i: number) => number }[] = [];
  for (let k = 1; k <= yearlyOrder; k++) {
    cols.push({ name: `year_sin${k}`, f: (i) => Math.sin((2 * Math.PI * k * i) / 365.25) });
    cols.push({ name: `year_cos${k}`, f: (i) => Math.cos((2 * Math.PI * k * i) / 365.25) });
  }
  for (let k = 1; k <= weeklyOrder; k++) {
    cols.push({ name: `week_sin${k}`, f: (i) => Math.sin((2 * Math.PI * k * i) / 7) });
    cols.push({ name: `week_cos${k}`, f: (i) => Math.cos((2 * Math.PI * k * i) / 7) });
  }
  cols.push({ name: 'trend', f: (i) => i });
  for (let j = 0; j < changepoints; j++) {
    const s = Math.round(margin + ((days - 2 * margin) * j) / changepoints);
    cols.push({ name: `cp${s}`, f: (i) => Math.max(0, i - s) });
  }
  const p = cols.length;
  const data = new Float64Array(days * p);
  for (let c = 0; c < p; c++) {
    let m = 0;
    for (let i = 0; i < days; i++) m += (data[i * p + c] = cols[c]!.f(i));
    m /= days;
    let v = 0;
    for (let i = 0; i < days; i++) v += (data[i * p + c]! - m) ** 2;
    const sd = Math.sqrt(v / days) || 1;
    for (let i = 0; i < days; i++) data[i * p + c] = (data[i * p + c]! - m) / sd;
  }
  return { X: { rows: days, cols: p, data }, names: cols.map((c) => c.name) };
}

/**
 * Rows [from, to) of a row-major matrix.
 * @param A - matrix
 * @param from - first row
 * @param to - one past the last row
 * @returns the rows as a new Mat
 */
export function rowSlice(A: Mat, from: number, to: number): Mat {
  return { rows: to - from, cols: A.cols, data: A.data.slice(from * A.cols, to * A.cols) };
}

/**
 * Formats a number with `digits` significant digits.
 * @param v - value
 * @param digits - significant digits
 * @returns text
 */
export function fmt(v: number, digits = 4): string {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v);
}
