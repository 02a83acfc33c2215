/**
 * Kernel benchmark: GFLOP/s of every product the solvers use × {JS, WASM (one thread), WASM + threads},
 * measured in the same run with the backends alternated (median of the runs), plus the cross-over sizes
 * (where WASM with copied operands overtakes JS; where two threads overtake one).
 *
 * Run: `npm run compile && node build/bench/kernels.js [--quick]` — prints tables, writes
 * `bench/results/kernels.json`. WASM operands are resident (allocated with allocF64) except in the
 * cross-over table, which uses ordinary arrays (the copy-per-call path).
 *
 * On a shared machine wall-clock rates fall with the load, so the one-thread columns also give the
 * rate by the process's CPU time (`process.cpuUsage`, which a descheduled thread does not accumulate),
 * and the load average is printed and stored. The last table checks issue #11's kernel goals.
 * `--baseline=<build dir>` (another compiled tree, e.g. main's `build/`) also races that build's XᵀY
 * against this one's on one thread, alternating, in the same run.
 */
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Matrix } from 'ml-matrix';
import * as js from '../src/linalg/jsKernels.js';
import { dot, gemmNN, gemmNT, gemmTN, gemvT, setKernelBackend, syrkTN, wasmKernelsInfo } from '../src/linalg/blas.js';
import { allocF64 } from '../src/linalg/wasm/matrix.js';
import { kernelThreads, parallelThreshold, setKernelThreads, startKernelThreads } from '../src/linalg/parallel.js';
import { randn } from '../test/helpers/random.js';
import { isMain, median, printTable, writeJson } from './util.js';

type Backend = 'js' | 'wasm' | 'wasm2';
interface Case {
  name: string;
  flops: number;
  js: () => void;
  wasm: () => void;
}

function resident(x: Float64Array): Float64Array {
  const r = allocF64(x.length);
  r.set(x);
  return r;
}

/** CPU seconds of this process so far (all its threads). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Median wall seconds of each backend over `reps` alternating runs (after one warm-up each), and the
 * mean CPU seconds (`cpu`; for the one-thread backends the time the thread actually ran). CPU time is
 * the mean, not the median: Linux may account it in scheduler ticks (4 ms), which a mean over the runs
 * averages out and a median of millisecond runs does not.
 */
function mean(x: number[]): number {
  return x.length ? x.reduce((a, b) => a + b, 0) / x.length : NaN;
}

function race(c: Case, backends: Backend[], reps: number): Record<Backend, number> & { cpu: Record<Backend, number> } {
  const times: Record<Backend, number[]> = { js: [], wasm: [], wasm2: [] };
  const cpu: Record<Backend, number[]> = { js: [], wasm: [], wasm2: [] };
  const runOne = (b: Backend): number => {
    if (b !== 'js') setKernelThreads(b === 'wasm2' ? 2 : 1);
    if (b === 'wasm2') startKernelThreads();
    const f = b === 'js' ? c.js : c.wasm;
    const c0 = cpuSeconds(), t0 = performance.now();
    f();
    const t = (performance.now() - t0) / 1000;
    cpu[b].push(cpuSeconds() - c0);
    return t;
  };
  for (const b of backends) runOne(b);
  for (const b of backends) cpu[b].length = 0;
  for (let r = 0; r < reps; r++) for (const b of backends) times[b].push(runOne(b));
  const med = (x: number[]): number => (x.length ? median(x) : NaN);
  return {
    js: med(times.js), wasm: med(times.wasm), wasm2: med(times.wasm2),
    cpu: { js: mean(cpu.js), wasm: mean(cpu.wasm), wasm2: mean(cpu.wasm2) },
  };
}

function gemmCase(kind: 'nn' | 'tn' | 'nt' | 'syrk', m: number, n: number, k: number, label: string): Case {
  const lenA = m * k, lenB = n * k;
  const A = randn(lenA, m + k), B = randn(lenB, n + 7), C = new Float64Array(m * n);
  const Ar = resident(A), Br = resident(B), Cr = allocF64(m * n);
  const flops = kind === 'syrk' ? m * m * k : 2 * m * n * k; // syrk: the useful half
  const jsF = { nn: js.gemmNN, tn: js.gemmTN, nt: js.gemmNT, syrk: js.gemmTN }[kind];
  const wF = { nn: gemmNN, tn: gemmTN, nt: gemmNT }[kind === 'syrk' ? 'tn' : kind];
  return {
    name: label, flops,
    js: () => jsF(m, n, k, A, kind === 'syrk' ? A : B, C, 0),
    wasm: kind === 'syrk' ? () => syrkTN(m, k, Ar, Cr, 0) : () => wF(m, n, k, Ar, Br, Cr, 0),
  };
}

