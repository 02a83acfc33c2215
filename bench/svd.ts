/**
 * Benchmark: mtlearn's thinSvd against ml-matrix's SVD on seeded random matrices.
 *
 * Run: `npx tsc -p tsconfig.json && node build/bench/svd.js` — prints a table and writes
 * `bench/results/svd.json`. Importable: `import { main } from './svd.js'` (nothing runs on import).
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Matrix, SVD } from 'ml-matrix';
import type { Mat } from '../src/types.js';
import { createSvdWorkspace, thinSvdInto } from '../src/linalg/svd.js';
import { createSvdWorkspace as createBeforeWorkspace, thinSvdInto as thinSvdBefore } from './legacy/svdBefore.js';
import { mulberry32 } from '../src/util/random.js';

/** One row of the benchmark. */
export interface SvdBenchRow {
  /** Rows of the matrix. */
  m: number;
  /** Columns of the matrix. */
  n: number;
  /** Median time of thinSvd (with a reused workspace), milliseconds. */
  oursMs: number;
  /** Median time of the thinSvd before the WebAssembly kernels (bench/legacy), timed alternately with ours, ms. */
  beforeMs: number;
  /** beforeMs / oursMs (same run, alternating). */
  speedupVsBefore: number;
  /** Median time of ml-matrix's `new SVD(A)` (U and V computed), milliseconds. */
  mlMatrixMs: number;
  /** mlMatrixMs / oursMs. */
  speedup: number;
  /** Number of timed runs of ours / of ml-matrix. */
  runs: { ours: number; mlMatrix: number };
  /** max_i |s_i − s_i(ml-matrix)| / s_0. */
  maxSingularValueDiff: number;
  /** ‖A − U·diag(s)·Vᵀ‖_F / ‖A‖_F of ours. */
  reconstructionError: number;
  /** max(‖UᵀU − I‖_F, ‖VᵀV − I‖_F) of ours. */
  orthogonalityError: number;
}

/** Options of {@link main}. */
export interface SvdBenchOptions {
  /** Shapes to run (default 100×20, 500×50, 1000×100, 2000×200). */
  shapes?: readonly (readonly [number, number])[];
  /** Where to write the JSON (default `bench/results/svd.json` of the repository); `null` to skip. */
  output?: string | null;
  /** Print the table (default true). */
  print?: boolean;
}


function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : 0.5 * (s[h - 1]! + s[h]!);
}

function timeIt(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** How many times to time ml-matrix: its cost here is about 2e-5·m·n² ms (1.6 s at 2000×200). */
function mlRuns(m: number, n: number): number {
  const est = 2e-5 * Math.max(m, n) * Math.min(m, n) ** 2;
  return est > 600 ? 2 : est > 50 ? 3 : est > 5 ? 7 : 21;
}

/** Relative error measures of a thin SVD (plain loops: only for reporting). */
function accuracy(A: Mat, U: Mat, s: Float64Array, V: Mat): { rec: number; orth: number } {
  const { rows: m, cols: n } = A;
  const k = s.length;
  let e = 0, na = 0;
  const row = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < k; l++) row[l] = U.data[i * k + l]! * s[l]!;
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let l = 0; l < k; l++) x += row[l]! * V.data[j * k + l]!;
      const a = A.data[i * n + j]!;
      e += (x - a) ** 2;
      na += a * a;
    }
  }
  const orth = (Q: Mat): number => {
    let o = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let x = 0;
        for (let i = 0; i < Q.rows; i++) x += Q.data[i * k + a]! * Q.data[i * k + b]!;
        const d = x - (a === b ? 1 : 0);
        o += a === b ? d * d : 2 * d * d;
      }
    }
    return Math.sqrt(o);
  };
  return { rec: Math.sqrt(e / (na || 1)), orth: Math.max(orth(U), orth(V)) };
}

/**
 * Runs the benchmark: for each shape, a seeded uniform(−1, 1) matrix; ours is warmed up and timed
 * (median of ≥ 5 runs, reusing one workspace), ml-matrix timed 2–21 times depending on its cost
 * (after one untimed run when that is cheap).
 * @param options - see {@link SvdBenchOptions}
 * @returns one {@link SvdBenchRow} per shape
 * @example
 * ```ts
 * import { main } from './svd.js';
 * const rows = main({ shapes: [[200, 20]], output: null });
 * ```
 */
