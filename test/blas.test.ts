import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dot, gemmNN, gemmNT, gemmTN, gemv, gemvT, spectralNormSquared } from '../src/linalg/blas.js';
import { transposeInto, toMat, toArray, toMatrix } from '../src/linalg/mat.js';
import { randn } from './helpers/random.js';

function naiveNN(m: number, n: number, k: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
    C[i * n + j] = s;
  }
  return C;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// shapes with every remainder mod 4 and k crossing the blocking sizes (256, 512)
const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 4, 4], [9, 6, 300], [17, 13, 600], [2, 9, 1], [33, 1, 70]];

test('gemmNN / gemmTN / gemmNT equal the triple loop (overwrite and accumulate)', () => {
  for (const [m, n, k] of shapes) {
    const A = randn(m * k, m + n), B = randn(k * n, k + 1);
    const ref = naiveNN(m, n, k, A, B);
    const At = transposeInto(A, m, k, new Float64Array(m * k)); // k×m
    const Bt = transposeInto(B, k, n, new Float64Array(k * n)); // n×k
    for (const [name, run] of [
      ['NN', (C: Float64Array, beta: 0 | 1) => gemmNN(m, n, k, A, B, C, beta)],
      ['TN', (C: Float64Array, beta: 0 | 1) => gemmTN(m, n, k, At, B, C, beta)],
      ['NT', (C: Float64Array, beta: 0 | 1) => gemmNT(m, n, k, A, Bt, C, beta)],
    ] as const) {
      const C = randn(m * n, 5);
      run(C, 0);
      assert.ok(maxAbsDiff(C, ref) < 1e-11 * Math.max(1, k), `${name} ${m}×${n}×${k}`);
      run(C, 1);
      const twice = ref.map((v) => 2 * v);
      assert.ok(maxAbsDiff(C, twice) < 1e-11 * Math.max(1, k), `${name} accumulate ${m}×${n}×${k}`);
    }
  }
});

test('gemv, gemvT, dot and the spectral norm', () => {
  const m = 7, k = 5;
  const A = randn(m * k, 3), x = randn(k, 4), z = randn(m, 6);
  const y = new Float64Array(m), w = new Float64Array(k);
  gemv(m, k, A, 0, x, 0, y, 0, 0);
  gemvT(m, k, A, 0, z, 0, w, 0, 0);
  for (let i = 0; i < m; i++) assert.ok(Math.abs(y[i]! - dot(k, A, i * k, x, 0)) < 1e-13);
  // ⟨A x, z⟩ = ⟨x, Aᵀ z⟩
  assert.ok(Math.abs(dot(m, y, 0, z, 0) - dot(k, x, 0, w, 0)) < 1e-12);
  // σ_max² of diag(3, 2, 1) padded is 9
  const D = new Float64Array([3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]);
  assert.ok(Math.abs(spectralNormSquared(4, 3, D, 500, 1e-14) - 9) < 1e-8);
});

test('Mat conversions round-trip and copy', () => {
  const arr = [[1, 2, 3], [4, 5, 6]];
  const M = toMat(arr);
  assert.deepEqual(toArray(M), arr);
  const ml = toMatrix(M);
  assert.equal(ml.get(1, 2), 6);
  const back = toMat(ml);
  assert.deepEqual(Array.from(back.data), [1, 2, 3, 4, 5, 6]);
  back.data[0] = 99;
  assert.equal(M.data[0], 1, 'toMat copies');
  assert.throws(() => toMat({ rows: 2, cols: 2, data: new Float64Array(3) }, 'X'), { name: 'TypeError', message: /X: data has length 3, expected rows\*cols = 2\*2 = 4/ });
});
