/**
 * The full gradient X̃ᵀR of coordinate descent's residual state, for few tasks (issue #13 item 8):
 * `centredRowsTN` on the row-major design (centred on the fly, one pass over the rows) against the
 * feature-major path it replaces (`gemv_rows` over the columns of a centred copy, d calls of T dot
 * products) and the blocked product on the row-major design (`SharedDesign.transposeTimes`, R made
 * row-major first). GFLOP/s = 2·n·d·T / time, medians of alternating repetitions, per backend.
 * Prints a table and writes bench/results/xtrKernel.json.
 *
 * Usage: node build/bench/xtrKernel.js [--sizes 20000x2000,8000x1100,2000x500] [--tasks 1,2,5,8] [--reps 5]
 */
import { allocF64 } from '../src/index.js';
import { centredRowsTN, gemmNT, setKernelBackend } from '../src/linalg/blas.js';
import { wasmGemvRows } from '../src/linalg/wasm/dispatch.js';
import { SharedDesign } from '../src/datafits/sharedDesign.js';
import { transposeInto } from '../src/linalg/mat.js';
import { isMain, printTable, writeJson } from './util.js';

function fill(a: Float64Array, seed: number, shift: number): void {
  let s = seed;
  for (let i = 0; i < a.length; i++) { s = (Math.imul(s, 1103515245) + 12345) | 0; a[i] = ((s >>> 8) / 16777216) - 0.5 + shift; }
}

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * Runs the benchmark.
 * @param argv - command-line arguments
 * @returns the JSON payload
 * @example
 * ```ts
 * main(['--sizes', '2000x500', '--tasks', '5']);
 * ```
 * @see {@link centredRowsTN}
 */
export function main(argv: string[] = process.argv.slice(2)): unknown {
  const arg = (k: string, def: string): string => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1]! : def; };
  const sizes = arg('--sizes', '20000x2000,8000x1100,2000x500').split(',').map((x) => x.split('x').map(Number) as [number, number]);
  const tasks = arg('--tasks', '1,2,5,8').split(',').map(Number);
  const reps = Number(arg('--reps', '5'));
  const rows: Record<string, string | number>[] = [];
  const out: unknown[] = [];
  for (const [n, d] of sizes) {
    const X = allocF64(n * d);
    fill(X, 7, 3);
    const mu = allocF64(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[j]! += X[i * d + j]! / n;
    const design = new SharedDesign(n, d, X, mu);
    const cols = design.transposeInto(allocF64(n * d)); // the feature-major centred copy of the old path
    for (const T of tasks) {
      const R = allocF64(T * n), Rrow = new Float64Array(n * T), V = new Float64Array(d * T), Vr = allocF64(d * T);
      fill(R, 11 + T, 0);
      const flops = 2 * n * d * T;
      const runs: Record<string, () => void> = {
        'rows (new)': () => centredRowsTN(n, d, T, X, null, R, 0, n, mu, V),
        'columns gemv_rows (old)': () => { for (let j = 0; j < d; j++) wasmGemvRows(T, n, R, 0, n, cols, j * n, Vr, j * T); },
        'row-major blocked gemm': () => { transposeInto(R, T, n, Rrow); design.transposeTimes(Rrow, T, V); },
      };
      for (const backend of ['wasm', 'js'] as const) {
        setKernelBackend(backend);
        const names = Object.keys(runs).filter((k) => backend === 'wasm' || k !== 'columns gemv_rows (old)');
        if (backend === 'js') runs['columns gemmNT (old, js)'] = () => gemmNT(d, T, n, cols, R, V, 0);
        const names2 = backend === 'js' ? [...names, 'columns gemmNT (old, js)'] : names;
        const times: Record<string, number[]> = {};
        for (const k of names2) times[k] = [];
        for (let r = 0; r < reps; r++) {
          for (const k of names2) {
            const t0 = performance.now();
            runs[k]!();
            times[k]!.push(performance.now() - t0);
          }
        }
        for (const k of names2) {
          const ms = median(times[k]!);
          rows.push({ 'n×d': `${n}×${d}`, T, backend, path: k, 'ms (median)': ms, 'GFLOP/s': flops / ms / 1e6 });
          out.push({ n, d, T, backend, path: k, ms, gflops: flops / ms / 1e6 });
        }
        delete runs['columns gemmNT (old, js)'];
      }
      setKernelBackend('wasm');
    }
  }
  printTable(`X̃ᵀR for few tasks: ${reps} alternating repetitions, medians (the machine is shared: same-run ratios only)`, rows);
  const payload = { results: out };
  writeJson('xtrKernel', payload);
  return payload;
}

if (isMain(import.meta.url)) main();
