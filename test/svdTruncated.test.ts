import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mat } from '../src/types.js';
import { thinSvd } from '../src/linalg/svd.js';
import { truncatedSvd } from '../src/linalg/svdTruncated.js';
import { randn } from './helpers/random.js';

/** A = P diag(sig) Qᵀ with orthonormal P (m×k), Q (n×k) from thin SVDs of Gaussian matrices. */
function withSpectrum(m: number, n: number, sig: number[], seed: number): Mat {
  const k = sig.length;
  const P = thinSvd({ rows: m, cols: k, data: randn(m * k, seed) }).U;
  const Q = thinSvd({ rows: n, cols: k, data: randn(n * k, seed + 1) }).U;
  const A = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let x = 0;
    for (let l = 0; l < k; l++) x += P.data[i * k + l]! * sig[l]! * Q.data[j * k + l]!;
    A[i * n + j] = x;
  }
  return { rows: m, cols: n, data: A };
}

/** max_j ‖Aᵀu_j − s_j v_j‖ / s_0 and max_j ‖A v_j − s_j u_j‖ / s_0, recomputed by plain loops. */
function residuals(A: Mat, U: Mat, s: Float64Array, V: Mat): [number, number] {
  const { rows: m, cols: n } = A, r = s.length;
  let r1 = 0, r2 = 0;
  for (let j = 0; j < r; j++) {
    let e1 = 0, e2 = 0;
    for (let c = 0; c < n; c++) {
      let x = 0;
      for (let i = 0; i < m; i++) x += A.data[i * n + c]! * U.data[i * r + j]!;
      e1 += (x - s[j]! * V.data[c * r + j]!) ** 2;
    }
    for (let i = 0; i < m; i++) {
      let x = 0;
      for (let c = 0; c < n; c++) x += A.data[i * n + c]! * V.data[c * r + j]!;
      e2 += (x - s[j]! * U.data[i * r + j]!) ** 2;
    }
    r1 = Math.max(r1, Math.sqrt(e1));
    r2 = Math.max(r2, Math.sqrt(e2));
  }
  return [r1 / s[0]!, r2 / s[0]!];
}

const sig = Array.from({ length: 30 }, (_, i) => (i < 5 ? 10 - i : 0.5 * 0.9 ** i));

test('truncatedSvd (cold) finds the top singular triplets of a matrix with a spectral gap; its certificate is the true residual', () => {
  for (const [m, n] of [[120, 40], [40, 90]] as const) {
    const A = withSpectrum(m, n, sig, m + n);
    const copy = Float64Array.from(A.data);
    const r = truncatedSvd(A, 5, { iterations: 8 });
    assert.deepEqual(A.data, copy, 'A unchanged');
    for (let j = 0; j < 5; j++) assert.ok(Math.abs(r.s[j]! - sig[j]!) <= 1e-9 * sig[0]!, `s_${j} = ${r.s[j]} vs ${sig[j]}`);
    const [r1, r2] = residuals(A, r.U, r.s, r.V);
    assert.ok(r1 <= 1e-8, `‖Aᵀu − s v‖ = ${r1}`);
    assert.ok(r2 <= 1e-12, `‖A v − s u‖ = ${r2}`);
    assert.ok(Math.abs(r.residual - r1) <= 1e-12 + 1e-6 * r1, `reported residual ${r.residual} = recomputed ${r1}`);
    // against the full thin SVD
    const full = thinSvd(A);
    for (let j = 0; j < 5; j++) assert.ok(Math.abs(r.s[j]! - full.s[j]!) <= 1e-9 * full.s[0]!);
  }
});

test('truncatedSvd warm-started from the exact right singular vectors is exact after one iteration; reproducible by seed', () => {
  const A = withSpectrum(80, 30, sig, 7);
  const full = thinSvd(A);
  const V5: Mat = { rows: 30, cols: 5, data: new Float64Array(150) };
  for (let i = 0; i < 30; i++) for (let j = 0; j < 5; j++) V5.data[i * 5 + j] = full.V.data[i * 30 + j]!;
  const warm = truncatedSvd(A, 5, { warmStart: V5, iterations: 1 });
  assert.ok(warm.residual <= 1e-12, `warm residual ${warm.residual}`);
  const cold1 = truncatedSvd(A, 5, { iterations: 1 });
  assert.ok(warm.residual < cold1.residual, 'the warm start helps');
  const again = truncatedSvd(A, 5, { iterations: 1 });
  assert.deepEqual(again.s, cold1.s, 'same seed, same result');
  // a perturbed matrix, warm-started from the previous V: converges in 2 iterations
  const B: Mat = { rows: 80, cols: 30, data: A.data.map((x, i) => x + 1e-3 * Math.sin(i)) };
  const next = truncatedSvd(B, 5, { warmStart: warm.V });
  assert.equal(next.iterations, 2);
  assert.ok(next.residual <= 1e-8, `warm on a perturbed matrix: ${next.residual}`);
});

test('truncatedSvd rejects bad arguments naming them', () => {
  const A: Mat = { rows: 4, cols: 3, data: randn(12, 1) };
  assert.throws(() => truncatedSvd(A, 0), { name: 'RangeError', message: /rank: expected an integer ≥ 1/ });
  assert.throws(() => truncatedSvd(A, 4), { name: 'RangeError', message: /rank: expected 1 ≤ rank ≤ min\(m, n\) = 3/ });
  assert.throws(() => truncatedSvd(A, 2, { warmStart: { rows: 4, cols: 2, data: new Float64Array(8) } }), { name: 'RangeError', message: /warmStart: expected 3×c/ });
  assert.throws(() => truncatedSvd(A, 2, { iterations: -1 }), { name: 'RangeError', message: /iterations/ });
  assert.throws(() => truncatedSvd({ rows: 1, cols: 1, data: new Float64Array([NaN]) }, 1), { name: 'RangeError', message: /A: entries must be finite/ });
  assert.throws(() => truncatedSvd(null as unknown as Mat, 1), { name: 'TypeError', message: /A: expected a Mat/ });
});
