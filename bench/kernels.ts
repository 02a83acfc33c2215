/**
 * Kernel benchmark: GFLOP/s of every product the solvers use × {JS, WASM (one thread), WASM + threads},
 * measured in the same run with the backends alternated (median of the runs), plus the cross-over sizes
 * (where WASM with copied operands overtakes JS; where two threads overtake one).
 *
 * Run: `npm run compile && node build/bench/kernels.js [--quick]` — prints tables, writes
 * `bench/results/kernels.json`. WASM operands are resident (allocated with allocF64) except in the
 * cross-over table, which uses ordinary arrays (the copy-per-call path).
 */
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

/** Median seconds of each backend over `reps` alternating runs (after one warm-up each). */
function race(c: Case, backends: Backend[], reps: number): Record<Backend, number> {
  const times: Record<Backend, number[]> = { js: [], wasm: [], wasm2: [] };
  const runOne = (b: Backend): number => {
    if (b !== 'js') setKernelThreads(b === 'wasm2' ? 2 : 1);
    if (b === 'wasm2') startKernelThreads();
    const f = b === 'js' ? c.js : c.wasm;
    const t0 = performance.now();
    f();
    return (performance.now() - t0) / 1000;
  };
  for (const b of backends) runOne(b);
  for (let r = 0; r < reps; r++) for (const b of backends) times[b].push(runOne(b));
  return { js: median(times.js), wasm: median(times.wasm), wasm2: times.wasm2.length ? median(times.wasm2) : NaN };
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

/** Runs the benchmark; `--quick` in argv uses fewer and smaller cases (for a smoke run). */
export function main(argv: readonly string[] = process.argv): Record<string, unknown> {
  const quick = argv.includes('--quick');
  if (!wasmKernelsInfo().available) {
    console.log('WebAssembly SIMD unavailable here: only the JS kernels exist; nothing to compare.');
    return {};
  }
  setKernelBackend('wasm');
  const threaded = wasmKernelsInfo().sharedMemory;
  const backends: Backend[] = threaded ? ['js', 'wasm', 'wasm2'] : ['js', 'wasm'];
  const reps = quick ? 3 : 7;
  const N = quick ? 4000 : 20000;
  const cases: Case[] = [
    gemmCase('nn', 500, 52, 500, 'gemmNN 500×500·500×52'),
    gemmCase('nn', 200, 200, 200, 'gemmNN 200×200·200×200'),
    gemmCase('nn', N, 5, 500, `gemmNN X·W ${N}×500·500×5`),
    gemmCase('tn', 500, 50, N, `gemmTN XᵀY ${N}×500, T=50`),
    gemmCase('tn', 500, 5, N, `gemmTN XᵀY ${N}×500, T=5`),
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
    `the machine may be shared: compare ratios, not absolute rates)`, rows);

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
  const out = { date: new Date().toISOString(), quick, rows, crossover: cross, threadCrossover: threadCross };
  writeJson('kernels', out);
  return out;
}

if (isMain(import.meta.url)) main();
