/**
 * `centredRowsTN` (X̃ᵀR for few tasks on row-major rows, issue #13) against the naive loop, bit for bit,
 * on both backends: resident and heap operands, a row list in any order, odd d, row counts that are not
 * multiples of 4 (the kernel's tail rows), more rows than one kernel call takes, T = 1 … 9, offsets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centredRowsTN, kernelBackend, setKernelBackend, wasmKernelsInfo, type KernelBackend } from '../src/linalg/blas.js';
import { allocF64 } from '../src/linalg/wasm/matrix.js';
import { jsCentredRowsTN, wasmCentredRowsTN } from '../src/linalg/centredRows.js';
import { randn } from './helpers/random.js';

const initial = kernelBackend();
const backends: KernelBackend[] = wasmKernelsInfo().available ? ['js', 'wasm'] : ['js'];

/** out(j, t) = Σ_a (X[row a, j] − μ_j)·R(a, t), a ascending, one multiply and one add per term. */
function naive(m: number, d: number, T: number, X: Float64Array, rows: Int32Array | null, R: Float64Array, ro: number, ldr: number, mu: Float64Array): Float64Array {
  const out = new Float64Array(d * T);
  for (let a = 0; a < m; a++) {
    const o = (rows === null ? a : rows[a]!) * d;
    for (let j = 0; j < d; j++) for (let t = 0; t < T; t++) out[j * T + t] = out[j * T + t]! + (X[o + j]! - mu[j]!) * R[ro + a + ldr * t]!;
  }
  return out;
}

function resident(a: Float64Array): Float64Array {
  const r = allocF64(a.length);
  r.set(a);
  return r;
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) assert.fail(`${what}: entry ${k} is ${a[k]}, expected ${b[k]} (bit for bit)`);
}

const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [7, 9, 5], [37, 20, 8], [41, 35, 3], [62, 13, 6], [203, 21, 1], [130, 17, 9], [9000, 7, 4]];

for (const backend of backends) {
  test(`centredRowsTN equals the naive loop bit for bit (${backend})`, () => {
    setKernelBackend(backend);
    try {
      for (const [m, d, T] of shapes) {
        const N = m + 5; // the stored design has more rows than are used
        const X = randn(N * d, m + d), mu = randn(d, 3 * d).map((v) => 3 * v), ro = 2, ldr = m + 3;
        for (let k = 0; k < X.length; k++) X[k]! += 3; // far from centred: the subtraction matters
        const R = randn(ro + ldr * T, 7 * T);
        const rows = Int32Array.from({ length: m }, (_, a) => (a * 7 + 3) % N);
        for (const [Xs, Rs, ms, where] of [[X, R, mu, 'heap'], [resident(X), resident(R), resident(mu), 'resident']] as const) {
          for (const r of [null, rows]) {
            const out = new Float64Array(d * T).fill(NaN); // overwritten
            centredRowsTN(m, d, T, Xs, r, Rs, ro, ldr, ms, out);
            sameBits(out, naive(m, d, T, X, r, R, ro, ldr, mu), `${m}×${d}, T = ${T}, ${where}, ${r ? 'row list' : 'first rows'}`);
          }
        }
      }
    } finally {
      setKernelBackend(initial);
    }
  });
}

test('centredRowsTN: X̃ᵀR is XᵀR − x̄ (1ᵀR) (a closed form), and zero means give XᵀR', () => {
  const m = 50, d = 6, T = 3;
  const X = resident(randn(m * d, 1)), R = resident(randn(m * T, 2)), zero = allocF64(d), mu = allocF64(d);
  for (let j = 0; j < d; j++) mu[j] = j - 2.5;
  const plain = new Float64Array(d * T), centred = new Float64Array(d * T);
  centredRowsTN(m, d, T, X, null, R, 0, m, zero, plain);
  centredRowsTN(m, d, T, X, null, R, 0, m, mu, centred);
  for (let j = 0; j < d; j++) {
    for (let t = 0; t < T; t++) {
      let xr = 0, sr = 0;
      for (let a = 0; a < m; a++) { xr += X[a * d + j]! * R[t * m + a]!; sr += R[t * m + a]!; }
      assert.ok(Math.abs(plain[j * T + t]! - xr) <= 1e-12 * m, `XᵀR (${j}, ${t})`);
      assert.ok(Math.abs(centred[j * T + t]! - (xr - mu[j]! * sr)) <= 1e-11 * m, `X̃ᵀR (${j}, ${t})`);
    }
  }
});

test('the column squares in the same pass (xtr_rows with sq, and its JavaScript twin) equal col_sq / the naive chain bit for bit', () => {
  const kernels = wasmKernelsInfo().sharedMemory ? [jsCentredRowsTN, wasmCentredRowsTN] : [jsCentredRowsTN];
  // odd m (the tail rows) and odd d (the kernel's spare lane), T = 1, 2, 3, 5, 8, centred and not
  for (const [m, d] of [[1, 1], [13, 7], [203, 21], [4101, 6]] as const) {
    for (const T of [1, 2, 3, 5, 8]) {
      const X = randn((m + 3) * d, m + d + T);
      for (let k = 0; k < X.length; k++) X[k]! += 2;
      const R = randn(m * T, 5 * T + m), rows = Int32Array.from({ length: m }, (_, a) => (a * 5 + 1) % (m + 3));
      for (const centred of [false, true]) {
        const mu = resident(centred ? randn(d, 3 * d + 1) : new Float64Array(d)), Xs = resident(X), Rs = resident(R);
        for (const r of [null, rows]) {
          const want = new Float64Array(d);
          for (let a = 0; a < m; a++) {
            const o = (r === null ? a : r[a]!) * d;
            for (let j = 0; j < d; j++) { const v = X[o + j]! - mu[j]!; want[j] = want[j]! + v * v; }
          }
          const G0 = naive(m, d, T, X, r, R, 0, m, mu);
          for (const run of kernels) {
            const out = new Float64Array(d * T).fill(NaN), sq = new Float64Array(d).fill(NaN);
            run(m, d, T, Xs, r, Rs, 0, m, mu, out, sq);
            const what = `${run.name} ${m}×${d}, T = ${T}, centred ${centred}, ${r ? 'row list' : 'first rows'}`;
            sameBits(sq, want, `${what}: squares`);
            sameBits(out, G0, `${what}: product`);
          }
        }
      }
    }
  }
});