/** `c` run `times` times back to back per timed run (its name unchanged). */
function repeated(c: Case, times: number): Case {
  return {
    name: c.name, flops: c.flops * times,
    js: () => { for (let i = 0; i < times; i++) c.js(); },
    wasm: () => { for (let i = 0; i < times; i++) c.wasm(); },
  };
}

/**
 * Issue #11's kernel goals from the table rows: gemm 500×500·500×52 ≥ 8 GFLOP/s on one core; XᵀY
 * N×500, T = 50 ≥ 15 GFLOP/s on two threads; the T = 5 XᵀY within 70 % of the T = 50 rate (one core).
 */
function kernelGoals(rows: Record<string, string | number>[], N: number, threaded: boolean): Record<string, string | number>[] {
  const row = (name: string): Record<string, string | number> => rows.find((r) => r['kernel'] === name) ?? {};
  const num = (r: Record<string, string | number>, col: string): number => (typeof r[col] === 'number' ? r[col] as number : NaN);
  const gemm = row('gemmNN 500×500·500×52'), t50 = row(`gemmTN XᵀY ${N}×500, T=50`), t5 = row(`gemmTN XᵀY ${N}×500, T=5`);
  const out: Record<string, string | number>[] = [];
  const goal = (name: string, target: number, wall: number, cpu: number): void => {
    out.push({ goal: name, target, wall, 'by CPU time': cpu, 'met (wall)': wall >= target ? 'yes' : 'no', 'met (CPU time)': cpu >= target ? 'yes' : 'no' });
  };
  goal('gemm 500×500·500×52, one core, GFLOP/s', 8, num(gemm, 'WASM'), num(gemm, 'WASM cpu'));
  // two threads by CPU time: the rate had both threads run all the time (flops / (CPU seconds / 2))
  if (threaded) goal(`XᵀY ${N}×500×50, two threads, GFLOP/s`, 15, num(t50, 'WASM+threads'), num(t50, 'WASM+threads cpu'));
  goal(`XᵀY ${N}×500: T=5 rate / T=50 rate, one core`, 0.7, num(t5, 'WASM') / num(t50, 'WASM'), num(t5, 'WASM cpu') / num(t50, 'WASM cpu'));
  const c50 = row('gemmTN XᵀY 2000×500, T=50'), c5 = row('gemmTN XᵀY 2000×500, T=5');
  goal('XᵀY 2000×500 (X in cache): T=5 / T=50 rate, one core', 0.7, num(c5, 'WASM') / num(c50, 'WASM'), num(c5, 'WASM cpu') / num(c50, 'WASM cpu'));
  return out;
}

/**
 * XᵀY N×500 (T = 50 and 5) by another build's kernels (`dir`, a compiled tree) against this one's, one
 * thread each, alternating: median wall and CPU-time rates and the time ratio.
 */
async function baselineRace(dir: string, N: number, reps: number): Promise<Record<string, string | number>[]> {
  const load = async <M>(rel: string): Promise<M> => (await import(pathToFileURL(join(dir, rel)).href)) as M;
  type Blas = { gemmTN: typeof gemmTN };
  type Mat = { allocF64: typeof allocF64 };
  type Par = { setKernelThreads: typeof setKernelThreads };
  const sides = {
    baseline: { blas: await load<Blas>('src/linalg/blas.js'), mat: await load<Mat>('src/linalg/wasm/matrix.js'), par: await load<Par>('src/linalg/parallel.js') },
    'this build': { blas: { gemmTN }, mat: { allocF64 }, par: { setKernelThreads } },
  };
  const out: Record<string, string | number>[] = [];
  for (const T of [50, 5]) {
    const m = 500, A = randn(N * m, 3 + T), B = randn(N * T, 5 + T);
    const run = Object.entries(sides).map(([name, l]) => {
      const a = l.mat.allocF64(A.length), b = l.mat.allocF64(B.length), c = l.mat.allocF64(m * T);
      a.set(A); b.set(B);
      return { name, f: (): void => { l.par.setKernelThreads(1); l.blas.gemmTN(m, T, N, a, b, c, 0); } };
    });
    const wall: number[][] = run.map(() => []), cpu: number[][] = run.map(() => []);
    for (const r of run) r.f();
    for (let rep = 0; rep < reps; rep++) run.forEach((r, i) => {
      const c0 = cpuSeconds(), t0 = performance.now();
      r.f();
      wall[i]!.push((performance.now() - t0) / 1000);
      cpu[i]!.push(cpuSeconds() - c0);
    });
    const gf = 2 * m * T * N / 1e9;
    out.push({
      product: `XᵀY ${N}×${m}, T=${T}, one thread`,
      'baseline wall': gf / median(wall[0]!), 'this wall': gf / median(wall[1]!),
      'baseline cpu': gf / mean(cpu[0]!), 'this cpu': gf / mean(cpu[1]!),
      'baseline/this (wall)': median(wall[0]!) / median(wall[1]!),
    });
  }
  setKernelThreads(2);
  return out;
}

