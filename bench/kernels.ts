/**
 * Kernel benchmark: register-blocked gemm variants vs a plain triple loop and ml-matrix's mmul,
 * measured in the same run (GFLOP/s and ratios).
 */
import { Matrix } from 'ml-matrix';
import { gemmNN, gemmNT, gemmTN } from '../src/linalg/blas.js';
import { randn } from '../test/helpers/random.js';
import { isMain, printTable, timeIt, writeJson } from './util.js';

function naive(m: number, n: number, k: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
      C[i * n + j] = s;
    }
  }
}

export function main(): Record<string, unknown>[] {
  const shapes: [number, number, number][] = [[500, 50, 500], [1000, 100, 1000], [200, 200, 200]];
  const rows: Record<string, unknown>[] = [];
  for (const [m, n, k] of shapes) {
    const A = randn(m * k, 1), B = randn(k * n, 2), C = new Float64Array(m * n);
    const At = randn(k * m, 3), Bt = randn(n * k, 4);
    const flops = 2 * m * n * k;
    const reps = 7;
    const nn = timeIt(() => gemmNN(m, n, k, A, B, C, 0), reps, 3).seconds;
    const tn = timeIt(() => gemmTN(m, n, k, At, B, C, 0), reps, 3).seconds;
    const nt = timeIt(() => gemmNT(m, n, k, A, Bt, C, 0), reps, 3).seconds;
    const nv = timeIt(() => naive(m, n, k, A, B, C), 3, 1).seconds;
    const MA = new Matrix(m, k), MB = new Matrix(k, n);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) MA.set(i, p, A[i * k + p]!);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) MB.set(p, j, B[p * n + j]!);
    const ml = timeIt(() => MA.mmul(MB), 3, 1).seconds;
    rows.push({
      shape: `${m}×${k}·${k}×${n}`, gemmNN: flops / nn / 1e9, gemmTN: flops / tn / 1e9, gemmNT: flops / nt / 1e9,
      naive: flops / nv / 1e9, mlMatrix: flops / ml / 1e9, 'NN/mlMatrix': ml / nn,
    });
  }
  printTable('gemm GFLOP/s (median of 7; ratios from the same run)', rows as Record<string, string | number>[]);
  writeJson('kernels', { date: new Date().toISOString(), rows });
  return rows;
}

if (isMain(import.meta.url)) main();