export function main(options: SvdBenchOptions = {}): SvdBenchRow[] {
  const shapes = options.shapes ?? [[100, 20], [500, 50], [1000, 100], [2000, 200]];
  const print = options.print ?? true;
  const output = options.output === undefined ? fileURLToPath(new URL('../../bench/results/svd.json', import.meta.url)) : options.output;
  const rnd = mulberry32(20240611);
  const rows: SvdBenchRow[] = [];
  // warm the JIT of both implementations on a small problem
  {
    const A: Mat = { rows: 60, cols: 12, data: Float64Array.from({ length: 720 }, () => 2 * rnd() - 1) };
    const w = createSvdWorkspace(60, 12);
    const U: Mat = { rows: 60, cols: 12, data: new Float64Array(720) }, V: Mat = { rows: 12, cols: 12, data: new Float64Array(144) };
    const s = new Float64Array(12);
    for (let i = 0; i < 200; i++) thinSvdInto(A, U, s, V, w);
    const M = new Matrix(60, 12);
    for (let i = 0; i < 60; i++) for (let j = 0; j < 12; j++) M.set(i, j, A.data[i * 12 + j]!);
    for (let i = 0; i < 20; i++) new SVD(M);
  }
  for (const [m, n] of shapes) {
    const A: Mat = { rows: m, cols: n, data: new Float64Array(m * n) };
    for (let i = 0; i < m * n; i++) A.data[i] = 2 * rnd() - 1;
    const k = Math.min(m, n);
    const work = createSvdWorkspace(m, n);
    const U: Mat = { rows: m, cols: k, data: new Float64Array(m * k) };
    const V: Mat = { rows: n, cols: k, data: new Float64Array(n * k) };
    const s = new Float64Array(k);
    // ours: warm up for ≥ 5 runs and ≥ 200 ms, then time ≥ 5 runs and ≥ 300 ms
    let spent = 0, warm = 0;
    while (warm < 5 || spent < 200) {
      spent += timeIt(() => thinSvdInto(A, U, s, V, work));
      warm++;
    }
    const bwork = createBeforeWorkspace(m, n);
    for (let i = 0; i < warm; i++) thinSvdBefore(A, U, s, V, bwork);
    // ours and the code before the WebAssembly kernels, alternately: ≥ 7 pairs and ≥ 400 ms
    const ours: number[] = [], before: number[] = [];
    spent = 0;
    while (ours.length < 7 || (spent < 400 && ours.length < 200)) {
      const tb = timeIt(() => thinSvdBefore(A, U, s, V, bwork));
      const t = timeIt(() => thinSvdInto(A, U, s, V, work));
      ours.push(t);
      before.push(tb);
      spent += t + tb;
    }
    const M = new Matrix(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) M.set(i, j, A.data[i * n + j]!);
    const ml: number[] = [];
    let ref: number[] = [];
    const runs = mlRuns(m, n);
    if (runs > 3) new SVD(M, { autoTranspose: true }); // one untimed run where it is cheap
    for (let r = 0; r < runs; r++) {
      let svd: SVD | undefined;
      ml.push(timeIt(() => (svd = new SVD(M, { autoTranspose: true }))));
      ref = svd!.diagonal;
    }
    let diff = 0;
    for (let i = 0; i < k; i++) diff = Math.max(diff, Math.abs(s[i]! - ref[i]!) / ref[0]!);
    const acc = accuracy(A, U, s, V);
    const oursMs = median(ours), mlMs = median(ml), beforeMs = median(before);
    rows.push({
      m, n, oursMs, beforeMs, speedupVsBefore: beforeMs / oursMs, mlMatrixMs: mlMs, speedup: mlMs / oursMs,
      runs: { ours: ours.length, mlMatrix: ml.length },
      maxSingularValueDiff: diff, reconstructionError: acc.rec, orthogonalityError: acc.orth,
    });
  }
  if (print) {
    const pad = (x: string, w: number): string => x.padStart(w);
    console.log('(before = thinSvd before the WebAssembly kernels, timed alternately in this run; the machine may be shared)');
    console.log(`${'shape'.padEnd(10)}${pad('ours ms', 10)}${pad('before ms', 11)}${pad('ratio', 8)}${pad('ml-matrix ms', 14)}${pad('ratio', 8)}${pad('Δs/s0', 10)}${pad('‖A−USVᵀ‖', 11)}${pad('orth', 10)}`);
    for (const r of rows) {
      console.log(
        `${`${r.m}×${r.n}`.padEnd(10)}${pad(r.oursMs.toFixed(2), 10)}${pad(r.beforeMs.toFixed(2), 11)}${pad(`${r.speedupVsBefore.toFixed(2)}×`, 8)}${pad(r.mlMatrixMs.toFixed(1), 14)}${pad(`${r.speedup.toFixed(1)}×`, 8)}` +
          `${pad(r.maxSingularValueDiff.toExponential(1), 10)}${pad(r.reconstructionError.toExponential(1), 11)}${pad(r.orthogonalityError.toExponential(1), 10)}`,
      );
    }
  }
  if (output !== null) {
    mkdirSync(dirname(output), { recursive: true });
    const doc = {
      benchmark: 'thinSvd vs the thinSvd before the WebAssembly kernels (same run, alternating) and ml-matrix SVD (U, s, V), seeded uniform(-1, 1) matrices',
      date: new Date().toISOString(),
      node: process.version,
      timing: 'median wall time in ms; ours reuses one SvdWorkspace and is warmed up',
      rows,
    };
    writeFileSync(output, `${JSON.stringify(doc, null, 2)}\n`);
    if (print) console.log(`wrote ${output}`);
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