/** Runs the benchmark; `--quick` in argv uses fewer and smaller cases (for a smoke run). */
export async function main(argv: readonly string[] = process.argv): Promise<Record<string, unknown>> {
  const quick = argv.includes('--quick');
  const loadBefore = loadavg()[0]!;
  if (!wasmKernelsInfo().available) {
    console.log('WebAssembly SIMD unavailable here: only the JS kernels exist; nothing to compare.');
    return {};
  }
  setKernelBackend('wasm');
  const threaded = wasmKernelsInfo().sharedMemory;
  const backends: Backend[] = threaded ? ['js', 'wasm', 'wasm2'] : ['js', 'wasm'];
  const reps = quick ? 3 : 9;
  const N = quick ? 4000 : 20000;
  const cases: Case[] = [
    gemmCase('nn', 500, 52, 500, 'gemmNN 500×500·500×52'),
    gemmCase('nn', 200, 200, 200, 'gemmNN 200×200·200×200'),
    gemmCase('nn', N, 5, 500, `gemmNN X·W ${N}×500·500×5`),
    gemmCase('tn', 500, 50, N, `gemmTN XᵀY ${N}×500, T=50`),
    gemmCase('tn', 500, 5, N, `gemmTN XᵀY ${N}×500, T=5`),
    // X of 8 MB, which the last-level cache holds: the T = 5 product without the memory stream
    // (10 products per timed run, back to back, so X stays cached and CPU ticks average out)
    repeated(gemmCase('tn', 500, 50, 2000, 'gemmTN XᵀY 2000×500, T=50'), 10),
    repeated(gemmCase('tn', 500, 5, 2000, 'gemmTN XᵀY 2000×500, T=5'), 10),
    gemmCase('tn', 500, 52, 500, 'gemmTN 500×500ᵀ·500×52'),
    gemmCase('nt', 500, 52, 500, 'gemmNT 500×500·(52×500)ᵀ'),
    gemmCase('nt', 100, 100, 1000, 'gemmNT 100×1000·(100×1000)ᵀ'),
    gemmCase('syrk', 500, 500, quick ? 1000 : 5000, `syrk XᵀX ${quick ? 1000 : 5000}×500`),
  ];
  // level 2 / 1 on resident operands (the residual coordinate-descent pattern)
  {
    const n = 2000, d = 500;
    const A = randn(n * d, 1), x = randn(n, 2), y = new Float64Array(d);
    const Ar = resident(A), xr = resident(x), yr = allocF64(d);
    cases.push({ name: `gemvT Aᵀx ${n}×${d}`, flops: 2 * n * d, js: () => js.gemvT(n, d, A, 0, x, 0, y, 0, 0), wasm: () => gemvT(n, d, Ar, 0, xr, 0, yr, 0, 0) });
    let sink = 0;
    cases.push({
      name: `dot ×${d} columns of length ${n}`, flops: 2 * n * d,
      js: () => { for (let j = 0; j < d; j++) sink += js.dot(n, A, j * n, x, 0); },
      wasm: () => { for (let j = 0; j < d; j++) sink += dot(n, Ar, j * n, xr, 0); },
    });
    if (sink === 1) console.log('');
  }
  const rows: Record<string, string | number>[] = [];
  for (const c of cases) {
    const t = race(c, backends, reps);
    const row: Record<string, string | number> = {
      kernel: c.name, JS: c.flops / t.js / 1e9, WASM: c.flops / t.wasm / 1e9,
    };
    if (threaded) row['WASM+threads'] = c.flops / t.wasm2 / 1e9;
    row['WASM/JS'] = t.js / t.wasm;
    if (threaded) row['threads/WASM'] = t.wasm / t.wasm2;
    row['JS cpu'] = c.flops / t.cpu.js / 1e9;
    row['WASM cpu'] = c.flops / t.cpu.wasm / 1e9;
    if (threaded) row['WASM+threads cpu'] = c.flops / (t.cpu.wasm2 / 2) / 1e9;
    rows.push(row);
  }
  // ml-matrix's mmul for reference on the headline shape
  {
    const m = 500, n = 52, k = 500;
    const MA = new Matrix(m, k), MB = new Matrix(k, n);
    const c = gemmCase('nn', m, n, k, '');
    const ml: number[] = [], ws: number[] = [];
    setKernelThreads(1);
    for (let r = 0; r < reps; r++) {
      let t0 = performance.now(); MA.mmul(MB); ml.push(performance.now() - t0);
      t0 = performance.now(); c.wasm(); ws.push(performance.now() - t0);
    }
    rows.push({ kernel: 'ml-matrix mmul 500×500·500×52', JS: (2 * m * n * k) / (median(ml) / 1000) / 1e9, WASM: NaN, 'WASM/JS': median(ml) / median(ws) });
  }
  printTable(`Kernels, GFLOP/s (median of ${reps} alternating runs; WASM/JS and threads/WASM are same-run time ratios; ` +
    `"cpu" columns: the rate by mean CPU time (threads: per thread × 2); load average ${loadBefore.toFixed(1)} on ${availableParallelism()} cores: ` +
    `on a shared machine compare ratios, not wall-clock rates)`, rows);

  // cross-over sizes: square products s×s·s×s with ordinary (copied) operands, JS against WASM
  const cross: Record<string, string | number>[] = [];
  for (const s of [2, 4, 6, 8, 12, 16, 24, 32, 64]) {
    const A = randn(s * s, s), B = randn(s * s, s + 1), C = new Float64Array(s * s);
    const inner = Math.max(1, Math.floor(2e6 / (2 * s * s * s)));
    const c: Case = {
      name: `${s}`, flops: 2 * s * s * s * inner,
      js: () => { for (let i = 0; i < inner; i++) js.gemmNN(s, s, s, A, B, C, 0); },
      wasm: () => { setKernelBackend('wasm'); for (let i = 0; i < inner; i++) gemmNN(s, s, s, A, B, C, 0); },
    };
    setKernelThreads(1);
    const t = race(c, ['js', 'wasm'], reps);
    cross.push({ 's (s×s·s×s, copied operands)': s, 'JS GFLOP/s': c.flops / t.js / 1e9, 'WASM GFLOP/s': c.flops / t.wasm / 1e9, 'WASM/JS': t.js / t.wasm });
  }
  printTable('Cross-over JS → WASM (operands copied into WebAssembly memory per call)', cross);
  const threadCross: Record<string, string | number>[] = [];
  if (threaded) {
    const old = parallelThreshold();
    parallelThreshold(0);
    for (const n of [50, 100, 200, 400, 800, 1600, 3200]) {
      const c = gemmCase('tn', 200, 20, n, '');
      const t = race(c, ['wasm', 'wasm2'], reps);
      threadCross.push({ 'XᵀY n×200, T=20: n': n, 'Mflop': c.flops / 1e6, '1 thread GFLOP/s': c.flops / t.wasm / 1e9, '2 threads GFLOP/s': c.flops / t.wasm2 / 1e9, '2/1': t.wasm / t.wasm2 });
    }
    parallelThreshold(old);
    printTable(`Cross-over 1 → 2 threads (split forced; the library splits from ${old / 1e6} Mflop; ${JSON.stringify(kernelThreads())})`, threadCross);
  }
  setKernelThreads(2);
  const goals = kernelGoals(rows, N, threaded);
  printTable('Issue #11 kernel goals (wall-clock rates mean little when the load average exceeds the cores)', goals);
  const baseDir = argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const baseline = baseDir ? await baselineRace(baseDir, N, reps) : [];
  if (baseDir) printTable(`XᵀY against the baseline build ${baseDir} (same run, alternating, GFLOP/s)`, baseline);
  const load = { before: loadBefore, after: loadavg()[0]!, cores: availableParallelism() };
  const out = { date: new Date().toISOString(), quick, load, rows, crossover: cross, threadCrossover: threadCross, goals, baseline, baselineDir: baseDir ?? null };
  writeJson('kernels', out);
  return out;
}

if (isMain(import.meta.url)) await main();
